#pragma once
// Outbound SMS: Twilio's REST API when TWILIO_ACCOUNT_SID is set, otherwise the log. Blocking;
// failures are thrown as SendFailure.
#include <chrono>
#include <string>

namespace tiptop::integrations {

struct Sms {
  std::string to;  // E.164 (+919812345678)
  std::string body;
};

class SmsSender {
 public:
  virtual ~SmsSender() = default;
  // Returns the provider's message id.
  virtual std::string send(const Sms& sms) = 0;
};

// Development and test: the message (body included) is written to the log and counts as sent.
// Elsewhere it is logged without number or body and fails for good, so its status says so.
class LogSmsSender final : public SmsSender {
 public:
  explicit LogSmsSender(bool development) : development_(development) {}
  std::string send(const Sms& sms) override;

 private:
  bool development_;
};

struct TwilioSettings {
  std::string account_sid, auth_token, from;  // from: a number, or a Messaging Service SID (MG…)
  std::string base_url = "https://api.twilio.com";
  std::chrono::milliseconds timeout{10'000};
};

// POST {base}/2010-04-01/Accounts/{sid}/Messages.json, form-encoded To/From/Body, Basic auth.
class TwilioSmsSender final : public SmsSender {
 public:
  explicit TwilioSmsSender(TwilioSettings s) : s_(std::move(s)) {}
  std::string send(const Sms& sms) override;

 private:
  TwilioSettings s_;
};

// A stored phone as E.164: "+…" is kept, ten digits get the default country code (+91).
std::string to_e164(const std::string& phone, const std::string& default_country_code);

}  // namespace tiptop::integrations
