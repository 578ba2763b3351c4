#include "modules/audit/routes.hpp"

#include "core/json.hpp"
#include "http/date_range.hpp"
#include "modules/audit/repository.hpp"

namespace tiptop::audit {
namespace bj = boost::json;
using http::Schema;

void register_routes(http::Router& router, store::Database& db) {
  auto* database = &db;
  router.add(
      {.method = "GET",
       .path = "/api/v1/admin/audit",
       .summary = "Money-affecting staff actions (counter orders, open items, discounts, refunds, cash adjustments, "
                  "settings), newest "
                  "first. Append-only",
       .tag = "admin-audit",
       .roles = {"admin"},
       .query =
           Schema::object({{"page", Schema::integer().minimum(1).maximum(100000).fallback(1)},
                           {"limit", Schema::integer().minimum(1).maximum(100).fallback(20)},
                           {"action", Schema::string().one_of({"order.counter", "order.open-item", "order.discount",
                                                               "order.refund", "cash.adjustment", "settings.change"})},
                           {"actorId", Schema::string().format("objectId")},
                           {"subjectId", Schema::string().max_length(64)},
                           http::from_param(),
                           http::to_param()}),
       .handler = [database](http::Request& r) -> boost::asio::awaitable<http::Response> {
         const auto& q = r.query_values;
         const auto range = http::date_range(q);
         Filter f{json::string_or(q, "action"), json::string_or(q, "actorId"), json::string_or(q, "subjectId"),
                  range.from, range.to};
         const auto page = json::int_or(q, "page", 1), limit = json::int_or(q, "limit", 20);
         auto [entries, total] = co_await database->read(
             [&](store::Connection& c) { return std::make_pair(list(c, f, (page - 1) * limit, limit), count(c, f)); });
         bj::array data;
         for (const auto& e : entries) data.push_back(to_json(e));
         co_return http::ok_page(std::move(data), {page, limit, total});
       }});
}

}  // namespace tiptop::audit
