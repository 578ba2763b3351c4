#include "modules/orders/lifecycle.hpp"

#include "core/errors.hpp"
#include "modules/audit/repository.hpp"
#include "modules/menu/service.hpp"
#include "modules/notifications/triggers.hpp"
#include "modules/orders/events.hpp"
#include "modules/orders/repository.hpp"

namespace tiptop::orders {
namespace asio = boost::asio;
using S = OrderStatus;

namespace {

constexpr unsigned bit(Mover m) { return 1u << static_cast<unsigned>(m); }
constexpr unsigned kCustomer = bit(Mover::customer), kAdmin = bit(Mover::admin), kDelivery = bit(Mover::delivery),
                   kSystem = bit(Mover::system), kStaff = bit(Mover::staff);
constexpr unsigned kKitchen = kAdmin | kStaff;

enum OrderTypes : unsigned { kDeliveryOrders = 1, kTakeawayOrders = 2, kEveryOrder = 3 };

struct Move {
  S from, to;
  unsigned by;                   // the movers allowed, as bits
  unsigned types = kEveryOrder;  // the order types the move exists for
};

// The lifecycle: every legal move and who may make it. The kitchen (admin) moves an order through
// preparation; the partner holding it records pick-up and delivery (an admin may record them for
// the partner, or for an order nobody holds); the payments job confirms an order once its online
// payment is proven and cancels one never paid; a customer may cancel only while it is pending.
// A takeaway never goes out: the counter hands it over, ready → delivered ("collected at counter").
constexpr Move kLifecycle[] = {
    {S::pending, S::confirmed, kKitchen | kSystem},
    {S::confirmed, S::preparing, kKitchen},
    {S::preparing, S::ready, kKitchen},
    {S::ready, S::out_for_delivery, kAdmin | kDelivery, kDeliveryOrders},
    {S::out_for_delivery, S::delivered, kAdmin | kDelivery, kDeliveryOrders},
    {S::ready, S::delivered, kKitchen, kTakeawayOrders},
    {S::pending, S::cancelled, kCustomer | kKitchen | kSystem},
    {S::confirmed, S::cancelled, kKitchen},
    {S::preparing, S::cancelled, kKitchen},
    {S::ready, S::cancelled, kKitchen},
};

unsigned type_bit(std::string_view order_type) { return order_type == "takeaway" ? kTakeawayOrders : kDeliveryOrders; }

constexpr std::string_view kMovers[] = {"customer", "admin", "delivery", "system", "staff"};

void validation(const std::string& field, const std::string& message) {
  throw ValidationError("Validation failed", {{field, message}});
}

}  // namespace

std::string_view to_string(Mover m) { return kMovers[static_cast<int>(m)]; }

Mover mover_for_role(std::string_view role) {
  for (auto m : {Mover::customer, Mover::admin, Mover::delivery, Mover::staff})  // never "system"
    if (to_string(m) == role) return m;
  throw AuthorizationError();
}

bool may_move(S from, S to, Mover by, std::string_view order_type) {
  for (const auto& m : kLifecycle)
    if (m.from == from && m.to == to && (m.types & type_bit(order_type))) return (m.by & bit(by)) != 0;
  return false;
}

void Lifecycle::check(const Order& o, S to, Mover by) {
  if (may_move(o.status, to, by, o.order_type)) return;
  if (o.order_type == "takeaway" && to == S::out_for_delivery)
    throw ConflictError("A takeaway order is collected at the counter: mark it delivered when it is handed over",
                        "INVALID_STATUS_TRANSITION");
  if (by == Mover::customer && to == S::cancelled)
    throw ConflictError("Only a pending order can be cancelled by the customer; please call the restaurant",
                        "INVALID_STATUS_TRANSITION");
  throw ConflictError(
      "An order cannot go from " + std::string(to_string(o.status)) + " to " + std::string(to_string(to)),
      "INVALID_STATUS_TRANSITION");
}

money::Paise Lifecycle::refund_if_paid_online(store::Connection& c, const Order& o,
                                              std::optional<money::Paise> amount) const {
  if (o.payment_method != "ONLINE" || o.payment_status != "paid" || !payments_) {
    if (amount) validation("refundAmount", "only a paid online order is refunded");
    return 0;
  }
  const auto refund = amount.value_or(o.pricing.final_amount);
  payments_->request_refund(c, o, refund);  // sent by the payments job once this commits
  return refund;
}

Moved Lifecycle::move(store::Connection& c, Order o, Change change) const {
  check(o, change.to, change.by);
  // An online order goes to the kitchen when its payment is proven, not before.
  if (change.to == S::confirmed && payments_ && payments_->awaiting_payment(c, o))
    throw ConflictError("This order is paid online and its payment has not arrived yet", "PAYMENT_PENDING");
  if (change.refund && change.to != S::cancelled) validation("refundAmount", "is given only when cancelling");

  const auto now = change.at ? change.at : clock::now_ms();
  const std::string by(to_string(change.by));
  Moved m;
  if (change.to == S::cancelled) {
    if (change.by == Mover::staff && o.payment_status == "paid")
      throw AuthorizationError("A paid order is refunded when cancelled: an admin cancels it");
    const auto refunded = refund_if_paid_online(c, o, change.refund);
    m.refund_requested = refunded > 0;
    if (refunded > 0 && !change.actor_id.empty())
      audit::append(
          c, {now, change.actor_id, by, "order.refund", "order", o.id,
              boost::json::object{{"status", to_string(o.status)}, {"paymentStatus", o.payment_status}},
              boost::json::object{{"status", "cancelled"}, {"refundAmount", money::to_json(refunded)}}, change.notes});
    mark_cancelled(o, by, change.notes, refunded, now);
  } else {
    o.status = change.to;
    o.updated_at = now;
    // Clients that know only the spec's statuses see "delivered"; the note says how it left.
    const bool collected = change.to == S::delivered && o.order_type == "takeaway";
    // Handed over at the counter: what was to be paid there (cash or UPI on pick-up) has been.
    if (collected && o.payment_status == "pending" && (o.payment_method == "COD" || o.payment_method == "UPI"))
      o.payment_status = "paid";
    o.history.push_back(
        {change.to, now, by, collected && change.notes.empty() ? std::string("collected at counter") : change.notes});
  }
  if (change.to == S::delivered) {
    o.actual_delivery_at = now;
    add_delivery_totals(c, o);  // the customer's, the dishes' and the partner's running totals
  }
  save_status(c, o);
  append_history(c, o.id, static_cast<int>(o.history.size()), o.history.back());
  if (change.to == S::confirmed) entered_confirmed(c, o);  // the kitchen's ticket, the customer's bill

  auto drafts = std::move(change.also_tell);
  for (auto& d : notifications::order_status_drafts(o)) drafts.push_back(std::move(d));
  for (auto& d : notifications::open_order_drafts(c, o)) drafts.push_back(std::move(d));
  m.told = notifier_.store(c, drafts);
  m.order = std::move(o);
  return m;
}

void Lifecycle::entered_confirmed(store::Connection& c, const Order& o) const {
  if (kitchen_) kitchen_->order_confirmed(c, o);
}

void Lifecycle::wake_kitchen() const {
  if (kitchen_) kitchen_->wake();
}

void Lifecycle::announce(const Moved& m) {
  announce_status(emitter_, m.order);
  tell_partners(emitter_, m.order);
  notifier_.publish(m.told);
  if (m.refund_requested && payments_) payments_->wake();
  if (m.order.status == S::confirmed) wake_kitchen();
  if ((m.order.status == S::delivered || m.order.status == S::cancelled) && on_final_) on_final_();
}

asio::awaitable<void> Lifecycle::finish(const Moved& m) {
  announce(m);
  if (m.order.status == S::delivered) co_await menu_.refresh();  // the dishes' popularity changed
}

}  // namespace tiptop::orders
