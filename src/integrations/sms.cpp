#include "integrations/sms.hpp"

#include <boost/json/parse.hpp>

#include "core/json.hpp"
#include "core/log.hpp"
#include "integrations/http_client.hpp"
#include "integrations/send_failure.hpp"

namespace tiptop::integrations {
namespace bj = boost::json;

std::string LogSmsSender::send(const Sms& sms) {
  if (!development_) {
    log::warn("sms not delivered: no SMS provider is configured");  // no number: the log is not the place
    throw SendFailure(SendFailure::Kind::permanent, "no SMS provider is configured (TWILIO_ACCOUNT_SID)");
  }
  log::info("sms (log outbox)", {{"to", sms.to}, {"body", sms.body}});
  return "log";
}

std::string to_e164(const std::string& phone, const std::string& default_country_code) {
  std::string digits;
  for (char ch : phone)
    if (ch >= '0' && ch <= '9') digits += ch;
  if (!phone.empty() && phone.front() == '+') return "+" + digits;
  if (digits.size() == 11 && digits.front() == '0') digits.erase(0, 1);  // trunk prefix
  return default_country_code + digits;
}

std::string TwilioSmsSender::send(const Sms& sms) {
  auto base = s_.base_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  const bool service = s_.from.rfind("MG", 0) == 0;
  HttpCall call{
      .url = base + "/2010-04-01/Accounts/" + s_.account_sid + "/Messages.json",
      .headers = {"Content-Type: application/x-www-form-urlencoded", "Accept: application/json"},
      .body = form_encode({{"To", sms.to}, {service ? "MessagingServiceSid" : "From", s_.from}, {"Body", sms.body}}),
      .userpwd = s_.account_sid + ":" + s_.auth_token,
      .timeout = s_.timeout};
  const auto reply = call_provider(call, "Twilio");
  bj::error_code ec;
  const auto answer = bj::parse(reply.body, ec);
  const auto* obj = ec ? nullptr : answer.if_object();
  if (reply.status == 200 || reply.status == 201) return obj ? json::string_or(*obj, "sid") : std::string();
  std::string detail = "HTTP " + std::to_string(reply.status);
  if (const auto message = obj ? json::string_or(*obj, "message") : std::string(); !message.empty())
    detail += ": " + message;
  // 400 (invalid or unreachable number, refused body) will not change; throttling, server errors
  // and our own credentials (401, fixed by an operator) may.
  const bool permanent = reply.status == 400 || reply.status == 404 || reply.status == 422;
  throw SendFailure(permanent ? SendFailure::Kind::permanent : SendFailure::Kind::retry, "Twilio: " + detail);
}

}  // namespace tiptop::integrations
