#include "modules/orders/pricing.hpp"

#include <cmath>
#include <stdexcept>

namespace tiptop::orders {

Paise apply_basis_points(Paise amount, int basis_points) {
  if (amount < 0 || basis_points < 0) throw std::invalid_argument("negative amount or rate");
  return (amount * basis_points + 5000) / 10000;
}

Paise promo_discount(const Promo& p, Paise items_total) {
  if (items_total < p.min_order) return 0;
  Paise d = p.kind == Promo::Kind::percent ? apply_basis_points(items_total, p.percent_bp) : p.flat;
  if (p.max_discount) d = std::min(d, *p.max_discount);
  return std::clamp<Paise>(d, 0, items_total);
}

Paise delivery_fee(const DeliveryRules& r, Paise food_value, double distance_km) {
  if (r.free_above && food_value >= *r.free_above) return 0;
  // Tenths of a kilometre, rounded up, so the fee never depends on floating-point noise below 100 m.
  const auto tenths = static_cast<Paise>(std::ceil(std::max(0.0, distance_km) * 10.0 - 1e-9));
  return r.base_fee + (r.per_km_fee * tenths + 5) / 10;
}

Pricing price_order(const std::vector<Line>& lines, const DeliveryRules& rules, int tax_bp, double distance_km,
                    const std::optional<Promo>& promo) {
  Pricing p;
  for (const auto& l : lines) {
    if (l.quantity < 1 || l.unit_price < 0) throw std::invalid_argument("invalid order line");
    p.items_total += l.unit_price * l.quantity;
  }
  p.discount = promo ? promo_discount(*promo, p.items_total) : 0;
  const Paise food = p.items_total - p.discount;
  p.tax = apply_basis_points(food, tax_bp);
  p.delivery_fee = delivery_fee(rules, food, distance_km);
  p.final_amount = food + p.tax + p.delivery_fee;
  return p;
}

}  // namespace tiptop::orders
