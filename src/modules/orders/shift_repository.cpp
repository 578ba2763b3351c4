#include "modules/orders/shift_repository.hpp"

namespace tiptop::orders {

ShiftOrderFigures shift_order_figures(store::Connection& c, const std::string& session_id) {
  const auto figures = c.query(
      "SELECT COUNT(*) AS total, "
      "SUM(CASE WHEN status = 'delivered' THEN 1 ELSE 0 END) AS successful, "
      "SUM(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END) AS cancelled, "
      "SUM(CASE WHEN status NOT IN ('delivered', 'cancelled') THEN 1 ELSE 0 END) AS in_progress, "
      "SUM(CASE WHEN status = 'delivered' AND picked_up_at IS NOT NULL THEN actual_delivery_at - picked_up_at ELSE 0 "
      "END) AS ms, "
      "SUM(CASE WHEN status = 'delivered' AND picked_up_at IS NOT NULL THEN 1 ELSE 0 END) AS timed "
      "FROM orders WHERE delivery_session_id = ?",
      {session_id});
  const auto& st = figures.rows.at(0);
  return {st.integer("total"),       st.integer("successful"), st.integer("cancelled"),
          st.integer("in_progress"), st.integer("ms"),         st.integer("timed")};
}

void lock_shift_orders(store::Connection& c, const std::string& session_id) {
  if (c.engine() == store::Engine::postgres)
    c.query("SELECT id FROM orders WHERE delivery_session_id = ? ORDER BY id FOR UPDATE", {session_id});
}

void release_unpicked_orders(store::Connection& c, const std::string& session_id) {
  c.execute(
      "UPDATE orders SET delivery_session_id = NULL WHERE delivery_session_id = ? AND picked_up_at IS NULL "
      "AND status NOT IN ('delivered', 'cancelled')",
      {session_id});
}

void mark_shift_cash_settled(store::Connection& c, const std::string& session_id) {
  c.execute(
      "UPDATE orders SET cash_settled = ? WHERE id IN (SELECT order_id FROM session_cash_orders WHERE session_id = ?)",
      {true, session_id});
}

std::int64_t count_on_the_road(store::Connection& c, const std::string& session_id) {
  return c
      .query("SELECT COUNT(*) AS n FROM orders WHERE delivery_session_id = ? AND status = 'out-for-delivery'",
             {session_id})
      .rows.at(0)
      .integer("n");
}

}  // namespace tiptop::orders
