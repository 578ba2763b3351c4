#include "modules/orders/promo_repository.hpp"

namespace tiptop::orders {
namespace {

constexpr const char* kColumns =
    "code, kind, value, min_order_paise, max_discount_paise, valid_from, valid_until, usage_limit, "
    "per_customer_limit, used_count, is_active, created_at, updated_at";

PromoCode promo_from(const store::Row& r) {
  PromoCode p;
  p.code = r.text("code");
  p.rule.kind = r.text("kind") == "percent" ? Promo::Kind::percent : Promo::Kind::flat;
  if (p.rule.kind == Promo::Kind::percent)
    p.rule.percent_bp = static_cast<int>(r.integer("value"));
  else
    p.rule.flat = r.integer("value");
  p.rule.min_order = r.integer("min_order_paise");
  p.rule.max_discount = r.integer_or_null("max_discount_paise");
  p.valid_from = r.integer_or_null("valid_from");
  p.valid_until = r.integer_or_null("valid_until");
  p.usage_limit = r.integer_or_null("usage_limit");
  p.per_customer_limit = r.integer_or_null("per_customer_limit");
  p.used_count = r.integer("used_count");
  p.is_active = r.boolean("is_active");
  p.created_at = r.integer("created_at");
  p.updated_at = r.integer("updated_at");
  return p;
}

store::Params values(const PromoCode& p) {
  const bool pct = p.rule.kind == Promo::Kind::percent;
  return {std::string(pct ? "percent" : "flat"),
          pct ? std::int64_t{p.rule.percent_bp} : p.rule.flat,
          p.rule.min_order,
          store::value_or_null(p.rule.max_discount),
          store::value_or_null(p.valid_from),
          store::value_or_null(p.valid_until),
          store::value_or_null(p.usage_limit),
          store::value_or_null(p.per_customer_limit),
          p.is_active,
          p.updated_at};
}

}  // namespace

std::optional<PromoCode> find_promo(store::Connection& c, const std::string& code, bool for_update) {
  const std::string lock(for_update ? store::row_lock(c) : "");
  auto rs = c.query(std::string("SELECT ") + kColumns + " FROM promo_codes WHERE code = ?" + lock, {code});
  if (rs.empty()) return std::nullopt;
  return promo_from(rs.rows[0]);
}

std::vector<PromoCode> list_promos(store::Connection& c) {
  std::vector<PromoCode> out;
  for (const auto& r : c.query(std::string("SELECT ") + kColumns + " FROM promo_codes ORDER BY created_at DESC").rows)
    out.push_back(promo_from(r));
  return out;
}

void insert_promo(store::Connection& c, const PromoCode& p) {
  auto params = values(p);
  params.insert(params.begin(), p.code);
  params.push_back(p.created_at);
  c.execute(
      "INSERT INTO promo_codes (code, kind, value, min_order_paise, max_discount_paise, valid_from, valid_until, "
      "usage_limit, per_customer_limit, is_active, updated_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
      params);
}

void update_promo(store::Connection& c, const PromoCode& p) {
  auto params = values(p);
  params.push_back(p.code);
  c.execute(
      "UPDATE promo_codes SET kind = ?, value = ?, min_order_paise = ?, max_discount_paise = ?, valid_from = ?, "
      "valid_until = ?, usage_limit = ?, per_customer_limit = ?, is_active = ?, updated_at = ? WHERE code = ?",
      params);
}

std::int64_t count_redemptions(store::Connection& c, const std::string& code, const std::string& customer_id) {
  return c.query("SELECT COUNT(*) AS n FROM promo_redemptions WHERE code = ? AND customer_id = ?", {code, customer_id})
      .rows.at(0)
      .integer("n");
}

bool take_promo_use(store::Connection& c, const std::string& code) {
  return c.execute(
             "UPDATE promo_codes SET used_count = used_count + 1 WHERE code = ? AND (usage_limit IS NULL OR used_count "
             "< usage_limit)",
             {code}) == 1;
}

void insert_redemption(store::Connection& c, const std::string& code, const std::string& customer_id,
                       const std::string& order_id, clock::Millis at) {
  c.execute("INSERT INTO promo_redemptions (code, customer_id, order_id, created_at) VALUES (?, ?, ?, ?)",
            {code, customer_id, order_id, at});
}

}  // namespace tiptop::orders
