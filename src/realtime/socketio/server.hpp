#pragma once
// The Socket.IO v5 server over Engine.IO: namespaces with an (asynchronous) connect check,
// sockets, rooms, events with acknowledgements and binary attachments. It is also the
// application's realtime::Emitter: domain events go to rooms of the main namespace.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "realtime/emitter.hpp"
#include "realtime/engineio/server.hpp"
#include "realtime/socketio/packet.hpp"

namespace tiptop::realtime::sio {

class Client;
class Namespace;

// Who is on the other end, as the namespace's connect check established it.
struct Identity {
  std::string user_id, role, session_id;
  std::int64_t expires_at = 0;  // ms since the epoch; 0 = no end
};

class Socket : public std::enable_shared_from_this<Socket> {
 public:
  Socket(std::string id, Namespace& ns, std::shared_ptr<eio::Session> session, boost::json::object auth);

  const std::string& id() const { return id_; }
  Namespace& nsp() { return ns_; }
  const boost::json::object& handshake_auth() const { return auth_; }
  void forget_handshake_auth() { auth_ = {}; }  // once checked: a token need not stay in memory
  Identity identity;

  // Thread-safe. False when the connection is gone.
  bool emit(std::string_view event, boost::json::array args = {}, std::vector<std::string> buffers = {});
  // Answers the client's acknowledgement callback for the event that carried ack_id.
  void ack(std::uint64_t ack_id, boost::json::array args, std::vector<std::string> buffers = {});
  void join(const std::string& room);
  void leave(const std::string& room);
  std::vector<std::string> rooms() const;
  // Server-side disconnect of this namespace; close_connection also ends the Engine.IO session.
  void disconnect(bool close_connection = false);
  bool connected() const { return connected_; }
  // The executor of the connection's I/O thread, for timers and follow-up work.
  boost::asio::any_io_executor executor() const { return executor_; }

  // --- for the server ---
  bool send(const Packet& p);
  void send_frames(const std::vector<eio::Frame>& frames, eio::WakeBatch* batch = nullptr);
  void mark_disconnected() { connected_ = false; }

 private:
  std::string id_;
  Namespace& ns_;
  std::weak_ptr<eio::Session> session_;
  boost::asio::any_io_executor executor_;
  boost::json::object auth_;
  mutable std::mutex rooms_mutex_;
  std::vector<std::string> rooms_;
  std::atomic<bool> connected_{true};
};

// An incoming event as a handler sees it.
struct Event {
  std::string name;
  boost::json::array args;  // without the name
  std::vector<std::string> buffers;
  std::optional<std::uint64_t> ack_id;
  std::shared_ptr<Socket> socket;
  // Answers the client's acknowledgement callback (once; nothing when none was asked for).
  void ack(boost::json::array args = {}, std::vector<std::string> buffers = {});
};

class Namespace {
 public:
  // The connect check: an error message refuses the connection (CONNECT_ERROR {message}).
  using Authorize = std::function<boost::asio::awaitable<std::optional<std::string>>(Socket&)>;
  using OnConnection = std::function<void(const std::shared_ptr<Socket>&)>;
  using OnEvent = std::function<void(Event&)>;
  using OnDisconnect = std::function<void(Socket&, std::string_view reason)>;

  explicit Namespace(std::string name) : name_(std::move(name)) {}
  const std::string& name() const { return name_; }

  Authorize authorize;
  OnConnection on_connection;
  OnDisconnect on_disconnect;
  void on(std::string event, OnEvent handler) { events_[std::move(event)] = std::move(handler); }

  // Thread-safe: encodes once, queues to every socket in the room.
  std::size_t emit_to(const std::string& room, std::string_view event, const boost::json::value& data);
  // Every socket for which pred is true (e.g. a revoked session's), disconnected.
  void disconnect_where(const std::function<bool(const Socket&)>& pred);
  std::size_t size() const;
  std::size_t room_size(const std::string& room) const;

  // --- for sockets and clients ---
  void join(const std::shared_ptr<Socket>& s, const std::string& room);
  void leave(const Socket& s, const std::string& room);
  void add(const std::shared_ptr<Socket>& s);
  void remove(Socket& s, std::string_view reason);
  const OnEvent* handler(const std::string& event) const;

 private:
  std::string name_;
  std::unordered_map<std::string, OnEvent> events_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<Socket>> sockets_;
  std::unordered_map<std::string, std::unordered_map<Socket*, std::shared_ptr<Socket>>> rooms_;
};

struct Options {
  eio::Settings engine;
  std::chrono::milliseconds connect_timeout{45000};  // an Engine.IO session must join a namespace by then
  // Incoming events per socket per second beyond which events are dropped; ten times that closes the connection.
  int max_events_per_second = 50;
};

class Server final : public Emitter {
 public:
  explicit Server(Options options);
  ~Server() override;

  Namespace& of(const std::string& name);  // creates on first use
  Namespace* find(const std::string& name);
  http::Mount mount(std::string path) { return engine_.mount(std::move(path)); }
  void shutdown() { engine_.shutdown(); }
  std::size_t connections() const { return engine_.session_count(); }
  const Options& options() const { return options_; }

  // Emitter: rooms of the main namespace.
  void emit(const std::string& room, const std::string& event, const boost::json::object& data) override;

 private:
  Options options_;
  std::mutex namespaces_mutex_;
  std::map<std::string, std::unique_ptr<Namespace>, std::less<>> namespaces_;
  eio::Server engine_;
};

}  // namespace tiptop::realtime::sio
