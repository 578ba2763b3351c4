#include "modules/payments/repository.hpp"

namespace tiptop::payments {
namespace {

constexpr const char* kPaymentColumns =
    "order_id, gateway, gateway_order_id, amount_paise, currency, state, payment_id, paid_at, flag, expires_at, "
    "created_at, updated_at, flag_resolution, flag_resolved_by, flag_resolved_at";
constexpr const char* kRefundColumns =
    "id, order_id, payment_id, amount_paise, state, gateway_refund_id, attempts, next_attempt_at, last_error, "
    "created_at, updated_at";

Payment payment_from(const store::Row& r) {
  Payment p;
  p.order_id = r.text("order_id");
  p.gateway = r.text("gateway");
  p.gateway_order_id = r.text("gateway_order_id");
  p.amount = r.integer("amount_paise");
  p.currency = r.text("currency");
  p.state = r.text("state");
  p.payment_id = r.text("payment_id");
  p.paid_at = r.integer_or_null("paid_at");
  p.flag = r.text("flag");
  p.flag_resolution = r.text("flag_resolution");
  p.flag_resolved_by = r.text("flag_resolved_by");
  p.flag_resolved_at = r.integer_or_null("flag_resolved_at");
  p.expires_at = r.integer("expires_at");
  p.created_at = r.integer("created_at");
  p.updated_at = r.integer("updated_at");
  return p;
}

Refund refund_from(const store::Row& r) {
  Refund f;
  f.id = r.text("id");
  f.order_id = r.text("order_id");
  f.payment_id = r.text("payment_id");
  f.amount = r.integer("amount_paise");
  f.state = r.text("state");
  f.gateway_refund_id = r.text("gateway_refund_id");
  f.attempts = static_cast<int>(r.integer("attempts"));
  f.next_attempt_at = r.integer("next_attempt_at");
  f.last_error = r.text("last_error");
  f.created_at = r.integer("created_at");
  f.updated_at = r.integer("updated_at");
  return f;
}

// The row of `table` whose `column` equals value, locked for update on PostgreSQL if asked.
template <class T>
std::optional<T> one_row(store::Connection& c, const char* table, const char* columns, const char* column,
                         const std::string& value, bool for_update, T (*from)(const store::Row&)) {
  const std::string lock(for_update ? store::row_lock(c) : "");
  auto rs = c.query(std::string("SELECT ") + columns + " FROM " + table + " WHERE " + column + " = ?" + lock, {value});
  if (rs.empty()) return std::nullopt;
  return from(rs.rows[0]);
}

std::optional<Payment> one_payment(store::Connection& c, const char* column, const std::string& value,
                                   bool for_update) {
  return one_row(c, "payments", kPaymentColumns, column, value, for_update, &payment_from);
}

std::vector<Payment> payments_where(store::Connection& c, const std::string& where, const store::Params& params) {
  std::vector<Payment> out;
  for (const auto& r : c.query(std::string("SELECT ") + kPaymentColumns + " FROM payments WHERE " + where, params).rows)
    out.push_back(payment_from(r));
  return out;
}

std::optional<Refund> one_refund(store::Connection& c, const char* column, const std::string& value, bool for_update) {
  return one_row(c, "refunds", kRefundColumns, column, value, for_update, &refund_from);
}

}  // namespace

void insert_payment(store::Connection& c, const Payment& p) {
  c.execute(
      "INSERT INTO payments (order_id, gateway, gateway_order_id, amount_paise, currency, state, payment_id, paid_at, "
      "flag, expires_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {p.order_id, p.gateway, store::text_or_null(p.gateway_order_id), p.amount, p.currency, p.state,
       store::text_or_null(p.payment_id), store::value_or_null(p.paid_at), store::text_or_null(p.flag), p.expires_at,
       p.created_at, p.updated_at});
}

std::optional<Payment> find_payment(store::Connection& c, const std::string& order_id, bool for_update) {
  return one_payment(c, "order_id", order_id, for_update);
}

std::optional<Payment> find_by_gateway_order(store::Connection& c, const std::string& gateway_order_id,
                                             bool for_update) {
  return one_payment(c, "gateway_order_id", gateway_order_id, for_update);
}

