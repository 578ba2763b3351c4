#include "modules/delivery/dispatch.hpp"

#include <limits>

#include "core/errors.hpp"
#include "core/geo.hpp"
#include "core/ids.hpp"
#include "modules/cash/repository.hpp"
#include "modules/cash/service.hpp"
#include "modules/notifications/triggers.hpp"
#include "modules/orders/events.hpp"
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
  const auto since = clock::now_ms() - kFreshLocation;
  std::string best;
  double best_km = std::numeric_limits<double>::infinity();
  for (const auto& r : c.query("SELECT id, location_lng, location_lat FROM users WHERE role = 'delivery' AND is_active = ? "
                               "AND availability = ? AND location_lat IS NOT NULL AND location_updated_at >= ?",
                               {true, true, since})
                           .rows) {
    const double km = geo::haversine_km(lng, lat, r.real("location_lng"), r.real("location_lat"));
    if (km < best_km || (km == best_km && r.text("id") < best)) best_km = km, best = r.text("id");
  }
  return best;
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
    if (!found->delivery_partner_id.empty())
      throw ConflictError("Another delivery partner has already taken this order", "ALREADY_ASSIGNED");
    if (found->status != "ready") throw ConflictError("Only a ready order can be accepted", "ORDER_NOT_READY");
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
    // Until it leaves the kitchen; once on its way it stays with its partner.
    static constexpr std::string_view kAssignable[] = {"pending", "confirmed", "preparing", "ready"};
    if (std::find(std::begin(kAssignable), std::end(kAssignable), found->status) == std::end(kAssignable))
      throw ConflictError("An order that is " + found->status + " cannot be given to a delivery partner",
                          "INVALID_STATUS_TRANSITION");
    if (nearest) {
      if (!rules->lng || !rules->lat)
        throw ConflictError("Set the restaurant's location in settings to assign by distance", "RESTAURANT_LOCATION_UNKNOWN");
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
  if (o.status == "ready") orders::tell_partners(emitter_, o);
  notifier_.publish(told);
  co_return o;
}

asio::awaitable<Order> DispatchService::update_status(Actor actor, std::string order_id, std::string status,
                                                      std::optional<money::Paise> cash_collected, std::string notes) {
  std::vector<notifications::Notification> told;
  auto o = co_await db_.transaction([&](store::Connection& c) {
    auto o = held_for(c, actor, order_id);
    const auto partner_id = o.delivery_partner_id;
    if (!orders::can_transition(o.status, status) || (status != "out-for-delivery" && status != "delivered"))
      throw ConflictError("An order cannot go from " + o.status + " to " + status, "INVALID_STATUS_TRANSITION");
    const bool cod = o.cash_expected.has_value();
    if (!cod && cash_collected)
      throw ValidationError("Validation failed", {{"cashCollected", "applies only to cash-on-delivery orders"}});
    const auto now = clock::now_ms();
    if (status == "out-for-delivery") {
      auto shift = cash::open_session_of(c, partner_id, true);
      if (cod && !shift)
        throw ConflictError("Start your delivery session before picking up a cash order", "SESSION_REQUIRED");
      o.delivery_session_id = shift ? shift->id : std::string();  // the shift that rides it, if any
      if (cod) cash::add_pending_cash(c, shift->id, o.id, o.order_number, *o.cash_expected, now);
      o.picked_up_at = now;
    } else {
      if (cod) {
        if (!cash_collected)
          throw ValidationError("Validation failed", {{"cashCollected", "is required for a cash-on-delivery order"}});
        auto shift_id = cash::collect_cash(c, o.id, *cash_collected, now);
        // Picked up before shifts were recorded (or by the kitchen): the cash is on the order only.
        if (shift_id) {
          auto entry = cash::ledger_entry("collected", *shift_id, partner_id, *cash_collected, actor.id, actor.role);
          entry.order_id = o.id;
          entry.order_number = o.order_number;
          cash::append_ledger(c, entry);
        }
        o.cash_collected = cash_collected;
        o.cash_collected_at = now;
        o.payment_status = "paid";  // cash in the partner's hand is the payment
      }
      o.actual_delivery_at = now;
      orders::add_delivery_totals(c, o);
    }
    o.status = status;
    o.updated_at = now;
    o.history.push_back({status, now, actor.role, notes});
    orders::save_status(c, o);
    orders::append_history(c, o.id, static_cast<int>(o.history.size()), o.history.back());
    told = notifier_.store(c, notifications::order_status_drafts(o));
    return o;
  });
  orders::announce_status(emitter_, o);
  notifier_.publish(told);
  if (status == "delivered") co_await menu_.refresh();  // popularity changed
  co_return o;
}

}  // namespace tiptop::delivery
