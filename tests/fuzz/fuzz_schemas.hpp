#pragma once
// Schemas in the shape the routes declare (orders/routes.cpp's placement, users' profile, a
// menu listing's query), covering every Schema feature: types, formats, enums, bounds, nesting,
// nullable and required. Shared by the JSON and HTTP fuzz targets.
#include "http/schema.hpp"

namespace tiptop::fuzz {

inline http::Schema placement_schema() {
  using http::Schema;
  const auto choice =
      Schema::object({{"name", Schema::string().min_length(1).max_length(50)},
                      {"options", Schema::array(Schema::string().min_length(1).max_length(50)).max_items(30)}})
          .required({"name"});
  const auto line = Schema::object({{"menuItem", Schema::string().format("objectId")},
                                    {"quantity", Schema::integer().minimum(1).maximum(50)},
                                    {"customizations", Schema::array(choice).max_items(10)}})
                        .required({"menuItem", "quantity"});
  const auto address = Schema::object({{"addressId", Schema::string().format("objectId")},
                                       {"street", Schema::string().max_length(200)},
                                       {"city", Schema::string().max_length(100)},
                                       {"zipCode", Schema::string().max_length(12)},
                                       {"lat", Schema::number().minimum(-90).maximum(90)},
                                       {"lng", Schema::number().minimum(-180).maximum(180)}});
  return Schema::object({{"items", Schema::array(line).min_items(1).max_items(50)},
                         {"deliveryAddress", address},
                         {"paymentMethod", Schema::string().one_of({"COD", "ONLINE"})},
                         {"specialInstructions", Schema::string().max_length(500).nullable()},
                         {"promoCode", Schema::string().max_length(32)},
                         {"contactless", Schema::boolean()},
                         {"extra", Schema::any()}})
      .required({"items"});
}

inline http::Schema profile_schema() {
  using http::Schema;
  return Schema::object({{"email", Schema::string().format("email")},
                         {"phone", Schema::string().format("phone")},
                         {"website", Schema::string().format("uri")},
                         {"birthday", Schema::string().format("date-time")},
                         {"paymentId", Schema::string().format("gatewayId")},
                         {"profile", Schema::object({{"firstName", Schema::string().min_length(1).max_length(50)},
                                                     {"lastName", Schema::string().max_length(50)}})},
                         {"rating", Schema::integer().minimum(1).maximum(5)}});
}

inline http::Schema listing_query_schema() {
  using http::Schema;
  return Schema::object({{"page", Schema::integer().minimum(1).fallback(1)},
                         {"limit", Schema::integer().minimum(1).maximum(100).fallback(20)},
                         {"q", Schema::string().max_length(100)},
                         {"vegetarian", Schema::boolean()},
                         {"maxPrice", Schema::number().minimum(0)},
                         {"sort", Schema::string().one_of({"price", "-price", "rating", "popular"})}});
}

}  // namespace tiptop::fuzz
