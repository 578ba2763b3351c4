// Analytics on both engines: rollups equal a direct recomputation from the orders for random
// ranges (a property test over generated data), the restaurant's time zone decides the day, a
// changed or missing day is rolled again, and the routes check roles and ranges.
#include <gtest/gtest.h>

#include <chrono>
#include <random>
#include <set>
#include <thread>

#include "core/ids.hpp"
#include "core/json.hpp"
#include "modules/auth/passwords.hpp"
#include "modules/auth/service.hpp"
#include "modules/orders/repository.hpp"
#include "modules/users/repository.hpp"
#include "store/database.hpp"
#include "support/api.hpp"
#include "support/http_client.hpp"
#include "support/test_app.hpp"

using namespace tiptop;
using namespace tiptop::testing;
namespace bj = boost::json;

namespace {

constexpr int kDays = 60;

// What the reports must say, recomputed straight from the orders table.
struct Expected {
  std::int64_t orders = 0, completed = 0, cancelled = 0;
  std::int64_t online = 0, cod = 0, discount = 0;
};

Expected recompute(store::Database& db, clock::Millis from, clock::Millis to) {
  auto q = [&](store::Connection& c) {
    auto r = c.query(
        "SELECT COUNT(*) AS n, SUM(CASE WHEN status = 'delivered' THEN 1 ELSE 0 END) AS done, "
        "SUM(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END) AS cancelled, "
        "SUM(CASE WHEN status = 'delivered' AND payment_method <> 'COD' THEN final_amount_paise ELSE 0 END) AS online, "
        "SUM(CASE WHEN status = 'delivered' AND payment_method = 'COD' THEN final_amount_paise ELSE 0 END) AS cod, "
        "SUM(CASE WHEN status = 'delivered' THEN discount_paise ELSE 0 END) AS discount "
        "FROM orders WHERE created_at >= ? AND created_at < ?",
        {from, to});
    const auto& row = r.rows.at(0);
    return Expected{row.integer("n"),      row.integer("done"), row.integer("cancelled"),
                    row.integer("online"), row.integer("cod"),  row.integer("discount")};
  };
  return db.read_sync(q);
}

std::int64_t paise(const bj::value& rupees) { return money::from_json(rupees).value_or(-1); }

class Analytics : public ApiTest {
 protected:
  void SetUp() override {
    TIPTOP_REQUIRE_ENGINE(GetParam());
    TestApp::Options options;
    options.env = {{"ANALYTICS_ROLLUP_INTERVAL_SECONDS", "1"}, {"RESTAURANT_TIMEZONE", "Asia/Kolkata"}};
    options.prepare = [this](store::Database& db) { generate(db); };
    app_ = std::make_unique<TestApp>(GetParam(), std::move(options));
    auto& auth = app_->app().auth();
    auth.create_account_sync({.role = "admin",
                              .email = "chef@tiptop.in",
                              .phone = "9800000001",
                              .password = kTestPassword,
                              .first_name = "Meera"});
    admin_ = login("chef@tiptop.in");
    customer_token_ = login("asha@tiptop.in");
    utc_probe_day_ = clock::to_iso8601(probe_at_).substr(0, 10);
    local_probe_day_ = clock::local_date(probe_at_);
    wait_for_rollup();
  }

