// Placement's first half: the order a cart makes now — the restaurant open, the address in the
// area, every line priced from the menu snapshot with its choices, the minimum met, a promo code
// redeemed, the ETA — inside the placement's transaction. The client's prices are never read.
#include "modules/orders/service.hpp"

#include <cmath>

#include "core/crypto.hpp"
#include "core/errors.hpp"
#include "core/geo.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"
#include "modules/orders/promos.hpp"
#include "modules/orders/repository.hpp"
#include "modules/users/repository.hpp"

namespace tiptop::orders {
namespace bj = boost::json;
namespace {

[[noreturn]] void invalid(const std::string& field, const std::string& message) {
  throw ValidationError("Validation failed", {{field, message}});
}

std::optional<std::pair<double, double>> coordinates_of(const bj::object& address) {
  auto* c = address.if_contains("coordinates");
  if (!c || c->is_null()) return std::nullopt;
  const bj::array* pair = c->is_array() ? &c->get_array() : nullptr;
  if (c->is_object())
    if (auto* inner = c->get_object().if_contains("coordinates"); inner && inner->is_array())
      pair = &inner->get_array();
  if (!pair || pair->size() != 2 || !(*pair)[0].is_number() || !(*pair)[1].is_number())
    invalid("deliveryAddress.coordinates", "must be [longitude, latitude]");
  const double lng = (*pair)[0].to_number<double>(), lat = (*pair)[1].to_number<double>();
  if (std::abs(lng) > 180 || std::abs(lat) > 90) invalid("deliveryAddress.coordinates", "is out of range");
  return std::make_pair(lng, lat);
}

// Checks one order line's choices against the item's customization groups and prices them.
bj::array price_choices(const menu::MenuItem& item, const bj::value* chosen, const std::string& at,
                        money::Paise& extra) {
  bj::array out;
  std::vector<std::string> seen;
  if (chosen && chosen->is_array()) {
    const auto& list = chosen->get_array();
    for (std::size_t j = 0; j < list.size(); ++j) {
      const auto& c = list[j].as_object();
      const std::string field = at + ".customizations[" + std::to_string(j) + "]";
      const std::string name = json::string_or(c, "name");
      auto group =
          std::find_if(item.customizations.begin(), item.customizations.end(), [&](auto& g) { return g.name == name; });
      if (group == item.customizations.end())
        invalid(field + ".name", "'" + name + "' is not offered for " + item.name);
      if (std::find(seen.begin(), seen.end(), name) != seen.end())
        invalid(field + ".name", "'" + name + "' is given twice");
      seen.push_back(name);
      bj::array options;
      money::Paise added = 0;
      const auto* picked = c.if_contains("options");
      const auto& picks = picked && picked->is_array() ? picked->get_array() : bj::array{};
      if (picks.size() > 1 && !group->multiple) invalid(field + ".options", "choose one option for " + name);
      for (const auto& p : picks) {
        const std::string label = p.is_string() ? std::string(p.get_string()) : std::string();
        auto opt =
            std::find_if(group->options.begin(), group->options.end(), [&](auto& o) { return o.label == label; });
        if (opt == group->options.end()) invalid(field + ".options", "'" + label + "' is not an option of " + name);
        added += opt->price;
        options.emplace_back(label);
      }
      if (group->required && options.empty()) invalid(field + ".options", "choose an option for " + name);
      extra += added;
      out.push_back(
          bj::object{{"name", name}, {"options", std::move(options)}, {"additionalPrice", money::to_json(added)}});
    }
  }
  for (const auto& g : item.customizations)
    if (g.required && std::find(seen.begin(), seen.end(), g.name) == seen.end())
      invalid(at + ".customizations", g.name + " is required for " + item.name);
  return out;
}

}  // namespace

namespace {

// Place: the first broken rule is the answer. Quote: every broken rule is listed, and the bill is
// still worked out as far as it can be, so the customer sees what to change.
void refuse(Bill& bill, Purpose purpose, AppError e) {
  if (purpose != Purpose::quote) throw e;
  bill.refusals.push_back(std::move(e));
}

}  // namespace

Bill OrderService::bill(const users::User* customer, const bj::object& body, store::Connection& c, Purpose purpose,
                        const std::string& order_id) const {
  const auto rules = settings_.current();
  const auto now = clock::now_ms();
  Bill bill;
  if (auto why = settings::closed_message(*rules, clock::local_seconds(now));
      !why.empty() && purpose != Purpose::counter)
    refuse(bill, purpose, RefusedError("RESTAURANT_CLOSED", why));

  bill.order_type = json::string_or(body, "orderType", "delivery");
  const bool delivery = bill.order_type == "delivery";
  // UPI from the app is paid at the door (or the counter) to the restaurant's UPI id: none set, none offered.
  if (json::string_or(body, "paymentMethod") == "UPI" && rules->upi_id.empty() && purpose != Purpose::counter)
    refuse(bill, purpose,
           RefusedError("PAYMENT_METHOD_UNAVAILABLE", "UPI is not available; please choose cash on delivery",
                        {{"paymentMethod", "UPI is not set up by the restaurant"}}));
  auto* given_address = body.if_contains("deliveryAddress");
  if (delivery && (!given_address || !given_address->is_object()))
    invalid("deliveryAddress", "is required for a delivery order");

  if (delivery) {
    // Address: a saved one of this customer's, or given inline.
    const auto& given = given_address->as_object();
    bj::object address;
    if (auto* id = given.if_contains("addressId"); id && id->is_string()) {
      if (!customer) invalid("deliveryAddress.addressId", "needs you to sign in; or give the address itself");
      auto it = std::find_if(customer->addresses.begin(), customer->addresses.end(),
                             [&](auto& a) { return a.id == id->get_string(); });
      if (it == customer->addresses.end()) invalid("deliveryAddress.addressId", "is not one of your saved addresses");
      address = users::to_json(*it);
      address.erase("_id");
      address.erase("isDefault");
      address.erase("type");
    } else {
      for (const char* f : {"street", "city"})
        if (json::string_or(given, f).empty()) invalid(std::string("deliveryAddress.") + f, "is required");
      for (const char* f : {"street", "city", "state", "zipCode"}) address[f] = json::string_or(given, f);
      if (auto c2 = coordinates_of(given))
        address["coordinates"] = bj::object{{"type", "Point"}, {"coordinates", bj::array{c2->first, c2->second}}};
      else
        address["coordinates"] = nullptr;
    }
    address["instructions"] = json::string_or(given, "instructions");

    // Distance from the kitchen decides the radius check and the per-km fee.
    if (rules->lng && rules->lat) {
      auto at = coordinates_of(address);
      if (!at) invalid("deliveryAddress.coordinates", "are needed to check the delivery area");
      bill.distance_km = geo::haversine_km(*rules->lng, *rules->lat, at->first, at->second);
      if (bill.distance_km > rules->max_radius_km)
        refuse(bill, purpose,
               RefusedError("OUTSIDE_DELIVERY_AREA",
                            "We deliver within " + json::serialize(bj::value(rules->max_radius_km)) + " km"));
    }
    bill.address = std::move(address);
  }

  // Lines priced from the menu snapshot; the client's prices, if any, are never read.
  const auto snap = catalog_.snapshot();
  static const bj::array kNoLines;  // a counter order of open items only
  const auto* listed = body.if_contains("items");
  const auto& wanted = listed && listed->is_array() ? listed->get_array() : kNoLines;
  std::vector<Line> priced;
  std::vector<FieldError> unavailable;
  const int minute_of_day = menu::minute_of_day(now);  // categories' serving hours
  int longest_prep = 0;
  for (std::size_t i = 0; i < wanted.size(); ++i) {
    const auto& w = wanted[i].as_object();
    const std::string at = "items[" + std::to_string(i) + "]";
    const auto wanted_id = json::string_or(w, "menuItem");
    const auto* item = snap->find(wanted_id);
    if (const auto* off = item ? nullptr : snap->find_switched_off(wanted_id); off && off->id == wanted_id) {
      unavailable.push_back({at + ".menuItem", off->name + " is not on the menu right now"});  // category off
      continue;
    }
    if (!item || item->id != wanted_id) invalid(at + ".menuItem", "is not on the menu");
    if (auto why = snap->why_not_orderable(*item, minute_of_day); !why.empty()) {
      unavailable.push_back({at + ".menuItem", std::move(why)});
      continue;
    }
    money::Paise extra = 0;
    auto choices = price_choices(*item, w.if_contains("customizations"), at, extra);
    const int qty = static_cast<int>(json::int_or(w, "quantity", 1));
    const money::Paise unit = item->price + extra;
    priced.push_back({unit, qty});
    longest_prep = std::max(longest_prep, item->prep_time);
    bill.lines.push_back(
        bj::object{{"menuItem", item->id},
                   {"name", item->name + (item->plate_quantity.empty() ? "" : " (" + item->plate_quantity + ")")},
                   {"image", item->image.empty() ? bj::value(nullptr) : bj::value(item->image)},
                   {"price", money::to_json(item->price)},
                   {"quantity", qty},
                   {"customizations", std::move(choices)},
                   {"subtotal", money::to_json(unit * qty)}});
  }
  if (!unavailable.empty())
    refuse(bill, purpose, ConflictError("Some items are not available", "ITEMS_UNAVAILABLE", std::move(unavailable)));

  // Takeaway: no delivery fee at all (and no distance).
  const DeliveryRules fees = delivery ? rules->delivery : DeliveryRules{};
  bill.pricing = price_order(priced, fees, rules->tax_bp, bill.distance_km);
  if (bill.pricing.items_total < rules->minimum_order && purpose != Purpose::counter)
    refuse(bill, purpose,
           RefusedError("BELOW_MINIMUM_ORDER", "The minimum order is ₹" + money::format_rupees(rules->minimum_order)));
  if (auto code = json::string_or(body, "promoCode"); !code.empty()) {
    const std::string who = customer ? customer->id : std::string();
    if (purpose != Purpose::quote) {
      // Taken inside this transaction: if the order fails, the use is rolled back with it.
      const auto promo = redeem_promo(c, code, who, order_id, bill.pricing.items_total);
      bill.pricing = price_order(priced, fees, rules->tax_bp, bill.distance_km, promo);
      bill.promo_code = normalize_code(code);
    } else {
      try {
        const auto promo = check_promo(c, code, who, bill.pricing.items_total);
        bill.pricing = price_order(priced, fees, rules->tax_bp, bill.distance_km, promo);
        bill.promo_code = normalize_code(code);
      } catch (const AppError& e) {
        bill.refusals.push_back(e);
      }
    }
  }
  // The tip is the rider's: on the bill after tax and discount, and not for a takeaway (no rider).
  if (const auto* t = body.if_contains("tip")) {
    const auto tip = money::require(*t, "tip");
    if (tip > 0 && !delivery) invalid("tip", "goes to the rider; a takeaway order has none");
    if (tip > rules->max_tip)
      invalid("tip", rules->max_tip == 0 ? "is not taken by this restaurant"
                                         : "can be at most ₹" + money::format_rupees(rules->max_tip));
    bill.pricing.tip = tip;
    bill.pricing.final_amount += tip;
  }
  // Kitchen time for the slowest dish, then (delivery) about 4 minutes a kilometre plus 10 to hand
  // over; a takeaway is ready at the counter 5 minutes after the kitchen is done.
  const clock::Millis minutes =
      delivery ? longest_prep + 10 + static_cast<clock::Millis>(std::ceil(bill.distance_km * 4)) : longest_prep + 5;
  bill.ready_at = now + minutes * 60'000;
  bill.priced = std::move(priced);
  bill.fees = fees;
  bill.tax_bp = rules->tax_bp;
  return bill;
}

Order OrderService::build(const std::string& customer_id, const bj::object& body, store::Connection& c) const {
  auto customer = users::find_by_id(c, customer_id);
  if (!customer || !customer->is_active) throw AuthenticationError("User not found or inactive");
  if (limits_.open > 0 && count_open_for_customer(c, customer_id) >= limits_.open)
    throw RateLimitError(60,
                         "You have " + std::to_string(limits_.open) +
                             " orders on their way; a new one can be placed when one of them is delivered",
                         "TOO_MANY_OPEN_ORDERS");
  if (settings_.current()->require_verified_phone_for_cod && json::string_or(body, "paymentMethod") == "COD" &&
      !customer->is_phone_verified && customer->total_orders == 0)
    throw RefusedError("PHONE_NOT_VERIFIED",
                       "Verify your phone with a code (POST /api/v1/auth/otp/send) before your first cash-on-delivery "
                       "order, or pay online",
                       {{"paymentMethod", "COD needs a verified phone for a first order"}});
  Order o;
  o.id = ids::new_object_id();
  auto b = bill(&*customer, body, c, Purpose::place, o.id);
  const auto now = clock::now_ms();
  o.pricing = b.pricing;
  o.promo_code = std::move(b.promo_code);
  o.order_type = std::move(b.order_type);
  o.customer_id = customer_id;
  o.customer = {{"id", customer->id},
                {"name", customer->first_name + (customer->last_name.empty() ? "" : " " + customer->last_name)},
                {"phone", customer->phone},
                {"email", customer->email}};
  o.items = std::move(b.lines);
  o.delivery_address = std::move(b.address);
  o.delivery_partner = nullptr;
  o.payment_method = json::string_or(body, "paymentMethod", "COD");
  if (o.payment_method == "COD") o.cash_expected = o.pricing.final_amount;  // (a takeaway's too: paid at the counter)
  o.estimated_delivery_at = b.ready_at;
  o.tracking_token = crypto::random_hex(24);  // the bill's QR code: the order's tracking link
  o.created_at = o.updated_at = now;
  o.history.push_back({OrderStatus::pending, now, std::string(to_string(Mover::customer)), ""});
  return o;
}

void OrderService::prepare_door_payment(Order& o) const {
  const bool at_door = o.payment_method == "COD" || o.payment_method == "UPI";
  if (at_door && o.order_type == "delivery") o.cash_expected = o.pricing.final_amount;
  const auto rules = settings_.current();
  if (o.payment_method == "UPI" && !rules->upi_id.empty())
    o.upi_link = upi_link(rules->upi_id, rules->restaurant_name, o.pricing.final_amount, o.order_number);
}

boost::asio::awaitable<bj::object> OrderService::quote(std::string customer_id, bj::object body) {
  auto b = co_await db_.read([&](store::Connection& c) {
    std::optional<users::User> customer;
    if (!customer_id.empty()) {
      customer = users::find_by_id(c, customer_id);
      if (!customer || !customer->is_active) throw AuthenticationError("User not found or inactive");
    }
    return bill(customer ? &*customer : nullptr, body, c, Purpose::quote, {});
  });
  bj::array problems;
  for (const auto& e : b.refusals) {
    bj::object p{{"code", e.code()}, {"message", e.what()}};
    if (!e.details().empty()) {
      bj::array d;
      for (const auto& f : e.details()) d.push_back(bj::object{{"field", f.field}, {"message", f.message}});
      p["details"] = std::move(d);
    }
    problems.push_back(std::move(p));
  }
  co_return bj::object{{"orderType", b.order_type},
                       {"items", std::move(b.lines)},
                       {"pricing", pricing_json(b.pricing, b.promo_code)},
                       {"deliveryAddress", b.address.empty() ? bj::value(nullptr) : bj::value(std::move(b.address))},
                       {"estimatedDeliveryTime", clock::to_iso8601(b.ready_at)},
                       {"canPlace", problems.empty()},
                       {"problems", std::move(problems)}};
}

}  // namespace tiptop::orders
