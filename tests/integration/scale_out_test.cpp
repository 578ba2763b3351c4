// Two nodes on one database and one real Redis, as production runs them behind nginx: the shared
// menu cache under the spec §4.1 keys, menu and settings edits on one node visible on the other's
// next read, sessions (login on one, logout on the other), the login limit counted across nodes —
// and what each does while Redis is down and after it returns.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "modules/auth/service.hpp"
#include "modules/menu/seed.hpp"
#include "support/api.hpp"
#include "support/http_client.hpp"
#include "support/redis_env.hpp"
#include "support/test_app.hpp"

using namespace tiptop;
using namespace tiptop::testing;
using namespace std::chrono_literals;
namespace bj = boost::json;

namespace {

class TwoNodes : public ::testing::Test {
 protected:
  void SetUp() override {
    TIPTOP_REQUIRE_REDIS();
    redis_.start();
    ASSERT_TRUE(eventually([&] { return redis_.connected(); }));
    h_.run(redis_, {"FLUSHDB"});  // counters and entries of earlier tests must not count here
    const Environment env = {{"REDIS_URL", redis_url()}, {"AUTH_RATE_LIMIT_MAX", "3"}};
    a_ = std::make_unique<TestApp>(EngineKind::sqlite, TestApp::Options{.env = env, .prepare = [](store::Database& db) {
                                                                          menu::seed_demo_menu(db);
                                                                        }});
    auto env_b = env;
    env_b["DATABASE_URL"] = a_->database_url();
    b_ = std::make_unique<TestApp>(EngineKind::sqlite, TestApp::Options{.env = env_b});
    a_->app().auth().create_account_sync(
        {.role = "admin", .email = "chef@tiptop.in", .phone = "9800000001", .password = "kitchen-boss-2024"});
    a_->app().auth().create_account_sync(
        {.role = "customer", .email = "asha@tiptop.in", .phone = "9800000002", .password = "kitchen-boss-2024"});
    ASSERT_TRUE(eventually([&] {
      return HttpClient(a_->port()).get("/ready").json().at("redis") == "ok" &&
             HttpClient(b_->port()).get("/ready").json().at("redis") == "ok";
    }));
    std::this_thread::sleep_for(200ms);  // both subscribers are listening
  }
  void TearDown() override {
    b_.reset();
    a_.reset();
    redis_.stop();
  }

  static bj::value get(TestApp& node, const std::string& target) {
    auto r = HttpClient(node.port()).get(target);
    EXPECT_EQ(r.status, 200) << target << " " << r.body;
    return r.json();
  }
  cache::RedisReply redis(std::vector<std::string> args) { return h_.run(redis_, std::move(args)); }

