#include "modules/web/routes.hpp"

#include "core/errors.hpp"

namespace tiptop::web {

void install(http::Pipeline& pipeline, const StaticSite& site) {
  pipeline.set_fallback([s = &site](http::Request& r) -> boost::asio::awaitable<http::Response> {
    auto found = s->find(r.path, r.header("accept-encoding"));
    if (!found) throw NotFoundError("Route " + r.method + " " + r.path);
    http::Response res;
    res.shared_body = found->bytes;  // the file's bytes, shared, not copied per response
    res.content_type = found->file->content_type;
    if (!found->encoding.empty()) res.set_header("Content-Encoding", std::string(found->encoding));
    res.set_header("Vary", "Accept-Encoding");
    res.set_header("Cache-Control", found->file->immutable ? "public, max-age=31536000, immutable" : "no-cache");
    if (found->file->page) res.set_header("Content-Security-Policy", std::string(kPageCsp));
    co_return res;
  });
}

}  // namespace tiptop::web
