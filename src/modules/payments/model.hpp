#pragma once
// An online order's payment as we hold it, and its refund (migration 0011).
#include <boost/json/object.hpp>
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "core/money.hpp"

namespace tiptop::payments {

inline constexpr const char* kGateway = "razorpay";
inline constexpr const char* kCurrency = "INR";

struct Payment {
  std::string order_id, gateway = kGateway, gateway_order_id, currency = kCurrency;
  std::string state = "created";  // created < failed < authorized < captured
  std::string payment_id, flag;
  std::string flag_resolution, flag_resolved_by;  // an admin's closing of the flag
  std::optional<clock::Millis> flag_resolved_at;
  money::Paise amount = 0;
  std::optional<clock::Millis> paid_at;
  clock::Millis expires_at = 0, created_at = 0, updated_at = 0;

  // A flag no admin has closed yet.
  bool flagged() const { return !flag.empty() && !flag_resolved_at; }
};

struct Refund {
  std::string id, order_id, payment_id;
  std::string state = "requested";  // requested, pending, processed, failed
  std::string gateway_refund_id, last_error;
  money::Paise amount = 0;
  int attempts = 0;
  clock::Millis next_attempt_at = 0, created_at = 0, updated_at = 0;
};

// The order states only move forward in: created 0, failed 1, authorized 2, captured 3; -1 unknown.
int state_rank(const std::string& state);

// What admins see (amounts in rupees, as everywhere in the API).
boost::json::object to_json(const Payment& p);
boost::json::object to_json(const Refund& r);

}  // namespace tiptop::payments
