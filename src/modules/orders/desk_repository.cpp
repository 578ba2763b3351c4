#include "modules/orders/desk_repository.hpp"

#include <boost/json/parse.hpp>

namespace tiptop::orders {
namespace {

// Not yet delivered nor cancelled.
constexpr const char* kOpen = "status IN ('pending', 'confirmed', 'preparing', 'ready', 'out-for-delivery')";

std::int64_t count(store::Connection& c, const std::string& sql, const store::Params& p) {
  return c.query(sql, p).rows.at(0).integer("n");
}

DurationSum duration_sum(store::Connection& c, const std::string& sql, const store::Params& p) {
  const auto rs = c.query(sql, p);
  return {rs.rows.at(0).integer("ms"), rs.rows.at(0).integer("n")};
}

// Placement time within the bounds that are given.
std::string range_sql(std::optional<clock::Millis> from, std::optional<clock::Millis> to, store::Params& p) {
  std::string w;
  if (from) w += " AND created_at >= ?", p.emplace_back(*from);
  if (to) w += " AND created_at < ?", p.emplace_back(*to);
  return w;
}

}  // namespace

std::vector<std::pair<std::string, std::int64_t>> count_by_status(store::Connection& c, clock::Millis from,
                                                                  clock::Millis to) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (const auto& r : c.query("SELECT status, COUNT(*) AS n FROM orders WHERE created_at >= ? AND created_at < ? "
                               "GROUP BY status",
                               {from, to})
                           .rows)
    out.emplace_back(r.text("status"), r.integer("n"));
  return out;
}

std::vector<std::pair<std::string, money::Paise>> delivered_revenue_by_method(store::Connection& c, clock::Millis from,
                                                                              clock::Millis to) {
  std::vector<std::pair<std::string, money::Paise>> out;
  for (const auto& r :
       c.query(std::string("SELECT ") + kRevenueMethodSql + " AS method, SUM" + kRevenueSql +
                   " AS amount FROM orders WHERE status = 'delivered' AND created_at >= ? AND created_at < ? "
                   "GROUP BY 1",
               {from, to})
           .rows)
    out.emplace_back(r.text("method"), r.integer("amount"));
  return out;
}

DurationSum preparation_time(store::Connection& c, clock::Millis from, clock::Millis to) {
  return duration_sum(
      c,
      "SELECT SUM(t.ready_at - t.confirmed_at) AS ms, COUNT(*) AS n FROM ("
      "SELECT MIN(CASE WHEN h.status = 'confirmed' THEN h.at END) AS confirmed_at, "
      "MIN(CASE WHEN h.status = 'ready' THEN h.at END) AS ready_at FROM order_status_history h "
      "JOIN orders o ON o.id = h.order_id WHERE o.created_at >= ? AND o.created_at < ? GROUP BY h.order_id) t "
      "WHERE t.confirmed_at IS NOT NULL AND t.ready_at IS NOT NULL",
      {from, to});
}

DurationSum delivery_time(store::Connection& c, clock::Millis from, clock::Millis to) {
  return duration_sum(
      c,
      "SELECT SUM(actual_delivery_at - picked_up_at) AS ms, COUNT(*) AS n FROM orders WHERE status = 'delivered' "
      "AND picked_up_at IS NOT NULL AND created_at >= ? AND created_at < ?",
      {from, to});
}

DurationSum door_to_door_time(store::Connection& c, clock::Millis from, clock::Millis to) {
  return duration_sum(
      c,
      "SELECT SUM(actual_delivery_at - created_at) AS ms, COUNT(*) AS n FROM orders WHERE status = 'delivered' "
      "AND actual_delivery_at IS NOT NULL AND created_at >= ? AND created_at < ?",
      {from, to});
}

std::int64_t count_late_open(store::Connection& c, clock::Millis now) {
  return count(c, std::string("SELECT COUNT(*) AS n FROM orders WHERE ") + kOpen + " AND estimated_delivery_at < ?",
               {now});
}

