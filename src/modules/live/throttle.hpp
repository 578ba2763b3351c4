#pragma once
// At most one event per key per interval (a partner's location, a user's typing in one order);
// the rest are dropped. Shared by the Socket.IO and HTTP ways in, so neither doubles the rate.
#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace tiptop::live {

class Throttle {
 public:
  explicit Throttle(std::chrono::milliseconds every) : every_(every) {}
  bool allow(const std::string& key) {
    const auto now = std::chrono::steady_clock::now();
    std::lock_guard lock(mutex_);
    // Keys come and go: forget the ones past their interval before the table grows, so it stays
    // the size of the recent senders.
    if (last_.size() >= 4096) std::erase_if(last_, [&](const auto& e) { return now - e.second >= every_; });
    auto& last = last_[key];
    if (last.time_since_epoch().count() != 0 && now - last < every_) return false;
    last = now;
    return true;
  }

 private:
  std::chrono::milliseconds every_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::chrono::steady_clock::time_point> last_;
};

}  // namespace tiptop::live
