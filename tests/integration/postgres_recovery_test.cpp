// PostgreSQL restarts under a running server: /ready reports it, and the pool reconnects by itself.
#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

#include "support/http_client.hpp"
#include "support/test_app.hpp"

using namespace tiptop;
using namespace tiptop::testing;
using namespace std::chrono_literals;

namespace {

void pg_ctl(const std::string& action) {
  const char* fmt = std::getenv("TIPTOP_TEST_PG_CTL");
  ASSERT_NE(fmt, nullptr);
  char cmd[1024];
  std::snprintf(cmd, sizeof cmd, fmt, action.c_str());
  ASSERT_EQ(std::system(cmd), 0) << cmd;
}

}  // namespace

TEST(PostgresRecovery, ReadyIs503WhileDownAndRecoversWithoutRestart) {
  TIPTOP_REQUIRE_ENGINE(EngineKind::postgres);
  TestApp app(EngineKind::postgres);
  EXPECT_EQ(HttpClient(app.port()).get("/ready").status, 200);

  pg_ctl("stop");
  auto ready = HttpClient(app.port()).get("/ready");
  EXPECT_EQ(ready.status, 503);
  auto health = HttpClient(app.port()).get("/health");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.json().at("database"), "down");

  pg_ctl("start");
  int status = 0;
  for (int i = 0; i < 50 && status != 200; ++i) {
    status = HttpClient(app.port()).get("/ready").status;
    if (status != 200) std::this_thread::sleep_for(200ms);
  }
  EXPECT_EQ(status, 200);
  EXPECT_EQ(HttpClient(app.port()).get("/health").json().at("database"), "ok");
}
