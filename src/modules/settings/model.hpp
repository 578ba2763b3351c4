#pragma once
// Restaurant settings: open/closed, opening hours, minimum order, tax, delivery fee rules and
// radius. Amounts in paise, tax in basis points, times as minutes after local midnight.
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "modules/orders/pricing.hpp"

namespace tiptop::settings {

struct OpeningHours {
  int day = 0;           // 0 = Sunday … 6 = Saturday, restaurant time
  int open_minute = 0;   // minutes after midnight
  int close_minute = 0;  // may be before open_minute: open past midnight
};

struct Settings {
  bool is_open = true;  // the manual switch (kitchen closed for the day, out of stock…)
  std::string closed_reason;
  std::vector<OpeningHours> hours;  // empty: no schedule, the switch alone decides
  money::Paise minimum_order = 0;
  int tax_bp = 500;  // 5 %
  orders::DeliveryRules delivery{3000, money::Paise{49900}, 800};
  double max_radius_km = 10;
  std::optional<double> lng, lat;  // the restaurant, for distances
  // A customer's first cash-on-delivery order needs a phone verified by a code (auth/otp).
  bool require_verified_phone_for_cod = false;
  // Who the restaurant is, for bills, the UPI link and customers who need to call.
  std::string restaurant_name = "TipTop", contact_phone, address;
  // The restaurant's UPI id (name@bank); empty: UPI is not offered to customers.
  std::string upi_id;
  // The largest tip a customer may give, at checkout or at the door; 0: no tips.
  money::Paise max_tip = 50000;
  // Escalation (orders/escalation.hpp): a pending order not accepted within this many minutes, a
  // ready delivery order no rider took (offered again after this, escalated after twice this);
  // 0 = never. The manager's phone gets an SMS (else the contact phone).
  int escalate_pending_minutes = 5, escalate_ready_minutes = 10;
  std::string manager_phone;
};

boost::json::object to_json(const Settings& s);
// From a validated body (route schema); throws ValidationError for what the schema cannot express.
Settings from_json(const boost::json::object& body);
// Open now? now_local: seconds since the epoch shifted to restaurant local time.
bool is_open_at(const Settings& s, std::int64_t local_seconds);
// The reason to show when closed at that time, empty when open.
std::string closed_message(const Settings& s, std::int64_t local_seconds);

}  // namespace tiptop::settings
