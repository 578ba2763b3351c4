#pragma once
// Fixed-window rate limiting behind one interface: counters in this process, or in Redis shared
// by every node (cache/redis_rate_limiter.hpp).
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <mutex>
#include <optional>
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

// What a limiter does when its shared store cannot answer.
enum class WhenUnsure {
  count_locally,  // general API limits: this node's own counters meanwhile
  refuse,         // login: 503 rather than unlimited guessing
};

class RateLimiter {
 public:
  virtual ~RateLimiter() = default;
  // Counts one hit for key in a window of `window`; allowed while the count stays within limit.
  // With WhenUnsure::refuse, throws ExternalServiceError (503) when the count cannot be known.
  virtual boost::asio::awaitable<RateDecision> hit(std::string key, long limit, std::chrono::milliseconds window,
                                                   WhenUnsure unsure = WhenUnsure::count_locally) = 0;
  // The same hit when it can be counted without waiting (this process's counters), else nullopt
  // and nothing counted: the per-request path then needs no coroutine.
  virtual std::optional<RateDecision> hit_now(const std::string&, long, std::chrono::milliseconds) {
    return std::nullopt;
  }
};

// One process's counters. Short critical sections only: safe to call from an I/O thread.
class InProcessRateLimiter final : public RateLimiter {
 public:
  boost::asio::awaitable<RateDecision> hit(std::string key, long limit, std::chrono::milliseconds window,
                                           WhenUnsure) override {
    co_return count(key, limit, window);
  }
  std::optional<RateDecision> hit_now(const std::string& key, long limit, std::chrono::milliseconds window) override {
    return count(key, limit, window);
  }
  RateDecision count(const std::string& key, long limit, std::chrono::milliseconds window);

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

// A decision from a count and the time left in its window.
RateDecision decide(long count, long limit, std::chrono::milliseconds left, std::chrono::milliseconds window);

// The IETF draft-7 headers, as express-rate-limit sends them: "100;w=900" and
// "limit=100, remaining=99, reset=900".
std::string rate_limit_policy_header(const RateDecision& d);
std::string rate_limit_header(const RateDecision& d);

}  // namespace tiptop
