#pragma once
// Razorpay's REST API (Orders, Payments, Refunds) and its two signatures. Blocking, like every
// provider call (integrations/http_client.hpp): callers run it on a worker thread. Amounts are in
// paise, as Razorpay counts them.
#include <boost/json/object.hpp>
#include <chrono>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tiptop::integrations {

struct RazorpaySettings {
  std::string key_id, key_secret;
  std::string base_url = "https://api.razorpay.com";
  std::chrono::milliseconds timeout{10'000};
};

struct GatewayError : std::runtime_error {
  enum class Kind {
    unavailable,  // no answer, a timeout, 429 or 5xx: the call may or may not have acted; try later
    refused,      // a 4xx the same request will always get (bad amount, already refunded…)
    in_progress,  // 409: the same idempotent request is still being processed
  };
  GatewayError(Kind k, const std::string& what, long http_status = 0)
      : std::runtime_error(what), kind(k), status(http_status) {}
  Kind kind;
  long status;  // the HTTP status when the gateway answered one, else 0
};

struct GatewayOrder {
  std::string id, currency, status, receipt;
  std::int64_t amount = 0;
};

struct GatewayPayment {
  std::string id, order_id, currency, status;  // status: created, authorized, captured, refunded, failed
  std::int64_t amount = 0;
};

struct GatewayRefund {
  std::string id, payment_id, status;  // status: pending, processed, failed
  std::int64_t amount = 0;
  boost::json::object notes;
};

GatewayPayment payment_from(const boost::json::object& entity);
GatewayRefund refund_from(const boost::json::object& entity);

// The bodies of POST /v1/orders and POST /v1/payments/:id/refund. Printed by json::serialize, like
// every JSON we send: a number in notes reads 992.25, never Boost's 9.9225E2.
std::string order_request_body(std::int64_t amount, const std::string& currency, const std::string& receipt,
                               const boost::json::object& notes);
std::string refund_request_body(std::int64_t amount, const std::string& idempotency_key,
                                const boost::json::object& notes);

class Razorpay {
 public:
  explicit Razorpay(RazorpaySettings s);
  const std::string& key_id() const { return s_.key_id; }

  // POST /v1/orders, captured automatically once authorized (payment_capture: true, whatever the
  // dashboard says). Never retried here: a second call would make a second gateway order.
  GatewayOrder create_order(std::int64_t amount, const std::string& currency, const std::string& receipt,
                            const boost::json::object& notes) const;
  // POST /v1/payments/:id/capture: an authorized payment becomes captured. Not retried here; a
  // second capture of a captured payment is refused (GatewayError refused), never doubled.
  GatewayPayment capture(const std::string& payment_id, std::int64_t amount, const std::string& currency) const;
  // GETs: retried once when the gateway does not answer.
  GatewayPayment fetch_payment(const std::string& payment_id) const;
  std::vector<GatewayPayment> order_payments(const std::string& gateway_order_id) const;
  GatewayRefund fetch_refund(const std::string& payment_id, const std::string& refund_id) const;
  // POST /v1/payments/:id/refund with X-Refund-Idempotency: the same key and body may be sent
  // again after a lost answer and never refund twice; retried once here for that reason.
  GatewayRefund refund(const std::string& payment_id, std::int64_t amount, const std::string& idempotency_key,
                       const boost::json::object& notes) const;

  // Checkout's razorpay_signature: hex HMAC-SHA256 of "order_id|payment_id" under the key secret.
  bool checkout_signature_ok(const std::string& gateway_order_id, const std::string& payment_id,
                             std::string_view signature) const;

 private:
  boost::json::object call(const std::string& method, const std::string& path, const std::string& body,
                           std::vector<std::string> headers, bool retry_when_unanswered) const;
  RazorpaySettings s_;
};

// X-Razorpay-Signature: hex HMAC-SHA256 of the raw body under the webhook secret (constant time).
bool webhook_signature_ok(std::string_view raw_body, std::string_view signature, std::string_view secret);

}  // namespace tiptop::integrations
