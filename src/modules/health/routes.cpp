#include "modules/health/routes.hpp"

#include <malloc.h>

#include <fstream>

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

}  // namespace

void register_routes(app::Context& ctx) {
  auto& db = ctx.db;
  const auto started = ctx.started_at;
  ctx.router.add({
      .method = "GET",
      .path = "/health",
      .summary = "Liveness, uptime, memory and database state",
      .tag = "health",
      .handler = [&db, started](http::Request&) -> boost::asio::awaitable<http::Response> {
        const bool db_ok = co_await db.ping();
        const auto now = clock::now_ms();
        co_return http::raw_json({{"status", db_ok ? "healthy" : "degraded"},
                                  {"uptime", static_cast<double>(now - started) / 1000.0},
                                  {"timestamp", now},
                                  {"memory", memory_usage()},
                                  {"database", db_ok ? "ok" : "down"}});
      },
  });
  ctx.router.add({
      .method = "GET",
      .path = "/ready",
      .summary = "Readiness for a load balancer: 503 while the database is unreachable",
      .tag = "health",
      .handler = [&db](http::Request&) -> boost::asio::awaitable<http::Response> {
        const bool db_ok = co_await db.ping();
        co_return http::raw_json({{"status", db_ok ? "ready" : "unavailable"}, {"database", db_ok ? "ok" : "down"}},
                                 db_ok ? 200 : 503);
      },
  });
}

}  // namespace tiptop::health
