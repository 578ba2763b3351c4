#pragma once
#include "app/context.hpp"
#include "modules/notifications/service.hpp"

namespace tiptop::notifications {

void register_routes(app::Context& ctx, NotificationService& service);

}  // namespace tiptop::notifications
