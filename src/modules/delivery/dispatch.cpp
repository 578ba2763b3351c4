#include "modules/delivery/dispatch.hpp"

#include <limits>

#include "core/errors.hpp"
#include "core/geo.hpp"
#include "core/ids.hpp"
#include "modules/cash/repository.hpp"
#include "modules/cash/service.hpp"
#include "modules/notifications/triggers.hpp"
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
    throw ConflictError("Start your delivery session before picking up a cash order", "SESSION_REQUIRED");
  o.delivery_session_id = shift ? shift->id : std::string();  // the shift that rides it, if any
  if (cod) cash::add_pending_cash(c, shift->id, o.id, o.order_number, *o.cash_expected, now);
  o.picked_up_at = now;
}

// Hand-over of a cash order: the cash collected, on the shift's ledger, is the payment.
void hand_over_cash(store::Connection& c, Order& o, const Actor& actor, std::optional<money::Paise> cash_collected,
                    clock::Millis now) {
  if (!cash_collected)
    throw ValidationError("Validation failed", {{"cashCollected", "is required for a cash-on-delivery order"}});
  auto shift_id = cash::collect_cash(c, o.id, *cash_collected, now);
  // Picked up before shifts were recorded (or by the kitchen): the cash is on the order only.
  if (shift_id) {
    auto entry =
        cash::ledger_entry("collected", *shift_id, o.delivery_partner_id, *cash_collected, actor.id, actor.role);
    entry.order_id = o.id;
    entry.order_number = o.order_number;
    cash::append_ledger(c, entry);
  }
  o.cash_collected = cash_collected;
  o.cash_collected_at = now;
  o.payment_status = "paid";  // cash in the partner's hand is the payment
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

asio::awaitable<Order> DispatchService::update_status(Actor actor, std::string order_id, orders::OrderStatus status,
                                                      std::optional<money::Paise> cash_collected, std::string notes) {
  using orders::OrderStatus;
  auto moved = co_await db_.transaction([&](store::Connection& c) {
    auto o = held_for(c, actor, order_id);
    const auto by = orders::mover_for_role(actor.role);
    if (status != OrderStatus::out_for_delivery && status != OrderStatus::delivered)
      throw ConflictError("An order cannot go from " + std::string(orders::to_string(o.status)) + " to " +
                              std::string(orders::to_string(status)),
                          "INVALID_STATUS_TRANSITION");
    orders::Lifecycle::check(o, status, by);
    const bool cod = o.cash_expected.has_value();
    if (!cod && cash_collected)
      throw ValidationError("Validation failed", {{"cashCollected", "applies only to cash-on-delivery orders"}});
    const auto now = clock::now_ms();
    if (status == OrderStatus::out_for_delivery)
      pick_up(c, o, cod, now);
    else if (cod)
      hand_over_cash(c, o, actor, cash_collected, now);
    return lifecycle_.move(c, std::move(o), {status, by, notes, std::nullopt, {}, now});
  });
  co_await lifecycle_.finish(moved);
  co_return std::move(moved.order);
}

}  // namespace tiptop::delivery
