// Routing, middleware and error mapping through the real server.
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "support/http_client.hpp"
#include "support/test_app.hpp"

using namespace tiptop;
using namespace tiptop::testing;
using namespace std::chrono_literals;
using Awaitable = boost::asio::awaitable<http::Response>;

namespace {

void add_test_routes(app::Context& c) {
  c.router.add({.method = "GET", .path = "/test/boom", .summary = "throws", .handler = [](http::Request&) -> Awaitable {
                  throw std::runtime_error("secret internals: /etc/passwd");
                  co_return http::ok(nullptr);
                }});
  c.router.add({.method = "GET",
                .path = "/test/items/:id",
                .summary = "param",
                .query = http::Schema::object(
                    {{"page", http::Schema::integer().minimum(1).fallback(1)}, {"veg", http::Schema::boolean()}}),
                .handler = [](http::Request& r) -> Awaitable {
                  co_return http::ok(boost::json::object{{"id", r.param("id")}, {"query", r.query_values}});
                }});
  c.router.add({.method = "GET",
                .path = "/test/items/special",
                .summary = "literal beats param",
                .handler = [](http::Request&) -> Awaitable { co_return http::ok("special"); }});
  c.router.add(
      {.method = "DELETE", .path = "/test/items/:id", .summary = "delete", .handler = [](http::Request&) -> Awaitable {
         co_return http::no_content();
       }});
  c.router.add({.method = "POST",
                .path = "/test/tiny",
                .summary = "small body limit",
                .body = http::Schema::object({}),
                .body_limit = 16,
                .handler = [](http::Request&) -> Awaitable { co_return http::ok(nullptr); }});
  c.router.add({.method = "GET",
                .path = "/test/admin-only",
                .summary = "needs a role",
                .roles = {"admin"},
                .handler = [](http::Request&) -> Awaitable { co_return http::ok(nullptr); }});
  auto& db = c.db;
  c.router.add({.method = "GET",
                .path = "/test/slow-db",
                .summary = "holds a database call for 300 ms",
                .handler = [&db](http::Request&) -> Awaitable {
                  co_await db.read([](store::Connection& conn) {
                    conn.query("SELECT 1");
                    std::this_thread::sleep_for(300ms);
                  });
                  co_return http::ok("slow");
                }});
}

class Pipeline : public ::testing::Test {
 protected:
  Pipeline() : app_(EngineKind::sqlite, {.extra_routes = add_test_routes, .env = {{"IO_THREADS", "1"}}}) {}
  HttpClient client() { return HttpClient(app_.port()); }
  TestApp app_;
};

}  // namespace

TEST_F(Pipeline, UnknownPathIs404Envelope) {
  auto r = client().get("/api/v1/nothing-here");
  EXPECT_EQ(r.status, 404);
  auto j = r.json();
  EXPECT_EQ(j.at("success"), false);
  EXPECT_EQ(j.at("error").at("code"), "NOT_FOUND");
  EXPECT_EQ(j.at("error").at("requestId").as_string(), r.header("x-request-id"));
  EXPECT_TRUE(j.at("error").at("timestamp").as_string().ends_with("Z"));
}

TEST_F(Pipeline, WrongMethodIs405WithAllow) {
  auto r = client().request("PUT", "/test/items/abc");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("allow"), "GET, DELETE, HEAD, OPTIONS");
  EXPECT_EQ(r.json().at("error").at("code"), "METHOD_NOT_ALLOWED");
}

TEST_F(Pipeline, PathParametersAndLiteralPrecedence) {
  auto c = client();
  EXPECT_EQ(c.get("/test/items/abc").json().at("data").at("id"), "abc");
  EXPECT_EQ(c.get("/test/items/special").json().at("data"), "special");
}

TEST_F(Pipeline, QueryIsCoercedAndValidated) {
  auto c = client();
  auto ok = c.get("/test/items/a?veg=true").json().at("data").at("query");
  EXPECT_EQ(ok.at("page"), 1);  // documented default
  EXPECT_EQ(ok.at("veg"), true);
  auto bad = c.get("/test/items/a?page=zero&veg=maybe");
  EXPECT_EQ(bad.status, 400);
  auto details = bad.json().at("error").at("details").as_array();
  ASSERT_EQ(details.size(), 2u);
  EXPECT_EQ(details[0].at("field"), "page");
  EXPECT_EQ(details[1].at("field"), "veg");
}

TEST_F(Pipeline, PerRouteBodyLimit) {
  auto r = client().post_json("/test/tiny", R"({"a":"0123456789abcdef"})");
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(client().post_json("/test/tiny", "{}").status, 200);
}

TEST_F(Pipeline, UnknownExceptionIs500WithoutInternals) {
  auto r = client().request("GET", "/test/boom", {}, {{"X-Request-Id", "trace-me-123"}});
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("secret"), std::string::npos);
  EXPECT_EQ(r.body.find("passwd"), std::string::npos);
  auto e = r.json().at("error");
  EXPECT_EQ(e.at("code"), "INTERNAL_ERROR");
  EXPECT_EQ(e.at("requestId"), "trace-me-123");
}

