#pragma once
// The one way an order changes status (ARCHITECTURE "Order lifecycle"). Who may move an order
// from where to where is the table in lifecycle.cpp; Lifecycle::move applies a change inside the
// caller's transaction — legality, status, history, delivery totals, refunds, notifications
// stored — and returns what must happen once it commits, which Lifecycle::finish does (events,
// notifications published, the payments job woken, the menu's popularity refreshed).
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "modules/notifications/model.hpp"
#include "modules/notifications/notifier.hpp"
#include "modules/orders/model.hpp"
#include "realtime/emitter.hpp"
#include "store/database.hpp"

namespace tiptop::menu {
class MenuService;
}

namespace tiptop::orders {

// Who moves an order; recorded as the history's updatedBy.
// staff: the counter and the kitchen; they move orders through the kitchen like an admin, but a
// cancellation that refunds money is an admin's.
enum class Mover { customer, admin, delivery, system, staff };
std::string_view to_string(Mover m);
// A signed-in user's role as a mover; AuthorizationError for a role that moves no order.
Mover mover_for_role(std::string_view role);

// True when the lifecycle table lets `by` move an order from `from` to `to`.
bool may_move(OrderStatus from, OrderStatus to, Mover by, std::string_view order_type = "delivery");

// What the lifecycle needs from online payments (PaymentService implements it): whether an order
// still waits for its money, and refunds when a paid order is cancelled.
class PaymentHooks {
 public:
  virtual ~PaymentHooks() = default;
  virtual bool awaiting_payment(store::Connection& c, const Order& o) const = 0;
  // In the cancellation's transaction; sent once it commits (wake()).
  virtual void request_refund(store::Connection& c, const Order& o, money::Paise amount) const = 0;
  virtual void wake() = 0;
};

// What the lifecycle needs from the kitchen's printers (printing::PrintService implements it): an
// order accepted (→ confirmed) queues its tickets in the same transaction; agents are told once
// it commits.
class KitchenHooks {
 public:
  virtual ~KitchenHooks() = default;
  virtual void order_confirmed(store::Connection& c, const Order& o) const = 0;
  virtual void wake() = 0;
};

struct Change {
  OrderStatus to;
  Mover by;
  std::string notes;  // the history's notes; a cancellation's reason
  // Cancelling a paid online order refunds it: all of it, or this much (an admin's choice).
  std::optional<money::Paise> refund;
  // Told with the status news, and before it (e.g. "payment received").
  std::vector<notifications::Draft> also_tell;
  // When it happened, if the caller stamped other fields of the same change (pick-up, cash); 0: now.
  clock::Millis at = 0;
  // The signed-in user making it (admin or staff), for the audit log of a refund; empty: system.
  std::string actor_id;
};

// What a committed move still has to do.
struct Moved {
  Order order;
  std::vector<notifications::Notification> told;
  bool refund_requested = false;
};

class Lifecycle {
 public:
  Lifecycle(notifications::Notifier& notifier, realtime::Emitter& emitter, menu::MenuService& menu)
      : notifier_(notifier), emitter_(emitter), menu_(menu) {}
  void attach(PaymentHooks* payments) { payments_ = payments; }
  void attach(KitchenHooks* kitchen) { kitchen_ = kitchen; }
  // Called after an order is delivered or cancelled (the day's figures changed: reports go stale).
  void on_final(std::function<void()> f) { on_final_ = std::move(f); }
  // A counter order enters confirmed without a move: its tickets are queued here, in its
  // transaction, and the agents woken after the commit.
  void entered_confirmed(store::Connection& c, const Order& o) const;
  void wake_kitchen() const;

  // ConflictError INVALID_STATUS_TRANSITION unless the table allows the move. For callers with
  // checks of their own that must come after legality and before move().
  static void check(const Order& o, OrderStatus to, Mover by);
  // In the caller's transaction, on an order read with its row locked. Throws (changing nothing
  // the transaction keeps) when the move is not allowed.
  Moved move(store::Connection& c, Order o, Change change) const;
  // After the commit.
  boost::asio::awaitable<void> finish(const Moved& m);
  // The same without the menu refresh, for a thread that is not an I/O coroutine (the payments
  // job); it never moves an order to delivered.
  void announce(const Moved& m);

 private:
  money::Paise refund_if_paid_online(store::Connection& c, const Order& o, std::optional<money::Paise> amount) const;

  notifications::Notifier& notifier_;
  realtime::Emitter& emitter_;
  menu::MenuService& menu_;
  PaymentHooks* payments_ = nullptr;
  KitchenHooks* kitchen_ = nullptr;
  std::function<void()> on_final_;
};

}  // namespace tiptop::orders
