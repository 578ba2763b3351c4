#pragma once
// SQL for the rollup tables, the order facts they are computed from, and the orders export.
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "modules/analytics/rollup.hpp"
#include "store/database.hpp"

namespace tiptop::analytics {

// Local midnight of a day and of the next: the day's [start, end) in UTC milliseconds.
std::pair<clock::Millis, clock::Millis> day_bounds(const std::string& day);

std::vector<OrderFacts> order_facts(store::Connection& c, clock::Millis from, clock::Millis to);
// Replaces the day's rows whole: running it twice leaves the same rows.
void replace_day(store::Connection& c, const DayFigures& f, clock::Millis computed_at);
std::optional<DayFigures> stored_day(store::Connection& c, const std::string& day);

std::set<std::string> rolled_days(store::Connection& c);
// When the last run that rolled every due day began; changes since then are still due.
std::optional<clock::Millis> last_complete_run(store::Connection& c);
void mark_complete_run(store::Connection& c, clock::Millis started_at);
std::optional<clock::Millis> first_order_at(store::Connection& c);
// Placement times of orders changed at or after `since` and placed before `before`.
std::vector<clock::Millis> changed_orders(store::Connection& c, clock::Millis since, clock::Millis before);

// One writer at a time across nodes while a day is replaced: a transaction-scoped advisory lock
// on PostgreSQL; SQLite's write transaction already excludes other writers.
void lock_rollup(store::Connection& c);

// One page of the orders export: orders placed in [from, to) after the keyset `after` (created_at,
// id of the previous page's last row), in that order; the rows as stored, for the CSV to render.
store::ResultSet export_page(store::Connection& c, clock::Millis from, clock::Millis to,
                             const std::optional<std::pair<clock::Millis, std::string>>& after, std::int64_t limit);

}  // namespace tiptop::analytics
