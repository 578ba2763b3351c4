// The transport limits of the foundation issue, each with a bad input that must be refused in the
// spec's envelope and leave the server serving.
#include <gtest/gtest.h>

#include <thread>

#include "support/http_client.hpp"
#include "support/test_app.hpp"

using namespace tiptop;
using namespace tiptop::testing;
using namespace std::chrono_literals;

namespace {

http::Route echo_route() {
  return {.method = "POST",
          .path = "/test/echo",
          .summary = "echo",
          .body = http::Schema::object({{"name", http::Schema::string().min_length(1).max_length(20)},
                                        {"qty", http::Schema::integer().minimum(1)}})
                      .required({"name"}),
          .handler = [](http::Request& r) -> boost::asio::awaitable<http::Response> { co_return http::ok(r.json); }};
}

class HttpLimits : public ::testing::Test {
 protected:
  HttpLimits()
      : app_(EngineKind::sqlite, {.extra_routes = [](app::Context& c) { c.router.add(echo_route()); },
                                  .limits = {.header_timeout = 1s, .idle_timeout = 2s}}) {}
  std::uint16_t port() { return app_.port(); }
  void expect_still_serving() { EXPECT_EQ(HttpClient(port()).get("/health").status, 200); }
  TestApp app_;
};

std::string error_code(const std::string& raw) {
  const auto body = raw.find("\r\n\r\n");
  if (body == std::string::npos) return {};
  auto v = boost::json::parse(raw.substr(body + 4));
  return std::string(v.at("error").at("code").as_string());
}

}  // namespace

