#include "modules/orders/promos.hpp"

#include <boost/json.hpp>

#include "core/errors.hpp"
#include "core/json.hpp"
#include "modules/orders/promo_repository.hpp"

namespace tiptop::orders {
namespace bj = boost::json;
namespace {

[[noreturn]] void refuse(const std::string& why) { throw RefusedError("INVALID_PROMO_CODE", why); }

std::optional<clock::Millis> time_field(const bj::object& b, const char* key, std::optional<clock::Millis> current) {
  auto* v = b.if_contains(key);
  if (!v) return current;
  if (v->is_null()) return std::nullopt;
  return clock::from_iso8601(v->as_string());
}

std::optional<money::Paise> amount_field(const bj::object& b, const char* key, std::optional<money::Paise> current) {
  auto* v = b.if_contains(key);
  if (!v) return current;
  if (v->is_null()) return std::nullopt;
  auto p = money::from_json(*v);
  if (!p) throw ValidationError("Validation failed", {{key, "must be an amount in rupees with at most two decimals"}});
  return p;
}

}  // namespace

std::string normalize_code(std::string_view code) {
  std::string out(code);
  for (auto& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bj::object to_json(const PromoCode& p) {
  const bool pct = p.rule.kind == Promo::Kind::percent;
  auto ms = [](const std::optional<clock::Millis>& t) {
    return t ? bj::value(clock::to_iso8601(*t)) : bj::value(nullptr);
  };
  auto num = [](const std::optional<std::int64_t>& n) { return n ? bj::value(*n) : bj::value(nullptr); };
  return {{"code", p.code},
          {"type", pct ? "percent" : "flat"},
          {"value", pct ? bj::value(static_cast<double>(p.rule.percent_bp) / 100.0) : money::to_json(p.rule.flat)},
          {"minOrderAmount", money::to_json(p.rule.min_order)},
          {"maxDiscount", p.rule.max_discount ? money::to_json(*p.rule.max_discount) : bj::value(nullptr)},
          {"validFrom", ms(p.valid_from)},
          {"validUntil", ms(p.valid_until)},
          {"usageLimit", num(p.usage_limit)},
          {"perCustomerLimit", num(p.per_customer_limit)},
          {"usedCount", p.used_count},
          {"isActive", p.is_active},
          {"createdAt", clock::to_iso8601(p.created_at)},
          {"updatedAt", clock::to_iso8601(p.updated_at)}};
}

void apply_promo_fields(PromoCode& p, const bj::object& b) {
  if (auto* t = b.if_contains("type"))
    p.rule.kind = t->as_string() == "percent" ? Promo::Kind::percent : Promo::Kind::flat;
  if (auto* v = b.if_contains("value")) {
    auto amount = money::from_json(*v);  // percent or rupees: both have at most two decimals
    if (!amount || *amount <= 0)
      throw ValidationError("Validation failed", {{"value", "must be positive with at most two decimals"}});
    if (p.rule.kind == Promo::Kind::percent) {
      if (*amount > 10000) throw ValidationError("Validation failed", {{"value", "a percentage must be at most 100"}});
      p.rule.percent_bp = static_cast<int>(*amount);
    } else {
      p.rule.flat = *amount;
    }
  }
  if (auto m = amount_field(b, "minOrderAmount", p.rule.min_order)) p.rule.min_order = *m;
  p.rule.max_discount = amount_field(b, "maxDiscount", p.rule.max_discount);
  p.valid_from = time_field(b, "validFrom", p.valid_from);
  p.valid_until = time_field(b, "validUntil", p.valid_until);
  if (auto* v = b.if_contains("usageLimit"))
    p.usage_limit = v->is_null() ? std::nullopt : std::optional<std::int64_t>(v->as_int64());
  if (auto* v = b.if_contains("perCustomerLimit"))
    p.per_customer_limit = v->is_null() ? std::nullopt : std::optional<std::int64_t>(v->as_int64());
  p.is_active = json::bool_or(b, "isActive", p.is_active);
  if (p.valid_from && p.valid_until && *p.valid_until <= *p.valid_from)
    throw ValidationError("Validation failed", {{"validUntil", "must be after validFrom"}});
  if ((p.rule.kind == Promo::Kind::percent ? p.rule.percent_bp : p.rule.flat) <= 0)
    throw ValidationError("Validation failed", {{"value", "is required"}});
}

Promo check_promo(store::Connection& c, const std::string& raw, const std::string& customer_id,
                  money::Paise items_total, bool for_update) {
  const auto code = normalize_code(raw);
  auto p = find_promo(c, code, for_update);
  const auto now = clock::now_ms();
  if (!p || !p->is_active) refuse("Unknown promo code");
  if (p->valid_from && now < *p->valid_from) refuse("This promo code is not valid yet");
  if (p->valid_until && now >= *p->valid_until) refuse("This promo code has expired");
  if (items_total < p->rule.min_order)
    refuse("This promo code needs an order of at least ₹" + money::format_rupees(p->rule.min_order));
  if (!customer_id.empty() && p->per_customer_limit &&
      count_redemptions(c, code, customer_id) >= *p->per_customer_limit)
    refuse("You have already used this promo code");
  if (p->usage_limit && p->used_count >= *p->usage_limit) refuse("This promo code has been fully used");
  return p->rule;
}

Promo redeem_promo(store::Connection& c, const std::string& raw, const std::string& customer_id,
                   const std::string& order_id, money::Paise items_total) {
  const auto rule = check_promo(c, raw, customer_id, items_total, true);
  const auto code = normalize_code(raw);
  if (!take_promo_use(c, code)) refuse("This promo code has been fully used");  // atomic: see take_promo_use
  insert_redemption(c, code, customer_id, order_id, clock::now_ms());
  return rule;
}

boost::asio::awaitable<PromoCode> PromoService::create(bj::object body) {
  PromoCode p;
  p.code = normalize_code(json::string_or(body, "code"));
  apply_promo_fields(p, body);
  p.created_at = p.updated_at = clock::now_ms();
  co_await db_.transaction([&](store::Connection& c) { insert_promo(c, p); });  // a taken code is 409 DUPLICATE_ENTRY
  co_return p;
}

boost::asio::awaitable<std::vector<PromoCode>> PromoService::list() {
  co_return co_await db_.read([](store::Connection& c) { return list_promos(c); });
}

boost::asio::awaitable<PromoCode> PromoService::update(std::string code, bj::object body) {
  co_return co_await db_.transaction([&](store::Connection& c) {
    auto p = find_promo(c, normalize_code(code), true);
    if (!p) throw NotFoundError("Promo code");
    apply_promo_fields(*p, body);
    p->updated_at = clock::now_ms();
    update_promo(c, *p);
    return *p;
  });
}

}  // namespace tiptop::orders
