#include "realtime/engineio/heartbeats.hpp"

#include <algorithm>
#include <boost/asio/execution/context.hpp>
#include <boost/asio/query.hpp>

#include "realtime/engineio/session.hpp"

namespace tiptop::realtime::eio {
namespace asio = boost::asio;

namespace {
struct Later {
  template <class E>
  bool operator()(const E& a, const E& b) const {
    return a.at > b.at;
  }
};
}  // namespace

Heartbeats& Heartbeats::of(const asio::any_io_executor& home) {
  return asio::use_service<Heartbeats>(asio::query(home, asio::execution::context));
}

void Heartbeats::schedule(const std::shared_ptr<Session>& session, Clock::time_point at,
                          const asio::any_io_executor& home) {
  heap_.push_back({at, session});
  std::push_heap(heap_.begin(), heap_.end(), Later{});
  if (!firing_ && at < armed_for_) arm(home);
}

void Heartbeats::arm(const asio::any_io_executor& home) {
  if (heap_.empty()) return;  // a wait still pending finds nothing and ends
  const auto next = heap_.front().at;
  if (next == armed_for_) return;
  if (!timer_) timer_.emplace(home);
  armed_for_ = next;
  // Moving the expiry cancels the wait in flight: its handler runs with operation_aborted.
  timer_->expires_at(next);
  timer_->async_wait([this](const boost::system::error_code& ec) {
    if (!ec) fire();
  });
}

void Heartbeats::fire() {
  armed_for_ = Clock::time_point::max();
  firing_ = true;
  struct Done {
    bool& firing;
    ~Done() { firing = false; }
  } done{firing_};
  const auto now = Clock::now();
  while (!heap_.empty() && heap_.front().at <= now) {
    std::pop_heap(heap_.begin(), heap_.end(), Later{});
    auto entry = std::move(heap_.back());
    heap_.pop_back();
    // A closed session's entry only holds a weak reference, dropped here at its time.
    if (auto s = entry.session.lock()) s->heartbeat_due(entry.at);
  }
  firing_ = false;  // (Done does it too, should a session throw)
  if (heap_.size() * 4 < heap_.capacity() && heap_.capacity() > 1024) heap_.shrink_to_fit();
  arm(timer_->get_executor());
}

void Heartbeats::shutdown() {
  timer_.reset();
  heap_.clear();
}

}  // namespace tiptop::realtime::eio
