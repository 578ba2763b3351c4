#include "http/pipeline.hpp"

#include <algorithm>
#include <chrono>
#include <random>

#include "core/json.hpp"
#include "core/log.hpp"
#include "http/error_response.hpp"

namespace tiptop::http {
namespace {

constexpr std::string_view kAllowedHeaders =
    "Content-Type, Authorization, X-Request-Id, Idempotency-Key, If-None-Match, X-Session-Mode";
constexpr std::string_view kExposedHeaders = "X-Request-Id, ETag, Retry-After, RateLimit, RateLimit-Policy";

bool iequals_prefix(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (std::size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(s[i])) != prefix[i]) return false;
  return true;
}

bool is_json_content_type(std::string_view ct) {
  if (!iequals_prefix(ct, "application/json")) return false;
  const auto rest = ct.substr(16);
  return rest.empty() || rest[0] == ';' || rest[0] == ' ';
}

}  // namespace

std::string request_id_for(std::string_view incoming) {
  const bool well_formed =
      !incoming.empty() && incoming.size() <= 128 && std::all_of(incoming.begin(), incoming.end(), [](unsigned char c) {
        return std::isalnum(c) || c == '.' || c == '_' || c == '-' || c == ':';
      });
  if (well_formed) return std::string(incoming);
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id = "req_";
  auto bits = rng();
  for (int i = 0; i < 16; ++i, bits >>= 4) id += kHex[bits & 0xF];
  return id;
}

Pipeline::Pipeline(const Config& config, const Router& router, RateLimiter* limiter)
    : router_(router),
      limiter_(limiter),
      rate_limit_max_(config.rate_limit_max),
      rate_limit_window_(config.rate_limit_window_ms),
      handshakes_per_minute_(config.socket_handshakes_per_minute),
      allowed_origins_(config.client_urls.begin(), config.client_urls.end()),
      trusted_proxies_(config.trust_proxy.begin(), config.trust_proxy.end()) {}

void Pipeline::resolve_client_ip(Request& req) const {
  if (trusted_proxies_.empty() || !trusted_proxies_.contains(req.remote_ip)) return;
  std::string_view chain = req.header("x-forwarded-for");
  // Walk from the right (the hop our proxy added) past every trusted hop; the next one is the client.
  while (!chain.empty()) {
    const auto comma = chain.rfind(',');
    auto hop = chain.substr(comma == std::string_view::npos ? 0 : comma + 1);
    while (!hop.empty() && hop.front() == ' ') hop.remove_prefix(1);
    while (!hop.empty() && hop.back() == ' ') hop.remove_suffix(1);
    chain = comma == std::string_view::npos ? std::string_view{} : chain.substr(0, comma);
    if (hop.empty() || hop.size() > 45) return;
    req.remote_ip = std::string(hop);
    if (!trusted_proxies_.contains(hop)) return;
  }
}

const Mount* Pipeline::mounted(std::string_view path) const {
  for (const auto& m : mounts_) {
    std::string_view p = m.path;
    if (p.ends_with('/')) p.remove_suffix(1);
    if (path == p || (path.size() == p.size() + 1 && path.starts_with(p) && path.back() == '/')) return &m;
  }
  return nullptr;
}

void Pipeline::route(Request& req) const {
  if (req.routed) return;
  req.routed = true;
  auto m = router_.match(req.method, req.path);
  req.matched = m.route;
  req.params = std::move(m.params);
  req.allow = std::move(m.allow);
  if (m.route) req.route = m.route->path;
}

std::size_t Pipeline::body_limit(Request& req) const {
  if (const auto* m = mounted(req.path)) return m->body_limit;
  route(req);
  return req.matched ? req.matched->body_limit : kDefaultBodyLimit;
}

boost::asio::awaitable<void> Pipeline::admit(Request& req, const Route& route) const {
  if (!route.authenticated && route.roles.empty()) {
    // A public route that serves signed-in users more (a quote with a saved address): a token that
    // is sent must be valid, so a stale one is a 401 to refresh rather than a silent guest answer.
    if (route.identify && !req.authenticated && !req.header("authorization").empty() && authenticator_) {
      co_await authenticator_(req);
      req.authenticated = true;
    }
    co_return;
  }
  if (!req.authenticated) {
    if (!authenticator_) throw AuthenticationError("No authentication token provided");
    co_await authenticator_(req);
    req.authenticated = true;
  }
  const auto& roles = route.roles;
  if (!roles.empty() && (!req.user || std::find(roles.begin(), roles.end(), req.user->role) == roles.end()))
    throw AuthorizationError();
  // A guest token opens only the routes that name guests, never "any signed-in user".
  if (roles.empty() && req.user && req.user->role == "guest")
    throw AuthorizationError("A guest token is only for placing and tracking a guest order");
}

