#pragma once
// Order pricing in integer paise (issue "Orders", spec §2 Orders.pricing). Pure functions: the
// order service feeds them prices read from the menu, never amounts sent by a client.
#include <optional>
#include <string>
#include <vector>

#include "core/money.hpp"

namespace tiptop::orders {

using money::Paise;

struct Line {
  Paise unit_price = 0;  // item price plus the chosen options' prices
  int quantity = 1;
};

struct DeliveryRules {
  Paise base_fee = 0;
  std::optional<Paise> free_above;  // food value (after discount) at or above which delivery is free
  Paise per_km_fee = 0;             // charged per started 100 m as a tenth of this, see delivery_fee()
};

struct Promo {
  enum class Kind { percent, flat } kind = Kind::flat;
  int percent_bp = 0;  // basis points: 1000 = 10 %
  Paise flat = 0;
  Paise min_order = 0;
  std::optional<Paise> max_discount;
};

struct Pricing {
  Paise items_total = 0, discount = 0, tax = 0, delivery_fee = 0, final_amount = 0;
  Paise tip = 0;  // the customer's tip for the rider at checkout: in final_amount, never taxed or discounted
};

// Multiplies by basis points and rounds half up to the paisa: 5 % of ₹10.10 is ₹0.51 (50.5 paise).
Paise apply_basis_points(Paise amount, int basis_points);
// Zero if the promo's minimum is not met; never more than the items total.
Paise promo_discount(const Promo& promo, Paise items_total);
// base + per-km component for the distance rounded up to the next 100 m; free above the threshold.
Paise delivery_fee(const DeliveryRules& rules, Paise food_value, double distance_km);
// The whole bill. tax_bp applies to the food value after discount (delivery is not taxed here).
Pricing price_order(const std::vector<Line>& lines, const DeliveryRules& rules, int tax_bp, double distance_km,
                    const std::optional<Promo>& promo = std::nullopt);

}  // namespace tiptop::orders
