#include "cache/bus.hpp"

#include <boost/asio/co_spawn.hpp>

#include "core/log.hpp"

namespace tiptop::cache {
namespace asio = boost::asio;

void InvalidationBus::subscribe(const std::string& channel, Handler handler) {
  std::lock_guard lock(mutex_);
  handlers_[channel].push_back(std::move(handler));
}

void InvalidationBus::publish(const std::string& channel, const std::string& message) const {
  if (outgoing_) outgoing_(channel, message);
}

void InvalidationBus::link(asio::any_io_executor executor, Outgoing outgoing) {
  std::lock_guard lock(mutex_);
  executor_ = std::move(executor);
  outgoing_ = std::move(outgoing);
}

void InvalidationBus::deliver(const std::string& channel, const std::string& message) const {
  std::vector<Handler> handlers;
  {
    std::lock_guard lock(mutex_);
    if (auto it = handlers_.find(channel); it != handlers_.end()) handlers = it->second;
  }
  for (auto& h : handlers)
    asio::co_spawn(executor_, h(message), [channel](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        log::error("invalidation handler failed", {{"channel", channel}, {"error", ex.what()}});
      }
    });
}

void InvalidationBus::resync() const {
  std::vector<std::string> channels;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [channel, _] : handlers_) channels.push_back(channel);
  }
  for (const auto& c : channels) deliver(c, kResync);
}

void InvalidationBus::resync_everywhere() const {
  resync();
  std::vector<std::string> channels;
  {
    std::lock_guard lock(mutex_);
    for (const auto& [channel, _] : handlers_) channels.push_back(channel);
  }
  for (const auto& c : channels) publish(c, kResync);
}

}  // namespace tiptop::cache
