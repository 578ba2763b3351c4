#pragma once
// What every module's register_routes receives: the shared infrastructure, passed in explicitly.
#include <boost/asio/thread_pool.hpp>

#include "cache/bus.hpp"
#include "cache/cache.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/metrics.hpp"
#include "core/rate_limiter.hpp"
#include "http/router.hpp"
#include "integrations/email.hpp"
#include "realtime/emitter.hpp"
#include "store/database.hpp"

namespace tiptop::app {

struct Context {
  const Config& config;
  store::Database& db;
  http::Router& router;
  clock::Millis started_at;
  boost::asio::thread_pool& cpu;    // CPU-heavy work (password hashing, images), apart from database workers
  boost::asio::thread_pool& files;  // file reads, apart from both
  RateLimiter& limiter;
  cache::Cache& cache;          // L2, shared by the nodes (Redis) or nothing
  cache::InvalidationBus& bus;  // tells the other nodes what changed
  integrations::EmailSender& email;
  realtime::Emitter& emitter;
  Metrics& metrics;
};

}  // namespace tiptop::app
