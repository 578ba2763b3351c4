#pragma once
// In-process lookup of sessions, so authenticating a request costs no database round trip.
// Revocations on this node take effect at once; other nodes hear of theirs on the invalidation
// bus, and entries are re-read after kTtl anyway, in case such news was lost.
#include <chrono>
#include <optional>
#include <shared_mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "modules/auth/repository.hpp"

namespace tiptop::auth {

class SessionCache {
 public:
  static constexpr std::chrono::seconds kTtl{30};
  static constexpr std::size_t kMaxEntries = 200'000;

  std::optional<SessionRecord> get(const std::string& sid) const;
  // Ignored for a session revoked within kTtl: a lookup that read the row just before the
  // revocation committed must not put the live session back.
  void put(const SessionRecord& s);
  void erase(const std::string& sid);  // on revocation
  void erase(const std::vector<std::string>& sids);
  void clear();  // news of revocations may have been missed: trust nothing held

 private:
  struct Entry {
    SessionRecord session;
    std::chrono::steady_clock::time_point loaded;
  };
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, Entry> entries_;
  std::unordered_map<std::string, std::chrono::steady_clock::time_point> revoked_;
};

}  // namespace tiptop::auth
