#include "modules/payments/model.hpp"

#include <array>
#include <string_view>

#include "core/json.hpp"

namespace tiptop::payments {
namespace bj = boost::json;

int state_rank(const std::string& state) {
  static constexpr std::array<std::string_view, 4> kOrder = {"created", "failed", "authorized", "captured"};
  for (std::size_t i = 0; i < kOrder.size(); ++i)
    if (kOrder[i] == state) return static_cast<int>(i);
  return -1;
}

bj::object to_json(const Payment& p) {
  return {{"orderId", p.order_id},
          {"gateway", p.gateway},
          {"gatewayOrderId", json::string_or_null(p.gateway_order_id)},
          {"amount", money::to_json(p.amount)},
          {"currency", p.currency},
          {"state", p.state},
          {"paymentId", json::string_or_null(p.payment_id)},
          {"paidAt", p.paid_at ? bj::value(clock::to_iso8601(*p.paid_at)) : bj::value(nullptr)},
          {"flag", json::string_or_null(p.flag)},
          {"flagResolution", p.flag_resolved_at
                                 ? bj::value(bj::object{{"notes", p.flag_resolution},
                                                        {"resolvedBy", p.flag_resolved_by},
                                                        {"resolvedAt", clock::to_iso8601(*p.flag_resolved_at)}})
                                 : bj::value(nullptr)},
          {"expiresAt", clock::to_iso8601(p.expires_at)},
          {"createdAt", clock::to_iso8601(p.created_at)},
          {"updatedAt", clock::to_iso8601(p.updated_at)}};
}

bj::object to_json(const Refund& r) {
  return {{"_id", r.id},
          {"orderId", r.order_id},
          {"paymentId", r.payment_id},
          {"amount", money::to_json(r.amount)},
          {"state", r.state},
          {"gatewayRefundId", json::string_or_null(r.gateway_refund_id)},
          {"attempts", r.attempts},
          {"lastError", json::string_or_null(r.last_error)},
          {"createdAt", clock::to_iso8601(r.created_at)},
          {"updatedAt", clock::to_iso8601(r.updated_at)}};
}

}  // namespace tiptop::payments
