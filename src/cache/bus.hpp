#pragma once
// Cache invalidation across nodes. A node that changes shared data publishes on a channel
// ("menu", "settings", "sessions"); every other node's subscribers drop or reload what they hold.
// Alone (no REDIS_URL) there is nobody to tell: publish goes nowhere. With Redis, a link carries
// publications out and delivers the other nodes' in (cache/redis_bus.hpp).
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace tiptop::cache {

// What a subscriber receives instead of a message when publications may have been missed (the
// link to the other nodes was down): reload everything.
inline constexpr const char* kResync = "*resync*";

class InvalidationBus {
 public:
  using Handler = std::function<boost::asio::awaitable<void>(std::string message)>;
  using Outgoing = std::function<void(const std::string& channel, const std::string& message)>;

  // Runs handler (on the link's executor) when another node publishes on channel. The handler is
  // copied and may be gone before its coroutine runs: let it call a member coroutine
  // ([this](std::string m) { return on_change(std::move(m)); }), never be a capturing coroutine.
  void subscribe(const std::string& channel, Handler handler);
  // Tells the other nodes; the publishing node has already updated itself.
  void publish(const std::string& channel, const std::string& message) const;

  // Set once, before requests are served.
  void link(boost::asio::any_io_executor executor, Outgoing outgoing);
  // From the link: another node's publication; kResync to every subscriber.
  void deliver(const std::string& channel, const std::string& message) const;
  void resync() const;
  // resync() here, and kResync to every channel of the other nodes: after this node could not
  // publish for a while, what it published meanwhile was lost.
  void resync_everywhere() const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::vector<Handler>> handlers_;
  boost::asio::any_io_executor executor_;
  Outgoing outgoing_;
};

}  // namespace tiptop::cache
