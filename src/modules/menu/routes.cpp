#include "modules/menu/routes.hpp"

#include "core/ids.hpp"
#include "core/json.hpp"
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

// One rendering per (snapshot, request): 304 when the client has it; otherwise from this node's
// snapshot (L1) or the shared cache (L2), meta.cached true; or rendered now and kept, cached false.
template <class Render>
http::Response serve(const http::Request& r, const Snapshot& s, const std::string& key, cache::Cache& l2, Metrics& metrics,
                     Render render) {
  const auto etag = etag_for(s, key);
  if (etag_matches(r.header("if-none-match"), etag)) return http::not_modified(etag);
  auto rendered = s.cached(key);
  bool hit = rendered != nullptr;
  if (!hit) {
    const std::string l2_key = "menu:" + etag + ":" + key;
    if (auto stored = l2.get(l2_key); stored && stored->find('\n') != std::string::npos) {
      const auto nl = stored->find('\n');
      rendered = std::make_shared<const Snapshot::Rendered>(Snapshot::Rendered{stored->substr(nl + 1), stored->substr(0, nl)});
      hit = true;
    } else {
      rendered = std::make_shared<const Snapshot::Rendered>(render());
      l2.set(l2_key, rendered->meta + "\n" + rendered->data, key.starts_with("search|") ? cache::kSearchTtl : cache::kMenuTtl);
    }
    s.remember(key, rendered);
  }
  metrics.cache_lookup("menu", hit);
  auto res = http::ok_serialized(rendered->data, rendered->meta, hit);
  res.set_header("ETag", etag);
  res.set_header("Cache-Control", "no-cache");  // may be stored, but revalidated: menu edits show at once
  return res;
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
                                        {"fat", Schema::number().minimum(0).maximum(1000)}}).nullable()},
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

void register_routes(app::Context& ctx, const Catalog& catalog, MenuService& service, cache::Cache& l2) {
  const Catalog* cat = &catalog;
  cache::Cache* shared = &l2;
  Metrics* metrics = &ctx.metrics;
  MenuService* svc = &service;
  const std::vector<std::string> admin = {"admin"};

  ctx.router.add({
      .method = "GET", .path = "/api/v1/menu/items",
      .summary = "Menu items: filters, sorts, offset (page) or cursor pagination", .tag = "menu",
      .query = Schema::object({{"page", Schema::integer().minimum(1).maximum(100000).fallback(1)},
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
        co_return serve(r, *snap, cache_key(q), *shared, *metrics, [&] { return render_list(*snap, q); });
      }});
  ctx.router.add({
      .method = "GET", .path = "/api/v1/menu/items/:id", .summary = "One menu item by id or slug", .tag = "menu",
      .handler = [cat, shared, metrics](http::Request& r) -> Awaitable {
        const auto snap = cat->snapshot();
        const auto* item = snap->find(r.param("id"));
        if (!item) throw NotFoundError("Menu item");
        co_return serve(r, *snap, "item|" + item->id, *shared, *metrics, [&] { return Snapshot::Rendered{snap->json_text(item), {}}; });
      }});
  ctx.router.add({
      .method = "GET", .path = "/api/v1/menu/categories", .summary = "Categories with item counts", .tag = "menu",
      .handler = [cat, shared, metrics](http::Request& r) -> Awaitable {
        const auto snap = cat->snapshot();
        co_return serve(r, *snap, "categories", *shared, *metrics, [&] { return render_categories(*snap); });
      }});
  ctx.router.add({
      .method = "GET", .path = "/api/v1/menu/popular", .summary = "Most ordered available items", .tag = "menu",
      .query = Schema::object({{"limit", Schema::integer().minimum(1).maximum(50).fallback(10)}}),
      .handler = [cat, shared, metrics](http::Request& r) -> Awaitable {
        const auto snap = cat->snapshot();
        const auto limit = json::int_or(r.query_values, "limit", 10);
        co_return serve(r, *snap, "popular|" + std::to_string(limit), *shared, *metrics,
                        [&] { return render_popular(*snap, static_cast<std::size_t>(limit)); });
      }});
  ctx.router.add({
      .method = "GET", .path = "/api/v1/menu/search",
      .summary = "Relevance-ranked search over name, category, tags and description (prefixes, one typo)",
      .tag = "menu",
      .query = Schema::object({{"q", Schema::string().min_length(1).max_length(100)},
                               {"limit", Schema::integer().minimum(1).maximum(50).fallback(20)}})
                   .required({"q"}),
      .handler = [cat, shared, metrics](http::Request& r) -> Awaitable {
        const auto snap = cat->snapshot();
        const auto q = json::string_or(r.query_values, "q");
        const auto limit = json::int_or(r.query_values, "limit", 20);
        co_return serve(r, *snap, "search|" + std::to_string(limit) + "|" + q, *shared, *metrics,
                        [&] { return render_search(*snap, q, static_cast<std::size_t>(limit)); });
      }});

  ctx.router.add({
      .method = "POST", .path = "/api/v1/admin/menu/items", .summary = "Add a menu item", .tag = "admin-menu",
      .roles = admin, .body = item_schema(true),
      .handler = [svc](http::Request& r) -> Awaitable {
        co_return http::ok(to_json(co_await svc->create(r.json.get_object()), true), 201);
      }});
  ctx.router.add({
      .method = "PUT", .path = "/api/v1/admin/menu/items/:id", .summary = "Change a menu item (fields given only)",
      .tag = "admin-menu", .roles = admin, .body = item_schema(false),
      .handler = [svc](http::Request& r) -> Awaitable {
        co_return http::ok(to_json(co_await svc->update(item_id(r), r.json.get_object()), true));
      }});
  ctx.router.add({
      .method = "DELETE", .path = "/api/v1/admin/menu/items/:id",
      .summary = "Remove an item from the menu (kept for past orders)", .tag = "admin-menu", .roles = admin,
      .handler = [svc](http::Request& r) -> Awaitable {
        co_await svc->remove(item_id(r));
        co_return http::ok(bj::object{{"message", "Menu item removed"}});
      }});
  ctx.router.add({
      .method = "PATCH", .path = "/api/v1/admin/menu/items/:id/availability",
      .summary = "Mark an item available or sold out", .tag = "admin-menu", .roles = admin,
      .body = Schema::object({{"isAvailable", Schema::boolean()}}).required({"isAvailable"}),
      .handler = [svc](http::Request& r) -> Awaitable {
        const bool available = r.json.at("isAvailable").as_bool();
        co_return http::ok(to_json(co_await svc->set_availability(item_id(r), available), true));
      }});
}

}  // namespace tiptop::menu
