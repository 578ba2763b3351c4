#include "realtime/engineio/server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/crypto.hpp"
#include "core/json.hpp"

namespace tiptop::realtime::eio {
namespace asio = boost::asio;

namespace {

// Engine.IO's own error answers (not the REST envelope): the clients read these codes.
http::Response protocol_error(int code, const char* message) {
  return http::raw_json(boost::json::object{{"code", code}, {"message", message}}, 400);
}

http::Response text(std::string body, const char* content_type = "text/plain; charset=UTF-8") {
  http::Response r;
  r.body = std::move(body);
  r.content_type = content_type;
  return r;
}

// A GET waiting for packets. The session wakes it from any thread by posting to its executor.
class PollWaiter final : public Transport, public std::enable_shared_from_this<PollWaiter> {
 public:
  explicit PollWaiter(asio::any_io_executor ex) : timer(std::move(ex)) {}
  void wake() override {
    asio::post(timer.get_executor(), [self = shared_from_this()] { self->timer.cancel(); });
  }
  asio::steady_timer timer;
};

// Registers a waiting GET; a second GET at once means a broken client or a stolen sid: the
// session is closed and nothing is returned.
std::shared_ptr<PollWaiter> attach_waiter(Session& s, asio::any_io_executor ex) {
  auto waiter = std::make_shared<PollWaiter>(std::move(ex));
  if (s.attach_poll(waiter)) return waiter;
  s.close(CloseReason::duplicate_poll);
  return nullptr;
}

std::string answer_for(Session::Drain& d) {
  if (d.closed) {
    // A client that asked to close gets a noop; otherwise what was queued, then the close packet.
    if (d.reason == CloseReason::client) return "6";
    d.frames.push_back(Frame::text(Type::close));
  }
  if (d.frames.empty()) return "6";
  return encode_payload(d.frames);
}

}  // namespace

Server::Server(Settings settings, OpenHandler on_open) : settings_(settings), on_open_(std::move(on_open)) {}

Server::~Server() { shutdown(); }

http::Mount Server::mount(std::string path) {
  http::Mount m;
  m.path = std::move(path);
  m.body_limit = settings_.max_payload;
  m.handler = [this](http::Request& req) { return handle(req); };
  m.upgrade = [this](http::Request& req, http::Upgrade& up) { return websocket(req, up); };
  return m;
}

void Server::shutdown() {
  stopping_ = true;
  std::vector<std::shared_ptr<Session>> all;
  {
    std::lock_guard lock(mutex_);
    for (auto& [sid, s] : sessions_) all.push_back(s);
  }
  for (auto& s : all) s->close(CloseReason::shutdown);
}

std::size_t Server::session_count() const {
  std::lock_guard lock(mutex_);
  return sessions_.size();
}

std::shared_ptr<Session> Server::find(const std::string& sid) const {
  std::lock_guard lock(mutex_);
  auto it = sessions_.find(sid);
  return it == sessions_.end() ? nullptr : it->second;
}

std::shared_ptr<Session> Server::open_session(asio::any_io_executor home) {
  auto forget = [this](const std::string& sid) {
    std::lock_guard lock(mutex_);
    sessions_.erase(sid);
  };
  auto s = std::make_shared<Session>(crypto::random_token(15), settings_, std::move(home), forget);
  std::lock_guard lock(mutex_);
  sessions_.emplace(s->id(), s);
  return s;
}

std::string Server::handshake(const std::string& sid, bool can_upgrade) const {
  boost::json::array upgrades;
  if (can_upgrade) upgrades.emplace_back("websocket");
  return json::serialize(boost::json::object{{"sid", sid},
                                             {"upgrades", std::move(upgrades)},
                                             {"pingInterval", settings_.ping_interval.count()},
                                             {"pingTimeout", settings_.ping_timeout.count()},
                                             {"maxPayload", settings_.max_payload}});
}

asio::awaitable<http::Response> Server::handle(http::Request& req) {
  const auto eio = req.query_param("EIO");
  if (!eio || *eio != "4") co_return protocol_error(5, "Unsupported protocol version");
  const auto transport = req.query_param("transport");
  if (!transport || *transport != "polling") co_return protocol_error(0, "Transport unknown");
  const auto sid = req.query_param("sid");
  if (!sid) {
    if (req.method != "GET" || stopping_) co_return protocol_error(2, "Bad handshake method");
    auto ex = co_await asio::this_coro::executor;
    auto s = open_session(ex);
    if (on_open_) on_open_(s, req);
    s->start_heartbeat();
    co_return text(static_cast<char>(Type::open) + handshake(s->id(), true));
  }
  auto s = find(std::string(*sid));
  if (!s) co_return protocol_error(1, "Session ID unknown");
  if (req.method == "GET") co_return co_await poll(std::move(s));
  if (req.method == "POST") co_return push(s, req.body);
  co_return protocol_error(3, "Bad request");
}

asio::awaitable<http::Response> Server::poll(std::shared_ptr<Session> s) {
  if (s->mode() == Session::Mode::websocket) co_return protocol_error(3, "Bad request");
  auto d = s->drain(true);
  if (d.frames.empty() && !d.closed) {
    auto waiter = attach_waiter(*s, co_await asio::this_coro::executor);
    if (!waiter) co_return protocol_error(3, "Bad request");
    // A frame queued between the drain and the attach did not wake us: look again before waiting.
    d = s->drain(true);
    if (d.frames.empty() && !d.closed && d.mode == Session::Mode::polling) {
      // The heartbeat guarantees a packet within ping_interval; this bound is only a backstop.
      waiter->timer.expires_after(s->settings().ping_interval + s->settings().ping_timeout);
      co_await waiter->timer.async_wait(asio::as_tuple(asio::use_awaitable));
      d = s->drain(true);
    }
    if (!d.closed && d.mode == Session::Mode::upgrading) {
      // Like the reference server, a GET during an upgrade is held briefly: a noop when the upgrade
      // is still under way, refused when the client's "5" arrives meanwhile (its WebSocket frames
      // and this request race on different connections).
      waiter->timer.expires_after(std::chrono::milliseconds(100));
      co_await waiter->timer.async_wait(asio::as_tuple(asio::use_awaitable));
      d = s->drain(true);
    }
    s->detach_poll(waiter.get());
  }
  if (!d.closed && d.mode == Session::Mode::websocket) co_return protocol_error(3, "Bad request");
  if (!d.closed && d.mode == Session::Mode::upgrading) co_return text("6");
  if (d.closed) s->release();
  co_return text(answer_for(d));
}

http::Response Server::push(const std::shared_ptr<Session>& s, const std::string& body) {
  if (s->mode() == Session::Mode::websocket) return protocol_error(3, "Bad request");
  auto packets = decode_payload(body);
  if (!packets) {
    s->close(CloseReason::protocol_error);
    return protocol_error(3, "Bad request");
  }
  for (auto& p : *packets) s->receive(p);
  return text("ok", "text/html");
}

}  // namespace tiptop::realtime::eio
