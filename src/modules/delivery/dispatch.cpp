#include "modules/delivery/dispatch.hpp"

#include <cmath>
#include <limits>
#include <map>

#include "core/errors.hpp"
#include "core/geo.hpp"
#include "core/ids.hpp"
#include "modules/cash/repository.hpp"
#include "modules/cash/service.hpp"
#include "modules/notifications/triggers.hpp"
#include "modules/orders/desk_repository.hpp"
#include "modules/orders/events.hpp"
#include "modules/orders/lifecycle.hpp"
#include "modules/orders/repository.hpp"
#include "modules/users/repository.hpp"

namespace tiptop::delivery {
namespace asio = boost::asio;
namespace bj = boost::json;
using orders::Order;

namespace {

// Partners whose last position is older than this are not "near" anything.
constexpr clock::Millis kFreshLocation = 30 * 60 * 1000;

bj::object snapshot(const users::User& p) {
  return {{"id", p.id},
          {"name", p.first_name + (p.last_name.empty() ? "" : " " + p.last_name)},
          {"phone", p.phone},
          {"vehicleNumber", p.vehicle_number}};
}

// The order as the actor may act on it: a partner only their own (404 as if it did not exist
// otherwise); an admin any order a partner holds. Then the partner's row is locked (before their
// shift: see users::lock_user).
Order held_for(store::Connection& c, const Actor& actor, const std::string& order_id) {
  auto o = ids::is_object_id(order_id) ? orders::find_order(c, order_id, true) : std::nullopt;
  if (!o || (actor.role != "admin" && o->delivery_partner_id != actor.id)) throw NotFoundError("Order");
  if (o->delivery_partner_id.empty())
    throw ConflictError("No delivery partner holds this order; the kitchen moves it with PUT /admin/orders/:id",
                        "NO_DELIVERY_PARTNER");
  users::lock_user(c, o->delivery_partner_id);
  return std::move(*o);
}

void give_to(store::Connection& c, Order& o, const users::User& partner) {
  const auto now = clock::now_ms();
  o.delivery_partner_id = partner.id;
  o.delivery_partner = snapshot(partner);
  o.assigned_at = now;
  o.updated_at = now;
  // The shift that is open now carries it (so its figures count the order even if it is cancelled).
  auto shift = cash::open_session_of(c, partner.id);
  o.delivery_session_id = shift ? shift->id : std::string();
  orders::save_delivery_partner(c, o);
}

std::string nearest_partner(store::Connection& c, double lng, double lat) {
  std::string best;
  double best_km = std::numeric_limits<double>::infinity();
  for (const auto& p : users::located_available_partners(c, clock::now_ms() - kFreshLocation)) {
    const double km = geo::haversine_km(lng, lat, p.lng, p.lat);
    if (km < best_km || (km == best_km && p.id < best)) best_km = km, best = p.id;
  }
  return best;
}

// Pick-up: the shift that rides the order, and a cash order's expected cash on that shift.
void pick_up(store::Connection& c, Order& o, bool cod, clock::Millis now) {
  auto shift = cash::open_session_of(c, o.delivery_partner_id, true);
  if (cod && !shift)
    throw ConflictError("Start your delivery session before picking up an order paid at the door", "SESSION_REQUIRED");
  o.delivery_session_id = shift ? shift->id : std::string();  // the shift that rides it, if any
  if (cod) cash::add_pending_cash(c, shift->id, o.id, o.order_number, *o.cash_expected, now);
  o.picked_up_at = now;
}

// What a door report may say of this order, or 400 naming the field.
void check_door_report(const Order& o, const DoorReport& door, money::Paise max_tip) {
  const bool at_door = o.cash_expected.has_value(), upi = door.paid_by == "upi";
  if (door.tip > max_tip)
    throw ValidationError("Validation failed",
                          {{"tip", max_tip == 0 ? "is not taken by this restaurant"
                                                : "can be at most ₹" + money::format_rupees(max_tip)}});
  if (upi && door.upi_reference.empty())
    throw ValidationError("Validation failed", {{"upiReference", "is required when paid by UPI"}});
  if (!upi && !door.upi_reference.empty())
    throw ValidationError("Validation failed", {{"upiReference", "applies only when paid by UPI"}});
  if (upi && door.cash_collected)
    throw ValidationError("Validation failed", {{"cashCollected", "does not apply when paid by UPI"}});
  if (!at_door && door.cash_collected)
    throw ValidationError("Validation failed", {{"cashCollected", "applies only to orders paid at the door"}});
  if (!at_door && upi && door.tip == 0)
    throw ValidationError("Validation failed", {{"paidBy", "this order is paid already; UPI applies to a tip only"}});
  if (at_door && !upi && !door.cash_collected)
    throw ValidationError("Validation failed", {{"cashCollected", "is required for an order paid at the door"}});
  if (at_door && !upi && *door.cash_collected < door.tip)
    throw ValidationError("Validation failed", {{"cashCollected", "includes the tip: it cannot be less than it"}});
}

void append_order_entry(store::Connection& c, const Order& o, const Actor& actor, const std::string& shift_id,
                        const char* kind, money::Paise amount, const std::string& notes = {}) {
  auto entry = cash::ledger_entry(kind, shift_id, o.delivery_partner_id, amount, actor.id, actor.role);
  entry.order_id = o.id;
  entry.order_number = o.order_number;
  entry.notes = notes;
  cash::append_ledger(c, entry);
}

// The hand-over: the payment at the door (cash counted by the partner, or UPI to the restaurant's
// id), and the tips, on the shift's ledger. An order picked up outside a shift (before shifts were
// recorded, or by the kitchen) keeps it all on the order only.
void hand_over(store::Connection& c, Order& o, const Actor& actor, const DoorReport& door, clock::Millis now) {
  const bool at_door = o.cash_expected.has_value(), upi = door.paid_by == "upi";
  std::optional<std::string> shift;
  money::Paise cash = 0, by_upi = 0;  // beyond the door payment, for the shift's totals
  if (at_door) {
    cash::DoorPayment paid{door.paid_by, upi ? *o.cash_expected + door.tip : *door.cash_collected, door.upi_reference};
    shift = cash::collect_at_door(c, o.id, paid, now);
    if (shift)
      append_order_entry(c, o, actor, *shift, upi ? "upi_collected" : "collected", paid.amount, door.upi_reference);
    if (!upi) o.cash_collected = door.cash_collected;
    o.cash_collected_at = now;
    o.paid_at_door_by = door.paid_by;
    o.upi_reference = door.upi_reference;
    o.payment_status = "paid";  // cash in the partner's hand, or the payer's UPI reference, is the payment
  } else if (door.tip > 0 && !o.delivery_session_id.empty()) {
    shift = o.delivery_session_id;  // a prepaid order: the tip alone changes hands
    (upi ? by_upi : cash) = door.tip;
    append_order_entry(c, o, actor, *shift, upi ? "upi_collected" : "collected", door.tip,
                       upi ? door.upi_reference : std::string("tip in cash"));
  }
  o.door_tip = door.tip;
  const money::Paise tips = o.pricing.tip + door.tip;
  if (shift && (tips > 0 || cash > 0 || by_upi > 0)) {
    cash::add_to_shift(c, *shift, cash, by_upi, tips, now);
    if (tips > 0) append_order_entry(c, o, actor, *shift, "tip", -tips, "the partner's tip");
  }
}

}  // namespace

asio::awaitable<ActiveOrders> DispatchService::active(std::string partner_id) {
  co_return co_await db_.read([&](store::Connection& c) {
    return ActiveOrders{orders::list_active_for_partner(c, partner_id), orders::list_unclaimed_ready(c, 50)};
  });
}

asio::awaitable<Order> DispatchService::accept(std::string partner_id, std::string order_id) {
  auto o = co_await db_.transaction([&](store::Connection& c) {
    // The row lock (PostgreSQL) or the write transaction (SQLite) makes check-and-claim one step.
    auto found = ids::is_object_id(order_id) ? orders::find_order(c, order_id, true) : std::nullopt;
    if (!found) throw NotFoundError("Order");
    if (found->delivery_partner_id == partner_id) return *found;  // a retried accept
    if (found->order_type == "takeaway")
      throw ConflictError("A takeaway order is collected at the counter; it has no rider", "TAKEAWAY_ORDER");
    if (!found->delivery_partner_id.empty())
      throw ConflictError("Another delivery partner has already taken this order", "ALREADY_ASSIGNED");
    if (found->status != orders::OrderStatus::ready)
      throw ConflictError("Only a ready order can be accepted", "ORDER_NOT_READY");
    users::lock_user(c, partner_id);
    auto partner = users::find_by_id(c, partner_id);
    if (!partner || !partner->is_active) throw AuthorizationError("This delivery partner account is disabled");
    if (!partner->availability)
      throw ConflictError("Switch your availability on to take orders", "PARTNER_UNAVAILABLE");
    give_to(c, *found, *partner);
    return *found;
  });
  orders::announce_assignment(emitter_, o, "");
  co_return o;
}

asio::awaitable<Order> DispatchService::assign(std::string order_id, std::string partner_id, bool nearest) {
  const auto rules = settings_.current();
  std::string previous;
  std::vector<notifications::Notification> told;
  auto o = co_await db_.transaction([&](store::Connection& c) {
    auto found = ids::is_object_id(order_id) ? orders::find_order(c, order_id, true) : std::nullopt;
    if (!found) throw NotFoundError("Order");
    if (found->order_type == "takeaway")
      throw ConflictError("A takeaway order is collected at the counter; it has no rider", "TAKEAWAY_ORDER");
    // Until it leaves the kitchen; once on its way it stays with its partner.
    if (!orders::in_kitchen(found->status))
      throw ConflictError("An order that is " + std::string(orders::to_string(found->status)) +
                              " cannot be given to a delivery partner",
                          "INVALID_STATUS_TRANSITION");
    if (nearest) {
      if (!rules->lng || !rules->lat)
        throw ConflictError("Set the restaurant's location in settings to assign by distance",
                            "RESTAURANT_LOCATION_UNKNOWN");
      partner_id = nearest_partner(c, *rules->lng, *rules->lat);
      if (partner_id.empty())
        throw ConflictError("No delivery partner is available with a recent location", "NO_PARTNER_AVAILABLE");
    }
    if (ids::is_object_id(partner_id)) users::lock_user(c, partner_id);
    auto partner = ids::is_object_id(partner_id) ? users::find_by_id(c, partner_id) : std::nullopt;
    if (!partner || partner->role != "delivery" || !partner->is_active)
      throw ValidationError("Validation failed", {{"deliveryPartnerId", "is not an active delivery partner"}});
    // Read again under the lock: a partner who went off duty meanwhile is not "nearest available".
    if (nearest && !partner->availability)
      throw ConflictError("The nearest partner just went off duty; try again", "NO_PARTNER_AVAILABLE");
    previous = found->delivery_partner_id;
    give_to(c, *found, *partner);
    told = previous == partner->id ? std::vector<notifications::Notification>{}
                                   : notifier_.store(c, notifications::assignment_drafts(*found));
    return *found;
  });
  orders::announce_assignment(emitter_, o, previous);
  if (o.status == orders::OrderStatus::ready) orders::tell_partners(emitter_, o);
  notifier_.publish(told);
  co_return o;
}

asio::awaitable<bj::array> DispatchService::riders_on_duty() {
  const auto rules = settings_.current();
  co_return co_await db_.read([&](store::Connection& c) {
    std::map<std::string, std::pair<double, double>> where;
    for (const auto& p : users::located_available_partners(c, clock::now_ms() - kFreshLocation))
      where[p.id] = {p.lng, p.lat};
    std::map<std::string, std::int64_t> load;
    for (const auto& [id, n] : orders::open_orders_by_partner(c)) load[id] = n;
    struct Rider {
      const users::User* user;
      std::optional<double> km;
    };
    const auto partners = users::list_partners(c);
    std::vector<Rider> riders;
    for (const auto& u : partners) {
      if (!u.is_active || !u.availability) continue;
      Rider r{&u, std::nullopt};
      if (auto it = where.find(u.id); it != where.end() && rules->lng && rules->lat)
        r.km = geo::haversine_km(*rules->lng, *rules->lat, it->second.first, it->second.second);
      riders.push_back(r);
    }
    // Nearest first; riders without a known position last; then the lighter load.
    std::stable_sort(riders.begin(), riders.end(), [&](const Rider& a, const Rider& b) {
      if (a.km.has_value() != b.km.has_value()) return a.km.has_value();
      if (a.km && *a.km != *b.km) return *a.km < *b.km;
      return load[a.user->id] < load[b.user->id];
    });
    bj::array out;
    for (const auto& r : riders)
      out.push_back(
          bj::object{{"_id", r.user->id},
                     {"name", r.user->first_name + (r.user->last_name.empty() ? "" : " " + r.user->last_name)},
                     {"phone", r.user->phone},
                     {"vehicleNumber", r.user->vehicle_number},
                     {"distanceKm", r.km ? bj::value(std::round(*r.km * 100) / 100) : bj::value(nullptr)},
                     {"activeOrders", load[r.user->id]}});
    return out;
  });
}

asio::awaitable<Order> DispatchService::update_status(Actor actor, std::string order_id, orders::OrderStatus status,
                                                      DoorReport door, std::string notes) {
  using orders::OrderStatus;
  const auto max_tip = settings_.current()->max_tip;
  auto moved = co_await db_.transaction([&](store::Connection& c) {
    auto o = held_for(c, actor, order_id);
    const auto by = orders::mover_for_role(actor.role);
    if (status != OrderStatus::out_for_delivery && status != OrderStatus::delivered)
      throw ConflictError("An order cannot go from " + std::string(orders::to_string(o.status)) + " to " +
                              std::string(orders::to_string(status)),
                          "INVALID_STATUS_TRANSITION");
    orders::Lifecycle::check(o, status, by);
    const bool at_door = o.cash_expected.has_value();
    const auto now = clock::now_ms();
    if (status == OrderStatus::out_for_delivery) {
      if (door.given)
        throw ValidationError("Validation failed", {{"status", "the payment and a tip are recorded on delivery"}});
      if (!at_door && door.cash_collected)
        throw ValidationError("Validation failed", {{"cashCollected", "applies only to orders paid at the door"}});
      pick_up(c, o, at_door, now);
    } else {
      check_door_report(o, door, max_tip);
      hand_over(c, o, actor, door, now);
    }
    return lifecycle_.move(c, std::move(o), {status, by, notes, std::nullopt, {}, now});
  });
  co_await lifecycle_.finish(moved);
  co_return std::move(moved.order);
}

}  // namespace tiptop::delivery
