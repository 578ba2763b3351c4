#pragma once
// Cache invalidation across nodes. A node that changes shared data publishes on a channel
// ("menu", "settings", "sessions"); every other node's subscribers drop or reload what they hold.
// Alone (no REDIS_URL) there is nobody to tell: publish goes nowhere. With Redis, a link carries
// publications out and delivers the other nodes' in (cache/redis_bus.hpp).
//
// publish_and_wait makes "changed on A, so B's next read shows it" hold: it returns once every
// other node has run its handlers (each acknowledges), or after kAckTimeout, whichever is first.
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
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
  // Carries a publication (ack: a token the receivers acknowledge, or empty) or an acknowledgement.
  struct Link {
    std::function<void(const std::string& channel, const std::string& message, const std::string& ack)> publish;
    std::function<void(const std::string& ack)> acknowledge;
    std::function<boost::asio::awaitable<int>()> peers;  // how many other nodes listen now
  };
  static constexpr std::chrono::milliseconds kAckTimeout{1000};

  // Runs handler (on the link's executor) when another node publishes on channel. The handler is
  // copied and may be gone before its coroutine runs: let it call a member coroutine
  // ([this](std::string m) { return on_change(std::move(m)); }), never be a capturing coroutine.
  void subscribe(const std::string& channel, Handler handler);
  // Tells the other nodes and does not wait; the publishing node has already updated itself.
  void publish(const std::string& channel, const std::string& message) const;
  // Tells the other nodes and waits until they have acted on it (at most kAckTimeout).
  boost::asio::awaitable<void> publish_and_wait(std::string channel, std::string message);

  // Set once, before requests are served.
  void link(boost::asio::any_io_executor executor, Link link);
  // From the link: another node's publication (acknowledged once its handlers have run), an
  // acknowledgement of ours, or kResync to every subscriber.
  void deliver(const std::string& channel, const std::string& message, const std::string& ack = {}) const;
  void acknowledged(const std::string& ack);
  void resync() const;
  // resync() here, and kResync to every channel of the other nodes: after this node could not
  // publish for a while, what it published meanwhile was lost.
  void resync_everywhere() const;

 private:
  std::vector<std::string> channels() const;  // every channel with a subscriber
  struct Waiter {
    int expected = 0, received = 0;
    std::shared_ptr<boost::asio::steady_timer> timer;
  };
  mutable std::mutex mutex_;
  std::map<std::string, std::vector<Handler>> handlers_;
  std::map<std::string, Waiter> waiters_;  // by ack token
  boost::asio::any_io_executor executor_;
  Link link_;
};

}  // namespace tiptop::cache
