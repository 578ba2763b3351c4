#pragma once
// Routes are declared with their metadata; the same declaration drives matching, validation,
// authorization and the OpenAPI document.
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "http/request.hpp"
#include "http/response.hpp"
#include "http/schema.hpp"

namespace tiptop::http {

using Handler = std::function<boost::asio::awaitable<Response>(Request&)>;

constexpr std::size_t kDefaultBodyLimit = 1024 * 1024;

struct Route {
  std::string method;  // GET, POST, PUT, PATCH, DELETE
  std::string path;    // "/api/v1/orders/:id/cancel"
  std::string summary;
  std::string tag;                 // OpenAPI grouping, e.g. "orders"
  std::vector<std::string> roles;  // empty: public; otherwise the signed-in user's role must be one of these
  bool authenticated = false;      // signed-in user required even when roles is empty
  bool identify = false;           // public, but a bearer token, when sent, is checked and sets the user
  std::optional<Schema> query;
  std::optional<Schema> body;  // present: a JSON route
  std::size_t body_limit = kDefaultBodyLimit;
  Handler handler;
};

class Router {
 public:
  void add(Route route);

  struct Match {
    const Route* route = nullptr;
    std::map<std::string, std::string, std::less<>> params;
    std::string allow;  // when the path exists under other methods
  };
  // HEAD matches GET routes. Literal segments win over parameters (/orders/track/:n before /orders/:id).
  Match match(std::string_view method, std::string_view path) const;

  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Compiled {
    std::vector<std::string> segments;  // ":name" marks a parameter
  };
  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;
};

std::vector<std::string_view> split_path(std::string_view path);

}  // namespace tiptop::http
