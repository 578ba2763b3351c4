// Defences found in review: bodies are not read for anonymous requests to protected routes,
// connections are capped, and client IPs come from X-Forwarded-For only behind a trusted proxy.
#include <gtest/gtest.h>

#include <thread>

#include "modules/auth/session_cache.hpp"
#include "support/http_client.hpp"
#include "support/test_app.hpp"

using namespace tiptop;
using namespace tiptop::testing;
using namespace std::chrono_literals;

TEST(Hardening, ProtectedUploadRefusedBeforeTheBodyAndWithout100Continue) {
  TestApp app(EngineKind::sqlite);
  const std::string raw = raw_exchange(
      app.port(),
      "POST /api/v1/admin/menu/items/0123456789abcdef01234567/images HTTP/1.1\r\nHost: x\r\n"
      "Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 5000000\r\nExpect: 100-continue\r\n\r\n",
      1500ms);
  EXPECT_EQ(first_status(raw), 401);
  EXPECT_EQ(raw.find("100 Continue"), std::string::npos);
  EXPECT_NE(raw.find("Connection: close"), std::string::npos);
}

TEST(Hardening, ConnectionsBeyondTheCapAreClosed) {
  TestApp app(EngineKind::sqlite, {.limits = {.max_connections = 2}});
  HttpClient a(app.port()), b(app.port());
  EXPECT_EQ(a.get("/health").status, 200);
  EXPECT_EQ(b.get("/health").status, 200);
  EXPECT_EQ(raw_exchange(app.port(), "GET /health HTTP/1.1\r\nHost: x\r\n\r\n", 1000ms), "");
  EXPECT_EQ(a.get("/health").status, 200);  // the open ones keep working
}

TEST(Hardening, OneAddressHoldsAtMostItsShareOfConnections) {
  TestApp app(EngineKind::sqlite, {.env = {{"MAX_CONNECTIONS_PER_ADDRESS", "2"}}});
  auto a = std::make_unique<HttpClient>(app.port());
  HttpClient b(app.port());
  ASSERT_EQ(a->get("/health").status, 200);
  ASSERT_EQ(b.get("/health").status, 200);
  // The third from 127.0.0.1 is answered 503 in the envelope, told when to retry, and closed.
  const std::string raw = raw_exchange(app.port(), "GET /health HTTP/1.1\r\nHost: x\r\n\r\n", 1500ms);
  EXPECT_EQ(first_status(raw), 503);
  EXPECT_NE(raw.find("Retry-After: 5"), std::string::npos);
  EXPECT_NE(raw.find("\"code\":\"TOO_MANY_CONNECTIONS\""), std::string::npos);
  EXPECT_NE(raw.find("Connection: close"), std::string::npos);
  // A socket is refused the same way: its upgrade request gets the 503, never a WebSocket.
  const std::string ws = raw_exchange(app.port(),
                                      "GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: x\r\n"
                                      "Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                                      "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
                                      1500ms);
  EXPECT_EQ(first_status(ws), 503);
  // Another address is not affected, and the held connections keep working.
  EXPECT_EQ(HttpClient(app.port(), "127.0.0.2").get("/health").status, 200);
  EXPECT_EQ(b.get("/health").status, 200);
  const std::string metrics = b.get("/metrics").body;
  EXPECT_NE(metrics.find("tiptop_connections_refused_per_address_total 2\n"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("# TYPE tiptop_connections_refused_per_address_total counter"), std::string::npos);
  // Closing one frees its place (as soon as the server has seen it close).
  a.reset();
  int status = 0;
  for (int i = 0; i < 50 && status != 200; ++i, std::this_thread::sleep_for(20ms))
    status = first_status(raw_exchange(app.port(), "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  EXPECT_EQ(status, 200);
}

TEST(Hardening, ATrustedProxyIsNotCappedPerAddress) {
  TestApp app(EngineKind::sqlite, {.env = {{"MAX_CONNECTIONS_PER_ADDRESS", "1"}, {"TRUST_PROXY", "127.0.0.1"}}});
  HttpClient a(app.port()), b(app.port()), c(app.port());
  EXPECT_EQ(a.get("/health").status, 200);
  EXPECT_EQ(b.get("/health").status, 200);
  EXPECT_EQ(c.get("/health").status, 200);
}

TEST(Hardening, ForwardedForIsBelievedOnlyFromTrustedProxies) {
  auto hits_until_limited = [](TestApp& app, const std::string& xff) {
    for (int i = 1; i <= 5; ++i)
      if (HttpClient(app.port()).request("GET", "/api/v1/menu/categories", {}, {{"X-Forwarded-For", xff}}).status ==
          429)
        return i;
    return 0;
  };
  TestApp behind_proxy(EngineKind::sqlite, {.env = {{"TRUST_PROXY", "127.0.0.1"}, {"RATE_LIMIT_MAX", "2"}}});
  EXPECT_EQ(hits_until_limited(behind_proxy, "203.0.113.5"), 3);
  EXPECT_EQ(hits_until_limited(behind_proxy, "198.51.100.7, 127.0.0.1"), 3);  // trusted hops are skipped
  TestApp exposed(EngineKind::sqlite, {.env = {{"RATE_LIMIT_MAX", "2"}}});
  EXPECT_EQ(hits_until_limited(exposed, "203.0.113.5"), 3);
  EXPECT_EQ(hits_until_limited(exposed, "203.0.113.6"), 1);  // a forged header does not buy a new budget
}

TEST(Hardening, RevokedSessionIsNotPutBackIntoTheCache) {
  auth::SessionCache cache;
  auth::SessionRecord s{"sid1", "user1", clock::now_ms() + 60000, std::nullopt, "customer", "a@b.co", true};
  cache.put(s);
  ASSERT_TRUE(cache.get("sid1"));
  cache.erase("sid1");  // logout
  cache.put(s);         // a lookup that read the row just before the logout committed
  EXPECT_FALSE(cache.get("sid1"));
}
