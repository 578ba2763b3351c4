#include "modules/orders/repository.hpp"

#include <cstdio>
#include <map>

#include "core/json.hpp"

namespace tiptop::orders {
namespace bj = boost::json;
namespace {

constexpr const char* kColumns =
    "id, order_number, customer_id, customer, items, items_total_paise, delivery_fee_paise, tax_paise, "
    "discount_paise, promo_code, final_amount_paise, delivery_address, delivery_partner_id, delivery_partner, status, "
    "payment_method, payment_status, payment_details, cash_expected_paise, cash_collected_paise, cash_collected_at, "
    "cash_settled, estimated_delivery_at, actual_delivery_at, rating, cancellation, created_at, updated_at, "
    "delivery_session_id, assigned_at, picked_up_at, order_type, guest_id, placed_by, tracking_token, tip_paise, "
    "door_tip_paise, upi_link, paid_at_door_by, upi_reference";

bj::value parse_or_null(const store::Row& r, std::string_view col) {
  if (r.is_null(col)) return nullptr;
  boost::system::error_code ec;
  auto v = bj::parse(r.text(col), ec);
  return ec ? bj::value(nullptr) : v;
}

store::Value json_or_null(const bj::value& v) {
  return v.is_null() ? store::Value(store::Null{}) : store::Value(json::serialize(v));
}

Order order_from(const store::Row& r) {
  Order o;
  o.id = r.text("id");
  o.order_number = r.text("order_number");
  o.customer_id = r.text("customer_id");
  if (auto v = parse_or_null(r, "customer"); v.is_object()) o.customer = v.get_object();
  if (auto v = parse_or_null(r, "items"); v.is_array()) o.items = v.get_array();
  o.pricing = {r.integer("items_total_paise"), r.integer("discount_paise"), r.integer("tax_paise"),
               r.integer("delivery_fee_paise"), r.integer("final_amount_paise")};
  o.pricing.tip = r.integer("tip_paise");
  o.promo_code = r.text("promo_code");
  if (auto v = parse_or_null(r, "delivery_address"); v.is_object()) o.delivery_address = v.get_object();
  o.delivery_partner_id = r.text("delivery_partner_id");
  o.delivery_partner = parse_or_null(r, "delivery_partner");
  o.delivery_session_id = r.text("delivery_session_id");
  o.assigned_at = r.integer_or_null("assigned_at");
  o.picked_up_at = r.integer_or_null("picked_up_at");
  o.status = status_from_store(r.text("status"));
  o.payment_method = r.text("payment_method");
  o.order_type = r.text("order_type");
  o.guest_id = r.text("guest_id");
  o.placed_by = r.text("placed_by");
  o.tracking_token = r.text("tracking_token");
  o.payment_status = r.text("payment_status");
  o.payment_details = parse_or_null(r, "payment_details");
  o.cash_expected = r.integer_or_null("cash_expected_paise");
  o.cash_collected = r.integer_or_null("cash_collected_paise");
  o.cash_collected_at = r.integer_or_null("cash_collected_at");
  o.cash_settled = r.boolean("cash_settled");
  o.door_tip = r.integer("door_tip_paise");
  o.upi_link = r.text("upi_link");
  o.paid_at_door_by = r.text("paid_at_door_by");
  o.upi_reference = r.text("upi_reference");
  o.estimated_delivery_at = r.integer_or_null("estimated_delivery_at");
  o.actual_delivery_at = r.integer_or_null("actual_delivery_at");
  o.rating = parse_or_null(r, "rating");
  o.cancellation = parse_or_null(r, "cancellation");
  o.created_at = r.integer("created_at");
  o.updated_at = r.integer("updated_at");
  return o;
}

void load_history(store::Connection& c, Order& o) {
  for (const auto& r :
       c.query("SELECT status, at, updated_by, notes FROM order_status_history WHERE order_id = ? ORDER BY seq", {o.id})
           .rows)
    o.history.push_back({status_from_store(r.text("status")), r.integer("at"), r.text("updated_by"), r.text("notes")});
}

std::string status_filter(const std::string& status) { return status.empty() ? "" : " AND status = ?"; }

}  // namespace

namespace {

std::string sequence_for(int year) { return "order_number_" + std::to_string(year); }  // an int: nothing to escape

}  // namespace

std::string next_order_number(store::Connection& c, int year) {
  const auto rs = c.engine() == store::Engine::postgres
                      ? c.query("SELECT nextval('" + sequence_for(year) + "') AS value")
                      : c.query(
                            "INSERT INTO order_counters (year, value) VALUES (?, 1) "
                            "ON CONFLICT (year) DO UPDATE SET value = order_counters.value + 1 RETURNING value",
                            {std::int64_t{year}});
  char buf[48];
  std::snprintf(buf, sizeof buf, "ORD_%d_%05lld", year, static_cast<long long>(rs.rows.at(0).integer("value")));
  return buf;
}

void ensure_order_number_sequence(store::Connection& c, int year) {
  if (c.engine() != store::Engine::postgres) return;
  // Numbers the counter row gave out before the sequence existed are never handed out again. On
  // PostgreSQL nothing increments the counter any more, so this start is fixed; an existing
  // sequence is left alone (no setval, which could move it back under a concurrent nextval).
  const auto rs = c.query("SELECT value FROM order_counters WHERE year = ?", {std::int64_t{year}});
  const auto start = (rs.empty() ? 0 : rs.rows[0].integer("value")) + 1;
  c.execute("CREATE SEQUENCE IF NOT EXISTS " + sequence_for(year) + " START WITH " + std::to_string(start));
}

void insert_order(store::Connection& c, const Order& o) {
  c.execute(
      "INSERT INTO orders (id, order_number, customer_id, customer, items, items_total_paise, delivery_fee_paise, "
      "tax_paise, discount_paise, promo_code, final_amount_paise, delivery_address, status, payment_method, "
      "payment_status, cash_expected_paise, estimated_delivery_at, created_at, updated_at, order_type, guest_id, "
      "placed_by, tracking_token, tip_paise, upi_link) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      {o.id,
       o.order_number,
       store::text_or_null(o.customer_id),  // a walk-in has no customer
       json::serialize(o.customer),
       json::serialize(o.items),
       o.pricing.items_total,
       o.pricing.delivery_fee,
       o.pricing.tax,
       o.pricing.discount,
       store::text_or_null(o.promo_code),
       o.pricing.final_amount,
       json::serialize(o.delivery_address),
       std::string(to_string(o.status)),
       o.payment_method,
       o.payment_status,
       store::value_or_null(o.cash_expected),
       store::value_or_null(o.estimated_delivery_at),
       o.created_at,
       o.updated_at,
       o.order_type,
       store::text_or_null(o.guest_id),
       store::text_or_null(o.placed_by),
       store::text_or_null(o.tracking_token),
       o.pricing.tip,
       store::text_or_null(o.upi_link)});
}

