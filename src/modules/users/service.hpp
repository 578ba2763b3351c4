#pragma once
// The signed-in user's own profile and addresses. Every call is scoped to that user's id, so one
// customer can never read or change another's record.
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>

#include "modules/auth/service.hpp"
#include "modules/notifications/notifier.hpp"
#include "modules/users/model.hpp"
#include "store/database.hpp"

namespace tiptop::users {

class UsersService {
 public:
  UsersService(store::Database& db, auth::AuthService& auth, notifications::Notifier& notifier)
      : db_(db), auth_(auth), notifier_(notifier) {}

  boost::asio::awaitable<User> get(std::string user_id);
  // body: validated JSON of PUT /users/me; fields absent stay as they are. A new e-mail or phone
  // needs body.currentPassword (a stolen token alone must not take the account over); the old
  // address is told of an e-mail change. ip: for the password attempts' limit.
  boost::asio::awaitable<User> update_profile(std::string user_id, boost::json::object body, std::string ip);
  boost::asio::awaitable<std::vector<Address>> add_address(std::string user_id, boost::json::object body);
  boost::asio::awaitable<std::vector<Address>> update_address(std::string user_id, std::string address_id,
                                                              boost::json::object body);
  boost::asio::awaitable<std::vector<Address>> delete_address(std::string user_id, std::string address_id);

 private:
  store::Database& db_;
  auth::AuthService& auth_;
  notifications::Notifier& notifier_;
};

// Applies the address fields present in body onto a (shared by add and update).
void apply_address_fields(Address& a, const boost::json::object& body);

}  // namespace tiptop::users