void save_payment(store::Connection& c, const Payment& p) {
  c.execute(
      "UPDATE payments SET gateway_order_id = ?, state = ?, payment_id = ?, paid_at = ?, flag = ?, flag_resolution = "
      "?, "
      "flag_resolved_by = ?, flag_resolved_at = ?, updated_at = ? WHERE order_id = ?",
      {store::text_or_null(p.gateway_order_id), p.state, store::text_or_null(p.payment_id),
       store::value_or_null(p.paid_at), store::text_or_null(p.flag), store::text_or_null(p.flag_resolution),
       store::text_or_null(p.flag_resolved_by), store::value_or_null(p.flag_resolved_at), p.updated_at, p.order_id});
}

std::vector<Payment> expired_unpaid(store::Connection& c, clock::Millis now, std::int64_t limit) {
  // The one read of the orders table here: a filter, so orders no longer pending (paid, cancelled
  // by hand) never fill the job's batch. The orders module owns every write and every other read.
  return payments_where(
      c,
      "state <> 'captured' AND (flag IS NULL OR flag_resolved_at IS NOT NULL) AND expires_at <= ? AND order_id IN "
      "(SELECT id FROM orders WHERE status = 'pending') ORDER BY expires_at LIMIT ?",
      {now, limit});
}

std::vector<Payment> flagged_payments(store::Connection& c, std::int64_t offset, std::int64_t limit) {
  return payments_where(
      c, "flag IS NOT NULL AND flag_resolved_at IS NULL ORDER BY updated_at DESC, order_id LIMIT ? OFFSET ?",
      {limit, offset});
}

std::int64_t count_flagged(store::Connection& c) {
  return c.query("SELECT COUNT(*) AS n FROM payments WHERE flag IS NOT NULL AND flag_resolved_at IS NULL")
      .rows.at(0)
      .integer("n");
}

bool record_event(store::Connection& c, const std::string& event_id, const std::string& event, clock::Millis now) {
  return c.execute(
             "INSERT INTO payment_events (event_id, event, received_at) VALUES (?, ?, ?) ON CONFLICT (event_id) DO "
             "NOTHING",
             {event_id, event, now}) == 1;
}

void prune_events(store::Connection& c, clock::Millis before) {
  c.execute("DELETE FROM payment_events WHERE received_at < ?", {before});
}

void insert_refund(store::Connection& c, const Refund& r) {
  c.execute(
      "INSERT INTO refunds (id, order_id, payment_id, amount_paise, state, gateway_refund_id, attempts, "
      "next_attempt_at, "
      "last_error, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {r.id, r.order_id, r.payment_id, r.amount, r.state, store::text_or_null(r.gateway_refund_id),
       std::int64_t{r.attempts}, r.next_attempt_at, store::text_or_null(r.last_error), r.created_at, r.updated_at});
}

std::optional<Refund> find_refund(store::Connection& c, const std::string& id, bool for_update) {
  return one_refund(c, "id", id, for_update);
}

std::optional<Refund> find_refund_for_order(store::Connection& c, const std::string& order_id) {
  return one_refund(c, "order_id", order_id, false);
}

std::optional<Refund> find_refund_by_gateway_id(store::Connection& c, const std::string& gateway_refund_id,
                                                bool for_update) {
  return one_refund(c, "gateway_refund_id", gateway_refund_id, for_update);
}

std::vector<Refund> due_refunds(store::Connection& c, clock::Millis now, std::int64_t limit) {
  std::vector<Refund> out;
  for (const auto& r : c.query(std::string("SELECT ") + kRefundColumns +
                                   " FROM refunds WHERE state IN ('requested', 'pending') AND next_attempt_at <= ? "
                                   "ORDER BY next_attempt_at LIMIT ?",
                               {now, limit})
                           .rows)
    out.push_back(refund_from(r));
  return out;
}

bool claim_refund(store::Connection& c, const Refund& r, clock::Millis lease_until) {
  return c.execute("UPDATE refunds SET next_attempt_at = ? WHERE id = ? AND next_attempt_at = ? AND state = ?",
                   {lease_until, r.id, r.next_attempt_at, r.state}) == 1;
}

void save_refund(store::Connection& c, const Refund& r) {
  c.execute(
      "UPDATE refunds SET state = ?, gateway_refund_id = ?, attempts = ?, next_attempt_at = ?, last_error = ?, "
      "updated_at = ? WHERE id = ?",
      {r.state, store::text_or_null(r.gateway_refund_id), std::int64_t{r.attempts}, r.next_attempt_at,
       store::text_or_null(r.last_error), r.updated_at, r.id});
}

}  // namespace tiptop::payments
