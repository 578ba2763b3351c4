#include <gtest/gtest.h>

#include "core/crypto.hpp"
#include "core/errors.hpp"
#include "modules/auth/jwt.hpp"

using namespace tiptop;
using namespace tiptop::auth;

namespace {

const std::string kSecret = "unit-test-secret-unit-test-secret!!";
constexpr std::int64_t kNow = 1'800'000'000;

AccessClaims claims(std::int64_t exp = kNow + 900) {
  return {"6b0714e9ef7e392914dbfaa8", "a@b.co", "customer", "sid1", kNow, exp};
}

std::string code_of(const std::string& token, std::int64_t now = kNow) {
  try {
    verify_access_token(token, kSecret, now);
    return "ok";
  } catch (const AuthenticationError& e) {
    return e.code() + ":" + e.what();
  }
}

// Builds a token from raw JSON parts, signed with HS256 unless a signature is given.
std::string forge(const std::string& header, const std::string& payload, std::optional<std::string> sig = {}) {
  auto input = crypto::base64url_encode(header) + "." + crypto::base64url_encode(payload);
  return input + "." + (sig ? *sig : crypto::base64url_encode(crypto::hmac_sha256(kSecret, input)));
}

}  // namespace

TEST(Jwt, RoundTrip) {
  const auto token = sign_access_token(claims(), kSecret);
  EXPECT_TRUE(token.starts_with("eyJ"));
  const auto c = verify_access_token(token, kSecret, kNow + 10);
  EXPECT_EQ(c.user_id, "6b0714e9ef7e392914dbfaa8");
  EXPECT_EQ(c.role, "customer");
  EXPECT_EQ(c.sid, "sid1");
  EXPECT_EQ(c.exp, kNow + 900);
}

TEST(Jwt, ExpiryWithThirtySecondsOfSkew) {
  const auto token = sign_access_token(claims(kNow), kSecret);
  EXPECT_EQ(code_of(token, kNow + 30), "ok");
  EXPECT_EQ(code_of(token, kNow + 31), "INVALID_TOKEN:Token expired");
}

TEST(Jwt, RefusesOtherAlgorithmsAndForgeries) {
  const std::string payload =
      R"({"userId":"u","email":"e","role":"admin","sid":"s","iat":1,"exp":)" + std::to_string(kNow + 900) + "}";
  EXPECT_EQ(code_of(forge(R"({"alg":"HS256","typ":"JWT"})", payload)), "ok");
  EXPECT_NE(code_of(forge(R"({"alg":"none","typ":"JWT"})", payload, "")), "ok");
  EXPECT_NE(code_of(forge(R"({"alg":"none"})", payload, std::string())), "ok");
  EXPECT_NE(code_of(forge(R"({"alg":"HS512","typ":"JWT"})", payload)), "ok");
  EXPECT_NE(code_of(forge(R"({"alg":"RS256","typ":"JWT"})", payload)), "ok");
  EXPECT_NE(code_of(forge(R"({"typ":"JWT"})", payload)), "ok");
  auto token = sign_access_token(claims(), kSecret);
  token.back() = token.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(code_of(token), "INVALID_TOKEN:Invalid authentication token");
  EXPECT_NE(code_of(sign_access_token(claims(), "another-secret-another-secret-xx")), "ok");
  for (auto junk : {"", "abc", "a.b", "a.b.c.d", "eyJ.eyJ.", "....", "not a token at all"})
    EXPECT_NE(code_of(junk), "ok") << junk;
}

TEST(Jwt, RequiresExpAndHonoursNbf) {
  EXPECT_NE(code_of(forge(R"({"alg":"HS256"})", R"({"userId":"u","email":"e","role":"r","sid":"s","iat":1})")), "ok");
  const auto base = R"({"userId":"u","email":"e","role":"r","sid":"s","exp":)" + std::to_string(kNow + 900);
  EXPECT_EQ(code_of(forge(R"({"alg":"HS256"})", base + R"(,"nbf":)" + std::to_string(kNow + 20) + "}")), "ok");
  EXPECT_EQ(code_of(forge(R"({"alg":"HS256"})", base + R"(,"nbf":)" + std::to_string(kNow + 60) + "}")),
            "INVALID_TOKEN:Token not yet valid");
  EXPECT_NE(code_of(forge(R"({"alg":"HS256"})",
                          R"({"userId":1,"email":"e","role":"r","sid":"s","exp":)" + std::to_string(kNow + 900) + "}")),
            "ok");
}

TEST(Jwt, ExtremeNumericClaimsAreHandledWithoutOverflow) {
  const std::string base = R"({"userId":"u","email":"e","role":"r","sid":"s","exp":)";
  EXPECT_EQ(code_of(forge(R"({"alg":"HS256"})", base + "9223372036854775807}")), "ok");  // far future, valid
  EXPECT_NE(code_of(forge(R"({"alg":"HS256"})", base + "-9223372036854775808}")), "ok");
  EXPECT_NE(code_of(forge(R"({"alg":"HS256"})", base + "1e300}")), "ok");
  EXPECT_NE(code_of(forge(R"({"alg":"HS256"})", base + "18446744073709551615}")), "ok");
  const std::string with_nbf = base + std::to_string(kNow + 900) + R"(,"nbf":)";
  EXPECT_EQ(code_of(forge(R"({"alg":"HS256"})", with_nbf + "-9223372036854775808}")), "ok");
  EXPECT_NE(code_of(forge(R"({"alg":"HS256"})", with_nbf + "9223372036854775807}")), "ok");
}
