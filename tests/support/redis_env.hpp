#pragma once
// The Redis the test command starts (TIPTOP_TEST_REDIS_URL), how to stop and start it
// (TIPTOP_TEST_REDIS_CTL, a printf format taking "stop" or "start"), and a client harness.
#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_future.hpp>
#include <chrono>
#include <cstdlib>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include "cache/redis.hpp"
#include "support/test_env.hpp"

namespace tiptop::testing {

inline std::string redis_url() {
  const char* url = std::getenv("TIPTOP_TEST_REDIS_URL");
  return url ? url : "";
}

// Required wherever PostgreSQL is (the test command starts both); skipped in a bare ctest run.
#define TIPTOP_REQUIRE_REDIS()                                                          \
  do {                                                                                  \
    if (::tiptop::testing::redis_url().empty()) {                                       \
      if (::tiptop::testing::pg_required()) FAIL() << "TIPTOP_TEST_REDIS_URL is unset"; \
      GTEST_SKIP() << "no Redis configured (TIPTOP_TEST_REDIS_URL)";                    \
    }                                                                                   \
  } while (0)

inline void redis_ctl(const std::string& action) {
  ASSERT_EQ(server_ctl("TIPTOP_TEST_REDIS_CTL", action), 0) << action;
}

// A client on its own I/O thread, as the server runs it.
struct Harness {
  boost::asio::io_context io;
  std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> guard{io.get_executor()};
  std::thread thread{[this] { io.run(); }};
  ~Harness() {
    guard.reset();
    thread.join();
  }
  cache::RedisReply run(cache::RedisClient& c, std::vector<std::string> args) {
    auto task = [&c, args]() -> boost::asio::awaitable<cache::RedisReply> { co_return co_await c.command(args); };
    return boost::asio::co_spawn(io, task(), boost::asio::use_future).get();
  }
};

inline bool eventually(const std::function<bool()>& ok, std::chrono::milliseconds within = std::chrono::seconds(10)) {
  const auto deadline = std::chrono::steady_clock::now() + within;
  while (std::chrono::steady_clock::now() < deadline) {
    if (ok()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return ok();
}

}  // namespace tiptop::testing