bool Pipeline::upgrade_origin_allowed(const Request& req) const {
  const auto origin = req.header("origin");
  if (origin.empty() || allowed_origins_.empty() || origin_allowed(origin)) return true;
  const auto scheme_end = origin.find("://");
  return scheme_end != std::string_view::npos && origin.substr(scheme_end + 3) == req.header("host");
}

bool Pipeline::is_handshake(const Request& req) const {
  return limiter_ && handshakes_per_minute_ > 0 && req.method == "GET" && mounted(req.path) && !req.query_param("sid");
}

boost::asio::awaitable<RateDecision> Pipeline::count_handshake(const Request& req) const {
  auto key = "eio:" + req.remote_ip;
  const std::chrono::milliseconds minute{60'000};
  if (auto now = limiter_->hit_now(key, handshakes_per_minute_, minute)) co_return *now;
  co_return co_await limiter_->hit(std::move(key), handshakes_per_minute_, minute);
}

boost::asio::awaitable<std::optional<AppError>> Pipeline::refuse_upgrade(Request& req) const {
  if (!upgrade_origin_allowed(req))
    co_return AuthorizationError("WebSocket connections from this origin are not allowed");
  resolve_client_ip(req);
  if (is_handshake(req)) {
    const auto decision = co_await count_handshake(req);
    if (!decision.allowed)
      co_return RateLimitError(decision.reset_seconds, "Too many new connections from this address; try again later");
  }
  co_return std::nullopt;
}

bool Pipeline::origin_allowed(std::string_view origin) const {
  // "null" (sandboxed frames, file://) is never in the list, so it is never echoed.
  return allowed_origins_.contains(origin);
}

boost::asio::awaitable<Response> Pipeline::handle(Request& req) const {
  const auto start = std::chrono::steady_clock::now();
  resolve_client_ip(req);
  req.request_id = request_id_for(req.header("x-request-id"));
  Response res;
  std::optional<RateDecision> rate;
  if (limiter_ && req.path.starts_with("/api/") && req.method != "OPTIONS" &&
      std::find(unlimited_.begin(), unlimited_.end(), req.path) == unlimited_.end()) {
    auto key = "api:" + req.remote_ip;
    rate = limiter_->hit_now(key, rate_limit_max_, rate_limit_window_);
    if (!rate) rate = co_await limiter_->hit(std::move(key), rate_limit_max_, rate_limit_window_);
  } else if (is_handshake(req)) {
    rate = co_await count_handshake(req);
  }
  try {
    if (rate && !rate->allowed) throw RateLimitError(rate->reset_seconds);
    res = co_await dispatch(req);
  } catch (...) {
    res = error_response(std::current_exception(), req.request_id);
  }
  if (rate) {
    res.set_header("RateLimit-Policy", rate_limit_policy_header(*rate));
    res.set_header("RateLimit", rate_limit_header(*rate));
  }
  decorate(req, res);
  const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
  if (metrics_)
    metrics_->observe_request(req.method, req.route.empty() ? "unmatched" : req.route, res.status, ms / 1000);
  // Long-polling is a request every few seconds per connected client: logged only when it fails.
  if (res.status >= 400 || !mounted(req.path)) access_log(req, res, ms);
  co_return res;
}

Response Pipeline::reject(Request& req, const AppError& error) const {
  resolve_client_ip(req);
  req.request_id = request_id_for(req.header("x-request-id"));
  Response res = error_response(error, req.request_id);
  res.close = true;
  decorate(req, res);
  if (metrics_) metrics_->observe_request(req.method, "unmatched", res.status, 0);
  access_log(req, res, 0);
  return res;
}

boost::asio::awaitable<std::optional<Response>> Pipeline::screen(Request& req) const {
  resolve_client_ip(req);
  route(req);
  if (!req.matched) co_return std::nullopt;
  std::optional<AppError> refusal;
  try {
    co_await admit(req, *req.matched);
  } catch (const AppError& e) {
    refusal = e;
  }
  if (!refusal) co_return std::nullopt;
  co_return reject(req, *refusal);
}

boost::asio::awaitable<Response> Pipeline::dispatch(Request& req) const {
  if (const auto* m = mounted(req.path); m && req.method != "OPTIONS") {
    req.route = m->path;
    co_return co_await m->handler(req);
  }
  if (req.method == "OPTIONS") co_return options(req);

  this->route(req);
  if (!req.matched) {
    if (fallback_ && req.allow.empty() && (req.method == "GET" || req.method == "HEAD") &&
        !req.path.starts_with("/api/")) {
      req.route = "web";
      co_return co_await fallback_(req);
    }
    if (!req.allow.empty()) throw MethodNotAllowedError(req.allow);
    throw NotFoundError("Route " + req.method + " " + req.path);
  }
  const Route& route = *req.matched;
  co_await admit(req, route);

  std::vector<FieldError> problems;
  if (route.query) req.query_values = route.query->coerce_query(req.query, problems);
  if (route.body) {
    if (!req.body.empty() && !is_json_content_type(req.header("content-type"))) throw UnsupportedMediaTypeError();
    req.json = req.body.empty() ? boost::json::value(boost::json::object{}) : json::parse_body(req.body);
    route.body->validate(req.json, "", problems);
  }
  if (!problems.empty()) throw ValidationError("Validation failed", std::move(problems));

  co_return co_await route.handler(req);
}

Response Pipeline::options(const Request& req) const {
  auto m = router_.match("GET", req.path);
  std::string allow = m.route ? "GET, HEAD, OPTIONS" : m.allow;
  if (mounted(req.path)) allow = "GET, POST, OPTIONS";
  if (m.route) {
    for (const auto* method : {"POST", "PUT", "PATCH", "DELETE"})
      if (router_.match(method, req.path).route) allow = std::string(method) + ", " + allow;
  }
  if (allow.empty()) throw NotFoundError("Route OPTIONS " + req.path);
  Response res = no_content();
  res.set_header("Allow", allow);
  const auto origin = req.header("origin");
  if (!req.header("access-control-request-method").empty() && origin_allowed(origin)) {
    res.set_header("Access-Control-Allow-Methods", allow);
    res.set_header("Access-Control-Allow-Headers", std::string(kAllowedHeaders));
    res.set_header("Access-Control-Max-Age", "600");
  }
  return res;
}

void Pipeline::decorate(const Request& req, Response& res) const {
  res.set_header("X-Request-Id", req.request_id);
  res.set_header("X-Content-Type-Options", "nosniff");
  res.set_header("X-Frame-Options", "DENY");
  res.set_header("Referrer-Policy", "no-referrer");
  // A page carries its app's policy; everything else (the API's JSON) may load nothing at all.
  if (std::none_of(res.headers.begin(), res.headers.end(),
                   [](auto& h) { return h.first == "Content-Security-Policy"; }))
    res.set_header("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'");
  if (std::none_of(res.headers.begin(), res.headers.end(), [](auto& h) { return h.first == "Cache-Control"; }))
    res.set_header("Cache-Control", "no-store");
  auto vary = std::find_if(res.headers.begin(), res.headers.end(), [](auto& h) { return h.first == "Vary"; });
  if (vary == res.headers.end())
    res.set_header("Vary", "Origin");
  else
    vary->second += ", Origin";
  const auto origin = req.header("origin");
  if (!origin.empty() && origin_allowed(origin)) {
    res.set_header("Access-Control-Allow-Origin", std::string(origin));
    res.set_header("Access-Control-Allow-Credentials", "true");
    res.set_header("Access-Control-Expose-Headers", std::string(kExposedHeaders));
  }
}

void Pipeline::access_log(const Request& req, const Response& res, double duration_ms) const {
  boost::json::object line{{"requestId", req.request_id},
                           {"method", req.method},
                           {"path", req.path},
                           {"status", res.status},
                           {"durationMs", std::round(duration_ms * 100) / 100},
                           {"ip", req.remote_ip}};
  if (req.user) line["userId"] = req.user->id;
  log::write(res.status >= 500 ? log::Level::error : log::Level::info, "request", std::move(line));
}

}  // namespace tiptop::http
