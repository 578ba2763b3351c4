#pragma once
#include "cache/cache.hpp"
#include "core/metrics.hpp"
#include "http/router.hpp"
#include "modules/menu/catalog.hpp"
#include "modules/menu/service.hpp"

namespace tiptop::menu {

// Public: GET /api/v1/menu/{items,items/:id,categories,popular,search}, served from the catalog
// with ETags. Admin: GET|POST /api/v1/admin/menu/items, PUT|DELETE …/:id, PATCH …/:id/availability.
// Renderings are kept with each node's snapshot (L1) and in `shared` (L2, spec §4.1 keys), where
// each carries the ETag of the menu it came from, so a menu change never serves a stale page.
void register_routes(http::Router& router, const Catalog& catalog, MenuService& service, cache::Cache& shared,
                     Metrics& metrics);

}  // namespace tiptop::menu
