#include "modules/auth/service.hpp"

#include "core/blocking.hpp"
#include "core/crypto.hpp"
#include "core/ids.hpp"
#include "core/log.hpp"
#include "modules/auth/jwt.hpp"
#include "modules/auth/passwords.hpp"
#include "modules/auth/repository.hpp"
#include "modules/notifications/triggers.hpp"
#include "modules/users/repository.hpp"

namespace tiptop::auth {
namespace asio = boost::asio;
namespace {

constexpr clock::Millis kResetTokenLifetime = 60 * 60 * 1000;

[[noreturn]] void invalid_refresh(const std::string& why) { throw AuthenticationError(why, "INVALID_TOKEN"); }

// Verifying against this when the account does not exist keeps "no such user" as slow as
// "wrong password", so response times do not reveal which e-mails are registered.
const std::string& dummy_hash() {
  static const std::string h = hash_password(crypto::random_token(16));
  return h;
}

}  // namespace

AuthService::AuthService(const Config& config, store::Database& db, asio::thread_pool& cpu,
                         notifications::Notifier& notifier, RateLimiter& limiter, cache::Cache& shared,
                         cache::InvalidationBus& bus)
    : config_(config), db_(db), cpu_(cpu), notifier_(notifier), limiter_(limiter), bus_(bus), sessions_(db, shared) {
  bus_.subscribe("sessions", [this](std::string m) { return on_revoked_elsewhere(std::move(m)); });
}

asio::awaitable<void> AuthService::limit_login(std::string account, std::string ip) {
  const std::chrono::milliseconds window{config_.rate_limit_window_ms};
  const long per_ip = config_.auth_rate_limit_max;
  const char* kMessage = "Too many login attempts, please try again later";
  auto by_ip = co_await limiter_.hit("login:" + ip + ":" + account, per_ip, window, WhenUnsure::refuse);
  if (!by_ip.allowed) throw RateLimitError(by_ip.reset_seconds, kMessage);
  // Only attempts that passed the per-IP limit count towards the account's cap.
  auto by_account = co_await limiter_.hit("login-account:" + account, per_ip * 4, window, WhenUnsure::refuse);
  if (!by_account.allowed) throw RateLimitError(by_account.reset_seconds, kMessage);
}

void AuthService::check_new_password(const std::string& password, const std::string& field) const {
  if (auto problem = password_problem(password)) throw ValidationError("Validation failed", {{field, *problem}});
}

users::User AuthService::new_user(const NewAccount& a, std::string hash) const {
  users::User u;
  u.id = ids::new_object_id();
  u.role = a.role;
  u.email = users::normalize_email(a.email);
  u.phone = users::normalize_phone(a.phone);
  u.password_hash = std::move(hash);
  u.first_name = a.first_name;
  u.last_name = a.last_name;
  u.vehicle_type = a.vehicle_type;
  u.vehicle_number = a.vehicle_number;
  u.created_at = u.updated_at = clock::now_ms();
  return u;
}

std::string AuthService::access_token(const std::string& user_id, const std::string& email, const std::string& role,
                                      const std::string& sid) const {
  const auto now = clock::now_ms() / 1000;
  return sign_access_token({user_id, email, role, sid, now, now + config_.jwt_expire.count()}, config_.jwt_secret);
}

Tokens AuthService::open_session(store::Connection& c, const users::User& u, const ClientInfo& client) {
  const auto sid = crypto::random_token(16);
  const auto refresh = crypto::random_token(32);
  const auto expires =
      clock::now_ms() + std::chrono::duration_cast<std::chrono::milliseconds>(config_.refresh_token_expire).count();
  insert_session(c, sid, u.id, expires, client.ip, client.user_agent);
  insert_refresh_token(c, crypto::sha256_hex(refresh), sid, expires);
  return {access_token(u.id, u.email, u.role, sid), refresh};
}

asio::awaitable<SignedIn> AuthService::register_account(NewAccount account, ClientInfo client) {
  check_new_password(account.password);
  auto hash = co_await run_blocking(cpu_, [&] { return hash_password(account.password); });
  users::User user = new_user(account, std::move(hash));
  auto tokens = co_await db_.transaction([&](store::Connection& c) {
    users::insert_user(c, user);
    return open_session(c, user, client);
  });
  co_return SignedIn{std::move(user), std::move(tokens)};
}

asio::awaitable<users::User> AuthService::create_account(NewAccount account) {
  check_new_password(account.password);
  auto hash = co_await run_blocking(cpu_, [&] { return hash_password(account.password); });
  users::User user = new_user(account, std::move(hash));
  co_await db_.transaction([&](store::Connection& c) { users::insert_user(c, user); });
  co_return user;
}

asio::awaitable<void> AuthService::revoke_user(std::string user_id) {
  auto ended = co_await db_.transaction([&](store::Connection& c) { return revoke_user_sessions(c, user_id); });
  co_await revoked(std::move(ended));
}

users::User AuthService::create_account_sync(const NewAccount& account) {
  check_new_password(account.password);
  users::User user = new_user(account, hash_password(account.password));
  auto insert = [&](store::Connection& c) { users::insert_user(c, user); };
  db_.transaction_sync(insert);
  return user;
}

asio::awaitable<SignedIn> AuthService::login(std::string login, std::string password, ClientInfo client) {
  auto found = co_await db_.read([&](store::Connection& c) { return users::find_by_login(c, login); });
  std::string account = found                                  ? found->id
                        : login.find('@') != std::string::npos ? users::normalize_email(login)
                                                               : users::normalize_phone(login);
  co_await limit_login(std::move(account), client.ip);
  const std::string stored = found ? found->password_hash : std::string();
  const bool ok = co_await run_blocking(cpu_, [&] {
    const bool match = verify_password(password, found ? stored : dummy_hash());
    return match && found.has_value();
  });
  if (!ok) throw AuthenticationError("Invalid credentials");
  if (!found->is_active) throw AuthenticationError("Account is disabled");

  std::optional<std::string> rehashed;
  if (needs_rehash(stored)) rehashed = co_await run_blocking(cpu_, [&] { return hash_password(password); });
  users::User user = std::move(*found);
  const auto now = clock::now_ms();
  auto tokens = co_await db_.transaction([&](store::Connection& c) {
    if (rehashed) users::set_password_hash(c, user.id, *rehashed);
    users::set_last_login(c, user.id, now);
    return open_session(c, user, client);
  });
  if (rehashed) log::info("password re-hashed with Argon2id", {{"userId", user.id}});
  user.last_login = now;
  co_return SignedIn{std::move(user), std::move(tokens)};
}

asio::awaitable<Tokens> AuthService::refresh(std::string refresh_token) {
  struct Outcome {
    std::optional<Tokens> tokens;
    std::string error;
    std::string revoked_session;
  };
  const auto hash = crypto::sha256_hex(refresh_token);
  auto outcome = co_await db_.transaction([&](store::Connection& c) -> Outcome {
    auto rec = find_refresh_token_for_update(c, hash);
    if (!rec) return {std::nullopt, "Invalid refresh token", {}};
    auto session = find_session(c, rec->session_id);
    if (rec->used_at || !mark_refresh_token_used(c, hash)) {
      // A rotated token came back: whoever holds it may be a thief. End the whole session; the
      // revocation commits even though this request fails.
      revoke_session(c, rec->session_id);
      return {std::nullopt, "Refresh token reuse detected; session revoked", rec->session_id};
    }
    const auto now = clock::now_ms();
    if (!session || session->revoked_at || rec->expires_at < now || session->expires_at < now)
      return {std::nullopt, "Refresh token expired", {}};
    if (!session->user_active) return {std::nullopt, "User not found or inactive", {}};
    const auto fresh = crypto::random_token(32);
    const auto expires =
        now + std::chrono::duration_cast<std::chrono::milliseconds>(config_.refresh_token_expire).count();
    insert_refresh_token(c, crypto::sha256_hex(fresh), session->id, expires);
    extend_session(c, session->id, expires);
    return {Tokens{access_token(session->user_id, session->email, session->role, session->id), fresh}, {}, {}};
  });
  if (!outcome.revoked_session.empty()) {
    std::vector<std::string> ended{outcome.revoked_session};  // GCC 12: no braced list inside co_await
    co_await revoked(std::move(ended));
    log::warn("refresh token reuse: session revoked", {{"sessionId", outcome.revoked_session}});
  }
  if (!outcome.tokens) invalid_refresh(outcome.error);
  co_return std::move(*outcome.tokens);
}

asio::awaitable<void> AuthService::logout(std::string session_id) {
  co_await db_.transaction([&](store::Connection& c) { revoke_session(c, session_id); });
  std::vector<std::string> ended{session_id};
  co_await revoked(std::move(ended));
}

asio::awaitable<void> AuthService::revoked(std::vector<std::string> session_ids) {
  if (session_ids.empty()) co_return;
  co_await sessions_.forget(session_ids);
  std::string list;
  for (const auto& sid : session_ids) list += (list.empty() ? "" : ",") + sid;
  co_await bus_.publish_and_wait("sessions", list);  // signed out on every node before the answer
  notify_revoked(session_ids);
}

asio::awaitable<void> AuthService::on_revoked_elsewhere(std::string message) {
  if (message == cache::kResync) {
    // Cut off from the other nodes for a while: what they revoked meanwhile is unknown here, and
    // what this node revoked may not have reached Redis.
    sessions_.forget_all_locally();
    co_await sessions_.retry_unwritten();
    co_return;
  }
  std::vector<std::string> sids;
  for (std::size_t start = 0; start <= message.size();) {
    const auto comma = std::min(message.find(',', start), message.size());
    if (comma > start) sids.push_back(message.substr(start, comma - start));
    start = comma + 1;
  }
  sessions_.forget_locally(sids);
  notify_revoked(sids);  // their sockets on this node close too
}

void AuthService::notify_revoked(const std::vector<std::string>& session_ids) {
  if (on_revoked_ && !session_ids.empty()) on_revoked_(session_ids);
}

asio::awaitable<void> AuthService::forgot_password(std::string email, std::string ip) {
  // Applied whether or not the account exists, so the 429 reveals nothing; stops mail-bombing.
  const std::chrono::milliseconds window{config_.rate_limit_window_ms};
  auto by_email = co_await limiter_.hit("forgot:" + users::normalize_email(email), 3, window);
  auto by_ip = co_await limiter_.hit("forgot-ip:" + ip, config_.auth_rate_limit_max * 2, window);
  if (!by_email.allowed || !by_ip.allowed)
    throw RateLimitError(
        std::max(by_email.allowed ? 0L : by_email.reset_seconds, by_ip.allowed ? 0L : by_ip.reset_seconds),
        "Too many reset requests, please try again later");
  auto user = co_await db_.read([&](store::Connection& c) { return users::find_by_email(c, email); });
  if (!user || !user->is_active) co_return;  // the same answer either way: existence is not revealed
  const auto token = crypto::random_token(32);
  // The code and its e-mail (through the outbox) commit together: no code without its mail.
  const auto expires_at = clock::now_ms() + kResetTokenLifetime;
  const std::vector<notifications::Draft> drafts{notifications::password_reset_draft(user->id, token, expires_at)};
  auto told = co_await db_.transaction([&](store::Connection& c) {
    insert_reset_token(c, crypto::sha256_hex(token), user->id, expires_at);
    return notifier_.store(c, drafts);
  });
  notifier_.publish(told);
}

asio::awaitable<void> AuthService::reset_password(std::string token, std::string new_password) {
  check_new_password(new_password);
  const auto token_hash = crypto::sha256_hex(token);
  auto usable = [&](store::Connection& c) {
    auto rec = find_reset_token_for_update(c, token_hash);
    if (!rec || rec->used_at || rec->expires_at < clock::now_ms())
      throw ValidationError("Invalid or expired reset token", {{"token", "is invalid or has expired"}});
    return rec->user_id;
  };
  // The token is checked before the (deliberately slow) hash, so random tokens cost no CPU.
  co_await db_.read(usable);
  auto hash = co_await run_blocking(cpu_, [&] { return hash_password(new_password); });
  auto ended = co_await db_.transaction([&](store::Connection& c) {
    const auto user_id = usable(c);  // again, under the lock: it may have been used meanwhile
    if (!mark_reset_token_used(c, token_hash))
      throw ValidationError("Invalid or expired reset token", {{"token", "is invalid or has expired"}});
    users::set_password_hash(c, user_id, hash);
    expire_reset_tokens(c, user_id, clock::now_ms());  // the other codes of this account die with it
    return revoke_user_sessions(c, user_id);           // a reset signs out every device
  });
  co_await revoked(std::move(ended));
}

asio::awaitable<void> AuthService::confirm_password(std::string user_id, std::string password, std::string ip) {
  // Counted like sign-ins: a stolen token must not become a way to guess the password.
  co_await limit_login(user_id, ip);
  auto found = co_await db_.read([&](store::Connection& c) { return users::find_by_id(c, user_id); });
  const std::string stored = found ? found->password_hash : std::string();
  const bool ok = co_await run_blocking(cpu_, [&] { return verify_password(password, found ? stored : dummy_hash()); });
  if (!ok || !found) throw ValidationError("Validation failed", {{"currentPassword", "is not your current password"}});
}

asio::awaitable<void> AuthService::change_password(std::string user_id, std::string session_id, std::string current,
                                                   std::string next, std::string ip) {
  check_new_password(next, "newPassword");
  if (current == next)
    throw ValidationError("Validation failed", {{"newPassword", "must differ from the current one"}});
  co_await confirm_password(user_id, std::move(current), ip);
  auto hash = co_await run_blocking(cpu_, [&] { return hash_password(next); });
  auto ended = co_await db_.transaction([&](store::Connection& c) {
    users::set_password_hash(c, user_id, hash);
    expire_reset_tokens(c, user_id, clock::now_ms());
    return revoke_other_sessions(c, user_id, session_id);  // this device stays signed in
  });
  co_await revoked(std::move(ended));
}

asio::awaitable<Principal> AuthService::authenticate(std::string bearer) {
  const auto claims = verify_access_token(bearer, config_.jwt_secret, clock::now_ms() / 1000);
  // A guest token (a phone proven by a code) has no session: its 30 minutes are its whole life,
  // and the pipeline lets it reach only the routes made for guests.
  if (claims.role == "guest") co_return Principal{claims.user_id, "", "guest", "", claims.exp * 1000};
  auto session = co_await sessions_.find(claims.sid);
  if (!session || session->revoked_at || session->expires_at < clock::now_ms() || session->user_id != claims.user_id)
    throw AuthenticationError("Session expired");
  if (!session->user_active) throw AuthenticationError("User not found or inactive");
  co_return Principal{session->user_id, session->email, session->role, session->id, session->expires_at};
}

}  // namespace tiptop::auth
