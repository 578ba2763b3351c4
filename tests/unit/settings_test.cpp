#include <gtest/gtest.h>

#include "core/errors.hpp"
#include "modules/settings/model.hpp"

using namespace tiptop::settings;

namespace {
// 2026-11-25 was a Wednesday (day 3). Local seconds at hh:mm that day.
std::int64_t wed(int h, int m) { return 1795564800LL + h * 3600 + m * 60; }
}  // namespace

TEST(Settings, OpeningHoursIncludingPastMidnight) {
  Settings s;
  EXPECT_TRUE(is_open_at(s, wed(3, 0)));                    // no schedule: the switch alone decides
  s.hours = {{3, 11 * 60, 23 * 60}, {2, 18 * 60, 2 * 60}};  // Wed 11-23; Tue 18:00-02:00
  EXPECT_FALSE(is_open_at(s, wed(10, 59)));
  EXPECT_TRUE(is_open_at(s, wed(11, 0)));
  EXPECT_TRUE(is_open_at(s, wed(22, 59)));
  EXPECT_FALSE(is_open_at(s, wed(23, 0)));
  EXPECT_TRUE(is_open_at(s, wed(1, 30)));  // Tuesday's late slot, after midnight
  EXPECT_FALSE(is_open_at(s, wed(2, 0)));
  EXPECT_FALSE(is_open_at(s, wed(19, 0) + 86400));  // Thursday: no slot
  s.is_open = false;
  s.closed_reason = "Closed for Diwali";
  EXPECT_FALSE(is_open_at(s, wed(12, 0)));
  EXPECT_EQ(closed_message(s, wed(12, 0)), "Closed for Diwali");
}

TEST(Settings, JsonRoundTripKeepsExactAmounts) {
  Settings s = from_json(boost::json::parse(R"({"taxRate":12.25,"minimumOrderAmount":149.5,
      "delivery":{"baseFee":30,"freeAbove":null,"perKmFee":7.5,"maxRadiusKm":6},
      "openingHours":[{"day":0,"open":"09:30","close":"01:15"}],"location":{"coordinates":[78.48,17.38]}})")
                             .as_object());
  EXPECT_EQ(s.tax_bp, 1225);
  EXPECT_EQ(s.minimum_order, 14950);
  EXPECT_FALSE(s.delivery.free_above);
  EXPECT_EQ(s.delivery.per_km_fee, 750);
  EXPECT_EQ(s.hours.at(0).close_minute, 75);
  auto back = to_json(s);
  EXPECT_EQ(back.at("taxRate"), 12.25);
  EXPECT_EQ(back.at("openingHours").at(0).at("open"), "09:30");
  EXPECT_THROW(from_json(boost::json::parse(R"({"taxRate":5.125})").as_object()), tiptop::ValidationError);
  EXPECT_THROW(
      from_json(boost::json::parse(R"({"openingHours":[{"day":1,"open":"25:00","close":"23:00"}]})").as_object()),
      tiptop::ValidationError);
}
