#include "modules/orders/escalation.hpp"

#include <limits>

#include "core/log.hpp"
#include "modules/orders/escalation_repository.hpp"
#include "modules/orders/events.hpp"
#include "modules/orders/repository.hpp"

namespace tiptop::orders {
namespace bj = boost::json;

Escalation::Escalation(store::Database& db, realtime::Emitter& emitter, notifications::Notifier& notifier,
                       const settings::SettingsService& settings, std::chrono::milliseconds every)
    : db_(db),
      emitter_(emitter),
      notifier_(notifier),
      settings_(settings),
      every_(every),
      job_("order escalation", every, [this] {
        run_once(clock::now_ms());
        return every_;
      }) {}

std::vector<std::string> Escalation::run_once(clock::Millis now) {
  const auto s = settings_.current();
  constexpr clock::Millis kNever = std::numeric_limits<clock::Millis>::min();
  const clock::Millis pending_ms = s->escalate_pending_minutes * 60'000LL,
                      ready_ms = s->escalate_ready_minutes * 60'000LL;
  if (pending_ms == 0 && ready_ms == 0) return {};
  const std::string manager = s->manager_phone.empty() ? s->contact_phone : s->manager_phone;

  struct Escalated {
    Waiting w;
    std::string kind;
  };
  std::vector<Escalated> escalated;
  std::vector<Order> offered;
  bool texted = false;
  auto pass = [&](store::Connection& c) {
    escalated.clear(), offered.clear(), texted = false;  // (a pass retried after a lost deadlock starts over)
    for (const auto& w : waiting_since(c, pending_ms ? now - pending_ms : kNever, ready_ms ? now - ready_ms : kNever)) {
      const auto waited = now - w.status_at;
      std::vector<std::string> kinds;
      if (w.status == "pending") kinds = {"pending"};
      if (w.status == "ready")
        kinds = waited >= 2 * ready_ms ? std::vector<std::string>{"ready-offer", "ready"}
                                       : std::vector<std::string>{"ready-offer"};
      for (const auto& kind : kinds) {
        if (!record_escalation(c, w, kind, now)) continue;  // this wait was dealt with before
        if (kind == "ready-offer") {
          if (auto o = find_order(c, w.order_id)) offered.push_back(std::move(*o));
          continue;
        }
        escalated.push_back({w, kind});
        if (manager.empty()) continue;
        const auto minutes = std::to_string(waited / 60'000);
        const std::string text =
            kind == "pending" ? "order " + w.order_number + " has waited " + minutes + " min to be accepted"
                              : "order " + w.order_number + " is ready; no rider has taken it for " + minutes + " min";
        notifier_.queue_message(c, true, manager, "Order waiting", text, false);
        texted = true;
      }
    }
  };
  db_.transaction_sync(pass);

  std::vector<std::string> done;
  for (const auto& o : offered) {
    tell_partners(emitter_, o);  // delivery:new-order to every available rider, again
    done.push_back("ready-offer " + o.order_number);
  }
  for (const auto& e : escalated) {
    emitter_.emit("admin", "admin:order-waiting",
                  bj::object{{"orderId", e.w.order_id},
                             {"orderNumber", e.w.order_number},
                             {"status", e.w.status},
                             {"orderType", e.w.order_type},
                             {"reason", e.kind == "pending" ? "not-accepted" : "no-rider"},
                             {"since", clock::to_iso8601(e.w.status_at)},
                             {"waitingMinutes", (now - e.w.status_at) / 60'000}});
    done.push_back(e.kind + " " + e.w.order_number);
  }
  if (texted) notifier_.wake();
  if (!done.empty()) log::warn("orders waiting too long", {{"escalations", static_cast<std::int64_t>(done.size())}});
  return done;
}

}  // namespace tiptop::orders
