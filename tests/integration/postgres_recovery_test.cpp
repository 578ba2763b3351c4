// PostgreSQL restarts under a running server: /ready reports it, and the pool reconnects by itself.
#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "core/json.hpp"
#include "modules/auth/service.hpp"
#include "modules/menu/seed.hpp"
#include "support/http_client.hpp"
#include "support/test_app.hpp"

using namespace tiptop;
using namespace tiptop::testing;
using namespace std::chrono_literals;

namespace {

void pg_ctl(const std::string& action) { ASSERT_EQ(server_ctl("TIPTOP_TEST_PG_CTL", action), 0) << action; }

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

TEST(PostgresRecovery, AStatementPastTheTimeoutIsCancelledAndTheConnectionStaysUsable) {
  TIPTOP_REQUIRE_ENGINE(EngineKind::postgres);
  TestDatabase tdb(EngineKind::postgres);
  auto db = store::open_database(tdb.url(), 1, "FULL", 300);
  auto slow = [](store::Connection& c) { c.query("SELECT pg_sleep(3)"); };
  const auto started = std::chrono::steady_clock::now();
  try {
    db->read_sync(slow);
    ADD_FAILURE() << "pg_sleep(3) was not cancelled";
  } catch (const DatabaseError& e) {
    EXPECT_EQ(e.status(), 503);
    EXPECT_EQ(e.code(), "DATABASE_ERROR");
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  auto one = [](store::Connection& c) { return c.query("SELECT 1 AS n").rows.front().integer("n"); };
  EXPECT_EQ(db->read_sync(one), 1);  // the same pooled connection, still good
}

// Orders keep coming while PostgreSQL restarts: during the outage they are answered 503
// DATABASE_ERROR (never anything else, never a hang); within seconds of its return they succeed
// again; and retrying with the same Idempotency-Key never makes a second order.
TEST(PostgresRecovery, ARestartUnderOrderLoadIs503ThenRecoversWithoutDuplicates) {
  TIPTOP_REQUIRE_ENGINE(EngineKind::postgres);
  TestApp app(EngineKind::postgres, {.prepare = [](store::Database& db) { menu::seed_demo_menu(db); }});
  app.app().auth().create_account_sync({.role = "customer",
                                        .email = "asha@tiptop.in",
                                        .phone = "9800000002",
                                        .password = "kitchen-boss-2024",
                                        .first_name = "Asha"});
  const auto token =
      std::string(HttpClient(app.port())
                      .post_json("/api/v1/auth/login", R"({"email":"asha@tiptop.in","password":"kitchen-boss-2024"})")
                      .json()
                      .at("data")
                      .at("token")
                      .as_string());
  const auto naan =
      std::string(HttpClient(app.port()).get("/api/v1/menu/items/butter-naan").json().at("data").at("_id").as_string());
  const std::string body = R"({"items":[{"menuItem":")" + naan +
                           R"(","quantity":2,"customizations":[{"name":"Topping","options":["Butter"]}]}],
      "deliveryAddress":{"street":"1 MG Road","city":"Bengaluru","coordinates":[77.6,12.97]},"paymentMethod":"COD"})";

  std::atomic<bool> stop{false}, down{false};
  std::mutex m;
  std::map<std::string, std::set<std::string>> orders_of_key;  // key -> order ids answered with 201
  std::map<std::string, int> other;                            // unexpected answers: "status code"
  int refused_while_down = 0;
  std::atomic<std::int64_t> first_success_after_start_ms{-1};
  std::atomic<std::int64_t> started_at_ms{0};
  auto client = [&](int n) {
    for (int k = 0; !stop; ++k) {
      const auto key = "load-" + std::to_string(n) + "-" + std::to_string(k);
      for (int attempt = 0; attempt < 40 && !stop; ++attempt) {
        HttpResult r;
        try {
          r = HttpClient(app.port())
                  .request("POST", "/api/v1/orders", body,
                           {{"Authorization", "Bearer " + token},
                            {"Content-Type", "application/json"},
                            {"Idempotency-Key", key}});
        } catch (const std::exception&) {
          std::lock_guard lock(m);
          ++other["connection failed"];
          continue;
        }
        if (r.status == 201) {
          std::lock_guard lock(m);
          orders_of_key[key].insert(std::string(r.json().at("data").at("_id").as_string()));
          if (started_at_ms > 0 && first_success_after_start_ms < 0) first_success_after_start_ms = clock::now_ms();
          break;
        }
        const auto code = std::string(r.json().at("error").at("code").as_string());
        {
          std::lock_guard lock(m);
          if (r.status == 503 && code == "DATABASE_ERROR") ++refused_while_down;
          // A retry of a key whose first try's commit was cut off waits for it: allowed, retried.
          else if (!(r.status == 409 && code == "IDEMPOTENCY_IN_PROGRESS"))
            ++other[std::to_string(r.status) + " " + code];
        }
        std::this_thread::sleep_for(100ms);
      }
    }
  };
  std::vector<std::thread> clients;
  for (int i = 0; i < 4; ++i) clients.emplace_back(client, i);
  std::this_thread::sleep_for(1s);
  pg_ctl("stop");
  down = true;
  std::this_thread::sleep_for(2s);
  pg_ctl("start");
  started_at_ms = clock::now_ms();
  std::this_thread::sleep_for(4s);
  stop = true;
  for (auto& t : clients) t.join();

  EXPECT_TRUE(other.empty()) << [&] {
    std::string s;
    for (const auto& [what, n] : other) s += what + " ×" + std::to_string(n) + "; ";
    return s;
  }();
  EXPECT_GT(refused_while_down, 0) << "the outage was not noticed";
  ASSERT_GT(first_success_after_start_ms.load(), 0) << "no order succeeded after PostgreSQL came back";
  EXPECT_LT(first_success_after_start_ms - started_at_ms, 5000);
  std::set<std::string> answered;
  for (const auto& [key, ids] : orders_of_key) {
    EXPECT_EQ(ids.size(), 1u) << key << " made more than one order";
    answered.insert(ids.begin(), ids.end());
  }
  // Nothing in the database that a key did not account for: no duplicates, no strays.
  auto count = [](store::Connection& c) {
    return c.query("SELECT COUNT(*) AS n FROM orders").rows.front().integer("n");
  };
  auto keys = [](store::Connection& c) {
    return c.query("SELECT COUNT(*) AS n FROM idempotency_keys WHERE state = 'done'").rows.front().integer("n");
  };
  auto& db = app.app().context().db;
  const auto orders = db.read_sync(count);
  EXPECT_GE(orders, static_cast<std::int64_t>(answered.size()));
  EXPECT_EQ(orders, db.read_sync(keys));  // every order has exactly its one completed key
}
