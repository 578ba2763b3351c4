#pragma once
// Outbound push: Firebase Cloud Messaging HTTP v1 when FCM_CREDENTIALS_FILE is set, otherwise the
// log. Blocking; failures are thrown as SendFailure (unregistered: the token is gone for good).
#include <boost/json/object.hpp>
#include <chrono>
#include <mutex>
#include <string>

namespace tiptop::integrations {

struct Push {
  std::string token, title, body;
  boost::json::object data;  // sent as FCM data: string values
  bool high_priority = false;
};

class PushSender {
 public:
  virtual ~PushSender() = default;
  // Returns the provider's message name.
  virtual std::string send(const Push& push) = 0;
};

// Development and test: the push is written to the log and counts as sent. Elsewhere nothing can
// deliver it: it is logged without the device and fails for good, so its status says so.
class LogPushSender final : public PushSender {
 public:
  explicit LogPushSender(bool development) : development_(development) {}
  std::string send(const Push& push) override;

 private:
  bool development_;
};

// A Google service account, as in the JSON file Google issues (project_id, client_email,
// private_key, token_uri).
struct FcmSettings {
  std::string project_id, client_email, private_key_pem;
  std::string token_uri = "https://oauth2.googleapis.com/token";
  std::string base_url = "https://fcm.googleapis.com";
  std::chrono::milliseconds timeout{10'000};
};
// Reads the service-account file; throws ConfigError naming what is missing.
FcmSettings read_fcm_credentials(const std::string& path);

// OAuth 2.0 for service accounts: a JWT signed RS256 with the account's key is exchanged for an
// access token (cached until a minute before it expires), then
// POST {base}/v1/projects/{project}/messages:send with the Bearer token.
class FcmPushSender final : public PushSender {
 public:
  explicit FcmPushSender(FcmSettings s);
  std::string send(const Push& push) override;

 private:
  std::string access_token(bool refresh);
  FcmSettings s_;
  std::mutex mutex_;
  std::string token_;
  std::chrono::steady_clock::time_point token_expires_{};
};

// The body of POST …/messages:send. FCM data values must be strings, so a number or an object in
// push.data travels as its JSON text, printed by json::serialize: 992.25, never Boost's 9.9225E2.
std::string fcm_message_body(const Push& push);

// RS256 (RSASSA-PKCS1-v1_5 with SHA-256) over data with a PEM private key; raw signature bytes.
std::string sign_rs256(const std::string& private_key_pem, const std::string& data);

}  // namespace tiptop::integrations
