#pragma once
// An order as stored (spec §2 Orders). Snapshots taken at placement (customer, items, address,
// partner) are kept as the JSON the API shows, so they never change when the menu or profile does.
#include <boost/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "modules/orders/pricing.hpp"
#include "modules/orders/status.hpp"

namespace tiptop::orders {

struct StatusChange {
  OrderStatus status = OrderStatus::pending;
  clock::Millis at = 0;
  std::string updated_by;  // "customer", "admin", "delivery", "system"
  std::string notes;
};

struct Order {
  std::string id, order_number, customer_id;
  boost::json::object customer;  // {id, name, phone, email}
  boost::json::array items;      // [{menuItem, name, image, price, quantity, customizations, subtotal}]
  Pricing pricing;
  std::string promo_code;
  boost::json::object delivery_address;
  std::string delivery_partner_id;
  boost::json::value delivery_partner;  // null until assigned
  std::string delivery_session_id;      // the partner's shift that carried it
  std::optional<clock::Millis> assigned_at, picked_up_at;
  OrderStatus status = OrderStatus::pending;
  std::vector<StatusChange> history;
  std::string payment_method = "COD", payment_status = "pending";
  std::string order_type = "delivery";  // or "takeaway": collected at the counter, no address, fee or rider
  std::string guest_id;                 // a counter order for a caller without an account
  std::string placed_by;                // the staff member or admin who took a counter order
  std::string tracking_token;           // a guest order's tracking link (never shown in lists)
  boost::json::value payment_details;
  std::optional<money::Paise> cash_expected, cash_collected;
  std::optional<clock::Millis> cash_collected_at, estimated_delivery_at, actual_delivery_at;
  bool cash_settled = false;
  // Paid at the door (COD or UPI orders): how ("cash" or "upi") and the payer's UPI reference;
  // a tip given at the door; the upi:// link the rider shows for a UPI order.
  std::string paid_at_door_by, upi_reference, upi_link;
  money::Paise door_tip = 0;
  boost::json::value rating, cancellation;
  clock::Millis created_at = 0, updated_at = 0;
};

boost::json::object to_json(const Order& o);
// The shape of the tracking tokens guest orders get (48 lowercase hex digits: 192 random bits).
bool is_tracking_token(std::string_view token);
// upi://pay?pa=<upi id>&pn=<payee>&am=<rupees>&tn=<order number>&cu=INR, as UPI apps read it
// (NPCI's deep-link form); the rider's screen shows it as a QR code.
std::string upi_link(const std::string& upi_id, const std::string& payee, money::Paise amount,
                     const std::string& order_number);
// The bill as orders and quotes show it: itemsTotal, deliveryFee, tax, discount, promoCode, finalAmount.
boost::json::object pricing_json(const Pricing& p, const std::string& promo_code);
// What the delivery partner holding the order sees: the customer's phone and the address only
// while the order is active; no e-mail ever.
boost::json::object partner_view(const Order& o);
// Where an order goes, as any partner may see it before one takes it: the city and coordinates
// rounded to 0.01° (about a kilometre): enough to judge the ride, not to find the door.
boost::json::object approximate_area(const boost::json::object& address);
// Cancels in memory: status, cancellation {reason, cancelledBy, refundAmount, timestamp} and the
// history entry. Only Lifecycle::move calls it (lifecycle.hpp), which saves it.
void mark_cancelled(Order& o, const std::string& by, const std::string& reason, money::Paise refund, clock::Millis now);

}  // namespace tiptop::orders
