#include <gtest/gtest.h>

#include <set>

#include "modules/orders/pricing.hpp"

using namespace tiptop::orders;

TEST(Pricing, TaxRoundsHalfUpToThePaisa) {
  EXPECT_EQ(apply_basis_points(1010, 500), 51);  // 50.5 paise -> 51
  EXPECT_EQ(apply_basis_points(1009, 500), 50);  // 50.45 -> 50
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
  EXPECT_EQ(p.tax, 4000);  // 5 % of ₹800
  EXPECT_EQ(p.delivery_fee, 3000 + 2560);
  EXPECT_EQ(p.final_amount, 80000 + 4000 + 5560);
  EXPECT_THROW(price_order({{100, 0}}, rules, 500, 1), std::invalid_argument);
}

#include "modules/orders/lifecycle.hpp"

TEST(OrderLifecycle, EveryLegalAndIllegalTransition) {
  using tiptop::orders::Mover;
  // Legal for someone; then who.
  const std::set<std::pair<std::string, std::string>> legal = {
      {"pending", "confirmed"},      {"confirmed", "preparing"},        {"preparing", "ready"},
      {"ready", "out-for-delivery"}, {"out-for-delivery", "delivered"}, {"pending", "cancelled"},
      {"confirmed", "cancelled"},    {"preparing", "cancelled"},        {"ready", "cancelled"}};
  const std::set<std::pair<std::string, std::string>> customer = {{"pending", "cancelled"}};
  const std::set<std::pair<std::string, std::string>> delivery = {{"ready", "out-for-delivery"},
                                                                  {"out-for-delivery", "delivered"}};
  const std::set<std::pair<std::string, std::string>> system = {{"pending", "confirmed"}, {"pending", "cancelled"}};
  int checked = 0;
  for (auto from : tiptop::orders::kAllStatuses)
    for (auto to : tiptop::orders::kAllStatuses) {
      const std::pair<std::string, std::string> move{tiptop::orders::to_string(from), tiptop::orders::to_string(to)};
      const auto may = [&](Mover m) { return tiptop::orders::may_move(from, to, m); };
      EXPECT_EQ(may(Mover::admin), legal.contains(move)) << move.first << " -> " << move.second;
      EXPECT_EQ(may(Mover::customer), customer.contains(move)) << move.first << " -> " << move.second;
      EXPECT_EQ(may(Mover::delivery), delivery.contains(move)) << move.first << " -> " << move.second;
      EXPECT_EQ(may(Mover::system), system.contains(move)) << move.first << " -> " << move.second;
      ++checked;
    }
  EXPECT_EQ(checked, 49);
}

TEST(OrderLifecycle, StatusesReadAndWriteTheSpecsStrings) {
  for (auto s : tiptop::orders::kAllStatuses) EXPECT_EQ(tiptop::orders::parse_status(tiptop::orders::to_string(s)), s);
  EXPECT_EQ(tiptop::orders::to_string(tiptop::orders::OrderStatus::out_for_delivery), "out-for-delivery");
  EXPECT_FALSE(tiptop::orders::parse_status("out_for_delivery"));
  EXPECT_EQ(tiptop::orders::active_statuses_sql(), "('confirmed', 'preparing', 'ready', 'out-for-delivery')");
  EXPECT_THROW(tiptop::orders::mover_for_role("system"), tiptop::AuthorizationError);
}
