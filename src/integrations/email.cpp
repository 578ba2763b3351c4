#include "integrations/email.hpp"

#include "core/log.hpp"

namespace tiptop::integrations {

void LogEmailSender::send(const Email& email) {
  if (include_body_) {
    log::info("email (log outbox)", {{"to", email.to}, {"subject", email.subject}, {"body", email.body}});
  } else {
    log::warn("email not delivered: no e-mail transport is configured", {{"to", email.to}, {"subject", email.subject}});
  }
}

void MemoryEmailSender::send(const Email& email) {
  std::lock_guard lock(mutex_);
  sent_.push_back(email);
}

std::vector<Email> MemoryEmailSender::sent() const {
  std::lock_guard lock(mutex_);
  return sent_;
}

}  // namespace tiptop::integrations
