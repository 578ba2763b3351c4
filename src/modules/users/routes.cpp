#include "modules/users/routes.hpp"

#include "core/ids.hpp"

namespace tiptop::users {
namespace bj = boost::json;
using http::Schema;
using Awaitable = boost::asio::awaitable<http::Response>;

namespace {

const Schema kName = Schema::string().min_length(1).max_length(50);
const Schema kProfileFields = Schema::object({{"firstName", kName},
                                              {"lastName", Schema::string().max_length(50)},
                                              {"avatar", Schema::string().format("uri").max_length(2048)},
                                              {"dateOfBirth", Schema::string().format("date-time")}});

Schema address_schema(bool creating) {
  auto s = Schema::object({{"type", Schema::string().one_of({"home", "work", "other"})},
                           {"street", Schema::string().min_length(1).max_length(200)},
                           {"city", Schema::string().min_length(1).max_length(100)},
                           {"state", Schema::string().max_length(100)},
                           {"zipCode", Schema::string().max_length(20)},
                           {"coordinates", Schema::any().describe("[longitude, latitude] or GeoJSON Point")},
                           {"isDefault", Schema::boolean()}});
  return creating ? s.required({"street", "city"}) : s;
}

// [lng, lat] or {type: "Point", coordinates: [lng, lat]}, each in range.
void check_coordinates(const bj::object& body) {
  auto* v = body.if_contains("coordinates");
  if (!v || v->is_null()) return;
  const bj::array* pair = v->is_array() ? &v->get_array() : nullptr;
  if (v->is_object())
    if (auto* c = v->get_object().if_contains("coordinates"); c && c->is_array()) pair = &c->get_array();
  auto num = [](const bj::value& x, double& out) {
    if (x.is_double())
      out = x.get_double();
    else if (x.is_int64())
      out = static_cast<double>(x.get_int64());
    else
      return false;
    return true;
  };
  double lng = 0, lat = 0;
  if (!pair || pair->size() != 2 || !num((*pair)[0], lng) || !num((*pair)[1], lat))
    throw ValidationError("Validation failed", {{"coordinates", "must be [longitude, latitude]"}});
  std::vector<FieldError> errors;
  if (lng < -180 || lng > 180) errors.push_back({"coordinates[0]", "longitude must be between -180 and 180"});
  if (lat < -90 || lat > 90) errors.push_back({"coordinates[1]", "latitude must be between -90 and 90"});
  if (!errors.empty()) throw ValidationError("Validation failed", std::move(errors));
}

const std::string& address_id(const http::Request& r) {
  const auto& id = r.param("id");
  if (!ids::is_object_id(id)) throw NotFoundError("Address");
  return id;
}

bj::object addresses_json(const std::vector<Address>& list) {
  bj::array a;
  for (const auto& x : list) a.push_back(to_json(x));
  return {{"addresses", std::move(a)}};
}

}  // namespace

void register_routes(http::Router& router, UsersService& service) {
  auto* svc = &service;
  router.add({.method = "GET",
              .path = "/api/v1/users/me",
              .summary = "The signed-in user's profile",
              .tag = "users",
              .authenticated = true,
              .handler = [svc](http::Request& r) -> Awaitable {
                co_return http::ok(to_json(co_await svc->get(r.user->id)));
              }});
  router.add({.method = "PUT",
              .path = "/api/v1/users/me",
              .summary = "Update profile, e-mail or phone (role and counters cannot be set)",
              .tag = "users",
              .authenticated = true,
              .body = Schema::object({{"firstName", kName},
                                      {"lastName", Schema::string().max_length(50)},
                                      {"avatar", Schema::string().format("uri").max_length(2048)},
                                      {"dateOfBirth", Schema::string().format("date-time")},
                                      {"email", Schema::string().format("email").max_length(254)},
                                      {"phone", Schema::string().format("phone")},
                                      {"profile", kProfileFields},
                                      {"currentPassword", Schema::string().max_length(128).describe(
                                                              "required when the e-mail or phone changes")}}),
              .handler = [svc](http::Request& r) -> Awaitable {
                co_return http::ok(to_json(co_await svc->update_profile(r.user->id, r.json.get_object(), r.remote_ip)));
              }});
  router.add({.method = "POST",
              .path = "/api/v1/users/me/addresses",
              .summary = "Add an address (the first one becomes the default)",
              .tag = "users",
              .authenticated = true,
              .body = address_schema(true),
              .handler = [svc](http::Request& r) -> Awaitable {
                check_coordinates(r.json.get_object());
                co_return http::ok(addresses_json(co_await svc->add_address(r.user->id, r.json.get_object())), 201);
              }});
  router.add({.method = "PUT",
              .path = "/api/v1/users/me/addresses/:id",
              .summary = "Change one of my addresses",
              .tag = "users",
              .authenticated = true,
              .body = address_schema(false),
              .handler = [svc](http::Request& r) -> Awaitable {
                check_coordinates(r.json.get_object());
                co_return http::ok(
                    addresses_json(co_await svc->update_address(r.user->id, address_id(r), r.json.get_object())));
              }});
  router.add({.method = "DELETE",
              .path = "/api/v1/users/me/addresses/:id",
              .summary = "Remove one of my addresses (another becomes default if needed)",
              .tag = "users",
              .authenticated = true,
              .handler = [svc](http::Request& r) -> Awaitable {
                co_return http::ok(addresses_json(co_await svc->delete_address(r.user->id, address_id(r))));
              }});
}

}  // namespace tiptop::users
