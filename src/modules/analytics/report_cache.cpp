#include "modules/analytics/report_cache.hpp"

namespace tiptop::analytics {

std::optional<std::string> ReportCache::get(const std::string& key, std::uint64_t generation) {
  std::lock_guard lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end()) return std::nullopt;
  if (it->second.generation != generation || it->second.expires <= std::chrono::steady_clock::now()) {
    entries_.erase(it);
    return std::nullopt;
  }
  return it->second.data;
}

void ReportCache::put(const std::string& key, std::string data, std::uint64_t generation, std::chrono::seconds ttl) {
  const auto now = std::chrono::steady_clock::now();
  std::lock_guard lock(mutex_);
  if (entries_.size() >= kMaxEntries) {
    std::erase_if(entries_,
                  [&](const auto& e) { return e.second.generation != generation || e.second.expires <= now; });
    if (entries_.size() >= kMaxEntries) entries_.clear();  // many distinct live ranges: start over
  }
  entries_[key] = Entry{std::move(data), generation, now + ttl};
}

}  // namespace tiptop::analytics
