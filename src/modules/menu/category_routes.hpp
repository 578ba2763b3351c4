#pragma once
#include "http/router.hpp"
#include "modules/menu/category_service.hpp"

namespace tiptop::menu {

// Admin: GET|POST /api/v1/admin/categories, PUT|DELETE …/:id, PUT …/order (issue 22).
void register_category_routes(http::Router& router, CategoryService& service);

}  // namespace tiptop::menu
