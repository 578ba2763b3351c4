#pragma once
// SQL for sessions, refresh tokens and password-reset tokens. Tokens are stored only as hashes.
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "store/database.hpp"

namespace tiptop::auth {

struct SessionRecord {
  std::string id, user_id;
  clock::Millis expires_at = 0;
  std::optional<clock::Millis> revoked_at;
  // From the user row, so authentication needs one query.
  std::string role, email;
  bool user_active = false;
};

struct RefreshRecord {
  std::string token_hash, session_id;
  clock::Millis expires_at = 0;
  std::optional<clock::Millis> used_at;
};

struct ResetRecord {
  std::string user_id;
  clock::Millis expires_at = 0;
  std::optional<clock::Millis> used_at;
};

void insert_session(store::Connection& c, const std::string& id, const std::string& user_id, clock::Millis expires_at,
                    const std::string& ip, const std::string& user_agent);
std::optional<SessionRecord> find_session(store::Connection& c, const std::string& id);
void extend_session(store::Connection& c, const std::string& id, clock::Millis expires_at);
void revoke_session(store::Connection& c, const std::string& id);
// Returns the ids it revoked, so caches can drop them.
std::vector<std::string> revoke_user_sessions(store::Connection& c, const std::string& user_id);

void insert_refresh_token(store::Connection& c, const std::string& hash, const std::string& session_id,
                          clock::Millis expires_at);
// Locks the row on PostgreSQL (SQLite's write transaction already holds the database lock).
std::optional<RefreshRecord> find_refresh_token_for_update(store::Connection& c, const std::string& hash);
// True when this call marked it used; false when someone else already had.
bool mark_refresh_token_used(store::Connection& c, const std::string& hash);

void insert_reset_token(store::Connection& c, const std::string& hash, const std::string& user_id,
                        clock::Millis expires_at);
std::optional<ResetRecord> find_reset_token_for_update(store::Connection& c, const std::string& hash);
bool mark_reset_token_used(store::Connection& c, const std::string& hash);
// After a reset or a change of password: every reset code of the user still outstanding dies.
void expire_reset_tokens(store::Connection& c, const std::string& user_id, clock::Millis at);
// Every session of the user but `keep` (the one changing the password).
std::vector<std::string> revoke_other_sessions(store::Connection& c, const std::string& user_id,
                                               const std::string& keep);

}  // namespace tiptop::auth
