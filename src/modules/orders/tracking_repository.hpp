#pragma once
// Narrow reads over orders for live tracking and chat, made on every location report and chat
// message: who an order's customer and partner are, and which orders a partner is carrying.
#include <optional>
#include <string>
#include <vector>

#include "modules/orders/status.hpp"
#include "store/database.hpp"

namespace tiptop::orders {

struct OrderParties {
  std::string customer_id, partner_id;  // partner_id empty until one is assigned
  OrderStatus status = OrderStatus::pending;
};
std::optional<OrderParties> find_parties(store::Connection& c, const std::string& order_id);

struct TrackedOrder {
  std::string order_id, customer_id, guest_id;
  bool tracked_by_link = false;  // a guest's order, followed by its tracking link
};
// The partner's orders someone is waiting for (confirmed to out-for-delivery).
std::vector<TrackedOrder> orders_tracked_by(store::Connection& c, const std::string& partner_id);

}  // namespace tiptop::orders
