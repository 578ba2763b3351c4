#include "modules/health/routes.hpp"

#include <atomic>
#include <memory>

#include <malloc.h>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/network_v4.hpp>
#include <boost/asio/ip/network_v6.hpp>
#include <fstream>

#include "core/crypto.hpp"

namespace tiptop::health {
namespace {

// Resident set size from /proc, and heap figures from glibc: the C++ analogue of process.memoryUsage().
boost::json::object memory_usage() {
  long pages_total = 0, pages_resident = 0;
  std::ifstream("/proc/self/statm") >> pages_total >> pages_resident;
  const auto m = mallinfo2();
  return {{"rss", static_cast<std::int64_t>(pages_resident) * 4096},
          {"heapTotal", static_cast<std::int64_t>(m.arena + m.hblkhd)},
          {"heapUsed", static_cast<std::int64_t>(m.uordblks + m.hblkhd)}};
}

// The peer (after TRUST_PROXY) is in one of the allowed networks, or the request carries the token.
bool may_scrape(const Config& c, const http::Request& r) {
  if (!c.metrics_token.empty()) {
    const auto auth = r.header("authorization");
    if (auth.starts_with("Bearer ") && crypto::constant_time_equal(auth.substr(7), c.metrics_token)) return true;
  }
  boost::system::error_code ec;
  const auto ip = boost::asio::ip::make_address(r.remote_ip, ec);
  if (ec) return false;
  for (const auto& text : c.metrics_allow) {
    if (text.find(':') != std::string::npos) {
      const auto net = boost::asio::ip::make_network_v6(text, ec);
      const auto v6 =
          ip.is_v6() ? ip.to_v6() : boost::asio::ip::make_address_v6(boost::asio::ip::v4_mapped, ip.to_v4());
      if (!ec && boost::asio::ip::make_network_v6(v6, net.prefix_length()).canonical() == net.canonical()) return true;
    } else if (ip.is_v4() || (ip.is_v6() && ip.to_v6().is_v4_mapped())) {
      const auto v4 =
          ip.is_v4() ? ip.to_v4() : boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, ip.to_v6());
      const auto net = boost::asio::ip::make_network_v4(text, ec);
      if (!ec && boost::asio::ip::make_network_v4(v4, net.prefix_length()).canonical() == net.canonical()) return true;
    }
  }
  return false;
}

}  // namespace

void register_metrics_route(http::Router& router, const Config& config_ref, Metrics& metrics_sink, GaugeSource gauges) {
  const Config* config = &config_ref;
  Metrics* metrics = &metrics_sink;
  router.add({
      .method = "GET",
      .path = "/metrics",
      .summary = "Prometheus metrics (allow-listed networks or METRICS_TOKEN only)",
      .tag = "health",
      .handler = [config, metrics, gauges](http::Request& r) -> boost::asio::awaitable<http::Response> {
        if (!may_scrape(*config, r)) throw AuthorizationError("Metrics are not public");
        const auto figures = co_await gauges();
        http::Response res;
        res.body = metrics->render(figures);
        res.content_type = "text/plain; version=0.0.4; charset=utf-8";
        co_return res;
      },
  });
}

// The database's "ok", kept for a second: a client polling /health in a loop costs one ping a
// second, not one a request (issue 20). "Down" is never kept, so recovery shows at once; /ready,
// which a load balancer acts on, always asks.
class CachedPing {
 public:
  explicit CachedPing(store::Database& db) : db_(db) {}
  boost::asio::awaitable<bool> ok() {
    if (clock::now_ms() - last_ok_.load() < kFor) co_return true;
    const bool up = co_await db_.ping();
    if (up) last_ok_ = clock::now_ms();
    co_return up;
  }

 private:
  static constexpr clock::Millis kFor = 1000;
  store::Database& db_;
  std::atomic<clock::Millis> last_ok_{0};
};

void register_routes(http::Router& router, store::Database& db, clock::Millis started, RedisState redis) {
  auto ping = std::make_shared<CachedPing>(db);
  auto with_redis = [redis](boost::json::object o) {
    if (const auto up = redis ? redis() : std::nullopt) o["redis"] = *up ? "ok" : "down";
    return o;
  };
  router.add({
      .method = "GET",
      .path = "/health",
      .summary = "Liveness, uptime, memory and database state",
      .tag = "health",
      .handler = [ping, started, with_redis](http::Request&) -> boost::asio::awaitable<http::Response> {
        const bool db_ok = co_await ping->ok();
        const auto now = clock::now_ms();
        auto body = with_redis({{"status", db_ok ? "healthy" : "degraded"},
                                {"uptime", static_cast<double>(now - started) / 1000.0},
                                {"timestamp", now},
                                {"memory", memory_usage()},
                                {"database", db_ok ? "ok" : "down"}});
        if (body.contains("redis") && body.at("redis") == "down") body["status"] = "degraded";
        co_return http::raw_json(body);
      },
  });
  router.add({
      .method = "GET",
      .path = "/ready",
      .summary = "Readiness for a load balancer: 503 while the database is unreachable",
      .tag = "health",
      .handler = [&db, with_redis](http::Request&) -> boost::asio::awaitable<http::Response> {
        const bool db_ok = co_await db.ping();
        co_return http::raw_json(
            with_redis({{"status", db_ok ? "ready" : "unavailable"}, {"database", db_ok ? "ok" : "down"}}),
            db_ok ? 200 : 503);
      },
  });
}

}  // namespace tiptop::health
