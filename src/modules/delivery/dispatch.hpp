#pragma once
// Getting orders to doors: what a partner can take, the atomic claim, the admin's assignment
// (by id or to the nearest available partner), and the partner's pick-up and delivery, which
// move the cash of their shift (cash module) in the same transaction.
#include <boost/asio/awaitable.hpp>
#include <optional>
#include <string>
#include <vector>

#include "modules/notifications/notifier.hpp"
#include "modules/orders/lifecycle.hpp"
#include "modules/orders/model.hpp"
#include "modules/settings/service.hpp"
#include "realtime/emitter.hpp"
#include "store/database.hpp"

namespace tiptop::delivery {

// Who records a pick-up or a delivery: the partner holding the order, or an admin on their behalf
// (a lost phone must not strand the order and the cash of a shift).
struct Actor {
  std::string id, role;  // role "delivery" or "admin"
};

// What the partner records at the door: for an order paid there (COD or UPI) the cash they
// counted, tip included, or that it was paid by UPI with the payer's reference; and any tip given
// at the door (in cash, or by UPI with the bill).
struct DoorReport {
  std::optional<money::Paise> cash_collected;
  std::string paid_by = "cash";  // or "upi"
  std::string upi_reference;
  money::Paise tip = 0;
  bool given = false;  // paid_by, upi_reference or tip was sent (only a delivery takes them)
};

struct ActiveOrders {
  std::vector<orders::Order> assigned;   // held by the partner, not yet delivered
  std::vector<orders::Order> available;  // ready and unclaimed
};

class DispatchService {
 public:
  DispatchService(store::Database& db, realtime::Emitter& emitter, notifications::Notifier& notifier,
                  orders::Lifecycle& lifecycle, const settings::SettingsService& settings)
      : db_(db), emitter_(emitter), notifier_(notifier), lifecycle_(lifecycle), settings_(settings) {}

  boost::asio::awaitable<ActiveOrders> active(std::string partner_id);
  // Exactly one partner wins an unclaimed ready order; everyone else gets 409 ALREADY_ASSIGNED.
  boost::asio::awaitable<orders::Order> accept(std::string partner_id, std::string order_id);
  // The riders on duty for the board's "assign": each with distance from the restaurant (when both
  // positions are known and the rider's is recent) and how many orders they hold; nearest first.
  boost::asio::awaitable<boost::json::array> riders_on_duty();
  // partner_id empty and nearest: the available partner closest to the restaurant.
  boost::asio::awaitable<orders::Order> assign(std::string order_id, std::string partner_id, bool nearest);
  // Only the assigned partner (or an admin for them): ready → out-for-delivery (an order paid at
  // the door needs the partner's open shift) and out-for-delivery → delivered (an order paid at the
  // door needs its payment: the cash collected, or UPI with its reference). Tips are credited to
  // the partner's shift.
  boost::asio::awaitable<orders::Order> update_status(Actor actor, std::string order_id, orders::OrderStatus status,
                                                      DoorReport door, std::string notes);

 private:
  store::Database& db_;
  realtime::Emitter& emitter_;
  notifications::Notifier& notifier_;
  orders::Lifecycle& lifecycle_;
  const settings::SettingsService& settings_;
};

}  // namespace tiptop::delivery
