#pragma once
#include "app/context.hpp"
#include "integrations/storage.hpp"
#include "modules/menu/catalog.hpp"
#include "modules/menu/service.hpp"

namespace tiptop::media {

// POST /api/v1/admin/menu/items/:id/images (multipart, field "image"), and GET /uploads/:name when
// uploads are stored locally.
void register_routes(app::Context& ctx, integrations::ObjectStorage& storage, const menu::Catalog& catalog,
                     menu::MenuService& menu);

}  // namespace tiptop::media
