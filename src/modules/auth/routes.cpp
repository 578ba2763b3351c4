#include "modules/auth/routes.hpp"

#include "core/json.hpp"
#include "modules/auth/browser_session.hpp"

namespace tiptop::auth {
namespace bj = boost::json;
using http::Schema;
using Awaitable = boost::asio::awaitable<http::Response>;

namespace {

ClientInfo client_of(const http::Request& r) { return {r.remote_ip, std::string(r.header("user-agent"))}; }

bj::object signed_in_json(const SignedIn& s) {
  return {{"user", users::to_json(s.user)}, {"token", s.tokens.token}, {"refreshToken", s.tokens.refresh_token}};
}

// A sign-in's answer: in cookie mode the refresh token goes into the cookie, never the body.
http::Response signed_in(const SignedIn& s, bool browser, const Config& config, int status = 200) {
  auto body = signed_in_json(s);
  if (browser) body.erase("refreshToken");
  auto res = http::ok(std::move(body), status);
  if (browser) set_refresh_cookie(res, s.tokens.refresh_token, config);
  return res;
}

const Schema kEmail = Schema::string().format("email").max_length(254);
const Schema kPhone = Schema::string().format("phone");
const Schema kName = Schema::string().min_length(1).max_length(50);
// Length in characters (8-128) and the breached list are checked by the service; bytes are capped here.
const Schema kPassword = Schema::string().min_length(1).max_length(512);

}  // namespace

http::Authenticator make_authenticator(AuthService& service) {
  return [svc = &service](http::Request& r) -> boost::asio::awaitable<void> {
    const auto header = r.header("authorization");
    if (header.size() < 8 || !std::equal(header.begin(), header.begin() + 7, "bearer ", [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == b;
        }))
      throw AuthenticationError("No authentication token provided");
    auto p = co_await svc->authenticate(std::string(header.substr(7)));
    r.user = http::AuthUser{p.user_id, p.email, p.role, p.session_id};
  };
}

void register_routes(http::Router& router, AuthService& service, const Config& config) {
  auto* svc = &service;
  const Config* cfg = &config;
  router.add({.method = "POST",
              .path = "/api/v1/auth/register",
              .summary = "Create a customer account and sign in",
              .tag = "auth",
              .body = Schema::object({{"email", kEmail},
                                      {"phone", kPhone},
                                      {"password", kPassword},
                                      {"firstName", kName},
                                      {"lastName", Schema::string().max_length(50)}})
                          .required({"email", "phone", "password", "firstName"}),
              .handler = [svc, cfg](http::Request& r) -> Awaitable {
                const bool browser = cookie_mode(r, *cfg);
                const auto& b = r.json.get_object();
                NewAccount a;  // role stays "customer": whatever else the body says is ignored
                a.email = json::string_or(b, "email");
                a.phone = json::string_or(b, "phone");
                a.password = json::string_or(b, "password");
                a.first_name = json::string_or(b, "firstName");
                a.last_name = json::string_or(b, "lastName");
                auto s = co_await svc->register_account(std::move(a), client_of(r));
                co_return signed_in(s, browser, *cfg, 201);
              }});
  router.add({.method = "POST",
              .path = "/api/v1/auth/login",
              .summary = "Sign in with e-mail or phone and password",
              .tag = "auth",
              .body = Schema::object({{"email", Schema::string().min_length(1).max_length(254)},
                                      {"phone", kPhone},
                                      {"password", kPassword}})
                          .required({"password"}),
              .handler = [svc, cfg](http::Request& r) -> Awaitable {
                const bool browser = cookie_mode(r, *cfg);
                const auto& b = r.json.get_object();
                std::string login = json::string_or(b, "email");
                if (login.empty()) login = json::string_or(b, "phone");
                if (login.empty())
                  throw ValidationError("Validation failed", {{"email", "email or phone is required"}});
                auto s = co_await svc->login(std::move(login), json::string_or(b, "password"), client_of(r));
                co_return signed_in(s, browser, *cfg);
              }});
  router.add({.method = "POST",
              .path = "/api/v1/auth/refresh-token",
              .summary = "Exchange a refresh token for new tokens (the old one stops working); in cookie mode "
                         "(X-Session-Mode: cookie) the token comes from and goes back to the session cookie",
              .tag = "auth",
              .body = Schema::object({{"refreshToken", Schema::string().min_length(1).max_length(512)}}),
              .handler = [svc, cfg](http::Request& r) -> Awaitable {
                const bool browser = cookie_mode(r, *cfg);
                std::string token = json::string_or(r.json.get_object(), "refreshToken");
                if (token.empty() && browser) token = refresh_cookie(r).value_or("");
                if (token.empty())
                  throw ValidationError(
                      "Validation failed",
                      {{"refreshToken", browser ? "no session cookie: sign in again" : "is required"}});
                auto t = co_await svc->refresh(std::move(token));
                if (!browser) co_return http::ok(bj::object{{"token", t.token}, {"refreshToken", t.refresh_token}});
                auto res = http::ok(bj::object{{"token", t.token}});
                set_refresh_cookie(res, t.refresh_token, *cfg);
                co_return res;
              }});
  router.add({.method = "POST",
              .path = "/api/v1/auth/logout",
              .summary = "End this session at once",
              .tag = "auth",
              .authenticated = true,
              .handler = [svc, cfg](http::Request& r) -> Awaitable {
                const bool browser = cookie_mode(r, *cfg);
                co_await svc->logout(r.user->session_id);
                auto res = http::ok(bj::object{{"message", "Logged out"}});
                if (browser) set_refresh_cookie(res, "", *cfg);  // the browser forgets it too
                co_return res;
              }});
  router.add({.method = "POST",
              .path = "/api/v1/auth/forgot-password",
              .summary = "Send a single-use reset code (the answer never says whether the e-mail exists)",
              .tag = "auth",
              .body = Schema::object({{"email", kEmail}}).required({"email"}),
              .handler = [svc](http::Request& r) -> Awaitable {
                co_await svc->forgot_password(json::string_or(r.json.get_object(), "email"), r.remote_ip);
                co_return http::ok(bj::object{{"message", "If that e-mail is registered, a reset code has been sent"}});
              }});
  router.add({.method = "POST",
              .path = "/api/v1/auth/change-password",
              .summary = "Change my password (the current one is required); signs out every other session",
              .tag = "auth",
              .authenticated = true,
              .body = Schema::object({{"currentPassword", Schema::string().min_length(1).max_length(128)},
                                      {"newPassword", kPassword}})
                          .required({"currentPassword", "newPassword"}),
              .handler = [svc](http::Request& r) -> Awaitable {
                const auto& b = r.json.get_object();
                co_await svc->change_password(r.user->id, r.user->session_id, json::string_or(b, "currentPassword"),
                                              json::string_or(b, "newPassword"), r.remote_ip);
                co_return http::ok(bj::object{{"message", "Password changed; your other sessions are signed out"}});
              }});
  router.add(
      {.method = "POST",
       .path = "/api/v1/auth/reset-password",
       .summary = "Choose a new password with a reset code; signs out every session",
       .tag = "auth",
       .body = Schema::object({{"token", Schema::string().min_length(1).max_length(512)}, {"password", kPassword}})
                   .required({"token", "password"}),
       .handler = [svc](http::Request& r) -> Awaitable {
         const auto& b = r.json.get_object();
         co_await svc->reset_password(json::string_or(b, "token"), json::string_or(b, "password"));
         co_return http::ok(bj::object{{"message", "Password updated; please sign in again"}});
       }});
}

namespace {

// Exactly one of phone and e-mail, the one the purpose is about.
OtpTarget otp_target(const bj::object& b) {
  OtpTarget t;
  t.purpose = json::string_or(b, "purpose");
  t.phone = t.purpose != "verify-email";
  const char* field = t.phone ? "phone" : "email";
  const char* other = t.phone ? "email" : "phone";
  if (b.contains(other))
    throw ValidationError("Validation failed", {{other, std::string("is not used for ") + t.purpose}});
  t.address = json::string_or(b, field);
  if (t.address.empty()) throw ValidationError("Validation failed", {{field, "is required for " + t.purpose}});
  return t;
}

}  // namespace

void register_otp_routes(http::Router& router, OtpService& otp) {
  auto* svc = &otp;
  const auto purpose = Schema::string().one_of({"verify-phone", "verify-email", "guest-checkout"});
  // Verifying one's own phone or e-mail needs the account; a guest's checkout needs only the phone.
  auto signed_in = [](const http::Request& r, const OtpTarget& t) {
    if (t.purpose != "guest-checkout" && !r.user)
      throw AuthenticationError("Sign in to verify your " + std::string(t.phone ? "phone" : "e-mail"));
  };
  router.add(
      {.method = "POST",
       .path = "/api/v1/auth/otp/send",
       .summary = "Send a 6-digit code (10 minutes, 5 tries) by SMS to your phone or by e-mail to your address, "
                  "to verify it (signed in), or to a phone for a guest checkout. Limited per destination and per "
                  "client address (429 TOO_MANY_CODES)",
       .tag = "auth",
       .identify = true,
       .body = Schema::object({{"phone", kPhone}, {"email", kEmail}, {"purpose", purpose}}).required({"purpose"}),
       .handler = [svc, signed_in](http::Request& r) -> Awaitable {
         auto target = otp_target(r.json.get_object());
         signed_in(r, target);
         std::string ip = r.remote_ip;
         co_return http::ok(co_await svc->send(std::move(target), std::move(ip)));
       }});
  router.add({.method = "POST",
              .path = "/api/v1/auth/otp/verify",
              .summary = "Check a code: the phone or e-mail it went to becomes verified on your account "
                         "(guest-checkout: a 30-minute guestToken; OTP_INVALID with the tries left, OTP_EXPIRED, "
                         "OTP_NOT_YOURS)",
              .tag = "auth",
              .identify = true,
              .body = Schema::object({{"phone", kPhone},
                                      {"email", kEmail},
                                      {"purpose", purpose},
                                      {"code", Schema::string().min_length(6).max_length(6).describe("6 digits")}})
                          .required({"purpose", "code"}),
              .handler = [svc, signed_in](http::Request& r) -> Awaitable {
                auto target = otp_target(r.json.get_object());
                signed_in(r, target);
                std::string code = json::string_or(r.json.get_object(), "code");
                std::string user_id = r.user ? r.user->id : std::string();
                co_return http::ok(co_await svc->verify(std::move(target), std::move(code), std::move(user_id)));
              }});
}

}  // namespace tiptop::auth
