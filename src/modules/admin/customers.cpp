#include "modules/admin/customers.hpp"

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "modules/orders/repository.hpp"

namespace tiptop::admin {
namespace asio = boost::asio;
namespace bj = boost::json;
namespace {

users::User customer_or_404(store::Connection& c, const std::string& id) {
  auto u = users::find_with_role(c, id, "customer", "Customer");
  u.addresses = users::list_addresses(c, u.id);
  return u;
}

std::int64_t count(store::Connection& c, const std::string& sql, const store::Params& p) {
  return c.query(sql, p).rows.at(0).integer("n");
}

}  // namespace

asio::awaitable<CustomerPage> CustomerDesk::list(users::UserFilter filter, std::int64_t page, std::int64_t limit) {
  filter.role = "customer";
  co_return co_await db_.read([&](store::Connection& c) {
    return CustomerPage{users::list_users(c, filter, (page - 1) * limit, limit), users::count_users(c, filter)};
  });
}

asio::awaitable<bj::object> CustomerDesk::get(std::string customer_id) {
  co_return co_await db_.read([&](store::Connection& c) {
    auto u = customer_or_404(c, customer_id);
    const auto rs = c.query(
        "SELECT COUNT(*) AS total, SUM(CASE WHEN status = 'delivered' THEN 1 ELSE 0 END) AS delivered, "
        "SUM(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END) AS cancelled, "
        "SUM(CASE WHEN status = 'delivered' THEN final_amount_paise ELSE 0 END) AS spent, "
        "MIN(created_at) AS first_at, MAX(created_at) AS last_at FROM orders WHERE customer_id = ?",
        {u.id});
    const auto& r = rs.rows.at(0);
    const auto delivered = r.integer("delivered");
    const auto spent = r.integer("spent");
    auto when = [&](const char* col) { return r.is_null(col) ? bj::value(nullptr) : bj::value(clock::to_iso8601(r.integer(col))); };
    orders::OrderSearch mine;
    mine.customer_id = u.id;
    bj::array recent;
    for (const auto& o : orders::search_orders(c, mine, 0, 5))
      recent.push_back(bj::object{{"_id", o.id},
                                  {"orderNumber", o.order_number},
                                  {"status", o.status},
                                  {"finalAmount", money::to_json(o.pricing.final_amount)},
                                  {"paymentMethod", o.payment_method},
                                  {"createdAt", clock::to_iso8601(o.created_at)}});
    return bj::object{{"customer", users::to_json(u)},
                      {"orders",
                       {{"total", r.integer("total")},
                        {"delivered", delivered},
                        {"cancelled", r.integer("cancelled")},
                        {"spent", money::to_json(spent)},
                        {"averageOrderValue", delivered > 0 ? money::to_json(spent / delivered) : bj::value(nullptr)},
                        {"firstOrderAt", when("first_at")},
                        {"lastOrderAt", when("last_at")},
                        {"recent", std::move(recent)}}}};
  });
}

asio::awaitable<bj::object> CustomerDesk::stats(clock::Millis from, clock::Millis to) {
  co_return co_await db_.read_may_lag([&](store::Connection& c) {
    const store::Params range{from, to};
    const auto total = count(c, "SELECT COUNT(*) AS n FROM users WHERE role = 'customer'", {});
    const auto blocked = count(c, "SELECT COUNT(*) AS n FROM users WHERE role = 'customer' AND is_active = ?", {false});
    const auto registered =
        count(c, "SELECT COUNT(*) AS n FROM users WHERE role = 'customer' AND created_at >= ? AND created_at < ?", range);
    const auto active =
        count(c, "SELECT COUNT(DISTINCT customer_id) AS n FROM orders WHERE created_at >= ? AND created_at < ?", range);
    // New: their first order ever falls in the period; returning: they ordered in it and before it.
    const auto first_timers = count(c,
                                    "SELECT COUNT(*) AS n FROM (SELECT customer_id, MIN(created_at) AS first_at FROM orders "
                                    "GROUP BY customer_id) f WHERE f.first_at >= ? AND f.first_at < ?",
                                    range);
    return bj::object{{"period", {{"from", clock::to_iso8601(from)}, {"to", clock::to_iso8601(to)}}},
                      {"totalCustomers", total},
                      {"blocked", blocked},
                      {"registered", registered},
                      {"active", active},
                      {"new", first_timers},
                      {"returning", active - first_timers}};
  });
}

asio::awaitable<users::User> CustomerDesk::set_active(std::string customer_id, bool active) {
  auto u = co_await db_.transaction([&](store::Connection& c) {
    auto found = customer_or_404(c, customer_id);
    found.is_active = active;
    found.updated_at = clock::now_ms();
    c.execute("UPDATE users SET is_active = ?, updated_at = ? WHERE id = ?", {active, found.updated_at, found.id});
    return found;
  });
  if (!active) co_await auth_.revoke_user(u.id);  // blocked means signed out everywhere, now
  co_return u;
}

}  // namespace tiptop::admin
