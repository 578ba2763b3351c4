#pragma once
#include "http/router.hpp"
#include "modules/delivery/dispatch.hpp"
#include "modules/delivery/partners.hpp"
#include "modules/live/service.hpp"

namespace tiptop::delivery {

// Partner: PUT /api/v1/delivery/availability, POST /delivery/location, GET /delivery/active,
// PUT /delivery/orders/:id/accept, PUT /delivery/orders/:id/status.
// Admin: GET|POST /api/v1/admin/delivery-partners, PUT /…/:id, GET /…/stats,
// PUT /api/v1/admin/orders/:id/assign-delivery.
void register_routes(http::Router& router, PartnerService& partners, DispatchService& dispatch,
                     live::LiveService& live);

}  // namespace tiptop::delivery
