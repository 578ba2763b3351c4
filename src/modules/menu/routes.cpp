#include "modules/menu/routes.hpp"

#include <algorithm>

#include "core/ids.hpp"
#include "core/json.hpp"
#include "modules/menu/admin_listing.hpp"
#include "modules/menu/listing.hpp"

namespace tiptop::menu {
namespace bj = boost::json;
using http::Schema;
using Awaitable = boost::asio::awaitable<http::Response>;

namespace {

bool etag_matches(std::string_view header, const std::string& etag) {
  if (header == "*") return true;
  while (!header.empty()) {
    const auto comma = header.find(',');
    auto candidate = header.substr(0, comma);
    while (!candidate.empty() && candidate.front() == ' ') candidate.remove_prefix(1);
    while (!candidate.empty() && candidate.back() == ' ') candidate.remove_suffix(1);
    if (candidate.starts_with("W/")) candidate.remove_prefix(2);
    if (candidate == etag) return true;
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
  }
  return false;
}

// The spec §4.1 key for a rendering: menu:all, menu:category:<c>, menu:item:<id>, menu:popular,
// menu:search:<q>; variants the spec does not name (other pages, filters, limits) extend them.
std::string list_l2_key(const ListQuery& q, const std::string& key) {
  ListQuery plain;
  if (key == cache_key(plain)) return "menu:all";
  plain.category = q.category;
  std::string category = q.category;
  std::transform(category.begin(), category.end(), category.begin(), [](unsigned char c) { return std::tolower(c); });
  if (key == cache_key(plain)) return "menu:category:" + category;
  return "menu:all:" + key;
}

std::string limited(std::string key, std::int64_t limit, std::int64_t usual) {
  return limit == usual ? key : key + ":limit=" + std::to_string(limit);
}

// A rendering stored in the shared cache carries the ETag of the menu it was made from: a node
// whose menu differs (newer or older, until the invalidation reaches it) treats it as a miss, so no
// node ever serves a rendering of another menu, and no key needs deleting when the menu changes.
std::string stored_form(const std::string& etag, const Snapshot::Rendered& r) {
  return etag + "\n" + r.meta + "\n" + r.data;
}

std::shared_ptr<const Snapshot::Rendered> from_stored(const std::string& etag, const std::string& stored) {
  const auto a = stored.find('\n');
  const auto b = a == std::string::npos ? a : stored.find('\n', a + 1);
  if (b == std::string::npos || std::string_view(stored).substr(0, a) != etag) return nullptr;
  return std::make_shared<const Snapshot::Rendered>(
      Snapshot::Rendered{stored.substr(b + 1), stored.substr(a + 1, b - a - 1)});
}

http::Response answer(std::shared_ptr<const Snapshot::Rendered> rendered, const std::string& etag, bool cached) {
  auto res = cached && rendered->envelope ? http::ok_shared(rendered->envelope)
                                          : http::ok_serialized(rendered->data, rendered->meta, cached);
  res.set_header("ETag", etag);
  res.set_header("Cache-Control", "no-cache");  // may be stored, but revalidated: menu edits show at once
  return res;
}

// One rendering per (snapshot, request). First what needs no waiting: 304 when the client has it,
// or this node's snapshot (L1) has it (meta.cached true) — the common case, without a coroutine.
std::optional<http::Response> from_memory(const http::Request& r, const Snapshot& s, const std::string& key,
                                          Metrics& metrics) {
  auto rendered = s.cached(key);
  const auto etag = rendered ? rendered->etag : etag_for(s, key);
  if (etag_matches(r.header("if-none-match"), etag)) return http::not_modified(etag);
  if (!rendered) return std::nullopt;
  metrics.cache_lookup("menu", true);
  return answer(std::move(rendered), etag, true);
}

// The rendering as this node keeps it: with its cached answer's envelope and its ETag.
std::shared_ptr<const Snapshot::Rendered> kept(Snapshot::Rendered r, const std::string& etag) {
  r.envelope = http::envelope_head(r.data, r.meta, true);
  r.etag = etag;
  return std::make_shared<const Snapshot::Rendered>(std::move(r));
}

// Then the shared cache (L2; meta.cached true), or rendered now (cached false) and kept in both.
template <class Render>
boost::asio::awaitable<http::Response> from_shared(std::shared_ptr<const Snapshot> s, std::string key,
                                                   std::string l2_key, cache::Cache& l2, Metrics& metrics,
                                                   Render render) {
  const auto etag = etag_for(*s, key);
  std::shared_ptr<const Snapshot::Rendered> rendered;
  if (l2.shared())
    if (auto stored = co_await l2.get(l2_key)) rendered = from_stored(etag, *stored);
  const bool hit = rendered != nullptr;
  if (!rendered) {
    rendered = kept(render(), etag);
    if (l2.shared())
      co_await l2.set(l2_key, stored_form(etag, *rendered),
                      l2_key.starts_with("menu:search:") ? cache::kSearchTtl : cache::kMenuTtl);
  } else {
    rendered = kept(*rendered, etag);
  }
  s->remember(key, rendered);
  metrics.cache_lookup("menu", hit);
  co_return answer(std::move(rendered), etag, hit);
}

const Schema kText50 = Schema::string().max_length(50);
const Schema kMoney = Schema::number().minimum(0).maximum(100000).describe("rupees, at most two decimals");
const Schema kStrings = Schema::array(Schema::string().min_length(1).max_length(100)).max_items(50);
const Schema kUrl = Schema::string().format("uri").max_length(2048);

Schema item_schema(bool creating) {
  auto option = Schema::object({{"label", Schema::string().min_length(1).max_length(50)}, {"price", kMoney}})
                    .required({"label", "price"});
  auto group = Schema::object({{"name", Schema::string().min_length(1).max_length(50)},
                               {"options", Schema::array(option).min_items(1).max_items(30)},
                               {"required", Schema::boolean()},
                               {"multiple", Schema::boolean()}})
                   .required({"name", "options"});
  auto category = Schema::object({{"main", Schema::string().min_length(1).max_length(50)},
                                  {"sub", Schema::array(Schema::string().min_length(1).max_length(50)).max_items(10)}});
  auto s = Schema::object({
      {"name", Schema::string().min_length(1).max_length(100)},
      {"description", Schema::string().max_length(1000)},
      {"image", kUrl.nullable()},
      {"images", Schema::array(kUrl).max_items(10)},
      {"price", kMoney},
      {"originalPrice", kMoney.nullable()},
      {"category", creating ? category.required({"main"}) : category},
      {"plateQuantity", Schema::string().one_of({"Half", "Full", ""}).nullable()},
      {"ingredients", kStrings},
      {"allergens", kStrings},
      {"nutritionInfo", Schema::object({{"calories", Schema::number().minimum(0).maximum(10000)},
                                        {"protein", Schema::number().minimum(0).maximum(1000)},
                                        {"carbs", Schema::number().minimum(0).maximum(1000)},
                                        {"fat", Schema::number().minimum(0).maximum(1000)}})
                            .nullable()},
      {"isAvailable", Schema::boolean()},
      {"isVegetarian", Schema::boolean()},
      {"isVegan", Schema::boolean()},
      {"isGlutenFree", Schema::boolean()},
      {"spiceLevel", Schema::integer().minimum(0).maximum(5)},
      {"prepTime", Schema::integer().minimum(0).maximum(240).describe("minutes")},
      {"servingSize", kText50.nullable()},
      {"tags", Schema::array(Schema::string().min_length(1).max_length(30)).max_items(20)},
      {"customizations", Schema::array(group).max_items(10)},
  });
  return creating ? s.required({"name", "price", "category"}) : s;
}

const std::string& item_id(const http::Request& r) {
  const auto& id = r.param("id");
  if (!ids::is_object_id(id)) throw NotFoundError("Menu item");
  return id;
}

}  // namespace

void register_routes(http::Router& router, const Catalog& catalog, MenuService& service, cache::Cache& shared_cache,
                     Metrics& metrics_sink) {
  const Catalog* cat = &catalog;
  cache::Cache* shared = &shared_cache;
  Metrics* metrics = &metrics_sink;
  MenuService* svc = &service;
  const std::vector<std::string> admin = {"admin"};

  router.add(
      {.method = "GET",
       .path = "/api/v1/menu/items",
       .summary = "Menu items: filters, sorts, offset (page) or cursor pagination",
       .tag = "menu",
       .query = Schema::object(
           {{"page", Schema::integer().minimum(1).maximum(100000).fallback(1)},
            {"limit", Schema::integer().minimum(1).maximum(100).fallback(20)},
            {"cursor", Schema::string().max_length(512).describe("present (even empty): cursor pagination")},
            {"category", kText50.describe("main category; All for every category")},
            {"subCategory", kText50},
            {"tag", kText50},
            {"sort", Schema::string().one_of({"newest", "price", "-price", "rating", "popular"}).fallback("newest")},
            {"veg", Schema::boolean()},
            {"vegan", Schema::boolean()},
            {"glutenFree", Schema::boolean()},
            {"available", Schema::boolean()},
            {"minPrice", Schema::number().minimum(0)},
            {"maxPrice", Schema::number().minimum(0)},
            {"maxSpice", Schema::integer().minimum(0).maximum(5)}}),
       .handler = [cat, shared, metrics](http::Request& r) -> Awaitable {
         const auto snap = cat->snapshot();
         const auto q = list_query_from(r.query_values);
         auto key = cache_key(q);
         if (auto res = from_memory(r, *snap, key, *metrics)) co_return std::move(*res);
         auto l2_key = list_l2_key(q, key);
         co_return co_await from_shared(snap, std::move(key), std::move(l2_key), *shared, *metrics,
                                        [&] { return render_list(*snap, q); });
       }});
  router.add({.method = "GET",
              .path = "/api/v1/menu/items/:id",
              .summary = "One menu item by id or slug",
              .tag = "menu",
              .handler = [cat, shared, metrics](http::Request& r) -> Awaitable {
                const auto snap = cat->snapshot();
                const auto* item = snap->find(r.param("id"));
                if (!item) throw NotFoundError("Menu item");
                auto key = "item|" + item->id;
                if (auto res = from_memory(r, *snap, key, *metrics)) co_return std::move(*res);
                co_return co_await from_shared(snap, std::move(key), "menu:item:" + item->id, *shared, *metrics, [&] {
                  return Snapshot::Rendered{snap->json_text(item), {}};
                });
              }});
  router.add({.method = "GET",
              .path = "/api/v1/menu/categories",
              .summary = "Categories with item counts",
              .tag = "menu",
              .handler = [cat, shared, metrics](http::Request& r) -> Awaitable {
                const auto snap = cat->snapshot();
                if (auto res = from_memory(r, *snap, "categories", *metrics)) co_return std::move(*res);
                co_return co_await from_shared(snap, "categories", "menu:categories", *shared, *metrics,
                                               [&] { return render_categories(*snap); });
              }});
  router.add({.method = "GET",
              .path = "/api/v1/menu/popular",
              .summary = "Most ordered available items",
              .tag = "menu",
              .query = Schema::object({{"limit", Schema::integer().minimum(1).maximum(50).fallback(10)}}),
              .handler = [cat, shared, metrics](http::Request& r) -> Awaitable {
                const auto snap = cat->snapshot();
                const auto limit = json::int_or(r.query_values, "limit", 10);
                auto key = "popular|" + std::to_string(limit);
                if (auto res = from_memory(r, *snap, key, *metrics)) co_return std::move(*res);
                co_return co_await from_shared(snap, std::move(key), limited("menu:popular", limit, 10), *shared,
                                               *metrics,
                                               [&] { return render_popular(*snap, static_cast<std::size_t>(limit)); });
              }});
  router.add({.method = "GET",
              .path = "/api/v1/menu/search",
              .summary = "Relevance-ranked search over name, category, tags and description (prefixes, one typo)",
              .tag = "menu",
              .query = Schema::object({{"q", Schema::string().min_length(1).max_length(100)},
                                       {"limit", Schema::integer().minimum(1).maximum(50).fallback(20)}})
                           .required({"q"}),
              .handler = [cat, shared, metrics](http::Request& r) -> Awaitable {
                const auto snap = cat->snapshot();
                const auto q = json::string_or(r.query_values, "q");
                const auto limit = json::int_or(r.query_values, "limit", 20);
                auto key = "search|" + std::to_string(limit) + "|" + q;
                if (auto res = from_memory(r, *snap, key, *metrics)) co_return std::move(*res);
                co_return co_await from_shared(
                    snap, std::move(key), limited("menu:search:" + q, limit, 20), *shared, *metrics,
                    [&] { return render_search(*snap, q, static_cast<std::size_t>(limit)); });
              }});

  router.add(
      {.method = "GET",
       .path = "/api/v1/admin/menu/items",
       .summary = "Every item for the menu's editors: sold-out, hidden and (asked for) deleted ones too",
       .tag = "admin-menu",
       .roles = admin,
       .query = Schema::object({{"page", Schema::integer().minimum(1).maximum(100000).fallback(1)},
                                {"limit", Schema::integer().minimum(1).maximum(100).fallback(50)},
                                {"q", kText50.describe("in the name, any case")},
                                {"category", kText50.describe("a category's id or name")},
                                {"state", Schema::string()
                                              .one_of({"available", "unavailable", "hidden", "deleted", "all"})
                                              .describe("hidden: its category is off; left out: all but deleted")}}),
       .handler = [cat](http::Request& r) -> Awaitable {
         const auto& q = r.query_values;
         AdminListQuery query{.q = json::string_or(q, "q"),
                              .category = json::string_or(q, "category"),
                              .state = json::string_or(q, "state"),
                              .page = json::int_or(q, "page", 1),
                              .limit = json::int_or(q, "limit", 50)};
         const auto snap = cat->snapshot();
         auto page = admin_list(*snap, query);
         co_return http::ok_page(std::move(page.items), {query.page, query.limit, page.total});
       }});
  router.add({.method = "POST",
              .path = "/api/v1/admin/menu/items",
              .summary = "Add a menu item",
              .tag = "admin-menu",
              .roles = admin,
              .body = item_schema(true),
              .handler = [svc](http::Request& r) -> Awaitable {
                co_return http::ok(to_json(co_await svc->create(r.json.get_object()), true), 201);
              }});
  router.add({.method = "PUT",
              .path = "/api/v1/admin/menu/items/:id",
              .summary = "Change a menu item (fields given only)",
              .tag = "admin-menu",
              .roles = admin,
              .body = item_schema(false),
              .handler = [svc](http::Request& r) -> Awaitable {
                co_return http::ok(to_json(co_await svc->update(item_id(r), r.json.get_object()), true));
              }});
  router.add({.method = "DELETE",
              .path = "/api/v1/admin/menu/items/:id",
              .summary = "Remove an item from the menu (kept for past orders)",
              .tag = "admin-menu",
              .roles = admin,
              .handler = [svc](http::Request& r) -> Awaitable {
                co_await svc->remove(item_id(r));
                co_return http::ok(bj::object{{"message", "Menu item removed"}});
              }});
  router.add({.method = "PATCH",
              .path = "/api/v1/admin/menu/items/:id/availability",
              .summary = "Mark an item available or sold out",
              .tag = "admin-menu",
              .roles = admin,
              .body = Schema::object({{"isAvailable", Schema::boolean()}}).required({"isAvailable"}),
              .handler = [svc](http::Request& r) -> Awaitable {
                const bool available = r.json.at("isAvailable").as_bool();
                co_return http::ok(to_json(co_await svc->set_availability(item_id(r), available), true));
              }});
}

}  // namespace tiptop::menu
