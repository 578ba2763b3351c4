// The payments job: online orders unpaid past their expiry are cancelled (after asking the gateway
// whether money arrived that no webhook reported), refunds are sent and confirmed.
#include "core/json.hpp"
#include "modules/notifications/outbox.hpp"
#include "modules/payments/internal.hpp"

namespace tiptop::payments {
namespace asio = boost::asio;
namespace bj = boost::json;
using integrations::GatewayError;
using namespace detail;

namespace {

// In [0, 1): spreads retries so several nodes' jobs do not call the gateway in step.
double jitter() {
  thread_local std::mt19937 rng{std::random_device{}()};
  return std::uniform_real_distribution<double>(0.0, 1.0)(rng);
}

}  // namespace

void PaymentService::start() {
  if (gateway_) job_.start();
}

void PaymentService::stop() {
  closing_ = true;
  job_.stop();
  calls_.join();
}

void PaymentService::wake() { job_.wake(); }

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

bool PaymentService::stopping() { return job_.stopping(); }

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
      if (!doubt.empty() && !(current->flag == doubt && current->flag_resolved_at))
        return flag(c, *current, doubt, at, fx);
      o.payment_status = "failed";
      fx.moved = lifecycle_.move(c, std::move(o),
                                 {orders::OrderStatus::cancelled,
                                  orders::Mover::system,
                                  "Payment not received in time",
                                  std::nullopt,
                                  {},
                                  at});
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
    if (!ids::is_gateway_id(answer.id))
      error.emplace(GatewayError::Kind::unavailable, "Razorpay: a refund without a valid id");
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
    current.next_attempt_at =
        now + notifications::OutboxWorker::backoff(config_.payment_sweep_interval.count(), current.attempts, jitter());
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
