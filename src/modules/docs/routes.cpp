#include "modules/docs/routes.hpp"

#include <boost/json/parse.hpp>

namespace tiptop::docs {
namespace bj = boost::json;
namespace {

// "/orders/:id/cancel" -> "/orders/{id}/cancel"
std::string openapi_path(const std::string& path) {
  std::string out;
  for (auto seg : http::split_path(path)) {
    out += '/';
    if (seg[0] == ':')
      out += "{" + std::string(seg.substr(1)) + "}";
    else
      out += seg;
  }
  return out.empty() ? "/" : out;
}

bj::object error_response_doc(const char* description) {
  return {{"description", description},
          {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
}

bj::object operation(const http::Route& r) {
  bj::object op{{"summary", r.summary}, {"operationId", r.method + openapi_path(r.path)}};
  if (!r.tag.empty()) op["tags"] = bj::array{r.tag};
  bj::array parameters;
  for (auto seg : http::split_path(r.path))
    if (seg[0] == ':')
      parameters.push_back(
          bj::object{{"name", seg.substr(1)}, {"in", "path"}, {"required", true}, {"schema", {{"type", "string"}}}});
  if (r.query) {
    for (const auto& [name, schema] : r.query->properties())
      parameters.push_back(bj::object{{"name", name}, {"in", "query"}, {"schema", schema.to_json_schema()}});
  }
  if (!parameters.empty()) op["parameters"] = std::move(parameters);
  if (r.body)
    op["requestBody"] = {{"required", true},
                         {"content", {{"application/json", {{"schema", r.body->to_json_schema()}}}}}};
  bj::object responses{{"200", {{"description", "Success"}}}, {"400", error_response_doc("Validation failed")}};
  if (r.authenticated || !r.roles.empty()) {
    op["security"] = bj::array{bj::object{{"bearerAuth", bj::array{}}}};
    responses["401"] = error_response_doc("Not signed in or token invalid");
    if (!r.roles.empty()) {
      bj::array roles;
      for (const auto& role : r.roles) roles.emplace_back(role);
      op["x-roles"] = std::move(roles);
      responses["403"] = error_response_doc("Role not allowed");
    }
  }
  op["responses"] = std::move(responses);
  return op;
}

}  // namespace

bj::value openapi_document(const http::Router& router) {
  bj::object paths;
  for (const auto& r : router.routes()) {
    std::string method = r.method;
    for (auto& c : method) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto& item = paths[openapi_path(r.path)];
    if (!item.is_object()) item = bj::object{};
    item.get_object()[method] = operation(r);
  }
  // The error envelope of spec §3.2, shared by every operation.
  static const bj::value error_schema = bj::parse(R"({
    "type": "object", "required": ["success", "error"],
    "properties": {
      "success": {"type": "boolean", "const": false},
      "error": {"type": "object", "required": ["code", "message", "timestamp"],
        "properties": {
          "code": {"type": "string"}, "message": {"type": "string"},
          "details": {"type": "array", "items": {"type": "object",
            "properties": {"field": {"type": "string"}, "message": {"type": "string"}}}},
          "timestamp": {"type": "string", "format": "date-time"},
          "requestId": {"type": "string"}}}}})");
  return bj::object{
      {"openapi", "3.1.0"},
      {"info", {{"title", "TipTop API"}, {"version", TIPTOP_VERSION}}},
      {"servers", bj::array{bj::object{{"url", "/"}}}},
      {"paths", std::move(paths)},
      {"components",
       {{"securitySchemes", {{"bearerAuth", {{"type", "http"}, {"scheme", "bearer"}, {"bearerFormat", "JWT"}}}}},
        {"schemas", {{"Error", error_schema}}}}}};
}

void register_routes(http::Router& router) {
  const http::Router& table = router;
  router.add({
      .method = "GET",
      .path = "/api/docs/openapi.json",
      .summary = "This API's OpenAPI 3.1 description",
      .tag = "docs",
      .handler = [&table](http::Request&) -> boost::asio::awaitable<http::Response> {
        // Built on request: the route table is fixed after start-up and this is not a hot path.
        co_return http::raw_json(openapi_document(table));
      },
  });
}

}  // namespace tiptop::docs
