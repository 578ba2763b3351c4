#include "modules/orders/routes.hpp"

#include "core/json.hpp"
#include "core/money.hpp"
#include "http/bulk.hpp"

namespace tiptop::orders {
namespace bj = boost::json;
using http::Schema;
using Awaitable = boost::asio::awaitable<http::Response>;

namespace {

// The cart, as placing and quoting take it. A quote may leave out how it will be paid.
Schema order_schema(bool quote = false) {
  auto choice =
      Schema::object({{"name", Schema::string().min_length(1).max_length(50)},
                      {"options", Schema::array(Schema::string().min_length(1).max_length(50)).max_items(30)}})
          .required({"name", "options"});
  auto line = Schema::object({{"menuItem", Schema::string().format("objectId")},
                              {"quantity", Schema::integer().minimum(1).maximum(50)},
                              {"customizations", Schema::array(choice).max_items(10)}})
                  .required({"menuItem", "quantity"});
  auto address =
      Schema::object({{"addressId", Schema::string().format("objectId").describe("one of your saved addresses")},
                      {"street", Schema::string().max_length(200)},
                      {"city", Schema::string().max_length(100)},
                      {"state", Schema::string().max_length(100)},
                      {"zipCode", Schema::string().max_length(20)},
                      {"coordinates", Schema::any().describe("[longitude, latitude] or GeoJSON Point")},
                      {"instructions", Schema::string().max_length(300)}});
  auto cart = Schema::object(
      {{"items", Schema::array(line).min_items(1).max_items(50)},
       {"orderType", Schema::string().one_of({"delivery", "takeaway"}).describe("delivery (the default) or takeaway")},
       {"deliveryAddress", address.describe("required for delivery; not used for takeaway")},
       {"paymentMethod", Schema::string().one_of({"COD", "ONLINE", "UPI"}).describe("UPI: paid at the door")},
       {"promoCode", Schema::string().max_length(40)},
       {"tip", Schema::number().minimum(0).maximum(5000).describe("rupees, for the rider; at most settings.maxTip")}});
  return quote ? cart.required({"items"}) : cart.required({"items", "paymentMethod"});
}

// One property of the cart's schema, for the schemas built from it.
Schema cart_property(const Schema& cart, std::string_view name) {
  const auto& props = cart.properties();
  return std::find_if(props.begin(), props.end(), [&](auto& p) { return p.first == name; })->second;
}

// The Idempotency-Key header as sent (may be empty), or 400 naming it.
std::string idempotency_key(const http::Request& r) {
  std::string key(r.header("idempotency-key"));
  if (key.size() > 255 || std::any_of(key.begin(), key.end(), [](unsigned char c) { return c < 0x21 || c > 0x7e; }))
    throw ValidationError("Validation failed", {{"Idempotency-Key", "must be 1-255 visible ASCII characters"}});
  return key;
}

// A placement's answer: the order as first answered, marked when it is a replay.
http::Response placed_response(const Placed& placed) {
  auto res = http::ok_serialized(placed.data, placed.replay ? "\"idempotentReplay\":true" : "", false);
  res.status = placed.status;
  return res;
}

// A counter order: the app's cart (without promo codes), who it is for, how it is paid, and for
// admins items not on the menu and a discount with its reason.
Schema counter_schema() {
  const auto prop = [cart = order_schema(true)](const char* name) { return cart_property(cart, name); };
  auto open_item = Schema::object({{"name", Schema::string().min_length(1).max_length(80)},
                                   {"price", Schema::number().minimum(0.01).maximum(100000)},
                                   {"quantity", Schema::integer().minimum(1).maximum(50)}})
                       .required({"name", "price", "quantity"});
  return Schema::object(
             {{"items", prop("items")},
              {"openItems", Schema::array(open_item).max_items(10).describe("admins: items not on the menu")},
              {"orderType",
               Schema::string().one_of({"takeaway", "delivery"}).describe("takeaway (the default) or delivery")},
              {"deliveryAddress", prop("deliveryAddress")},
              {"customer", Schema::object({{"name", Schema::string().min_length(1).max_length(80)},
                                           {"phone", Schema::string().format("phone")}})
                               .describe("none: a walk-in; a phone with an account links the order to it")},
              {"paymentMethod", Schema::string().one_of({"CASH", "COD", "UPI"})},
              {"discount", Schema::object({{"amount", Schema::number().minimum(0.01).maximum(100000)},
                                           {"reason", Schema::string().min_length(3).max_length(200)}})
                               .required({"amount", "reason"})
                               .describe("admins only")},
              {"notes", Schema::string().max_length(300)}})
      .required({"paymentMethod"});
}

// A guest's order: the app's cart with their name.
Schema guest_schema() {
  const auto prop = [cart = order_schema(true)](const char* name) { return cart_property(cart, name); };
  return Schema::object({{"name", Schema::string().min_length(1).max_length(80)},
                         {"items", prop("items")},
                         {"orderType", prop("orderType")},
                         {"deliveryAddress", prop("deliveryAddress")},
                         {"paymentMethod", prop("paymentMethod")},
                         {"tip", prop("tip")}})
      .required({"name", "items"});
}

void check_promo_code(const std::string& code) {
  if (!std::all_of(code.begin(), code.end(), [](unsigned char c) { return std::isalnum(c); }))
    throw ValidationError("Validation failed", {{"code", "letters and digits only"}});
}

bj::object tracking_json(const Order& o) {
  auto full = to_json(o);
  bj::value partner = nullptr;
  if (o.delivery_partner.is_object()) {
    bj::object p = o.delivery_partner.get_object();
    if (is_final(o.status)) p.erase("phone");  // no partner phone once it is over
    partner = std::move(p);
  }
  return {{"orderNumber", o.order_number},
          {"status", to_string(o.status)},
          {"statusHistory", full["statusHistory"]},
          {"estimatedDeliveryTime", full["estimatedDeliveryTime"]},
          {"actualDeliveryTime", full["actualDeliveryTime"]},
          {"deliveryPartner", std::move(partner)}};
}

}  // namespace

void register_routes(http::Router& router, OrderService& service) {
  auto* svc = &service;
  const std::vector<std::string> customer = {"customer"};
  router.add(
      {.method = "POST",
       .path = "/api/v1/orders",
       .summary =
           "Place an order; prices come from the menu. Honours Idempotency-Key (24 h). An ONLINE order "
           "also answers data.payment: Razorpay Checkout's key, order id and amount (paise), or how to ask again.",
       .tag = "orders",
       .roles = customer,
       .body = order_schema(),
       .handler = [svc](http::Request& r) -> Awaitable {
         const std::string key = idempotency_key(r);
         auto placed = co_await svc->place(r.user->id, r.json.get_object(), key);
         if (placed.payment) placed.data = json::with_member(std::move(placed.data), "payment", *placed.payment);
         co_return placed_response(placed);
       }});
  router.add({.method = "POST",
              .path = "/api/v1/orders/quote",
              .summary = "The exact bill placing this cart would charge now (same pricing shape as an order), the ETA, "
                         "and canPlace with every problem (RESTAURANT_CLOSED, BELOW_MINIMUM_ORDER, "
                         "OUTSIDE_DELIVERY_AREA, ITEMS_UNAVAILABLE, INVALID_PROMO_CODE). Open to guests; a signed-in "
                         "customer may use a saved address",
              .tag = "orders",
              .identify = true,
              .body = order_schema(true),
              .handler = [svc](http::Request& r) -> Awaitable {
                if (r.user && r.user->role != "customer" && r.user->role != "guest")
                  throw AuthorizationError("Quotes are for customers' carts");
                // Named locals: GCC 12 destroys temporaries of a coroutine call's arguments twice.
                std::string customer_id;
                if (r.user && r.user->role == "customer") customer_id = r.user->id;  // a guest has no addresses
                bj::object cart = r.json.get_object();
                auto quote = co_await svc->quote(std::move(customer_id), std::move(cart));
                co_return http::ok(std::move(quote));
              }});
  router.add({.method = "GET",
              .path = "/api/v1/orders",
              .summary = "My orders, newest first",
              .tag = "orders",
              .authenticated = true,
              .query = Schema::object({{"page", Schema::integer().minimum(1).maximum(100000).fallback(1)},
                                       {"limit", Schema::integer().minimum(1).maximum(100).fallback(20)},
                                       {"status", Schema::string().one_of(status_names())}}),
              .handler = [svc](http::Request& r) -> Awaitable {
                const auto page = json::int_or(r.query_values, "page", 1),
                           limit = json::int_or(r.query_values, "limit", 20);
                auto p = co_await svc->list_mine(r.user->id, json::string_or(r.query_values, "status"), page, limit);
                bj::array list;
                for (const auto& o : p.orders) list.push_back(to_json(o));
                co_return http::ok_page(std::move(list), {page, limit, p.total});
              }});
  router.add({.method = "GET",
              .path = "/api/v1/orders/:id",
              .summary = "One of my orders",
              .tag = "orders",
              .authenticated = true,
              .handler = [svc](http::Request& r) -> Awaitable {
                auto o = co_await svc->get(r.user->id, r.user->role, r.param("id"));
                co_return http::ok(r.user->role == "delivery" ? partner_view(o) : to_json(o));
              }});
  router.add({.method = "GET",
              .path = "/api/v1/orders/track/:orderNumber",
              .summary = "Status, history, ETA and partner of one of my orders",
              .tag = "orders",
              .authenticated = true,
              .handler = [svc](http::Request& r) -> Awaitable {
                co_return http::ok(
                    tracking_json(co_await svc->track(r.user->id, r.user->role, r.param("orderNumber"))));
              }});
  router.add({.method = "PUT",
              .path = "/api/v1/orders/:id/cancel",
              .summary = "Cancel my order while it is pending",
              .tag = "orders",
              .roles = customer,
              .body = Schema::object({{"reason", Schema::string().min_length(1).max_length(500)}}).required({"reason"}),
              .handler = [svc](http::Request& r) -> Awaitable {
                co_return http::ok(to_json(co_await svc->cancel_by_customer(
                    r.user->id, r.param("id"), json::string_or(r.json.get_object(), "reason"))));
              }});
  router.add({.method = "POST",
              .path = "/api/v1/orders/:id/reorder",
              .summary = "Order again: my order's cart for today's menu (dishes gone are listed in dropped) and its "
                         "quote at today's prices and availability; POST the cart to /orders to place it",
              .tag = "orders",
              .roles = customer,
              .handler = [svc](http::Request& r) -> Awaitable {
                std::string customer_id = r.user->id, order_id = r.param("id");
                co_return http::ok(co_await svc->reorder(std::move(customer_id), std::move(order_id)));
              }});
  router.add({.method = "GET",
              .path = "/api/v1/users/me/frequent-items",
              .summary = "The dishes I order most (from my latest 100 orders), as on today's menu, with whether "
                         "each can be ordered now",
              .tag = "orders",
              .roles = customer,
              .query = Schema::object({{"limit", Schema::integer().minimum(1).maximum(50).fallback(10)}}),
              .handler = [svc](http::Request& r) -> Awaitable {
                std::string customer_id = r.user->id;
                co_return http::ok(
                    co_await svc->frequent_items(std::move(customer_id), json::int_or(r.query_values, "limit", 10)));
              }});
  router.add({.method = "POST",
              .path = "/api/v1/orders/:id/rating",
              .summary = "Rate a delivered order, once",
              .tag = "orders",
              .roles = customer,
              .body = Schema::object({{"food", Schema::integer().minimum(1).maximum(5)},
                                      {"delivery", Schema::integer().minimum(1).maximum(5)},
                                      {"overall", Schema::integer().minimum(1).maximum(5)},
                                      {"review", Schema::string().max_length(1000)}})
                          .required({"food", "delivery", "overall"}),
              .handler = [svc](http::Request& r) -> Awaitable {
                const auto& b = r.json.get_object();
                auto o =
                    co_await svc->rate(r.user->id, r.param("id"), static_cast<int>(json::int_or(b, "food", 0)),
                                       static_cast<int>(json::int_or(b, "delivery", 0)),
                                       static_cast<int>(json::int_or(b, "overall", 0)), json::string_or(b, "review"));
                co_return http::ok(to_json(o), 201);
              }});
  router.add(
      {.method = "PUT",
       .path = "/api/v1/admin/orders/:id",
       .summary = "Move an order along its lifecycle (admin or staff; refunds are an admin's)",
       .tag = "admin-orders",
       .roles = {"admin", "staff"},
       .body = Schema::object(
                   {{"status", Schema::string().one_of(
                                   {"confirmed", "preparing", "ready", "out-for-delivery", "delivered", "cancelled"})},
                    {"notes", Schema::string().max_length(500)},
                    {"refundAmount", Schema::number()
                                         .minimum(0.01)
                                         .maximum(10'000'000)
                                         .describe("cancelling a paid online order: rupees to refund (default: all)")}})
                   .required({"status"}),
       .handler = [svc](http::Request& r) -> Awaitable {
         const auto& b = r.json.get_object();
         std::optional<money::Paise> refund;
         if (const auto* v = b.if_contains("refundAmount")) refund = money::require(*v, "refundAmount");
         co_return http::ok(to_json(co_await svc->change_status(r.user->id, r.user->role, r.param("id"),
                                                                *parse_status(json::string_or(b, "status")),
                                                                json::string_or(b, "notes"), refund)));
       }});
  router.add(
      {.method = "POST",
       .path = "/api/v1/admin/orders/bulk/status",
       .summary = "Move several orders to one status; a result per order (one's refusal leaves the others)",
       .tag = "admin-orders",
       .roles = {"admin", "staff"},
       .body = Schema::object({{"orderIds", http::bulk_ids_schema()},
                               {"status", Schema::string().one_of({"confirmed", "preparing", "ready",
                                                                   "out-for-delivery", "delivered", "cancelled"})},
                               {"notes", Schema::string().max_length(500)}})
                   .required({"orderIds", "status"}),
       .handler = [svc](http::Request& r) -> Awaitable {
         const auto& b = r.json.get_object();
         const auto status = *parse_status(json::string_or(b, "status"));
         const std::string notes = json::string_or(b, "notes"), actor = r.user->id, role = r.user->role;
         const std::function<boost::asio::awaitable<bj::value>(std::string)> move =
             [svc, status, notes, actor, role](std::string id) -> boost::asio::awaitable<bj::value> {
           auto o = co_await svc->change_status(actor, role, std::move(id), status, notes);
           co_return bj::value(to_json(o));
         };
         auto results = co_await http::for_each_id(http::bulk_ids(b), r.request_id, move);
         co_return http::ok(std::move(results));
       }});
}

void register_guest_routes(http::Router& router, OrderService& service) {
  auto* svc = &service;
  router.add({.method = "POST",
              .path = "/api/v1/orders/guest",
              .summary = "A guest's order (bearer: the guestToken of POST /auth/otp/verify, purpose guest-checkout): "
                         "name, cart, delivery or takeaway, cash on delivery. Answers data.tracking {token, url}, the "
                         "only key to the order. Honours Idempotency-Key",
              .tag = "orders",
              .roles = {"guest"},
              .body = guest_schema(),
              .handler = [svc](http::Request& r) -> Awaitable {
                std::string key = idempotency_key(r);
                std::string guest_id = r.user->id;
                bj::object body = r.json.get_object();
                auto placed = co_await svc->place_as_guest(std::move(guest_id), std::move(body), std::move(key));
                if (placed.payment) placed.data = json::with_member(std::move(placed.data), "payment", *placed.payment);
                co_return placed_response(placed);
              }});
  router.add({.method = "GET",
              .path = "/api/v1/orders/guest/track/:token",
              .summary = "A guest's order by its tracking link: status, history, ETA, bill and partner",
              .tag = "orders",
              .handler = [svc](http::Request& r) -> Awaitable {
                std::string token = r.param("token");
                auto o = co_await svc->track_guest(std::move(token));
                auto view = tracking_json(o);
                const auto full = to_json(o);
                for (const char* k : {"_id", "orderType", "items", "pricing", "paymentMethod", "paymentStatus"})
                  view[k] = full.at(k);
                co_return http::ok(std::move(view));
              }});
}

void register_counter_routes(http::Router& router, OrderService& service) {
  auto* svc = &service;
  router.add({.method = "POST",
              .path = "/api/v1/admin/orders/quote",
              .summary = "The counter's live bill for a counter order's body (nothing written), and whose account "
                         "the customer's phone is",
              .tag = "admin-orders",
              .roles = {"admin", "staff"},
              .body = counter_schema(),
              .handler = [svc](http::Request& r) -> Awaitable {
                Actor actor{r.user->id, r.user->role};
                bj::object body = r.json.get_object();
                co_return http::ok(co_await svc->quote_at_counter(std::move(actor), std::move(body)));
              }});
  router.add({.method = "POST",
              .path = "/api/v1/admin/orders",
              .summary =
                  "A counter order (staff or admin): customer {name, phone} or none for a walk-in, takeaway or "
                  "delivery, CASH (paid now), COD or UPI; enters confirmed. Idempotency-Key required. Admins may "
                  "add openItems and a discount with its reason; all three are audited",
              .tag = "admin-orders",
              .roles = {"admin", "staff"},
              .body = counter_schema(),
              .handler = [svc](http::Request& r) -> Awaitable {
                std::string key = idempotency_key(r);
                Actor actor{r.user->id, r.user->role};
                bj::object body = r.json.get_object();
                auto placed = co_await svc->place_at_counter(std::move(actor), std::move(body), std::move(key));
                co_return placed_response(placed);
              }});
}

void register_promo_routes(http::Router& router, PromoService& promos) {
  auto* svc = &promos;
  const std::vector<std::string> admin = {"admin"};
  auto fields = [](bool creating) {
    auto s =
        Schema::object({{"code", Schema::string().min_length(3).max_length(20).describe("letters and digits")},
                        {"type", Schema::string().one_of({"percent", "flat"})},
                        {"value", Schema::number().minimum(0).maximum(100000).describe("percent, or rupees for flat")},
                        {"minOrderAmount", Schema::number().minimum(0).maximum(100000)},
                        {"maxDiscount", Schema::number().minimum(0).maximum(100000).nullable()},
                        {"validFrom", Schema::string().format("date-time").nullable()},
                        {"validUntil", Schema::string().format("date-time").nullable()},
                        {"usageLimit", Schema::integer().minimum(1).maximum(10000000).nullable()},
                        {"perCustomerLimit", Schema::integer().minimum(1).maximum(1000).nullable()},
                        {"isActive", Schema::boolean()}});
    return creating ? s.required({"code", "type", "value"}) : s;
  };
  router.add({.method = "POST",
              .path = "/api/v1/admin/promo-codes",
              .summary = "Create a promo code",
              .tag = "admin-promo-codes",
              .roles = admin,
              .body = fields(true),
              .handler = [svc](http::Request& r) -> Awaitable {
                check_promo_code(json::string_or(r.json.get_object(), "code"));
                co_return http::ok(to_json(co_await svc->create(r.json.get_object())), 201);
              }});
  router.add({.method = "GET",
              .path = "/api/v1/admin/promo-codes",
              .summary = "All promo codes",
              .tag = "admin-promo-codes",
              .roles = admin,
              .handler = [svc](http::Request&) -> Awaitable {
                bj::array out;
                for (const auto& p : co_await svc->list()) out.push_back(to_json(p));
                co_return http::ok(std::move(out));
              }});
  router.add({.method = "PUT",
              .path = "/api/v1/admin/promo-codes/:code",
              .summary = "Change a promo code",
              .tag = "admin-promo-codes",
              .roles = admin,
              .body = fields(false),
              .handler = [svc](http::Request& r) -> Awaitable {
                co_return http::ok(to_json(co_await svc->update(r.param("code"), r.json.get_object())));
              }});
  router.add({.method = "DELETE",
              .path = "/api/v1/admin/promo-codes/:code",
              .summary = "Deactivate a promo code (past orders keep it)",
              .tag = "admin-promo-codes",
              .roles = admin,
              .handler = [svc](http::Request& r) -> Awaitable {
                bj::object change;  // built first: GCC 12 rejects an initializer list inside a co_await expression
                change["isActive"] = false;
                co_return http::ok(to_json(co_await svc->update(r.param("code"), std::move(change))));
              }});
}

}  // namespace tiptop::orders
