#include "realtime/engineio/session.hpp"

#include <algorithm>
#include <boost/asio/execution/context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/query.hpp>

#include "realtime/engineio/heartbeats.hpp"

namespace tiptop::realtime::eio {

const char* to_string(CloseReason r) {
  switch (r) {
    case CloseReason::client:
      return "transport close";
    case CloseReason::ping_timeout:
      return "ping timeout";
    case CloseReason::protocol_error:
      return "parse error";
    case CloseReason::slow_consumer:
      return "slow consumer";
    case CloseReason::server:
      return "server namespace disconnect";
    case CloseReason::shutdown:
      return "server shutting down";
    case CloseReason::duplicate_poll:
      return "transport error";
  }
  return "unknown";
}

Session::Session(std::string sid, const Settings& settings, boost::asio::any_io_executor home,
                 std::function<void(const std::string&)> forget)
    : sid_(std::move(sid)), settings_(settings), forget_(std::move(forget)), home_(std::move(home)) {}

bool Session::send(Frame frame) { return send(std::vector<Frame>{std::move(frame)}); }

void WakeBatch::add(const boost::asio::any_io_executor& ex, std::shared_ptr<Transport> t) {
  const void* context = &boost::asio::query(ex, boost::asio::execution::context);
  auto it = std::find_if(groups_.begin(), groups_.end(), [&](const Group& g) { return g.context == context; });
  if (it == groups_.end()) it = groups_.insert(groups_.end(), Group{context, ex, {}});
  it->transports.push_back(std::move(t));
  // Posted in slices, so the I/O threads start writing while the rest of a large room is queued.
  if (it->transports.size() >= kSlice) {
    boost::asio::post(it->executor, [ts = std::move(it->transports)] {
      for (const auto& t : ts) t->woken();
    });
    it->transports.clear();
  }
}

void WakeBatch::run() {
  for (auto& g : groups_)
    if (!g.transports.empty())
      boost::asio::post(g.executor, [ts = std::move(g.transports)] {
        for (const auto& t : ts) t->woken();
      });
  groups_.clear();
}

bool Session::send(const std::vector<Frame>& frames, WakeBatch* batch) {
  std::shared_ptr<Transport> wake;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return false;
    std::size_t bytes = 0;
    for (const auto& f : frames) bytes += f.size();
    const bool overflow = queue_.size() + frames.size() > settings_.max_queued_frames ||
                          queued_bytes_ + bytes > settings_.max_queued_bytes;
    if (!overflow) {
      queue_.insert(queue_.end(), frames.begin(), frames.end());  // the frames' bytes are shared, not copied
      queued_bytes_ += bytes;
      wake = mode_ == Mode::websocket ? ws_ : poll_;
      if (!wake) return true;  // it waits for the client's next GET
    }
  }
  if (!wake) {  // the queue would overflow: a client that does not read is let go
    close(CloseReason::slow_consumer);
    return false;
  }
  if (batch)
    wake->wake_in(*batch);
  else
    wake->wake();
  return true;
}

void Session::close(CloseReason reason) {
  std::shared_ptr<Transport> poll, ws;
  bool linger = false;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    closed_ = true;
    close_reason_ = reason;
    // Nothing more reaches a client that stopped reading or left.
    if (reason == CloseReason::slow_consumer || reason == CloseReason::client || reason == CloseReason::ping_timeout) {
      queue_.clear();
      queued_bytes_ = 0;
    }
    poll = poll_;
    // The WebSocket transport holds the session until it has sent the last frames; the session
    // lets go of the transport now, or the pair would keep each other alive if the I/O contexts
    // stop before the closing handshake ends (a client still connected at shutdown).
    ws = std::move(ws_);
    // A polling client that said goodbye with no GET waiting (its GET may be a moment behind
    // on another connection) gets one more GET answered with a noop, briefly.
    linger = reason == CloseReason::client && mode_ == Mode::polling && !poll_;
  }
  if (poll) poll->wake();
  if (ws) ws->wake();
  auto self = shared_from_this();
  boost::asio::post(home_, [self, linger] {
    if (linger)
      self->beat_at(Beat::linger, std::chrono::steady_clock::now() + self->settings_.ping_timeout);
    else
      self->due_ = {};  // the pending deadline is stale: Heartbeats drops it when it comes
  });
  if (!linger) release();
  if (listener_) listener_->on_close(reason);
}

