#include "modules/auth/session_cache.hpp"

#include <mutex>

namespace tiptop::auth {

std::optional<SessionRecord> SessionCache::get(const std::string& sid) const {
  std::shared_lock lock(mutex_);
  auto it = entries_.find(sid);
  if (it == entries_.end() || std::chrono::steady_clock::now() - it->second.loaded > kTtl) return std::nullopt;
  return it->second.session;
}

void SessionCache::put(const SessionRecord& s) {
  std::unique_lock lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (auto it = revoked_.find(s.id); it != revoked_.end()) {
    if (now - it->second <= kTtl) return;
    revoked_.erase(it);
  }
  if (entries_.size() >= kMaxEntries) {
    const auto now = std::chrono::steady_clock::now();
    std::erase_if(entries_, [&](const auto& kv) { return now - kv.second.loaded > kTtl; });
    if (entries_.size() >= kMaxEntries) entries_.clear();  // a flood of sessions: start over, the DB has them
  }
  entries_[s.id] = Entry{s, std::chrono::steady_clock::now()};
}

void SessionCache::erase(const std::string& sid) { erase(std::vector<std::string>{sid}); }

void SessionCache::erase(const std::vector<std::string>& sids) {
  std::unique_lock lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (revoked_.size() > kMaxEntries) std::erase_if(revoked_, [&](const auto& kv) { return now - kv.second > kTtl; });
  for (const auto& s : sids) {
    entries_.erase(s);
    revoked_[s] = now;
  }
}

void SessionCache::clear() {
  std::unique_lock lock(mutex_);
  entries_.clear();
}

}  // namespace tiptop::auth
