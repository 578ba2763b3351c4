#include "modules/orders/escalation_repository.hpp"

namespace tiptop::orders {

std::vector<Waiting> waiting_since(store::Connection& c, clock::Millis pending_since, clock::Millis ready_since) {
  std::vector<Waiting> out;
  for (const auto& r :
       c.query("SELECT id, order_number, status, order_type, status_at FROM ("
               "SELECT o.id, o.order_number, o.status, o.order_type, "
               "(SELECT MAX(h.at) FROM order_status_history h WHERE h.order_id = o.id) AS status_at FROM orders o "
               "WHERE (o.status = 'pending' AND NOT (o.payment_method = 'ONLINE' AND o.payment_status <> 'paid')) "
               "OR (o.status = 'ready' AND o.order_type = 'delivery' AND o.delivery_partner_id IS NULL)) w "
               "WHERE (status = 'pending' AND status_at <= ?) OR (status = 'ready' AND status_at <= ?) "
               "ORDER BY status_at LIMIT 200",
               {pending_since, ready_since})
           .rows)
    out.push_back(
        {r.text("id"), r.text("order_number"), r.text("status"), r.text("order_type"), r.integer("status_at")});
  return out;
}

bool record_escalation(store::Connection& c, const Waiting& w, const std::string& kind, clock::Millis now) {
  return c.execute(
             "INSERT INTO order_escalations (order_id, kind, status_at, escalated_at) VALUES (?, ?, ?, ?) "
             "ON CONFLICT (order_id, kind, status_at) DO NOTHING",
             {w.order_id, kind, w.status_at, now}) == 1;
}

}  // namespace tiptop::orders
