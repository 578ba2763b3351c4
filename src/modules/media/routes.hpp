#pragma once
#include <boost/asio/thread_pool.hpp>

#include "http/router.hpp"
#include "integrations/storage.hpp"
#include "modules/menu/catalog.hpp"
#include "modules/menu/service.hpp"

namespace tiptop::media {

// POST /api/v1/admin/menu/items/:id/images (multipart, field "image"), and GET /uploads/:name when
// uploads are stored locally.
// cpu: image work; files: reads of uploads (apart, so a queue of resizes never delays a photo).
void register_routes(http::Router& router, integrations::ObjectStorage& storage, const menu::Catalog& catalog,
                     menu::MenuService& menu, boost::asio::thread_pool& cpu, boost::asio::thread_pool& files);

}  // namespace tiptop::media
