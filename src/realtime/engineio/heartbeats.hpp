#pragma once
// The heartbeat deadlines of every Engine.IO session whose home is one I/O context: one timer and a
// heap of (deadline, session) instead of a steady_timer and a pending wait per session, which an
// idle WebSocket held for its whole life (about 250 bytes of its 6 KB; issue 24).
//
// An asio service, so there is one per io_context (one per I/O thread); it is only touched on that
// context's thread: sessions post to their home executor before they schedule.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/execution_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <memory>
#include <optional>
#include <vector>

namespace tiptop::realtime::eio {

class Session;

class Heartbeats final : public boost::asio::execution_context::service {
 public:
  using Clock = std::chrono::steady_clock;
  static inline boost::asio::execution_context::id id;

  explicit Heartbeats(boost::asio::execution_context& context) : service(context) {}

  // The one for the context of `home`.
  static Heartbeats& of(const boost::asio::any_io_executor& home);

  // Calls session->heartbeat_due(at) at `at` (or soon after), unless the session is gone by then.
  // Home thread only.
  void schedule(const std::shared_ptr<Session>& session, Clock::time_point at,
                const boost::asio::any_io_executor& home);

  std::size_t pending() const { return heap_.size(); }

 private:
  struct Entry {
    Clock::time_point at;
    std::weak_ptr<Session> session;
  };
  void shutdown() override;
  void arm(const boost::asio::any_io_executor& home);
  void fire();

  std::vector<Entry> heap_;  // a min-heap on `at`
  std::optional<boost::asio::steady_timer> timer_;
  Clock::time_point armed_for_ = Clock::time_point::max();
  bool firing_ = false;
};

}  // namespace tiptop::realtime::eio
