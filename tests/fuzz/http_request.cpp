// Raw bytes from a client, through what the server does with them up to the handler: Beast's
// parser with the server's header limit, the head turned into a Request (http/wire.cpp, the same
// code the server runs), then the Pipeline — routing, bearer-token check, roles, query coercion,
// body parsing and schema validation, the error envelope and headers. Handlers only echo.
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/buffers_prefix.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <cstdlib>

#include "core/config.hpp"
#include "core/errors.hpp"
#include "core/log.hpp"
#include "fuzz_schemas.hpp"
#include "fuzz_target.hpp"
#include "http/multipart.hpp"
#include "http/pipeline.hpp"
#include "http/wire.hpp"
#include "modules/auth/jwt.hpp"

using namespace tiptop;
namespace asio = boost::asio;
namespace bhttp = boost::beast::http;

namespace {

constexpr std::string_view kSecret = "fuzz-secret-0123456789abcdef-0123456789abcdef";

http::Handler echo() {
  return [](http::Request& r) -> asio::awaitable<http::Response> { co_return http::ok(r.json); };
}

struct Server {
  Config config = load_config(
      {{"NODE_ENV", "test"}, {"JWT_SECRET", std::string(kSecret)}, {"CLIENT_URL", "http://localhost:3000"}});
  http::Router router;
  std::unique_ptr<http::Pipeline> pipeline;

  Server() {
    log::init("off");
    router.add({.method = "GET", .path = "/health", .handler = echo()});
    router.add(
        {.method = "GET", .path = "/api/v1/menu/items", .query = fuzz::listing_query_schema(), .handler = echo()});
    router.add({.method = "POST",
                .path = "/api/v1/orders",
                .roles = {"customer"},
                .body = fuzz::placement_schema(),
                .handler = echo()});
    router.add({.method = "GET", .path = "/api/v1/orders/:id", .authenticated = true, .handler = echo()});
    router.add({.method = "GET", .path = "/api/v1/orders/track/:orderNumber", .handler = echo()});
    router.add({.method = "PUT",
                .path = "/api/v1/users/me",
                .authenticated = true,
                .body = fuzz::profile_schema(),
                .handler = echo()});
    router.add({.method = "POST",
                .path = "/api/v1/admin/menu/items/:id/images",
                .roles = {"admin"},
                .body_limit = 64 * 1024,
                .handler = [](http::Request& r) -> asio::awaitable<http::Response> {
                  const auto parts = http::parse_multipart(r.header("content-type"), r.body);
                  co_return http::ok(static_cast<std::int64_t>(parts.size()));
                }});
    pipeline = std::make_unique<http::Pipeline>(config, router);
    pipeline->set_authenticator([](http::Request& r) -> asio::awaitable<void> {
      const auto header = r.header("authorization");
      if (!header.starts_with("Bearer ")) throw AuthenticationError("Access token is required");
      const auto claims = auth::verify_access_token(header.substr(7), kSecret, 1'700'000'000);
      r.user = http::AuthUser{claims.user_id, claims.email, claims.role, claims.sid};
      co_return;
    });
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static Server server;
  bhttp::request_parser<bhttp::string_body> parser;
  parser.header_limit(16 * 1024);
  parser.body_limit(1024 * 1024);
  parser.eager(true);
  boost::beast::error_code ec;
  asio::const_buffer rest(data, size);
  while (rest.size() > 0 && !parser.is_done()) {
    const auto used = parser.put(rest, ec);
    if (ec) return 0;
    if (used == 0) break;
    rest += used;
  }
  if (!parser.is_done()) return 0;

  http::Request req;
  req.remote_ip = "127.0.0.1";
  if (!http::read_head(parser.get(), req)) return 0;
  if (server.pipeline->mounted(req.path)) return 0;
  if (parser.get().body().size() > server.pipeline->body_limit(req)) return 0;  // the server refuses it unread
  req.body = std::move(parser.get().body());

  asio::io_context io;
  int status = 0;
  asio::co_spawn(io, server.pipeline->handle(req), [&](std::exception_ptr e, http::Response res) {
    if (e) std::abort();  // handle() never throws: every failure is an error response
    status = res.status;
  });
  io.run();
  if (status < 200 || status > 599) std::abort();
  return 0;
}
