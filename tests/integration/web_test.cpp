// Issue 23, points 1-2: the binary serves the web apps' files (deep links, precompressed and
// immutable hashed assets, the pages' own CSP, the API's headers untouched) and browser sessions
// keep the refresh token in an HttpOnly cookie that only this site's pages can use.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "modules/auth/service.hpp"
#include "support/api.hpp"
#include "support/http_client.hpp"
#include "support/test_app.hpp"

using namespace tiptop;
using namespace tiptop::testing;
namespace fs = std::filesystem;

namespace {

void write(const fs::path& p, const std::string& text) {
  fs::create_directories(p.parent_path());
  std::ofstream(p, std::ios::binary) << text;
}

// A built site as web/build.mjs leaves it: the shop, the console with a hashed, precompressed script.
class WebDir {
 public:
  WebDir() : root_(fs::temp_directory_path() / ("tiptop-web-" + std::to_string(::getpid()))) {
    fs::remove_all(root_);
    write(root_ / "index.html", "<!doctype html><title>TipTop</title>shop");
    write(root_ / "console/index.html", "<!doctype html><title>TipTop console</title>console");
    write(root_ / "console/assets/app-7QX2M4KD.js", "console.log('plain')");
    write(root_ / "console/assets/app-7QX2M4KD.js.gz", "GZIP-BYTES");
    write(root_ / "console/assets/app-7QX2M4KD.js.br", "BROTLI-BYTES");
    write(root_ / "../tiptop-web-secret.txt", "not yours");
  }
  ~WebDir() {
    fs::remove_all(root_);
    fs::remove(root_.parent_path() / "tiptop-web-secret.txt");
  }
  std::string path() const { return root_.string(); }

 private:
  fs::path root_;
};

class Web : public ::testing::Test {
 protected:
  Web() : app_(EngineKind::sqlite, {.env = {{"WEB_DIR", dir_.path()}}}) {
    app_.app().auth().create_account_sync({.role = "admin",
                                           .email = "chef@tiptop.in",
                                           .phone = "9800000001",
                                           .password = kTestPassword,
                                           .first_name = "Meera"});
  }
  HttpResult get(const std::string& target, std::vector<std::pair<std::string, std::string>> headers = {}) {
    return HttpClient(app_.port()).request("GET", target, {}, std::move(headers));
  }
  // A request from this site's page in cookie mode (the test client sends Host: 127.0.0.1).
  HttpResult browser(const std::string& path, const std::string& body, const std::string& cookie = {},
                     const std::string& origin = "http://127.0.0.1", const std::string& token = {}) {
    std::vector<std::pair<std::string, std::string>> h = {{"Content-Type", "application/json"},
                                                          {"X-Session-Mode", "cookie"}};
    if (!origin.empty()) h.emplace_back("Origin", origin);
    if (!cookie.empty()) h.emplace_back("Cookie", cookie);
    if (!token.empty()) h.emplace_back("Authorization", "Bearer " + token);
    return HttpClient(app_.port()).request("POST", path, body, std::move(h));
  }
  static std::string cookie_of(const HttpResult& r) {  // "tiptop_refresh=<token>"
    const auto set = r.header("set-cookie");
    return set.substr(0, set.find(';'));
  }
  WebDir dir_;
  TestApp app_;
};

const std::string kLogin = R"({"email":"chef@tiptop.in","password":"kitchen-boss-2024"})";

}  // namespace

TEST_F(Web, PagesAndDeepLinksAreServedWithTheirOwnPolicy) {
  auto shop = get("/");
  ASSERT_EQ(shop.status, 200);
  EXPECT_NE(shop.body.find("shop"), std::string::npos);
  EXPECT_EQ(shop.header("content-type"), "text/html; charset=utf-8");
  EXPECT_EQ(shop.header("cache-control"), "no-cache");
  EXPECT_NE(shop.header("content-security-policy").find("script-src 'self'"), std::string::npos);
  EXPECT_NE(shop.header("content-security-policy").find("frame-ancestors 'none'"), std::string::npos);

  for (const std::string deep : {"/console/", "/console", "/console/orders/ORD_2026_00042", "/console/menu"}) {
    auto page = get(deep);
    EXPECT_EQ(page.status, 200) << deep;
    EXPECT_NE(page.body.find("console"), std::string::npos) << deep;
  }
  EXPECT_NE(get("/track/abc").body.find("shop"), std::string::npos);  // the shop's own deep link
}

