#pragma once
#include <functional>
#include <optional>

#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/metrics.hpp"
#include "http/router.hpp"
#include "store/database.hpp"

namespace tiptop::health {

// Whether Redis answers: nullopt when REDIS_URL is not set.
using RedisState = std::function<std::optional<bool>()>;
// GET /health (spec §10.4 fields plus database, and redis when configured) and GET /ready (503
// while the database is down; Redis down is reported but tolerated: each node degrades alone).
void register_routes(http::Router& router, store::Database& db, clock::Millis started_at, RedisState redis = {});

// Figures read when /metrics is scraped (open sockets, pool use, outbox backlog…).
using GaugeSource = std::function<boost::asio::awaitable<std::vector<Metrics::Gauge>>()>;
// GET /metrics in the Prometheus text format: only from METRICS_ALLOW networks or with
// "Authorization: Bearer METRICS_TOKEN"; everyone else gets 403.
void register_metrics_route(http::Router& router, const Config& config, Metrics& metrics, GaugeSource gauges);

}  // namespace tiptop::health