std::vector<LateOrder> list_late_open(store::Connection& c, clock::Millis now) {
  std::vector<LateOrder> out;
  for (const auto& r :
       c.query(std::string("SELECT id, order_number, status, estimated_delivery_at FROM orders WHERE ") + kOpen +
                   " AND estimated_delivery_at < ? ORDER BY estimated_delivery_at, id LIMIT 50",
               {now})
           .rows)
    out.push_back({r.text("id"), r.text("order_number"), r.text("status"), r.integer("estimated_delivery_at")});
  return out;
}

std::int64_t count_delivered_late(store::Connection& c, clock::Millis from, clock::Millis to) {
  return count(c,
               "SELECT COUNT(*) AS n FROM orders WHERE status = 'delivered' "
               "AND actual_delivery_at > estimated_delivery_at AND created_at >= ? AND created_at < ?",
               {from, to});
}

CustomerOrderSummary customer_order_summary(store::Connection& c, const std::string& customer_id) {
  const auto rs = c.query(
      "SELECT COUNT(*) AS total, SUM(CASE WHEN status = 'delivered' THEN 1 ELSE 0 END) AS delivered, "
      "SUM(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END) AS cancelled, "
      "SUM(CASE WHEN status = 'delivered' THEN final_amount_paise ELSE 0 END) AS spent, "
      "MIN(created_at) AS first_at, MAX(created_at) AS last_at FROM orders WHERE customer_id = ?",
      {customer_id});
  const auto& r = rs.rows.at(0);
  return {r.integer("total"), r.integer("delivered"),        r.integer("cancelled"),
          r.integer("spent"), r.integer_or_null("first_at"), r.integer_or_null("last_at")};
}

std::int64_t count_ordering_customers(store::Connection& c, clock::Millis from, clock::Millis to) {
  return count(c, "SELECT COUNT(DISTINCT customer_id) AS n FROM orders WHERE created_at >= ? AND created_at < ?",
               {from, to});
}

std::int64_t count_first_time_customers(store::Connection& c, clock::Millis from, clock::Millis to) {
  return count(c,
               "SELECT COUNT(*) AS n FROM (SELECT customer_id, MIN(created_at) AS first_at FROM orders "
               "GROUP BY customer_id) f WHERE f.first_at >= ? AND f.first_at < ?",
               {from, to});
}

std::vector<PartnerOrderFigures> partner_order_figures(store::Connection& c, std::optional<clock::Millis> from,
                                                       std::optional<clock::Millis> to) {
  store::Params p;
  const auto range = range_sql(from, to, p);
  std::vector<PartnerOrderFigures> out;
  for (const auto& r :
       c.query(
            "SELECT delivery_partner_id AS partner, COUNT(*) AS total, "
            "SUM(CASE WHEN status = 'delivered' THEN 1 ELSE 0 END) AS successful, "
            "SUM(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END) AS cancelled, "
            "SUM(CASE WHEN status NOT IN ('delivered', 'cancelled') THEN 1 ELSE 0 END) AS in_progress, "
            "SUM(CASE WHEN status = 'delivered' AND picked_up_at IS NOT NULL THEN actual_delivery_at - picked_up_at "
            "ELSE 0 END) AS ms, "
            "SUM(CASE WHEN status = 'delivered' AND picked_up_at IS NOT NULL THEN 1 ELSE 0 END) AS timed, "
            "SUM(CASE WHEN status = 'delivered' THEN COALESCE(cash_collected_paise, 0) ELSE 0 END) AS cash, "
            "SUM(CASE WHEN status = 'delivered' AND paid_at_door_by = 'upi' THEN cash_expected_paise + door_tip_paise "
            "ELSE 0 END) AS upi, "
            "SUM(CASE WHEN status = 'delivered' THEN tip_paise + door_tip_paise ELSE 0 END) AS tips "
            "FROM orders WHERE delivery_partner_id IS NOT NULL" +
                range + " GROUP BY delivery_partner_id",
            p)
           .rows)
    out.push_back({r.text("partner"), r.integer("total"), r.integer("successful"), r.integer("cancelled"),
                   r.integer("in_progress"), r.integer("ms"), r.integer("timed"), r.integer("cash"), r.integer("upi"),
                   r.integer("tips")});
  return out;
}

