#pragma once
// SQL for promo codes and their redemptions. The functions take a Connection so redeeming a code
// composes inside the order-placing transaction.
#include <optional>
#include <string>
#include <vector>

#include "modules/orders/promos.hpp"
#include "store/database.hpp"

namespace tiptop::orders {

std::optional<PromoCode> find_promo(store::Connection& c, const std::string& code, bool for_update = false);
std::vector<PromoCode> list_promos(store::Connection& c);
void insert_promo(store::Connection& c, const PromoCode& p);
void update_promo(store::Connection& c, const PromoCode& p);

std::int64_t count_redemptions(store::Connection& c, const std::string& code, const std::string& customer_id);
// Counts one use unless the usage limit is reached; false when it is. The guard in the UPDATE
// itself makes the last use go to exactly one order.
bool take_promo_use(store::Connection& c, const std::string& code);
void insert_redemption(store::Connection& c, const std::string& code, const std::string& customer_id,
                       const std::string& order_id, clock::Millis at);

}  // namespace tiptop::orders
