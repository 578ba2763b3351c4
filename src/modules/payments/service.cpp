#include "modules/payments/service.hpp"

#include <boost/json/parse.hpp>

#include "core/blocking.hpp"
#include "core/crypto.hpp"
#include "core/json.hpp"
#include "modules/notifications/triggers.hpp"
#include "modules/payments/internal.hpp"

namespace tiptop::payments {
namespace asio = boost::asio;
namespace bj = boost::json;
using integrations::GatewayError;
using namespace detail;

namespace {

[[noreturn]] void verification_failed(const std::string& why) {
  throw BadRequestError("PAYMENT_VERIFICATION_FAILED", "Payment verification failed: " + why);
}

// The customer hears that the gateway failed, not how (its messages may name our credentials).
ExternalServiceError gateway_down(const std::string& order_id, const std::exception& e) {
  log::warn("payment gateway call failed", {{"orderId", order_id}, {"error", e.what()}});
  return ExternalServiceError("Payment gateway", "it did not answer; please try again");
}

// One of this customer's orders and its online payment; anyone else's order does not exist.
std::pair<orders::Order, Payment> own_online_order(store::Connection& c, const std::string& customer_id,
                                                   const std::string& order_id) {
  auto o = ids::is_object_id(order_id) ? orders::find_order(c, order_id) : std::nullopt;
  // The owner: a customer's account, or the guest who placed it (guest checkout).
  if (!o || (o->customer_id != customer_id && o->guest_id != customer_id)) throw NotFoundError("Order");
  auto p = find_payment(c, o->id);
  if (!p) throw ConflictError("This order is not paid online", "PAYMENT_NOT_DUE");
  return {std::move(*o), std::move(*p)};
}

}  // namespace

bj::object to_json(const Checkout& c) {
  return {{"gateway", kGateway},
          {"keyId", c.key_id},
          {"orderId", c.gateway_order_id},
          {"amount", c.amount},
          {"currency", c.currency},
          {"receipt", c.receipt},
          {"expiresAt", clock::to_iso8601(c.expires_at)}};
}

template <class F>
asio::awaitable<std::invoke_result_t<F&>> PaymentService::call_gateway(const std::string& order_id, F& f) {
  if (calls_in_flight_.fetch_add(1) >= kMaxCallsInFlight) {
    calls_in_flight_.fetch_sub(1);
    log::warn("payment gateway: too many calls waiting; refused at once", {{"orderId", order_id}});
    throw ExternalServiceError("Payment gateway", "it is busy; please try again");
  }
  // Counted down by the task itself (not this frame, which may outlive the service at shutdown);
  // once stop() has begun, queued calls fail at once instead of each waiting out its timeout.
  auto task = [this, &f] {
    struct Release {
      std::atomic<int>& n;
      ~Release() { n.fetch_sub(1); }
    } release{calls_in_flight_};
    if (closing_) throw GatewayError(GatewayError::Kind::unavailable, "Razorpay: the server is shutting down");
    return f();
  };
  co_return co_await run_blocking(calls_, task);
}

PaymentService::PaymentService(const Config& config, store::Database& db, realtime::Emitter& emitter,
                               notifications::Notifier& notifier, orders::Lifecycle& lifecycle)
    : config_(config), db_(db), emitter_(emitter), notifier_(notifier), lifecycle_(lifecycle) {
  if (!config.razorpay_key_id.empty())
    gateway_ = std::make_unique<integrations::Razorpay>(integrations::RazorpaySettings{
        config.razorpay_key_id, config.razorpay_key_secret, config.razorpay_base_url, config.razorpay_timeout});
}

PaymentService::~PaymentService() { stop(); }

void PaymentService::open(store::Connection& c, const orders::Order& o) const {
  if (o.payment_method != "ONLINE") return;
  Payment p;
  p.order_id = o.id;
  p.amount = o.pricing.final_amount;
  p.expires_at = o.created_at + std::chrono::duration_cast<std::chrono::milliseconds>(config_.payment_expiry).count();
  p.created_at = p.updated_at = o.created_at;
  insert_payment(c, p);
}

asio::awaitable<Checkout> PaymentService::checkout(std::string customer_id, std::string order_id) {
  if (!gateway_) throw RefusedError("PAYMENT_METHOD_UNAVAILABLE", "Online payment is not available");
  auto look = [&](store::Connection& c) {
    auto found = own_online_order(c, customer_id, order_id);
    if (found.first.status != orders::OrderStatus::pending || found.second.state == "captured")
      throw ConflictError("This order is not waiting for a payment", "PAYMENT_NOT_DUE");
    return found;
  };
  auto [order, payment] = co_await db_.read(look);
  if (payment.gateway_order_id.empty()) {
    // Not retried by us: a second POST would make a second gateway order. The app calls again.
    bj::object notes{{"orderId", order.id}};
    auto create = [&] { return gateway_->create_order(payment.amount, payment.currency, order.order_number, notes); };
    integrations::GatewayOrder made;
    try {
      made = co_await call_gateway(order.id, create);
    } catch (const GatewayError& e) {
      throw gateway_down(order.id, e);
    }
    if (made.amount != payment.amount || made.currency != payment.currency || !ids::is_gateway_id(made.id))
      throw ExternalServiceError("Payment gateway", "the gateway order does not match this order");
    auto keep = [&](store::Connection& c) {
      auto p = find_payment(c, order.id, true);
      if (p->gateway_order_id.empty()) {  // a concurrent checkout may have been first: its order stands
        p->gateway_order_id = made.id;
        p->updated_at = clock::now_ms();
        save_payment(c, *p);
      }
      return *p;
    };
    payment = co_await db_.transaction(keep);
  }
  co_return Checkout{gateway_->key_id(), payment.gateway_order_id, payment.currency,
                     order.order_number, payment.amount,           payment.expires_at};
}

asio::awaitable<bj::object> PaymentService::checkout_or_retry(std::string customer_id, std::string order_id) {
  // The order is committed whatever happens here: the placement answers 201 in every case, saying
  // why there is no checkout (a replay of a placement since paid or expired says that too).
  bj::object why;
  try {
    auto made = co_await checkout(customer_id, order_id);
    co_return to_json(made);
  } catch (const AppError& e) {
    why = {{"gateway", kGateway},
           {"status", e.status() == 503 ? "unavailable" : "not-due"},
           {"code", e.code()},
           {"message", e.what()}};
    if (e.status() == 503) why["retry"] = "POST /api/v1/orders/" + order_id + "/payment";
  } catch (const std::exception&) {
    // Not the gateway's answer (the database, say): the order stands all the same.
    why = {{"gateway", kGateway},
           {"status", "unavailable"},
           {"code", "INTERNAL_ERROR"},
           {"message", "The payment could not be prepared; please try again"},
           {"retry", "POST /api/v1/orders/" + order_id + "/payment"}};
  }
  co_return why;
}

asio::awaitable<orders::Order> PaymentService::verify(std::string customer_id, std::string order_id,
                                                      std::string gateway_order_id, std::string payment_id,
                                                      std::string signature) {
  if (!gateway_) throw RefusedError("PAYMENT_METHOD_UNAVAILABLE", "Online payment is not available");
  auto look = [&](store::Connection& c) { return own_online_order(c, customer_id, order_id); };
  auto [order, payment] = co_await db_.read(look);
  if (payment.gateway_order_id.empty() || payment.gateway_order_id != gateway_order_id)
    verification_failed("the payment is not for this order");
  if (!ids::is_gateway_id(payment_id) || !gateway_->checkout_signature_ok(gateway_order_id, payment_id, signature))
    verification_failed("the signature does not match");
  if (payment.state == "captured" && payment.payment_id == payment_id) {  // verified before (or reported by webhook)
    if (order.status == orders::OrderStatus::cancelled) cancelled_before_payment();
    co_return order;
  }

  // The signature proves the app saw this payment; the gateway says what it is worth.
  integrations::GatewayPayment gp;
  auto fetch = [&] { return gateway_->fetch_payment(payment_id); };
  try {
    gp = co_await call_gateway(order.id, fetch);
  } catch (const GatewayError& e) {
    if (e.kind == GatewayError::Kind::refused) verification_failed("the gateway does not know this payment");
    throw gateway_down(order.id, e);
  }
  if (gp.order_id != gateway_order_id) verification_failed("the payment is not for this order");
  if (gp.status == "authorized" && gp.amount == payment.amount && gp.currency == payment.currency &&
      order.status == orders::OrderStatus::pending) {
    // A late authorization the gateway did not capture by itself: the customer is waiting, so we do.
    bool ask_again = false;
    auto capture = [&] { return gateway_->capture(payment_id, gp.amount, gp.currency); };
    try {
      gp = co_await call_gateway(order.id, capture);
    } catch (const GatewayError& e) {
      if (e.kind != GatewayError::Kind::refused) throw gateway_down(order.id, e);
      ask_again = true;  // refused: most likely captured meanwhile; the gateway's record decides
    }
    if (ask_again) {
      try {
        gp = co_await call_gateway(order.id, fetch);
      } catch (const GatewayError& e) {
        throw gateway_down(order.id, e);
      }
    }
  }
  Effects fx;
  auto record = [&](store::Connection& c) {
    apply(c, gp, clock::now_ms(), fx);
    return *orders::find_order(c, order.id);  // as this transaction leaves it
  };
  auto after = co_await db_.transaction(record);
  after_commit(fx);
  if (fx.mismatch)
    throw ConflictError("The amount paid does not match the order; the restaurant will contact you",
                        "PAYMENT_AMOUNT_MISMATCH");
  if (gp.status == "failed") throw RefusedError("PAYMENT_FAILED", "The payment failed; please try again");
  if (after.status == orders::OrderStatus::cancelled) cancelled_before_payment();
  co_return after;
}

bool PaymentService::awaiting_payment(store::Connection& c, const orders::Order& o) const {
  if (o.payment_method != "ONLINE") return false;
  const auto p = find_payment(c, o.id);
  return p && p->state != "captured";
}

void PaymentService::request_refund(store::Connection& c, const orders::Order& o, money::Paise amount) const {
  auto p = find_payment(c, o.id, true);
  if (!p || p->state != "captured" || p->payment_id.empty())
    throw ConflictError("This order has no online payment to refund", "NOT_REFUNDABLE");
  if (amount <= 0 || amount > p->amount)
    throw ValidationError("Validation failed",
                          {{"refundAmount", "must be more than 0 and at most " + money::format_rupees(p->amount)}});
  if (find_refund_for_order(c, o.id)) throw ConflictError("This order has been refunded already", "REFUND_EXISTS");
  const auto now = clock::now_ms();
  Refund r;
  r.id = ids::new_object_id();
  r.order_id = o.id;
  r.payment_id = p->payment_id;
  r.amount = amount;
  r.next_attempt_at = now;
  r.created_at = r.updated_at = now;
  insert_refund(c, r);
}

asio::awaitable<bj::object> PaymentService::details(std::string order_id) {
  auto look = [&](store::Connection& c) {
    auto p = ids::is_object_id(order_id) ? find_payment(c, order_id) : std::nullopt;
    if (!p) throw NotFoundError("Payment");
    auto r = find_refund_for_order(c, order_id);
    return bj::object{{"payment", to_json(*p)}, {"refund", r ? bj::value(to_json(*r)) : bj::value(nullptr)}};
  };
  co_return co_await db_.read(look);
}

asio::awaitable<Payment> PaymentService::resolve_flag(std::string admin_id, std::string order_id, std::string notes) {
  auto close = [&](store::Connection& c) {
    auto p = ids::is_object_id(order_id) ? find_payment(c, order_id, true) : std::nullopt;
    if (!p) throw NotFoundError("Payment");
    if (!p->flagged()) throw ConflictError("This payment has no open flag", "NOT_FLAGGED");
    const auto now = clock::now_ms();
    p->flag_resolution = notes;
    p->flag_resolved_by = admin_id;
    p->flag_resolved_at = now;
    p->updated_at = now;
    save_payment(c, *p);
    return *p;
  };
  co_return co_await db_.transaction(close);
}

asio::awaitable<PaymentService::FlaggedPage> PaymentService::flagged(std::int64_t page, std::int64_t limit) {
  auto look = [&](store::Connection& c) {
    return FlaggedPage{flagged_payments(c, (page - 1) * limit, limit), count_flagged(c)};
  };
  co_return co_await db_.read(look);
}

// ---- the payments job ----

}  // namespace tiptop::payments