std::vector<BoardCard> board_cards(store::Connection& c, std::int64_t limit) {
  // The customer's name and the partner's are read from their JSON snapshots in C++ (both engines
  // store them as text); the item count likewise, without building the lines.
  std::vector<BoardCard> out;
  for (const auto& r :
       c.query("SELECT o.id, o.order_number, o.order_type, o.status, o.customer, o.items, o.final_amount_paise, "
               "o.payment_method, o.payment_status, o.delivery_partner, o.created_at, o.estimated_delivery_at, "
               "(SELECT MAX(h.at) FROM order_status_history h WHERE h.order_id = o.id) AS status_at "
               "FROM orders o WHERE o." +
                   std::string(kOpen) + " ORDER BY o.created_at, o.id LIMIT ?",
               {limit})
           .rows) {
    BoardCard b;
    b.id = r.text("id");
    b.order_number = r.text("order_number");
    b.order_type = r.text("order_type");
    b.status = r.text("status");
    const auto name_in = [](const std::string& snapshot) {
      boost::system::error_code ec;
      auto v = boost::json::parse(snapshot, ec);
      const auto* o = ec ? nullptr : v.if_object();
      const auto* n = o ? o->if_contains("name") : nullptr;
      return n && n->is_string() ? std::string(n->get_string()) : std::string();
    };
    b.customer_name = name_in(r.text("customer"));
    if (!r.is_null("delivery_partner")) b.partner_name = name_in(r.text("delivery_partner"));
    boost::system::error_code ec;
    if (auto items = boost::json::parse(r.text("items"), ec); !ec && items.is_array())
      for (const auto& line : items.get_array())
        if (const auto* q = line.is_object() ? line.get_object().if_contains("quantity") : nullptr; q && q->is_int64())
          b.item_count += q->get_int64();
    b.final_amount = r.integer("final_amount_paise");
    b.payment_method = r.text("payment_method");
    b.payment_status = r.text("payment_status");
    b.created_at = r.integer("created_at");
    b.status_at = r.is_null("status_at") ? b.created_at : r.integer("status_at");
    b.due_at = r.integer_or_null("estimated_delivery_at");
    out.push_back(std::move(b));
  }
  return out;
}

std::vector<std::pair<std::string, std::int64_t>> open_orders_by_partner(store::Connection& c) {
  std::vector<std::pair<std::string, std::int64_t>> out;
  for (const auto& r : c.query(std::string("SELECT delivery_partner_id AS partner, COUNT(*) AS n FROM orders WHERE "
                                           "delivery_partner_id IS NOT NULL AND ") +
                               kOpen + " GROUP BY delivery_partner_id")
                           .rows)
    out.emplace_back(r.text("partner"), r.integer("n"));
  return out;
}

std::vector<PartnerDelivery> partner_deliveries(store::Connection& c, const std::string& partner_id, clock::Millis from,
                                                clock::Millis to) {
  std::vector<PartnerDelivery> out;
  for (const auto& r :
       c.query("SELECT actual_delivery_at AS at, "
               "CASE WHEN picked_up_at IS NOT NULL THEN actual_delivery_at - picked_up_at ELSE -1 END AS ms, "
               "COALESCE(cash_collected_paise, 0) AS cash, "
               "CASE WHEN paid_at_door_by = 'upi' THEN cash_expected_paise + door_tip_paise ELSE 0 END AS upi, "
               "tip_paise + door_tip_paise AS tips FROM orders WHERE delivery_partner_id = ? AND status = 'delivered' "
               "AND actual_delivery_at >= ? AND actual_delivery_at < ? ORDER BY actual_delivery_at LIMIT 20000",
               {partner_id, from, to})
           .rows)
    out.push_back({r.integer("at"), r.integer("ms"), r.integer("cash"), r.integer("upi"), r.integer("tips")});
  return out;
}

}  // namespace tiptop::orders
