#include "modules/analytics/rollup.hpp"

#include <chrono>
#include <cstdio>

namespace tiptop::analytics {
namespace bj = boost::json;
namespace {

std::chrono::sys_days parse_day(const std::string& day) {
  int y = 0;
  unsigned m = 0, d = 0;
  std::sscanf(day.c_str(), "%d-%u-%u", &y, &m, &d);
  return std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}};
}

std::string format_day(std::chrono::sys_days d) {
  const std::chrono::year_month_day ymd{d};
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

}  // namespace

Bucket& Bucket::operator+=(const Bucket& b) {
  orders += b.orders;
  completed += b.completed;
  cancelled += b.cancelled;
  online += b.online;
  cod += b.cod;
  discount += b.discount;
  cash += b.cash;
  upi += b.upi;
  takeaway += b.takeaway;
  return *this;
}

Bucket DayFigures::total() const {
  Bucket t;
  for (const auto& h : hours) t += h;
  return t;
}

int local_hour(clock::Millis at) {
  const auto s = clock::local_seconds(at);
  return static_cast<int>(((s % 86400) + 86400) % 86400 / 3600);
}

DayFigures compute_day(const std::string& day, const std::vector<OrderFacts>& orders) {
  DayFigures f;
  f.day = day;
  for (const auto& o : orders) {
    auto& b = f.hours[static_cast<std::size_t>(local_hour(o.created_at))];
    ++b.orders;
    if (o.order_type == "takeaway") ++b.takeaway;
    if (o.status == "cancelled") ++b.cancelled;
    if (o.status != "delivered") continue;
    // Money counts once the food reached the customer.
    ++b.completed;
    const auto& m = o.payment_method;
    (m == "COD" ? b.cod : m == "CASH" ? b.cash : m == "UPI" ? b.upi : b.online) += o.final_amount;
    b.discount += o.discount;
    std::map<std::string, bool> counted;
    for (const auto& line : o.items) {
      // A line that is not what placement writes (hand-edited data) is skipped, never fatal: one
      // bad order must not stop every later day from rolling up.
      const auto* l = line.if_object();
      const auto* id_v = l ? l->if_contains("menuItem") : nullptr;
      const auto* qty = l ? l->if_contains("quantity") : nullptr;
      if (!id_v || !id_v->is_string() || !qty || !qty->is_int64()) continue;
      const std::string id(id_v->get_string());
      auto& item = f.items[id];
      if (const auto* name = l->if_contains("name"); item.name.empty() && name && name->is_string())
        item.name = name->get_string();
      item.quantity += qty->get_int64();
      if (const auto* sub = l->if_contains("subtotal")) item.revenue += money::from_json(*sub).value_or(0);
      if (!counted[id]) ++item.orders, counted[id] = true;
    }
  }
  return f;
}

std::string add_days(const std::string& day, int n) { return format_day(parse_day(day) + std::chrono::days{n}); }

std::string week_of(const std::string& day) {
  const auto d = parse_day(day);
  const std::chrono::weekday wd{d};
  const int since_monday = (static_cast<int>(wd.c_encoding()) + 6) % 7;
  return format_day(d - std::chrono::days{since_monday});
}

std::string month_of(const std::string& day) { return day.substr(0, 7); }

}  // namespace tiptop::analytics
