#include "integrations/push.hpp"

#include <openssl/evp.h>
#include <openssl/pem.h>

#include <boost/json/parse.hpp>
#include <fstream>
#include <memory>
#include <sstream>

#include "core/config.hpp"
#include "core/crypto.hpp"
#include "core/json.hpp"
#include "core/log.hpp"
#include "integrations/http_client.hpp"
#include "integrations/send_failure.hpp"

namespace tiptop::integrations {
namespace bj = boost::json;
namespace {

const bj::object* object_of(const bj::value& v) { return v.if_object(); }

std::string string_field(const bj::object* o, const char* name) {
  return o ? json::string_or(*o, name) : std::string();
}

}  // namespace

std::string LogPushSender::send(const Push& push) {
  if (!development_) {
    log::warn("push not delivered: no push provider is configured", {{"title", push.title}});
    throw SendFailure(SendFailure::Kind::permanent, "no push provider is configured (FCM_CREDENTIALS_FILE)");
  }
  log::info("push (log outbox)", {{"title", push.title}, {"token", push.token.substr(0, 8) + "…"}});
  return "log";
}

std::string sign_rs256(const std::string& private_key_pem, const std::string& data) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(private_key_pem.data(), static_cast<int>(private_key_pem.size())), &BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr, &EVP_PKEY_free);
  if (!key) throw std::runtime_error("the FCM private key is not a PEM private key");
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  std::size_t len = 0;
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1)
    throw std::runtime_error("could not sign with the FCM private key");
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len,
                     reinterpret_cast<const unsigned char*>(data.data()), data.size()) != 1)
    throw std::runtime_error("could not sign with the FCM private key");
  sig.resize(len);
  return sig;
}

FcmSettings read_fcm_credentials(const std::string& path) {
  std::ifstream in(path);
  if (!in) throw ConfigError("FCM_CREDENTIALS_FILE: cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  bj::error_code ec;
  const auto doc = bj::parse(text.str(), ec);
  const auto* o = ec ? nullptr : object_of(doc);
  FcmSettings s;
  s.project_id = string_field(o, "project_id");
  s.client_email = string_field(o, "client_email");
  s.private_key_pem = string_field(o, "private_key");
  if (auto uri = string_field(o, "token_uri"); !uri.empty()) s.token_uri = uri;
  if (s.project_id.empty() || s.client_email.empty() || s.private_key_pem.empty())
    throw ConfigError(
        "FCM_CREDENTIALS_FILE must be a service-account JSON with project_id, client_email and private_key");
  sign_rs256(s.private_key_pem, "check");  // a bad key is found at start-up, not at the first push
  return s;
}

FcmPushSender::FcmPushSender(FcmSettings s) : s_(std::move(s)) {
  while (!s_.base_url.empty() && s_.base_url.back() == '/') s_.base_url.pop_back();
}

std::string FcmPushSender::access_token(bool refresh) {
  std::lock_guard lock(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (!refresh && !token_.empty() && now < token_expires_) return token_;
  const auto iat =
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  const auto header = crypto::base64url_encode(R"({"alg":"RS256","typ":"JWT"})");
  const auto claims = crypto::base64url_encode(
      json::serialize(bj::object{{"iss", s_.client_email},
                                 {"scope", "https://www.googleapis.com/auth/firebase.messaging"},
                                 {"aud", s_.token_uri},
                                 {"iat", iat},
                                 {"exp", iat + 3600}}));
  const auto signing_input = header + "." + claims;
  const auto assertion = signing_input + "." + crypto::base64url_encode(sign_rs256(s_.private_key_pem, signing_input));
  HttpCall call{
      .url = s_.token_uri,
      .headers = {"Content-Type: application/x-www-form-urlencoded"},
      .body = form_encode({{"grant_type", "urn:ietf:params:oauth:grant-type:jwt-bearer"}, {"assertion", assertion}}),
      .timeout = s_.timeout};
  const auto reply = call_provider(call, "FCM token");
  bj::error_code ec;
  const auto answer = bj::parse(reply.body, ec);
  const auto* o = ec ? nullptr : object_of(answer);
  const auto token = string_field(o, "access_token");
  if (reply.status != 200 || token.empty())
    throw SendFailure(SendFailure::Kind::retry, "FCM token: HTTP " + std::to_string(reply.status));
  std::int64_t lifetime = 3600;
  if (const auto* e = o->if_contains("expires_in"); e && e->is_int64()) lifetime = e->get_int64();
  token_ = token;
  token_expires_ = now + std::chrono::seconds(std::max<std::int64_t>(lifetime - 60, 0));
  return token_;
}

std::string fcm_message_body(const Push& push) {
  bj::object data;
  for (const auto& [k, v] : push.data)
    data[k] = v.is_string() ? bj::value(v.get_string()) : bj::value(json::serialize(v));
  return json::serialize(bj::object{
      {"message",
       bj::object{{"token", push.token},
                  {"notification", bj::object{{"title", push.title}, {"body", push.body}}},
                  {"data", std::move(data)},
                  {"android", bj::object{{"priority", push.high_priority ? "high" : "normal"}}},
                  {"apns", bj::object{{"headers", bj::object{{"apns-priority", push.high_priority ? "10" : "5"}}}}}}}});
}

std::string FcmPushSender::send(const Push& push) {
  const auto body = fcm_message_body(push);
  for (int attempt = 0;; ++attempt) {
    HttpCall call{.url = s_.base_url + "/v1/projects/" + s_.project_id + "/messages:send",
                  .headers = {"Content-Type: application/json", "Authorization: Bearer " + access_token(attempt > 0)},
                  .body = body,
                  .timeout = s_.timeout};
    const auto reply = call_provider(call, "FCM");
    if (reply.status == 401 && attempt == 0) continue;  // the cached token was revoked or expired early
    bj::error_code ec;
    const auto answer = bj::parse(reply.body, ec);
    const auto* o = ec ? nullptr : object_of(answer);
    if (reply.status == 200) return string_field(o, "name");
    const auto* err = o && o->if_contains("error") ? o->at("error").if_object() : nullptr;
    const auto status = string_field(err, "status");
    std::string code;  // FCM's own error code, in error.details[].errorCode
    if (const auto* details = err ? err->if_contains("details") : nullptr; details && details->is_array())
      for (const auto& d : details->get_array())
        if (auto c = string_field(d.if_object(), "errorCode"); !c.empty()) code = c;
    const auto detail = "FCM: HTTP " + std::to_string(reply.status) + (status.empty() ? "" : " " + status) +
                        (code.empty() ? "" : " " + code);
    // Only FCM's UNREGISTERED says the token is gone for good; a bare 404 (a wrong base URL or
    // project) must not make us forget every device.
    if (code == "UNREGISTERED") throw SendFailure(SendFailure::Kind::unregistered, detail);
    if (reply.status == 400 || reply.status == 403) throw SendFailure(SendFailure::Kind::permanent, detail);
    throw SendFailure(SendFailure::Kind::retry, detail);
  }
}

}  // namespace tiptop::integrations
