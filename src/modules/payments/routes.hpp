#pragma once
#include "app/context.hpp"
#include "modules/payments/service.hpp"

namespace tiptop::payments {

inline constexpr const char* kWebhookPath = "/api/v1/payments/webhook";

// POST /api/v1/orders/:id/payment (checkout), POST /api/v1/orders/:id/payment/verify,
// POST /api/v1/payments/webhook (Razorpay), GET /api/v1/admin/orders/:id/payment,
// GET /api/v1/admin/payments/flagged, PUT /api/v1/admin/orders/:id/payment/flag (closes it).
void register_routes(app::Context& ctx, PaymentService& service);

}  // namespace tiptop::payments
