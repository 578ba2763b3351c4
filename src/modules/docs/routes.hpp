#pragma once
#include <boost/json/value.hpp>

#include "app/context.hpp"

namespace tiptop::docs {

// The OpenAPI 3.1 document, built from the routes' own declarations.
boost::json::value openapi_document(const http::Router& router);
// GET /api/docs/openapi.json
void register_routes(app::Context& ctx);

}  // namespace tiptop::docs
