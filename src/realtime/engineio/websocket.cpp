// The WebSocket transport. A coroutine validates and accepts the upgrade, then ends (and with it
// the HTTP connection's coroutine and buffers); reads and writes are plain completion chains
// woken by posts, with no timer and no buffer held while idle, which keeps a connection small.
#include <array>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket.hpp>

#include "http/upgrade.hpp"
#include "realtime/engineio/server.hpp"

namespace tiptop::realtime::eio {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;

namespace {

class WsTransport final : public Transport, public std::enable_shared_from_this<WsTransport> {
 public:
  // The bare socket, not the HTTP connection's tcp_stream: the WebSocket keeps its own timer for
  // the handshake, and tcp_stream's state (600 bytes) was held by every idle connection (issue 24).
  explicit WsTransport(beast::tcp_stream&& s) : ws(s.release_socket()) {}

  void wake() override {
    if (wake_posted_.exchange(true)) return;
    asio::post(ws.get_executor(), [self = shared_from_this()] { self->woken(); });
  }

  void wake_in(WakeBatch& batch) override {
    if (wake_posted_.exchange(true)) return;
    try {
      batch.add(ws.get_executor(), shared_from_this());
    } catch (...) {
      wake_posted_ = false;  // (out of memory) not queued, so a later wake must post again
      throw;
    }
  }

  void woken() override {
    wake_posted_ = false;
    on_wake();
  }

  // Executor thread only from here on.
  void on_wake() {
    const auto reason = held_ ? held_->close_reason() : std::optional<CloseReason>(CloseReason::server);
    // A client that stopped reading has a write stuck in flight: cut it off instead of waiting.
    if (reason && writing_ && (*reason == CloseReason::slow_consumer || *reason == CloseReason::shutdown)) {
      beast::error_code ec;
      ws.next_layer().close(ec);
      return;
    }
    pump();
  }

  // Frames written before the upgrade completes ("3probe"), outside the session's queue.
  void write_direct(Frame f) {
    out_.push_back(std::move(f));
    pump();
  }

  void pump() {
    if (writing_ || closing_) return;
    if (next_ == out_.size()) {
      out_.clear();
      next_ = 0;
      if (!attached) return;
      if (!held_) return start_close();
      auto d = held_->drain();
      out_ = std::move(d.frames);
      if (out_.empty()) {
        if (d.closed) start_close();
        return;
      }
    }
    writing_ = true;
    const Frame& f = out_[next_];
    ws.text(!f.binary);
    ws.async_write(asio::buffer(*f.bytes), [self = shared_from_this()](beast::error_code ec, std::size_t) {
      self->writing_ = false;
      ++self->next_;
      if (ec) {
        self->failed();
        return;
      }
      self->pump();
    });
  }

  void start_close() {
    if (closing_) return;
    closing_ = true;
    ws.async_close(websocket::close_code::normal, [self = shared_from_this()](beast::error_code) {});
  }

  void failed() {
    closing_ = true;
    beast::error_code ec;
    ws.next_layer().close(ec);
  }

  // Reads messages until the connection ends. A completion chain rather than a coroutine, reading
  // into a small chunk inside this object: a whole-message read (async_read into a dynamic buffer)
  // reserves its 1.5 KB before any byte arrives, and every idle connection held one (issue 24).
  // The message is gathered in message_, which is released after each one.
  void start_reading(std::shared_ptr<Session> s) {
    held_ = std::move(s);
    read_next();
  }

  websocket::stream<asio::ip::tcp::socket> ws;
  bool attached = false;  // the session's transport (after "5", or opened over WebSocket)

 private:
  void read_next() {
    ws.async_read_some(asio::buffer(chunk_), [self = shared_from_this()](beast::error_code ec, std::size_t n) {
      if (ec) return self->finish_reading();
      self->message_.append(self->chunk_.data(), n);
      // Beast refuses a frame over read_message_max; a message of many frames is bounded here.
      if (self->message_.size() > self->ws.read_message_max()) return self->finish_reading();
      if (self->ws.is_message_done() && !self->on_frame()) return self->finish_reading();
      self->read_next();
    });
  }

