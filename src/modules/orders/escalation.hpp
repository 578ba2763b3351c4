#pragma once
// Orders waiting too long (issue 22). A pending order nobody accepted within the setting's
// minutes: admin:order-waiting to the admin room and an SMS to the manager through the outbox. A
// ready delivery order no rider took: offered again to the riders after the setting's minutes,
// escalated the same way after twice that. Each wait escalates once (order_escalations), whatever
// the number of nodes or passes.
#include <chrono>
#include <string>
#include <vector>

#include "core/job.hpp"
#include "modules/notifications/notifier.hpp"
#include "modules/settings/service.hpp"
#include "realtime/emitter.hpp"
#include "store/database.hpp"

namespace tiptop::orders {

class Escalation {
 public:
  Escalation(store::Database& db, realtime::Emitter& emitter, notifications::Notifier& notifier,
             const settings::SettingsService& settings, std::chrono::milliseconds every);
  void start() { job_.start(); }
  void stop() { job_.stop(); }
  // One pass as at `now`; what it did, as "<kind> <order number>" (kind: pending, ready-offer, ready).
  std::vector<std::string> run_once(clock::Millis now);

 private:
  store::Database& db_;
  realtime::Emitter& emitter_;
  notifications::Notifier& notifier_;
  const settings::SettingsService& settings_;
  std::chrono::milliseconds every_;
  BackgroundJob job_;
};

}  // namespace tiptop::orders
