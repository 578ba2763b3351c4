#include "modules/admin/orders_desk.hpp"

#include <charconv>
#include <cmath>

#include "core/crypto.hpp"
#include "core/errors.hpp"
#include "modules/orders/desk_repository.hpp"

namespace tiptop::admin {
namespace asio = boost::asio;
namespace bj = boost::json;
namespace {

// The average in minutes, one decimal; null when there are no orders.
bj::value minutes(const orders::DurationSum& d) {
  if (d.n <= 0) return nullptr;
  return std::round(static_cast<double>(d.ms) / static_cast<double>(d.n) / 6000.0) / 10.0;
}

}  // namespace

std::string encode_cursor(const orders::Order& last, const std::string& sort) {
  return crypto::base64url_encode("orders|" + sort + "|" + std::to_string(orders::sort_key(last, sort)) + "|" +
                                  last.id);
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
    if (!filter.after)
      throw ValidationError("Validation failed", {{"cursor", "is not a cursor from this listing and sort"}});
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
    bj::object by_status;
    for (const auto s : orders::kAllStatuses) by_status[orders::to_string(s)] = 0;
    std::int64_t total = 0;
    for (const auto& [status, n] : orders::count_by_status(c, from, to)) {
      by_status[status] = n;
      total += n;
    }
    money::Paise cod = 0, online = 0, cash = 0, upi = 0;
    for (const auto& [method, amount] : orders::delivered_revenue_by_method(c, from, to))
      (method == "COD" ? cod : method == "CASH" ? cash : method == "UPI" ? upi : online) += amount;

    const auto preparation = minutes(orders::preparation_time(c, from, to));
    const auto delivery = minutes(orders::delivery_time(c, from, to));
    const auto door_to_door = minutes(orders::door_to_door_time(c, from, to));

    // Late: still on its way past the promised time (now), or delivered after it (in the period).
    const auto late_now = orders::count_late_open(c, now);
    bj::array late;
    for (const auto& o : orders::list_late_open(c, now))
      late.push_back(bj::object{{"_id", o.id},
                                {"orderNumber", o.order_number},
                                {"status", o.status},
                                {"estimatedDeliveryTime", clock::to_iso8601(o.estimated_delivery_at)},
                                {"minutesLate", (now - o.estimated_delivery_at) / 60'000}});
    const auto delivered_late = orders::count_delivered_late(c, from, to);
    return bj::object{
        {"period", {{"from", clock::to_iso8601(from)}, {"to", clock::to_iso8601(to)}}},
        {"totalOrders", total},
        {"byStatus", std::move(by_status)},
        {"revenue",
         {{"total", money::to_json(cod + online + cash + upi)},
          {"cod", money::to_json(cod)},
          {"online", money::to_json(online)},
          {"cash", money::to_json(cash)},
          {"upi", money::to_json(upi)}}},
        {"averagePreparationTime", preparation},
        {"averageDeliveryTime", delivery},
        {"averageTotalTime", door_to_door},
        {"lateOrders", {{"count", late_now}, {"deliveredLate", delivered_late}, {"orders", std::move(late)}}}};
  });
}

asio::awaitable<bj::object> OrdersDesk::board(clock::Millis now) {
  constexpr std::int64_t kMostCards = 500;  // beyond this the kitchen has other problems
  const auto today = clock::local_date(now);
  const auto from = *clock::range_bound(today, false), to = *clock::range_bound(today, true);
  auto [cards, today_counts] = co_await db_.read([&](store::Connection& c) {
    return std::make_pair(orders::board_cards(c, kMostCards), orders::count_by_status(c, from, to));
  });
  bj::object columns, counts;
  for (const char* s : {"pending", "confirmed", "preparing", "ready", "out-for-delivery"}) {
    columns[s] = bj::array{};
    counts[s] = 0;
  }
  const auto minutes = [&](clock::Millis since) { return (now - since) / 60'000; };
  for (const auto& b : cards) {
    auto& column = columns[b.status].as_array();
    column.push_back(
        bj::object{{"_id", b.id},
                   {"orderNumber", b.order_number},
                   {"orderType", b.order_type},
                   {"status", b.status},
                   {"customerName", b.customer_name},
                   {"itemCount", b.item_count},
                   {"finalAmount", money::to_json(b.final_amount)},
                   {"paymentMethod", b.payment_method},
                   {"paymentStatus", b.payment_status},
                   {"deliveryPartner", b.partner_name.empty() ? bj::value(nullptr) : bj::value(b.partner_name)},
                   {"createdAt", clock::to_iso8601(b.created_at)},
                   {"ageMinutes", minutes(b.created_at)},
                   {"inStatusMinutes", minutes(b.status_at)},
                   {"dueAt", b.due_at ? bj::value(clock::to_iso8601(*b.due_at)) : bj::value(nullptr)},
                   {"late", b.due_at && now > *b.due_at}});
    counts[b.status] = counts[b.status].as_int64() + 1;
  }
  for (const auto& [status, n] : today_counts)
    if (status == "delivered" || status == "cancelled") counts[status + "Today"] = n;
  for (const char* s : {"deliveredToday", "cancelledToday"})
    if (!counts.contains(s)) counts[s] = 0;
  co_return bj::object{{"generatedAt", clock::to_iso8601(now)},
                       {"columns", std::move(columns)},
                       {"counts", std::move(counts)},
                       {"truncated", static_cast<std::int64_t>(cards.size()) >= kMostCards}};
}

}  // namespace tiptop::admin
