// DATABASE_REPLICA_URL against a real hot standby the test command streams from its PostgreSQL
// (scripts/test-pg.sh replica): reports read there — shown by pausing the standby's replay, when a
// new customer is missing from the report until replay resumes — and fall back to the primary
// while the standby is down.
#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

#include "modules/auth/service.hpp"
#include "support/http_client.hpp"
#include "support/test_app.hpp"

using namespace tiptop;
using namespace tiptop::testing;
using namespace std::chrono_literals;

namespace {

std::string replica_base_url() {
  const char* url = std::getenv("TIPTOP_TEST_PG_REPLICA_URL");
  return url ? url : "";
}

void replica_ctl(const std::string& action) {
  ASSERT_EQ(server_ctl("TIPTOP_TEST_PG_REPLICA_CTL", action), 0) << action;
}

// The same database on the standby: postgres://…:<replica port>/<the test database's name>.
std::string on_replica(const std::string& primary_url) {
  const auto base = replica_base_url();
  return base.substr(0, base.rfind('/')) + primary_url.substr(primary_url.rfind('/'));
}

void on_standby(const std::string& url, const std::string& sql) {
  auto db = store::open_database(url, 1, "FULL");
  auto run = [&](store::Connection& c) { c.query(sql); };
  db->read_sync(run);
}

}  // namespace

TEST(PostgresReplica, ReportsReadFromTheReplicaAndFallBackToThePrimaryWhenItIsDown) {
  TIPTOP_REQUIRE_ENGINE(EngineKind::postgres);
  if (replica_base_url().empty()) {
    if (pg_required()) FAIL() << "TIPTOP_TEST_PG_REPLICA_URL is unset";
    GTEST_SKIP() << "no replica configured";
  }
  TestDatabase primary(EngineKind::postgres);
  const auto replica = on_replica(primary.url());
  // The standby has the new database once it has replayed its creation.
  for (int i = 0; i < 100; ++i) {
    try {
      on_standby(replica, "SELECT 1");
      break;
    } catch (const std::exception&) {
      std::this_thread::sleep_for(50ms);
    }
  }
  TestApp app(EngineKind::postgres,
              TestApp::Options{.env = {{"DATABASE_URL", primary.url()}, {"DATABASE_REPLICA_URL", replica}}});
  app.app().auth().create_account_sync(
      {.role = "admin", .email = "chef@tiptop.in", .phone = "9800000001", .password = "kitchen-boss-2024"});
  HttpClient http(app.port());
  auto login = http.post_json("/api/v1/auth/login", R"({"email":"chef@tiptop.in","password":"kitchen-boss-2024"})");
  ASSERT_EQ(login.status, 200) << login.body;
  const auto admin = std::string(login.json().at("data").at("token").as_string());
  auto customers = [&] {
    auto r = HttpClient(app.port()).call("GET", "/api/v1/admin/customers/stats", admin);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? r.json().at("data").at("totalCustomers").as_int64() : -1;
  };
  auto registered = [&](const std::string& email, const std::string& phone) {
    auto r = HttpClient(app.port())
                 .post_json("/api/v1/auth/register", R"({"email":")" + email + R"(","phone":")" + phone +
                                                         R"(","password":"Asha-2024-secret","firstName":"Asha"})");
    EXPECT_EQ(r.status, 201) << r.body;
  };
  ASSERT_TRUE([&] {
    for (int i = 0; i < 100; ++i, std::this_thread::sleep_for(50ms))
      if (customers() == 0) return true;
    return false;
  }());

  // Replay paused: the primary has the new customer, the report (from the standby) does not yet.
  on_standby(replica, "SELECT pg_wal_replay_pause()");
  registered("asha@example.test", "9800000002");
  std::this_thread::sleep_for(300ms);
  EXPECT_EQ(customers(), 0) << "the report did not come from the replica";
  on_standby(replica, "SELECT pg_wal_replay_resume()");
  bool caught_up = false;
  for (int i = 0; i < 100 && !caught_up; ++i, std::this_thread::sleep_for(50ms)) caught_up = customers() == 1;
  EXPECT_TRUE(caught_up);

  // The standby down: reports come from the primary, up to date.
  replica_ctl("stop");
  registered("ravi@example.test", "9800000003");
  EXPECT_EQ(customers(), 2);
  replica_ctl("start");
}
