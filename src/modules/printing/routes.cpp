#include "modules/printing/routes.hpp"

#include "core/clock.hpp"
#include "core/json.hpp"

namespace tiptop::printing {
namespace bj = boost::json;
using http::Schema;
using Awaitable = boost::asio::awaitable<http::Response>;

namespace {

Schema printer_schema() {
  return Schema::object({{"name", Schema::string().min_length(1).max_length(60)},
                         {"paperWidth", Schema::integer().minimum(58).maximum(80).describe("mm: 58 or 80")},
                         {"jobs", Schema::array(Schema::string().one_of({"kitchen", "bill"}))
                                      .min_items(1)
                                      .max_items(2)
                                      .describe("kitchen: tickets for the kitchen; bill: the customer's bill")},
                         {"isActive", Schema::boolean()}});
}

void check_width(const bj::object& body) {
  if (const auto* w = body.if_contains("paperWidth");
      w && w->is_int64() && w->get_int64() != 58 && w->get_int64() != 80)
    throw ValidationError("Validation failed", {{"paperWidth", "must be 58 or 80"}});
}

std::string printer_token(const http::Request& r) { return std::string(r.header("x-printer-token")); }

}  // namespace

void register_routes(http::Router& router, PrintService& service) {
  auto* svc = &service;
  const std::vector<std::string> admin = {"admin"}, desk = {"admin", "staff"};
  router.add({.method = "GET",
              .path = "/api/v1/admin/printers",
              .summary = "The kitchen's printers, each online (its agent called within 45 s) or not",
              .tag = "printing",
              .roles = desk,
              .handler = [svc](http::Request&) -> Awaitable {
                bj::array out;
                const auto now = clock::now_ms();
                for (const auto& p : co_await svc->printers()) out.push_back(to_json(p, now));
                co_return http::ok(std::move(out));
              }});
  router.add({.method = "POST",
              .path = "/api/v1/admin/printers",
              .summary = "Register a printer; the answer's token (shown this once) starts its print agent",
              .tag = "printing",
              .roles = admin,
              .body = printer_schema().required({"name", "paperWidth", "jobs"}),
              .handler = [svc](http::Request& r) -> Awaitable {
                check_width(r.json.get_object());
                auto made = co_await svc->add_printer(r.user->id, r.json.get_object());
                auto out = to_json(made.printer, clock::now_ms());
                out["token"] = made.token;
                co_return http::ok(std::move(out), 201);
              }});
  router.add({.method = "PUT",
              .path = "/api/v1/admin/printers/:id",
              .summary = "Rename a printer, change its paper or jobs, or switch it off (its agent is refused)",
              .tag = "printing",
              .roles = admin,
              .body = printer_schema(),
              .handler = [svc](http::Request& r) -> Awaitable {
                check_width(r.json.get_object());
                co_return http::ok(
                    to_json(co_await svc->update_printer(r.param("id"), r.json.get_object()), clock::now_ms()));
              }});
  router.add({.method = "GET",
              .path = "/api/v1/admin/print-jobs",
              .summary = "The print queue, newest first: each job's state (queued, claimed, printing, printed)",
              .tag = "printing",
              .roles = desk,
              .query = Schema::object({{"page", Schema::integer().minimum(1).maximum(100000).fallback(1)},
                                       {"limit", Schema::integer().minimum(1).maximum(100).fallback(20)},
                                       {"state", Schema::string().one_of({"queued", "claimed", "printing", "printed"})},
                                       {"kind", Schema::string().one_of({"kitchen", "bill"})},
                                       {"orderId", Schema::string().format("objectId")},
                                       {"printerId", Schema::string().format("objectId")}}),
              .handler = [svc](http::Request& r) -> Awaitable {
                const auto& q = r.query_values;
                JobFilter f{json::string_or(q, "state"), json::string_or(q, "kind"), json::string_or(q, "orderId"),
                            json::string_or(q, "printerId")};
                const auto page = json::int_or(q, "page", 1), limit = json::int_or(q, "limit", 20);
                auto p = co_await svc->jobs(f, page, limit);
                bj::array list;
                for (const auto& j : p.jobs) list.push_back(to_json(j));
                co_return http::ok_page(std::move(list), {page, limit, p.total});
              }});
  router.add({.method = "POST",
              .path = "/api/v1/admin/print-jobs/:id/reprint",
              .summary = "Print a job again: a new job, its copy marked REPRINT",
              .tag = "printing",
              .roles = desk,
              .handler = [svc](http::Request& r) -> Awaitable {
                co_return http::ok(to_json(co_await svc->reprint(r.user->id, r.param("id"))), 201);
              }});

  // The print agent's side, by the printer's token (tiptop print-agent).
  router.add(
      {.method = "POST",
       .path = "/api/v1/print-agent/claim",
       .summary = "Agent (X-Printer-Token): the next job to print, held for PRINT_LEASE_MS, or null",
       .tag = "printing",
       .handler = [svc](http::Request& r) -> Awaitable { co_return http::ok(co_await svc->claim(printer_token(r))); }});
  router.add({.method = "POST",
              .path = "/api/v1/print-agent/jobs/:id/printing",
              .summary = "Agent: about to write this claimed job to paper (409 LEASE_LOST: drop it)",
              .tag = "printing",
              .handler = [svc](http::Request& r) -> Awaitable {
                co_await svc->printing(printer_token(r), r.param("id"));
                co_return http::ok(bj::object{{"jobId", r.param("id")}, {"state", "printing"}});
              }});
  router.add({.method = "POST",
              .path = "/api/v1/print-agent/jobs/:id/printed",
              .summary = "Agent: this job is on paper",
              .tag = "printing",
              .handler = [svc](http::Request& r) -> Awaitable {
                co_await svc->printed(printer_token(r), r.param("id"));
                co_return http::ok(bj::object{{"jobId", r.param("id")}, {"state", "printed"}});
              }});
}

}  // namespace tiptop::printing
