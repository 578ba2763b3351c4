#include "modules/auth/session_store.hpp"

#include <algorithm>
#include <boost/json.hpp>

#include "core/json.hpp"

namespace tiptop::auth {
namespace asio = boost::asio;
namespace bj = boost::json;

namespace {

std::string key(const std::string& sid) { return "session:" + sid; }

constexpr const char* kTombstone = R"({"revoked":true})";

}  // namespace

std::string stored_session(const SessionRecord& s) {
  return json::serialize(bj::object{{"userId", s.user_id},
                                    {"expiresAt", s.expires_at},
                                    {"role", s.role},
                                    {"email", s.email},
                                    {"active", s.user_active}});
}

std::optional<SessionRecord> session_from_stored(const std::string& sid, const std::string& text) {
  bj::error_code ec;
  const auto v = bj::parse(text, ec);
  const auto* o = ec ? nullptr : v.if_object();
  if (!o) return std::nullopt;
  SessionRecord s;
  s.id = sid;
  if (json::bool_or(*o, "revoked", false)) {
    s.revoked_at = 0;
    return s;
  }
  s.user_id = json::string_or(*o, "userId");
  s.expires_at = json::int_or(*o, "expiresAt", 0);
  s.role = json::string_or(*o, "role");
  s.email = json::string_or(*o, "email");
  s.user_active = json::bool_or(*o, "active", false);
  if (s.user_id.empty() || s.expires_at == 0) return std::nullopt;
  return s;
}

bool SessionStore::unwritten(const std::string& sid) {
  std::lock_guard lock(unwritten_mutex_);
  return std::find(unwritten_.begin(), unwritten_.end(), sid) != unwritten_.end();
}

asio::awaitable<std::optional<SessionRecord>> SessionStore::find(std::string sid) {
  if (auto s = local_.get(sid)) co_return s;
  // A session revoked here whose tombstone Redis has not taken yet: Redis may still hold it live.
  if (shared_.shared() && !unwritten(sid))
    if (auto text = co_await shared_.get(key(sid)))
      if (auto s = session_from_stored(sid, *text)) {
        local_.put(*s);
        co_return s;
      }
  auto s = co_await db_.read([&](store::Connection& c) { return find_session(c, sid); });
  if (!s) co_return s;
  local_.put(*s);
  // Never kept past the session's expiry: a refresh extends it in the database, and an older
  // copy must run out before its expiresAt could be read as the end.
  const auto left = std::chrono::seconds((s->expires_at - clock::now_ms()) / 1000);
  if (shared_.shared() && !s->revoked_at && left.count() > 0)
    co_await shared_.set(key(sid), stored_session(*s), std::min(left, cache::kSessionTtl), /*only_if_absent=*/true);
  co_return s;
}

asio::awaitable<bool> SessionStore::bury(const std::vector<std::string>& sids) {
  bool all = true;
  for (const auto& sid : sids)
    if (!co_await shared_.set(key(sid), kTombstone, cache::kSessionTtl)) all = false;
  co_return all;
}

asio::awaitable<void> SessionStore::forget(std::vector<std::string> sids) {
  local_.erase(sids);
  if (!shared_.shared() || sids.empty()) co_return;
  if (co_await bury(sids)) co_return;
  std::lock_guard lock(unwritten_mutex_);
  unwritten_.insert(unwritten_.end(), sids.begin(), sids.end());
}

asio::awaitable<void> SessionStore::retry_unwritten() {
  std::vector<std::string> sids;
  {
    std::lock_guard lock(unwritten_mutex_);
    sids.swap(unwritten_);
  }
  if (sids.empty()) co_return;
  const bool written = co_await bury(sids);  // GCC 12: no co_await inside || or ?:
  if (written) co_return;
  std::lock_guard lock(unwritten_mutex_);
  unwritten_.insert(unwritten_.end(), sids.begin(), sids.end());
}

}  // namespace tiptop::auth
