#include "modules/auth/browser_session.hpp"

#include <algorithm>

#include "core/errors.hpp"

namespace tiptop::auth {

bool cookie_mode(const http::Request& r, const Config& config) {
  if (r.header("x-session-mode") != "cookie") return false;
  const auto origin = r.header("origin");
  const bool listed =
      std::find(config.client_urls.begin(), config.client_urls.end(), origin) != config.client_urls.end();
  const auto scheme_end = origin.find("://");
  const bool same_site = scheme_end != std::string_view::npos && origin.substr(scheme_end + 3) == r.header("host");
  if (origin.empty() || !(listed || same_site))
    throw AuthorizationError("Browser sessions are only for this site's pages");
  return true;
}

std::optional<std::string> refresh_cookie(const http::Request& r) {
  std::string_view header = r.header("cookie");
  const std::string_view name = kRefreshCookie;
  while (!header.empty()) {
    const auto semi = header.find(';');
    auto pair = header.substr(0, semi);
    header = semi == std::string_view::npos ? std::string_view{} : header.substr(semi + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    if (pair.size() > name.size() && pair.starts_with(name) && pair[name.size()] == '=') {
      auto value = pair.substr(name.size() + 1);
      if (!value.empty()) return std::string(value);
    }
  }
  return std::nullopt;
}

void set_refresh_cookie(http::Response& res, const std::string& token, const Config& config) {
  std::string cookie = std::string(kRefreshCookie) + "=" + token + "; Path=/api/v1/auth; HttpOnly; SameSite=Strict";
  cookie += token.empty() ? "; Max-Age=0" : "; Max-Age=" + std::to_string(config.refresh_token_expire.count());
  if (!config.is_development()) cookie += "; Secure";
  res.set_header("Set-Cookie", std::move(cookie));
}

}  // namespace tiptop::auth
