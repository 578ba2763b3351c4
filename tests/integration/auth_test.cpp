// Auth end to end through the real server, on SQLite and on PostgreSQL.
#include <crypt.h>
#include <gtest/gtest.h>

#include <future>
#include <memory>

#include "core/crypto.hpp"
#include "modules/auth/passwords.hpp"
#include "modules/auth/service.hpp"
#include "support/api.hpp"
#include "support/http_client.hpp"
#include "support/test_app.hpp"

using namespace tiptop;
using namespace tiptop::testing;
namespace bj = boost::json;

namespace {

const std::string kPassword = "biryani-lover-2024";

class Auth : public ::testing::TestWithParam<EngineKind> {
 protected:
  void SetUp() override {
    TIPTOP_REQUIRE_ENGINE(GetParam());
    app_ = std::make_unique<TestApp>(GetParam(), TestApp::Options{.extra_routes = add_routes, .env = env()});
  }
  virtual Environment env() { return {}; }
  static void add_routes(app::Context& c) {
    c.router.add({.method = "GET",
                  .path = "/api/v1/test/admin",
                  .summary = "admins only",
                  .roles = {"admin"},
                  .handler = [](http::Request& r) -> boost::asio::awaitable<http::Response> {
                    co_return http::ok(bj::object{{"role", r.user->role}});
                  }});
  }
  HttpClient client() { return HttpClient(app_->port()); }
  bj::value register_user(const std::string& email, const std::string& phone, const std::string& password = kPassword) {
    auto r =
        client().post_json("/api/v1/auth/register", R"({"email":")" + email + R"(","phone":")" + phone +
                                                        R"(","password":")" + password + R"(","firstName":"Asha"})");
    EXPECT_EQ(r.status, 201) << r.body;
    return r.json().at("data");
  }
  void sql(const std::string& statement, store::Params params = {}) {
    auto db = store::open_database(app_->database_url(), 1, "FULL");
    auto run = [&](store::Connection& c) { c.execute(statement, params); };
    db->read_sync(run);
  }
  std::unique_ptr<TestApp> app_;
};

}  // namespace

TEST_P(Auth, RegisterLoginAndMe) {
  auto reg = register_user("Asha@Example.com", "+919876543210");
  EXPECT_EQ(reg.at("user").at("role"), "customer");
  EXPECT_EQ(reg.at("user").at("email"), "asha@example.com");
  const auto body = bj::serialize(reg.at("user"));
  for (auto secret : {"password", "argon2", "hash", "refresh", "token"})
    EXPECT_EQ(body.find(secret), std::string::npos) << secret;

  auto by_email =
      client().post_json("/api/v1/auth/login", R"({"email":"ASHA@example.com","password":")" + kPassword + "\"}");
  ASSERT_EQ(by_email.status, 200) << by_email.body;
  auto by_phone =
      client().post_json("/api/v1/auth/login", R"({"phone":"+919876543210","password":")" + kPassword + "\"}");
  ASSERT_EQ(by_phone.status, 200);
  const auto token = str(by_phone.json().at("data").at("token"));
  auto me = client().call("GET", "/api/v1/users/me", token);
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(me.json().at("data").at("email"), "asha@example.com");
  EXPECT_TRUE(me.json().at("data").at("lastLogin").is_string());
}

TEST_P(Auth, RegisterIgnoresRoleAndValidatesFields) {
  auto r = client().post_json("/api/v1/auth/register",
                              R"({"email":"x@tiptop.in","phone":"9876500000","password":")" + kPassword +
                                  R"(","firstName":"X","role":"admin","isActive":false,"loyaltyPoints":9999})");
  ASSERT_EQ(r.status, 201);
  auto user = r.json().at("data").at("user");
  EXPECT_EQ(user.at("role"), "customer");
  EXPECT_EQ(user.at("isActive"), true);
  EXPECT_EQ(user.at("loyaltyPoints"), 0);

  auto bad =
      client().post_json("/api/v1/auth/register", R"({"email":"nope","phone":"12","password":"short","firstName":""})");
  EXPECT_EQ(bad.status, 400);
  std::set<std::string> fields;
  const auto bad_json = bad.json();
  for (auto& d : bad_json.at("error").at("details").as_array()) fields.insert(str(d.at("field")));
  EXPECT_EQ(fields, (std::set<std::string>{"email", "phone", "firstName"}));
  auto short_pw = client().post_json(
      "/api/v1/auth/register", R"({"email":"s@tiptop.in","phone":"9876500001","password":"short","firstName":"S"})");
  EXPECT_EQ(short_pw.json().at("error").at("details").at(0).at("field"), "password");
  auto common = client().post_json(
      "/api/v1/auth/register", R"({"email":"c@tiptop.in","phone":"9876500002","password":"iloveyou","firstName":"C"})");
  EXPECT_EQ(common.status, 400);
  EXPECT_NE(str(common.json().at("error").at("details").at(0).at("message")).find("common"), std::string::npos);
}

