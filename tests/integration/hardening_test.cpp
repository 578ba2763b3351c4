// Defences found in review: bodies are not read for anonymous requests to protected routes,
// connections are capped, and client IPs come from X-Forwarded-For only behind a trusted proxy.
#include <gtest/gtest.h>

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
