#pragma once
// Browser sessions (ARCHITECTURE.md "Web apps", issue 23): the web apps keep the access token in
// memory only and the refresh token in an HttpOnly cookie the page's script cannot read. A request
// asks for this "cookie mode" with the header `X-Session-Mode: cookie`; because a cross-site form
// cannot send a custom header, and its Origin must be this site (or one of CLIENT_URL), the cookie
// cannot be used by another site (CSRF). Spec §9.1's body mode is untouched for the mobile apps.
#include <optional>
#include <string>

#include "core/config.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace tiptop::auth {

inline constexpr const char* kRefreshCookie = "tiptop_refresh";

// Whether the request asks for cookie mode; if it does, its Origin is checked (403 otherwise).
bool cookie_mode(const http::Request& r, const Config& config);
// The refresh token from the request's Cookie header, if any.
std::optional<std::string> refresh_cookie(const http::Request& r);
// Sets (or, with an empty token, clears) the refresh cookie: HttpOnly, SameSite=Strict, path
// /api/v1/auth, Secure outside development.
void set_refresh_cookie(http::Response& res, const std::string& token, const Config& config);

}  // namespace tiptop::auth
