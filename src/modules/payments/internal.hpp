#pragma once
// Shared by the payments module's three parts (service.cpp: checkout, verification and the admin's
// views; reconcile.cpp: what the gateway says, applied; job.cpp: expiry and refunds).
#include <random>

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/log.hpp"
#include "modules/orders/repository.hpp"
#include "modules/payments/repository.hpp"
#include "modules/payments/service.hpp"

namespace tiptop::payments::detail {

inline constexpr clock::Millis kRefundLease = 60'000;  // a refund being sent is left alone this long by other jobs
inline constexpr clock::Millis kEventMemory = 30LL * 86'400'000;  // Razorpay retries a webhook for a day; kept a month
inline constexpr std::int64_t kBatch = 50;
inline constexpr int kMaxCallsInFlight = 64;  // gateway calls of requests, running or queued

[[noreturn]] inline void cancelled_before_payment() {
  throw ConflictError("This order was cancelled before the payment arrived; the money goes back to you",
                      "ORDER_CANCELLED");
}

inline std::string rupees(money::Paise p, const std::string& currency) {
  return money::format_rupees(p) + " " + currency;
}

}  // namespace tiptop::payments::detail

namespace tiptop::payments {

// What a transaction did that others must hear of once it commits.
struct PaymentService::Effects {
  std::optional<orders::Order> order;  // its status or payment changed
  std::optional<orders::Moved> moved;  // its status changed: the lifecycle's news to send
  bool refund_queued = false;
  bool mismatch = false;  // the gateway's amount or currency is not the order's
  std::string flagged;    // a flag raised now (not one raised before)
  std::vector<notifications::Notification> told;
};

}  // namespace tiptop::payments
