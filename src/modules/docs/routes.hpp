#pragma once
#include <boost/json/value.hpp>

#include "http/router.hpp"

namespace tiptop::docs {

// The OpenAPI 3.1 document, built from the routes' own declarations.
boost::json::value openapi_document(const http::Router& router);
// GET /api/docs/openapi.json
void register_routes(http::Router& router);

}  // namespace tiptop::docs
