#pragma once
// Online payments (issue 11): the checkout that opens Razorpay's payment sheet, the proof that
// marks an order paid (the checkout signature, re-checked with the gateway; or a signed webhook),
// the expiry of orders nobody pays, and refunds.
//
// Money is never marked paid without proof: a valid signature and the gateway's own word on the
// amount and currency. A payment's state only moves forward, so webhooks may arrive in any order
// and any number of times. A refund is requested in the cancellation's own transaction and sent by
// the payments job with the refund's id as the gateway's idempotency key: at most one refund per
// order, never issued twice, and not lost if the gateway is down when the order is cancelled.
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/json/object.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/job.hpp"
#include "integrations/razorpay.hpp"
#include "modules/notifications/notifier.hpp"
#include "modules/orders/lifecycle.hpp"
#include "modules/orders/model.hpp"
#include "modules/payments/model.hpp"
#include "realtime/emitter.hpp"
#include "store/database.hpp"

namespace tiptop::payments {

struct Checkout {
  std::string key_id, gateway_order_id, currency, receipt;
  money::Paise amount = 0;
  clock::Millis expires_at = 0;
};
// What the app passes to Razorpay Checkout (amount in paise, the gateway's unit).
boost::json::object to_json(const Checkout& c);

struct WebhookResult {
  bool duplicate = false;  // this event id was applied before: nothing changed
  bool applied = false;    // it concerned one of our payments or refunds
};

class PaymentService final : public orders::PaymentHooks {
 public:
  PaymentService(const Config& config, store::Database& db, realtime::Emitter& emitter,
                 notifications::Notifier& notifier, orders::Lifecycle& lifecycle);
  ~PaymentService();

  bool enabled() const { return gateway_ != nullptr; }

  // In the placement's transaction: an online order's payment, unpaid until proven.
  void open(store::Connection& c, const orders::Order& o) const;
  // The gateway order for one of the customer's unpaid online orders: made on the first call, the
  // same one after. ExternalServiceError (503) when the gateway does not answer: nothing changed,
  // the app calls again.
  boost::asio::awaitable<Checkout> checkout(std::string customer_id, std::string order_id);
  // The checkout for a just-placed online order, or why it is not there yet (the gateway did not
  // answer: the order stands, and the app asks again with POST /api/v1/orders/:id/payment).
  // Never throws: the order is committed whatever happens here.
  boost::asio::awaitable<boost::json::object> checkout_or_retry(std::string customer_id, std::string order_id);
  // Checkout's answer. BadRequest PAYMENT_VERIFICATION_FAILED (nothing changes) unless the
  // signature is right and the gateway confirms this payment of this order.
  boost::asio::awaitable<orders::Order> verify(std::string customer_id, std::string order_id,
                                               std::string gateway_order_id, std::string payment_id,
                                               std::string signature);
  // A webhook delivery; BadRequest INVALID_SIGNATURE unless signed with the current or previous secret.
  boost::asio::awaitable<WebhookResult> webhook(std::string raw_body, std::string signature, std::string event_id);

  // An online order whose payment has not arrived (orders from before online payments have no
  // payment record and are not held back).
  bool awaiting_payment(store::Connection& c, const orders::Order& o) const override;
  // In a cancellation's transaction: the refund of a paid online order (0 < amount ≤ paid), sent
  // once the transaction commits (call wake() then). ConflictError REFUND_EXISTS if it has one.
  void request_refund(store::Connection& c, const orders::Order& o, money::Paise amount) const override;

  // For admins: an order's payment and refund; the payments flagged for a look.
  boost::asio::awaitable<boost::json::object> details(std::string order_id);
  struct FlaggedPage {
    std::vector<Payment> payments;
    std::int64_t total = 0;
  };
  boost::asio::awaitable<FlaggedPage> flagged(std::int64_t page, std::int64_t limit);
  // Closes an open flag with the admin's notes (what was done); NOT_FLAGGED when none is open.
  // An unpaid order whose flag is closed may expire again like any other.
  boost::asio::awaitable<Payment> resolve_flag(std::string admin_id, std::string order_id, std::string notes);

  // The payments job, on its own thread (gateway calls block): cancels orders unpaid past their
  // expiry (after asking the gateway whether a payment arrived), sends due refunds and confirms
  // pending ones. start() does nothing when online payments are off.
  void start();
  void stop();
  void wake() override;
  // One pass on the calling thread; returns the orders and refunds it acted on.
  int run_once(clock::Millis now);

 private:
  struct Effects;
  // Applies what the gateway says of a payment, in the caller's transaction. False: not ours.
  bool apply(store::Connection& c, const integrations::GatewayPayment& gp, clock::Millis now, Effects& fx) const;
  bool apply_refund(store::Connection& c, const integrations::GatewayRefund& gr, clock::Millis now, Effects& fx) const;
  void flag(store::Connection& c, Payment& p, const std::string& why, clock::Millis now, Effects& fx) const;
  void after_commit(const Effects& fx);
  int expire_unpaid(clock::Millis now);
  int send_refunds();
  void send_refund(const Refund& r);
  bool stopping();

  const Config& config_;
  store::Database& db_;
  realtime::Emitter& emitter_;
  notifications::Notifier& notifier_;
  orders::Lifecycle& lifecycle_;
  std::unique_ptr<integrations::Razorpay> gateway_;
  // Checkout and verification calls: no I/O thread waits on the gateway. Calls block on the network,
  // not the CPU, hence more threads than cores; past kMaxCallsInFlight a call is refused at once
  // (503) rather than queued behind a gateway that hangs.
  boost::asio::thread_pool calls_{8};
  std::atomic<int> calls_in_flight_{0};
  std::atomic<bool> closing_{false};
  template <class F>
  boost::asio::awaitable<std::invoke_result_t<F&>> call_gateway(const std::string& order_id, F& f);

  // Last: stopped (joined) before the members its passes use go.
  BackgroundJob job_{"payments job", config_.payment_sweep_interval, [this] {
                       run_once(clock::now_ms());
                       return std::chrono::duration_cast<std::chrono::milliseconds>(config_.payment_sweep_interval);
                     }};
};

}  // namespace tiptop::payments
