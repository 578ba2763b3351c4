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
#include <unordered_map>
#include <unordered_set>
#include <vector>

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
  // One client address holds at most this many (0 = no limit); one more is answered 503 with
  // Retry-After and closed, so a single address cannot take the node's connections from everyone.
  std::size_t max_per_address = 256;
  // Peers the cap does not apply to: a trusted proxy carries many clients on its connections.
  std::vector<std::string> exempt_addresses;
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
  // Connections refused because their address already held max_per_address.
  std::uint64_t refused_per_address() const { return refused_per_address_.load(); }

  struct Connection;  // per-connection state shared with the shutdown path

 private:
  boost::asio::awaitable<void> accept_loop();
  boost::asio::awaitable<void> serve(std::shared_ptr<Connection> conn);
  // Counts a new connection from `address` against its cap; false (nothing counted) when at the cap.
  bool admit_address(const std::string& address);
  void release_address(const std::string& address);

  IoPool& pool_;
  const Pipeline& pipeline_;
  ServerLimits limits_;
  struct Acceptor;
  std::unique_ptr<Acceptor> acceptor_;
  std::atomic<bool> stopping_{false};
  std::atomic<std::size_t> open_{0};
  std::mutex registry_mutex_;
  std::unordered_set<std::shared_ptr<Connection>> registry_;
  std::unordered_map<std::string, std::size_t> per_address_;  // guarded by registry_mutex_
  std::unordered_set<std::string> exempt_;
  std::atomic<std::uint64_t> refused_per_address_{0};
  // Refusals being written (each holds its socket a few seconds at most); shared with their handlers.
  static constexpr std::size_t kMaxRefusing = 256;
  std::shared_ptr<std::atomic<std::size_t>> refusing_ = std::make_shared<std::atomic<std::size_t>>(0);
};

}  // namespace tiptop::http
