#include "modules/analytics/routes.hpp"

#include <algorithm>

#include "core/json.hpp"
#include "http/date_range.hpp"
#include "modules/analytics/export.hpp"
#include "modules/users/repository.hpp"

namespace tiptop::analytics {
namespace bj = boost::json;
using http::Schema;
using Awaitable = boost::asio::awaitable<http::Response>;

namespace {

constexpr int kMaxDays = 400;       // a year and a bit per request
constexpr int kMaxHourlyDays = 62;  // hourly series stay readable

bj::object figures_json(const Bucket& b) {
  return {{"orders", b.orders},
          {"completed", b.completed},
          {"cancelled", b.cancelled},
          {"revenue",
           {{"total", money::to_json(b.revenue())},
            {"online", money::to_json(b.online)},
            {"cod", money::to_json(b.cod)},
            {"cash", money::to_json(b.cash)},
            {"upi", money::to_json(b.upi)}}},
          {"takeawayOrders", b.takeaway},
          {"discounts", money::to_json(b.discount)},
          {"averageOrderValue", b.completed > 0 ? money::to_json(b.revenue() / b.completed) : bj::value(0)}};
}

// The query's days, restaurant time: from..to inclusive (default: the last 30 days up to today).
std::pair<std::string, std::string> day_range(const bj::object& q, int max_days) {
  const auto r = http::date_range(q);
  const auto today = clock::local_date(clock::now_ms());
  // A missing bound is taken from the other one: 30 days ending at `to`, or `from` up to today.
  std::string to = r.to ? clock::local_date(*r.to - 1) : (r.from ? std::max(today, clock::local_date(*r.from)) : today);
  std::string from = r.from ? clock::local_date(*r.from) : add_days(to, -29);
  if (to < from) {
    if (r.from && r.to && *r.to <= *r.from)
      to = from;  // an empty instant range still names its day
    else
      throw ValidationError("Validation failed", {{"to", "must not be before from"}});
  }
  if (add_days(from, max_days - 1) < to)
    throw ValidationError("Validation failed", {{"to", "at most " + std::to_string(max_days) + " days per request"}});
  return {from, to};
}

std::vector<std::pair<std::string, ItemFigures>> top_items(const std::vector<DayFigures>& days, std::size_t limit) {
  std::map<std::string, ItemFigures> sum;
  for (const auto& d : days)
    for (const auto& [id, item] : d.items) {
      auto& s = sum[id];
      if (s.name.empty()) s.name = item.name;
      s.quantity += item.quantity;
      s.orders += item.orders;
      s.revenue += item.revenue;
    }
  std::vector<std::pair<std::string, ItemFigures>> out(sum.begin(), sum.end());
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return a.second.quantity != b.second.quantity ? a.second.quantity > b.second.quantity
           : a.second.revenue != b.second.revenue ? a.second.revenue > b.second.revenue
                                                  : a.first < b.first;
  });
  if (out.size() > limit) out.resize(limit);
  return out;
}

// Finished days are kept for 30 minutes (or until the job rewrites a day); a report that includes
// today only for a minute, so today's figures stay live.
std::chrono::seconds ttl_for(const std::string& to) {
  return to >= clock::local_date(clock::now_ms()) ? std::chrono::seconds(60) : std::chrono::seconds(30 * 60);
}

bj::array items_json(const std::vector<std::pair<std::string, ItemFigures>>& items) {
  bj::array out;
  for (const auto& [id, i] : items)
    out.push_back(bj::object{{"itemId", id},
                             {"name", i.name},
                             {"quantity", i.quantity},
                             {"orders", i.orders},
                             {"revenue", money::to_json(i.revenue)}});
  return out;
}

}  // namespace

