#pragma once
// The HTTP/1.1 server: a coroutine per connection on one I/O thread's context, with a deadline and a size
// limit on every read. Knows nothing of routes; hands complete requests to the Pipeline.
#include <atomic>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_set>

#include "http/io_pool.hpp"
#include "http/pipeline.hpp"

namespace tiptop::http {

struct ServerLimits {
  std::size_t header_bytes = 16 * 1024;
  std::chrono::seconds header_timeout{10};  // slowloris: a started request must finish its headers in time
  std::chrono::seconds body_timeout{30};
  std::chrono::seconds idle_timeout{75};  // keep-alive connection with no request in progress
  std::chrono::seconds write_timeout{30};
  // Beyond this, new connections are closed at once. Socket.IO clients hold a connection each, so
  // this sits well above the 10,000 live connections one node is sized for; the process's
  // descriptor limit is the other bound.
  std::size_t max_connections = 50000;
};

class Server {
 public:
  Server(IoPool& pool, const Pipeline& pipeline, ServerLimits limits = {});
  ~Server();

  // Binds and starts accepting; returns the bound port (useful with port 0).
  std::uint16_t listen(const std::string& address, std::uint16_t port);
  // Stops accepting, closes idle keep-alive connections, lets in-flight requests finish.
  void begin_shutdown();
  std::size_t open_connections() const { return open_.load(); }

  struct Connection;  // per-connection state shared with the shutdown path

 private:
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> serve(std::shared_ptr<Connection> conn);

  IoPool& pool_;
  const Pipeline& pipeline_;
  ServerLimits limits_;
  struct Acceptor;
  std::unique_ptr<Acceptor> acceptor_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> open_{0};
  std::mutex registry_mutex_;
  std::unordered_set<std::shared_ptr<Connection>> registry_;
};

}  // namespace tiptop::http
