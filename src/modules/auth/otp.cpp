#include "modules/auth/otp.hpp"

#include <sodium.h>

#include "core/crypto.hpp"
#include "core/errors.hpp"
#include "modules/auth/jwt.hpp"
#include "modules/auth/otp_repository.hpp"
#include "modules/orders/guest_repository.hpp"

namespace tiptop::auth {
namespace asio = boost::asio;
namespace bj = boost::json;
namespace {

std::string destination_of(const OtpTarget& t) {
  std::string address = t.address;
  if (!t.phone)
    for (auto& ch : address) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return (t.phone ? "phone:" : "email:") + address;
}

}  // namespace

OtpService::OtpService(const Config& config, store::Database& db, notifications::Notifier& notifier,
                       RateLimiter& limiter)
    : config_(config), db_(db), notifier_(notifier), limiter_(limiter) {}

std::string OtpService::hash(const OtpTarget& t, const std::string& code) const {
  return crypto::to_hex(crypto::hmac_sha256(config_.jwt_secret, destination_of(t) + "|" + t.purpose + "|" + code));
}

asio::awaitable<bj::object> OtpService::send(OtpTarget target, std::string client_ip) {
  const auto destination = destination_of(target);
  const std::chrono::minutes window{10};
  auto by_address = co_await limiter_.hit("otp-ip:" + client_ip, kSendsPerAddress, window, WhenUnsure::refuse);
  if (!by_address.allowed)
    throw RateLimitError(by_address.reset_seconds, "Too many codes asked for from here; try again later",
                         "TOO_MANY_CODES");
  auto by_destination = co_await limiter_.hit("otp:" + destination, kSendsPerDestination, window, WhenUnsure::refuse);
  if (!by_destination.allowed)
    throw RateLimitError(by_destination.reset_seconds,
                         "A code was sent several times already; wait a few minutes before asking again",
                         "TOO_MANY_CODES");
  char digits[kDigits + 1];
  std::snprintf(digits, sizeof digits, "%06u", randombytes_uniform(1'000'000));
  const std::string code(digits);
  const auto now = clock::now_ms();
  co_await db_.transaction([&](store::Connection& c) {
    put_otp(c, destination, target.purpose, hash(target, code), now + kLifetime, now);
    notifier_.queue_secret(c, target.phone, target.address, "Your TipTop code",
                           "Your TipTop code is " + code + ". It expires in 10 minutes. Never share it.");
  });
  notifier_.wake();
  co_return bj::object{{"sent", true}, {"expiresIn", kLifetime / 1000}, {"channel", target.phone ? "sms" : "email"}};
}

asio::awaitable<bj::object> OtpService::verify(OtpTarget target, std::string code, std::string user_id) {
  const auto destination = destination_of(target);
  enum class Outcome { verified, wrong, gone, not_yours };
  std::int64_t left = 0;
  std::string guest_id;
  const auto outcome = co_await db_.transaction([&](store::Connection& c) {
    auto found = find_otp(c, destination, target.purpose);
    if (!found || found->expires_at <= clock::now_ms() || found->attempts >= kTries) {
      if (found) delete_otp(c, destination, target.purpose);
      return Outcome::gone;
    }
    if (!crypto::constant_time_equal(found->code_hash, hash(target, code))) {
      count_otp_attempt(c, destination, target.purpose);  // committed: a wrong try counts
      left = kTries - found->attempts - 1;
      return Outcome::wrong;
    }
    if (target.purpose == "guest-checkout")
      guest_id = orders::upsert_guest(c, target.address, "");
    else if (!mark_verified(c, user_id, target.phone, target.address))
      return Outcome::not_yours;
    // A phone proven to belong to this account takes over the guest orders placed with it: only
    // now, never at sign-up, where anyone could type someone else's number.
    if (target.purpose == "verify-phone") orders::adopt_guest_orders(c, user_id, target.address);
    delete_otp(c, destination, target.purpose);  // a code works once
    return Outcome::verified;
  });
  switch (outcome) {
    case Outcome::gone:
      throw RefusedError("OTP_EXPIRED", "This code has expired or was used up; ask for a new one",
                         {{"code", "ask for a new code"}});
    case Outcome::wrong:
      throw RefusedError(
          "OTP_INVALID",
          "Wrong code" + (left > 0 ? "; " + std::to_string(left) + " tries left" : "; ask for a new one"),
          {{"code", "is not the code we sent"}});
    case Outcome::not_yours:
      throw RefusedError("OTP_NOT_YOURS",
                         std::string("The code was sent to ") +
                             (target.phone ? "a phone number" : "an e-mail address") + " that is not on your account",
                         {{target.phone ? "phone" : "email", "is not on your account"}});
    case Outcome::verified:
      break;
  }
  if (!guest_id.empty()) {
    const auto now = clock::now_ms() / 1000;
    co_return bj::object{
        {"verified", true},
        {"guestToken",
         sign_access_token({guest_id, "", "guest", "guest", now, now + kGuestTokenSeconds}, config_.jwt_secret)},
        {"expiresIn", kGuestTokenSeconds}};
  }
  co_return bj::object{{"verified", true}, {target.phone ? "isPhoneVerified" : "isEmailVerified", true}};
}

}  // namespace tiptop::auth
