#pragma once
// Analytics (spec §2 Analytics, §3.1 /admin/analytics): a background job rolls every finished day
// up into hourly and per-dish figures — idempotently, catching up on any day it missed while the
// server was down, and rolling a past day again when one of its orders changes. Reports read the
// rollups for past days and compute today (and any day not rolled yet) live from the orders.
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "core/job.hpp"
#include "http/response.hpp"
#include "modules/analytics/report_cache.hpp"
#include "modules/analytics/rollup.hpp"
#include "store/database.hpp"

namespace tiptop::analytics {

class AnalyticsService {
 public:
  AnalyticsService(store::Database& db, std::chrono::seconds interval);

  // Rolls up what is due now, on the calling thread; returns the days written. The job calls it.
  int rollup_sync(clock::Millis now);
  // Runs the job every interval on its own thread (a long catch-up never holds up requests) until
  // stop(); the first run starts at once (catch-up). stop() waits for a run in progress, which
  // stops at its next day (at shutdown, before the database goes).
  void start();
  void stop();

  // An order was delivered or cancelled: today's figures changed, so every cached report is stale
  // (this node's; another node's expire within their minute).
  void orders_changed() { ++generation_; }
  // Bumped whenever the job rewrites a day: cached reports of an older generation are stale.
  std::uint64_t generation() const { return generation_; }
  ReportCache& reports() { return reports_; }

  // Delivery partners on duty now.
  boost::asio::awaitable<std::int64_t> active_partners();
  // Every order placed in [from, to) as CSV, streamed in batches (export.hpp).
  std::shared_ptr<http::BodyStream> export_orders(clock::Millis from, clock::Millis to);

  // One figure set per day from..to (inclusive, YYYY-MM-DD, restaurant time).
  boost::asio::awaitable<std::vector<DayFigures>> days(std::string from, std::string to);

 private:
  std::vector<DayFigures> days_sync(store::Connection& c, const std::string& from, const std::string& to);

  store::Database& db_;
  std::chrono::seconds interval_;
  std::atomic<std::uint64_t> generation_{0};
  ReportCache reports_;
  BackgroundJob job_;  // last: stopped (joined) before the members its passes use go
};

}  // namespace tiptop::analytics