TEST_F(HttpLimits, HeadersOver16KbAre431) {
  const std::string raw =
      raw_exchange(port(), "GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(17000, 'a') + "\r\n\r\n");
  EXPECT_EQ(first_status(raw), 431);
  EXPECT_EQ(error_code(raw), "HEADERS_TOO_LARGE");
  expect_still_serving();
}

TEST_F(HttpLimits, BodyOver1MbRefusedFromContentLengthWithoutReading) {
  // Only the headers are sent: the 413 must come from Content-Length alone.
  const std::string raw = raw_exchange(
      port(),
      "POST /test/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2000000\r\n\r\n",
      1500ms);
  EXPECT_EQ(first_status(raw), 413);
  EXPECT_EQ(error_code(raw), "PAYLOAD_TOO_LARGE");
  EXPECT_NE(raw.find("Connection: close"), std::string::npos);
  expect_still_serving();
}

TEST_F(HttpLimits, ChunkedBodyOver1MbIs413) {
  std::string req =
      "POST /test/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n";
  for (int i = 0; i < 20; ++i) req += "10000\r\n" + std::string(0x10000, ' ') + "\r\n";
  req += "0\r\n\r\n";
  EXPECT_EQ(first_status(raw_exchange(port(), req)), 413);
  expect_still_serving();
}

TEST_F(HttpLimits, BodyJustUnderLimitIsAccepted) {
  const std::string body = "{\"name\":\"ok\",\"pad\":\"" + std::string(1024 * 1024 - 40, 'x') + "\"}";
  ASSERT_LE(body.size(), 1024u * 1024u);
  EXPECT_EQ(HttpClient(port()).post_json("/test/echo", body).status, 200);
}

TEST_F(HttpLimits, WrongContentTypeOnJsonRouteIs415) {
  auto r = HttpClient(port()).request("POST", "/test/echo", "name=x",
                                      {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(r.json().at("error").at("code"), "UNSUPPORTED_MEDIA_TYPE");
}

TEST_F(HttpLimits, MalformedJsonIs400) {
  auto r = HttpClient(port()).post_json("/test/echo", "{\"name\": ");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json().at("error").at("code"), "INVALID_JSON");
  EXPECT_EQ(r.json().at("success"), false);
}

TEST_F(HttpLimits, NestingDeeperThan64Is400) {
  const std::string deep = "{\"name\":\"x\",\"a\":" + std::string(65, '[') + std::string(65, ']') + "}";
  auto r = HttpClient(port()).post_json("/test/echo", deep);
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.json().at("error").at("code"), "JSON_TOO_DEEP");
  const std::string ok = "{\"name\":\"x\",\"a\":" + std::string(60, '[') + std::string(60, ']') + "}";
  EXPECT_EQ(HttpClient(port()).post_json("/test/echo", ok).status, 200);
}

TEST_F(HttpLimits, SchemaViolationsComeAsFieldDetails) {
  auto r = HttpClient(port()).post_json("/test/echo", R"({"qty": 0})");
  EXPECT_EQ(r.status, 400);
  auto e = r.json().at("error");
  EXPECT_EQ(e.at("code"), "VALIDATION_ERROR");
  ASSERT_EQ(e.at("details").as_array().size(), 2u);
  EXPECT_EQ(e.at("details").at(0).at("field"), "name");
  EXPECT_EQ(e.at("details").at(1).at("field"), "qty");
  EXPECT_EQ(e.at("details").at(1).at("message"), "must be at least 1");
}

TEST_F(HttpLimits, ContentLengthWithTransferEncodingIs400AndClose) {
  const std::string raw =
      raw_exchange(port(),
                   "POST /test/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4\r\n"
                   "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n");
  EXPECT_EQ(first_status(raw), 400);
  EXPECT_NE(raw.find("Connection: close"), std::string::npos);
  expect_still_serving();
}

TEST_F(HttpLimits, ConflictingContentLengthsAre400AndClose) {
  const std::string raw =
      raw_exchange(port(),
                   "POST /test/echo HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                   "Content-Length: 14\r\n\r\n{}");
  EXPECT_EQ(first_status(raw), 400);
  EXPECT_NE(raw.find("Connection: close"), std::string::npos);
}

TEST_F(HttpLimits, SlowHeadersAreCutOff) {
  // header_timeout is 1 s here (10 s in production, see ServerLimitsDefaults): half a request line, then silence.
  const auto start = std::chrono::steady_clock::now();
  const std::string raw = raw_exchange(port(), "GET /health HTTP/1.1\r\nHost: x\r\n", 5000ms);
  const auto waited = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(raw, "");  // closed without a response
  EXPECT_LT(waited, 3000ms);
  EXPECT_GE(waited, 900ms);
}

TEST_F(HttpLimits, IdleKeepAliveIsClosed) {
  // idle_timeout is 2 s here (75 s in production).
  const auto start = std::chrono::steady_clock::now();
  const std::string raw = raw_exchange(port(), "GET /health HTTP/1.1\r\nHost: x\r\n\r\n", 6000ms);
  EXPECT_EQ(first_status(raw), 200);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 4000ms);  // the server closed, not our deadline
}

TEST_F(HttpLimits, PipelinedRequestsAnsweredInOrder) {
  const std::string raw =
      raw_exchange(port(),
                   "GET /health HTTP/1.1\r\nHost: x\r\nX-Request-Id: first\r\n\r\n"
                   "GET /nope HTTP/1.1\r\nHost: x\r\nX-Request-Id: second\r\n\r\n"
                   "GET /ready HTTP/1.1\r\nHost: x\r\nX-Request-Id: third\r\nConnection: close\r\n\r\n");
  const auto a = raw.find("X-Request-Id: first"), b = raw.find("X-Request-Id: second"),
             c = raw.find("X-Request-Id: third");
  ASSERT_NE(a, std::string::npos);
  ASSERT_NE(b, std::string::npos);
  ASSERT_NE(c, std::string::npos);
  EXPECT_LT(a, b);
  EXPECT_LT(b, c);
  EXPECT_NE(raw.find("404 Not Found"), std::string::npos);
}

TEST_F(HttpLimits, KeepAliveServesManyRequestsOnOneConnection) {
  HttpClient client(port());
  for (int i = 0; i < 5; ++i) EXPECT_EQ(client.get("/health").status, 200);
}

TEST_F(HttpLimits, HeadHasLengthButNoBody) {
  HttpClient client(port());
  auto get = client.get("/api/docs/openapi.json");
  auto head = client.request("HEAD", "/api/docs/openapi.json");
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(head.header("content-length"), std::to_string(get.body.size()));
  EXPECT_EQ(client.get("/health").status, 200);  // the connection is still in sync
}

TEST_F(HttpLimits, GarbageRequestLineIs400) {
  EXPECT_EQ(first_status(raw_exchange(port(), "HELLO\r\n\r\n")), 400);
  expect_still_serving();
}

TEST(ServerLimitsDefaults, MatchTheContract) {
  http::ServerLimits d;
  EXPECT_EQ(d.header_bytes, 16u * 1024u);
  EXPECT_EQ(d.header_timeout, 10s);
  EXPECT_EQ(d.idle_timeout, 75s);
  EXPECT_EQ(http::kDefaultBodyLimit, 1024u * 1024u);
}