void append_history(store::Connection& c, const std::string& order_id, int seq, const StatusChange& h) {
  c.execute("INSERT INTO order_status_history (order_id, seq, status, at, updated_by, notes) VALUES (?, ?, ?, ?, ?, ?)",
            {order_id, std::int64_t{seq}, std::string(to_string(h.status)), h.at, h.updated_by,
             store::text_or_null(h.notes)});
}

std::optional<Order> find_order(store::Connection& c, const std::string& id, bool for_update) {
  const std::string lock(for_update ? store::row_lock(c) : "");
  auto rs = c.query(std::string("SELECT ") + kColumns + " FROM orders WHERE id = ?" + lock, {id});
  if (rs.empty()) return std::nullopt;
  auto o = order_from(rs.rows[0]);
  load_history(c, o);
  return o;
}

std::optional<Order> find_by_number(store::Connection& c, const std::string& number) {
  auto rs = c.query(std::string("SELECT ") + kColumns + " FROM orders WHERE order_number = ?", {number});
  if (rs.empty()) return std::nullopt;
  auto o = order_from(rs.rows[0]);
  load_history(c, o);
  return o;
}

std::vector<Order> list_for_customer(store::Connection& c, const std::string& customer_id, const std::string& status,
                                     std::int64_t offset, std::int64_t limit) {
  store::Params params{customer_id};
  if (!status.empty()) params.emplace_back(status);
  params.emplace_back(limit);
  params.emplace_back(offset);
  std::vector<Order> out;
  for (const auto& r : c.query(std::string("SELECT ") + kColumns + " FROM orders WHERE customer_id = ?" +
                                   status_filter(status) + " ORDER BY created_at DESC, id DESC LIMIT ? OFFSET ?",
                               params)
                           .rows) {
    out.push_back(order_from(r));
    load_history(c, out.back());
  }
  return out;
}

std::int64_t count_open_for_guest(store::Connection& c, const std::string& guest_id) {
  return c
      .query("SELECT COUNT(*) AS n FROM orders WHERE guest_id = ? AND status NOT IN ('delivered', 'cancelled')",
             {guest_id})
      .rows.at(0)
      .integer("n");
}

