#include "modules/delivery/routes.hpp"

#include "core/ids.hpp"
#include "core/json.hpp"
#include "http/bulk.hpp"
#include "http/date_range.hpp"

namespace tiptop::delivery {
namespace bj = boost::json;
using http::Schema;
using Awaitable = boost::asio::awaitable<http::Response>;

namespace {

Schema vehicle_schema() {
  return Schema::object({{"type", Schema::string().one_of({"bicycle", "motorcycle", "scooter", "car", "other"})},
                         {"number", Schema::string().max_length(20)},
                         {"document", Schema::string().max_length(2048).describe("URL of the uploaded registration")}});
}

// What any partner may see of an order nobody holds yet: enough to decide, not the customer or the door.
bj::object available_view(const orders::Order& o) {
  return {{"_id", o.id},
          {"orderNumber", o.order_number},
          {"status", orders::to_string(o.status)},
          {"deliveryAddress", orders::approximate_area(o.delivery_address)},
          {"finalAmount", money::to_json(o.pricing.final_amount)},
          {"paymentMethod", o.payment_method},
          {"itemCount", o.items.size()},
          {"createdAt", clock::to_iso8601(o.created_at)}};
}

// The status body shared by the partner's route and the admin's: what it says, read once.
struct StatusChange {
  orders::OrderStatus status;
  std::string notes;
  DoorReport door;
};
StatusChange status_change(const http::Request& r) {
  const auto& b = r.json.get_object();
  StatusChange c{*orders::parse_status(json::string_or(b, "status")), json::string_or(b, "notes"), {}};
  if (const auto* v = b.if_contains("cashCollected")) c.door.cash_collected = money::require(*v, "cashCollected");
  if (const auto* v = b.if_contains("tip")) c.door.tip = money::require(*v, "tip");
  c.door.paid_by = json::string_or(b, "paidBy", "cash");
  c.door.upi_reference = json::string_or(b, "upiReference");
  c.door.given = b.contains("paidBy") || b.contains("upiReference") || b.contains("tip");
  return c;
}

// The body of a pick-up or delivery, the partner's and the admin's.
Schema status_schema(bool admin) {
  return Schema::object(
             {{"status", Schema::string().one_of({"out-for-delivery", "delivered"})},
              {"cashCollected", Schema::number()
                                    .minimum(0)
                                    .maximum(10'000'000)
                                    .describe("rupees: the cash taken at the door, a tip in cash included")},
              {"paidBy", Schema::string().one_of({"cash", "upi"}).describe("how an order paid at the door was paid")},
              {"upiReference", Schema::string().format("upiReference").describe("the payer's UPI transaction id")},
              {"tip", Schema::number().minimum(0).maximum(5000).describe("rupees given at the door for the rider")},
              {"notes", admin ? Schema::string().min_length(3).max_length(500).describe("why the partner could not")
                              : Schema::string().max_length(500)}})
      .required(admin ? std::vector<std::string>{"status", "notes"} : std::vector<std::string>{"status"});
}

}  // namespace

void register_routes(http::Router& router, PartnerService& partners, DispatchService& dispatch,
                     live::LiveService& live) {
  auto* people = &partners;
  auto* desk = &dispatch;
  auto* tracker = &live;
  const std::vector<std::string> partner = {"delivery"}, admin = {"admin"};

  router.add({.method = "PUT",
              .path = "/api/v1/delivery/availability",
              .summary = "Go on or off duty (only available partners are offered and assigned orders)",
              .tag = "delivery",
              .roles = partner,
              .body = Schema::object({{"availability", Schema::boolean()}}).required({"availability"}),
              .handler = [people](http::Request& r) -> Awaitable {
                const bool on = json::bool_or(r.json.get_object(), "availability", false);
                co_return http::ok(users::to_json(co_await people->set_availability(r.user->id, on)));
              }});
  router.add({.method = "POST",
              .path = "/api/v1/delivery/location",
              .summary = "Report my position (the HTTP twin of location:update; at most one a second)",
              .tag = "delivery",
              .roles = partner,
              .body = Schema::object({{"lat", Schema::number().minimum(-90).maximum(90)},
                                      {"lng", Schema::number().minimum(-180).maximum(180)},
                                      {"heading", Schema::number().minimum(0).maximum(359.999999)},
                                      {"speed", Schema::number().minimum(0).maximum(300).describe("km/h")}})
                          .required({"lat", "lng"}),
              .handler = [tracker](http::Request& r) -> Awaitable {
                auto at = live::parse_location(r.json);
                if (!at) throw ValidationError("Validation failed", {{"lat", "lat must be -90..90 and lng -180..180"}});
                if (!tracker->allow_location(r.user->id)) throw RateLimitError(1, "At most one location per second");
                const auto told = co_await tracker->update_location(r.user->id, *at);
                co_return http::ok(bj::object{{"customersNotified", told}});
              }});
  router.add({.method = "GET",
              .path = "/api/v1/delivery/active",
              .summary = "My orders still on the way, and ready orders nobody has taken",
              .tag = "delivery",
              .roles = partner,
              .handler = [desk](http::Request& r) -> Awaitable {
                auto a = co_await desk->active(r.user->id);
                bj::array mine, open;
                for (const auto& o : a.assigned) mine.push_back(orders::partner_view(o));
                for (const auto& o : a.available) open.push_back(available_view(o));
                co_return http::ok(bj::object{{"assigned", std::move(mine)}, {"available", std::move(open)}});
              }});
  router.add({.method = "PUT",
              .path = "/api/v1/delivery/orders/:id/accept",
              .summary = "Take a ready, unclaimed order (exactly one partner wins; the rest get 409)",
              .tag = "delivery",
              .roles = partner,
              .handler = [desk](http::Request& r) -> Awaitable {
                co_return http::ok(orders::partner_view(co_await desk->accept(r.user->id, r.param("id"))));
              }});
  router.add(
      {.method = "PUT",
       .path = "/api/v1/delivery/orders/:id/status",
       .summary = "Pick up (out-for-delivery) or deliver one of my orders; an order paid at the door needs "
                  "cashCollected, or paidBy upi with upiReference; a tip given at the door goes in tip",
       .tag = "delivery",
       .roles = partner,
       .body = status_schema(false),
       .handler = [desk](http::Request& r) -> Awaitable {
         auto change = status_change(r);
         Actor who{r.user->id, "delivery"};  // built first: GCC 12 miscompiles a braced temporary inside co_await
         co_return http::ok(orders::partner_view(
             co_await desk->update_status(who, r.param("id"), change.status, change.door, change.notes)));
       }});
  router.add({.method = "PUT",
              .path = "/api/v1/admin/orders/:id/delivery",
              .summary = "Record a partner's pick-up or delivery on their behalf (lost phone); the cash goes to "
                         "their shift, booked with the admin as actor",
              .tag = "admin-orders",
              .roles = admin,
              .body = status_schema(true),
              .handler = [desk](http::Request& r) -> Awaitable {
                auto change = status_change(r);
                Actor who{r.user->id, "admin"};
                co_return http::ok(orders::to_json(
                    co_await desk->update_status(who, r.param("id"), change.status, change.door, change.notes)));
              }});

  router.add({.method = "GET",
              .path = "/api/v1/admin/delivery-partners",
              .summary = "Delivery partners, newest first",
              .tag = "admin-delivery",
              .roles = admin,
              .query = Schema::object({{"page", Schema::integer().minimum(1).maximum(100000).fallback(1)},
                                       {"limit", Schema::integer().minimum(1).maximum(100).fallback(20)},
                                       {"available", Schema::boolean()},
                                       {"active", Schema::boolean()},
                                       {"search", Schema::string().max_length(100).describe("name, e-mail or phone")}}),
              .handler = [people](http::Request& r) -> Awaitable {
                users::UserFilter f;
                if (auto* v = r.query_values.if_contains("available"); v && v->is_bool()) f.available = v->get_bool();
                if (auto* v = r.query_values.if_contains("active"); v && v->is_bool()) f.active = v->get_bool();
                f.search = json::string_or(r.query_values, "search");
                const auto page = json::int_or(r.query_values, "page", 1),
                           limit = json::int_or(r.query_values, "limit", 20);
                auto p = co_await people->list(f, page, limit);
                bj::array list;
                for (const auto& u : p.partners) list.push_back(users::to_json(u));
                co_return http::ok_page(std::move(list), {page, limit, p.total});
              }});
  router.add({.method = "POST",
              .path = "/api/v1/admin/delivery-partners",
              .summary = "Create a delivery partner account",
              .tag = "admin-delivery",
              .roles = admin,
              .body = Schema::object({{"email", Schema::string().format("email").max_length(254)},
                                      {"phone", Schema::string().format("phone")},
                                      {"password", Schema::string().min_length(8).max_length(1024)},
                                      {"firstName", Schema::string().min_length(1).max_length(50)},
                                      {"lastName", Schema::string().max_length(50)},
                                      {"vehicleInfo", vehicle_schema()}})
                          .required({"email", "phone", "password", "firstName"}),
              .handler = [people](http::Request& r) -> Awaitable {
                co_return http::ok(users::to_json(co_await people->create(r.json.get_object())), 201);
              }});
  router.add({.method = "GET",
              .path = "/api/v1/delivery/stats",
              .summary = "The rider's own deliveries, cash, UPI, tips and distance, in total and by day "
                         "(the last 7 days unless from/to say; at most 92 days)",
              .tag = "delivery",
              .roles = partner,
              .query = Schema::object({http::from_param(), http::to_param()}),
              .handler = [people](http::Request& r) -> Awaitable {
                const auto range = http::date_range(r.query_values);
                const auto now = clock::now_ms();
                constexpr clock::Millis kDay = 24LL * 3600 * 1000;
                const auto to = range.to ? *range.to : *clock::range_bound(clock::local_date(now), true);
                const auto from = range.from ? *range.from : to - 7 * kDay;
                if (to <= from) throw ValidationError("Validation failed", {{"to", "must be after from"}});
                if (to - from > 92 * kDay) throw ValidationError("Validation failed", {{"from", "at most 92 days"}});
                co_return http::ok(co_await people->own_stats(r.user->id, from, to));
              }});
  router.add({.method = "GET",
              .path = "/api/v1/admin/delivery-partners/stats",
              .summary = "Per partner: deliveries, successful, cancelled, distance, average delivery time, cash",
              .tag = "admin-delivery",
              .roles = admin,
              .query = Schema::object({http::from_param(), http::to_param()}),
              .handler = [people](http::Request& r) -> Awaitable {
                const auto range = http::date_range(r.query_values);
                auto list = co_await people->stats(range.from, range.to);
                bj::array out;
                for (const auto& s : list) out.push_back(to_json(s));
                co_return http::ok(std::move(out));
              }});
  router.add({.method = "PUT",
              .path = "/api/v1/admin/delivery-partners/:id",
              .summary = "Change a partner's vehicle, name, phone or active flag (deactivating signs them out)",
              .tag = "admin-delivery",
              .roles = admin,
              .body = Schema::object({{"firstName", Schema::string().min_length(1).max_length(50)},
                                      {"lastName", Schema::string().max_length(50)},
                                      {"phone", Schema::string().format("phone")},
                                      {"vehicleInfo", vehicle_schema()},
                                      {"isActive", Schema::boolean()}}),
              .handler = [people](http::Request& r) -> Awaitable {
                co_return http::ok(users::to_json(co_await people->update(r.param("id"), r.json.get_object())));
              }});
  router.add({.method = "POST",
              .path = "/api/v1/admin/orders/bulk/assign",
              .summary = "Give several orders to one partner ({deliveryPartnerId}) or each to the nearest available "
                         "({nearest: true}); a result per order",
              .tag = "admin-orders",
              .roles = {"admin", "staff"},
              .body = Schema::object({{"orderIds", http::bulk_ids_schema()},
                                      {"deliveryPartnerId", Schema::string().format("objectId")},
                                      {"nearest", Schema::boolean()}})
                          .required({"orderIds"}),
              .handler = [desk](http::Request& r) -> Awaitable {
                const auto& b = r.json.get_object();
                const bool nearest = json::bool_or(b, "nearest", false);
                const auto partner = json::string_or(b, "deliveryPartnerId");
                if (nearest == !partner.empty())
                  throw ValidationError("Validation failed",
                                        {{"deliveryPartnerId", "give either deliveryPartnerId or nearest: true"}});
                const std::function<boost::asio::awaitable<bj::value>(std::string)> give =
                    [desk, partner, nearest](std::string id) -> boost::asio::awaitable<bj::value> {
                  auto o = co_await desk->assign(std::move(id), partner, nearest);
                  co_return bj::value(orders::to_json(o));
                };
                auto results = co_await http::for_each_id(http::bulk_ids(b), r.request_id, give);
                co_return http::ok(std::move(results));
              }});
  router.add({.method = "GET",
              .path = "/api/v1/admin/delivery/riders",
              .summary = "Riders on duty for assigning: distance from the restaurant (null without a recent position) "
                         "and orders held; nearest first",
              .tag = "admin-orders",
              .roles = {"admin", "staff"},
              .handler = [desk](http::Request&) -> Awaitable { co_return http::ok(co_await desk->riders_on_duty()); }});
  router.add(
      {.method = "PUT",
       .path = "/api/v1/admin/orders/:id/assign-delivery",
       .summary =
           "Give an order to a partner: {deliveryPartnerId} or {nearest: true} (closest available to the restaurant)",
       .tag = "admin-orders",
       .roles = {"admin", "staff"},
       .body =
           Schema::object({{"deliveryPartnerId", Schema::string().format("objectId")}, {"nearest", Schema::boolean()}}),
       .handler = [desk](http::Request& r) -> Awaitable {
         const auto& b = r.json.get_object();
         const bool nearest = json::bool_or(b, "nearest", false);
         const auto id = json::string_or(b, "deliveryPartnerId");
         if (nearest == !id.empty())
           throw ValidationError("Validation failed",
                                 {{"deliveryPartnerId", "give either deliveryPartnerId or nearest: true"}});
         co_return http::ok(orders::to_json(co_await desk->assign(r.param("id"), id, nearest)));
       }});
}

}  // namespace tiptop::delivery