TEST_P(Auth, DuplicateEmailOrPhoneIs409NamingTheField) {
  register_user("dup@tiptop.in", "9876511111");
  auto email =
      client().post_json("/api/v1/auth/register", R"({"email":"DUP@tiptop.in","phone":"9876522222","password":")" +
                                                      kPassword + R"(","firstName":"D"})");
  EXPECT_EQ(email.status, 409);
  EXPECT_EQ(email.json().at("error").at("code"), "DUPLICATE_ENTRY");
  EXPECT_EQ(email.json().at("error").at("details").at(0).at("field"), "email");
  auto phone =
      client().post_json("/api/v1/auth/register", R"({"email":"other@tiptop.in","phone":"9876511111","password":")" +
                                                      kPassword + R"(","firstName":"D"})");
  EXPECT_EQ(phone.status, 409);
  EXPECT_EQ(phone.json().at("error").at("details").at(0).at("field"), "phone");
}

TEST_P(Auth, WrongPasswordAndUnknownUserLookAlike) {
  register_user("w@tiptop.in", "9876533333");
  auto wrong = client().post_json("/api/v1/auth/login", R"({"email":"w@tiptop.in","password":"not-the-password"})");
  auto unknown =
      client().post_json("/api/v1/auth/login", R"({"email":"nobody@tiptop.in","password":"not-the-password"})");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(wrong.json().at("error").at("message"), unknown.json().at("error").at("message"));
}

TEST_P(Auth, TokensAndRoles) {
  auto token = str(register_user("r@tiptop.in", "9876544444").at("token"));
  auto none = client().get("/api/v1/users/me");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.json().at("error").at("code"), "AUTHENTICATION_ERROR");
  auto forged = token;
  forged[forged.size() - 3] = forged[forged.size() - 3] == 'x' ? 'y' : 'x';
  auto f = client().call("GET", "/api/v1/users/me", forged);
  EXPECT_EQ(f.status, 401);
  EXPECT_EQ(f.json().at("error").at("code"), "INVALID_TOKEN");
  const auto dot = token.find('.');
  const auto none_alg =
      crypto::base64url_encode(R"({"alg":"none","typ":"JWT"})") + token.substr(dot, token.rfind('.') - dot) + ".";
  EXPECT_EQ(client().call("GET", "/api/v1/users/me", none_alg).json().at("error").at("code"), "INVALID_TOKEN");

  auto customer = client().call("GET", "/api/v1/test/admin", token);
  EXPECT_EQ(customer.status, 403);
  EXPECT_EQ(customer.json().at("error").at("code"), "AUTHORIZATION_ERROR");
  app_->app().auth().create_account_sync(
      {.role = "admin", .email = "boss@tiptop.in", .phone = "9876555555", .password = kPassword});
  auto admin =
      client().post_json("/api/v1/auth/login", R"({"email":"boss@tiptop.in","password":")" + kPassword + "\"}");
  auto ok = client().call("GET", "/api/v1/test/admin", str(admin.json().at("data").at("token")));
  EXPECT_EQ(ok.status, 200);
  EXPECT_EQ(ok.json().at("data").at("role"), "admin");
}

TEST_P(Auth, LogoutRevokesAtOnce) {
  auto reg = register_user("l@tiptop.in", "9876566666");
  const auto token = str(reg.at("token")), refresh = str(reg.at("refreshToken"));
  EXPECT_EQ(client().call("GET", "/api/v1/users/me", token).status, 200);  // now cached
  EXPECT_EQ(client().call("POST", "/api/v1/auth/logout", token).status, 200);
  auto after = client().call("GET", "/api/v1/users/me", token);
  EXPECT_EQ(after.status, 401);
  auto r = client().post_json("/api/v1/auth/refresh-token", R"({"refreshToken":")" + refresh + "\"}");
  EXPECT_EQ(r.status, 401);
}

