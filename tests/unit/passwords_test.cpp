#include <crypt.h>
#include <gtest/gtest.h>

#include <memory>
#include <thread>

#include "core/rate_limiter.hpp"
#include "modules/auth/passwords.hpp"

using namespace tiptop;
using namespace tiptop::auth;

TEST(Passwords, Argon2idWithOwaspParameters) {
  const auto h = hash_password("biryani-lover-2024");
  EXPECT_TRUE(h.starts_with("$argon2id$v=19$m=19456,t=2,")) << h;
  EXPECT_TRUE(verify_password("biryani-lover-2024", h));
  EXPECT_FALSE(verify_password("biryani-lover-2025", h));
  EXPECT_FALSE(needs_rehash(h));
  EXPECT_NE(h, hash_password("biryani-lover-2024"));  // salted
}

TEST(Passwords, NoTruncationAtSeventyTwoBytes) {
  const std::string long_pw(80, 'k');
  const auto h = hash_password(long_pw);
  EXPECT_TRUE(verify_password(long_pw, h));
  EXPECT_FALSE(verify_password(long_pw.substr(0, 72), h));
}

TEST(Passwords, LegacyBcryptVerifiesAndAsksForRehash) {
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  ASSERT_NE(crypt_gensalt_rn("$2b$", 4, nullptr, 0, salt, sizeof salt), nullptr);
  auto data = std::make_unique<crypt_data>();
  const std::string h = crypt_rn("tandoori-nights", salt, data.get(), sizeof(crypt_data));
  ASSERT_TRUE(h.starts_with("$2b$04$"));
  EXPECT_TRUE(verify_password("tandoori-nights", h));
  EXPECT_FALSE(verify_password("tandoori-night", h));
  EXPECT_TRUE(needs_rehash(h));
  std::string a = h;
  a[2] = 'a';  // $2a$ hashes from older Node bcrypt verify the same way
  EXPECT_TRUE(verify_password("tandoori-nights", a));
  EXPECT_FALSE(verify_password("x", "plaintext-stored-by-mistake"));
}

TEST(Passwords, PolicyLengthAndBreachedList) {
  EXPECT_EQ(password_problem("short1!"), "must be at least 8 characters");
  EXPECT_EQ(password_problem(std::string(129, 'x')), "must be at most 128 characters");
  EXPECT_FALSE(password_problem("kitchen-" + std::string(120, 'q')));
  // Characters, not bytes: 8 Devanagari letters are 24 bytes but 8 characters.
  EXPECT_FALSE(password_problem("बिरयानीबिरयानी"));
  for (auto common : {"password", "PASSWORD", "12345678", "qwertyuiop", "iloveyou", "sunshine", "password1"})
    EXPECT_TRUE(is_common_password(common)) << common;
  EXPECT_FALSE(is_common_password("biryani-lover-2024"));
  EXPECT_TRUE(password_problem("password1")->find("too common") != std::string::npos);
}

TEST(RateLimiter, FixedWindowWithDraft7Headers) {
  InProcessRateLimiter limiter;
  RateDecision d;
  for (int i = 0; i < 5; ++i) {
    d = limiter.count("k", 5, std::chrono::minutes(15));
    EXPECT_TRUE(d.allowed);
  }
  EXPECT_EQ(d.remaining, 0);
  d = limiter.count("k", 5, std::chrono::minutes(15));
  EXPECT_FALSE(d.allowed);
  EXPECT_GT(d.reset_seconds, 890);
  EXPECT_EQ(rate_limit_policy_header(d), "5;w=900");
  EXPECT_EQ(rate_limit_header(d).rfind("limit=5, remaining=0, reset=", 0), 0u);
  EXPECT_TRUE(limiter.count("other", 5, std::chrono::minutes(15)).allowed);
  auto short_window = limiter.count("w", 1, std::chrono::milliseconds(50));
  EXPECT_TRUE(short_window.allowed);
  EXPECT_FALSE(limiter.count("w", 1, std::chrono::milliseconds(50)).allowed);
  std::this_thread::sleep_for(std::chrono::milliseconds(60));
  EXPECT_TRUE(limiter.count("w", 1, std::chrono::milliseconds(50)).allowed);
}
