#include "core/rate_limiter.hpp"

#include <algorithm>

namespace tiptop {

RateDecision decide(long count, long limit, std::chrono::milliseconds left, std::chrono::milliseconds window) {
  RateDecision d;
  d.limit = limit;
  d.allowed = count <= limit;
  d.remaining = std::max(0L, limit - count);
  d.reset_seconds = std::max(1L, static_cast<long>(std::chrono::ceil<std::chrono::seconds>(left).count()));
  d.window_seconds = static_cast<long>(std::chrono::duration_cast<std::chrono::seconds>(window).count());
  return d;
}

RateDecision InProcessRateLimiter::count(const std::string& key, long limit, std::chrono::milliseconds window) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  if (++hits_since_sweep_ >= 10000) sweep(now);
  auto& w = windows_[key];
  if (w.ends <= now) w = Window{now + window, 0};
  ++w.count;
  return decide(w.count, limit, std::chrono::duration_cast<std::chrono::milliseconds>(w.ends - now), window);
}

void InProcessRateLimiter::sweep(std::chrono::steady_clock::time_point now) {
  hits_since_sweep_ = 0;
  std::erase_if(windows_, [&](const auto& kv) { return kv.second.ends <= now; });
}

std::string rate_limit_policy_header(const RateDecision& d) {
  return std::to_string(d.limit) + ";w=" + std::to_string(d.window_seconds);
}

std::string rate_limit_header(const RateDecision& d) {
  return "limit=" + std::to_string(d.limit) + ", remaining=" + std::to_string(d.remaining) +
         ", reset=" + std::to_string(d.reset_seconds);
}

}  // namespace tiptop
