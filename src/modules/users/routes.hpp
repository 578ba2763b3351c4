#pragma once
#include "http/router.hpp"
#include "modules/users/service.hpp"

namespace tiptop::users {

// GET|PUT /api/v1/users/me, POST /api/v1/users/me/addresses, PUT|DELETE /api/v1/users/me/addresses/:id
void register_routes(http::Router& router, UsersService& service);

}  // namespace tiptop::users
