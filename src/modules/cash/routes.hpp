#pragma once
#include "http/router.hpp"
#include "modules/cash/service.hpp"

namespace tiptop::cash {

// Partner: POST /api/v1/delivery/sessions/start|end|settlement, GET /delivery/sessions/current.
// Admin: GET /api/v1/admin/cash-management/sessions, POST …/sessions/settle, POST …/sessions/resolve,
// GET …/transactions.
void register_routes(http::Router& router, CashService& service);

}  // namespace tiptop::cash
