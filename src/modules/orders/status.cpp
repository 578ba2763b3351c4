#include "modules/orders/status.hpp"

#include "core/errors.hpp"

namespace tiptop::orders {
namespace {

constexpr std::string_view kNames[] = {"pending",          "confirmed", "preparing", "ready",
                                       "out-for-delivery", "delivered", "cancelled"};

}  // namespace

std::string_view to_string(OrderStatus s) { return kNames[static_cast<int>(s)]; }

std::optional<OrderStatus> parse_status(std::string_view text) {
  for (auto s : kAllStatuses)
    if (to_string(s) == text) return s;
  return std::nullopt;
}

OrderStatus status_from_store(std::string_view text) {
  if (auto s = parse_status(text)) return *s;
  throw DatabaseError("unknown order status '" + std::string(text) + "' in the database");
}

std::vector<std::string> status_names() { return {std::begin(kNames), std::end(kNames)}; }

const std::string& active_statuses_sql() {
  static const std::string list = [] {
    std::string out = "(";
    for (auto s : kAllStatuses)
      if (is_active(s)) out += (out.size() > 1 ? ", '" : "'") + std::string(to_string(s)) + "'";
    return out + ")";
  }();
  return list;
}

}  // namespace tiptop::orders
