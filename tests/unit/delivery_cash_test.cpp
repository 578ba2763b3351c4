// The pure parts of delivery and cash: distance ridden from GPS fixes, report date bounds in the
// restaurant's zone, and signed money at the JSON edge.
#include <gtest/gtest.h>

#include <cstdlib>
#include <ctime>

#include "core/errors.hpp"
#include "core/json.hpp"
#include "core/money.hpp"
#include "http/date_range.hpp"
#include "modules/cash/model.hpp"

using namespace tiptop;

TEST(ShiftDistance, AddsPlausibleMovesOnly) {
  // 0.00027° of latitude is about 30 m.
  auto step = cash::travelled_m(12.97, 77.6, 0, 12.97027, 77.6, 1000);
  ASSERT_TRUE(step.has_value());
  EXPECT_NEAR(static_cast<double>(*step), 30.0, 0.5);
  // Jitter under 10 m: nothing, and the earlier point stays the reference (nullopt).
  EXPECT_FALSE(cash::travelled_m(12.97, 77.6, 0, 12.97005, 77.6, 1000).has_value());
  // 1 km in 10 s is 360 km/h: a GPS jump, not a ride.
  EXPECT_EQ(cash::travelled_m(12.97, 77.6, 0, 12.979, 77.6, 10'000), 0);
  // The same kilometre in a minute and a half (40 km/h) counts.
  EXPECT_NEAR(static_cast<double>(*cash::travelled_m(12.97, 77.6, 0, 12.979, 77.6, 90'000)), 1000.8, 1.0);
  // After 11 minutes without a fix the route in between is unknown.
  EXPECT_EQ(cash::travelled_m(12.97, 77.6, 0, 12.979, 77.6, 11 * 60'000), 0);
  EXPECT_EQ(cash::travelled_m(12.97, 77.6, 5000, 12.979, 77.6, 5000), 0);  // same instant
}

TEST(ShiftMoney, DiscrepanciesKeepTheirSignToThePaisa) {
  EXPECT_EQ(json::serialize(money::to_json(-4025)), "-40.25");
  EXPECT_EQ(json::serialize(money::to_json(-2000)), "-20");
  EXPECT_EQ(money::require(boost::json::parse("709.75"), "actualAmount"), 70975);
  try {
    money::require(boost::json::parse("1.005"), "actualAmount");
    FAIL() << "three decimals accepted";
  } catch (const ValidationError& e) {
    EXPECT_EQ(e.details().at(0).field, "actualAmount");
  }
}

class RestaurantZone : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* tz = std::getenv("TZ");
    saved_ = tz ? tz : "";
    had_ = tz != nullptr;
    setenv("TZ", "Asia/Kolkata", 1);
    tzset();
  }
  void TearDown() override {
    if (had_)
      setenv("TZ", saved_.c_str(), 1);
    else
      unsetenv("TZ");
    tzset();
  }
  std::string saved_;
  bool had_ = false;
};

TEST_F(RestaurantZone, DayBoundsAreLocalMidnights) {
  // 2024-12-05 00:00 in Kolkata is 2024-12-04T18:30Z; an end bound means the next midnight.
  EXPECT_EQ(clock::to_iso8601(*clock::range_bound("2024-12-05", false)), "2024-12-04T18:30:00.000Z");
  EXPECT_EQ(clock::to_iso8601(*clock::range_bound("2024-12-05", true)), "2024-12-05T18:30:00.000Z");
  EXPECT_EQ(clock::to_iso8601(*clock::range_bound("2024-12-31", true)), "2024-12-31T18:30:00.000Z");
  EXPECT_EQ(clock::to_iso8601(*clock::range_bound("2024-12-05T10:00:00Z", true)), "2024-12-05T10:00:00.000Z");
  EXPECT_FALSE(clock::range_bound("2024-02-30", false));
  EXPECT_FALSE(clock::range_bound("yesterday", false));
}

TEST_F(RestaurantZone, RangesRefuseBackwardsAndUnreadableBounds) {
  auto field_of = [](boost::json::object q) {
    try {
      http::date_range(q);
    } catch (const ValidationError& e) {
      return e.details().at(0).field;
    }
    return std::string("accepted");
  };
  EXPECT_EQ(field_of({{"from", "2024-12-06"}, {"to", "2024-12-05"}}), "to");
  EXPECT_EQ(field_of({{"from", "soon"}}), "from");
  EXPECT_EQ(field_of({{"from", "2024-12-05"}, {"to", "2024-12-05"}}), "accepted");  // that one whole day
  auto r = http::date_range({{"from", "2024-12-05"}, {"to", "2024-12-05"}});
  EXPECT_EQ(*r.to - *r.from, 24LL * 3600 * 1000);
  EXPECT_FALSE(http::date_range({}).from.has_value());
}
