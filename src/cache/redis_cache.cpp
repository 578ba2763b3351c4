#include "cache/redis_cache.hpp"

#include <atomic>

#include "core/errors.hpp"
#include "core/log.hpp"

namespace tiptop::cache {
namespace asio = boost::asio;

namespace {

// Every request would log the same outage: once per few seconds is enough to see it.
void warn_degraded(const char* what, const std::exception& e) {
  static std::atomic<std::int64_t> last{0};
  const auto now = std::chrono::steady_clock::now().time_since_epoch() / std::chrono::seconds(1);
  auto prev = last.load();
  if (now - prev < 5 || !last.compare_exchange_strong(prev, now)) return;
  log::warn("redis unavailable, degraded", {{"use", what}, {"error", e.what()}});
}

constexpr const char* kHitScript =
    "local n = redis.call('INCR', KEYS[1])\n"
    "local ttl = redis.call('PTTL', KEYS[1])\n"
    "if n == 1 or ttl < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]); ttl = tonumber(ARGV[1]) end\n"
    "return {n, ttl}\n";

}  // namespace

asio::awaitable<std::optional<std::string>> RedisCache::get(std::string key) {
  try {
    std::vector<std::string> args{"GET", std::move(key)};  // GCC 12: no braced list inside co_await
    auto reply = co_await redis_.command(std::move(args));
    if (reply.type == RedisReply::Type::string) co_return std::move(reply.str);
  } catch (const RedisError& e) {
    warn_degraded("cache", e);
  }
  co_return std::nullopt;
}

asio::awaitable<bool> RedisCache::set(std::string key, std::string value, std::chrono::seconds ttl,
                                      bool only_if_absent) {
  std::vector<std::string> args{"SET", std::move(key), std::move(value), "EX", std::to_string(ttl.count())};
  if (only_if_absent) args.push_back("NX");
  try {
    auto reply = co_await redis_.command(std::move(args));
    co_return reply.type == RedisReply::Type::status;  // nil: NX found a value already there
  } catch (const RedisError& e) {
    warn_degraded("cache", e);
  }
  co_return false;
}

asio::awaitable<bool> RedisCache::remove(std::vector<std::string> keys) {
  if (keys.empty()) co_return true;
  keys.insert(keys.begin(), "DEL");
  try {
    co_await redis_.command(std::move(keys));
    co_return true;
  } catch (const RedisError& e) {
    warn_degraded("cache", e);
  }
  co_return false;
}

asio::awaitable<RateDecision> RedisRateLimiter::hit(std::string key, long limit, std::chrono::milliseconds window,
                                                    WhenUnsure unsure) {
  try {
    std::vector<std::string> args{"EVAL", kHitScript, "1", "rate:" + key, std::to_string(window.count())};
    auto reply = co_await redis_.command(std::move(args));
    if (reply.type == RedisReply::Type::array && reply.elements.size() == 2)
      co_return decide(static_cast<long>(reply.elements[0].integer), limit,
                       std::chrono::milliseconds(reply.elements[1].integer), window);
    log::error("redis: unexpected reply to the rate-limit script");
  } catch (const RedisError& e) {
    warn_degraded("rate limit", e);
  }
  if (unsure == WhenUnsure::refuse)
    throw ExternalServiceError("Rate limit", "temporarily unavailable, please try again shortly");
  co_return local_.count(key, limit, window);
}

}  // namespace tiptop::cache
