#include "modules/admin/routes.hpp"

#include "core/ids.hpp"
#include "core/json.hpp"
#include "http/date_range.hpp"

namespace tiptop::admin {
namespace bj = boost::json;
using http::Schema;
using Awaitable = boost::asio::awaitable<http::Response>;

namespace {

std::string id_filter(const bj::object& q, const char* name) {
  auto id = json::string_or(q, name);
  if (!id.empty() && !ids::is_object_id(id)) throw ValidationError("Validation failed", {{name, "must be an id"}});
  return id;
}

// "pending,confirmed" (or one status): each must be a status an order can have.
std::vector<std::string> statuses(const bj::object& q) {
  std::vector<std::string> out;
  const auto text = json::string_or(q, "status");
  std::size_t start = 0;
  while (start < text.size()) {
    auto comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    auto s = text.substr(start, comma - start);
    start = comma + 1;
    if (s.empty()) continue;
    if (!orders::parse_status(s))
      throw ValidationError("Validation failed", {{"status", "'" + s + "' is not an order status"}});
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
  }
  return out;
}

// A period from the query, or the default one ending now (or today, restaurant time).
std::pair<clock::Millis, clock::Millis> period(const bj::object& q, bool today_by_default) {
  const auto r = http::date_range(q);
  const auto now = clock::now_ms();
  const auto today = clock::local_date(now);
  // A missing bound is taken from the other one: the day (or 30 days) ending at `to`, or `from` to now.
  const clock::Millis span = today_by_default ? 24LL * 3600 * 1000 : 30LL * 24 * 3600 * 1000;
  clock::Millis to = r.to ? *r.to : (today_by_default ? *clock::range_bound(today, true) : now);
  clock::Millis from = r.from ? *r.from : (today_by_default && !r.to ? *clock::range_bound(today, false) : to - span);
  if (r.from && !r.to) to = std::max(to, from);
  if (to < from) throw ValidationError("Validation failed", {{"to", "must not be before from"}});
  return {from, to};
}

}  // namespace

void register_routes(http::Router& router, OrdersDesk& desk, CustomerDesk& customers) {
  auto* orders_desk = &desk;
  auto* people = &customers;
  const std::vector<std::string> admin = {"admin"};

  router.add(
      {.method = "GET",
       .path = "/api/v1/admin/orders",
       .summary = "All orders: filters, sorts, offset (page) or cursor pagination",
       .tag = "admin-orders",
       .roles = {"admin", "staff"},  // the orders board
       .query = Schema::object(
           {{"page", Schema::integer().minimum(1).maximum(100000).fallback(1)},
            {"limit", Schema::integer().minimum(1).maximum(100).fallback(20)},
            {"cursor", Schema::string().max_length(512).describe("present (even empty): cursor pagination")},
            {"status", Schema::string().max_length(200).describe("one status or several, comma-separated")},
            http::from_param(),
            http::to_param(),
            {"paymentMethod", Schema::string().one_of({"COD", "ONLINE", "CARD"})},
            {"orderType", Schema::string().one_of({"delivery", "takeaway"})},
            {"paymentStatus", Schema::string().one_of({"pending", "paid", "failed", "refunded"})},
            {"partnerId", Schema::string().max_length(24)},
            {"customerId", Schema::string().max_length(24)},
            {"q", Schema::string().min_length(3).max_length(40).describe("order number (prefix) or phone (part)")},
            {"sort", Schema::string().one_of({"newest", "oldest", "amount", "-amount"}).fallback("newest")}}),
       .handler = [orders_desk](http::Request& r) -> Awaitable {
         const auto& q = r.query_values;
         const auto range = http::date_range(q);
         orders::OrderSearch f;
         f.statuses = statuses(q);
         f.from = range.from;
         f.to = range.to;
         f.payment_method = json::string_or(q, "paymentMethod");
         f.order_type = json::string_or(q, "orderType");
         f.payment_status = json::string_or(q, "paymentStatus");
         f.partner_id = id_filter(q, "partnerId");
         f.customer_id = id_filter(q, "customerId");
         f.text = json::string_or(q, "q");
         f.sort = json::string_or(q, "sort", "newest");
         std::optional<std::string> cursor;
         if (auto* c = q.if_contains("cursor"); c && c->is_string()) cursor = std::string(c->get_string());
         const auto page = json::int_or(q, "page", 1), limit = json::int_or(q, "limit", 20);
         auto p = co_await orders_desk->search(std::move(f), page, limit, cursor);
         bj::array list;
         for (const auto& o : p.orders) list.push_back(orders::to_json(o));
         if (!cursor) co_return http::ok_page(std::move(list), {page, limit, p.total});
         bj::object meta;
         meta["pagination"] = bj::object{{"limit", limit},
                                         {"hasMore", p.has_more},
                                         {"nextCursor", p.has_more ? bj::value(p.next_cursor) : bj::value(nullptr)}};
         co_return http::ok(std::move(list), 200, false, std::move(meta));
       }});
  router.add({.method = "GET",
              .path = "/api/v1/admin/orders/board",
              .summary = "The kitchen's board: open orders by status with ages, and today's counts (poll it, or "
                         "follow admin:new-order and order:status:updated)",
              .tag = "admin-orders",
              .roles = {"admin", "staff"},
              .handler = [orders_desk](http::Request&) -> Awaitable {
                co_return http::ok(co_await orders_desk->board(clock::now_ms()));
              }});
  router.add(
      {.method = "GET",
       .path = "/api/v1/admin/orders/stats",
       .summary = "A period's orders by status, revenue, preparation and delivery times, late orders (default: today)",
       .tag = "admin-orders",
       .roles = admin,
       .query = Schema::object({http::from_param(), http::to_param()}),
       .handler = [orders_desk](http::Request& r) -> Awaitable {
         const auto [from, to] = period(r.query_values, true);
         co_return http::ok(co_await orders_desk->stats(from, to));
       }});

  router.add(
      {.method = "GET",
       .path = "/api/v1/admin/customers",
       .summary = "Customers: search, sort by spend or orders",
       .tag = "admin-customers",
       .roles = admin,
       .query = Schema::object({{"page", Schema::integer().minimum(1).maximum(100000).fallback(1)},
                                {"limit", Schema::integer().minimum(1).maximum(100).fallback(20)},
                                {"search", Schema::string().max_length(100).describe("name, e-mail or phone")},
                                {"active", Schema::boolean()},
                                {"sort", Schema::string().one_of({"newest", "spend", "orders"}).fallback("newest")}}),
       .handler = [people](http::Request& r) -> Awaitable {
         const auto& q = r.query_values;
         users::UserFilter f;
         f.search = json::string_or(q, "search");
         f.sort = json::string_or(q, "sort", "newest");
         if (auto* v = q.if_contains("active"); v && v->is_bool()) f.active = v->get_bool();
         const auto page = json::int_or(q, "page", 1), limit = json::int_or(q, "limit", 20);
         auto p = co_await people->list(f, page, limit);
         bj::array list;
         for (const auto& u : p.customers) list.push_back(users::to_json(u));
         co_return http::ok_page(std::move(list), {page, limit, p.total});
       }});
  router.add({.method = "GET",
              .path = "/api/v1/admin/customers/stats",
              .summary = "Registered, active, new and returning customers in a period (default: the last 30 days)",
              .tag = "admin-customers",
              .roles = admin,
              .query = Schema::object({http::from_param(), http::to_param()}),
              .handler = [people](http::Request& r) -> Awaitable {
                const auto [from, to] = period(r.query_values, false);
                co_return http::ok(co_await people->stats(from, to));
              }});
  router.add({.method = "GET",
              .path = "/api/v1/admin/customers/:id",
              .summary = "A customer's profile, addresses and order history",
              .tag = "admin-customers",
              .roles = admin,
              .handler = [people](http::Request& r) -> Awaitable {
                co_return http::ok(co_await people->get(r.param("id")));
              }});
  router.add({.method = "PUT",
              .path = "/api/v1/admin/customers/:id",
              .summary = "Block (isActive: false, signs them out everywhere) or unblock a customer",
              .tag = "admin-customers",
              .roles = admin,
              .body = Schema::object({{"isActive", Schema::boolean()}}).required({"isActive"}),
              .handler = [people](http::Request& r) -> Awaitable {
                const bool active = json::bool_or(r.json.get_object(), "isActive", true);
                co_return http::ok(users::to_json(co_await people->set_active(r.param("id"), active)));
              }});
}

}  // namespace tiptop::admin