TEST_P(Auth, RefreshRotatesAndReuseRevokesTheFamily) {
  auto reg = register_user("f@tiptop.in", "9876577777");
  const auto first = str(reg.at("refreshToken"));
  auto r1 = client().post_json("/api/v1/auth/refresh-token", R"({"refreshToken":")" + first + "\"}");
  ASSERT_EQ(r1.status, 200);
  const auto second = str(r1.json().at("data").at("refreshToken"));
  const auto access = str(r1.json().at("data").at("token"));
  EXPECT_NE(second, first);
  EXPECT_EQ(client().call("GET", "/api/v1/users/me", access).status, 200);
  // The old one again: theft assumed, the whole session ends.
  auto reuse = client().post_json("/api/v1/auth/refresh-token", R"({"refreshToken":")" + first + "\"}");
  EXPECT_EQ(reuse.status, 401);
  EXPECT_EQ(reuse.json().at("error").at("code"), "INVALID_TOKEN");
  EXPECT_EQ(client().post_json("/api/v1/auth/refresh-token", R"({"refreshToken":")" + second + "\"}").status, 401);
  EXPECT_EQ(client().call("GET", "/api/v1/users/me", access).status, 401);
  // An access token is not a refresh token, and a refresh token is not a bearer token.
  auto other = register_user("g@tiptop.in", "9876588888");
  EXPECT_EQ(
      client().post_json("/api/v1/auth/refresh-token", R"({"refreshToken":")" + str(other.at("token")) + "\"}").status,
      401);
  EXPECT_EQ(client().call("GET", "/api/v1/users/me", str(other.at("refreshToken"))).status, 401);
}

TEST_P(Auth, ParallelRefreshesWithOneTokenExactlyOneSucceeds) {
  const auto refresh = str(register_user("p@tiptop.in", "9876599999").at("refreshToken"));
  std::vector<std::future<int>> results;
  for (int i = 0; i < 4; ++i)
    results.push_back(std::async(std::launch::async, [&] {
      return HttpClient(app_->port())
          .post_json("/api/v1/auth/refresh-token", R"({"refreshToken":")" + refresh + "\"}")
          .status;
    }));
  int ok = 0, unauthorized = 0;
  for (auto& f : results) {
    const int s = f.get();
    ok += s == 200;
    unauthorized += s == 401;
  }
  EXPECT_EQ(ok, 1);
  EXPECT_EQ(unauthorized, 3);
}

TEST_P(Auth, LegacyBcryptHashIsUpgradedOnLogin) {
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  crypt_gensalt_rn("$2b$", 4, nullptr, 0, salt, sizeof salt);
  auto data = std::make_unique<crypt_data>();
  const std::string bcrypt = crypt_rn(kPassword.c_str(), salt, data.get(), sizeof(crypt_data));
  const auto id = str(register_user("old@tiptop.in", "9876512345").at("user").at("_id"));
  sql("UPDATE users SET password_hash = ? WHERE id = ?", {bcrypt, id});
  EXPECT_EQ(
      client().post_json("/api/v1/auth/login", R"({"email":"old@tiptop.in","password":"wrong-password-1"})").status,
      401);
  ASSERT_EQ(
      client().post_json("/api/v1/auth/login", R"({"email":"old@tiptop.in","password":")" + kPassword + "\"}").status,
      200);
  auto db = store::open_database(app_->database_url(), 1, "FULL");
  auto read = [&](store::Connection& c) {
    return c.query("SELECT password_hash FROM users WHERE id = ?", {id}).rows[0].text("password_hash");
  };
  const auto upgraded = db->read_sync(read);
  EXPECT_TRUE(upgraded.starts_with("$argon2id$"));
  EXPECT_EQ(
      client().post_json("/api/v1/auth/login", R"({"email":"old@tiptop.in","password":")" + kPassword + "\"}").status,
      200);
}

TEST_P(Auth, InactiveUserIsRefused) {
  auto reg = register_user("i@tiptop.in", "9876523456");
  sql("UPDATE users SET is_active = ? WHERE email = ?", {false, std::string("i@tiptop.in")});
  EXPECT_EQ(
      client().post_json("/api/v1/auth/login", R"({"email":"i@tiptop.in","password":")" + kPassword + "\"}").status,
      401);
  EXPECT_EQ(client()
                .post_json("/api/v1/auth/refresh-token", R"({"refreshToken":")" + str(reg.at("refreshToken")) + "\"}")
                .status,
            401);
}

