#pragma once
// Rendered analytics reports, kept in memory (spec §4: analytics cached for 30 minutes). An entry
// belongs to one rollup generation: when the job rewrites any day, every entry of the previous
// generation is stale at once. Reports that include today are kept briefly, so today stays live.
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

namespace tiptop::analytics {

class ReportCache {
 public:
  std::optional<std::string> get(const std::string& key, std::uint64_t generation);
  void put(const std::string& key, std::string data, std::uint64_t generation, std::chrono::seconds ttl);

 private:
  struct Entry {
    std::string data;
    std::uint64_t generation;
    std::chrono::steady_clock::time_point expires;
  };
  static constexpr std::size_t kMaxEntries = 512;
  std::mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
};

}  // namespace tiptop::analytics
