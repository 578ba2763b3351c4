#include "modules/analytics/service.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <thread>

#include "core/blocking.hpp"
#include "core/log.hpp"
#include "modules/analytics/repository.hpp"

namespace tiptop::analytics {
namespace asio = boost::asio;

AnalyticsService::~AnalyticsService() {
  stopped_ = true;  // the I/O context is gone by now: nothing to post to
  job_.join();
}

int AnalyticsService::rollup_sync(clock::Millis now) {
  const auto today = clock::local_date(now);
  const auto today_start = *clock::range_bound(today, false);
  // Which days: every finished day since the first order that has no rollup yet (catch-up), and
  // every past day one of whose orders changed since the last complete run. The look-back margin
  // covers rows stamped before that run but committed after it read them (group commit, other nodes).
  constexpr clock::Millis kLookBack = 10 * 60 * 1000;
  std::set<std::string> due;
  auto plan = [&](store::Connection& c) {
    const auto first = first_order_at(c);
    if (!first) return;
    const auto done = rolled_days(c);
    for (auto d = clock::local_date(*first); d < today; d = add_days(d, 1))
      if (!done.contains(d)) due.insert(d);
    if (auto since = last_complete_run(c))
      for (auto at : changed_orders(c, *since - kLookBack, today_start)) due.insert(clock::local_date(at));
  };
  db_.read_sync(plan);
  int written = 0;
  for (const auto& day : due) {
    if (stopped_) return written;  // shutting down: the rest is found again next time (the run is not complete)
    auto roll = [&](store::Connection& c) {
      lock_rollup(c);  // concurrent replacements of a day would collide on the primary key
      const auto [from, to] = day_bounds(day);
      replace_day(c, compute_day(day, order_facts(c, from, to)), now);
    };
    db_.transaction_sync(roll);
    ++written;
    ++generation_;  // after each committed day, so a failure later still invalidates what changed
  }
  // Only a run that got through every due day moves the change watermark.
  auto complete = [&](store::Connection& c) { mark_complete_run(c, now); };
  db_.transaction_sync(complete);
  if (written > 0) log::info("analytics rolled up", {{"days", written}});
  return written;
}

void AnalyticsService::start(asio::io_context& io) {
  io_ = &io;
  running_ = true;
  auto run = [this]() -> asio::awaitable<void> {
    asio::steady_timer timer(co_await asio::this_coro::executor);
    while (!stopped_) {
      try {
        auto work = [this] { return rollup_sync(clock::now_ms()); };
        co_await run_blocking(job_, work);
      } catch (const std::exception& e) {
        log::warn("analytics rollup failed; retrying next interval", {{"error", e.what()}});
      }
      if (stopped_) break;
      timer.expires_after(interval_);
      waiting_ = &timer;
      boost::system::error_code ec;
      co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
      waiting_ = nullptr;
    }
    running_ = false;
  };
  asio::co_spawn(io, run, asio::detached);
}

void AnalyticsService::drain() {
  stop();
  // Let the coroutine see the stop and leave (a run in progress stops at the next day), so nothing
  // is posted to the job's pool after it is joined and no frame outlives the I/O context.
  for (int i = 0; i < 3000 && running_; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  job_.join();
}

void AnalyticsService::stop() {
  if (stopped_.exchange(true) || !io_) return;
  asio::post(*io_, [this] {
    if (waiting_) waiting_->cancel();
  });
}

std::vector<DayFigures> AnalyticsService::days_sync(store::Connection& c, const std::string& from, const std::string& to) {
  const auto today = clock::local_date(clock::now_ms());
  std::vector<DayFigures> out;
  for (auto d = from; d <= to; d = add_days(d, 1)) {
    std::optional<DayFigures> f;
    if (d < today) f = stored_day(c, d);
    if (!f) {
      const auto [start, end] = day_bounds(d);
      f = compute_day(d, order_facts(c, start, end));  // today, or a day the job has not reached yet
    }
    out.push_back(std::move(*f));
  }
  return out;
}

asio::awaitable<std::vector<DayFigures>> AnalyticsService::days(std::string from, std::string to) {
  co_return co_await db_.read_may_lag([&](store::Connection& c) { return days_sync(c, from, to); });
}

}  // namespace tiptop::analytics