std::int64_t count_open_for_customer(store::Connection& c, const std::string& customer_id) {
  return c
      .query("SELECT COUNT(*) AS n FROM orders WHERE customer_id = ? AND status NOT IN ('delivered', 'cancelled')",
             {customer_id})
      .rows.at(0)
      .integer("n");
}

std::int64_t count_for_customer(store::Connection& c, const std::string& customer_id, const std::string& status) {
  store::Params params{customer_id};
  if (!status.empty()) params.emplace_back(status);
  return c.query("SELECT COUNT(*) AS n FROM orders WHERE customer_id = ?" + status_filter(status), params)
      .rows.at(0)
      .integer("n");
}

namespace {
std::vector<Order> orders_where(store::Connection& c, const std::string& where, const store::Params& params) {
  std::vector<Order> out;
  for (const auto& r : c.query(std::string("SELECT ") + kColumns + " FROM orders WHERE " + where, params).rows) {
    out.push_back(order_from(r));
    load_history(c, out.back());
  }
  return out;
}
}  // namespace

namespace {
std::string search_where(const OrderSearch& s, store::Params& p) {
  std::string w = "1 = 1";
  if (!s.statuses.empty()) {
    w += " AND status IN (";
    for (std::size_t i = 0; i < s.statuses.size(); ++i) w += i ? ", ?" : "?", p.emplace_back(s.statuses[i]);
    w += ")";
  }
  if (s.from) w += " AND created_at >= ?", p.emplace_back(*s.from);
  if (s.to) w += " AND created_at < ?", p.emplace_back(*s.to);
  if (!s.payment_method.empty()) w += " AND payment_method = ?", p.emplace_back(s.payment_method);
  if (!s.order_type.empty()) w += " AND order_type = ?", p.emplace_back(s.order_type);
  if (!s.payment_status.empty()) w += " AND payment_status = ?", p.emplace_back(s.payment_status);
  if (!s.partner_id.empty()) w += " AND delivery_partner_id = ?", p.emplace_back(s.partner_id);
  if (!s.customer_id.empty()) w += " AND customer_id = ?", p.emplace_back(s.customer_id);
  if (!s.text.empty()) {
    // Order numbers are upper case on both engines (PostgreSQL's LIKE is case-sensitive).
    std::string upper(s.text);
    for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    const auto escaped = store::like_escape(upper);
    const std::string like = std::string(" LIKE ?") + store::kLikeEscape;
    w += " AND (order_number" + like + " OR customer_id IN (SELECT id FROM users WHERE phone" + like + "))";
    p.emplace_back(escaped + "%");
    p.emplace_back("%" + escaped + "%");
  }
  return w;
}

// Column and direction per sort; the id breaks ties the same way.
std::pair<const char*, bool> sort_column(const std::string& sort) {
  if (sort == "oldest") return {"created_at", true};
  if (sort == "amount") return {"final_amount_paise", true};
  if (sort == "-amount") return {"final_amount_paise", false};
  return {"created_at", false};
}
}  // namespace

std::int64_t sort_key(const Order& o, const std::string& sort) {
  return std::string(sort_column(sort).first) == "created_at" ? o.created_at : o.pricing.final_amount;
}

std::vector<Order> search_orders(store::Connection& c, const OrderSearch& s, std::int64_t offset, std::int64_t limit) {
  store::Params p;
  auto where = search_where(s, p);
  const auto [column, ascending] = sort_column(s.sort);
  const std::string col(column), cmp = ascending ? " > " : " < ", dir = ascending ? " ASC" : " DESC";
  if (s.after) {
    where += " AND (" + col + cmp + "? OR (" + col + " = ? AND id" + cmp + "?))";
    p.insert(p.end(), {s.after->key, s.after->key, s.after->id});
  }
  p.emplace_back(limit);
  p.emplace_back(offset);
  return orders_where(c, where + " ORDER BY " + col + dir + ", id" + dir + " LIMIT ? OFFSET ?", p);
}

std::int64_t count_orders(store::Connection& c, const OrderSearch& s) {
  store::Params p;
  const auto where = search_where(s, p);
  return c.query("SELECT COUNT(*) AS n FROM orders WHERE " + where, p).rows.at(0).integer("n");
}

std::vector<Order> list_active_for_partner(store::Connection& c, const std::string& partner_id) {
  return orders_where(
      c, "delivery_partner_id = ? AND status IN " + active_statuses_sql() + " ORDER BY created_at, id LIMIT 100",
      {partner_id});
}

std::vector<Order> list_unclaimed_ready(store::Connection& c, std::int64_t limit) {
  return orders_where(
      c, "delivery_partner_id IS NULL AND status = 'ready' AND order_type = 'delivery' ORDER BY created_at, id LIMIT ?",
      {limit});
}

