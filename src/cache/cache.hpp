#pragma once
// The second-level cache (spec §4): shared by every node, keyed by strings, values with a TTL.
// NullCache (no REDIS_URL) keeps nothing; a Redis implementation plugs in behind this interface.
// Failures must never fail a request: implementations log and behave as a miss.
#include <chrono>
#include <optional>
#include <string>

namespace tiptop::cache {

class Cache {
 public:
  virtual ~Cache() = default;
  virtual std::optional<std::string> get(const std::string& key) = 0;
  virtual void set(const std::string& key, const std::string& value, std::chrono::seconds ttl) = 0;
};

class NullCache final : public Cache {
 public:
  std::optional<std::string> get(const std::string&) override { return std::nullopt; }
  void set(const std::string&, const std::string&, std::chrono::seconds) override {}
};

// Spec §4.1 TTLs.
constexpr std::chrono::seconds kMenuTtl{3600};
constexpr std::chrono::seconds kSearchTtl{600};

}  // namespace tiptop::cache
