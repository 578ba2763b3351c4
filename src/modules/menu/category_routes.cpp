#include "modules/menu/category_routes.hpp"

#include "core/errors.hpp"
#include "core/ids.hpp"

namespace tiptop::menu {
namespace bj = boost::json;
using http::Schema;
using Awaitable = boost::asio::awaitable<http::Response>;

namespace {

Schema category_schema(bool creating) {
  auto hours = Schema::object({{"from", Schema::string().describe("HH:MM, restaurant time")},
                               {"until", Schema::string().describe("HH:MM; before from = past midnight")}})
                   .required({"from", "until"});
  auto s = Schema::object({
      {"name", Schema::string().min_length(1).max_length(50)},
      {"slug", Schema::string().min_length(1).max_length(60).describe("made from the name when left out")},
      {"sortOrder", Schema::integer().minimum(0).maximum(100000).describe("lower first; new ones go last")},
      {"image", Schema::string().format("uri").max_length(2048).nullable()},
      {"isActive", Schema::boolean().describe("false: its items leave the menu until switched on")},
      {"servingHours", hours.nullable().describe("null: served whenever the restaurant is open")},
  });
  return creating ? s.required({"name"}) : s;
}

const std::string& category_id(const http::Request& r) {
  const auto& id = r.param("id");
  if (!ids::is_object_id(id)) throw NotFoundError("Category");
  return id;
}

}  // namespace

void register_category_routes(http::Router& router, CategoryService& service) {
  CategoryService* svc = &service;
  const std::vector<std::string> admin = {"admin"};
  router.add({.method = "GET",
              .path = "/api/v1/admin/categories",
              .summary = "Every category, switched-off ones too, in the menu's order with item counts",
              .tag = "admin-menu",
              .roles = admin,
              .handler = [svc](http::Request&) -> Awaitable { co_return http::ok(co_await svc->list()); }});
  router.add({.method = "POST",
              .path = "/api/v1/admin/categories",
              .summary = "Add a category (last in the menu unless sortOrder says otherwise)",
              .tag = "admin-menu",
              .roles = admin,
              .body = category_schema(true),
              .handler = [svc](http::Request& r) -> Awaitable {
                co_return http::ok(to_json(co_await svc->create(r.json.get_object()), 0), 201);
              }});
  router.add(
      {.method = "PUT",
       .path = "/api/v1/admin/categories/order",
       .summary = "Put the categories in this order (every id once)",
       .tag = "admin-menu",
       .roles = admin,
       .body = Schema::object({{"order", Schema::array(Schema::string().max_length(24)).min_items(1).max_items(200)}})
                   .required({"order"}),
       .handler = [svc](http::Request& r) -> Awaitable {
         std::vector<std::string> ids;
         for (const auto& v : r.json.at("order").as_array()) ids.emplace_back(v.as_string());
         co_return http::ok(co_await svc->reorder(std::move(ids)));
       }});
  router.add({.method = "PUT",
              .path = "/api/v1/admin/categories/:id",
              .summary = "Change a category (fields given only); a new name carries its items along",
              .tag = "admin-menu",
              .roles = admin,
              .body = category_schema(false),
              .handler = [svc](http::Request& r) -> Awaitable {
                co_return http::ok(to_json(co_await svc->update(category_id(r), r.json.get_object())));
              }});
  router.add({.method = "DELETE",
              .path = "/api/v1/admin/categories/:id",
              .summary = "Delete a category that holds no item",
              .tag = "admin-menu",
              .roles = admin,
              .handler = [svc](http::Request& r) -> Awaitable {
                co_await svc->remove(category_id(r));
                co_return http::ok(bj::object{{"message", "Category deleted"}});
              }});
}

}  // namespace tiptop::menu
