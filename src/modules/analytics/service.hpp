#pragma once
// Analytics (spec §2 Analytics, §3.1 /admin/analytics): a background job rolls every finished day
// up into hourly and per-dish figures — idempotently, catching up on any day it missed while the
// server was down, and rolling a past day again when one of its orders changes. Reports read the
// rollups for past days and compute today (and any day not rolled yet) live from the orders.
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/json/object.hpp>
#include <string>
#include <vector>

#include "modules/analytics/report_cache.hpp"
#include "modules/analytics/rollup.hpp"
#include "store/database.hpp"

namespace tiptop::analytics {

class AnalyticsService {
 public:
  AnalyticsService(store::Database& db, std::chrono::seconds interval) : db_(db), interval_(interval) {}
  ~AnalyticsService();

  // Rolls up what is due now, on the calling thread; returns the days written. The job calls it.
  int rollup_sync(clock::Millis now);
  // Runs the job on `io` every interval until stop(); the first run starts at once (catch-up).
  void start(boost::asio::io_context& io);
  void stop();
  // stop(), then wait for a run in progress (at shutdown, before the I/O threads and the database go).
  void drain();

  // Bumped whenever the job rewrites a day: cached reports of an older generation are stale.
  std::uint64_t generation() const { return generation_; }
  ReportCache& reports() { return reports_; }

  // One figure set per day from..to (inclusive, YYYY-MM-DD, restaurant time).
  boost::asio::awaitable<std::vector<DayFigures>> days(std::string from, std::string to);

 private:
  std::vector<DayFigures> days_sync(store::Connection& c, const std::string& from, const std::string& to);

  store::Database& db_;
  std::chrono::seconds interval_;
  boost::asio::thread_pool job_{1};  // the rollup's own thread: a long catch-up never holds up requests
  // The job's timer lives in its coroutine frame (so it goes with the I/O context); stop() cancels
  // it on the context's thread through this pointer.
  boost::asio::io_context* io_ = nullptr;
  boost::asio::steady_timer* waiting_ = nullptr;  // touched only on io_'s thread
  std::atomic<bool> stopped_{false};
  std::atomic<bool> running_{false};  // the job's coroutine has not returned yet
  std::atomic<std::uint64_t> generation_{0};
  ReportCache reports_;
};

}  // namespace tiptop::analytics
