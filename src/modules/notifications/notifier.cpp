#include "modules/notifications/notifier.hpp"

#include "modules/notifications/outbox.hpp"
#include "modules/notifications/repository.hpp"

namespace tiptop::notifications {

std::vector<Notification> Notifier::store(store::Connection& c, const std::vector<Draft>& drafts) const {
  const auto now = clock::now_ms();
  std::vector<Notification> out;
  for (const auto& d : drafts)
    if (auto n = store_draft(c, d, now)) out.push_back(std::move(*n));
  return out;
}

void Notifier::publish(const std::vector<Notification>& stored) const {
  bool channels = false;
  for (const auto& n : stored) {
    if (n.in_app) emitter_.emit("user:" + n.recipient_id, "notification:new", to_json(n));
    channels = channels || !n.push_status.empty() || !n.sms_status.empty() || !n.email_status.empty();
  }
  if (channels && worker_) worker_->wake();
}

void Notifier::queue_message(store::Connection& c, bool sms, const std::string& address, const std::string& subject,
                             const std::string& body, bool secret) const {
  queue_direct(c, sms ? "sms" : "email", address,
               sms ? boost::json::object{{"body", "TipTop: " + body}, {"secret", secret}}
                   : boost::json::object{{"subject", subject}, {"body", body}, {"secret", secret}},
               clock::now_ms());
}

void Notifier::wake() const {
  if (worker_) worker_->wake();
}

}  // namespace tiptop::notifications