  // ~600 orders over the last 60 days at random hours, statuses, payment methods, amounts and
  // dishes (seeded, so a failure reproduces), plus one at 00:30 Kolkata on 2026-01-02.
  void generate(store::Database& db) {
    std::mt19937_64 rng(20261125);
    auto insert = [&](store::Connection& c) {
      users::User u;
      u.id = customer_id_ = ids::new_object_id();
      u.email = "asha@tiptop.in";
      u.phone = "9811112222";
      u.first_name = "Asha";
      u.password_hash = auth::hash_password(kTestPassword);
      u.created_at = u.updated_at = clock::now_ms();
      users::insert_user(c, u);
      const auto now = clock::now_ms();
      const char* statuses[] = {"delivered", "delivered", "delivered", "cancelled", "pending", "ready"};
      const char* dishes[][2] = {{"aaaaaaaaaaaaaaaaaaaaaaa1", "Chicken Biryani"},
                                 {"aaaaaaaaaaaaaaaaaaaaaaa2", "Butter Naan"},
                                 {"aaaaaaaaaaaaaaaaaaaaaaa3", "Paneer Tikka"}};
      auto order_at = [&](clock::Millis at, const std::string& status, const std::string& method, int n) {
        orders::Order o;
        o.id = ids::new_object_id();
        o.order_number = "ORD_TEST_" + std::to_string(n);
        o.customer_id = u.id;
        o.customer = {{"id", u.id}, {"name", "Asha"}, {"phone", "+919811112222"}};
        money::Paise total = 0;
        const int lines = 1 + static_cast<int>(rng() % 2);
        for (int l = 0; l < lines; ++l) {
          const auto& d = dishes[rng() % 3];
          const int qty = 1 + static_cast<int>(rng() % 4);
          const money::Paise price = 5000 + static_cast<money::Paise>(rng() % 30000);
          total += price * qty;
          o.items.push_back(bj::object{
              {"menuItem", d[0]}, {"name", d[1]}, {"quantity", qty}, {"subtotal", money::to_json(price * qty)}});
        }
        o.pricing = {total, static_cast<money::Paise>(rng() % 3 == 0 ? rng() % 5000 : 0), total / 20, 0, 0};
        o.pricing.final_amount = o.pricing.items_total - o.pricing.discount + o.pricing.tax;
        o.delivery_address = {{"street", "1 MG Road"}, {"city", "Bengaluru"}};
        o.status = orders::parse_status(status).value();
        o.payment_method = method;
        o.created_at = o.updated_at = at;
        orders::insert_order(c, o);
        c.execute("UPDATE orders SET status = ? WHERE id = ?", {status, o.id});
      };
      for (int i = 0; i < 600; ++i) {
        const clock::Millis at =
            now - static_cast<clock::Millis>(rng() % (static_cast<std::uint64_t>(kDays) * 86'400'000));
        order_at(at, statuses[rng() % 6], rng() % 3 == 0 ? "ONLINE" : "COD", i);
      }
      for (int i = 0; i < 5; ++i) order_at(now - 60'000 * (i + 1), "delivered", "COD", 1000 + i);  // today
      // 19:00 UTC, 90 days ago: 00:30 the next day in Kolkata.
      const auto utc_day = std::chrono::floor<std::chrono::days>(
          std::chrono::sys_time<std::chrono::milliseconds>{std::chrono::milliseconds{now - 90LL * 86'400'000}});
      const clock::Millis probe =
          std::chrono::duration_cast<std::chrono::milliseconds>(utc_day.time_since_epoch()).count() + 19 * 3'600'000;
      probe_at_ = probe;  // its days are read once the server has set the restaurant's zone
      order_at(probe, "delivered", "COD", 2000);
    };
    db.transaction_sync(insert);
  }
  std::string code(const HttpResult& r) { return r.status >= 400 ? str(r.json().at("error").at("code")) : "none"; }
  store::Database& db() { return app_->app().context().db; }

  std::int64_t rolled() {
    auto q = [](store::Connection& c) {
      return c.query("SELECT COUNT(*) AS n FROM analytics_days").rows.at(0).integer("n");
    };
    return db().read_sync(q);
  }
  // Every finished day from the first order (the probe, 90 days ago) to yesterday gets a rollup.
  void wait_for_rollup() {
    const auto today = clock::local_date(clock::now_ms());
    std::int64_t days = 0;
    for (auto d = local_probe_day_; d < today; d = next_day(d)) ++days;
    for (int i = 0; i < 600 && rolled() < days; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ASSERT_EQ(rolled(), days);
  }
  static std::string next_day(const std::string& d) {
    return clock::local_date(*clock::range_bound(d, true) + 3'600'000);  // an hour into the next day
  }

  void expect_matches(const std::string& from, const std::string& to, const std::string& group = "day") {
    auto r = call("GET", "/api/v1/admin/analytics/revenue?groupBy=" + group + "&from=" + from + "&to=" + to, admin_);
    ASSERT_EQ(r.status, 200) << r.body;
    const auto data = r.json().at("data");
    const auto want = recompute(db(), *clock::range_bound(from, false), *clock::range_bound(to, true));
    const auto& t = data.at("totals");
    EXPECT_EQ(t.at("orders").as_int64(), want.orders) << from << ".." << to << " by " << group;
    EXPECT_EQ(t.at("completed").as_int64(), want.completed) << from << ".." << to;
    EXPECT_EQ(t.at("cancelled").as_int64(), want.cancelled) << from << ".." << to;
    EXPECT_EQ(paise(t.at("revenue").at("online")), want.online) << from << ".." << to;
    EXPECT_EQ(paise(t.at("revenue").at("cod")), want.cod) << from << ".." << to;
    EXPECT_EQ(paise(t.at("discounts")), want.discount) << from << ".." << to;
    // The series adds up to the totals, whatever the grouping.
    std::int64_t orders = 0, revenue = 0;
    for (const auto& p : data.at("series").as_array()) {
      orders += p.at("orders").as_int64();
      revenue += paise(p.at("revenue").at("total"));
    }
    EXPECT_EQ(orders, want.orders);
    EXPECT_EQ(revenue, want.online + want.cod);
  }

  std::string admin_, customer_token_, customer_id_;
  clock::Millis probe_at_ = 0;
  std::string utc_probe_day_, local_probe_day_;  // the probe order's UTC date and its (next) Kolkata date
};

}  // namespace

TEST_P(Analytics, RollupsEqualADirectRecomputationForRandomRanges) {
  const auto today = clock::local_date(clock::now_ms());
  std::mt19937 rng(7);
  std::vector<std::string> days;
  for (int i = kDays; i >= 0; --i)
    days.push_back(clock::local_date(clock::now_ms() - static_cast<clock::Millis>(i) * 86'400'000));
  for (int trial = 0; trial < 25; ++trial) {
    auto a = days[rng() % days.size()], b = days[rng() % days.size()];
    if (b < a) std::swap(a, b);
    expect_matches(a, b, trial % 3 == 0 ? "week" : trial % 3 == 1 ? "month" : "day");
  }
  expect_matches(days[days.size() - 3], today, "hour");
  expect_matches(days.front(), today);  // the whole span, today live
}

TEST_P(Analytics, TheRestaurantsTimeZoneDecidesTheDay) {
  auto on = [&](const std::string& day) {
    return call("GET", "/api/v1/admin/analytics/revenue?from=" + day + "&to=" + day, admin_)
        .json()
        .at("data")
        .at("totals")
        .at("orders")
        .as_int64();
  };
  ASSERT_NE(utc_probe_day_, local_probe_day_);
  EXPECT_EQ(on(local_probe_day_), 1);  // 19:00 UTC is 00:30 the next day in Kolkata
  EXPECT_EQ(on(utc_probe_day_), 0);
  auto hours =
      call("GET", "/api/v1/admin/analytics/revenue?groupBy=hour&from=" + local_probe_day_ + "&to=" + local_probe_day_,
           admin_)
          .json()
          .at("data");
  EXPECT_EQ(hours.at("series").as_array().size(), 24u);
  EXPECT_EQ(str(hours.at("series").at(0).at("period")), local_probe_day_ + "T00");
  EXPECT_EQ(hours.at("series").at(0).at("orders"), 1);
}

TEST_P(Analytics, ChangedAndMissingDaysAreRolledAgainToTheSameNumbers) {
  const auto from = clock::local_date(clock::now_ms() - 20LL * 86'400'000),
             to = clock::local_date(clock::now_ms() - 86'400'000);
  const std::string url = "/api/v1/admin/analytics/revenue?from=" + from + "&to=" + to;
  auto first = call("GET", url, admin_).json();
  auto before = first.at("data").at("totals");
  // Finished days are served from the cache (meta.cached says so) until a rollup rewrites a day.
  EXPECT_EQ(first.at("meta").at("cached"), false);
  EXPECT_EQ(call("GET", url, admin_).json().at("meta").at("cached"), true);
  // "Downtime": the rollups of ten days are lost. The next run restores them, to the same numbers.
  auto lose = [&](store::Connection& c) {
    const auto cut = clock::local_date(clock::now_ms() - 10LL * 86'400'000);
    c.execute("DELETE FROM analytics_days WHERE day >= ?", {cut});
    c.execute("DELETE FROM analytics_hourly WHERE day >= ?", {cut});
  };
  db().transaction_sync(lose);
  wait_for_rollup();
  auto restored = call("GET", url, admin_).json();
  EXPECT_EQ(restored.at("meta").at("cached"), false);  // the rollup changed: the cached report was dropped
  EXPECT_EQ(restored.at("data").at("totals"), before);

  // A delivered order of five days ago is cancelled now (say, a chargeback): its day is rolled again.
  auto change = [&](store::Connection& c) {
    auto five = *clock::range_bound(clock::local_date(clock::now_ms() - 5LL * 86'400'000), false);
    auto id = c.query("SELECT id FROM orders WHERE status = 'delivered' AND created_at >= ? AND created_at < ? LIMIT 1",
                      {five, five + 86'400'000})
                  .rows.at(0)
                  .text("id");
    c.execute("UPDATE orders SET status = 'cancelled', updated_at = ? WHERE id = ?", {clock::now_ms(), id});
  };
  db().transaction_sync(change);
  for (int i = 0; i < 100; ++i) {
    auto now = call("GET", "/api/v1/admin/analytics/revenue?from=" + from + "&to=" + to, admin_)
                   .json()
                   .at("data")
                   .at("totals");
    if (now.at("cancelled") != before.at("cancelled")) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  expect_matches(from, to);
}

TEST_P(Analytics, PopularItemsDashboardAndTheRules) {
  const auto today = clock::local_date(clock::now_ms());
  auto popular =
      call("GET", "/api/v1/admin/analytics/popular-items?limit=2&from=" + utc_probe_day_ + "&to=" + today, admin_);
  ASSERT_EQ(popular.status, 200) << popular.body;
  auto items = popular.json().at("data").at("items").as_array();
  ASSERT_EQ(items.size(), 2u);
  EXPECT_GE(items[0].at("quantity").as_int64(), items[1].at("quantity").as_int64());
  // The top dish's quantity, recomputed from the delivered orders' lines.
  auto sum_quantity = [&](store::Connection& c) {
    std::int64_t n = 0;
    for (const auto& r : c.query("SELECT items FROM orders WHERE status = 'delivered'").rows) {
      const auto lines = bj::parse(r.text("items"));
      for (const auto& line : lines.as_array())
        if (line.at("menuItem") == items[0].at("itemId")) n += line.at("quantity").as_int64();
    }
    return n;
  };
  EXPECT_EQ(items[0].at("quantity").as_int64(), db().read_sync(sum_quantity));

  auto dash = call("GET", "/api/v1/admin/analytics/dashboard", admin_);
  ASSERT_EQ(dash.status, 200) << dash.body;
  auto d = dash.json().at("data");
  const auto want = recompute(db(), *clock::range_bound(today, false), *clock::range_bound(today, true));
  EXPECT_EQ(d.at("today").at("orders").as_int64(), want.orders);
  EXPECT_EQ(paise(d.at("today").at("revenue").at("total")), want.online + want.cod);
  const auto yesterday = clock::local_date(*clock::range_bound(today, false) - 3'600'000);
  const auto y = recompute(db(), *clock::range_bound(yesterday, false), *clock::range_bound(yesterday, true));
  EXPECT_EQ(d.at("yesterday").at("orders").as_int64(), y.orders);
  EXPECT_TRUE(d.at("sameDayLastWeek").at("orders").is_int64());
  EXPECT_EQ(d.at("activePartners"), 0);
  EXPECT_FALSE(d.at("topItems").as_array().empty());

  // One bound alone: the other is derived from it, never a silent "today".
  auto only_to = call("GET", "/api/v1/admin/analytics/revenue?to=2024-01-31", admin_).json().at("data");
  EXPECT_EQ(only_to.at("from"), "2024-01-02");
  EXPECT_EQ(only_to.at("to"), "2024-01-31");
  auto only_from = call("GET", "/api/v1/admin/analytics/revenue?from=" + yesterday, admin_).json().at("data");
  EXPECT_EQ(str(only_from.at("to")), today);
  auto empty = call("GET", "/api/v1/admin/analytics/revenue?from=2000-01-01&to=2000-01-02", admin_).json().at("data");
  EXPECT_EQ(empty.at("totals").at("orders"), 0);
  EXPECT_EQ(empty.at("series").as_array().size(), 2u);  // empty days still appear
  EXPECT_EQ(code(call("GET", "/api/v1/admin/analytics/revenue?from=2026-02-01&to=2026-01-01", admin_)),
            "VALIDATION_ERROR");
  EXPECT_EQ(code(call("GET", "/api/v1/admin/analytics/revenue?from=2020-01-01&to=2026-01-01", admin_)),
            "VALIDATION_ERROR");
  EXPECT_EQ(code(call("GET", "/api/v1/admin/analytics/revenue?groupBy=hour&from=2026-01-01&to=2026-06-01", admin_)),
            "VALIDATION_ERROR");
  EXPECT_EQ(code(call("GET", "/api/v1/admin/analytics/revenue?groupBy=year", admin_)), "VALIDATION_ERROR");
  EXPECT_EQ(code(call("GET", "/api/v1/admin/analytics/popular-items?limit=0", admin_)), "VALIDATION_ERROR");
  for (const auto* path : {"/api/v1/admin/analytics/revenue", "/api/v1/admin/analytics/popular-items",
                           "/api/v1/admin/analytics/dashboard"}) {
    EXPECT_EQ(call("GET", path, customer_token_).status, 403) << path;
    EXPECT_EQ(call("GET", path, "").status, 401) << path;
  }
}

namespace {
// RFC 4180, strictly: fields separated by commas, records by CRLF, quoted fields with "" for a quote.
std::vector<std::vector<std::string>> parse_csv(const std::string& text) {
  std::vector<std::vector<std::string>> rows(1, std::vector<std::string>(1));
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    auto& field = rows.back().back();
    if (quoted) {
      if (ch == '"' && i + 1 < text.size() && text[i + 1] == '"')
        field += '"', ++i;
      else if (ch == '"')
        quoted = false;
      else
        field += ch;
    } else if (ch == '"') {
      quoted = true;
    } else if (ch == ',') {
      rows.back().emplace_back();
    } else if (ch == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      rows.emplace_back(1);
      ++i;
    } else {
      field += ch;
    }
  }
  if (rows.back().size() == 1 && rows.back()[0].empty()) rows.pop_back();
  return rows;
}
}  // namespace

TEST_P(Analytics, ExportStreamsEveryOrderOfThePeriodAsCsv) {
  // A customer whose name needs quoting, and one a spreadsheet would run as a formula.
  auto rename = [&](store::Connection& c) {
    auto ids =
        c.query("SELECT id FROM orders WHERE order_number IN ('ORD_TEST_1000', 'ORD_TEST_1001') ORDER BY order_number");
    c.execute(
        "UPDATE orders SET customer = ? WHERE id = ?",
        {std::string(R"({"id":"x","name":"Rao, \"Chinna\"\nJr","phone":"9811112222"})"), ids.rows.at(0).text("id")});
    c.execute("UPDATE orders SET customer = ? WHERE id = ?",
              {std::string(R"j({"id":"x","name":"=HYPERLINK(\"http://evil\")","phone":"9811112222"})j"),
               ids.rows.at(1).text("id")});
  };
  db().transaction_sync(rename);
  const auto today = clock::local_date(clock::now_ms());
  const auto from = clock::local_date(clock::now_ms() - 61LL * 86'400'000);
  auto r = call("GET", "/api/v1/admin/analytics/export?format=csv&from=" + from + "&to=" + today, admin_);
  ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
  EXPECT_EQ(r.header("transfer-encoding"), "chunked");
  EXPECT_EQ(r.header("content-type"), "text/csv; charset=utf-8");
  EXPECT_NE(r.header("content-disposition").find("attachment"), std::string::npos);
  const auto rows = parse_csv(r.body);
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0][0], "orderNumber");
  const auto want = recompute(db(), *clock::range_bound(from, false), *clock::range_bound(today, true));
  EXPECT_EQ(static_cast<std::int64_t>(rows.size()) - 1, want.orders);
  std::int64_t delivered_total = 0;
  std::set<std::string> numbers;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), rows[0].size()) << "row " << i;
    numbers.insert(rows[i][0]);
    if (rows[i][3] == "delivered") delivered_total += *money::from_json(bj::parse(rows[i][13]));
    if (rows[i][0] == "ORD_TEST_1000") {
      EXPECT_EQ(rows[i][6], "Rao, \"Chinna\"\nJr");
    }
    if (rows[i][0] == "ORD_TEST_1001") {
      EXPECT_EQ(rows[i][6], "'=HYPERLINK(\"http://evil\")");
    }
  }
  EXPECT_EQ(numbers.size(), rows.size() - 1);  // each order once, across the streamed batches
  EXPECT_EQ(rows[1][7], "+919811112222");      // a phone number is data, not a formula to defuse
  EXPECT_EQ(delivered_total, want.online + want.cod);
  EXPECT_GT(rows.size(), 501u);  // more than one batch of 500

  auto empty = call("GET", "/api/v1/admin/analytics/export?from=2000-01-01&to=2000-01-02", admin_);
  EXPECT_EQ(parse_csv(empty.body).size(), 1u);  // the header alone
  EXPECT_EQ(code(call("GET", "/api/v1/admin/analytics/export?format=xlsx", admin_)), "VALIDATION_ERROR");
  EXPECT_EQ(code(call("GET", "/api/v1/admin/analytics/export?from=2026-02-01&to=2026-01-01", admin_)),
            "VALIDATION_ERROR");
  EXPECT_EQ(call("GET", "/api/v1/admin/analytics/export", customer_token_).status, 403);
}

INSTANTIATE_TEST_SUITE_P(Engines, Analytics, ::testing::ValuesIn(engines_under_test()),
                         [](const auto& info) { return engine_name(info.param); });
