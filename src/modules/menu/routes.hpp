#pragma once
#include "app/context.hpp"
#include "cache/cache.hpp"
#include "modules/menu/catalog.hpp"
#include "modules/menu/service.hpp"

namespace tiptop::menu {

// Public: GET /api/v1/menu/{items,items/:id,categories,popular,search}, served from the catalog
// with ETags. Admin: POST /api/v1/admin/menu/items, PUT|DELETE …/:id, PATCH …/:id/availability.
// l2: the shared cache behind each node's snapshot renderings (keys carry the menu's content hash,
// so every node agrees and a menu change never serves a stale page).
void register_routes(app::Context& ctx, const Catalog& catalog, MenuService& service, cache::Cache& l2);

}  // namespace tiptop::menu
