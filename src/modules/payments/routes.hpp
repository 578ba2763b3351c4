#pragma once
#include "core/rate_limiter.hpp"
#include "http/router.hpp"
#include "modules/payments/service.hpp"

namespace tiptop::payments {

inline constexpr const char* kWebhookPath = "/api/v1/payments/webhook";

// POST /api/v1/orders/:id/payment (checkout), POST /api/v1/orders/:id/payment/verify,
// POST /api/v1/payments/webhook (Razorpay), GET /api/v1/admin/orders/:id/payment,
// GET /api/v1/admin/payments/flagged, PUT /api/v1/admin/orders/:id/payment/flag (closes it).
// limiter: webhooks count apart from the per-address API budget (see pipeline exemptions).
void register_routes(http::Router& router, PaymentService& service, RateLimiter& limiter);

}  // namespace tiptop::payments
