#include "integrations/email.hpp"

#include <curl/curl.h>

#include <ctime>
#include <memory>

#include "core/crypto.hpp"
#include "core/log.hpp"
#include "integrations/http_client.hpp"
#include "integrations/send_failure.hpp"

namespace tiptop::integrations {
namespace {

std::string one_line(std::string s) {
  for (auto& ch : s)
    if (ch == '\r' || ch == '\n') ch = ' ';
  return s;
}

bool is_ascii(const std::string& s) {
  for (unsigned char ch : s)
    if (ch >= 0x80) return false;
  return true;
}

std::string rfc5322_now() {
  const std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S +0000", &tm);
  return buf;
}

bool loopback_host(const std::string& url) {
  const auto at = url.find('@');
  const auto host_start = at == std::string::npos ? url.find("://") + 3 : at + 1;
  const auto host_end = url[host_start] == '[' ? url.find(']', host_start) + 1 : url.find_first_of(":/", host_start);
  const auto host = url.substr(host_start, host_end - host_start);
  return host == "127.0.0.1" || host == "localhost" || host == "[::1]";
}

struct Upload {
  std::string data;
  std::size_t offset = 0;
};

std::size_t read_upload(char* buffer, std::size_t size, std::size_t n, void* user) {
  auto* up = static_cast<Upload*>(user);
  const auto len = std::min(size * n, up->data.size() - up->offset);
  up->data.copy(buffer, len, up->offset);
  up->offset += len;
  return len;
}

}  // namespace

void LogEmailSender::send(const Email& email) {
  if (!development_) {
    log::warn("email not delivered: no e-mail transport is configured", {{"subject", email.subject}});
    throw SendFailure(SendFailure::Kind::permanent, "no e-mail transport is configured (SMTP_URL)");
  }
  log::info("email (log outbox)", {{"to", email.to}, {"subject", email.subject}, {"body", email.body}});
}

std::string address_of(const std::string& mailbox) {
  const auto open = mailbox.rfind('<');
  const auto close = mailbox.rfind('>');
  if (open != std::string::npos && close != std::string::npos && close > open)
    return mailbox.substr(open + 1, close - open - 1);
  return mailbox;
}

std::string render_email(const Email& email, const std::string& from, const std::string& date) {
  const auto subject = one_line(email.subject);
  std::string m;
  m += "From: " + one_line(from) + "\r\n";
  m += "To: " + one_line(email.to) + "\r\n";
  m += "Subject: " + (is_ascii(subject) ? subject : "=?UTF-8?B?" + crypto::base64_encode(subject) + "?=") + "\r\n";
  m += "Date: " + date + "\r\n";
  if (!email.message_id.empty()) m += "Message-ID: <" + one_line(email.message_id) + ">\r\n";
  m += "MIME-Version: 1.0\r\n";
  m += "Content-Type: text/plain; charset=UTF-8\r\n";
  m += "Content-Transfer-Encoding: 8bit\r\n\r\n";
  // Bare LF becomes CRLF; curl dot-stuffs lines that begin with '.'.
  for (std::size_t i = 0; i < email.body.size(); ++i) {
    const char ch = email.body[i];
    if (ch == '\r') continue;
    if (ch == '\n')
      m += "\r\n";
    else
      m += ch;
  }
  m += "\r\n";
  return m;
}

SmtpEmailSender::SmtpEmailSender(std::string url, std::string from, std::chrono::milliseconds timeout)
    : url_(std::move(url)), from_(std::move(from)), from_address_(address_of(from_)), timeout_(timeout) {
  ensure_curl();
}

void SmtpEmailSender::send(const Email& email) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) throw SendFailure(SendFailure::Kind::retry, "could not create an SMTP client");
  const auto to = address_of(one_line(email.to));
  const auto mail_from = "<" + from_address_ + ">";
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> rcpt(curl_slist_append(nullptr, ("<" + to + ">").c_str()),
                                                                   &curl_slist_free_all);
  Upload body{render_email(email, from_, rfc5322_now())};
  CURL* h = curl.get();
  curl_easy_setopt(h, CURLOPT_URL, url_.c_str());
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
  const bool has_credentials = url_.find('@') != std::string::npos;
  // Credentials never cross the network in the clear; a local relay may go without TLS.
  curl_easy_setopt(h, CURLOPT_USE_SSL, has_credentials && !loopback_host(url_) ? CURLUSESSL_ALL : CURLUSESSL_TRY);
  curl_easy_setopt(h, CURLOPT_MAIL_FROM, mail_from.c_str());
  curl_easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt.get());
  curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
  curl_easy_setopt(h, CURLOPT_READFUNCTION, &read_upload);
  curl_easy_setopt(h, CURLOPT_READDATA, &body);
  curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(body.data.size()));
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout_.count()));
  curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, std::min(static_cast<long>(timeout_.count()), 5'000L));
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  const CURLcode rc = curl_easy_perform(h);
  if (rc == CURLE_OK) return;
  long reply = 0;
  curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &reply);
  // 5xx from the server (mailbox unknown, message refused) will not change on a retry; 4xx, a
  // broken connection and refused credentials (fixed by an operator) may.
  const bool permanent = rc != CURLE_LOGIN_DENIED && reply >= 500 && reply < 600;
  const auto kind = permanent ? SendFailure::Kind::permanent : SendFailure::Kind::retry;
  throw SendFailure(
      kind, std::string("SMTP: ") + curl_easy_strerror(rc) + (reply ? " (reply " + std::to_string(reply) + ")" : ""));
}

}  // namespace tiptop::integrations
