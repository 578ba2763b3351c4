#pragma once
// A delivery partner's shift with its cash (spec §2 Delivery Sessions) and the cash ledger.
// Integer paise throughout; JSON shows rupees.
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/money.hpp"

namespace tiptop::cash {

using money::Paise;

// An order paid at the door (COD or UPI) carried in a shift: pending from pick-up, collected on
// delivery in cash or by UPI (method, with the payer's UPI reference).
struct CashOrder {
  std::string order_id, order_number, status, method, upi_reference;
  Paise expected = 0;
  std::optional<Paise> collected;
  std::optional<clock::Millis> collected_at;
};

struct SessionStats {
  std::int64_t total = 0, successful = 0, cancelled = 0, in_progress = 0;
  std::int64_t delivery_ms_total = 0;  // over the successful ones that have a pick-up time
  std::int64_t timed = 0;
};

// An admin's closing of a discrepancy found at settlement.
struct Resolution {
  Paise amount = 0;
  std::string by, notes;
  clock::Millis at = 0;
};

struct DeliverySession {
  std::string id, partner_id, day;
  boost::json::object partner;  // {_id, name, phone}
  clock::Millis start_time = 0;
  std::optional<clock::Millis> end_time;
  Paise change_fund = 0, total_expected = 0, total_collected = 0;
  Paise total_upi = 0;   // paid at the door by UPI, straight to the restaurant: never in the partner's hand
  Paise total_tips = 0;  // tips of the shift's deliveries, the partner's own
  std::optional<Paise> declared;
  std::optional<clock::Millis> declared_at;
  std::string declared_notes;
  std::optional<clock::Millis> settled_at;
  std::string settled_by, settle_notes;
  std::optional<Paise> actual, discrepancy;
  std::optional<Resolution> resolution;
  std::int64_t distance_m = 0;
  std::optional<double> last_lat, last_lng;
  std::optional<clock::Millis> last_located_at;
  std::vector<CashOrder> cash_orders;
  SessionStats stats;
  clock::Millis created_at = 0, updated_at = 0;

  bool open() const { return !end_time; }
  bool settled() const { return settled_at.has_value(); }
  // What the partner should hand over: the float back plus every rupee collected, less their tips
  // (tips taken in cash stay in their pocket; tips paid to the restaurant are paid out of the bag).
  // Negative when the tips owed exceed the cash: the restaurant pays the partner.
  Paise cash_in_hand() const { return change_fund + total_collected - total_tips; }
};

boost::json::object to_json(const DeliverySession& s);

inline constexpr const char* kLedgerKinds[] = {"float_issued", "collected", "handed_over",
                                               "adjustment",   "tip",       "upi_collected"};

// One movement of cash. amount is signed from the partner's side: + they now hold more of the
// restaurant's money. A tip is negative: that much of what they hold is theirs. upi_collected is
// not cash (paid to the restaurant's UPI id at the door): recorded, outside the cash balance.
struct LedgerEntry {
  std::int64_t seq = 0;
  std::string id, session_id, partner_id, kind;
  Paise amount = 0;
  std::string order_id, order_number, actor_id, actor_role, notes;
  clock::Millis at = 0;
};

boost::json::object to_json(const LedgerEntry& e);

// Metres to add to a shift's distance for a move between two reported positions. nullopt for
// GPS jitter (under 10 m): keep the earlier point, so a slow walk still adds up. 0 for jumps no
// vehicle makes (over 150 km/h) or after a gap over 10 minutes (the route in between is unknown):
// nothing is added and the new point becomes the reference.
std::optional<std::int64_t> travelled_m(double lat1, double lng1, clock::Millis at1, double lat2, double lng2,
                                        clock::Millis at2);

}  // namespace tiptop::cash