TEST_F(Pipeline, RequestIdEchoedOrGenerated) {
  auto c = client();
  EXPECT_EQ(c.request("GET", "/health", {}, {{"X-Request-Id", "abc-123"}}).header("x-request-id"), "abc-123");
  auto generated = c.get("/health").header("x-request-id");
  EXPECT_TRUE(generated.starts_with("req_"));
  EXPECT_NE(generated, c.get("/health").header("x-request-id"));
  // A value that could forge log lines is replaced, not echoed.
  auto forged = c.request("GET", "/health", {}, {{"X-Request-Id", "x\" injected {"}}).header("x-request-id");
  EXPECT_TRUE(forged.starts_with("req_"));
}

TEST_F(Pipeline, SecurityHeadersOnEveryResponse) {
  for (auto target : {"/health", "/nope"}) {
    auto r = client().get(target);
    EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
    EXPECT_EQ(r.header("x-frame-options"), "DENY");
    EXPECT_EQ(r.header("referrer-policy"), "no-referrer");
    EXPECT_EQ(r.header("x-powered-by"), "");
    EXPECT_EQ(r.header("server"), "");
  }
}

TEST_F(Pipeline, CorsAllowListOnly) {
  auto c = client();
  auto allowed = c.request("GET", "/health", {}, {{"Origin", "http://localhost:3000"}});
  EXPECT_EQ(allowed.header("access-control-allow-origin"), "http://localhost:3000");
  EXPECT_EQ(allowed.header("access-control-allow-credentials"), "true");
  for (auto origin : {"https://evil.example", "null", "http://localhost:3000.evil.example"}) {
    auto r = c.request("GET", "/health", {}, {{"Origin", origin}});
    EXPECT_EQ(r.header("access-control-allow-origin"), "") << origin;
  }
}

TEST_F(Pipeline, PreflightAnswered) {
  auto r = client().request("OPTIONS", "/test/items/x", {},
                            {{"Origin", "https://admin.tiptop.test"},
                             {"Access-Control-Request-Method", "DELETE"},
                             {"Access-Control-Request-Headers", "authorization,content-type"}});
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(r.header("access-control-allow-origin"), "https://admin.tiptop.test");
  EXPECT_NE(r.header("access-control-allow-methods").find("DELETE"), std::string::npos);
  EXPECT_NE(r.header("access-control-allow-headers").find("Authorization"), std::string::npos);
  auto denied = client().request("OPTIONS", "/test/items/x", {},
                                 {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "DELETE"}});
  EXPECT_EQ(denied.header("access-control-allow-origin"), "");
  EXPECT_EQ(denied.header("access-control-allow-methods"), "");
}

TEST_F(Pipeline, RoleProtectedRouteWithoutAuthIs401) {
  auto r = client().get("/test/admin-only");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(r.json().at("error").at("code"), "AUTHENTICATION_ERROR");
}

TEST_F(Pipeline, SlowDatabaseCallDoesNotBlockTheIoThread) {
  // One I/O thread: if the 300 ms database call ran on it, /health would wait behind it.
  auto slow = std::async(std::launch::async, [&] { return client().get("/test/slow-db").status; });
  std::this_thread::sleep_for(50ms);
  HttpClient other(app_.port());
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(other.get("/ready").status, 200);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  EXPECT_LT(took.count(), 150) << "health waited behind the slow database call";
  EXPECT_EQ(slow.get(), 200);
}

TEST_F(Pipeline, GracefulShutdownFinishesInFlightRequest) {
  auto slow = std::async(std::launch::async, [&] { return client().get("/test/slow-db"); });
  HttpClient idle(app_.port());
  EXPECT_EQ(idle.get("/health").status, 200);  // now an idle keep-alive connection
  std::this_thread::sleep_for(50ms);
  const auto start = std::chrono::steady_clock::now();
  app_.app().shutdown();
  auto r = slow.get();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("connection"), "close");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
  EXPECT_THROW(HttpClient(app_.port()).get("/health"), std::exception);  // no longer accepting
}

TEST_F(Pipeline, OpenApiDescribesDeclaredRoutes) {
  auto doc = client().get("/api/docs/openapi.json").json();
  EXPECT_EQ(doc.at("openapi"), "3.1.0");
  auto& op = doc.at("paths").at("/test/items/{id}").at("get");
  EXPECT_EQ(op.at("summary"), "param");
  bool has_page = false;
  for (auto& p : op.at("parameters").as_array())
    if (p.at("name") == "page") has_page = p.at("schema").at("minimum") == 1;
  EXPECT_TRUE(has_page);
  auto& admin = doc.at("paths").at("/test/admin-only").at("get");
  EXPECT_EQ(admin.at("x-roles").at(0), "admin");
  EXPECT_TRUE(admin.at("responses").as_object().contains("403"));
  auto& tiny = doc.at("paths").at("/test/tiny").at("post");
  EXPECT_TRUE(tiny.as_object().contains("requestBody"));
}
