#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "core/config.hpp"

using namespace tiptop;

namespace {
std::string error_of(const Environment& env) {
  try {
    load_config(env);
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST(Config, DefaultsFollowTheSpec) {
  auto c = load_config({});
  EXPECT_EQ(c.port, 5000);
  EXPECT_EQ(c.database_url, "sqlite://./data/tiptop.db");
  EXPECT_EQ(c.jwt_expire, std::chrono::minutes(15));
  EXPECT_EQ(c.refresh_token_expire, std::chrono::hours(24 * 30));
  EXPECT_EQ(c.rate_limit_window_ms, 900000);
  EXPECT_EQ(c.rate_limit_max, 100);
  EXPECT_EQ(c.auth_rate_limit_max, 5);
  EXPECT_EQ(c.sqlite_synchronous, "FULL");
  EXPECT_TRUE(c.jwt_secret_generated);  // development without JWT_SECRET: random, never a fixed default
  EXPECT_EQ(c.jwt_secret.size(), 64u);
  EXPECT_NE(c.jwt_secret, load_config({}).jwt_secret);
}

TEST(Config, InvalidValuesNameTheVariable) {
  EXPECT_NE(error_of({{"PORT", "abc"}}).find("PORT"), std::string::npos);
  EXPECT_NE(error_of({{"PORT", "70000"}}).find("PORT"), std::string::npos);
  EXPECT_NE(error_of({{"NODE_ENV", "prod"}}).find("NODE_ENV"), std::string::npos);
  EXPECT_NE(error_of({{"LOG_LEVEL", "loud"}}).find("LOG_LEVEL"), std::string::npos);
  EXPECT_NE(error_of({{"DATABASE_URL", "mongodb://x"}}).find("DATABASE_URL"), std::string::npos);
  EXPECT_NE(error_of({{"JWT_EXPIRE", "15 minutes"}}).find("JWT_EXPIRE"), std::string::npos);
  EXPECT_NE(error_of({{"CLIENT_URL", "not a url"}}).find("CLIENT_URL"), std::string::npos);
  EXPECT_NE(error_of({{"CLIENT_URL", "https://a.test/path"}}).find("CLIENT_URL"), std::string::npos);
  EXPECT_NE(error_of({{"RATE_LIMIT_MAX", "0"}}).find("RATE_LIMIT_MAX"), std::string::npos);
  EXPECT_NE(error_of({{"SQLITE_SYNCHRONOUS", "OFF"}}).find("SQLITE_SYNCHRONOUS"), std::string::npos);
  EXPECT_NE(error_of({{"REDIS_URL", "http://x"}}).find("REDIS_URL"), std::string::npos);
  EXPECT_NE(error_of({{"RAZORPAY_KEY_ID", "rzp_test_1"}}).find("RAZORPAY_KEY_SECRET"), std::string::npos);
  EXPECT_NE(error_of({{"RAZORPAY_KEY_ID", "rzp_test_1"}, {"RAZORPAY_KEY_SECRET", "s"}}).find("RAZORPAY_WEBHOOK_SECRET"),
            std::string::npos);
  EXPECT_NE(error_of({{"RAZORPAY_BASE_URL", "ftp://x"}}).find("RAZORPAY_BASE_URL"), std::string::npos);
  EXPECT_NE(error_of({{"PAYMENT_EXPIRY_SECONDS", "0"}}).find("PAYMENT_EXPIRY_SECONDS"), std::string::npos);
}

TEST(Config, JwtSecretRequiredOutsideDevelopment) {
  EXPECT_NE(error_of({{"NODE_ENV", "production"}}).find("JWT_SECRET"), std::string::npos);
  EXPECT_NE(error_of({{"NODE_ENV", "production"}, {"JWT_SECRET", "short"}}).find("32"), std::string::npos);
  auto c = load_config({{"NODE_ENV", "production"}, {"JWT_SECRET", std::string(40, 'k')}});
  EXPECT_FALSE(c.jwt_secret_generated);
}

TEST(Config, ParsesListsAndDurations) {
  auto c = load_config({{"CLIENT_URL", " https://tiptop.in/ , http://localhost:3000"},
                        {"JWT_EXPIRE", "24h"},
                        {"REFRESH_TOKEN_EXPIRE", "7d"},
                        {"PORT", "8080"}});
  EXPECT_EQ(c.client_urls, (std::vector<std::string>{"https://tiptop.in", "http://localhost:3000"}));
  EXPECT_EQ(c.jwt_expire, std::chrono::hours(24));
  EXPECT_EQ(c.refresh_token_expire, std::chrono::hours(24 * 7));
  EXPECT_EQ(c.port, 8080);
  EXPECT_EQ(parse_duration("90"), std::chrono::seconds(90));
  EXPECT_EQ(parse_duration("45s"), std::chrono::seconds(45));
  EXPECT_FALSE(parse_duration("-5m"));
  EXPECT_FALSE(parse_duration("5w"));
}

TEST(Config, DotenvFileIsRead) {
  const auto path = std::filesystem::temp_directory_path() / "tiptop-dotenv-test";
  std::ofstream(path) << "# comment\nPORT=6000\nexport LOG_LEVEL=debug\nJWT_SECRET=\"quoted value # kept\"\n"
                         "CLIENT_URL=https://a.test # trailing comment\n\nBROKEN LINE\n";
  auto env = read_dotenv(path.string());
  std::filesystem::remove(path);
  EXPECT_EQ(env["PORT"], "6000");
  EXPECT_EQ(env["LOG_LEVEL"], "debug");
  EXPECT_EQ(env["JWT_SECRET"], "quoted value # kept");
  EXPECT_EQ(env["CLIENT_URL"], "https://a.test");
  EXPECT_EQ(env.count("BROKEN LINE"), 0u);
  EXPECT_TRUE(read_dotenv("/nonexistent/.env").empty());
}

// config_variables() is the one list `tiptop --help` and scripts/check-deploy.sh print and check;
// load_config takes its defaults from it, so they must be the Config struct's own.
TEST(ConfigTable, ItsDefaultsAreTheConfigDefaults) {
  const auto loaded = load_config({});
  Config expected;
  expected.jwt_secret = loaded.jwt_secret;  // development without JWT_SECRET: random per process
  expected.jwt_secret_generated = true;
  EXPECT_TRUE(loaded == expected);
  EXPECT_EQ(loaded.metrics_allow, expected.metrics_allow);  // the field most likely to differ, printed
}

TEST(ConfigTable, EachVariableOnceWithAMeaning) {
  std::set<std::string_view> names;
  for (const auto& v : config_variables()) {
    EXPECT_TRUE(names.insert(v.name).second) << v.name << " twice";
    EXPECT_FALSE(v.meaning.empty()) << v.name;
    EXPECT_EQ(v.name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"), std::string_view::npos) << v.name;
  }
  for (auto name : {"PORT", "DATABASE_URL", "JWT_SECRET", "TRUST_PROXY", "RESTAURANT_TIMEZONE", "METRICS_TOKEN"})
    EXPECT_TRUE(names.contains(name)) << name;
}
