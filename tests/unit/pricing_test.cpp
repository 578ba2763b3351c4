#include <gtest/gtest.h>

#include <set>

#include "modules/orders/pricing.hpp"

using namespace tiptop::orders;

TEST(Pricing, TaxRoundsHalfUpToThePaisa) {
  EXPECT_EQ(apply_basis_points(1010, 500), 51);   // 50.5 paise -> 51
  EXPECT_EQ(apply_basis_points(1009, 500), 50);   // 50.45 -> 50
  EXPECT_EQ(apply_basis_points(99999, 500), 5000);
  EXPECT_EQ(apply_basis_points(0, 500), 0);
  EXPECT_THROW(apply_basis_points(-1, 500), std::invalid_argument);
}

TEST(Pricing, PromoPercentWithCapFlatAndMinimum) {
  const Promo pct{Promo::Kind::percent, 2000, 0, 30000, Paise{10000}};  // 20 % off above ₹300, at most ₹100
  EXPECT_EQ(promo_discount(pct, 29999), 0);
  EXPECT_EQ(promo_discount(pct, 40000), 8000);
  EXPECT_EQ(promo_discount(pct, 90000), 10000);  // capped
  const Promo flat{Promo::Kind::flat, 0, 15000, 0, std::nullopt};
  EXPECT_EQ(promo_discount(flat, 50000), 15000);
  EXPECT_EQ(promo_discount(flat, 9000), 9000);  // never more than the food
}

TEST(Pricing, DeliveryFeeFreeThresholdAndDistance) {
  const DeliveryRules rules{3000, Paise{49900}, 800};  // ₹30 + ₹8/km, free from ₹499
  EXPECT_EQ(delivery_fee(rules, 49900, 5.0), 0);
  EXPECT_EQ(delivery_fee(rules, 49899, 0.0), 3000);
  EXPECT_EQ(delivery_fee(rules, 20000, 2.5), 3000 + 2000);
  EXPECT_EQ(delivery_fee(rules, 20000, 2.01), 3000 + 1680);  // 2.1 km started
  EXPECT_EQ(delivery_fee(rules, 20000, 2.0000000001), 3000 + 1600);
}

TEST(Pricing, WholeBillWithCustomizationsPromoTaxAndDelivery) {
  // Biryani ₹320 + raita ₹30, twice; naan ₹50 three times.
  const std::vector<Line> lines{{35000, 2}, {5000, 3}};
  const DeliveryRules rules{3000, Paise{100000}, 800};
  const Promo promo{Promo::Kind::percent, 1000, 0, 0, Paise{5000}};  // 10 % up to ₹50
  const auto p = price_order(lines, rules, 500, 3.2, promo);
  EXPECT_EQ(p.items_total, 85000);
  EXPECT_EQ(p.discount, 5000);
  EXPECT_EQ(p.tax, 4000);             // 5 % of ₹800
  EXPECT_EQ(p.delivery_fee, 3000 + 2560);
  EXPECT_EQ(p.final_amount, 80000 + 4000 + 5560);
  EXPECT_THROW(price_order({{100, 0}}, rules, 500, 1), std::invalid_argument);
}

#include "modules/orders/model.hpp"

TEST(OrderLifecycle, EveryLegalAndIllegalTransition) {
  const std::set<std::pair<std::string, std::string>> legal = {
      {"pending", "confirmed"}, {"confirmed", "preparing"}, {"preparing", "ready"}, {"ready", "out-for-delivery"},
      {"out-for-delivery", "delivered"}, {"pending", "cancelled"}, {"confirmed", "cancelled"},
      {"preparing", "cancelled"}, {"ready", "cancelled"}};
  int checked = 0;
  for (const char* from : tiptop::orders::kStatuses)
    for (const char* to : tiptop::orders::kStatuses) {
      EXPECT_EQ(tiptop::orders::can_transition(from, to), legal.contains({from, to})) << from << " -> " << to;
      ++checked;
    }
  EXPECT_EQ(checked, 49);
}
