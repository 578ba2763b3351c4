#include "cache/bus.hpp"

namespace tiptop::cache {

void LocalBus::subscribe(const std::string& channel, Handler handler) {
  std::lock_guard lock(mutex_);
  handlers_[channel].push_back(std::move(handler));
}

}  // namespace tiptop::cache