void Session::release() {
  if (!released_.exchange(true) && forget_) forget_(sid_);
}

std::optional<CloseReason> Session::close_reason() const {
  std::lock_guard lock(mutex_);
  if (!closed_) return std::nullopt;
  return close_reason_;
}

bool Session::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

Session::Drain Session::drain(bool polling_only) {
  std::lock_guard lock(mutex_);
  Drain d;
  if (!polling_only || mode_ == Mode::polling || closed_) {
    d.frames.swap(queue_);
    queued_bytes_ = 0;
  }
  d.closed = closed_;
  d.reason = close_reason_;
  d.mode = mode_;
  return d;
}

bool Session::attach_poll(std::shared_ptr<Transport> t) {
  std::lock_guard lock(mutex_);
  if (poll_) return false;
  poll_ = std::move(t);
  return true;
}

void Session::detach_poll(const Transport* t) {
  std::lock_guard lock(mutex_);
  if (poll_.get() == t) poll_.reset();
}

bool Session::begin_upgrade() {
  std::shared_ptr<Transport> poll;
  {
    std::lock_guard lock(mutex_);
    if (closed_ || mode_ != Mode::polling) return false;
    mode_ = Mode::upgrading;
    poll = poll_;
  }
  if (poll) poll->wake();  // the waiting GET ends with a noop so the client can switch
  return true;
}

bool Session::finish_upgrade(std::shared_ptr<Transport> ws) {
  std::shared_ptr<Transport> poll;
  {
    std::lock_guard lock(mutex_);
    if (closed_ || mode_ != Mode::upgrading) return false;
    mode_ = Mode::websocket;
    ws_ = ws;
    poll = poll_;
  }
  if (poll) poll->wake();
  ws->wake();  // whatever was queued during the upgrade goes out on the WebSocket
  return true;
}

void Session::cancel_upgrade() {
  std::lock_guard lock(mutex_);
  if (mode_ == Mode::upgrading) mode_ = Mode::polling;
}

void Session::attach_websocket(std::shared_ptr<Transport> ws) {
  std::lock_guard lock(mutex_);
  mode_ = Mode::websocket;
  ws_ = std::move(ws);
}

Session::Mode Session::mode() const {
  std::lock_guard lock(mutex_);
  return mode_;
}

void Session::receive(Packet& p) {
  switch (p.type) {
    case Type::pong:
      pong_at_ = std::chrono::steady_clock::now();
      awaiting_pong_ = false;
      break;
    case Type::message:
      if (listener_) listener_->on_message(p);
      break;
    case Type::close:
      close(CloseReason::client);
      break;
    default:
      break;  // open, ping, upgrade and noop mean nothing from a client once the transport is set
  }
}

void Session::start_heartbeat() {
  auto self = shared_from_this();
  boost::asio::post(home_, [self] {
    self->beat_at(Beat::ping_next, std::chrono::steady_clock::now() + self->settings_.ping_interval);
  });
}

void Session::beat_at(Beat beat, std::chrono::steady_clock::time_point at) {
  beat_ = beat;
  due_ = at;
  Heartbeats::of(home_).schedule(shared_from_this(), at, home_);
}

// Ping every ping_interval; no pong within ping_timeout closes the session. The next ping is due
// ping_interval after the pong, as the reference server does, so the client's own timer
// (ping_interval + ping_timeout since the last ping) never fires first.
void Session::heartbeat_due(std::chrono::steady_clock::time_point at) {
  if (at != due_) return;  // superseded, or the session closed
  switch (beat_) {
    case Beat::linger:
      release();
      return;
    case Beat::ping_next:
      if (closed()) return;
      awaiting_pong_ = true;
      send(Frame::text(Type::ping));
      if (listener_) listener_->on_heartbeat();
      beat_at(Beat::pong_wait, std::chrono::steady_clock::now() + settings_.ping_timeout);
      return;
    case Beat::pong_wait:
      if (closed()) return;
      if (awaiting_pong_) {
        close(CloseReason::ping_timeout);
        return;
      }
      beat_at(Beat::ping_next, pong_at_.load() + settings_.ping_interval);
      return;
  }
}

}  // namespace tiptop::realtime::eio
