#include "http/wire.hpp"

#include <cctype>

namespace tiptop::http {

bool read_head(const boost::beast::http::request<boost::beast::http::string_body>& head, Request& req) {
  req.method = std::string(head.method_string());
  req.target = std::string(head.target());
  req.headers.reserve(16);
  for (const auto& f : head) {
    std::string name(f.name_string());
    for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    req.headers.emplace_back(std::move(name), std::string(f.value()));
  }
  return parse_target(req.target, req.path, req.query);
}

}  // namespace tiptop::http
