// Redis: the client against a real redis-server the test command starts (commands, a bounded
// wait, reconnection after Redis restarts), and the Socket.IO adapter: an event emitted on node A
// reaches, in order, a client connected to node B — and each node keeps serving its own clients
// while Redis is down.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_future.hpp>
#include <cstdlib>
#include <thread>

#include "cache/redis.hpp"
#include "modules/auth/service.hpp"
#include "support/http_client.hpp"
#include "support/redis_env.hpp"
#include "support/test_app.hpp"
#include "support/ws_client.hpp"

using namespace tiptop;
using namespace tiptop::testing;
using namespace std::chrono_literals;

TEST(Redis, CommandsTimeoutsAndReconnection) {
  TIPTOP_REQUIRE_REDIS();
  Harness h;
  auto settings = cache::parse_redis_url(redis_url());
  settings.timeout = 300ms;
  cache::RedisClient redis(h.io, settings);
  redis.start();
  ASSERT_TRUE(eventually([&] { return redis.connected(); }));
  EXPECT_EQ(h.run(redis, {"SET", "tiptop:test", "biryani"}).str, "OK");
  EXPECT_EQ(h.run(redis, {"GET", "tiptop:test"}).str, "biryani");
  EXPECT_EQ(h.run(redis, {"GET", "tiptop:missing"}).type, cache::RedisReply::Type::nil);
  EXPECT_EQ(h.run(redis, {"INCR", "tiptop:count"}).integer, 1);
  EXPECT_THROW(h.run(redis, {"INCR", "tiptop:test"}), cache::RedisError);  // an error reply
  // A server that does not answer: the wait is bounded.
  const auto before = std::chrono::steady_clock::now();
  EXPECT_THROW(h.run(redis, {"DEBUG", "SLEEP", "1"}), cache::RedisError);
  EXPECT_LT(std::chrono::steady_clock::now() - before, 900ms);
  std::this_thread::sleep_for(1200ms);
  EXPECT_EQ(h.run(redis, {"GET", "tiptop:test"}).str, "biryani");

  // Redis goes away: commands fail at once, nothing hangs; it comes back: so does the client.
  redis_ctl("stop");
  ASSERT_TRUE(eventually([&] { return !redis.connected(); }));
  EXPECT_THROW(h.run(redis, {"GET", "tiptop:test"}), cache::RedisError);
  redis_ctl("start");
  ASSERT_TRUE(eventually([&] { return redis.connected(); }));
  EXPECT_EQ(h.run(redis, {"SET", "tiptop:test", "again"}).str, "OK");
  redis.stop();
}

TEST(Redis, EventsEmittedOnOneNodeReachClientsOnTheOtherInOrder) {
  TIPTOP_REQUIRE_REDIS();
  // Two nodes on one database and one Redis.
  auto node_a = std::make_unique<TestApp>(EngineKind::sqlite, TestApp::Options{.env = {{"REDIS_URL", redis_url()}}});
  auto& a = *node_a;
  auto node_b = std::make_unique<TestApp>(
      EngineKind::sqlite, TestApp::Options{.env = {{"REDIS_URL", redis_url()}, {"DATABASE_URL", a.database_url()}}});
  auto& b = *node_b;
  auto user = a.app().auth().create_account_sync({.role = "customer",
                                                  .email = "asha@tiptop.in",
                                                  .phone = "9800000002",
                                                  .password = "kitchen-boss-2024",
                                                  .first_name = "Asha"});
  auto login = HttpClient(b.port()).post_json("/api/v1/auth/login",
                                              R"({"email":"asha@tiptop.in","password":"kitchen-boss-2024"})");
  ASSERT_EQ(login.status, 200) << login.body;  // signed up through node A, signed in through node B
  const auto token = std::string(login.json().at("data").at("token").as_string());
  auto client = std::make_unique<WsClient>(b.port(), token);
  auto& on_b = *client;
  std::this_thread::sleep_for(300ms);  // both subscribers are listening

  auto& emit_on_a = a.app().context().emitter;
  for (int i = 0; i < 20; ++i) emit_on_a.emit("user:" + user.id, "order:status:updated", {{"seq", i}});
  for (int i = 0; i < 20; ++i) {
    auto frame = on_b.read();
    ASSERT_TRUE(frame) << "event " << i << " did not reach node B";
    EXPECT_NE(frame->find("\"seq\":" + std::to_string(i) + "}"), std::string::npos) << *frame;
  }

  EXPECT_EQ(HttpClient(a.port()).get("/health").json().at("redis"), "ok");
  // Redis down: node B still reaches its own clients; node A's events wait for Redis to return.
  redis_ctl("stop");
  ASSERT_TRUE(eventually([&] { return HttpClient(a.port()).get("/health").json().at("redis") == "down"; }));
  auto ready = HttpClient(a.port()).get("/ready");
  EXPECT_EQ(ready.status, 200);  // the database answers: the node serves, degraded
  EXPECT_EQ(ready.json().at("redis"), "down");
  EXPECT_EQ(HttpClient(a.port()).get("/health").json().at("status"), "degraded");
  b.app().context().emitter.emit("user:" + user.id, "order:status:updated", {{"seq", 100}});
  auto local = on_b.read();
  ASSERT_TRUE(local);
  EXPECT_NE(local->find("\"seq\":100"), std::string::npos);
  emit_on_a.emit("user:" + user.id, "order:status:updated", {{"seq", 101}});  // dropped, no crash
  redis_ctl("start");
  std::this_thread::sleep_for(2500ms);  // both clients reconnect (and resubscribe) by themselves
  emit_on_a.emit("user:" + user.id, "order:status:updated", {{"seq", 102}});
  auto after = on_b.read(5000ms);
  ASSERT_TRUE(after) << "node B did not hear node A after Redis came back";
  EXPECT_EQ(HttpClient(a.port()).get("/ready").json().at("redis"), "ok");
  EXPECT_NE(after->find("\"seq\":102"), std::string::npos) << *after;
  // The nodes stop while the client is still connected (RealtimeShutdown covers that path).
  node_b.reset();
  node_a.reset();
}