  Harness h_;
  cache::RedisClient redis_{h_.io, cache::parse_redis_url(redis_url())};
  std::unique_ptr<TestApp> a_, b_;
};

TEST_F(TwoNodes, TheMenuIsCachedUnderTheSpecKeysAndAnEditOnOneNodeShowsOnTheOthersNextRead) {
  // A renders, B reads A's rendering from Redis (meta.cached) instead of rendering its own.
  const auto first = get(*a_, "/api/v1/menu/items");
  EXPECT_FALSE(first.at("meta").at("cached").as_bool());
  const auto id = str(first.at("data").as_array().at(0).at("_id"));
  EXPECT_FALSE(get(*a_, "/api/v1/menu/items/" + id).at("meta").at("cached").as_bool());
  EXPECT_TRUE(get(*b_, "/api/v1/menu/items/" + id).at("meta").at("cached").as_bool());
  EXPECT_TRUE(get(*b_, "/api/v1/menu/items").at("meta").at("cached").as_bool());
  get(*a_, "/api/v1/menu/popular");
  get(*a_, "/api/v1/menu/search?q=biryani");
  get(*a_, "/api/v1/menu/items?category=Biryani");
  for (const std::string& key : std::vector<std::string>{"menu:all", "menu:item:" + id, "menu:popular",
                                                         "menu:search:biryani", "menu:category:biryani"}) {
    auto ttl = redis({"TTL", key});
    EXPECT_GT(ttl.integer, key == "menu:search:biryani" ? 500 : 3500) << key;  // spec §4.1: 1 hour, search 10 minutes
    EXPECT_LE(ttl.integer, key == "menu:search:biryani" ? 600 : 3600) << key;
  }

  // An edit through A: B's very next read shows it. A answers once B has reloaded its snapshot
  // (B acknowledges the bus message); the stale renderings in Redis carry the old menu's ETag.
  const auto admin = login(a_->port(), "chef@tiptop.in");
  auto edit = HttpClient(a_->port()).call("PUT", "/api/v1/admin/menu/items/" + id, admin, R"({"price":333})");
  ASSERT_EQ(edit.status, 200) << edit.body;
  EXPECT_EQ(get(*b_, "/api/v1/menu/items/" + id).at("data").at("price"), 333);
  EXPECT_EQ(get(*b_, "/api/v1/menu/items").at("data").as_array().at(0).at("price"), 333);
  EXPECT_EQ(get(*a_, "/api/v1/menu/items/" + id).at("data").at("price"), 333);

  // Settings too: saved through B, read through A.
  auto settings = HttpClient(b_->port()).call("PUT", "/api/v1/admin/settings", admin, R"({"minimumOrderAmount":275})");
  ASSERT_EQ(settings.status, 200) << settings.body;
  EXPECT_EQ(get(*a_, "/api/v1/settings").at("data").at("minimumOrderAmount"), 275);
}

TEST_F(TwoNodes, ASessionOpenedOnOneNodeWorksOnTheOtherAndALogoutEndsItOnBoth) {
  auto signed_in = sign_in(a_->port(), "asha@tiptop.in");
  ASSERT_EQ(signed_in.status, 200);
  const auto tok = str(signed_in.json().at("data").at("token"));
  EXPECT_EQ(HttpClient(b_->port()).call("GET", "/api/v1/users/me", tok).status, 200);
  EXPECT_EQ(HttpClient(a_->port()).call("GET", "/api/v1/users/me", tok).status, 200);  // both now hold it in memory
  auto keys = redis({"KEYS", "session:*"});
  ASSERT_EQ(keys.elements.size(), 1u);
  const auto stored = redis({"GET", keys.elements[0].str}).str;
  EXPECT_NE(stored.find("\"active\":true"), std::string::npos) << stored;
  EXPECT_LE(redis({"TTL", keys.elements[0].str}).integer, 86400);

  ASSERT_EQ(HttpClient(b_->port()).call("POST", "/api/v1/auth/logout", tok).status, 200);
  // A held the session in memory; B answered the logout once A had dropped it.
  EXPECT_EQ(HttpClient(a_->port()).call("GET", "/api/v1/users/me", tok).status, 401);
  EXPECT_EQ(HttpClient(b_->port()).call("GET", "/api/v1/users/me", tok).status, 401);
  EXPECT_EQ(redis({"GET", keys.elements[0].str}).str, R"({"revoked":true})");  // a tombstone, not a gap to refill
}

TEST_F(TwoNodes, TheLoginLimitCountsAcrossNodesAndFailsClosedWhileRedisIsDown) {
  // AUTH_RATE_LIMIT_MAX=3 per IP and account: the attempts alternate between the nodes.
  EXPECT_EQ(sign_in(a_->port(), "asha@tiptop.in", "wrong-password-1").status, 401);
  EXPECT_EQ(sign_in(b_->port(), "asha@tiptop.in", "wrong-password-2").status, 401);
  EXPECT_EQ(sign_in(a_->port(), "asha@tiptop.in", "wrong-password-3").status, 401);
  auto fourth = sign_in(b_->port(), "asha@tiptop.in", "kitchen-boss-2024");
  EXPECT_EQ(fourth.status, 429) << fourth.body;
  EXPECT_EQ(fourth.json().at("error").at("code"), "RATE_LIMITED");
  EXPECT_EQ(redis({"KEYS", "rate:login:*"}).elements.size(), 1u);
  // Every API request was counted once, in one window shared by both nodes.
  EXPECT_GE(std::stol(redis({"GET", "rate:api:127.0.0.1"}).str), 4);
  const auto admin = login(a_->port(), "chef@tiptop.in");  // another account: its own budget
  const auto id = str(get(*a_, "/api/v1/menu/items").at("data").as_array().at(0).at("_id"));
  get(*b_, "/api/v1/menu/items/" + id);

  redis_ctl("stop");
  ASSERT_TRUE(eventually([&] { return HttpClient(a_->port()).get("/health").json().at("redis") == "down"; }));
  // Logins are refused rather than counted nowhere…
  auto refused = sign_in(a_->port(), "chef@tiptop.in");
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(refused.json().at("error").at("code"), "SERVICE_ERROR");
  // …while everything else works from the database and each node's memory.
  EXPECT_EQ(get(*b_, "/api/v1/menu/items").at("data").as_array().size(),
            get(*a_, "/api/v1/menu/items").at("data").as_array().size());
  EXPECT_EQ(get(*b_, "/api/v1/menu/search?q=paneer").at("success"), true);
  EXPECT_EQ(HttpClient(b_->port()).call("GET", "/api/v1/users/me", admin).status, 200);
  // A menu edit made meanwhile reaches the other node once Redis is back (it resyncs).
  auto edit = HttpClient(a_->port())
                  .call("PATCH", "/api/v1/admin/menu/items/" + id + "/availability", admin, R"({"isAvailable":false})");
  ASSERT_EQ(edit.status, 200) << edit.body;
  EXPECT_EQ(get(*a_, "/api/v1/menu/items/" + id).at("data").at("isAvailable"), false);

  redis_ctl("start");
  EXPECT_TRUE(eventually([&] { return sign_in(a_->port(), "chef@tiptop.in").status == 200; }, 15s));
  EXPECT_TRUE(
      eventually([&] { return get(*b_, "/api/v1/menu/items/" + id).at("data").at("isAvailable") == false; }, 10s));
  EXPECT_EQ(HttpClient(a_->port()).get("/ready").json().at("redis"), "ok");
}

}  // namespace
