// Issue 22, point 6, on both engines: a rider's own stats — deliveries, cash and UPI taken at the
// door, tips, distance — in total and for every day of the period, and nobody else's.
#include <gtest/gtest.h>

#include "support/delivery_fixture.hpp"

using namespace tiptop;
using namespace tiptop::testing;
namespace bj = boost::json;

namespace {

class RiderStats : public DeliveryFixture {
 protected:
  bj::object stats(const std::string& token, const std::string& query = {}) {
    auto r = call("GET", "/api/v1/delivery/stats" + query, token);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json().at("data").as_object();
  }
  static std::int64_t paise(const bj::value& rupees) { return money::require(rupees, "test"); }
};

}  // namespace

TEST_P(RiderStats, ARiderSeesTheirDeliveriesCashUpiAndTipsByDay) {
  ASSERT_EQ(call("PUT", "/api/v1/admin/settings", admin_, R"({"upiId":"tiptop.kitchen@okaxis","maxTip":100})").status,
            200);
  auto rider = partner("kiran");
  auto other = partner("ravi");
  ASSERT_EQ(call("POST", "/api/v1/delivery/sessions/start", rider.token, R"({"changeFund":500})").status, 201);
  deliver(rider, "600");
  deliver(rider, "700.50");
  // A UPI order with a ₹20 tip at checkout and ₹10 more at the door.
  auto upi = order("ready", "UPI", 8, R"(,"tip":20)");
  const auto id = str(upi.at("_id"));
  ASSERT_EQ(call("PUT", "/api/v1/delivery/orders/" + id + "/accept", rider.token).status, 200);
  ASSERT_EQ(
      call("PUT", "/api/v1/delivery/orders/" + id + "/status", rider.token, R"({"status":"out-for-delivery"})").status,
      200);
  auto paid = call("PUT", "/api/v1/delivery/orders/" + id + "/status", rider.token,
                   R"({"status":"delivered","paidBy":"upi","upiReference":"412345678901","tip":10})");
  ASSERT_EQ(paid.status, 200) << paid.body;

  auto week = stats(rider.token);
  const auto& totals = week.at("totals").as_object();
  EXPECT_EQ(totals.at("deliveries"), bj::value(3));
  EXPECT_EQ(paise(totals.at("cashCollected")), 130050);
  EXPECT_EQ(paise(totals.at("tips")), 3000);
  EXPECT_EQ(paise(totals.at("upiCollected")), paise(upi.at("pricing").at("finalAmount")) + 1000);
  EXPECT_TRUE(totals.at("distance").is_number());
  EXPECT_FALSE(totals.at("averageDeliveryTime").is_null());  // all three were picked up in the app
  const auto& days = week.at("byDay").as_array();
  ASSERT_EQ(days.size(), 7u);  // every day of the last week, quiet ones too
  EXPECT_EQ(str(days.back().at("date")), clock::local_date(clock::now_ms()));
  EXPECT_EQ(days.back().at("deliveries"), bj::value(3));
  EXPECT_EQ(days.front().at("deliveries"), bj::value(0));

  // One day asked for: one day answered.
  const auto today = clock::local_date(clock::now_ms());
  auto one = stats(rider.token, "?from=" + today + "&to=" + today);
  ASSERT_EQ(one.at("byDay").as_array().size(), 1u);
  EXPECT_EQ(one.at("totals").at("deliveries"), bj::value(3));
  // Another rider's figures are their own.
  EXPECT_EQ(stats(other.token).at("totals").at("deliveries"), bj::value(0));
}

TEST_P(RiderStats, PeriodsAreCheckedAndTheStatsAreTheRidersOnly) {
  auto rider = partner("kiran");
  auto long_span = call("GET", "/api/v1/delivery/stats?from=2026-01-01&to=2026-12-31", rider.token);
  EXPECT_EQ(long_span.status, 400);
  EXPECT_EQ(str(long_span.json().at("error").at("details").at(0).at("field")), "from");
  auto backwards = call("GET", "/api/v1/delivery/stats?from=2026-03-02&to=2026-03-01", rider.token);
  EXPECT_EQ(backwards.status, 400);
  EXPECT_EQ(code(backwards), "VALIDATION_ERROR");
  EXPECT_EQ(call("GET", "/api/v1/delivery/stats?from=yesterday", rider.token).status, 400);
  EXPECT_EQ(call("GET", "/api/v1/delivery/stats", asha_).status, 403);
  EXPECT_EQ(call("GET", "/api/v1/delivery/stats", admin_).status, 403);
}

INSTANTIATE_TEST_SUITE_P(Engines, RiderStats, ::testing::ValuesIn(engines_under_test()),
                         [](const auto& info) { return engine_name(info.param); });
