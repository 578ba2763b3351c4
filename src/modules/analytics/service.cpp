#include "modules/analytics/service.hpp"

#include "core/log.hpp"
#include "modules/analytics/export.hpp"
#include "modules/analytics/repository.hpp"
#include "modules/users/repository.hpp"

namespace tiptop::analytics {
namespace asio = boost::asio;

AnalyticsService::AnalyticsService(store::Database& db, std::chrono::seconds interval)
    : db_(db), interval_(interval), job_("analytics rollup", interval, [this] {
        rollup_sync(clock::now_ms());
        return std::chrono::duration_cast<std::chrono::milliseconds>(interval_);
      }) {}

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
    if (job_.stopping()) return written;  // shutting down: the rest is found again next time (the run is not complete)
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

void AnalyticsService::start() { job_.start(); }

void AnalyticsService::stop() { job_.stop(); }

std::vector<DayFigures> AnalyticsService::days_sync(store::Connection& c, const std::string& from,
                                                    const std::string& to) {
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

asio::awaitable<std::int64_t> AnalyticsService::active_partners() {
  co_return co_await db_.read_may_lag([](store::Connection& c) { return users::count_available_partners(c); });
}

std::shared_ptr<http::BodyStream> AnalyticsService::export_orders(clock::Millis from, clock::Millis to) {
  return order_export(db_, from, to);
}

}  // namespace tiptop::analytics
