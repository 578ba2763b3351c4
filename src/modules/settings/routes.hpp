#pragma once
#include "http/router.hpp"
#include "modules/settings/service.hpp"

namespace tiptop::settings {

// GET /api/v1/settings (public part, with isOpenNow), GET|PUT /api/v1/admin/settings.
void register_routes(http::Router& router, SettingsService& service);

}  // namespace tiptop::settings
