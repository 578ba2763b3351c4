#include "realtime/socketio/server.hpp"

#include <set>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "core/crypto.hpp"
#include "core/json.hpp"
#include "core/log.hpp"

namespace tiptop::realtime::sio {
namespace asio = boost::asio;
namespace bj = boost::json;

namespace {

// The text frame and attachment frames of one packet.
std::vector<eio::Frame> frames_for(const Packet& p) {
  std::vector<eio::Frame> frames;
  frames.reserve(1 + p.buffers.size());
  frames.push_back(eio::Frame::message(encode(p)));
  for (const auto& b : p.buffers) frames.push_back(eio::Frame::binary_message(b));
  return frames;
}

Packet connect_error(const std::string& nsp, const std::string& message) {
  Packet p;
  p.type = Type::connect_error;
  p.nsp = nsp;
  p.data = bj::object{{"message", message}};
  return p;
}

Packet event_packet(const std::string& nsp, std::string_view event, bj::array args, std::vector<std::string> buffers) {
  Packet p;
  p.type = buffers.empty() ? Type::event : Type::binary_event;
  p.nsp = nsp;
  args.insert(args.begin(), bj::string(event));
  p.data = bj::value(std::move(args));
  p.buffers = std::move(buffers);
  return p;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Socket

Socket::Socket(std::string id, Namespace& ns, std::shared_ptr<eio::Session> session, bj::object auth)
    : id_(std::move(id)), ns_(ns), session_(session), executor_(session->executor()), auth_(std::move(auth)) {}

bool Socket::send(const Packet& p) {
  auto s = session_.lock();
  return s && s->send(frames_for(p));
}

void Socket::send_frames(const std::vector<eio::Frame>& frames, eio::WakeBatch* batch) {
  if (auto s = session_.lock()) s->send(frames, batch);
}

bool Socket::emit(std::string_view event, bj::array args, std::vector<std::string> buffers) {
  if (!connected_) return false;
  return send(event_packet(ns_.name(), event, std::move(args), std::move(buffers)));
}

void Socket::ack(std::uint64_t ack_id, bj::array args, std::vector<std::string> buffers) {
  Packet p;
  p.type = buffers.empty() ? Type::ack : Type::binary_ack;
  p.nsp = ns_.name();
  p.id = ack_id;
  p.data = bj::value(std::move(args));
  p.buffers = std::move(buffers);
  send(p);
}

void Socket::join(const std::string& room) {
  {
    std::lock_guard lock(rooms_mutex_);
    if (std::find(rooms_.begin(), rooms_.end(), room) != rooms_.end()) return;
    rooms_.push_back(room);
  }
  ns_.join(shared_from_this(), room);
}

void Socket::leave(const std::string& room) {
  {
    std::lock_guard lock(rooms_mutex_);
    auto it = std::find(rooms_.begin(), rooms_.end(), room);
    if (it == rooms_.end()) return;
    rooms_.erase(it);
  }
  ns_.leave(*this, room);
}

std::vector<std::string> Socket::rooms() const {
  std::lock_guard lock(rooms_mutex_);
  return rooms_;
}

void Socket::disconnect(bool close_connection) {
  if (!connected_.exchange(false)) return;
  Packet p;
  p.type = Type::disconnect;
  p.nsp = ns_.name();
  send(p);
  ns_.remove(*this, "server namespace disconnect");
  if (close_connection)
    if (auto s = session_.lock()) s->close(eio::CloseReason::server);
}

void Event::ack(bj::array args, std::vector<std::string> buffers) {
  if (!ack_id || !socket) return;
  socket->ack(*ack_id, std::move(args), std::move(buffers));
  ack_id.reset();
}

// ---------------------------------------------------------------------------------------------
// Namespace

std::size_t Namespace::emit_to(const std::string& room, std::string_view event, const bj::value& data) {
  bj::array args;
  args.push_back(data);
  const auto frames = frames_for(event_packet(name_, event, std::move(args), {}));
  // Sent outside the lock: a send can close a slow consumer, whose removal takes the lock.
  std::vector<std::shared_ptr<Socket>> members;
  {
    std::shared_lock lock(mutex_);
    auto it = rooms_.find(room);
    if (it == rooms_.end()) return 0;
    members.reserve(it->second.size());
    for (auto& [raw, socket] : it->second) members.push_back(socket);
  }
  eio::WakeBatch wake;                                              // one post per I/O thread, when the loop is done
  for (auto& socket : members) socket->send_frames(frames, &wake);  // the frames share one encoding
  return members.size();
}

void Namespace::disconnect_where(const std::function<bool(const Socket&)>& pred) {
  std::vector<std::shared_ptr<Socket>> matched;
  {
    std::shared_lock lock(mutex_);
    for (auto& [id, s] : sockets_)
      if (pred(*s)) matched.push_back(s);
  }
  for (auto& s : matched) s->disconnect(true);
}

std::size_t Namespace::size() const {
  std::shared_lock lock(mutex_);
  return sockets_.size();
}

std::size_t Namespace::room_size(const std::string& room) const {
  std::shared_lock lock(mutex_);
  auto it = rooms_.find(room);
  return it == rooms_.end() ? 0 : it->second.size();
}

void Namespace::join(const std::shared_ptr<Socket>& s, const std::string& room) {
  std::unique_lock lock(mutex_);
  if (!sockets_.contains(s->id())) return;  // already gone
  rooms_[room].emplace(s.get(), s);
}

void Namespace::leave(const Socket& s, const std::string& room) {
  std::unique_lock lock(mutex_);
  auto it = rooms_.find(room);
  if (it == rooms_.end()) return;
  it->second.erase(const_cast<Socket*>(&s));
  if (it->second.empty()) rooms_.erase(it);
}

void Namespace::add(const std::shared_ptr<Socket>& s) {
  std::unique_lock lock(mutex_);
  sockets_.emplace(s->id(), s);
}

void Namespace::remove(Socket& s, std::string_view reason) {
  s.mark_disconnected();
  std::shared_ptr<Socket> keep;
  {
    std::unique_lock lock(mutex_);
    auto it = sockets_.find(s.id());
    if (it == sockets_.end()) return;
    keep = it->second;
    sockets_.erase(it);
    for (const auto& room : s.rooms()) {
      auto r = rooms_.find(room);
      if (r == rooms_.end()) continue;
      r->second.erase(&s);
      if (r->second.empty()) rooms_.erase(r);
    }
  }
  if (on_disconnect) on_disconnect(s, reason);
}

const Namespace::OnEvent* Namespace::handler(const std::string& event) const {
  auto it = events_.find(event);
  return it == events_.end() ? nullptr : &it->second;
}

// ---------------------------------------------------------------------------------------------
// Client: one Engine.IO session and the namespaces it joined.

class Client final : public eio::Listener, public std::enable_shared_from_this<Client> {
 public:
  Client(Server& server, const std::shared_ptr<eio::Session>& session)
      : server_(server), session_(session), opened_(std::chrono::steady_clock::now()) {}

  void on_message(eio::Packet& packet) override {
    std::unique_lock lock(mutex_);
    switch (rate()) {
      case Rate::ok:
        break;
      case Rate::drop:
        return;
      case Rate::flood:
        return fail(lock);
    }
    if (packet.binary) {
      if (!partial_) return fail(lock);
      partial_->buffers.push_back(std::move(packet.data));
      if (partial_->buffers.size() < partial_->attachments) return;
      Packet complete = std::move(*partial_);
      partial_.reset();
      return dispatch(lock, std::move(complete));
    }
    if (partial_) return fail(lock);  // text in the middle of a binary packet's attachments
    auto p = decode(packet.data);
    if (!p) return fail(lock);
    if ((p->type == Type::binary_event || p->type == Type::binary_ack) && p->attachments > 0) {
      partial_ = std::move(*p);
      return;
    }
    dispatch(lock, std::move(*p));
  }

  void on_close(eio::CloseReason reason) override {
    std::map<std::string, std::shared_ptr<Socket>> sockets;
    {
      std::lock_guard lock(mutex_);
      sockets.swap(sockets_);
      closed_ = true;
    }
    for (auto& [nsp, s] : sockets) s->nsp().remove(*s, eio::to_string(reason));
  }

  void on_heartbeat() override {
    std::unique_lock lock(mutex_);
    if (sockets_.empty() && connecting_.empty() &&
        std::chrono::steady_clock::now() - opened_ > server_.options().connect_timeout) {
      lock.unlock();
      if (auto s = session_.lock()) s->close(eio::CloseReason::server);
    }
  }

 private:
  // Packets beyond the per-second budget are dropped; a flood ten times over ends the connection.
  enum class Rate { ok, drop, flood };
  Rate rate() {
    const auto now = std::chrono::steady_clock::now();
    if (now - window_start_ >= std::chrono::seconds(1)) {
      window_start_ = now;
      window_count_ = 0;
    }
    const int budget = server_.options().max_events_per_second;
    ++window_count_;
    if (window_count_ > budget * 10) return Rate::flood;
    return window_count_ <= budget ? Rate::ok : Rate::drop;
  }

  void fail(std::unique_lock<std::mutex>& lock) {
    lock.unlock();
    if (auto s = session_.lock()) s->close(eio::CloseReason::protocol_error);
  }

  void dispatch(std::unique_lock<std::mutex>& lock, Packet p) {
    switch (p.type) {
      case Type::connect:
        return connect(lock, std::move(p));
      case Type::disconnect: {
        auto it = sockets_.find(p.nsp);
        if (it == sockets_.end()) return;
        auto s = it->second;
        sockets_.erase(it);
        lock.unlock();
        s->nsp().remove(*s, "client namespace disconnect");
        return;
      }
      case Type::event:
      case Type::binary_event: {
        auto it = sockets_.find(p.nsp);
        if (it == sockets_.end()) return fail(lock);  // an event for a namespace it never joined
        Event e;
        e.socket = it->second;
        lock.unlock();
        auto& args = p.data->as_array();
        if (args.front().is_string())
          e.name = std::string(args.front().as_string());
        else
          e.name = json::serialize(args.front());
        args.erase(args.begin());
        e.args = std::move(args);
        e.buffers = std::move(p.buffers);
        e.ack_id = p.id;
        if (const auto* h = e.socket->nsp().handler(e.name)) {
          try {
            (*h)(e);
          } catch (const std::exception& ex) {
            log::warn("socket event handler failed", {{"event", e.name}, {"error", ex.what()}});
          }
        }
        return;
      }
      case Type::ack:
      case Type::binary_ack:
        return;  // the server asks for no acknowledgements
      case Type::connect_error:
        return fail(lock);
    }
  }

  void connect(std::unique_lock<std::mutex>& lock, Packet p) {
    if (closed_) return;
    // One socket per namespace and session: a second CONNECT while the first is connected or still
    // being authorised would make a second socket (and count a partner's presence twice).
    if (sockets_.contains(p.nsp) || connecting_.contains(p.nsp)) return fail(lock);
    Namespace* ns = server_.find(p.nsp);
    if (!ns) {
      lock.unlock();
      if (auto s = session_.lock()) s->send(frames_for(connect_error(p.nsp, "Invalid namespace")));
      return;
    }
    bj::object auth = p.data ? std::move(p.data->as_object()) : bj::object{};
    auto session = session_.lock();
    if (!session) return;
    auto socket = std::make_shared<Socket>(crypto::random_token(15), *ns, session, std::move(auth));
    connecting_.insert(p.nsp);
    lock.unlock();
    // The check runs on the session's own I/O thread.
    asio::co_spawn(socket->executor(), finish_connect(shared_from_this(), ns, socket), asio::detached);
  }

  static asio::awaitable<void> finish_connect(std::shared_ptr<Client> self, Namespace* ns,
                                              std::shared_ptr<Socket> socket) {
    std::optional<std::string> refusal;
    if (ns->authorize) {
      try {
        refusal = co_await ns->authorize(*socket);
      } catch (const std::exception& e) {
        log::warn("socket connect check failed", {{"error", e.what()}});
        refusal = "Authentication failed";
      }
    }
    std::unique_lock lock(self->mutex_);
    self->connecting_.erase(ns->name());
    if (self->closed_) co_return;
    if (refusal) {
      lock.unlock();
      socket->send(connect_error(ns->name(), *refusal));
      co_return;
    }
    self->sockets_[ns->name()] = socket;
    ns->add(socket);
    Packet ok;
    ok.type = Type::connect;
    ok.nsp = ns->name();
    ok.data = bj::object{{"sid", socket->id()}};
    lock.unlock();
    socket->send(ok);
    if (ns->on_connection) ns->on_connection(socket);
  }

  Server& server_;
  std::weak_ptr<eio::Session> session_;
  std::chrono::steady_clock::time_point opened_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Socket>> sockets_;
  std::optional<Packet> partial_;     // a binary packet waiting for its attachments
  std::set<std::string> connecting_;  // namespaces whose CONNECT is being authorised
  bool closed_ = false;
  std::chrono::steady_clock::time_point window_start_{};
  int window_count_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Server

Server::Server(Options options)
    : options_(options), engine_(options.engine, [this](const std::shared_ptr<eio::Session>& s, const http::Request&) {
        s->set_listener(std::make_shared<Client>(*this, s));
      }) {
  of("/");
}

Server::~Server() { engine_.shutdown(); }

Namespace& Server::of(const std::string& name) {
  std::lock_guard lock(namespaces_mutex_);
  auto& slot = namespaces_[name];
  if (!slot) slot = std::make_unique<Namespace>(name);
  return *slot;
}

Namespace* Server::find(const std::string& name) {
  std::lock_guard lock(namespaces_mutex_);
  auto it = namespaces_.find(name);
  return it == namespaces_.end() ? nullptr : it->second.get();
}

void Server::emit(const std::string& room, const std::string& event, const bj::object& data) {
  of("/").emit_to(room, event, data);
}

}  // namespace tiptop::realtime::sio