void save_status(store::Connection& c, const Order& o) {
  c.execute(
      "UPDATE orders SET status = ?, payment_status = ?, payment_details = ?, actual_delivery_at = ?, cancellation = "
      "?, "
      "picked_up_at = ?, cash_collected_paise = ?, cash_collected_at = ?, delivery_session_id = ?, updated_at = ?, "
      "door_tip_paise = ?, paid_at_door_by = ?, upi_reference = ? WHERE id = ?",
      {std::string(to_string(o.status)), o.payment_status, json_or_null(o.payment_details),
       store::value_or_null(o.actual_delivery_at), json_or_null(o.cancellation), store::value_or_null(o.picked_up_at),
       store::value_or_null(o.cash_collected), store::value_or_null(o.cash_collected_at),
       store::text_or_null(o.delivery_session_id), o.updated_at, o.door_tip, store::text_or_null(o.paid_at_door_by),
       store::text_or_null(o.upi_reference), o.id});
}

void save_rating(store::Connection& c, const Order& o, clock::Millis now) {
  c.execute("UPDATE orders SET rating = ?, updated_at = ? WHERE id = ?", {json::serialize(o.rating), now, o.id});
}

void save_delivery_partner(store::Connection& c, const Order& o) {
  c.execute(
      "UPDATE orders SET delivery_partner_id = ?, delivery_partner = ?, delivery_session_id = ?, assigned_at = ?, "
      "updated_at = ? WHERE id = ?",
      {store::text_or_null(o.delivery_partner_id), json_or_null(o.delivery_partner),
       store::text_or_null(o.delivery_session_id), store::value_or_null(o.assigned_at), o.updated_at, o.id});
}

void add_delivery_totals(store::Connection& c, const Order& o) {
  c.execute(
      "UPDATE users SET total_orders = total_orders + 1, total_spent_paise = total_spent_paise + ?, "
      "loyalty_points = loyalty_points + ? WHERE id = ?",
      {o.pricing.final_amount, o.pricing.final_amount / 10000, o.customer_id});
  // Summed per dish and written in id order: concurrent deliveries sharing dishes lock them in the
  // same order, so they queue instead of deadlocking.
  std::map<std::string, std::pair<std::int64_t, money::Paise>> per_dish;
  for (const auto& line : o.items) {
    const auto& l = line.as_object();
    if (!l.at("menuItem").is_string()) continue;  // an open item (counter order): not a dish of the menu
    auto& [quantity, revenue] = per_dish[std::string(l.at("menuItem").as_string())];
    quantity += l.at("quantity").to_number<std::int64_t>();
    revenue += money::from_json(l.at("subtotal")).value_or(0);
  }
  for (const auto& [item, sums] : per_dish)
    c.execute("UPDATE menu_items SET total_orders = total_orders + ?, revenue_paise = revenue_paise + ? WHERE id = ?",
              {sums.first, sums.second, item});
  if (!o.delivery_partner_id.empty())
    c.execute("UPDATE users SET total_deliveries = total_deliveries + 1 WHERE id = ?", {o.delivery_partner_id});
}

std::optional<IdempotencyRecord> find_idempotency(store::Connection& c, const std::string& customer_id,
                                                  const std::string& key) {
  auto rs = c.query(std::string("SELECT request_hash, state, status_code, response, created_at FROM idempotency_keys "
                                "WHERE customer_id = ? AND key = ?") +
                        std::string(store::row_lock(c)),
                    {customer_id, key});
  if (rs.empty()) return std::nullopt;
  const auto& r = rs.rows[0];
  return IdempotencyRecord{r.text("request_hash"), r.text("state"), static_cast<int>(r.integer("status_code")),
                           r.text("response"), r.integer("created_at")};
}

void delete_idempotency(store::Connection& c, const std::string& customer_id, const std::string& key) {
  c.execute("DELETE FROM idempotency_keys WHERE customer_id = ? AND key = ?", {customer_id, key});
}

std::optional<Order> find_by_tracking_token(store::Connection& c, const std::string& token) {
  auto found = orders_where(c, "tracking_token = ?", {token});
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

void record_idempotency(store::Connection& c, const std::string& customer_id, const std::string& key,
                        const std::string& request_hash, int status, const std::string& response) {
  c.execute(
      "INSERT INTO idempotency_keys (customer_id, key, request_hash, state, status_code, response, created_at) "
      "VALUES (?, ?, ?, 'done', ?, ?, ?)",
      {customer_id, key, request_hash, std::int64_t{status}, response, clock::now_ms()});
}

}  // namespace tiptop::orders
