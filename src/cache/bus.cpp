#include "cache/bus.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "core/crypto.hpp"
#include "core/log.hpp"

namespace tiptop::cache {
namespace asio = boost::asio;

void InvalidationBus::subscribe(const std::string& channel, Handler handler) {
  std::lock_guard lock(mutex_);
  handlers_[channel].push_back(std::move(handler));
}

void InvalidationBus::publish(const std::string& channel, const std::string& message) const {
  if (link_.publish) link_.publish(channel, message, {});
}

asio::awaitable<void> InvalidationBus::publish_and_wait(std::string channel, std::string message) {
  if (!link_.publish) co_return;
  const auto deadline = std::chrono::steady_clock::now() + kAckTimeout;  // counting the peers is part of it
  const int peers = co_await link_.peers();
  if (peers <= 0) {
    publish(channel, message);
    co_return;
  }
  const auto token = crypto::random_hex(8);
  auto executor = co_await asio::this_coro::executor;
  auto timer = std::make_shared<asio::steady_timer>(executor, deadline);
  {
    std::lock_guard lock(mutex_);
    waiters_[token] = Waiter{peers, 0, timer};
  }
  link_.publish(channel, message, token);
  boost::system::error_code ec;
  co_await timer->async_wait(asio::redirect_error(asio::use_awaitable, ec));  // cancelled: all acknowledged
  int received = 0;
  {
    std::lock_guard lock(mutex_);
    received = waiters_[token].received;
    waiters_.erase(token);
  }
  if (received < peers)
    log::warn("invalidation not acknowledged by every node in time",
              {{"channel", channel}, {"nodes", peers}, {"acknowledged", received}});
}

void InvalidationBus::acknowledged(const std::string& ack) {
  std::shared_ptr<asio::steady_timer> done;
  {
    std::lock_guard lock(mutex_);
    auto it = waiters_.find(ack);
    if (it == waiters_.end()) return;  // another node's, or ours after the timeout
    if (++it->second.received >= it->second.expected) done = it->second.timer;
  }
  // The timer is waited on from the publisher's executor: cancelled there, not from this thread.
  if (done) asio::post(done->get_executor(), [done] { done->cancel(); });
}

void InvalidationBus::link(asio::any_io_executor executor, Link link) {
  std::lock_guard lock(mutex_);
  executor_ = std::move(executor);
  link_ = std::move(link);
}

void InvalidationBus::deliver(const std::string& channel, const std::string& message, const std::string& ack) const {
  std::vector<Handler> handlers;
  {
    std::lock_guard lock(mutex_);
    if (auto it = handlers_.find(channel); it != handlers_.end()) handlers = it->second;
  }
  // Acknowledged once every handler has finished (failed ones included: waiting longer would not help).
  auto left = std::make_shared<std::size_t>(handlers.size());
  auto finished = [this, left, ack, channel](std::exception_ptr e) {
    if (e) {
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        log::error("invalidation handler failed", {{"channel", channel}, {"error", ex.what()}});
      }
    }
    if (--*left == 0 && !ack.empty() && link_.acknowledge) link_.acknowledge(ack);
  };
  if (handlers.empty() && !ack.empty() && link_.acknowledge) link_.acknowledge(ack);
  // All on the link's one executor (a single thread), so `left` needs no lock.
  for (auto& h : handlers) asio::co_spawn(executor_, h(message), finished);
}

std::vector<std::string> InvalidationBus::channels() const {
  std::lock_guard lock(mutex_);
  std::vector<std::string> out;
  for (const auto& [channel, _] : handlers_) out.push_back(channel);
  return out;
}

void InvalidationBus::resync() const {
  for (const auto& c : channels()) deliver(c, kResync);
}

void InvalidationBus::resync_everywhere() const {
  for (const auto& c : channels()) {
    deliver(c, kResync);
    publish(c, kResync);
  }
}

}  // namespace tiptop::cache
