#pragma once
// The Engine.IO v4 server: handshake, HTTP long-polling, WebSocket, upgrade and heartbeat. It is
// mounted on a path of the HTTP server and hands every new session to the layer above.
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include "http/pipeline.hpp"
#include "realtime/engineio/session.hpp"

namespace tiptop::realtime::eio {

class Server {
 public:
  // on_open: a new session, before any of its packets is delivered; it sets the session's listener.
  using OpenHandler = std::function<void(const std::shared_ptr<Session>&, const http::Request&)>;
  Server(Settings settings, OpenHandler on_open);
  ~Server();

  // The HTTP mount (polling and WebSocket upgrades) for this server at path, e.g. "/socket.io/".
  http::Mount mount(std::string path);
  // Closes every session (server shutdown).
  void shutdown();
  std::size_t session_count() const;
  const Settings& settings() const { return settings_; }

 private:
  boost::asio::awaitable<http::Response> handle(http::Request& req);
  boost::asio::awaitable<http::Response> poll(std::shared_ptr<Session> s);
  http::Response push(const std::shared_ptr<Session>& s, const std::string& body);
  boost::asio::awaitable<void> websocket(http::Request& req, http::Upgrade& up);
  std::shared_ptr<Session> open_session(boost::asio::any_io_executor home);
  std::shared_ptr<Session> find(const std::string& sid) const;
  std::string handshake(const std::string& sid, bool can_upgrade) const;

  Settings settings_;
  OpenHandler on_open_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<Session>> sessions_;
  std::atomic<bool> stopping_{false};
};

}  // namespace tiptop::realtime::eio
