#pragma once
#include "http/router.hpp"
#include "modules/admin/customers.hpp"
#include "modules/admin/orders_desk.hpp"

namespace tiptop::admin {

// GET /api/v1/admin/orders, GET /admin/orders/stats, GET /admin/customers, GET /admin/customers/stats,
// GET /admin/customers/:id, PUT /admin/customers/:id (isActive).
void register_routes(http::Router& router, OrdersDesk& desk, CustomerDesk& customers);

}  // namespace tiptop::admin
