#include <gtest/gtest.h>

#include "core/json.hpp"
#include "core/money.hpp"

using namespace tiptop;

TEST(Money, RupeesJsonRoundTripsExactly) {
  EXPECT_EQ(json::serialize(money::to_json(24950)), "249.5");
  EXPECT_EQ(json::serialize(money::to_json(32000)), "320");
  EXPECT_EQ(json::serialize(money::to_json(1999)), "19.99");
  EXPECT_EQ(money::from_json(boost::json::parse("19.99")), 1999);
  EXPECT_EQ(money::from_json(boost::json::parse("0.1")), 10);
  EXPECT_EQ(money::from_json(boost::json::parse("320")), 32000);
}

TEST(Money, RefusesThirdDecimalNegativeAndNonNumbers) {
  EXPECT_FALSE(money::from_json(boost::json::parse("19.999")));
  EXPECT_FALSE(money::from_json(boost::json::parse("-1")));
  EXPECT_FALSE(money::from_json(boost::json::parse("\"19.99\"")));
  EXPECT_FALSE(money::from_json(boost::json::parse("1e300")));
  EXPECT_FALSE(money::from_json(boost::json::parse("null")));
}

TEST(Money, FormatsForReceipts) {
  EXPECT_EQ(money::format_rupees(24950), "249.50");
  EXPECT_EQ(money::format_rupees(5), "0.05");
  EXPECT_EQ(money::format_rupees(-150), "-1.50");
}

TEST(Money, SumsStayExactWherDoublesDrift) {
  // 0.1 + 0.2 != 0.3 in doubles; in paise it is exact.
  const auto a = *money::from_json(boost::json::parse("0.1"));
  const auto b = *money::from_json(boost::json::parse("0.2"));
  EXPECT_EQ(json::serialize(money::to_json(a + b)), "0.3");
}

TEST(Money, ThirdDecimalRefusedAtAnyMagnitude) {
  for (auto text : {"249.999", "1234.561", "12345.678", "99999.999", "0.001", "1e-05"})
    EXPECT_FALSE(money::from_json(boost::json::parse(text))) << text;
  EXPECT_EQ(money::from_json(boost::json::parse("99999.99")), 9999999);
  EXPECT_EQ(money::from_json(boost::json::parse("1234.5")), 123450);
  EXPECT_EQ(money::from_json(boost::json::parse("0.07")), 7);
  EXPECT_EQ(money::from_json(boost::json::parse("0.0")), 0);
  EXPECT_EQ(money::from_json(boost::json::parse("1e3")), 100000);
}
