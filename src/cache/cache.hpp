#pragma once
// The second-level cache (spec §4): shared by every node, keyed by strings, values with a TTL.
// NullCache (no REDIS_URL) keeps nothing; RedisCache keeps them in Redis.
// Failures never fail a request: implementations log and behave as a miss (spec §4.2: "if cache
// fails, still return data from DB"); set and remove say whether they took effect.
#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace tiptop::cache {

class Cache {
 public:
  virtual ~Cache() = default;
  virtual boost::asio::awaitable<std::optional<std::string>> get(std::string key) = 0;
  // only_if_absent: SET NX, so a reader filling the cache never overwrites a newer writer's value.
  virtual boost::asio::awaitable<bool> set(std::string key, std::string value, std::chrono::seconds ttl,
                                           bool only_if_absent = false) = 0;
  virtual boost::asio::awaitable<bool> remove(std::vector<std::string> keys) = 0;
  virtual bool shared() const = 0;  // false: nothing is kept, nobody else sees it
};

class NullCache final : public Cache {
 public:
  boost::asio::awaitable<std::optional<std::string>> get(std::string) override { co_return std::nullopt; }
  boost::asio::awaitable<bool> set(std::string, std::string, std::chrono::seconds, bool) override { co_return true; }
  boost::asio::awaitable<bool> remove(std::vector<std::string>) override { co_return true; }
  bool shared() const override { return false; }
};

// Spec §4.1 TTLs.
constexpr std::chrono::seconds kMenuTtl{3600};
constexpr std::chrono::seconds kSearchTtl{600};
constexpr std::chrono::seconds kSessionTtl{86400};

}  // namespace tiptop::cache
