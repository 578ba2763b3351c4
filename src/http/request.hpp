#pragma once
// What a handler sees of an HTTP request: no Beast types, so domain code compiles fast and
// stays testable without sockets.
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tiptop::http {

struct Route;  // http/router.hpp

// The signed-in user, set by the authentication middleware.
struct AuthUser {
  std::string id;
  std::string email;
  std::string role;
  std::string session_id;
};

struct Request {
  std::string method;                                        // upper case, e.g. "GET"; HEAD is routed as GET
  std::string target;                                        // as sent, e.g. "/api/v1/menu/items?page=2"
  std::string path;                                          // percent-decoded path without the query
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::vector<std::pair<std::string, std::string>> query;    // decoded, in order
  std::string body;
  std::string remote_ip;
  std::string request_id;

  std::map<std::string, std::string, std::less<>> params;  // from the route pattern
  std::string route;                 // the matched pattern (/api/v1/orders/:id) or mount; empty when none matched
  boost::json::object query_values;  // query after schema validation and coercion
  boost::json::value json;           // body after parsing and validation
  std::optional<AuthUser> user;

  // Set once by the pipeline (Pipeline::route) and reused by every later step: the route table is
  // searched once and the token verified once per request.
  bool routed = false;
  const Route* matched = nullptr;  // null: no route (allow says which methods the path has)
  std::string allow;
  bool authenticated = false;  // the authenticator ran and set user

  std::string_view header(std::string_view lower_name) const;
  std::optional<std::string_view> query_param(std::string_view name) const;
  const std::string& param(std::string_view name) const;
  bool is_head() const { return method == "HEAD"; }
};

// Splits "a?b=1&c=%20" into path and decoded parameters; false when the target is not origin-form.
bool parse_target(std::string_view target, std::string& path, std::vector<std::pair<std::string, std::string>>& query);

}  // namespace tiptop::http
