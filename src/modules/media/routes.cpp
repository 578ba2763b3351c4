#include "modules/media/routes.hpp"

#include "core/blocking.hpp"
#include "core/crypto.hpp"
#include "core/ids.hpp"
#include "http/multipart.hpp"
#include "modules/media/images.hpp"

namespace tiptop::media {
namespace bj = boost::json;
using Awaitable = boost::asio::awaitable<http::Response>;

void register_routes(http::Router& router, integrations::ObjectStorage& storage, const menu::Catalog& catalog,
                     menu::MenuService& menu, boost::asio::thread_pool& cpu_pool,
                     boost::asio::thread_pool& files_pool) {
  auto* store = &storage;
  auto* cpu = &cpu_pool;
  auto* files = &files_pool;
  const auto* cat = &catalog;
  auto* svc = &menu;
  init_image_library();

  router.add(
      {.method = "POST",
       .path = "/api/v1/admin/menu/items/:id/images",
       .summary = "Upload a JPEG, PNG or WebP photo (multipart field \"image\", at most 5 MB and 8000 x 8000 px); "
                  "stored as 320 and 960 px WebP",
       .tag = "admin-menu",
       .roles = {"admin"},
       .body_limit = kMaxImageBytes + 64 * 1024,  // the file plus the multipart envelope around it
       .handler = [store, cpu, cat, svc](http::Request& r) -> Awaitable {
         const auto& id = r.param("id");
         if (!ids::is_object_id(id) || !cat->snapshot()->find(id)) throw NotFoundError("Menu item");
         const auto parts = http::parse_multipart(r.header("content-type"), r.body);
         const http::FormPart* file = nullptr;
         for (const auto& p : parts)
           if (p.name == "image") file = &p;
         if (!file) throw ValidationError("Validation failed", {{"image", "is required (multipart field \"image\")"}});
         if (file->data.size() > kMaxImageBytes) throw PayloadTooLargeError("Image exceeds 5 MB");

         // Decoding, resizing and storing are slow: all of it runs on the worker pool.
         const std::string base = crypto::random_hex(16);
         auto stored = co_await run_blocking(*cpu, [&] {
           std::vector<std::pair<int, std::string>> urls;
           for (const auto& v : make_variants(file->data))
             urls.emplace_back(v.width,
                               store->put(base + "-" + std::to_string(v.width) + ".webp", v.webp, "image/webp"));
           return urls;
         });
         std::vector<std::string> urls;
         bj::array variants;
         for (const auto& [width, url] : stored) {
           urls.push_back(url);
           variants.push_back(bj::object{{"width", width}, {"url", url}});
         }
         auto item = co_await svc->add_images(id, urls, urls.back());
         co_return http::ok(bj::object{{"item", menu::to_json(item, true)}, {"variants", std::move(variants)}}, 201);
       }});

  if (auto* local = dynamic_cast<integrations::LocalStorage*>(&storage)) {
    router.add({.method = "GET",
                .path = "/uploads/:name",
                .summary = "An uploaded image (local storage)",
                .tag = "media",
                .handler = [local, files](http::Request& r) -> Awaitable {
                  const std::string name = r.param("name");
                  auto bytes = co_await run_blocking(*files, [&] { return local->read(name); });
                  if (!bytes) throw NotFoundError("File");
                  http::Response res;
                  res.body = std::move(*bytes);
                  res.content_type = "image/webp";  // fixed: we only ever store WebP we encoded ourselves
                  res.set_header("Cache-Control",
                                 "public, max-age=31536000, immutable");  // names are random, never reused
                  co_return res;
                }});
  }
}

}  // namespace tiptop::media
