// An Engine.IO session's heartbeat on its context's shared timer (Heartbeats), and WakeBatch's one
// post per I/O context: the parts of the transport path that are not the wire protocol.
#include <gtest/gtest.h>

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <memory>
#include <thread>

#include "realtime/engineio/heartbeats.hpp"
#include "realtime/engineio/session.hpp"

using namespace tiptop::realtime;
using namespace std::chrono_literals;

namespace {

// Answers the session's pings (as a client would) while running its context for `span`; returns
// how many it answered.
int answer_pings(boost::asio::io_context& ioc, eio::Session& s, std::chrono::milliseconds span, bool answer) {
  int pings = 0;
  const auto until = std::chrono::steady_clock::now() + span;
  while (std::chrono::steady_clock::now() < until) {
    ioc.run_for(2ms);
    for (const auto& f : s.drain().frames)
      if (f.bytes && *f.bytes == "2") {
        ++pings;
        eio::Packet pong{eio::Type::pong, "", false};
        if (answer) s.receive(pong);
      }
  }
  return pings;
}

}  // namespace

TEST(RealtimeHeartbeat, PingsWhileAnsweredClosesOnSilenceAndLeavesNothingBehind) {
  boost::asio::io_context ioc;
  eio::Settings settings;
  // Wide enough that a test thread descheduled for a while on a busy machine changes nothing.
  settings.ping_interval = 40ms;
  settings.ping_timeout = 120ms;
  int forgotten = 0, quiet_forgotten = 0, closer_forgotten = 0;
  auto talker =
      std::make_shared<eio::Session>("talker", settings, ioc.get_executor(), [&](const std::string&) { ++forgotten; });
  auto quiet = std::make_shared<eio::Session>("quiet", settings, ioc.get_executor(),
                                              [&](const std::string&) { ++quiet_forgotten; });
  auto closer = std::make_shared<eio::Session>("closer", settings, ioc.get_executor(),
                                               [&](const std::string&) { ++closer_forgotten; });
  talker->start_heartbeat();
  quiet->start_heartbeat();
  closer->start_heartbeat();
  ioc.run_for(5ms);
  // Closed by the server while its first ping is pending: that deadline is now stale.
  closer->close(eio::CloseReason::server);
  EXPECT_EQ(closer_forgotten, 1);

  // All on one timer: the one that answers stays, the one that does not is closed after one ping.
  const int pings = answer_pings(ioc, *talker, 400ms, true);
  EXPECT_GE(pings, 4);  // one 40 ms after each pong: about 9 in 400 ms on a quiet machine
  EXPECT_FALSE(talker->closed());
  EXPECT_EQ(quiet->close_reason(), eio::CloseReason::ping_timeout);
  EXPECT_EQ(quiet_forgotten, 1);
  EXPECT_EQ(closer->close_reason(), eio::CloseReason::server);  // its stale deadline did nothing

  // Silence closes the talker too, within one interval and one timeout.
  answer_pings(ioc, *talker, 300ms, false);
  EXPECT_EQ(talker->close_reason(), eio::CloseReason::ping_timeout);
  EXPECT_EQ(forgotten, 1);

  // Closed sessions' deadlines are dropped when they come: the context's heap is empty again.
  ioc.run_for(200ms);
  EXPECT_EQ(eio::Heartbeats::of(ioc.get_executor()).pending(), 0u);
}

namespace {
struct CountingTransport final : eio::Transport {
  explicit CountingTransport(boost::asio::io_context& c) : home(c) {}
  void wake() override { ++direct; }
  void wake_in(eio::WakeBatch& batch) override { batch.add(home.get_executor(), self.lock()); }
  void woken() override {
    ++batched;
    ran_on_home = ran_on_home && home.get_executor().running_in_this_thread();
  }
  boost::asio::io_context& home;
  std::weak_ptr<CountingTransport> self;
  int direct = 0, batched = 0;
  bool ran_on_home = true;
};
}  // namespace

TEST(RealtimeWakeBatch, EveryTransportIsWokenOnceOnItsOwnContext) {
  boost::asio::io_context a, b;
  std::vector<std::shared_ptr<CountingTransport>> transports;
  for (int i = 0; i < 301; ++i) {  // more than a slice (128) on each context
    auto t = std::make_shared<CountingTransport>(i % 2 ? a : b);
    t->self = t;
    transports.push_back(t);
  }
  {
    eio::WakeBatch batch;
    for (auto& t : transports) t->wake_in(batch);
  }  // the rest is posted here
  // Only a's transports run on this thread now, in two posts: a slice of 128 posted as it filled,
  // and the other 22 when the batch ended.
  EXPECT_EQ(a.run(), 2u);
  for (const auto& t : transports) EXPECT_EQ(t->batched, &t->home == &a ? 1 : 0);
  std::size_t b_handlers = 0;
  std::thread other([&] { b_handlers = b.run(); });
  other.join();
  EXPECT_EQ(b_handlers, 2u);  // 151 of them: 128, then 23
  for (const auto& t : transports) {
    EXPECT_EQ(t->batched, 1);
    EXPECT_EQ(t->direct, 0);
    EXPECT_TRUE(t->ran_on_home);
  }
}
