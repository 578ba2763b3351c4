#include "modules/orders/tracking_repository.hpp"

#include "modules/orders/status.hpp"

namespace tiptop::orders {

std::optional<OrderParties> find_parties(store::Connection& c, const std::string& order_id) {
  auto rs = c.query("SELECT customer_id, delivery_partner_id, status FROM orders WHERE id = ?", {order_id});
  if (rs.empty()) return std::nullopt;
  const auto& r = rs.rows[0];
  return OrderParties{r.text("customer_id"), r.text("delivery_partner_id"), status_from_store(r.text("status"))};
}

std::vector<TrackedOrder> orders_tracked_by(store::Connection& c, const std::string& partner_id) {
  std::vector<TrackedOrder> out;
  for (const auto& r : c.query("SELECT id, customer_id, guest_id, tracking_token FROM orders WHERE delivery_partner_id "
                               "= ? AND status IN " +
                                   active_statuses_sql(),
                               {partner_id})
                           .rows)
    out.push_back({r.text("id"), r.text("customer_id"), r.text("guest_id"), !r.is_null("tracking_token")});
  return out;
}

}  // namespace tiptop::orders
