#include "modules/notifications/triggers.hpp"

#include "modules/users/repository.hpp"

namespace tiptop::notifications {
namespace bj = boost::json;
namespace {

constexpr clock::Millis kHour = 3'600'000;
constexpr clock::Millis kOrderNewsLifetime = 30 * 24 * kHour;
constexpr clock::Millis kOpenOrderLifetime = kHour;  // by then someone has it, or the kitchen calls

Draft about(const orders::Order& o, const std::string& recipient, std::string type, std::string title,
            std::string message) {
  Draft d;
  d.recipient_id = recipient;
  d.type = std::move(type);
  d.title = std::move(title);
  d.message = std::move(message);
  d.data = {{"orderId", o.id}, {"orderNumber", o.order_number}, {"status", orders::to_string(o.status)}};
  d.related_order_id = o.id;
  d.expires_at = clock::now_ms() + kOrderNewsLifetime;
  return d;
}

std::string partner_name(const orders::Order& o) {
  const auto* p = o.delivery_partner.if_object();
  const auto* name = p ? p->if_contains("name") : nullptr;
  return name && name->is_string() ? std::string(name->get_string()) : std::string();
}

std::string cancellation_reason(const orders::Order& o) {
  const auto* c = o.cancellation.if_object();
  const auto* r = c ? c->if_contains("reason") : nullptr;
  return r && r->is_string() ? std::string(r->get_string()) : std::string();
}

}  // namespace

std::vector<Draft> order_status_drafts(const orders::Order& o) {
  const auto& n = o.order_number;
  const auto amount = "₹" + money::format_rupees(o.pricing.final_amount);
  std::vector<Draft> out;
  auto customer = [&](std::string title, std::string message, std::string priority, Channels ch) {
    if (o.customer_id.empty()) return;  // a walk-in or a guest at the counter: no account to tell
    auto d = about(o, o.customer_id, "order_update", std::move(title), std::move(message));
    d.priority = std::move(priority);
    d.channels = ch;
    out.push_back(std::move(d));
  };
  if (o.status == orders::OrderStatus::pending) {
    // In the app and by push only: the receipt is mailed on delivery, once the bill is final.
    customer("Order placed", "We have received order " + n + " (" + amount + "). The kitchen will confirm it shortly.",
             "medium", {.push = true});
  } else if (o.status == orders::OrderStatus::confirmed) {
    customer("Order confirmed", "The kitchen has accepted order " + n + " and is getting it ready.", "medium",
             {.push = true});
  } else if (o.status == orders::OrderStatus::ready && o.order_type == "takeaway") {
    customer("Ready for pick-up", "Order " + n + " is ready: collect it at the counter (" + amount + ").", "high",
             {.push = true, .sms = true});
  } else if (o.status == orders::OrderStatus::out_for_delivery) {
    const auto who = partner_name(o);
    customer("On the way", "Order " + n + " is out for delivery" + (who.empty() ? "" : " with " + who) + ".", "high",
             {.push = true, .sms = true});
  } else if (o.status == orders::OrderStatus::delivered) {
    customer(o.order_type == "takeaway" ? "Collected" : "Delivered",
             "Order " + n + (o.order_type == "takeaway" ? " was collected at the counter" : " has been delivered") +
                 ". Enjoy your meal!",
             "medium", {.push = true, .email = true});
    if (o.cash_collected) out.push_back(payment_received_draft(o));
  } else if (o.status == orders::OrderStatus::cancelled) {
    const auto reason = cancellation_reason(o);
    customer("Order cancelled", "Order " + n + " has been cancelled" + (reason.empty() ? "." : ": " + reason), "high",
             {.push = true, .sms = true, .email = true});
    if (!o.delivery_partner_id.empty()) {
      auto d = about(o, o.delivery_partner_id, "order_update", "Delivery cancelled",
                     "Order " + n + " was cancelled; do not pick it up.");
      d.priority = "high";
      d.channels = {.push = true};
      out.push_back(std::move(d));
    }
  }
  return out;
}

std::vector<Draft> assignment_drafts(const orders::Order& o) {
  if (o.delivery_partner_id.empty()) return {};
  const auto* city = o.delivery_address.if_contains("city");
  auto d = about(o, o.delivery_partner_id, "delivery_assigned", "New delivery assigned",
                 "Order " + o.order_number + " is yours" +
                     (city && city->is_string() ? " (" + std::string(city->get_string()) + ")" : std::string()) + ".");
  d.priority = "high";
  d.channels = {.push = true};
  d.expires_at = clock::now_ms() + 24 * kHour;
  return {std::move(d)};
}

std::vector<Draft> open_order_drafts(store::Connection& c, const orders::Order& o) {
  if (!o.delivery_partner_id.empty() || o.status != orders::OrderStatus::ready || o.order_type == "takeaway") return {};
  std::vector<Draft> out;
  for (const auto& partner_id : users::available_partner_ids(c)) {
    // Like the delivery:new-order broadcast: the order and its area, never the customer.
    auto d = about(o, partner_id, "new_order_available", "Order ready for pick-up",
                   "Order " + o.order_number + " (" + "₹" + money::format_rupees(o.pricing.final_amount) + ", " +
                       o.payment_method + ") is waiting for a partner.");
    d.priority = "high";
    d.channels = {.push = true};
    d.expires_at = clock::now_ms() + kOpenOrderLifetime;
    out.push_back(std::move(d));
  }
  return out;
}

Draft payment_received_draft(const orders::Order& o) {
  const auto paid = o.cash_collected ? *o.cash_collected : o.pricing.final_amount;
  auto d = about(o, o.customer_id, "payment_received", "Payment received",
                 "We have received ₹" + money::format_rupees(paid) + " for order " + o.order_number + ". Thank you!");
  d.data["amount"] = money::to_json(paid);
  d.data["paymentMethod"] = o.payment_method;
  d.channels = {.push = true, .email = true};
  return d;
}

Draft refund_draft(const orders::Order& o, money::Paise amount) {
  auto d = about(o, o.customer_id, "order_update", "Refund processed",
                 "We have refunded ₹" + money::format_rupees(amount) + " for order " + o.order_number +
                     ". Your bank may take a few days to show it.");
  d.data["amount"] = money::to_json(amount);
  d.channels = {.push = true, .email = true};
  return d;
}

Draft password_reset_draft(const std::string& user_id, const std::string& code, clock::Millis expires_at) {
  Draft d;
  d.recipient_id = user_id;
  d.type = "password_reset";
  d.title = "Password reset requested";
  d.message = "A password reset was requested for your account. If it was not you, you can ignore the e-mail.";
  d.priority = "urgent";
  d.channels = {.email = true};
  d.expires_at = expires_at;
  d.email_subject = "Reset your TipTop password";
  d.email_body = "Use this code within one hour to choose a new password: " + code +
                 "\nIf you did not ask for it, ignore this e-mail.";
  d.email_is_secret = true;
  return d;
}

Draft email_changed_draft(const std::string& user_id, const std::string& old_email, const std::string& new_email) {
  Draft d;
  d.recipient_id = user_id;
  d.type = "account_email_changed";
  d.title = "Your e-mail address was changed";
  d.message = "The e-mail address of your TipTop account was changed.";
  d.priority = "high";
  d.channels = {.email = true};
  d.email_to = old_email;
  d.email_subject = "Your TipTop e-mail address was changed";
  d.email_body = "The e-mail address of your TipTop account was changed from this address to " + new_email +
                 ".\nIf you did not do this, reply to this e-mail or call the restaurant at once.";
  return d;
}

}  // namespace tiptop::notifications
