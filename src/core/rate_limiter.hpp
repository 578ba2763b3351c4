#pragma once
// Fixed-window rate limiting behind one interface, so Redis can back it across nodes later.
#include <chrono>
#include <mutex>
#include <string>
#include <unordered_map>

namespace tiptop {

struct RateDecision {
  bool allowed = true;
  long limit = 0;
  long remaining = 0;
  long reset_seconds = 0;  // until the window ends
  long window_seconds = 0;
};

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // Counts one hit for key in a window of `window`; allowed while the count stays within limit.
  virtual RateDecision hit(const std::string& key, long limit, std::chrono::milliseconds window) = 0;
};

// One process's counters. Short critical sections only: safe to call from an I/O thread.
class InProcessRateLimiter final : public RateLimiter {
 public:
  RateDecision hit(const std::string& key, long limit, std::chrono::milliseconds window) override;

 private:
  struct Window {
    std::chrono::steady_clock::time_point ends;
    long count = 0;
  };
  void sweep(std::chrono::steady_clock::time_point now);
  std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;
  std::size_t hits_since_sweep_ = 0;
};

// The IETF draft-7 headers, as express-rate-limit sends them: "100;w=900" and
// "limit=100, remaining=99, reset=900".
std::string rate_limit_policy_header(const RateDecision& d);
std::string rate_limit_header(const RateDecision& d);

}  // namespace tiptop
