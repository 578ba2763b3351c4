#pragma once
// How other modules tell someone something: drafts are stored in the caller's transaction (so the
// notification commits, or not, with the event), then published after the commit — live to the
// recipient's Socket.IO room, and the outbox worker woken for the channels.
#include <vector>

#include "modules/notifications/model.hpp"
#include "realtime/emitter.hpp"
#include "store/database.hpp"

namespace tiptop::notifications {

class OutboxWorker;

class Notifier {
 public:
  explicit Notifier(realtime::Emitter& emitter) : emitter_(emitter) {}
  void attach(OutboxWorker* worker) { worker_ = worker; }

  // In the event's transaction. Returns what was stored, to publish once it commits.
  std::vector<Notification> store(store::Connection& c, const std::vector<Draft>& drafts) const;
  // After the commit: notification:new to each listed notification's recipient; the worker woken.
  void publish(const std::vector<Notification>& stored) const;
  // A message to an address that may belong to no account (a one-time code, the manager's phone): an
  // SMS or an e-mail, through the outbox, with no inbox entry; a secret's text is wiped from the
  // outbox once sent. In the caller's transaction; wake() after the commit.
  void queue_message(store::Connection& c, bool sms, const std::string& address, const std::string& subject,
                     const std::string& body, bool secret) const;
  void queue_secret(store::Connection& c, bool sms, const std::string& address, const std::string& subject,
                    const std::string& body) const {
    queue_message(c, sms, address, subject, body, true);
  }
  void wake() const;

 private:
  realtime::Emitter& emitter_;
  OutboxWorker* worker_ = nullptr;
};

}  // namespace tiptop::notifications
