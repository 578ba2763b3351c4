// Counter orders (issue 21): staff or an admin take an order at the counter or on the phone,
// POST /api/v1/admin/orders. The cart is priced by the same bill as the app's orders; it enters as
// confirmed (the kitchen took it), paid at once when paid in cash. The customer is the account
// with that phone, else a guest record, or nobody for a walk-in. Admins may add an item that is
// not on the menu and a discount with its reason; both, and the order itself, go to the audit log
// in the order's own transaction. An Idempotency-Key is required: a double press never makes two.
#include "core/crypto.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"
#include "modules/audit/repository.hpp"
#include "modules/notifications/triggers.hpp"
#include "modules/orders/guest_repository.hpp"
#include "modules/orders/idempotency.hpp"
#include "modules/orders/repository.hpp"
#include "modules/orders/service.hpp"
#include "modules/users/repository.hpp"

namespace tiptop::orders {
namespace asio = boost::asio;
namespace bj = boost::json;
namespace {

[[noreturn]] void invalid(const std::string& field, const std::string& message) {
  throw ValidationError("Validation failed", {{field, message}});
}

// Items that are not on the menu: priced as the admin says, marked openItem in the order.
void add_open_items(const bj::object& body, Bill& b) {
  const auto* open = body.if_contains("openItems");
  if (!open || !open->is_array()) return;
  const auto& list = open->get_array();
  for (std::size_t i = 0; i < list.size(); ++i) {
    const auto& item = list[i].as_object();
    const auto price = money::require(item.at("price"), "openItems[" + std::to_string(i) + "].price");
    const int quantity = static_cast<int>(json::int_or(item, "quantity", 1));
    b.priced.push_back({price, quantity});
    b.lines.push_back(bj::object{{"menuItem", nullptr},
                                 {"name", json::string_or(item, "name")},
                                 {"image", nullptr},
                                 {"price", money::to_json(price)},
                                 {"quantity", quantity},
                                 {"customizations", bj::array{}},
                                 {"subtotal", money::to_json(price * quantity)},
                                 {"openItem", true}});
  }
}

}  // namespace

namespace {

// What a counter order may ask for, by whom (throws otherwise); sets the default order type.
void check_counter_request(const Actor& actor, bj::object& body) {
  const bool admin = actor.role == "admin";
  // Not a counter's tool (no customer to hold a per-customer limit to); a discount says why instead.
  if (body.contains("promoCode")) invalid("promoCode", "is not taken at the counter; an admin may give a discount");
  if (!admin && body.contains("openItems"))
    throw AuthorizationError("Only an admin adds an item that is not on the menu");
  if (!admin && body.contains("discount")) throw AuthorizationError("Only an admin gives a discount");
  const auto* items = body.if_contains("items");
  const auto* open = body.if_contains("openItems");
  if ((!items || items->as_array().empty()) && (!open || open->as_array().empty()))
    invalid("items", "add at least one dish (or, for an admin, an open item)");
  const std::string order_type = json::string_or(body, "orderType", "takeaway");
  body["orderType"] = order_type;
  const auto* who = body.if_contains("customer");
  const bool phone = who && who->is_object() && !json::string_or(who->get_object(), "phone").empty();
  if (order_type == "delivery" && !phone) invalid("customer.phone", "is needed for a delivery: the rider calls it");
}

}  // namespace

Bill OrderService::counter_bill(const bj::object& body, store::Connection& c, const std::string& order_id) const {
  auto b = bill(nullptr, body, c, Purpose::counter, order_id);
  add_open_items(body, b);
  std::optional<Promo> discount;
  money::Paise discount_amount = 0;
  if (const auto* d = body.if_contains("discount"); d && d->is_object()) {
    discount_amount = money::require(d->get_object().at("amount"), "discount.amount");
    discount = Promo{Promo::Kind::flat, 0, discount_amount, 0, std::nullopt};
  }
  b.pricing = price_order(b.priced, b.fees, b.tax_bp, b.distance_km, discount);
  if (discount && discount_amount > b.pricing.items_total)
    invalid("discount.amount", "is more than the items cost (₹" + money::format_rupees(b.pricing.items_total) + ")");
  return b;
}

asio::awaitable<bj::object> OrderService::quote_at_counter(Actor actor, bj::object body) {
  check_counter_request(actor, body);
  const auto* who = body.if_contains("customer");
  const std::string phone = who && who->is_object() ? json::string_or(who->get_object(), "phone") : std::string();
  auto [b, account] = co_await db_.read([&](store::Connection& c) {
    std::optional<users::User> found;
    if (!phone.empty())
      if (auto u = users::find_by_login(c, phone); u && u->role == "customer" && u->is_active) found = std::move(u);
    return std::make_pair(counter_bill(body, c, {}), std::move(found));
  });
  bj::value customer = nullptr;  // the caller's account, when the phone has one: the counter greets them by name
  if (account)
    customer = bj::object{{"name", account->first_name + (account->last_name.empty() ? "" : " " + account->last_name)},
                          {"phone", account->phone},
                          {"hasAccount", true}};
  else if (!phone.empty())
    customer = bj::object{{"phone", phone}, {"hasAccount", false}};
  co_return bj::object{{"orderType", b.order_type},
                       {"items", std::move(b.lines)},
                       {"pricing", pricing_json(b.pricing, b.promo_code)},
                       {"deliveryAddress", b.address.empty() ? bj::value(nullptr) : bj::value(std::move(b.address))},
                       {"estimatedDeliveryTime", clock::to_iso8601(b.ready_at)},
                       {"customer", std::move(customer)}};
}

asio::awaitable<Placed> OrderService::place_at_counter(Actor actor, bj::object body, std::string key) {
  if (key.empty())
    invalid("Idempotency-Key", "is required for a counter order, so a double press or a retry never makes two");
  check_counter_request(actor, body);
  const std::string order_type = json::string_or(body, "orderType");
  const auto* who = body.if_contains("customer");
  const std::string phone = who && who->is_object() ? json::string_or(who->get_object(), "phone") : std::string();
  const std::string name = who && who->is_object() ? json::string_or(who->get_object(), "name") : std::string();

  const std::string request_hash = crypto::sha256_hex(json::serialize(body));
  // A replay (double press, retry) is answered with the order made the first time.
  if (auto replay = co_await db_.read([&](store::Connection& c) { return replay_of(c, actor.id, key, request_hash); }))
    co_return std::move(*replay);
  co_await ensure_numbering(local_year(clock::now_ms()));

  const std::function<Written(store::Connection&)> write = [&](store::Connection& c) {
    const auto now = clock::now_ms();
    Order o;
    o.id = ids::new_object_id();
    o.order_number = next_order_number(c, local_year(now));
    auto b = counter_bill(body, c, o.id);
    const bool discount = body.contains("discount");

    // Who it is for: the account with this phone, else a guest record; nobody for a walk-in.
    o.customer = {{"name", name.empty() ? std::string("Walk-in") : name}};
    if (!phone.empty()) {
      o.customer["phone"] = phone;
      auto account = users::find_by_login(c, phone);
      if (account && account->role == "customer" && account->is_active) {
        o.customer_id = account->id;
        o.customer["id"] = account->id;
        o.customer["email"] = account->email;
        if (name.empty())
          o.customer["name"] = account->first_name + (account->last_name.empty() ? "" : " " + account->last_name);
      } else {
        o.guest_id = upsert_guest(c, phone, name.empty() ? std::string("Guest") : name);
      }
    }
    o.order_type = b.order_type;
    o.items = std::move(b.lines);
    o.pricing = b.pricing;
    o.delivery_address = std::move(b.address);
    o.delivery_partner = nullptr;
    o.payment_method = json::string_or(body, "paymentMethod", "CASH");
    if (o.payment_method == "CASH") o.payment_status = "paid";  // taken at the counter, now
    prepare_door_payment(o);
    o.placed_by = actor.id;
    o.tracking_token = crypto::random_hex(24);  // the bill's QR code: the order's tracking link
    o.status = OrderStatus::confirmed;          // the kitchen took it
    o.estimated_delivery_at = b.ready_at;
    o.created_at = o.updated_at = now;
    o.history.push_back({OrderStatus::confirmed, now, actor.role, json::string_or(body, "notes", "counter order")});
    insert_order(c, o);
    lifecycle_.entered_confirmed(c, o);  // straight to the kitchen's printer
    append_history(c, o.id, 1, o.history.front());
    std::string data = json::serialize(to_json(o));

    const bj::object summary{{"orderNumber", o.order_number},
                             {"orderType", o.order_type},
                             {"paymentMethod", o.payment_method},
                             {"paymentStatus", o.payment_status},
                             {"pricing", pricing_json(o.pricing, "")}};
    audit::append(c, {now, actor.id, actor.role, "order.counter", "order", o.id, nullptr, summary, ""});
    for (const auto& line : o.items)
      if (line.as_object().contains("openItem"))
        audit::append(c, {now, actor.id, actor.role, "order.open-item", "order", o.id, nullptr, line, ""});
    if (discount)
      audit::append(c, {now, actor.id, actor.role, "order.discount", "order", o.id, nullptr,
                        bj::object{{"amount", money::to_json(o.pricing.discount)},
                                   {"finalAmount", money::to_json(o.pricing.final_amount)}},
                        json::string_or(body.at("discount").as_object(), "reason")});
    auto told = notifier_.store(c, notifications::order_status_drafts(o));
    return Written{std::move(o), std::move(data), std::move(told)};
  };
  bj::object news{{"orderType", order_type}, {"counter", true}};  // a named local: GCC 12 and coroutine temporaries
  auto placed = co_await write_new_order(actor.id, key, request_hash, write, std::move(news));
  if (!placed.replay) lifecycle_.wake_kitchen();
  co_return placed;
}

}  // namespace tiptop::orders
