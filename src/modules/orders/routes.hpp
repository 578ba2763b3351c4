#pragma once
#include "http/router.hpp"
#include "modules/orders/promos.hpp"
#include "modules/orders/service.hpp"

namespace tiptop::orders {

// POST|GET /api/v1/orders, GET /orders/:id, PUT /orders/:id/cancel, GET /orders/track/:orderNumber,
// PUT /api/v1/admin/orders/:id (status). An online order's placement also answers with its checkout.
void register_routes(http::Router& router, OrderService& service);
// POST /api/v1/orders/guest (a guest token) and GET /api/v1/orders/guest/track/:token (the link).
void register_guest_routes(http::Router& router, OrderService& service);
// POST /api/v1/admin/orders: a counter order (staff or admin).
void register_counter_routes(http::Router& router, OrderService& service);
// /api/v1/admin/promo-codes: POST, GET, PUT /:code, DELETE /:code (deactivates; history keeps it).
void register_promo_routes(http::Router& router, PromoService& promos);

}  // namespace tiptop::orders
