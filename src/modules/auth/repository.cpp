#include "modules/auth/repository.hpp"

namespace tiptop::auth {

void insert_session(store::Connection& c, const std::string& id, const std::string& user_id, clock::Millis expires_at,
                    const std::string& ip, const std::string& user_agent) {
  const auto now = clock::now_ms();
  c.execute(
      "INSERT INTO sessions (id, user_id, created_at, last_used_at, expires_at, ip, user_agent) "
      "VALUES (?, ?, ?, ?, ?, ?, ?)",
      {id, user_id, now, now, expires_at, ip, user_agent.substr(0, 256)});
}

std::optional<SessionRecord> find_session(store::Connection& c, const std::string& id) {
  auto rs = c.query(
      "SELECT s.id, s.user_id, s.expires_at, s.revoked_at, u.role, u.email, u.is_active FROM sessions s "
      "JOIN users u ON u.id = s.user_id WHERE s.id = ?",
      {id});
  if (rs.empty()) return std::nullopt;
  const auto& r = rs.rows[0];
  return SessionRecord{r.text("id"),   r.text("user_id"), r.integer("expires_at"), r.integer_or_null("revoked_at"),
                       r.text("role"), r.text("email"),   r.boolean("is_active")};
}

void extend_session(store::Connection& c, const std::string& id, clock::Millis expires_at) {
  c.execute("UPDATE sessions SET expires_at = ?, last_used_at = ? WHERE id = ?", {expires_at, clock::now_ms(), id});
}

void revoke_session(store::Connection& c, const std::string& id) {
  c.execute("UPDATE sessions SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", {clock::now_ms(), id});
}

std::vector<std::string> revoke_user_sessions(store::Connection& c, const std::string& user_id) {
  std::vector<std::string> ids;
  for (const auto& r : c.query("SELECT id FROM sessions WHERE user_id = ? AND revoked_at IS NULL", {user_id}).rows)
    ids.push_back(r.text("id"));
  c.execute("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL", {clock::now_ms(), user_id});
  return ids;
}

std::vector<std::string> revoke_other_sessions(store::Connection& c, const std::string& user_id,
                                               const std::string& keep) {
  std::vector<std::string> ids;
  for (const auto& r :
       c.query("SELECT id FROM sessions WHERE user_id = ? AND id <> ? AND revoked_at IS NULL", {user_id, keep}).rows)
    ids.push_back(r.text("id"));
  c.execute("UPDATE sessions SET revoked_at = ? WHERE user_id = ? AND id <> ? AND revoked_at IS NULL",
            {clock::now_ms(), user_id, keep});
  return ids;
}

void expire_reset_tokens(store::Connection& c, const std::string& user_id, clock::Millis at) {
  c.execute("UPDATE password_resets SET used_at = ? WHERE user_id = ? AND used_at IS NULL", {at, user_id});
}

void insert_refresh_token(store::Connection& c, const std::string& hash, const std::string& session_id,
                          clock::Millis expires_at) {
  c.execute("INSERT INTO refresh_tokens (token_hash, session_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
            {hash, session_id, clock::now_ms(), expires_at});
}

std::optional<RefreshRecord> find_refresh_token_for_update(store::Connection& c, const std::string& hash) {
  auto rs = c.query("SELECT token_hash, session_id, expires_at, used_at FROM refresh_tokens WHERE token_hash = ?" +
                        std::string(store::row_lock(c)),
                    {hash});
  if (rs.empty()) return std::nullopt;
  const auto& r = rs.rows[0];
  return RefreshRecord{r.text("token_hash"), r.text("session_id"), r.integer("expires_at"),
                       r.integer_or_null("used_at")};
}

bool mark_refresh_token_used(store::Connection& c, const std::string& hash) {
  return c.execute("UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL",
                   {clock::now_ms(), hash}) == 1;
}

void insert_reset_token(store::Connection& c, const std::string& hash, const std::string& user_id,
                        clock::Millis expires_at) {
  c.execute("INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
            {hash, user_id, clock::now_ms(), expires_at});
}

std::optional<ResetRecord> find_reset_token_for_update(store::Connection& c, const std::string& hash) {
  auto rs = c.query(
      "SELECT user_id, expires_at, used_at FROM password_resets WHERE token_hash = ?" + std::string(store::row_lock(c)),
      {hash});
  if (rs.empty()) return std::nullopt;
  const auto& r = rs.rows[0];
  return ResetRecord{r.text("user_id"), r.integer("expires_at"), r.integer_or_null("used_at")};
}

bool mark_reset_token_used(store::Connection& c, const std::string& hash) {
  return c.execute("UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL",
                   {clock::now_ms(), hash}) == 1;
}

}  // namespace tiptop::auth
