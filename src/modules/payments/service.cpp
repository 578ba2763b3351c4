#include "modules/payments/service.hpp"

#include <boost/json/parse.hpp>
#include <random>

#include "core/blocking.hpp"
#include "core/crypto.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"
#include "core/log.hpp"
#include "modules/notifications/outbox.hpp"
#include "modules/notifications/triggers.hpp"
#include "modules/orders/events.hpp"
#include "modules/orders/repository.hpp"
#include "modules/payments/repository.hpp"

namespace tiptop::payments {
namespace asio = boost::asio;
namespace bj = boost::json;
using integrations::GatewayError;

namespace {

constexpr clock::Millis kRefundLease = 60'000;           // a refund being sent is left alone this long by other jobs
constexpr clock::Millis kEventMemory = 30LL * 86'400'000;  // Razorpay retries a webhook for a day; kept a month
constexpr std::int64_t kBatch = 50;
constexpr int kMaxCallsInFlight = 64;  // gateway calls of requests, running or queued

[[noreturn]] void cancelled_before_payment() {
  throw ConflictError("This order was cancelled before the payment arrived; the money goes back to you", "ORDER_CANCELLED");
}

[[noreturn]] void verification_failed(const std::string& why) {
  throw BadRequestError("PAYMENT_VERIFICATION_FAILED", "Payment verification failed: " + why);
}

// In [0, 1): spreads retries so several nodes' jobs do not call the gateway in step.
double jitter() {
  thread_local std::mt19937 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
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
  if (!o || o->customer_id != customer_id) throw NotFoundError("Order");
  auto p = find_payment(c, o->id);
  if (!p) throw ConflictError("This order is not paid online", "PAYMENT_NOT_DUE");
  return {std::move(*o), std::move(*p)};
}

std::string rupees(money::Paise p, const std::string& currency) { return money::format_rupees(p) + " " + currency; }

}  // namespace

// What a transaction did that others must hear of once it commits.
struct PaymentService::Effects {
  std::optional<orders::Order> order;  // its status or payment changed
  std::optional<orders::Moved> moved;  // its status changed: the lifecycle's news to send
  bool refund_queued = false;
  bool mismatch = false;  // the gateway's amount or currency is not the order's
  std::string flagged;    // a flag raised now (not one raised before)
  std::vector<notifications::Notification> told;
};

bj::object to_json(const Checkout& c) {
  return {{"gateway", kGateway},        {"keyId", c.key_id},     {"orderId", c.gateway_order_id},
          {"amount", c.amount},         {"currency", c.currency}, {"receipt", c.receipt},
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
  co_return Checkout{gateway_->key_id(), payment.gateway_order_id, payment.currency, order.order_number, payment.amount,
                     payment.expires_at};
}

asio::awaitable<bj::object> PaymentService::checkout_or_retry(std::string customer_id, std::string order_id) {
  // The order is committed whatever happens here: the placement answers 201 in every case, saying
  // why there is no checkout (a replay of a placement since paid or expired says that too).
  bj::object why;
  try {
    auto made = co_await checkout(customer_id, order_id);
    co_return to_json(made);
  } catch (const AppError& e) {
    why = {{"gateway", kGateway}, {"status", e.status() == 503 ? "unavailable" : "not-due"}, {"code", e.code()},
           {"message", e.what()}};
    if (e.status() == 503) why["retry"] = "POST /api/v1/orders/" + order_id + "/payment";
  } catch (const std::exception&) {
    // Not the gateway's answer (the database, say): the order stands all the same.
    why = {{"gateway", kGateway}, {"status", "unavailable"}, {"code", "INTERNAL_ERROR"},
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
    throw ConflictError("The amount paid does not match the order; the restaurant will contact you", "PAYMENT_AMOUNT_MISMATCH");
  if (gp.status == "failed") throw RefusedError("PAYMENT_FAILED", "The payment failed; please try again");
  if (after.status == orders::OrderStatus::cancelled) cancelled_before_payment();
  co_return after;
}

bool PaymentService::apply(store::Connection& c, const integrations::GatewayPayment& gp, clock::Millis now, Effects& fx) const {
  const auto ours = gp.order_id.empty() ? std::nullopt : find_by_gateway_order(c, gp.order_id);
  if (!ours) return false;
  // The order's lock before the payment's, as a cancellation takes them: no deadlock between the two.
  auto o = *orders::find_order(c, ours->order_id, true);
  auto p = find_payment(c, ours->order_id, true);
  if (!ids::is_gateway_id(gp.id)) return true;  // nothing to record it under
  if (gp.status == "refunded") {
    // Captured and refunded at the gateway before we heard of it (a lost webhook, a dashboard
    // refund): the money is not ours, and the order must not go to the kitchen. An admin decides.
    if (p->state != "captured") flag(c, *p, "payment " + gp.id + " was refunded at the gateway before it counted here", now, fx);
    return true;
  }
  const int rank = state_rank(gp.status);
  if (rank < 0) return true;  // "created": nothing happened yet
  if (rank == state_rank("captured")) {
    if (gp.amount != p->amount || gp.currency != p->currency) {
      fx.mismatch = true;
      flag(c, *p, "amount mismatch: the gateway took " + rupees(gp.amount, gp.currency) + " (payment " + gp.id +
                      "), the order is " + rupees(p->amount, p->currency),
           now, fx);
      return true;
    }
    if (p->state == "captured") {
      if (p->payment_id != gp.id)
        flag(c, *p, "a second payment " + gp.id + " of " + rupees(gp.amount, gp.currency) + " after " + p->payment_id +
                        ": refund it in the gateway's dashboard",
             now, fx);
      return true;
    }
    p->state = "captured";
    p->payment_id = gp.id;
    p->paid_at = now;
    p->updated_at = now;
    save_payment(c, *p);
    o.payment_status = "paid";
    o.payment_details = bj::object{{"transactionId", gp.id}, {"gateway", kGateway}, {"timestamp", clock::to_iso8601(now)}};
    o.updated_at = now;
    std::vector<notifications::Draft> drafts{notifications::payment_received_draft(o)};
    if (o.status == orders::OrderStatus::pending) {
      // Paid: now it goes to the kitchen.
      fx.moved = lifecycle_.move(c, std::move(o), {orders::OrderStatus::confirmed, orders::Mover::system, "Paid online",
                                                   std::nullopt, std::move(drafts)});
      fx.order = fx.moved->order;
      return true;
    }
    if (o.status == orders::OrderStatus::cancelled) {
      // Cancelled (or expired) before the money arrived: it goes back in full.
      if (o.cancellation.is_object()) o.cancellation.as_object()["refundAmount"] = money::to_json(p->amount);
      request_refund(c, o, p->amount);
      fx.refund_queued = true;
    }
    orders::save_status(c, o);
    fx.told = notifier_.store(c, drafts);
    fx.order = std::move(o);
    return true;
  }
  if (rank <= state_rank(p->state)) return true;  // old news: a state only moves forward
  p->state = gp.status;
  p->payment_id = gp.id;
  p->updated_at = now;
  save_payment(c, *p);
  if (gp.status == "failed") {
    if (o.payment_status == "pending") {
      o.payment_status = "failed";  // the app may try again until the order expires
      o.updated_at = now;
      orders::save_status(c, o);
      fx.order = std::move(o);
    }
  }
  return true;
}

void PaymentService::flag(store::Connection& c, Payment& p, const std::string& why, clock::Millis now, Effects& fx) const {
  if (p.flag == why) return;  // raised before (and perhaps closed since): the same news again
  p.flag = why;
  p.flag_resolution.clear();  // a new flag is open, whatever became of the last one
  p.flag_resolved_by.clear();
  p.flag_resolved_at.reset();
  p.updated_at = now;
  save_payment(c, p);
  fx.flagged = why;
  fx.order = orders::find_order(c, p.order_id);
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
    throw ValidationError("Validation failed", {{"refundAmount", "must be more than 0 and at most " + money::format_rupees(p->amount)}});
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

asio::awaitable<WebhookResult> PaymentService::webhook(std::string raw, std::string signature, std::string event_id) {
  const bool signed_now = integrations::webhook_signature_ok(raw, signature, config_.razorpay_webhook_secret);
  if (!signed_now && !integrations::webhook_signature_ok(raw, signature, config_.razorpay_webhook_secret_previous))
    throw BadRequestError("INVALID_SIGNATURE", "The webhook signature is missing or wrong");
  bj::error_code ec;
  const auto parsed = bj::parse(raw, ec);
  if (ec || !parsed.is_object()) throw BadRequestError("INVALID_JSON", "The webhook body is not a JSON object");
  const auto& body = parsed.get_object();
  const auto event = json::string_or(body, "event");
  if (event_id.empty()) event_id = "sha256:" + crypto::sha256_hex(raw);  // Razorpay sends one; a replay hashes alike
  auto entity = [&](const char* name) -> const bj::object* {
    const auto* payload = body.if_contains("payload");
    const auto* e = payload && payload->is_object() ? payload->get_object().if_contains(name) : nullptr;
    const auto* inner = e && e->is_object() ? e->get_object().if_contains("entity") : nullptr;
    return inner && inner->is_object() ? &inner->get_object() : nullptr;
  };
  WebhookResult result;
  Effects fx;
  auto record = [&](store::Connection& c) {
    if (!record_event(c, event_id, event, clock::now_ms())) {
      result.duplicate = true;
      return;
    }
    const auto now = clock::now_ms();
    if (event == "payment.authorized" || event == "payment.captured" || event == "payment.failed" || event == "order.paid") {
      if (const auto* e = entity("payment")) {
        auto gp = integrations::payment_from(*e);
        if (event == "order.paid" && gp.status.empty()) gp.status = "captured";
        result.applied = apply(c, gp, now, fx);
      }
    } else if (event.starts_with("refund.")) {
      if (const auto* e = entity("refund")) result.applied = apply_refund(c, integrations::refund_from(*e), now, fx);
    }
  };
  co_await db_.transaction(record);
  after_commit(fx);
  if (!result.duplicate && !result.applied) log::info("payment webhook ignored", {{"event", event}, {"eventId", event_id}});
  co_return result;
}

bool PaymentService::apply_refund(store::Connection& c, const integrations::GatewayRefund& gr, clock::Millis now, Effects& fx) const {
  // The webhook may come before our own call's answer was recorded: our id travels in the notes.
  auto r = gr.id.empty() ? std::nullopt : find_refund_by_gateway_id(c, gr.id, true);
  if (!r)
    if (const auto ours = json::string_or(gr.notes, "refundId"); ids::is_object_id(ours)) r = find_refund(c, ours, true);
  if (!r) return false;
  if (r->gateway_refund_id.empty() && ids::is_gateway_id(gr.id)) r->gateway_refund_id = gr.id;
  if (r->state == "processed" || r->state == "failed" || (gr.status != "processed" && gr.status != "failed")) {
    r->updated_at = now;
    save_refund(c, *r);  // the gateway id, if it was not known
    return true;
  }
  r->state = gr.status;
  r->updated_at = now;
  save_refund(c, *r);
  auto o = *orders::find_order(c, r->order_id, true);
  if (gr.status == "processed") {
    o.payment_status = "refunded";  // only on the gateway's word
    o.updated_at = now;
    orders::save_status(c, o);
    fx.told = notifier_.store(c, {notifications::refund_draft(o, r->amount)});
    fx.order = std::move(o);
  } else if (auto p = find_payment(c, r->order_id, true)) {
    flag(c, *p, "refund " + r->id + " failed at the gateway: refund by hand", now, fx);
  }
  return true;
}

void PaymentService::after_commit(const Effects& fx) {
  if (fx.moved) {
    lifecycle_.announce(*fx.moved);
    // (Only a payment confirms an order here; an expired one is cancelled, and nobody was paid.)
    if (fx.moved->order.status == orders::OrderStatus::confirmed)
      emitter_.emit("admin", "admin:payment-received",
                    {{"orderId", fx.order->id}, {"orderNumber", fx.order->order_number},
                     {"amount", money::to_json(fx.order->pricing.final_amount)}});
  }
  if (fx.order && !fx.flagged.empty()) {
    log::warn("payment flagged for an admin", {{"orderId", fx.order->id}, {"flag", fx.flagged}});
    emitter_.emit("admin", "admin:payment-flagged",
                  {{"orderId", fx.order->id}, {"orderNumber", fx.order->order_number}, {"flag", fx.flagged}});
  }
  notifier_.publish(fx.told);
  if (fx.refund_queued) wake();
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
  auto look = [&](store::Connection& c) { return FlaggedPage{flagged_payments(c, (page - 1) * limit, limit), count_flagged(c)}; };
  co_return co_await db_.read(look);
}

// ---- the payments job ----

void PaymentService::start() {
  if (!gateway_ || thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void PaymentService::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  closing_ = true;
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
  calls_.join();
}

void PaymentService::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  cv_.notify_all();
}

void PaymentService::loop() {
  for (;;) {
    try {
      run_once(clock::now_ms());
    } catch (const std::exception& e) {
      log::warn("payments job failed; trying again", {{"error", e.what()}});
    }
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, config_.payment_sweep_interval, [this] { return woken_ || stopping_; });
    woken_ = false;
    if (stopping_) return;
  }
}

int PaymentService::run_once(clock::Millis now) {
  // Each part on its own: a failure in one (the database busy, say) never holds up the other.
  int acted = 0;
  try {
    acted += expire_unpaid(now);
  } catch (const std::exception& e) {
    log::warn("payments job: expiry failed; trying again", {{"error", e.what()}});
  }
  try {
    acted += send_refunds();
  } catch (const std::exception& e) {
    log::warn("payments job: refunds failed; trying again", {{"error", e.what()}});
  }
  auto prune = [&](store::Connection& c) { prune_events(c, now - kEventMemory); };
  db_.transaction_sync(prune);
  return acted;
}

bool PaymentService::stopping() {
  std::lock_guard lock(mutex_);
  return stopping_;
}

int PaymentService::expire_unpaid(clock::Millis now) {
  auto due_of = [&](store::Connection& c) { return expired_unpaid(c, now, kBatch); };
  const auto due = db_.read_sync(due_of);
  int acted = 0;
  for (const auto& p : due) {
    if (stopping()) break;
    // A webhook may have been lost: the gateway is asked before the order is given up.
    std::vector<integrations::GatewayPayment> seen;
    std::string doubt;  // why the gateway's answer cannot settle the order: an admin decides
    if (!p.gateway_order_id.empty()) {
      try {
        seen = gateway_->order_payments(p.gateway_order_id);
      } catch (const GatewayError& e) {
        if (e.kind != GatewayError::Kind::refused) {
          log::warn("payments job: the gateway does not answer; expiry waits for the next pass",
                    {{"orderId", p.order_id}, {"error", e.what()}});
          break;  // every other order would wait as long
        }
        // 400 is Razorpay's "the id does not exist": nobody can have paid it. Anything else (a
        // 404 from a wrong RAZORPAY_BASE_URL, say) proves nothing.
        if (e.status != 400) doubt = std::string("the gateway would not list this order's payments: ") + e.what();
      }
      // A late authorization the gateway did not capture by itself: ours to capture while the
      // order waits, rather than cancel it with the customer's money held.
      for (auto& gp : seen) {
        if (gp.status != "authorized" || gp.amount != p.amount || gp.currency != p.currency) continue;
        try {
          gp = gateway_->capture(gp.id, gp.amount, gp.currency);
        } catch (const GatewayError& e) {
          doubt = "authorized payment " + gp.id + " could not be captured: " + e.what();
        }
      }
    }
    Effects fx;
    auto settle = [&](store::Connection& c) {
      const auto at = clock::now_ms();
      for (const auto& gp : seen)
        if (gp.status == "captured" || gp.status == "refunded") apply(c, gp, at, fx);
      auto o = *orders::find_order(c, p.order_id, true);
      auto current = find_payment(c, p.order_id, true);
      if (o.status != orders::OrderStatus::pending || current->state == "captured" || current->flagged()) return;
      // Doubt flags it for an admin; once an admin has closed that very flag, the order expires.
      if (!doubt.empty() && !(current->flag == doubt && current->flag_resolved_at)) return flag(c, *current, doubt, at, fx);
      o.payment_status = "failed";
      fx.moved = lifecycle_.move(c, std::move(o), {orders::OrderStatus::cancelled, orders::Mover::system,
                                                   "Payment not received in time"});
      fx.order = fx.moved->order;
    };
    try {
      db_.transaction_sync(settle);
    } catch (const std::exception& e) {
      log::warn("payments job: could not settle an expired order", {{"orderId", p.order_id}, {"error", e.what()}});
      continue;
    }
    after_commit(fx);
    ++acted;
  }
  return acted;
}

int PaymentService::send_refunds() {
  auto due_of = [&](store::Connection& c) { return due_refunds(c, clock::now_ms(), kBatch); };
  const auto due = db_.read_sync(due_of);
  int acted = 0;
  for (const auto& r : due) {
    if (stopping()) break;
    // The lease counts from now, not from the start of the pass: gateway calls take time.
    auto claim = [&](store::Connection& c) { return claim_refund(c, r, clock::now_ms() + kRefundLease); };
    try {
      if (!db_.transaction_sync(claim)) continue;  // another node's job has it
      send_refund(r);
    } catch (const std::exception& e) {
      log::warn("payments job: refund not recorded; its lease runs out and it is tried again",
                {{"refundId", r.id}, {"error", e.what()}});
      continue;
    }
    ++acted;
  }
  return acted;
}

void PaymentService::send_refund(const Refund& r) {
  integrations::GatewayRefund answer;
  std::optional<GatewayError> error;
  try {
    if (r.state == "requested") {
      const bj::object notes{{"orderId", r.order_id}, {"refundId", r.id}};
      answer = gateway_->refund(r.payment_id, r.amount, r.id, notes);  // same key and body on every attempt
    } else {
      answer = gateway_->fetch_refund(r.payment_id, r.gateway_refund_id);
    }
    if (!ids::is_gateway_id(answer.id)) error.emplace(GatewayError::Kind::unavailable, "Razorpay: a refund without a valid id");
  } catch (const GatewayError& e) {
    error = e;
  }
  Effects fx;
  // Decided on the row as it is now, under its lock: a webhook may have settled it meanwhile.
  auto record = [&](store::Connection& c) {
    const auto now = clock::now_ms();
    auto current = *find_refund(c, r.id, true);
    if (current.state != "requested" && current.state != "pending") return;  // settled by a webhook
    ++current.attempts;
    current.updated_at = now;
    // Asked again later, less and less often (refunds at normal speed take days), spread over nodes.
    current.next_attempt_at = now + notifications::OutboxWorker::backoff(config_.payment_sweep_interval.count(),
                                                                         current.attempts, jitter());
    if (error) {
      current.last_error = error->what();
      if (error->kind == GatewayError::Kind::refused) {
        current.state = "failed";  // the same request will be refused again: an admin decides
        save_refund(c, current);
        orders::find_order(c, current.order_id, true);  // takes the order's lock before the payment's, as everywhere
        if (auto p = find_payment(c, current.order_id, true))
          flag(c, *p, "refund " + current.id + " refused: " + error->what(), now, fx);
        return;
      }
      save_refund(c, current);
      return;
    }
    if (current.gateway_refund_id.empty()) current.gateway_refund_id = answer.id;
    if (current.state == "requested") current.state = "pending";
    current.last_error.clear();
    save_refund(c, current);
    if (answer.status == "processed" || answer.status == "failed") {
      if (answer.notes.empty()) answer.notes = bj::object{{"refundId", r.id}};
      apply_refund(c, answer, now, fx);
    }
  };
  db_.transaction_sync(record);
  after_commit(fx);
  if (error) log::warn("refund not sent", {{"refundId", r.id}, {"error", error->what()}});
}

}  // namespace tiptop::payments
