#pragma once
// Promo codes: admin CRUD and their atomic use inside the order-placing transaction.
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "modules/orders/pricing.hpp"
#include "store/database.hpp"

namespace tiptop::orders {

struct PromoCode {
  std::string code;  // upper case
  Promo rule;
  std::optional<clock::Millis> valid_from, valid_until;
  std::optional<std::int64_t> usage_limit, per_customer_limit;
  std::int64_t used_count = 0;
  bool is_active = true;
  clock::Millis created_at = 0, updated_at = 0;
};

boost::json::object to_json(const PromoCode& p);
// From a validated admin body onto p (fields given only); throws ValidationError.
void apply_promo_fields(PromoCode& p, const boost::json::object& body);
std::string normalize_code(std::string_view code);

// Inside the placing transaction: checks every rule and takes one use, atomically (two orders
// racing for the last use: one wins). Throws AppError INVALID_PROMO_CODE with the reason.
// Every rule but taking a use (a quote's view; customer_id empty for a guest: the per-customer
// limit is then not checked). Throws AppError INVALID_PROMO_CODE with the reason.
Promo check_promo(store::Connection& c, const std::string& code, const std::string& customer_id,
                  money::Paise items_total, bool for_update = false);
Promo redeem_promo(store::Connection& c, const std::string& code, const std::string& customer_id,
                   const std::string& order_id, money::Paise items_total);

// Admin management of promo codes.
class PromoService {
 public:
  explicit PromoService(store::Database& db) : db_(db) {}
  boost::asio::awaitable<PromoCode> create(boost::json::object body);
  boost::asio::awaitable<std::vector<PromoCode>> list();
  boost::asio::awaitable<PromoCode> update(std::string code, boost::json::object body);  // fields given only

 private:
  store::Database& db_;
};

}  // namespace tiptop::orders
