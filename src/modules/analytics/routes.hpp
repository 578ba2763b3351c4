#pragma once
#include "app/context.hpp"
#include "modules/analytics/service.hpp"

namespace tiptop::analytics {

// GET /api/v1/admin/analytics/dashboard, /revenue, /popular-items.
void register_routes(app::Context& ctx, AnalyticsService& service);

}  // namespace tiptop::analytics
