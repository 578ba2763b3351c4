#pragma once
// Access tokens: JWT, HS256 only. Anything else (alg "none", RS256, a bad signature, a missing
// or past exp, a future nbf) is refused; 30 s of clock skew is tolerated.
#include <cstdint>
#include <string>
#include <string_view>

namespace tiptop::auth {

struct AccessClaims {
  std::string user_id;
  std::string email;
  std::string role;
  std::string sid;       // the session this token belongs to; logout revokes it
  std::int64_t iat = 0;  // seconds since the epoch
  std::int64_t exp = 0;
};

constexpr std::int64_t kClockSkewSeconds = 30;

std::string sign_access_token(const AccessClaims& claims, std::string_view secret);
// Throws AuthenticationError with code INVALID_TOKEN (message says why) when the token is not valid now.
AccessClaims verify_access_token(std::string_view token, std::string_view secret, std::int64_t now_seconds);

}  // namespace tiptop::auth
