#pragma once
// Sign-up, sign-in, token refresh with rotation and reuse detection, logout, password reset,
// and the per-request authentication every protected route relies on.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cache/bus.hpp"
#include "core/config.hpp"
#include "core/rate_limiter.hpp"
#include "modules/auth/session_store.hpp"
#include "modules/notifications/notifier.hpp"
#include "modules/users/model.hpp"
#include "store/database.hpp"

namespace tiptop::auth {

struct Principal {
  std::string user_id, email, role, session_id;
  clock::Millis expires_at = 0;  // the session's end (a refresh moves it; this is the value now)
};

struct ClientInfo {
  std::string ip, user_agent;
};

struct NewAccount {
  std::string role = "customer";
  std::string email, phone, password, first_name, last_name;
  std::string vehicle_type, vehicle_number;  // delivery partners
};

struct Tokens {
  std::string token, refresh_token;
};

struct SignedIn {
  users::User user;
  Tokens tokens;
};

class AuthService {
 public:
  AuthService(const Config& config, store::Database& db, boost::asio::thread_pool& cpu,
              notifications::Notifier& notifier, RateLimiter& limiter, cache::Cache& shared,
              cache::InvalidationBus& bus);

  boost::asio::awaitable<SignedIn> register_account(NewAccount account, ClientInfo client);
  boost::asio::awaitable<SignedIn> login(std::string login, std::string password, ClientInfo client);
  boost::asio::awaitable<Tokens> refresh(std::string refresh_token);
  boost::asio::awaitable<void> logout(std::string session_id);
  boost::asio::awaitable<void> forgot_password(std::string email, std::string ip);
  boost::asio::awaitable<void> reset_password(std::string token, std::string new_password);
  // Proves the signed-in user knows the account's password (changing the e-mail or phone asks it):
  // 400 naming currentPassword when wrong; counted against the login limits.
  boost::asio::awaitable<void> confirm_password(std::string user_id, std::string password, std::string ip);
  // The password policy applies; every other session of the user ends and outstanding reset codes die.
  // (Plain strings, not a Principal: GCC 12 mis-destroys a braced temporary passed to a coroutine.)
  boost::asio::awaitable<void> change_password(std::string user_id, std::string session_id, std::string current,
                                               std::string next, std::string ip);
  // Verifies the bearer token and its session; throws AuthenticationError (INVALID_TOKEN when forged).
  boost::asio::awaitable<Principal> authenticate(std::string bearer_token);

  // Called after sessions end (logout, password reset, refresh-token reuse), so live
  // connections authenticated by them (Socket.IO) can be closed. Set once at start-up.
  void on_sessions_revoked(std::function<void(const std::vector<std::string>&)> f) { on_revoked_ = std::move(f); }

  // For admins: an account of any role, hashed off the I/O threads; no session is opened.
  boost::asio::awaitable<users::User> create_account(NewAccount account);
  // Signs the user out everywhere (deactivation, blocking): every session revoked, sockets closed.
  boost::asio::awaitable<void> revoke_user(std::string user_id);

  // For the CLI: creates an account of any role on the calling thread.
  users::User create_account_sync(const NewAccount& account);

 private:
  Tokens open_session(store::Connection& c, const users::User& u, const ClientInfo& client);
  std::string access_token(const std::string& user_id, const std::string& email, const std::string& role,
                           const std::string& sid) const;
  void check_new_password(const std::string& password, const std::string& field = "password") const;
  users::User new_user(const NewAccount& a, std::string hash) const;
  // Login attempts per IP and account, and per account across IPs. The account is the user id
  // when the login names one, so spellings of the same e-mail, or e-mail versus phone, share a budget.
  // Fails closed: 503 when the shared counters cannot be read.
  boost::asio::awaitable<void> limit_login(std::string account, std::string ip);

  const Config& config_;
  store::Database& db_;
  boost::asio::thread_pool& cpu_;
  notifications::Notifier& notifier_;
  RateLimiter& limiter_;
  // After a revocation committed: forgotten everywhere, other nodes told, sockets closed.
  boost::asio::awaitable<void> revoked(std::vector<std::string> session_ids);
  boost::asio::awaitable<void> on_revoked_elsewhere(std::string message);
  void notify_revoked(const std::vector<std::string>& session_ids);

  cache::InvalidationBus& bus_;
  SessionStore sessions_;
  std::function<void(const std::vector<std::string>&)> on_revoked_;
};

}  // namespace tiptop::auth