void register_routes(http::Router& router, AnalyticsService& service) {
  auto* svc = &service;
  const std::vector<std::string> admin = {"admin"};

  router.add({.method = "GET",
              .path = "/api/v1/admin/analytics/revenue",
              .summary = "Orders and revenue (online/COD) per hour, day, week or month, restaurant time",
              .tag = "admin-analytics",
              .roles = admin,
              .query = Schema::object(
                  {http::from_param(),
                   http::to_param(),
                   {"groupBy", Schema::string().one_of({"hour", "day", "week", "month"}).fallback("day")}}),
              .handler = [svc](http::Request& r) -> Awaitable {
                const auto group = json::string_or(r.query_values, "groupBy", "day");
                const auto [from, to] = day_range(r.query_values, group == "hour" ? kMaxHourlyDays : kMaxDays);
                const auto key = "revenue|" + from + "|" + to + "|" + group;
                const auto generation = svc->generation();  // read first: a rollup meanwhile makes this entry stale
                if (auto hit = svc->reports().get(key, generation)) co_return http::ok_serialized(*hit, "", true);
                auto days = co_await svc->days(from, to);
                // Periods in order; empty hours and days still appear, so charts have no gaps.
                std::vector<std::pair<std::string, Bucket>> periods;
                auto add = [&](const std::string& key, const Bucket& b) {
                  if (periods.empty() || periods.back().first != key) periods.emplace_back(key, Bucket{});
                  periods.back().second += b;
                };
                Bucket total;
                for (const auto& d : days) {
                  total += d.total();
                  if (group == "hour") {
                    for (std::size_t h = 0; h < 24; ++h) {
                      char key[24];
                      std::snprintf(key, sizeof key, "%sT%02zu", d.day.c_str(), h);
                      add(key, d.hours[h]);
                    }
                  } else {
                    add(group == "week" ? week_of(d.day) : group == "month" ? month_of(d.day) : d.day, d.total());
                  }
                }
                bj::array series;
                for (const auto& [key, b] : periods) {
                  auto o = figures_json(b);
                  o["period"] = key;
                  series.push_back(std::move(o));
                }
                auto text = json::serialize(bj::object{{"from", from},
                                                       {"to", to},
                                                       {"groupBy", group},
                                                       {"totals", figures_json(total)},
                                                       {"series", std::move(series)}});
                svc->reports().put(key, text, generation, ttl_for(to));
                co_return http::ok_serialized(text, "", false);
              }});
  router.add(
      {.method = "GET",
       .path = "/api/v1/admin/analytics/popular-items",
       .summary = "Dishes by quantity sold in delivered orders over a period",
       .tag = "admin-analytics",
       .roles = admin,
       .query = Schema::object(
           {http::from_param(), http::to_param(), {"limit", Schema::integer().minimum(1).maximum(100).fallback(10)}}),
       .handler = [svc](http::Request& r) -> Awaitable {
         const auto [from, to] = day_range(r.query_values, kMaxDays);
         const auto limit = static_cast<std::size_t>(json::int_or(r.query_values, "limit", 10));
         const auto key = "popular|" + from + "|" + to + "|" + std::to_string(limit);
         const auto generation = svc->generation();
         if (auto hit = svc->reports().get(key, generation)) co_return http::ok_serialized(*hit, "", true);
         auto days = co_await svc->days(from, to);
         auto text =
             json::serialize(bj::object{{"from", from}, {"to", to}, {"items", items_json(top_items(days, limit))}});
         svc->reports().put(key, text, generation, ttl_for(to));
         co_return http::ok_serialized(text, "", false);
       }});
  router.add({.method = "GET",
              .path = "/api/v1/admin/analytics/export",
              .summary = "Every order of a period as CSV (RFC 4180), streamed; at most 400 days",
              .tag = "admin-analytics",
              .roles = admin,
              .query = Schema::object(
                  {http::from_param(), http::to_param(), {"format", Schema::string().one_of({"csv"}).fallback("csv")}}),
              .handler = [svc](http::Request& r) -> Awaitable {
                const auto [from, to] = day_range(r.query_values, kMaxDays);
                http::Response res;
                res.content_type = "text/csv; charset=utf-8";
                res.set_header("Content-Disposition",
                               "attachment; filename=\"tiptop-orders-" + from + "-to-" + to + ".csv\"");
                res.set_header("Cache-Control", "no-store");
                res.stream = svc->export_orders(*clock::range_bound(from, false), *clock::range_bound(to, true));
                co_return res;
              }});
  router.add({.method = "GET",
              .path = "/api/v1/admin/analytics/dashboard",
              .summary = "Today against yesterday and the same weekday last week, with today's top dishes",
              .tag = "admin-analytics",
              .roles = admin,
              .handler = [svc](http::Request&) -> Awaitable {
                const auto today = clock::local_date(clock::now_ms());
                const auto key = "dashboard|" + today;
                const auto generation = svc->generation();
                if (auto hit = svc->reports().get(key, generation)) co_return http::ok_serialized(*hit, "", true);
                const auto last_week = add_days(today, -7);
                auto week = co_await svc->days(last_week, today);  // 8 days: [last week's day … today]
                const auto& now = week.back();
                const auto& yesterday = week[week.size() - 2];
                const auto& same_day = week.front();
                auto active = co_await svc->active_partners();
                std::vector<DayFigures> only_today{now};
                auto text = json::serialize(bj::object{{"date", today},
                                                       {"today", figures_json(now.total())},
                                                       {"yesterday", figures_json(yesterday.total())},
                                                       {"sameDayLastWeek", figures_json(same_day.total())},
                                                       {"activePartners", active},
                                                       {"topItems", items_json(top_items(only_today, 5))}});
                svc->reports().put(key, text, generation, ttl_for(today));
                co_return http::ok_serialized(text, "", false);
              }});
}

}  // namespace tiptop::analytics
