#include "modules/auth/jwt.hpp"

#include <boost/json.hpp>
#include <cmath>

#include "core/crypto.hpp"
#include "core/errors.hpp"
#include "core/json.hpp"

namespace tiptop::auth {
namespace {

[[noreturn]] void invalid(const std::string& why) { throw AuthenticationError(why, "INVALID_TOKEN"); }

boost::json::object decode_part(std::string_view part) {
  std::string raw;
  if (!crypto::base64url_decode(part, raw)) invalid("Invalid authentication token");
  boost::system::error_code ec;
  auto v = boost::json::parse(raw, ec);
  if (ec || !v.is_object()) invalid("Invalid authentication token");
  return std::move(v.get_object());
}

std::int64_t number_claim(const boost::json::object& o, std::string_view key, bool required) {
  auto* v = o.if_contains(key);
  if (!v) {
    if (required) invalid("Invalid authentication token");
    return 0;
  }
  if (v->is_int64()) return v->get_int64();
  // NumericDate may have a fraction; beyond ±2^53 it cannot be a real time, and casting could overflow.
  if (v->is_double() && std::fabs(v->get_double()) < 9007199254740992.0)
    return static_cast<std::int64_t>(v->get_double());
  invalid("Invalid authentication token");
}

std::string string_claim(const boost::json::object& o, std::string_view key) {
  auto* v = o.if_contains(key);
  if (!v || !v->is_string()) invalid("Invalid authentication token");
  return std::string(v->get_string());
}

}  // namespace

std::string sign_access_token(const AccessClaims& c, std::string_view secret) {
  static const std::string header = crypto::base64url_encode(R"({"alg":"HS256","typ":"JWT"})");
  const boost::json::object payload{{"userId", c.user_id}, {"email", c.email}, {"role", c.role},
                                    {"sid", c.sid},        {"iat", c.iat},     {"exp", c.exp}};
  std::string signing_input = header + "." + crypto::base64url_encode(json::serialize(payload));
  const auto signature = crypto::base64url_encode(crypto::hmac_sha256(secret, signing_input));
  return signing_input + "." + signature;
}

AccessClaims verify_access_token(std::string_view token, std::string_view secret, std::int64_t now) {
  if (token.size() > 4096) invalid("Invalid authentication token");
  const auto dot1 = token.find('.');
  const auto dot2 = dot1 == std::string_view::npos ? dot1 : token.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || token.find('.', dot2 + 1) != std::string_view::npos)
    invalid("Invalid authentication token");
  // The algorithm is fixed by us, not by the token: only HS256 is ever accepted.
  const auto header = decode_part(token.substr(0, dot1));
  auto* alg = header.if_contains("alg");
  if (!alg || !alg->is_string() || alg->get_string() != "HS256") invalid("Invalid authentication token");
  const auto signing_input = token.substr(0, dot2);
  std::string signature;
  if (!crypto::base64url_decode(token.substr(dot2 + 1), signature) ||
      !crypto::constant_time_equal(signature, crypto::hmac_sha256(secret, signing_input)))
    invalid("Invalid authentication token");

  const auto payload = decode_part(token.substr(dot1 + 1, dot2 - dot1 - 1));
  AccessClaims c;
  c.exp = number_claim(payload, "exp", true);
  c.iat = number_claim(payload, "iat", false);
  const auto nbf = number_claim(payload, "nbf", false);
  // Written so no sum can overflow, whatever a (validly signed) token carries.
  if (now - kClockSkewSeconds > c.exp) invalid("Token expired");
  if (nbf && nbf > now + kClockSkewSeconds) invalid("Token not yet valid");
  c.user_id = string_claim(payload, "userId");
  c.email = string_claim(payload, "email");
  c.role = string_claim(payload, "role");
  c.sid = string_claim(payload, "sid");
  return c;
}

}  // namespace tiptop::auth
