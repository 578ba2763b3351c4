#include "modules/admin/customers.hpp"

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "modules/orders/desk_repository.hpp"
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
    const auto summary = orders::customer_order_summary(c, u.id);
    const auto delivered = summary.delivered;
    const auto spent = summary.spent;
    auto when = [](const std::optional<clock::Millis>& at) {
      return at ? bj::value(clock::to_iso8601(*at)) : bj::value(nullptr);
    };
    orders::OrderSearch mine;
    mine.customer_id = u.id;
    bj::array recent;
    for (const auto& o : orders::search_orders(c, mine, 0, 5))
      recent.push_back(bj::object{{"_id", o.id},
                                  {"orderNumber", o.order_number},
                                  {"status", orders::to_string(o.status)},
                                  {"finalAmount", money::to_json(o.pricing.final_amount)},
                                  {"paymentMethod", o.payment_method},
                                  {"createdAt", clock::to_iso8601(o.created_at)}});
    return bj::object{{"customer", users::to_json(u)},
                      {"orders",
                       {{"total", summary.total},
                        {"delivered", delivered},
                        {"cancelled", summary.cancelled},
                        {"spent", money::to_json(spent)},
                        {"averageOrderValue", delivered > 0 ? money::to_json(spent / delivered) : bj::value(nullptr)},
                        {"firstOrderAt", when(summary.first_at)},
                        {"lastOrderAt", when(summary.last_at)},
                        {"recent", std::move(recent)}}}};
  });
}

asio::awaitable<bj::object> CustomerDesk::stats(clock::Millis from, clock::Millis to) {
  co_return co_await db_.read_may_lag([&](store::Connection& c) {
    const auto customers = users::count_customers(c, from, to);
    const auto active = orders::count_ordering_customers(c, from, to);
    // New: their first order ever falls in the period; returning: they ordered in it and before it.
    const auto first_timers = orders::count_first_time_customers(c, from, to);
    return bj::object{{"period", {{"from", clock::to_iso8601(from)}, {"to", clock::to_iso8601(to)}}},
                      {"totalCustomers", customers.total},
                      {"blocked", customers.blocked},
                      {"registered", customers.registered},
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
    users::set_active(c, found.id, active, found.updated_at);
    return found;
  });
  if (!active) co_await auth_.revoke_user(u.id);  // blocked means signed out everywhere, now
  co_return u;
}

}  // namespace tiptop::admin
