#pragma once
// An order's status (spec §2 Orders), typed inside the server; the spec's strings appear only at
// the edges (JSON, the database, request validation).
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tiptop::orders {

enum class OrderStatus { pending, confirmed, preparing, ready, out_for_delivery, delivered, cancelled };

inline constexpr std::array<OrderStatus, 7> kAllStatuses = {
    OrderStatus::pending,          OrderStatus::confirmed, OrderStatus::preparing, OrderStatus::ready,
    OrderStatus::out_for_delivery, OrderStatus::delivered, OrderStatus::cancelled};

// "pending", …, "out-for-delivery", …: the spec's spelling.
std::string_view to_string(OrderStatus s);
std::optional<OrderStatus> parse_status(std::string_view text);
// For a status read from our own database: an unknown text is a corrupted row (DatabaseError).
OrderStatus status_from_store(std::string_view text);
// The spec's strings, for request schemas (one_of) and documentation.
std::vector<std::string> status_names();

// confirmed, preparing, ready, out-for-delivery: someone is waiting for it.
constexpr bool is_active(OrderStatus s) {
  return s == OrderStatus::confirmed || s == OrderStatus::preparing || s == OrderStatus::ready ||
         s == OrderStatus::out_for_delivery;
}
// The same set as an SQL list, "('confirmed', 'preparing', 'ready', 'out-for-delivery')", so
// repositories filter by the one definition above.
const std::string& active_statuses_sql();
// Still in the kitchen's hands: it may be given to a delivery partner.
constexpr bool in_kitchen(OrderStatus s) {
  return s == OrderStatus::pending || s == OrderStatus::confirmed || s == OrderStatus::preparing ||
         s == OrderStatus::ready;
}
// Over: nothing more happens to it.
constexpr bool is_final(OrderStatus s) { return s == OrderStatus::delivered || s == OrderStatus::cancelled; }

}  // namespace tiptop::orders
