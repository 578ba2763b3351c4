#pragma once
// The restaurant's view of its customers (spec §3.1 /admin/customers): who they are, what they
// ordered, who is new and who comes back; and blocking an account, which signs it out everywhere.
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <string>

#include "modules/auth/service.hpp"
#include "modules/users/repository.hpp"
#include "store/database.hpp"

namespace tiptop::admin {

struct CustomerPage {
  std::vector<users::User> customers;
  std::int64_t total = 0;
};

class CustomerDesk {
 public:
  CustomerDesk(store::Database& db, auth::AuthService& auth) : db_(db), auth_(auth) {}

  boost::asio::awaitable<CustomerPage> list(users::UserFilter filter, std::int64_t page, std::int64_t limit);
  // Profile and addresses, with an order history summary and the latest orders.
  boost::asio::awaitable<boost::json::object> get(std::string customer_id);
  // registered, active (ordered), new (first order ever) and returning in the period.
  boost::asio::awaitable<boost::json::object> stats(clock::Millis from, clock::Millis to);
  // isActive false blocks the account and revokes every session; true lets them sign in again.
  boost::asio::awaitable<users::User> set_active(std::string customer_id, bool active);

 private:
  store::Database& db_;
  auth::AuthService& auth_;
};

}  // namespace tiptop::admin
