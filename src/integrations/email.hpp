#pragma once
// Outbound e-mail behind one interface: SMTP through libcurl when SMTP_URL is set, otherwise the
// log. Sending blocks: the notification outbox calls it on its own thread. A failure is thrown as
// SendFailure (retry or permanent).
#include <chrono>
#include <mutex>
#include <string>
#include <vector>

namespace tiptop::integrations {

struct Email {
  std::string to, subject, body;
  std::string message_id;  // stable per outbox row, so a resend after a crash is recognisably the same mail
};

class EmailSender {
 public:
  virtual ~EmailSender() = default;
  virtual void send(const Email& email) = 0;
};

// Development and test: the message, body included (a reset code), is written to the log and
// counts as sent. Elsewhere the line records only that a message could not be delivered, without
// address or body, and the send fails for good so the notification's status says so.
class LogEmailSender final : public EmailSender {
 public:
  explicit LogEmailSender(bool development) : development_(development) {}
  void send(const Email& email) override;

 private:
  bool development_;
};

// SMTP (RFC 5321) through libcurl. url: smtp://host:port (STARTTLS when offered, required when the
// URL carries credentials and the host is not loopback) or smtps://host:465; user:password in the URL.
class SmtpEmailSender final : public EmailSender {
 public:
  SmtpEmailSender(std::string url, std::string from, std::chrono::milliseconds timeout);
  void send(const Email& email) override;

 private:
  std::string url_, from_, from_address_;
  std::chrono::milliseconds timeout_;
};

// The RFC 5322 message (CRLF line ends; a non-ASCII subject encoded per RFC 2047; header values
// stripped of line breaks so nothing can be injected). date: an RFC 5322 date.
std::string render_email(const Email& email, const std::string& from, const std::string& date);
// "TipTop <no-reply@tiptop.in>" → "no-reply@tiptop.in".
std::string address_of(const std::string& mailbox);

}  // namespace tiptop::integrations