TEST_P(Auth, ForgotAndResetPassword) {
  auto reg = register_user("reset@tiptop.in", "9876534567");
  auto known = client().post_json("/api/v1/auth/forgot-password", R"({"email":"reset@tiptop.in"})");
  auto unknown = client().post_json("/api/v1/auth/forgot-password", R"({"email":"ghost@tiptop.in"})");
  EXPECT_EQ(known.status, 200);
  EXPECT_EQ(unknown.status, 200);
  EXPECT_EQ(known.json().at("data"), unknown.json().at("data"));
  auto sent = app_->wait_for_emails(1);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].to, "reset@tiptop.in");
  const auto& body = sent[0].body;
  const auto start = body.find(": ") + 2;
  const auto code = body.substr(start, body.find('\n') - start);

  auto weak =
      client().post_json("/api/v1/auth/reset-password", R"({"token":")" + code + R"(","password":"password1"})");
  EXPECT_EQ(weak.status, 400);
  auto ok = client().post_json("/api/v1/auth/reset-password",
                               R"({"token":")" + code + R"(","password":"new-tandoori-2024"})");
  ASSERT_EQ(ok.status, 200) << ok.body;
  auto again =
      client().post_json("/api/v1/auth/reset-password", R"({"token":")" + code + R"(","password":"another-one-2024"})");
  EXPECT_EQ(again.status, 400);                                                           // single use
  EXPECT_EQ(client().call("GET", "/api/v1/users/me", str(reg.at("token"))).status, 401);  // every session revoked
  EXPECT_EQ(
      client().post_json("/api/v1/auth/login", R"({"email":"reset@tiptop.in","password":")" + kPassword + "\"}").status,
      401);
  EXPECT_EQ(
      client().post_json("/api/v1/auth/login", R"({"email":"reset@tiptop.in","password":"new-tandoori-2024"})").status,
      200);

  client().post_json("/api/v1/auth/forgot-password", R"({"email":"reset@tiptop.in"})");
  const auto body2 = app_->wait_for_emails(2).back().body;
  const auto code2 = body2.substr(body2.find(": ") + 2, body2.find('\n') - body2.find(": ") - 2);
  sql("UPDATE password_resets SET expires_at = ? WHERE token_hash = ?", {std::int64_t{1}, crypto::sha256_hex(code2)});
  EXPECT_EQ(
      client()
          .post_json("/api/v1/auth/reset-password", R"({"token":")" + code2 + R"(","password":"expired-code-2024"})")
          .status,
      400);
}

// Issue 20: a bearer token alone no longer changes the e-mail or phone (which a forgot-password to
// the new address turned into the account); the old address hears of an e-mail change.
TEST_P(Auth, ChangingEmailOrPhoneNeedsTheCurrentPassword) {
  auto reg = register_user("owner@tiptop.in", "9876511111");
  const auto token = str(reg.at("token"));
  auto bare = client().call("PUT", "/api/v1/users/me", token, R"({"email":"thief@evil.test"})");
  EXPECT_EQ(bare.status, 400);
  EXPECT_EQ(bare.json().at("error").at("details").at(0).at("field"), "currentPassword");
  auto wrong = client().call("PUT", "/api/v1/users/me", token,
                             R"({"phone":"9876522222","currentPassword":"not-the-password-1"})");
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(wrong.json().at("error").at("details").at(0).at("field"), "currentPassword");
  auto me = client().call("GET", "/api/v1/users/me", token).json().at("data");
  EXPECT_EQ(me.at("email"), "owner@tiptop.in");  // nothing changed
  EXPECT_EQ(me.at("phone"), "9876511111");
  // The same e-mail sent back with a profile edit needs no password.
  EXPECT_EQ(client().call("PUT", "/api/v1/users/me", token, R"({"email":"owner@tiptop.in","lastName":"R"})").status,
            200);
  auto ok = client().call("PUT", "/api/v1/users/me", token,
                          R"({"email":"new-owner@tiptop.in","currentPassword":")" + kPassword + R"("})");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(ok.json().at("data").at("email"), "new-owner@tiptop.in");
  auto sent = app_->wait_for_emails(1);
  ASSERT_EQ(sent.size(), 1u);
  EXPECT_EQ(sent[0].to, "owner@tiptop.in");
  EXPECT_NE(sent[0].body.find("new-owner@tiptop.in"), std::string::npos);
}

