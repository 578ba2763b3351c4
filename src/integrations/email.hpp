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

class LogEmailSender final : public EmailSender {
 public:
  void send(const Email& email) override;
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
