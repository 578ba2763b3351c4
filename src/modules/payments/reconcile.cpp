// What the gateway says of a payment or a refund (checkout verification, webhooks, the job's
// questions), applied in the caller's transaction; and what others hear once it commits.
#include <boost/json/parse.hpp>

#include "core/crypto.hpp"
#include "core/json.hpp"
#include "modules/notifications/triggers.hpp"
#include "modules/payments/internal.hpp"

namespace tiptop::payments {
namespace asio = boost::asio;
namespace bj = boost::json;
using integrations::GatewayError;
using namespace detail;

bool PaymentService::apply(store::Connection& c, const integrations::GatewayPayment& gp, clock::Millis now,
                           Effects& fx) const {
  const auto ours = gp.order_id.empty() ? std::nullopt : find_by_gateway_order(c, gp.order_id);
  if (!ours) return false;
  // The order's lock before the payment's, as a cancellation takes them: no deadlock between the two.
  auto o = *orders::find_order(c, ours->order_id, true);
  auto p = find_payment(c, ours->order_id, true);
  if (!ids::is_gateway_id(gp.id)) return true;  // nothing to record it under
  if (gp.status == "refunded") {
    // Captured and refunded at the gateway before we heard of it (a lost webhook, a dashboard
    // refund): the money is not ours, and the order must not go to the kitchen. An admin decides.
    if (p->state != "captured")
      flag(c, *p, "payment " + gp.id + " was refunded at the gateway before it counted here", now, fx);
    return true;
  }
  const int rank = state_rank(gp.status);
  if (rank < 0) return true;  // "created": nothing happened yet
  if (rank == state_rank("captured")) {
    if (gp.amount != p->amount || gp.currency != p->currency) {
      fx.mismatch = true;
      flag(c, *p,
           "amount mismatch: the gateway took " + rupees(gp.amount, gp.currency) + " (payment " + gp.id +
               "), the order is " + rupees(p->amount, p->currency),
           now, fx);
      return true;
    }
    if (p->state == "captured") {
      if (p->payment_id != gp.id)
        flag(c, *p,
             "a second payment " + gp.id + " of " + rupees(gp.amount, gp.currency) + " after " + p->payment_id +
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
    o.payment_details =
        bj::object{{"transactionId", gp.id}, {"gateway", kGateway}, {"timestamp", clock::to_iso8601(now)}};
    o.updated_at = now;
    std::vector<notifications::Draft> drafts{notifications::payment_received_draft(o)};
    if (o.status == orders::OrderStatus::pending) {
      // Paid: now it goes to the kitchen.
      fx.moved = lifecycle_.move(
          c, std::move(o),
          {orders::OrderStatus::confirmed, orders::Mover::system, "Paid online", std::nullopt, std::move(drafts), now});
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

void PaymentService::flag(store::Connection& c, Payment& p, const std::string& why, clock::Millis now,
                          Effects& fx) const {
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
    if (event == "payment.authorized" || event == "payment.captured" || event == "payment.failed" ||
        event == "order.paid") {
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
  if (!result.duplicate && !result.applied)
    log::info("payment webhook ignored", {{"event", event}, {"eventId", event_id}});
  co_return result;
}

bool PaymentService::apply_refund(store::Connection& c, const integrations::GatewayRefund& gr, clock::Millis now,
                                  Effects& fx) const {
  // The webhook may come before our own call's answer was recorded: our id travels in the notes.
  auto r = gr.id.empty() ? std::nullopt : find_refund_by_gateway_id(c, gr.id, true);
  if (!r)
    if (const auto ours = json::string_or(gr.notes, "refundId"); ids::is_object_id(ours))
      r = find_refund(c, ours, true);
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
                    {{"orderId", fx.order->id},
                     {"orderNumber", fx.order->order_number},
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

}  // namespace tiptop::payments
