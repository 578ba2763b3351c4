#pragma once
// One-time codes to a phone or an e-mail address (issue 21): POST /api/v1/auth/otp/send and
// /verify. 6 digits, valid 10 minutes, 5 wrong tries and the code is gone; kept only as an HMAC
// under the server's secret (a stolen table does not give the codes away); sent through the
// notification outbox (SMS by Twilio, e-mail by SMTP; the log sender in development). Sending is
// limited per destination and per client address; what it answers never tells whether an account
// exists.
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <string>

#include "core/config.hpp"
#include "core/rate_limiter.hpp"
#include "modules/notifications/notifier.hpp"
#include "store/database.hpp"

namespace tiptop::auth {

struct OtpTarget {
  bool phone = true;    // else an e-mail address
  std::string address;  // the phone as given, or the e-mail address
  std::string purpose;  // verify-phone | verify-email | guest-checkout (a phone)
};

class OtpService {
 public:
  static constexpr int kDigits = 6;
  static constexpr clock::Millis kLifetime = 10 * 60 * 1000;
  static constexpr int kTries = 5;
  static constexpr long kSendsPerDestination = 3;  // per 10 minutes
  static constexpr long kSendsPerAddress = 10;     // per 10 minutes, per client IP

  OtpService(const Config& config, store::Database& db, notifications::Notifier& notifier, RateLimiter& limiter);

  // {sent: true, expiresIn: 600, channel}.
  boost::asio::awaitable<boost::json::object> send(OtpTarget target, std::string client_ip);
  // verify-phone / verify-email: the signed-in user's phone or e-mail (the one the code went to)
  // is marked verified. A wrong code: 400 OTP_INVALID with the tries left; none left, expired or
  // never sent: 400 OTP_EXPIRED (send a new one).
  // guest-checkout (no account needed): {verified, guestToken, expiresIn} — a 30-minute token for
  // POST /api/v1/orders/guest, naming the guest record of this phone.
  boost::asio::awaitable<boost::json::object> verify(OtpTarget target, std::string code, std::string user_id);
  static constexpr std::int64_t kGuestTokenSeconds = 30 * 60;

 private:
  std::string hash(const OtpTarget& t, const std::string& code) const;
  const Config& config_;
  store::Database& db_;
  notifications::Notifier& notifier_;
  RateLimiter& limiter_;
};

}  // namespace tiptop::auth