TEST_F(Web, HashedAssetsArePrecompressedAndImmutable) {
  auto br = get("/console/assets/app-7QX2M4KD.js", {{"Accept-Encoding", "gzip, deflate, br"}});
  ASSERT_EQ(br.status, 200);
  EXPECT_EQ(br.body, "BROTLI-BYTES");
  EXPECT_EQ(br.header("content-encoding"), "br");
  EXPECT_EQ(br.header("content-type"), "text/javascript; charset=utf-8");
  EXPECT_EQ(br.header("cache-control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(br.header("vary"), "Accept-Encoding, Origin");
  EXPECT_EQ(get("/console/assets/app-7QX2M4KD.js", {{"Accept-Encoding", "gzip"}}).body, "GZIP-BYTES");
  EXPECT_EQ(get("/console/assets/app-7QX2M4KD.js", {{"Accept-Encoding", "br;q=0, gzip"}}).body, "GZIP-BYTES");
  auto plain = get("/console/assets/app-7QX2M4KD.js");
  EXPECT_EQ(plain.body, "console.log('plain')");
  EXPECT_TRUE(plain.header("content-encoding").empty());
}

TEST_F(Web, TheApiKeepsItsOwnAnswersAndNothingOutsideTheFolderIsServed) {
  auto missing = get("/console/assets/app-GONE.js");  // a file name: never the page in its place
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(str(missing.json().at("error").at("code")), "NOT_FOUND");
  auto api = get("/api/v1/not-a-route");
  EXPECT_EQ(api.status, 404);
  EXPECT_EQ(api.header("content-type"), "application/json; charset=utf-8");
  auto menu = get("/api/v1/settings");
  EXPECT_EQ(menu.header("content-security-policy"), "default-src 'none'; frame-ancestors 'none'");
  EXPECT_EQ(get("/../tiptop-web-secret.txt").status, 404);
  EXPECT_EQ(get("/console/..%2F..%2Ftiptop-web-secret.txt").status, 404);
  EXPECT_EQ(HttpClient(app_.port()).request("POST", "/console/", "{}", {{"Content-Type", "application/json"}}).status,
            404);
  EXPECT_EQ(get("/health").status, 200);
}

TEST(WebMissing, WithoutTheFolderTheApiStillRuns) {
  TestApp app(EngineKind::sqlite, {.env = {{"WEB_DIR", "/nonexistent/tiptop-web"}}});
  EXPECT_EQ(HttpClient(app.port()).get("/").status, 404);
  EXPECT_EQ(HttpClient(app.port()).get("/health").status, 200);
}

TEST_F(Web, ABrowserSessionKeepsTheRefreshTokenInAnHttpOnlyCookie) {
  auto in = browser("/api/v1/auth/login", kLogin);
  ASSERT_EQ(in.status, 200) << in.body;
  EXPECT_FALSE(in.json().at("data").as_object().contains("refreshToken"));  // never readable by the page
  EXPECT_FALSE(str(in.json().at("data").at("token")).empty());
  const auto set = in.header("set-cookie");
  EXPECT_EQ(set.find("tiptop_refresh="), 0u) << set;
  for (const char* attr : {"; Path=/api/v1/auth", "; HttpOnly", "; SameSite=Strict", "; Secure", "; Max-Age=2592000"})
    EXPECT_NE(set.find(attr), std::string::npos) << attr << " in " << set;

  // A reload: the page has no token, the cookie gets a new one (and is rotated).
  const auto first = cookie_of(in);
  auto again = browser("/api/v1/auth/refresh-token", "{}", first);
  ASSERT_EQ(again.status, 200) << again.body;
  EXPECT_FALSE(again.json().at("data").as_object().contains("refreshToken"));
  const auto second = cookie_of(again);
  EXPECT_NE(second, first);
  const auto token = str(again.json().at("data").at("token"));
  EXPECT_EQ(HttpClient(app_.port()).call("GET", "/api/v1/users/me", token).status, 200);

  // Signing out ends the session and tells the browser to forget the cookie.
  auto out = browser("/api/v1/auth/logout", "", "", "http://127.0.0.1", token);
  ASSERT_EQ(out.status, 200) << out.body;
  EXPECT_NE(out.header("set-cookie").find("tiptop_refresh=; "), std::string::npos);
  EXPECT_NE(out.header("set-cookie").find("Max-Age=0"), std::string::npos);
  EXPECT_EQ(browser("/api/v1/auth/refresh-token", "{}", second).status, 401);
  EXPECT_EQ(browser("/api/v1/auth/refresh-token", "{}", first).status, 401);  // spent long ago
}

TEST_F(Web, OnlyThisSitesPagesMayUseTheCookie) {
  auto evil = browser("/api/v1/auth/login", kLogin, "", "https://evil.example");
  EXPECT_EQ(evil.status, 403);
  EXPECT_TRUE(evil.header("set-cookie").empty());
  EXPECT_EQ(browser("/api/v1/auth/login", kLogin, "", "").status, 403);  // no Origin at all
  const auto cookie = cookie_of(browser("/api/v1/auth/login", kLogin));
  EXPECT_EQ(browser("/api/v1/auth/refresh-token", "{}", cookie, "https://evil.example").status, 403);
  // Without the header the cookie is not even read: body mode wants its token in the body.
  auto plain = HttpClient(app_.port())
                   .request("POST", "/api/v1/auth/refresh-token", "{}",
                            {{"Content-Type", "application/json"}, {"Cookie", cookie}});
  EXPECT_EQ(plain.status, 400);
  EXPECT_EQ(str(plain.json().at("error").at("details").at(0).at("field")), "refreshToken");
  auto none = browser("/api/v1/auth/refresh-token", "{}");
  EXPECT_EQ(none.status, 400);
  EXPECT_NE(none.body.find("sign in again"), std::string::npos);
  // The mobile apps' body mode is unchanged (spec 9.1).
  auto body_mode = HttpClient(app_.port()).post_json("/api/v1/auth/login", kLogin);
  ASSERT_EQ(body_mode.status, 200);
  EXPECT_TRUE(body_mode.header("set-cookie").empty());
  const auto refresh = str(body_mode.json().at("data").at("refreshToken"));
  auto renewed =
      HttpClient(app_.port()).post_json("/api/v1/auth/refresh-token", R"({"refreshToken":")" + refresh + "\"}");
  EXPECT_EQ(renewed.status, 200);
  EXPECT_TRUE(renewed.json().at("data").as_object().contains("refreshToken"));
}
