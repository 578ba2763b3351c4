#include "modules/cash/routes.hpp"

#include "core/ids.hpp"
#include "core/json.hpp"
#include "http/date_range.hpp"

namespace tiptop::cash {
namespace bj = boost::json;
using http::Schema;
using Awaitable = boost::asio::awaitable<http::Response>;

namespace {

const Schema kAmount = Schema::number().minimum(0).maximum(10'000'000).describe("rupees, at most two decimals");
const Schema kNotes = Schema::string().max_length(1000);

Paise amount(const http::Request& r, const char* field) { return money::require(r.json.get_object().at(field), field); }

std::string session_id(const http::Request& r) {
  auto id = json::string_or(r.json.get_object(), "sessionId");
  if (!ids::is_object_id(id)) throw ValidationError("Validation failed", {{"sessionId", "must be a session id"}});
  return id;
}

std::pair<std::int64_t, std::int64_t> page_of(const http::Request& r) {
  return {json::int_or(r.query_values, "page", 1), json::int_or(r.query_values, "limit", 20)};
}

std::string partner_filter(const http::Request& r) {
  auto id = json::string_or(r.query_values, "partnerId");
  if (!id.empty() && !ids::is_object_id(id))
    throw ValidationError("Validation failed", {{"partnerId", "must be a user id"}});
  return id;
}

}  // namespace

void register_routes(http::Router& router, CashService& service) {
  auto* svc = &service;
  const std::vector<std::string> partner = {"delivery"}, admin = {"admin"};

  router.add({.method = "POST",
              .path = "/api/v1/delivery/sessions/start",
              .summary = "Start my shift with an opening change fund",
              .tag = "delivery",
              .roles = partner,
              .body = Schema::object({{"changeFund", kAmount}}),
              .handler = [svc](http::Request& r) -> Awaitable {
                const auto* fund = r.json.get_object().if_contains("changeFund");
                const Paise change = fund ? money::require(*fund, "changeFund") : 0;
                co_return http::ok(to_json(co_await svc->start(r.user->id, change)), 201);
              }});
  router.add({.method = "GET",
              .path = "/api/v1/delivery/sessions/current",
              .summary = "My open shift with running cash totals",
              .tag = "delivery",
              .roles = partner,
              .handler = [svc](http::Request& r) -> Awaitable {
                co_return http::ok(to_json(co_await svc->current(r.user->id)));
              }});
  router.add({.method = "POST",
              .path = "/api/v1/delivery/sessions/end",
              .summary = "End my shift (refused while a cash order is still out for delivery)",
              .tag = "delivery",
              .roles = partner,
              .body = Schema::object({}),
              .handler = [svc](http::Request& r) -> Awaitable {
                co_return http::ok(to_json(co_await svc->end(r.user->id)));
              }});
  router.add({.method = "POST",
              .path = "/api/v1/delivery/sessions/settlement",
              .summary = "Declare the cash I handed over for my last shift (ends it if open)",
              .tag = "delivery",
              .roles = partner,
              .body = Schema::object({{"amount", kAmount}, {"notes", kNotes}}).required({"amount"}),
              .handler = [svc](http::Request& r) -> Awaitable {
                co_return http::ok(to_json(co_await svc->declare(r.user->id, amount(r, "amount"),
                                                                 json::string_or(r.json.get_object(), "notes"))));
              }});

  router.add({.method = "GET",
              .path = "/api/v1/admin/cash-management/sessions",
              .summary = "Delivery shifts with their cash, newest first",
              .tag = "admin-cash",
              .roles = admin,
              .query = Schema::object({{"page", Schema::integer().minimum(1).maximum(100000).fallback(1)},
                                       {"limit", Schema::integer().minimum(1).maximum(100).fallback(20)},
                                       {"partnerId", Schema::string().max_length(24)},
                                       {"settled", Schema::boolean()},
                                       http::from_param(),
                                       http::to_param()}),
              .handler = [svc](http::Request& r) -> Awaitable {
                const auto range = http::date_range(r.query_values);
                SessionFilter f{partner_filter(r), range.from, range.to, std::nullopt};
                if (auto* s = r.query_values.if_contains("settled"); s && s->is_bool()) f.settled = s->get_bool();
                const auto [page, limit] = page_of(r);
                auto p = co_await svc->sessions(f, page, limit);
                bj::array list;
                for (const auto& s : p.sessions) list.push_back(to_json(s));
                co_return http::ok_page(std::move(list), {page, limit, p.total});
              }});
  router.add(
      {.method = "POST",
       .path = "/api/v1/admin/cash-management/sessions/settle",
       .summary = "Settle a shift with the cash counted: discrepancy = actual − (changeFund + collected)",
       .tag = "admin-cash",
       .roles = admin,
       .body = Schema::object(
                   {{"sessionId", Schema::string().format("objectId")}, {"actualAmount", kAmount}, {"notes", kNotes}})
                   .required({"sessionId", "actualAmount"}),
       .handler = [svc](http::Request& r) -> Awaitable {
         co_return http::ok(to_json(co_await svc->settle(r.user->id, session_id(r), amount(r, "actualAmount"),
                                                         json::string_or(r.json.get_object(), "notes"))));
       }});
  router.add(
      {.method = "POST",
       .path = "/api/v1/admin/cash-management/sessions/resolve",
       .summary = "Resolve a settled shift's discrepancy (an adjustment in the ledger) so the partner may start again",
       .tag = "admin-cash",
       .roles = admin,
       .body = Schema::object({{"sessionId", Schema::string().format("objectId")}, {"notes", kNotes.min_length(3)}})
                   .required({"sessionId", "notes"}),
       .handler = [svc](http::Request& r) -> Awaitable {
         co_return http::ok(
             to_json(co_await svc->resolve(r.user->id, session_id(r), json::string_or(r.json.get_object(), "notes"))));
       }});
  router.add(
      {.method = "GET",
       .path = "/api/v1/admin/cash-management/transactions",
       .summary = "The append-only cash ledger, newest first, with totals per type over the filter",
       .tag = "admin-cash",
       .roles = admin,
       .query = Schema::object({{"page", Schema::integer().minimum(1).maximum(100000).fallback(1)},
                                {"limit", Schema::integer().minimum(1).maximum(100).fallback(50)},
                                {"partnerId", Schema::string().max_length(24)},
                                {"sessionId", Schema::string().max_length(24)},
                                {"type", Schema::string().one_of({"float_issued", "collected", "handed_over",
                                                                  "adjustment", "tip", "upi_collected"})},
                                http::from_param(),
                                http::to_param()}),
       .handler = [svc](http::Request& r) -> Awaitable {
         const auto range = http::date_range(r.query_values);
         auto session = json::string_or(r.query_values, "sessionId");
         if (!session.empty() && !ids::is_object_id(session))
           throw ValidationError("Validation failed", {{"sessionId", "must be a session id"}});
         LedgerFilter f{partner_filter(r), session, json::string_or(r.query_values, "type"), range.from, range.to};
         const auto page = json::int_or(r.query_values, "page", 1), limit = json::int_or(r.query_values, "limit", 50);
         auto p = co_await svc->transactions(f, page, limit);
         bj::array list;
         for (const auto& e : p.entries) list.push_back(to_json(e));
         bj::object totals;
         for (const auto* kind : kLedgerKinds) totals[kind] = 0;
         Paise balance = 0;
         for (const auto& [kind, sum] : p.totals) {
           totals[kind] = money::to_json(sum);
           if (kind != "upi_collected") balance += sum;  // UPI never passed through the partner's hands
         }
         totals["balance"] = money::to_json(balance);
         // Totals travel in meta next to the pagination, as the list's summary.
         bj::object meta;
         meta["totals"] = std::move(totals);
         co_return http::ok_page(std::move(list), {page, limit, p.total}, false, std::move(meta));
       }});
}

}  // namespace tiptop::cash
