#include "realtime/engineio/session.hpp"

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
    : sid_(std::move(sid)), settings_(settings), forget_(std::move(forget)), heartbeat_(std::move(home)) {}

bool Session::send(Frame frame) { return send(std::vector<Frame>{std::move(frame)}); }

bool Session::send(const std::vector<Frame>& frames) {
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
  boost::asio::post(heartbeat_.get_executor(), [self, linger] {
    self->heartbeat_.cancel();
    if (!linger) return;
    self->heartbeat_.expires_after(self->settings_.ping_timeout);
    self->heartbeat_.async_wait([self](const boost::system::error_code&) { self->release(); });
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
  boost::asio::post(heartbeat_.get_executor(), [self] { self->schedule_ping(std::chrono::steady_clock::now()); });
}

// Ping every ping_interval; no pong within ping_timeout closes the session. The next ping is due
// ping_interval after the pong, as the reference server does, so the client's own timer
// (ping_interval + ping_timeout since the last ping) never fires first.
void Session::schedule_ping(std::chrono::steady_clock::time_point from) {
  heartbeat_.expires_at(from + settings_.ping_interval);
  heartbeat_.async_wait([self = shared_from_this()](const boost::system::error_code& ec) {
    if (ec || self->closed()) return;
    self->awaiting_pong_ = true;
    self->send(Frame::text(Type::ping));
    if (self->listener_) self->listener_->on_heartbeat();
    self->heartbeat_.expires_after(self->settings_.ping_timeout);
    self->heartbeat_.async_wait([self](const boost::system::error_code& ec2) {
      if (ec2 || self->closed()) return;
      if (self->awaiting_pong_) {
        self->close(CloseReason::ping_timeout);
        return;
      }
      self->schedule_ping(self->pong_at_.load());
    });
  });
}

}  // namespace tiptop::realtime::eio
