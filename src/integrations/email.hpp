#pragma once
// Outbound e-mail behind one interface. The default writes the message to the log (a development
// outbox); SMTP arrives with the notifications issue. Sending may block: call it on a worker.
#include <mutex>
#include <string>
#include <vector>

namespace tiptop::integrations {

struct Email {
  std::string to, subject, body;
};

class EmailSender {
 public:
  virtual ~EmailSender() = default;
  virtual void send(const Email& email) = 0;
};

// Development outbox: writes messages to the log. The body (which may hold a reset code) is
// logged only when include_body is set — development and test, never production, where the
// line only records that a message could not be delivered.
class LogEmailSender final : public EmailSender {
 public:
  explicit LogEmailSender(bool include_body) : include_body_(include_body) {}
  void send(const Email& email) override;

 private:
  bool include_body_;
};

// Keeps messages in memory: what the integration tests read reset links from.
class MemoryEmailSender final : public EmailSender {
 public:
  void send(const Email& email) override;
  std::vector<Email> sent() const;

 private:
  mutable std::mutex mutex_;
  std::vector<Email> sent_;
};

}  // namespace tiptop::integrations
