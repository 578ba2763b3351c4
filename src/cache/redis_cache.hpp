#pragma once
// Cache and rate-limit counters kept in Redis, shared by every node. Neither lets a Redis failure
// fail a request it need not: the cache answers a miss; the limiter counts locally, or refuses
// (503) where guessing must not go unlimited.
#include "cache/cache.hpp"
#include "cache/redis.hpp"
#include "core/rate_limiter.hpp"

namespace tiptop::cache {

class RedisCache final : public Cache {
 public:
  explicit RedisCache(RedisClient& redis) : redis_(redis) {}
  boost::asio::awaitable<std::optional<std::string>> get(std::string key) override;
  boost::asio::awaitable<bool> set(std::string key, std::string value, std::chrono::seconds ttl,
                                   bool only_if_absent) override;
  boost::asio::awaitable<bool> remove(std::vector<std::string> keys) override;
  bool shared() const override { return true; }

 private:
  RedisClient& redis_;
};

// rate-limit-redis' scheme: one atomic script per hit on "rate:<key>" (INCR, PEXPIRE on the first
// hit of a window, PTTL), so every node counts in the same fixed window.
class RedisRateLimiter final : public RateLimiter {
 public:
  explicit RedisRateLimiter(RedisClient& redis) : redis_(redis) {}
  boost::asio::awaitable<RateDecision> hit(std::string key, long limit, std::chrono::milliseconds window,
                                           WhenUnsure unsure) override;

 private:
  RedisClient& redis_;
  InProcessRateLimiter local_;  // while Redis is away
};

}  // namespace tiptop::cache
