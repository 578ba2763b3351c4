#pragma once
// Placing orders (prices from the menu, never from the client), reading them (a customer sees only
// their own), cancelling, and the admin's status changes along the lifecycle.
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <functional>
#include <optional>
#include <string>

#include "core/errors.hpp"
#include "core/rate_limiter.hpp"
#include "modules/menu/catalog.hpp"
#include "modules/menu/service.hpp"
#include "modules/notifications/notifier.hpp"
#include "modules/orders/lifecycle.hpp"
#include "modules/orders/model.hpp"
#include "modules/payments/service.hpp"
#include "modules/settings/service.hpp"
#include "modules/users/model.hpp"
#include "realtime/emitter.hpp"
#include "store/database.hpp"
#include "store/group_commit.hpp"

namespace tiptop::orders {

struct Placed {
  int status = 201;
  std::string order_id;
  std::string data;     // the order as JSON text, as an Idempotency-Key replay answers it too
  bool replay = false;  // answered from the Idempotency-Key record
  // An ONLINE order: Razorpay Checkout's options, or why they are not there yet.
  std::optional<boost::json::object> payment;
};

// A cart priced now (OrderService::bill): what an order placed from it would say, or a quote shows.
struct Bill {
  std::string order_type = "delivery";
  boost::json::array lines;
  Pricing pricing;
  std::string promo_code;
  boost::json::object address;  // delivery only
  double distance_km = 0;
  clock::Millis ready_at = 0;      // the ETA: delivered, or ready at the counter for a takeaway
  std::vector<AppError> refusals;  // a quote's broken rules; placing throws the first instead
  // What the bill was worked out from, for a counter order's open items and discount.
  std::vector<Line> priced;
  DeliveryRules fees;
  int tax_bp = 0;
};
// place: a customer's order; quote: its bill, nothing written; counter: staff at the counter (the
// online opening hours and the minimum order are the app's rules, not the counter's).
enum class Purpose { place, quote, counter };

// Who acts at the counter: a staff member or an admin.
struct Actor {
  std::string id, role;
};

// Flood control per customer (0 = none).
struct OrderLimits {
  long per_minute = 0;  // placements a minute
  long open = 0;        // orders under way at once
};

struct Page {
  std::vector<Order> orders;
  std::int64_t total = 0;
};

class OrderService {
 public:
  // writer: placements go through group commit (many orders, one durable COMMIT).
  OrderService(store::Database& db, store::GroupCommitter& writer, const menu::Catalog& catalog,
               menu::MenuService& menu, const settings::SettingsService& settings, realtime::Emitter& emitter,
               notifications::Notifier& notifier, payments::PaymentService& payments, Lifecycle& lifecycle,
               RateLimiter& limiter, OrderLimits limits);

  boost::asio::awaitable<Placed> place(std::string customer_id, boost::json::object body, std::string idempotency_key);
  boost::asio::awaitable<Page> list_mine(std::string customer_id, std::string status, std::int64_t page,
                                         std::int64_t limit);
  // Customers get only their own orders, partners only those assigned to them; anyone else's is
  // "not found", never "forbidden".
  boost::asio::awaitable<Order> get(std::string user_id, std::string role, std::string order_id);
  boost::asio::awaitable<Order> track(std::string user_id, std::string role, std::string order_number);
  boost::asio::awaitable<Order> cancel_by_customer(std::string customer_id, std::string order_id, std::string reason);
  // A guest's order (guest.cpp): guest_id from a guest token; COD; answers a tracking link.
  boost::asio::awaitable<Placed> place_as_guest(std::string guest_id, boost::json::object body, std::string key);
  // The order behind a guest's tracking link, or NotFoundError.
  boost::asio::awaitable<Order> track_guest(std::string token);
  // A counter order (counter.cpp): staff or an admin, Idempotency-Key required; enters confirmed.
  boost::asio::awaitable<Placed> place_at_counter(Actor actor, boost::json::object body, std::string key);
  // The counter's live bill (nothing written): what place_at_counter would charge for this body, and
  // whose account the phone is, if anyone's.
  boost::asio::awaitable<boost::json::object> quote_at_counter(Actor actor, boost::json::object body);
  // The bill placing this cart would charge now, and every rule that stands in the way (canPlace,
  // problems[{code, message, details}]). customer_id empty: a guest (no saved addresses).
  boost::asio::awaitable<boost::json::object> quote(std::string customer_id, boost::json::object body);
  // "Order again" (reorder.cpp): the customer's dishes, most often ordered first, as on today's menu.
  boost::asio::awaitable<boost::json::array> frequent_items(std::string customer_id, std::int64_t limit);
  // One of the customer's orders as a cart for today's menu, quoted now: {cart, quote, dropped}.
  boost::asio::awaitable<boost::json::object> reorder(std::string customer_id, std::string order_id);
  // Once, after delivery; the food score moves each dish's average rating.
  boost::asio::awaitable<Order> rate(std::string customer_id, std::string order_id, int food, int delivery, int overall,
                                     std::string review);
  // A paid online order that is cancelled is refunded: in full, or refund_amount (an admin's choice).
  // role: admin or staff (staff move orders through the kitchen, never decide refunds).
  boost::asio::awaitable<Order> change_status(std::string actor_id, std::string role, std::string order_id,
                                              OrderStatus status, std::string notes,
                                              std::optional<money::Paise> refund_amount = std::nullopt);

