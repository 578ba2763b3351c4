#pragma once
// The admin desk's searches and aggregates over orders: a period's figures for the orders desk,
// a customer's order summary and the customer counts that come from orders, and the per-partner
// delivery figures. Reads only; the order lifecycle's SQL is in repository.hpp.
// A period is [from, to) on placement time.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/clock.hpp"
#include "core/money.hpp"
#include "store/database.hpp"

namespace tiptop::orders {

// Status texts as stored, with how many orders of the period are in each (absent: none).
std::vector<std::pair<std::string, std::int64_t>> count_by_status(store::Connection& c, clock::Millis from,
                                                                  clock::Millis to);
// SQL: how an order's money came in, for revenue by method. An order paid at the door counts as
// it was paid there: by UPI → UPI, in cash → COD (a UPI order the customer paid in cash included).
inline constexpr const char* kRevenueMethodSql =
    "CASE paid_at_door_by WHEN 'upi' THEN 'UPI' WHEN 'cash' THEN 'COD' ELSE payment_method END";
// SQL: the restaurant's part of an order's bill: the final amount less the rider's tip.
inline constexpr const char* kRevenueSql = "(final_amount_paise - tip_paise)";
// Delivered orders' revenue (kRevenueSql), summed per way of paying (kRevenueMethodSql).
std::vector<std::pair<std::string, money::Paise>> delivered_revenue_by_method(store::Connection& c, clock::Millis from,
                                                                              clock::Millis to);

// One open order as the kitchen's board shows it: what to cook or send, for whom, how long it waits.
struct BoardCard {
  std::string id, order_number, order_type, status, customer_name, payment_method, payment_status, partner_name;
  std::int64_t item_count = 0;
  money::Paise final_amount = 0;
  clock::Millis created_at = 0, status_at = 0;  // placed; entered its present status
  std::optional<clock::Millis> due_at;          // the promised time
};
// Every open order (pending to out-for-delivery), oldest first, at most `limit`: one query.
std::vector<BoardCard> board_cards(store::Connection& c, std::int64_t limit);

// A duration summed over n orders (both 0 when there are none).
struct DurationSum {
  std::int64_t ms = 0, n = 0;
};
// From each order's first confirmation to its first "ready", so a repeated entry counts once.
DurationSum preparation_time(store::Connection& c, clock::Millis from, clock::Millis to);
// Delivered orders with a pick-up time: pick-up to delivery.
DurationSum delivery_time(store::Connection& c, clock::Millis from, clock::Millis to);
// Delivered orders: placement to delivery.
DurationSum door_to_door_time(store::Connection& c, clock::Millis from, clock::Millis to);

// Orders not yet delivered nor cancelled whose promised time is before `now`, whenever placed.
struct LateOrder {
  std::string id, order_number, status;
  clock::Millis estimated_delivery_at = 0;
};
std::int64_t count_late_open(store::Connection& c, clock::Millis now);
// The 50 most overdue, most overdue first.
std::vector<LateOrder> list_late_open(store::Connection& c, clock::Millis now);
// Delivered after the promised time.
std::int64_t count_delivered_late(store::Connection& c, clock::Millis from, clock::Millis to);

// Over all of one customer's orders.
struct CustomerOrderSummary {
  std::int64_t total = 0, delivered = 0, cancelled = 0;
  money::Paise spent = 0;  // on delivered orders
  std::optional<clock::Millis> first_at, last_at;
};
CustomerOrderSummary customer_order_summary(store::Connection& c, const std::string& customer_id);
// Customers who placed an order in the period.
std::int64_t count_ordering_customers(store::Connection& c, clock::Millis from, clock::Millis to);
// Customers whose first order ever was placed in the period.
std::int64_t count_first_time_customers(store::Connection& c, clock::Millis from, clock::Millis to);

// The orders one partner was given; only partners with at least one appear.
struct PartnerOrderFigures {
  std::string partner_id;
  std::int64_t total = 0, successful = 0, cancelled = 0, in_progress = 0;
  std::int64_t delivery_ms = 0, timed = 0;  // pick-up to delivery, summed over `timed` delivered orders
  money::Paise cash_collected = 0;          // on delivered orders, in cash (a tip in cash included)
  money::Paise upi_collected = 0;           // paid at the door by UPI
  money::Paise tips = 0;                    // at checkout and at the door: the partner's
};
// Either bound may be absent (open-ended).
std::vector<PartnerOrderFigures> partner_order_figures(store::Connection& c, std::optional<clock::Millis> from,
                                                       std::optional<clock::Millis> to);

// How many orders each partner holds now (assigned, not delivered or cancelled): their load.
std::vector<std::pair<std::string, std::int64_t>> open_orders_by_partner(store::Connection& c);

// One partner's delivered orders in [from, to) by delivery time: a rider's own stats by day.
struct PartnerDelivery {
  clock::Millis delivered_at = 0;
  std::int64_t delivery_ms = -1;  // pick-up to delivery; -1 when it was never picked up by the app
  money::Paise cash = 0, upi = 0, tips = 0;
};
std::vector<PartnerDelivery> partner_deliveries(store::Connection& c, const std::string& partner_id, clock::Millis from,
                                                clock::Millis to);

}  // namespace tiptop::orders