TEST_P(Auth, ChangePasswordEndsOtherSessionsAndResetCodes) {
  auto reg = register_user("change@tiptop.in", "9876533333");
  const auto here = str(reg.at("token"));
  const auto elsewhere =
      str(client()
              .post_json("/api/v1/auth/login", R"({"email":"change@tiptop.in","password":")" + kPassword + "\"}")
              .json()
              .at("data")
              .at("token"));
  client().post_json("/api/v1/auth/forgot-password", R"({"email":"change@tiptop.in"})");
  const auto body = app_->wait_for_emails(1).back().body;
  const auto code = body.substr(body.find(": ") + 2, body.find('\n') - body.find(": ") - 2);

  auto wrong = client().call("POST", "/api/v1/auth/change-password", here,
                             R"({"currentPassword":"not-it-at-all-1","newPassword":"fresh-paneer-2025"})");
  EXPECT_EQ(wrong.status, 400);
  EXPECT_EQ(wrong.json().at("error").at("details").at(0).at("field"), "currentPassword");
  auto weak = client().call("POST", "/api/v1/auth/change-password", here,
                            R"({"currentPassword":")" + kPassword + R"(","newPassword":"password1"})");
  EXPECT_EQ(weak.status, 400);
  EXPECT_EQ(weak.json().at("error").at("details").at(0).at("field"), "newPassword");
  EXPECT_EQ(client().call("POST", "/api/v1/auth/change-password", "", R"({})").status, 401);

  auto ok = client().call("POST", "/api/v1/auth/change-password", here,
                          R"({"currentPassword":")" + kPassword + R"(","newPassword":"fresh-paneer-2025"})");
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(client().call("GET", "/api/v1/users/me", here).status, 200);       // this device stays
  EXPECT_EQ(client().call("GET", "/api/v1/users/me", elsewhere).status, 401);  // every other one ends
  // The reset code asked for before the change is dead.
  EXPECT_EQ(
      client()
          .post_json("/api/v1/auth/reset-password", R"({"token":")" + code + R"(","password":"sneaky-reset-2025"})")
          .status,
      400);
  EXPECT_EQ(
      client().post_json("/api/v1/auth/login", R"({"email":"change@tiptop.in","password":"fresh-paneer-2025"})").status,
      200);
}

class AuthLimits : public Auth {
  Environment env() override { return {{"RATE_LIMIT_MAX", "30"}, {"AUTH_RATE_LIMIT_MAX", "3"}}; }
};

TEST_P(AuthLimits, LoginLimitedPerIpAndAccountAndPerAccountAcrossIps) {
  register_user("rl@tiptop.in", "9876545678");
  const std::string wrong = R"({"email":"rl@tiptop.in","password":"wrong-password-1"})";
  for (int i = 0; i < 3; ++i) EXPECT_EQ(HttpClient(app_->port()).post_json("/api/v1/auth/login", wrong).status, 401);
  auto limited = HttpClient(app_->port()).post_json("/api/v1/auth/login", wrong);
  EXPECT_EQ(limited.status, 429);
  EXPECT_EQ(limited.json().at("error").at("code"), "RATE_LIMITED");
  EXPECT_GT(std::stol(limited.header("retry-after")), 0);
  // Other IPs get their own 3 tries, but the account as a whole stops at 4 x 3 = 12.
  int allowed = 3;
  for (int ip = 2; ip <= 6; ++ip)
    for (int i = 0; i < 3; ++i)
      allowed +=
          HttpClient(app_->port(), "127.0.0." + std::to_string(ip)).post_json("/api/v1/auth/login", wrong).status ==
          401;
  EXPECT_EQ(allowed, 12);
}

TEST_P(AuthLimits, GeneralApiLimitWithHeaders) {
  HttpClient c(app_->port(), "127.0.0.9");
  HttpResult r;
  for (int i = 0; i < 30; ++i) r = c.get("/api/v1/users/me");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.header("ratelimit-policy"), "30;w=900");
  EXPECT_EQ(r.header("ratelimit").rfind("limit=30, remaining=0, reset=", 0), 0u);
  auto over = c.get("/api/v1/users/me");
  EXPECT_EQ(over.status, 429);
  EXPECT_FALSE(over.header("retry-after").empty());
  EXPECT_EQ(HttpClient(app_->port(), "127.0.0.10").get("/api/v1/users/me").status, 401);  // another IP is unaffected
  EXPECT_EQ(c.get("/health").status, 200);                                                // limits apply to /api/ only
}

INSTANTIATE_TEST_SUITE_P(Engines, Auth, ::testing::ValuesIn(engines_under_test()),
                         [](const auto& info) { return engine_name(info.param); });
INSTANTIATE_TEST_SUITE_P(Engines, AuthLimits, ::testing::Values(EngineKind::sqlite),
                         [](const auto& info) { return engine_name(info.param); });