 private:
  // The cart priced now, the one code path of placing and quoting (placement.cpp). customer: null
  // for a guest's quote. order_id: the order a placed promo use is recorded against.
  Bill bill(const users::User* customer, const boost::json::object& body, store::Connection& c, Purpose purpose,
            const std::string& order_id) const;
  // A counter order's bill: the cart priced for the counter, its open items and an admin's discount.
  Bill counter_bill(const boost::json::object& body, store::Connection& c, const std::string& order_id) const;
  Order build(const std::string& customer_id, const boost::json::object& body, store::Connection& c) const;
  // A numbered order paid at the door (COD or UPI, delivery): the cash the rider collects, and a
  // UPI order's payment link.
  void prepare_door_payment(Order& o) const;
  // The order committed (or the Idempotency-Key's earlier answer), before any checkout.
  boost::asio::awaitable<Placed> place_once(const std::string& customer_id, const boost::json::object& body,
                                            const std::string& key);
  // What a placement's write job made: the order, its answer text, and the notices to publish.
  struct Written {
    Order order;
    std::string data;
    std::vector<notifications::Notification> told;
  };
  // The one way a new order is written, for the app, the counter and guests: `write` runs in the
  // group-commit writer after the key's replay check under the row lock, and the key's answer is
  // recorded in the same job (a crash leaves both or neither). A concurrent request with the same
  // key that loses the race on PostgreSQL answers the winner's order. After the commit the board
  // hears admin:new-order (with `announce_extra`) and the notices go out.
  boost::asio::awaitable<Placed> write_new_order(const std::string& owner_id, const std::string& key,
                                                 const std::string& request_hash,
                                                 const std::function<Written(store::Connection&)>& write,
                                                 boost::json::object announce_extra);
  // ORDER_PLACEMENTS_PER_MINUTE for this customer: 429 TOO_MANY_ORDERS beyond it.
  // The minute's flood limit (limit_key's placements), counted before writing. A placement it
  // refuses may be the retry of one already placed: that is answered with its order (a retry is
  // never refused); anything else is refused with TOO_MANY_ORDERS.
  boost::asio::awaitable<std::optional<Placed>> within_flood_limit(const std::string& limit_key,
                                                                   const std::string& owner_id, const std::string& key,
                                                                   const std::string& request_hash);
  // PostgreSQL numbers from one sequence per year: this year's and next year's exist before a
  // placement draws (checked once a year per process).
  boost::asio::awaitable<void> ensure_numbering(int year);
  std::atomic<int> numbered_year_{0};

  store::Database& db_;
  store::GroupCommitter& writer_;
  const menu::Catalog& catalog_;
  menu::MenuService& menu_;
  const settings::SettingsService& settings_;
  realtime::Emitter& emitter_;
  notifications::Notifier& notifier_;
  payments::PaymentService& payments_;
  Lifecycle& lifecycle_;
  RateLimiter& limiter_;
  const OrderLimits limits_;
};

}  // namespace tiptop::orders
