#pragma once
#include "http/router.hpp"
#include "modules/notifications/service.hpp"

namespace tiptop::notifications {

void register_routes(http::Router& router, NotificationService& service);

}  // namespace tiptop::notifications
