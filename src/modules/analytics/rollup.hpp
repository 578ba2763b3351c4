#pragma once
// The arithmetic of analytics, free of storage: a day's orders become 24 hourly buckets and
// per-dish figures. A day and an hour are the restaurant's (RESTAURANT_TIMEZONE), so an order at
// 00:30 in Kolkata counts for that day even though it is still the day before in UTC.
#include <array>
#include <boost/json/array.hpp>
#include <map>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/money.hpp"

namespace tiptop::analytics {

using money::Paise;

// What one order contributes.
struct OrderFacts {
  clock::Millis created_at = 0;
  std::string status, payment_method;
  Paise final_amount = 0, discount = 0;
  boost::json::array items;  // the order's lines: menuItem, name, quantity, subtotal
  std::string order_type = "delivery";
};

// Orders placed in the bucket; completed (delivered) orders carry the money.
struct Bucket {
  std::int64_t orders = 0, completed = 0, cancelled = 0;
  // online: through the gateway (ONLINE, CARD); cod: cash to a rider; cash and upi: at the counter
  // (or UPI at the door).
  Paise online = 0, cod = 0, discount = 0;
  Paise cash = 0, upi = 0;
  std::int64_t takeaway = 0;  // of `orders`

  Paise revenue() const { return online + cod + cash + upi; }
  Bucket& operator+=(const Bucket& b);
};

struct ItemFigures {
  std::string name;
  std::int64_t quantity = 0, orders = 0;
  Paise revenue = 0;
};

struct DayFigures {
  std::string day;  // YYYY-MM-DD
  std::array<Bucket, 24> hours{};
  std::map<std::string, ItemFigures> items;  // by menu item id

  Bucket total() const;
};

// The local hour (0-23) of an instant.
int local_hour(clock::Millis at);
DayFigures compute_day(const std::string& day, const std::vector<OrderFacts>& orders);
// Calendar arithmetic on YYYY-MM-DD.
std::string add_days(const std::string& day, int n);
std::string week_of(const std::string& day);   // the Monday starting that ISO week, YYYY-MM-DD
std::string month_of(const std::string& day);  // YYYY-MM

}  // namespace tiptop::analytics
