#pragma once
// Where authentication finds a session: this node's memory (SessionCache), then the shared cache
// (spec §4.1 "session:<id>", TTL 24 h at most), then the database. A revocation leaves a tombstone
// under the same key, and fills only ever add (SET NX), so a lookup that read the session just
// before it was revoked cannot put it back. A tombstone Redis could not take is kept and written
// when Redis is back (retry_unwritten, called on the bus's resync); until then lookups of it skip
// Redis. They are kept in memory only: should this node restart before Redis returns, a Redis that
// kept its data could serve the live copy until its TTL.
#include <boost/asio/awaitable.hpp>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "cache/cache.hpp"
#include "modules/auth/session_cache.hpp"
#include "store/database.hpp"

namespace tiptop::auth {

class SessionStore {
 public:
  SessionStore(store::Database& db, cache::Cache& shared) : db_(db), shared_(shared) {}

  boost::asio::awaitable<std::optional<SessionRecord>> find(std::string sid);
  // After the revocation committed: gone here and, for every node, from the shared cache.
  boost::asio::awaitable<void> forget(std::vector<std::string> sids);
  // Another node revoked these: only this node's memory still holds them.
  void forget_locally(const std::vector<std::string>& sids) { local_.erase(sids); }
  void forget_all_locally() { local_.clear(); }
  boost::asio::awaitable<void> retry_unwritten();

 private:
  boost::asio::awaitable<bool> bury(const std::vector<std::string>& sids);
  bool unwritten(const std::string& sid);
  store::Database& db_;
  cache::Cache& shared_;
  SessionCache local_;
  std::mutex unwritten_mutex_;
  std::vector<std::string> unwritten_;  // tombstones Redis did not take
};

// The shared cache's form of a session, and back (nullopt when unreadable).
std::string stored_session(const SessionRecord& s);
std::optional<SessionRecord> session_from_stored(const std::string& sid, const std::string& text);

}  // namespace tiptop::auth
