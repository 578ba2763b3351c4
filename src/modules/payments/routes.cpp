#include "modules/payments/routes.hpp"

#include "core/errors.hpp"
#include "core/json.hpp"
#include "modules/orders/model.hpp"

namespace tiptop::payments {
namespace bj = boost::json;
using http::Schema;
using Awaitable = boost::asio::awaitable<http::Response>;
namespace {
constexpr long kWebhookLimit = 600;  // deliveries per minute and address
}  // namespace

void register_routes(http::Router& router, PaymentService& service, RateLimiter& webhook_limiter) {
  auto* svc = &service;
  // A guest pays their own online order with their guest token, as a customer does.
  const std::vector<std::string> customer = {"customer", "guest"}, admin = {"admin"};
  auto gateway_id = [] { return Schema::string().format("gatewayId"); };
  router.add({.method = "POST",
              .path = "/api/v1/orders/:id/payment",
              .summary =
                  "Open the payment sheet of my unpaid online order: Razorpay Checkout's key, order id and amount "
                  "(paise). The same gateway order on every call.",
              .tag = "payments",
              .roles = customer,
              .handler = [svc](http::Request& r) -> Awaitable {
                co_return http::ok(to_json(co_await svc->checkout(r.user->id, r.param("id"))));
              }});
  router.add({.method = "POST",
              .path = "/api/v1/orders/:id/payment/verify",
              .summary = "Razorpay Checkout's answer (razorpay_order_id, razorpay_payment_id, razorpay_signature); "
                         "the order is paid and confirmed once the gateway confirms the payment",
              .tag = "payments",
              .roles = customer,
              .body = Schema::object({{"razorpay_order_id", gateway_id()},
                                      {"razorpay_payment_id", gateway_id()},
                                      {"razorpay_signature", Schema::string().min_length(1).max_length(128)}})
                          .required({"razorpay_order_id", "razorpay_payment_id", "razorpay_signature"}),
              .handler = [svc](http::Request& r) -> Awaitable {
                const auto& b = r.json.get_object();
                auto o = co_await svc->verify(r.user->id, r.param("id"), json::string_or(b, "razorpay_order_id"),
                                              json::string_or(b, "razorpay_payment_id"),
                                              json::string_or(b, "razorpay_signature"));
                co_return http::ok(orders::to_json(o));
              }});
  router.add(
      {.method = "POST",
       .path = kWebhookPath,
       .summary =
           "Razorpay's webhooks (payment.*, order.paid, refund.*), signed with X-Razorpay-Signature over the raw "
           "body; each X-Razorpay-Event-Id is applied once",
       .tag = "payments",
       .body_limit = 64 * 1024,
       .handler = [svc, limiter = &webhook_limiter](http::Request& r) -> Awaitable {
         // Not the API's per-address limit (a busy evening's webhooks come from a few gateway
         // addresses), but a bound still: an unsigned flood costs an HMAC per request at most this often.
         const std::string key = "webhook:" + r.remote_ip;
         auto decision = limiter->hit_now(key, kWebhookLimit, std::chrono::minutes(1));
         if (!decision) decision = co_await limiter->hit(key, kWebhookLimit, std::chrono::minutes(1));
         if (!decision->allowed) throw RateLimitError(decision->reset_seconds);
         auto done = co_await svc->webhook(r.body, std::string(r.header("x-razorpay-signature")),
                                           std::string(r.header("x-razorpay-event-id")));
         co_return http::ok(bj::object{{"received", true}, {"duplicate", done.duplicate}});
       }});
  router.add(
      {.method = "GET",
       .path = "/api/v1/admin/orders/:id/payment",
       .summary = "An online order's payment (state, gateway ids, any flag) and its refund",
       .tag = "payments",
       .roles = {"admin", "staff"},  // the order detail shows it
       .handler = [svc](http::Request& r) -> Awaitable { co_return http::ok(co_await svc->details(r.param("id"))); }});
  router.add(
      {.method = "PUT",
       .path = "/api/v1/admin/orders/:id/payment/flag",
       .summary = "Close a payment's open flag, saying what was done; it leaves the flagged list",
       .tag = "payments",
       .roles = admin,
       .body =
           Schema::object({{"resolution", Schema::string().min_length(1).max_length(500)}}).required({"resolution"}),
       .handler = [svc](http::Request& r) -> Awaitable {
         co_return http::ok(to_json(co_await svc->resolve_flag(r.user->id, r.param("id"),
                                                               json::string_or(r.json.get_object(), "resolution"))));
       }});
  router.add({.method = "GET",
              .path = "/api/v1/admin/payments/flagged",
              .summary = "Payments an admin must look at (amount mismatch, a refund refused…), newest first",
              .tag = "payments",
              .roles = admin,
              .query = Schema::object({{"page", Schema::integer().minimum(1).maximum(100000).fallback(1)},
                                       {"limit", Schema::integer().minimum(1).maximum(100).fallback(20)}}),
              .handler = [svc](http::Request& r) -> Awaitable {
                const auto page = json::int_or(r.query_values, "page", 1),
                           limit = json::int_or(r.query_values, "limit", 20);
                auto found = co_await svc->flagged(page, limit);
                bj::array list;
                for (const auto& p : found.payments) list.push_back(to_json(p));
                co_return http::ok_page(std::move(list), {page, limit, found.total});
              }});
}

}  // namespace tiptop::payments
