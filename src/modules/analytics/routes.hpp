#pragma once
#include "http/router.hpp"
#include "modules/analytics/service.hpp"

namespace tiptop::analytics {

// GET /api/v1/admin/analytics/dashboard, /revenue, /popular-items.
void register_routes(http::Router& router, AnalyticsService& service);

}  // namespace tiptop::analytics
