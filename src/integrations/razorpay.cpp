#include "integrations/razorpay.hpp"

#include <boost/json/parse.hpp>

#include "core/crypto.hpp"
#include "core/json.hpp"
#include "integrations/http_client.hpp"

namespace tiptop::integrations {
namespace bj = boost::json;
namespace {

bool hex_hmac_matches(std::string_view secret, std::string_view data, std::string_view signature) {
  return crypto::constant_time_equal(crypto::to_hex(crypto::hmac_sha256(secret, data)), signature);
}

}  // namespace

GatewayPayment payment_from(const bj::object& e) {
  return {json::string_or(e, "id"), json::string_or(e, "order_id"), json::string_or(e, "currency"),
          json::string_or(e, "status"), json::int_or(e, "amount", 0)};
}

GatewayRefund refund_from(const bj::object& e) {
  GatewayRefund r{json::string_or(e, "id"),
                  json::string_or(e, "payment_id"),
                  json::string_or(e, "status"),
                  json::int_or(e, "amount", 0),
                  {}};
  if (const auto* n = e.if_contains("notes"); n && n->is_object()) r.notes = n->get_object();
  return r;
}

std::string order_request_body(std::int64_t amount, const std::string& currency, const std::string& receipt,
                               const bj::object& notes) {
  return json::serialize(bj::object{
      {"amount", amount}, {"currency", currency}, {"receipt", receipt}, {"notes", notes}, {"payment_capture", true}});
}

std::string refund_request_body(std::int64_t amount, const std::string& idempotency_key, const bj::object& notes) {
  return json::serialize(
      bj::object{{"amount", amount}, {"speed", "normal"}, {"receipt", idempotency_key}, {"notes", notes}});
}

Razorpay::Razorpay(RazorpaySettings s) : s_(std::move(s)) {
  while (!s_.base_url.empty() && s_.base_url.back() == '/') s_.base_url.pop_back();
}

bj::object Razorpay::call(const std::string& method, const std::string& path, const std::string& body,
                          std::vector<std::string> headers, bool retry_when_unanswered) const {
  headers.emplace_back("Accept: application/json");
  if (!body.empty()) headers.emplace_back("Content-Type: application/json");
  const HttpCall request{.method = method,
                         .url = s_.base_url + path,
                         .headers = std::move(headers),
                         .body = body,
                         .userpwd = s_.key_id + ":" + s_.key_secret,
                         .timeout = s_.timeout};
  for (int attempt = 1;; ++attempt) {
    std::string unanswered;
    try {
      const auto reply = http_send(request);
      bj::error_code ec;
      const auto parsed = bj::parse(reply.body, ec);
      const auto* obj = ec ? nullptr : parsed.if_object();
      if (reply.status >= 200 && reply.status < 300) {
        if (!obj) throw GatewayError(GatewayError::Kind::unavailable, "Razorpay: an answer that is not a JSON object");
        return *obj;
      }
      std::string detail = "HTTP " + std::to_string(reply.status);
      if (const auto* err = obj ? obj->if_contains("error") : nullptr; err && err->is_object())
        if (auto d = json::string_or(err->get_object(), "description"); !d.empty()) detail += ": " + d;
      if (reply.status == 409) throw GatewayError(GatewayError::Kind::in_progress, "Razorpay: " + detail, reply.status);
      // Our credentials refused (401, 403) is fixed by an operator, not by giving up on the request.
      const bool ours_to_fix = reply.status == 401 || reply.status == 403 || reply.status == 429;
      if (reply.status < 500 && !ours_to_fix)
        throw GatewayError(GatewayError::Kind::refused, "Razorpay: " + detail, reply.status);
      unanswered = detail;
    } catch (const TransportError& e) {
      unanswered = e.what();
    }
    if (!retry_when_unanswered || attempt >= 2)
      throw GatewayError(GatewayError::Kind::unavailable, "Razorpay: " + unanswered);
  }
}

GatewayOrder Razorpay::create_order(std::int64_t amount, const std::string& currency, const std::string& receipt,
                                    const bj::object& notes) const {
  const auto o = call("POST", "/v1/orders", order_request_body(amount, currency, receipt, notes), {}, false);
  GatewayOrder out{json::string_or(o, "id"), json::string_or(o, "currency"), json::string_or(o, "status"),
                   json::string_or(o, "receipt"), json::int_or(o, "amount", 0)};
  if (out.id.empty()) throw GatewayError(GatewayError::Kind::unavailable, "Razorpay: an order without an id");
  return out;
}

GatewayPayment Razorpay::capture(const std::string& payment_id, std::int64_t amount,
                                 const std::string& currency) const {
  const auto body = json::serialize(bj::object{{"amount", amount}, {"currency", currency}});
  return payment_from(call("POST", "/v1/payments/" + payment_id + "/capture", body, {}, false));
}

GatewayPayment Razorpay::fetch_payment(const std::string& payment_id) const {
  return payment_from(call("GET", "/v1/payments/" + payment_id, "", {}, true));
}

std::vector<GatewayPayment> Razorpay::order_payments(const std::string& gateway_order_id) const {
  const auto page = call("GET", "/v1/orders/" + gateway_order_id + "/payments", "", {}, true);
  std::vector<GatewayPayment> out;
  if (const auto* items = page.if_contains("items"); items && items->is_array())
    for (const auto& p : items->get_array())
      if (p.is_object()) out.push_back(payment_from(p.get_object()));
  return out;
}

GatewayRefund Razorpay::fetch_refund(const std::string& payment_id, const std::string& refund_id) const {
  return refund_from(call("GET", "/v1/payments/" + payment_id + "/refunds/" + refund_id, "", {}, true));
}

GatewayRefund Razorpay::refund(const std::string& payment_id, std::int64_t amount, const std::string& idempotency_key,
                               const bj::object& notes) const {
  return refund_from(call("POST", "/v1/payments/" + payment_id + "/refund",
                          refund_request_body(amount, idempotency_key, notes),
                          {"X-Refund-Idempotency: " + idempotency_key}, true));
}

bool Razorpay::checkout_signature_ok(const std::string& gateway_order_id, const std::string& payment_id,
                                     std::string_view signature) const {
  return hex_hmac_matches(s_.key_secret, gateway_order_id + "|" + payment_id, signature);
}

bool webhook_signature_ok(std::string_view raw_body, std::string_view signature, std::string_view secret) {
  return !secret.empty() && hex_hmac_matches(secret, raw_body, signature);
}

}  // namespace tiptop::integrations
