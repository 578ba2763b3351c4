#pragma once
// The request pipeline every request passes through, in order: request id, CORS preflight,
// routing (404/405), authentication and roles, query and body validation, the handler, error
// mapping, then security and CORS headers and one access-log line.
#include <boost/asio/awaitable.hpp>
#include <functional>
#include <optional>
#include <set>
#include <string>

#include "core/config.hpp"
#include "core/metrics.hpp"
#include "core/rate_limiter.hpp"
#include "http/router.hpp"

namespace tiptop::http {

struct Upgrade;  // http/upgrade.hpp

// A path served outside the router, for any method (Engine.IO's /socket.io/): the handler sees
// the raw request; a WebSocket upgrade request on the path goes to upgrade instead.
struct Mount {
  std::string path;  // matched exactly, with or without a trailing slash
  std::size_t body_limit = kDefaultBodyLimit;
  Handler handler;
  std::function<boost::asio::awaitable<void>(Request&, Upgrade&)> upgrade;
};

// Verifies the caller and sets req.user, or throws AuthenticationError. Installed by the auth module.
using Authenticator = std::function<boost::asio::awaitable<void>(Request&)>;

class Pipeline {
 public:
  // limiter: when set, every /api/ request counts against RATE_LIMIT_MAX per IP (spec §8.2).
  Pipeline(const Config& config, const Router& router, RateLimiter* limiter = nullptr);

  void set_authenticator(Authenticator a) { authenticator_ = std::move(a); }
  // Every answered request is counted here (method, route pattern, status, latency).
  void set_metrics(Metrics* m) { metrics_ = m; }
  void mount(Mount m) { mounts_.push_back(std::move(m)); }
  // GET and HEAD outside /api/ that no route answers (the web apps' files): the handler answers or
  // throws NotFoundError. Its own Content-Security-Policy and Cache-Control are kept.
  void set_fallback(Handler h) { fallback_ = std::move(h); }
  // A path the per-IP API limit leaves alone: a provider's webhook arrives from a handful of
  // addresses, proves itself with its signature, and must never be refused for volume.
  void exempt_from_rate_limit(std::string path) { unlimited_.push_back(std::move(path)); }
  // A WebSocket upgrade: no Origin (not a browser), our own site (the pages this binary serves),
  // or one of CLIENT_URL's when it is set.
  bool upgrade_origin_allowed(const Request& req) const;
  // Why a WebSocket upgrade on a mount is refused (its origin, or too many new connections from
  // the address), or nothing.
  boost::asio::awaitable<std::optional<AppError>> refuse_upgrade(Request& req) const;
  // The mount for this path, if any.
  const Mount* mounted(std::string_view path) const;

  // Matches the request against the route table, once: later calls (and handle()) reuse it.
  void route(Request& req) const;
  // The body size this request may send, known from its method and path before the body is read.
  std::size_t body_limit(Request& req) const;
  // Handles a complete request; never throws.
  boost::asio::awaitable<Response> handle(Request& req) const;
  // A request refused by the transport (too large, malformed framing): same headers and log line.
  Response reject(Request& req, const AppError& error) const;
  // Before a body is read: a route that needs a signed-in user gets its authentication and role
  // check now, so anonymous clients cannot make the server buffer bodies (or see 100 Continue).
  // Returns the refusal to send, or nothing when the request may proceed.
  boost::asio::awaitable<std::optional<Response>> screen(Request& req) const;

 private:
  std::vector<std::string> unlimited_;
  Handler fallback_;
  boost::asio::awaitable<Response> dispatch(Request& req) const;
  // Authentication and the route's roles, once per request (screen() may have done it already).
  boost::asio::awaitable<void> admit(Request& req, const Route& route) const;
  Response options(const Request& req) const;
  void decorate(const Request& req, Response& res) const;
  void access_log(const Request& req, const Response& res, double duration_ms) const;
  bool origin_allowed(std::string_view origin) const;
  // A new Engine.IO session (a request on a mount without sid): SOCKET_HANDSHAKES_PER_MINUTE per address.
  bool is_handshake(const Request& req) const;
  boost::asio::awaitable<RateDecision> count_handshake(const Request& req) const;
  // Behind a trusted proxy, the client is the nearest untrusted address in X-Forwarded-For.
  void resolve_client_ip(Request& req) const;

  const Router& router_;
  RateLimiter* limiter_;
  long rate_limit_max_;
  std::chrono::milliseconds rate_limit_window_;
  long handshakes_per_minute_;
  std::set<std::string, std::less<>> allowed_origins_;
  std::set<std::string, std::less<>> trusted_proxies_;
  Authenticator authenticator_;
  Metrics* metrics_ = nullptr;
  std::vector<Mount> mounts_;
};

// Keeps a well-formed incoming X-Request-Id (1-128 of [A-Za-z0-9._:-]); otherwise makes "req_<hex>".
std::string request_id_for(std::string_view incoming);

}  // namespace tiptop::http
