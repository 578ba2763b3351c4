#include "modules/orders/model.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "core/json.hpp"

namespace tiptop::orders {
namespace bj = boost::json;
namespace {

bj::value ms(const std::optional<clock::Millis>& t) {
  return t ? bj::value(clock::to_iso8601(*t)) : bj::value(nullptr);
}
bj::value paise(const std::optional<money::Paise>& p) { return p ? money::to_json(*p) : bj::value(nullptr); }

}  // namespace

bj::object pricing_json(const Pricing& p, const std::string& promo_code) {
  return {{"itemsTotal", money::to_json(p.items_total)},
          {"deliveryFee", money::to_json(p.delivery_fee)},
          {"tax", money::to_json(p.tax)},
          {"discount", money::to_json(p.discount)},
          {"promoCode", promo_code.empty() ? bj::value(nullptr) : bj::value(promo_code)},
          {"tip", money::to_json(p.tip)},
          {"finalAmount", money::to_json(p.final_amount)}};
}

bool is_tracking_token(std::string_view token) {
  return token.size() == 48 && std::all_of(token.begin(), token.end(), [](char ch) {
           return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f');
         });
}

std::string upi_link(const std::string& upi_id, const std::string& payee, money::Paise amount,
                     const std::string& order_number) {
  // RFC 3986 percent-encoding of everything but the unreserved characters ('@' kept in the id).
  const auto escape = [](std::string_view s, bool keep_at) {
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (unsigned char c : s) {
      if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || (keep_at && c == '@')) {
        out += static_cast<char>(c);
      } else {
        out += '%';
        out += kHex[c >> 4];
        out += kHex[c & 15];
      }
    }
    return out;
  };
  return "upi://pay?pa=" + escape(upi_id, true) + "&pn=" + escape(payee, false) +
         "&am=" + money::format_rupees(amount) + "&tn=" + escape(order_number, false) + "&cu=INR";
}

bj::object to_json(const Order& o) {
  bj::array history;
  for (const auto& h : o.history)
    history.push_back(bj::object{{"status", to_string(h.status)},
                                 {"timestamp", clock::to_iso8601(h.at)},
                                 {"updatedBy", h.updated_by},
                                 {"notes", h.notes.empty() ? bj::value(nullptr) : bj::value(h.notes)}});
  bj::object out{{"_id", o.id},
                 {"orderNumber", o.order_number},
                 {"customer", o.customer},
                 {"items", o.items},
                 {"pricing", pricing_json(o.pricing, o.promo_code)},
                 {"deliveryAddress", o.delivery_address},
                 {"deliveryPartner", o.delivery_partner},
                 {"assignedAt", ms(o.assigned_at)},
                 {"pickedUpAt", ms(o.picked_up_at)},
                 {"status", to_string(o.status)},
                 {"statusHistory", std::move(history)},
                 {"orderType", o.order_type},
                 {"paymentMethod", o.payment_method},
                 {"paymentStatus", o.payment_status},
                 {"paymentDetails", o.payment_details},
                 {"cashCollection", o.cash_expected
                                        ? bj::value(bj::object{{"expected", paise(o.cash_expected)},
                                                               {"collected", paise(o.cash_collected)},
                                                               {"collectedAt", ms(o.cash_collected_at)},
                                                               {"isSettled", o.cash_settled},
                                                               {"paidBy", json::string_or_null(o.paid_at_door_by)},
                                                               {"upiReference", json::string_or_null(o.upi_reference)}})
                                        : bj::value(nullptr)},
                 {"upiLink", json::string_or_null(o.upi_link)},
                 {"doorTip", money::to_json(o.door_tip)},
                 {"estimatedDeliveryTime", ms(o.estimated_delivery_at)},
                 {"actualDeliveryTime", ms(o.actual_delivery_at)},
                 {"rating", o.rating},
                 {"cancellation", o.cancellation},
                 {"createdAt", clock::to_iso8601(o.created_at)},
                 {"updatedAt", clock::to_iso8601(o.updated_at)}};
  return out;
}

bj::object approximate_area(const bj::object& a) {
  bj::value point = nullptr;
  const auto* c = a.if_contains("coordinates");
  const bj::array* pair = nullptr;
  if (c && c->is_object())
    if (const auto* inner = c->get_object().if_contains("coordinates"); inner && inner->is_array())
      pair = &inner->get_array();
  if (pair && pair->size() == 2 && (*pair)[0].is_number() && (*pair)[1].is_number()) {
    auto round2 = [](const bj::value& v) { return std::round(v.to_number<double>() * 100) / 100; };
    point = bj::object{{"type", "Point"}, {"coordinates", bj::array{round2((*pair)[0]), round2((*pair)[1])}}};
  }
  return {{"city", a.contains("city") ? a.at("city") : bj::value(nullptr)}, {"coordinates", std::move(point)}};
}

bj::object partner_view(const Order& o) {
  auto out = to_json(o);
  auto& customer = out["customer"].as_object();
  customer.erase("email");
  if (!is_active(o.status)) {
    customer.erase("phone");
    // The area stays (for the partner's own history); the door does not.
    const auto& a = o.delivery_address;
    out["deliveryAddress"] = bj::object{{"city", a.contains("city") ? a.at("city") : bj::value(nullptr)}};
  }
  out.erase("paymentDetails");
  return out;
}

void mark_cancelled(Order& o, const std::string& by, const std::string& reason, money::Paise refund,
                    clock::Millis now) {
  o.status = OrderStatus::cancelled;
  o.updated_at = now;
  o.cancellation = bj::object{{"reason", reason},
                              {"cancelledBy", by},
                              {"refundAmount", money::to_json(refund)},
                              {"timestamp", clock::to_iso8601(now)}};
  o.history.push_back({OrderStatus::cancelled, now, by, reason});
}

}  // namespace tiptop::orders
