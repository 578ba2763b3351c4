#include "modules/analytics/repository.hpp"

#include <boost/json/parse.hpp>

#include "modules/orders/desk_repository.hpp"

namespace tiptop::analytics {
namespace bj = boost::json;

std::pair<clock::Millis, clock::Millis> day_bounds(const std::string& day) {
  return {*clock::range_bound(day, false), *clock::range_bound(day, true)};
}

std::vector<OrderFacts> order_facts(store::Connection& c, clock::Millis from, clock::Millis to) {
  std::vector<OrderFacts> out;
  for (const auto& r : c.query(std::string("SELECT created_at, status, ") + orders::kRevenueMethodSql +
                                   " AS payment_method, " + orders::kRevenueSql +
                                   " AS final_amount_paise, discount_paise, items, order_type FROM orders "
                                   "WHERE created_at >= ? AND created_at < ?",
                               {from, to})
                           .rows) {
    OrderFacts f{r.integer("created_at"),     r.text("status"),
                 r.text("payment_method"),    r.integer("final_amount_paise"),
                 r.integer("discount_paise"), {},
                 r.text("order_type")};
    if (f.status == "delivered") {
      boost::system::error_code ec;
      auto items = bj::parse(r.text("items"), ec);
      if (!ec && items.is_array()) f.items = std::move(items.get_array());
    }
    out.push_back(std::move(f));
  }
  return out;
}

void replace_day(store::Connection& c, const DayFigures& f, clock::Millis computed_at) {
  c.execute("DELETE FROM analytics_hourly WHERE day = ?", {f.day});
  c.execute("DELETE FROM analytics_items WHERE day = ?", {f.day});
  for (std::size_t h = 0; h < f.hours.size(); ++h) {
    const auto& b = f.hours[h];
    if (b.orders == 0) continue;
    c.execute(
        "INSERT INTO analytics_hourly (day, hour, orders, completed, cancelled, revenue_online_paise, "
        "revenue_cod_paise, discount_paise, revenue_cash_paise, revenue_upi_paise, takeaway_orders) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {f.day, static_cast<std::int64_t>(h), b.orders, b.completed, b.cancelled, b.online, b.cod, b.discount, b.cash,
         b.upi, b.takeaway});
  }
  for (const auto& [id, item] : f.items)
    c.execute(
        "INSERT INTO analytics_items (day, item_id, name, quantity, orders, revenue_paise) VALUES (?, ?, ?, ?, ?, ?)",
        {f.day, id, item.name, item.quantity, item.orders, item.revenue});
  c.execute(
      "INSERT INTO analytics_days (day, computed_at) VALUES (?, ?) "
      "ON CONFLICT (day) DO UPDATE SET computed_at = excluded.computed_at",
      {f.day, computed_at});
}

std::optional<DayFigures> stored_day(store::Connection& c, const std::string& day) {
  if (c.query("SELECT day FROM analytics_days WHERE day = ?", {day}).empty()) return std::nullopt;
  DayFigures f;
  f.day = day;
  for (const auto& r : c.query("SELECT hour, orders, completed, cancelled, revenue_online_paise, revenue_cod_paise, "
                               "discount_paise, revenue_cash_paise, revenue_upi_paise, takeaway_orders "
                               "FROM analytics_hourly WHERE day = ?",
                               {day})
                           .rows)
    f.hours[static_cast<std::size_t>(r.integer("hour"))] = Bucket{r.integer("orders"),
                                                                  r.integer("completed"),
                                                                  r.integer("cancelled"),
                                                                  r.integer("revenue_online_paise"),
                                                                  r.integer("revenue_cod_paise"),
                                                                  r.integer("discount_paise"),
                                                                  r.integer("revenue_cash_paise"),
                                                                  r.integer("revenue_upi_paise"),
                                                                  r.integer("takeaway_orders")};
  for (const auto& r :
       c.query("SELECT item_id, name, quantity, orders, revenue_paise FROM analytics_items WHERE day = ?", {day}).rows)
    f.items[r.text("item_id")] =
        ItemFigures{r.text("name"), r.integer("quantity"), r.integer("orders"), r.integer("revenue_paise")};
  return f;
}

std::set<std::string> rolled_days(store::Connection& c) {
  std::set<std::string> out;
  for (const auto& r : c.query("SELECT day FROM analytics_days").rows) out.insert(r.text("day"));
  return out;
}

std::optional<clock::Millis> last_complete_run(store::Connection& c) {
  auto rs = c.query("SELECT value FROM analytics_state WHERE name = 'last_complete_run'");
  if (rs.empty()) return std::nullopt;
  return rs.rows[0].integer("value");
}

void mark_complete_run(store::Connection& c, clock::Millis started_at) {
  c.execute(
      "INSERT INTO analytics_state (name, value) VALUES ('last_complete_run', ?) "
      "ON CONFLICT (name) DO UPDATE SET value = excluded.value",
      {started_at});
}

std::optional<clock::Millis> first_order_at(store::Connection& c) {
  return c.query("SELECT MIN(created_at) AS at FROM orders").rows.at(0).integer_or_null("at");
}

std::vector<clock::Millis> changed_orders(store::Connection& c, clock::Millis since, clock::Millis before) {
  std::vector<clock::Millis> out;
  for (const auto& r :
       c.query("SELECT created_at FROM orders WHERE updated_at >= ? AND created_at < ?", {since, before}).rows)
    out.push_back(r.integer("created_at"));
  return out;
}

void lock_rollup(store::Connection& c) {
  if (c.engine() == store::Engine::postgres) c.query("SELECT pg_advisory_xact_lock(7267747)");
}

store::ResultSet export_page(store::Connection& c, clock::Millis from, clock::Millis to,
                             const std::optional<std::pair<clock::Millis, std::string>>& after, std::int64_t limit) {
  store::Params p{from, to};
  std::string keyset;
  if (after) {
    keyset = " AND (created_at > ? OR (created_at = ? AND id > ?))";
    p.insert(p.end(), {after->first, after->first, after->second});
  }
  p.emplace_back(limit);
  return c.query(
      "SELECT id, order_number, created_at, status, payment_method, payment_status, customer, items, "
      "items_total_paise, discount_paise, tax_paise, delivery_fee_paise, final_amount_paise, "
      "delivery_partner, actual_delivery_at, order_type FROM orders WHERE created_at >= ? AND created_at < ?" +
          keyset + " ORDER BY created_at, id LIMIT ?",
      p);
}

}  // namespace tiptop::analytics
