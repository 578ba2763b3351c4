#include "modules/admin/orders_desk.hpp"

#include <charconv>
#include <cmath>

#include "core/crypto.hpp"
#include "core/errors.hpp"

namespace tiptop::admin {
namespace asio = boost::asio;
namespace bj = boost::json;
namespace {

bj::value minutes(std::int64_t total_ms, std::int64_t n) {
  if (n <= 0) return nullptr;
  return std::round(static_cast<double>(total_ms) / static_cast<double>(n) / 6000.0) / 10.0;
}

// SUM and COUNT over one query; n = 0 gives null.
bj::value average_minutes(store::Connection& c, const std::string& sql, const store::Params& p) {
  auto rs = c.query(sql, p);
  return minutes(rs.rows.at(0).integer("ms"), rs.rows.at(0).integer("n"));
}

}  // namespace

std::string encode_cursor(const orders::Order& last, const std::string& sort) {
  return crypto::base64url_encode("orders|" + sort + "|" + std::to_string(orders::sort_key(last, sort)) + "|" + last.id);
}

std::optional<orders::OrderSearch::After> decode_cursor(const std::string& cursor, const std::string& sort) {
  std::string raw;
  if (!crypto::base64url_decode(cursor, raw)) return std::nullopt;
  const std::string prefix = "orders|" + sort + "|";
  if (raw.rfind(prefix, 0) != 0) return std::nullopt;
  const auto bar = raw.find('|', prefix.size());
  if (bar == std::string::npos) return std::nullopt;
  std::int64_t key = 0;
  const char* b = raw.data() + prefix.size();
  const char* e = raw.data() + bar;
  auto [end, ec] = std::from_chars(b, e, key);
  if (ec != std::errc{} || end != e) return std::nullopt;
  auto id = raw.substr(bar + 1);
  if (id.size() != 24) return std::nullopt;
  return orders::OrderSearch::After{key, std::move(id)};
}

asio::awaitable<DeskPage> OrdersDesk::search(orders::OrderSearch filter, std::int64_t page, std::int64_t limit,
                                             std::optional<std::string> cursor) {
  if (cursor && !cursor->empty()) {
    filter.after = decode_cursor(*cursor, filter.sort);
    if (!filter.after) throw ValidationError("Validation failed", {{"cursor", "is not a cursor from this listing and sort"}});
  }
  co_return co_await db_.read([&](store::Connection& c) {
    DeskPage out;
    if (cursor) {
      // One extra row tells whether another page follows.
      out.orders = orders::search_orders(c, filter, 0, limit + 1);
      out.has_more = static_cast<std::int64_t>(out.orders.size()) > limit;
      if (out.has_more) {
        out.orders.pop_back();
        out.next_cursor = encode_cursor(out.orders.back(), filter.sort);
      }
    } else {
      out.orders = orders::search_orders(c, filter, (page - 1) * limit, limit);
      out.total = orders::count_orders(c, filter);
    }
    return out;
  });
}

asio::awaitable<bj::object> OrdersDesk::stats(clock::Millis from, clock::Millis to) {
  const auto now = clock::now_ms();
  co_return co_await db_.read([&](store::Connection& c) {
    const store::Params range{from, to};
    bj::object by_status;
    for (const auto* s : orders::kStatuses) by_status[s] = 0;
    std::int64_t total = 0;
    for (const auto& r : c.query("SELECT status, COUNT(*) AS n FROM orders WHERE created_at >= ? AND created_at < ? "
                                 "GROUP BY status",
                                 range)
                             .rows) {
      by_status[r.text("status")] = r.integer("n");
      total += r.integer("n");
    }
    money::Paise cod = 0, online = 0;
    for (const auto& r : c.query("SELECT payment_method, SUM(final_amount_paise) AS amount FROM orders "
                                 "WHERE status = 'delivered' AND created_at >= ? AND created_at < ? GROUP BY payment_method",
                                 range)
                             .rows)
      (r.text("payment_method") == "COD" ? cod : online) += r.integer("amount");

    const auto preparation = average_minutes(
        c,
        // The first confirmation and the first "ready" of each order, so a repeated entry counts once.
        "SELECT SUM(t.ready_at - t.confirmed_at) AS ms, COUNT(*) AS n FROM ("
        "SELECT MIN(CASE WHEN h.status = 'confirmed' THEN h.at END) AS confirmed_at, "
        "MIN(CASE WHEN h.status = 'ready' THEN h.at END) AS ready_at FROM order_status_history h "
        "JOIN orders o ON o.id = h.order_id WHERE o.created_at >= ? AND o.created_at < ? GROUP BY h.order_id) t "
        "WHERE t.confirmed_at IS NOT NULL AND t.ready_at IS NOT NULL",
        range);
    const auto delivery = average_minutes(
        c,
        "SELECT SUM(actual_delivery_at - picked_up_at) AS ms, COUNT(*) AS n FROM orders WHERE status = 'delivered' "
        "AND picked_up_at IS NOT NULL AND created_at >= ? AND created_at < ?",
        range);
    const auto door_to_door = average_minutes(
        c,
        "SELECT SUM(actual_delivery_at - created_at) AS ms, COUNT(*) AS n FROM orders WHERE status = 'delivered' "
        "AND actual_delivery_at IS NOT NULL AND created_at >= ? AND created_at < ?",
        range);

    // Late: still on its way past the promised time (now), or delivered after it (in the period).
    constexpr const char* kOpen = "status IN ('pending', 'confirmed', 'preparing', 'ready', 'out-for-delivery')";
    const auto late_now = c.query(std::string("SELECT COUNT(*) AS n FROM orders WHERE ") + kOpen +
                                      " AND estimated_delivery_at < ?",
                                  {now})
                              .rows.at(0)
                              .integer("n");
    bj::array late;
    for (const auto& r : c.query(std::string("SELECT id, order_number, status, estimated_delivery_at FROM orders WHERE ") + kOpen +
                                     " AND estimated_delivery_at < ? ORDER BY estimated_delivery_at, id LIMIT 50",
                                 {now})
                             .rows)
      late.push_back(bj::object{{"_id", r.text("id")},
                                {"orderNumber", r.text("order_number")},
                                {"status", r.text("status")},
                                {"estimatedDeliveryTime", clock::to_iso8601(r.integer("estimated_delivery_at"))},
                                {"minutesLate", (now - r.integer("estimated_delivery_at")) / 60'000}});
    const auto delivered_late = c.query("SELECT COUNT(*) AS n FROM orders WHERE status = 'delivered' "
                                        "AND actual_delivery_at > estimated_delivery_at AND created_at >= ? AND created_at < ?",
                                        range)
                                    .rows.at(0)
                                    .integer("n");
    return bj::object{
        {"period", {{"from", clock::to_iso8601(from)}, {"to", clock::to_iso8601(to)}}},
        {"totalOrders", total},
        {"byStatus", std::move(by_status)},
        {"revenue", {{"total", money::to_json(cod + online)}, {"cod", money::to_json(cod)}, {"online", money::to_json(online)}}},
        {"averagePreparationTime", preparation},
        {"averageDeliveryTime", delivery},
        {"averageTotalTime", door_to_door},
        {"lateOrders", {{"count", late_now}, {"deliveredLate", delivered_late}, {"orders", std::move(late)}}}};
  });
}

}  // namespace tiptop::admin