  // One frame; false ends the connection.
  bool on_frame() {
    auto& s = held_;
    Packet p;
    std::string message;
    message.swap(message_);  // the connection keeps no buffer between messages
    if (ws.got_binary()) {
      p = Packet{Type::message, std::move(message), true};
    } else {
      auto decoded = decode_text(message);
      if (!decoded) {
        if (attached) s->close(CloseReason::protocol_error);
        return false;
      }
      p = std::move(*decoded);
    }

    if (!attached) {  // the upgrade handshake: 2probe -> 3probe, then 5
      if (p.type == Type::ping && p.data == "probe" && !p.binary && s->begin_upgrade()) {
        write_direct(Frame::text(Type::pong, "probe"));
        return true;
      }
      if (p.type == Type::upgrade && s->finish_upgrade(shared_from_this())) {
        attached = true;
        pump();
        return true;
      }
      return false;
    }
    s->receive(p);
    return true;
  }

  // The client left, broke the protocol, or completed our close handshake.
  void finish_reading() {
    if (auto s = std::move(held_)) {  // also breaks the session <-> transport cycle
      if (attached)
        s->close(CloseReason::client);
      else
        s->cancel_upgrade();
    }
    failed();
  }

  std::array<char, 64> chunk_;  // a pong in one read; an event in a few, from what Beast has buffered
  std::string message_;
  std::shared_ptr<Session> held_;  // from the start of reading to its end (which breaks the cycle)
  std::atomic<bool> wake_posted_{false};
  bool writing_ = false, closing_ = false;
  std::vector<Frame> out_;
  std::size_t next_ = 0;
};

constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

}  // namespace

asio::awaitable<void> Server::websocket(http::Request& req, http::Upgrade& up) {
  const auto eio = req.query_param("EIO");
  const auto transport = req.query_param("transport");
  const auto sid = req.query_param("sid");
  std::shared_ptr<Session> existing;
  if (sid) existing = find(std::string(*sid));
  const char* refusal = nullptr;
  if (!eio || *eio != "4")
    refusal = R"({"code":5,"message":"Unsupported protocol version"})";
  else if (!transport || *transport != "websocket")
    refusal = R"({"code":0,"message":"Transport unknown"})";
  else if (sid && !existing)
    refusal = R"({"code":1,"message":"Session ID unknown"})";
  else if (stopping_)
    refusal = R"({"code":3,"message":"Bad request"})";
  if (refusal) {
    beast::http::response<beast::http::string_body> res{beast::http::status::bad_request, up.head.version()};
    res.set(beast::http::field::content_type, "application/json");
    res.set(beast::http::field::connection, "close");
    res.body() = refusal;
    res.prepare_payload();
    up.stream.expires_after(std::chrono::seconds(10));
    co_await beast::http::async_write(up.stream, res, kTuple);
    beast::error_code ec;
    up.stream.socket().shutdown(asio::ip::tcp::socket::shutdown_both, ec);
    co_return;
  }

  auto t = std::make_shared<WsTransport>(std::move(up.stream));
  auto& ws = t->ws;
  websocket::stream_base::timeout timeouts{};
  timeouts.handshake_timeout = std::chrono::seconds(10);   // also bounds the closing handshake
  timeouts.idle_timeout = websocket::stream_base::none();  // Engine.IO's heartbeat watches liveness
  timeouts.keep_alive_pings = false;
  ws.set_option(timeouts);
  ws.read_message_max(settings_.max_payload);  // a bigger frame or message closes the connection
  ws.auto_fragment(false);
  ws.write_buffer_bytes(256);
  {
    auto [ec] = co_await ws.async_accept(up.head, kTuple);
    if (ec) co_return;
  }
  std::shared_ptr<Session> s = existing;
  if (s && s->mode() != Session::Mode::polling) {
    // This sid already upgraded (or is upgrading) elsewhere.
    co_await ws.async_close(websocket::close_code::policy_error, kTuple);
    co_return;
  }
  if (!s) {
    s = open_session(ws.get_executor());
    t->attached = true;
    s->attach_websocket(t);
    s->send(Frame::text(Type::open, handshake(s->id(), false)));
    if (on_open_) on_open_(s, req);
    s->start_heartbeat();
  }  // else probing: the session stays on polling until "5"

  t->start_reading(std::move(s));  // the HTTP connection's coroutine ends here; the transport lives on
}

}  // namespace tiptop::realtime::eio
