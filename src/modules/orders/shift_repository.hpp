#pragma once
// What a delivery partner's shift (cash module) reads and writes of the orders it carries: the
// orders table's statements stay in the orders module; the cash module calls these.
#include <cstdint>
#include <string>

#include "store/database.hpp"

namespace tiptop::orders {

struct ShiftOrderFigures {
  std::int64_t total = 0, delivered = 0, cancelled = 0, in_progress = 0;
  std::int64_t delivery_ms = 0;  // pick-up to hand-over, over the delivered orders with a pick-up time
  std::int64_t timed = 0;        // how many those are
};
ShiftOrderFigures shift_order_figures(store::Connection& c, const std::string& session_id);
// Locks the shift's orders in id order (PostgreSQL; SQLite's write transaction already excludes).
void lock_shift_orders(store::Connection& c, const std::string& session_id);
// A closing shift lets go of the orders it holds but has not picked up.
void release_unpicked_orders(store::Connection& c, const std::string& session_id);
// Settlement: the cash of the shift's COD orders is settled.
void mark_shift_cash_settled(store::Connection& c, const std::string& session_id);
// The shift's orders out for delivery now.
std::int64_t count_on_the_road(store::Connection& c, const std::string& session_id);

}  // namespace tiptop::orders
