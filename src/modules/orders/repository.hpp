#pragma once
// SQL for orders, their status history, order numbers and idempotency keys.
#include <optional>
#include <string>
#include <vector>

#include "modules/orders/model.hpp"
#include "store/database.hpp"

namespace tiptop::orders {

// ORD_<year>_<sequence>, at least 5 digits; atomic under concurrent placement on both engines.
// SQLite counts in order_counters (one writer at a time anyway: no gaps). PostgreSQL draws from the
// year's sequence, which holds no lock until commit, so placements on several writers and nodes
// never queue behind one another; a placement that fails after drawing leaves a gap.
std::string next_order_number(store::Connection& c, int year);
// PostgreSQL: creates the year's sequence if needed, starting after any number order_counters
// already handed out (databases from before the sequences). Safe to run on several nodes at once.
void ensure_order_number_sequence(store::Connection& c, int year);
void insert_order(store::Connection& c, const Order& o);
void append_history(store::Connection& c, const std::string& order_id, int seq, const StatusChange& change);
std::optional<Order> find_order(store::Connection& c, const std::string& id, bool for_update = false);
std::optional<Order> find_by_number(store::Connection& c, const std::string& order_number);
// Newest first; status empty = any.
std::vector<Order> list_for_customer(store::Connection& c, const std::string& customer_id, const std::string& status,
                                     std::int64_t offset, std::int64_t limit);
// Orders of the customer still under way (neither delivered nor cancelled).
std::int64_t count_open_for_customer(store::Connection& c, const std::string& customer_id);
std::int64_t count_open_for_guest(store::Connection& c, const std::string& guest_id);
std::int64_t count_for_customer(store::Connection& c, const std::string& customer_id, const std::string& status);
// A partner's orders that are still on the way (confirmed to out-for-delivery), oldest first.
std::vector<Order> list_active_for_partner(store::Connection& c, const std::string& partner_id);
// Ready orders no partner holds yet, oldest first.
std::vector<Order> list_unclaimed_ready(store::Connection& c, std::int64_t limit);
// The admin's orders desk: every filter optional; `after` continues a keyset (cursor) listing.
struct OrderSearch {
  std::vector<std::string> statuses;
  std::optional<clock::Millis> from, to;  // placement time, to exclusive
  std::string payment_method, payment_status, partner_id, customer_id;
  std::string order_type;       // delivery | takeaway
  std::string text;             // an order number (prefix) or a phone number (part)
  std::string sort = "newest";  // newest | oldest | amount (smallest first) | -amount
  struct After {
    std::int64_t key;  // created_at or final amount, per sort
    std::string id;
  };
  std::optional<After> after;
};
std::vector<Order> search_orders(store::Connection& c, const OrderSearch& s, std::int64_t offset, std::int64_t limit);
std::int64_t count_orders(store::Connection& c, const OrderSearch& s);
// The sort key search_orders orders by, for building a cursor from the last order of a page.
std::int64_t sort_key(const Order& o, const std::string& sort);
// Writes the fields a status change touches (payment status and details included).
void save_status(store::Connection& c, const Order& o);
void save_delivery_partner(store::Connection& c, const Order& o);
void save_rating(store::Connection& c, const Order& o, clock::Millis now);
// On delivery: the customer's and the dishes' running totals, and the partner's delivery count.
void add_delivery_totals(store::Connection& c, const Order& o);

struct IdempotencyRecord {
  std::string request_hash, state;
  int status_code = 0;
  std::string response;
  clock::Millis created_at = 0;
};
// Locks the row on PostgreSQL: the decision to replay, refuse or take over is made under the lock.
std::optional<IdempotencyRecord> find_idempotency(store::Connection& c, const std::string& customer_id,
                                                  const std::string& key);
void delete_idempotency(store::Connection& c, const std::string& customer_id, const std::string& key);
std::optional<Order> find_by_tracking_token(store::Connection& c, const std::string& token);
// The key's answer, written with the order it made (UniqueViolation when the key is taken).
void record_idempotency(store::Connection& c, const std::string& customer_id, const std::string& key,
                        const std::string& request_hash, int status, const std::string& response);

}  // namespace tiptop::orders
