#pragma once
// SQL for guest records: a caller known by name and phone only (counter orders; guest checkout
// later), one row per phone.
#include <string>

#include "store/database.hpp"

namespace tiptop::orders {

// The guest with this phone, created or with its name brought up to date (an empty name keeps the
// one it has); returns its id.
std::string upsert_guest(store::Connection& c, const std::string& phone, const std::string& name);
// A new account with this phone takes over the guest orders placed with it.
void adopt_guest_orders(store::Connection& c, const std::string& user_id, const std::string& phone);
// The guest's phone (empty when no such guest).
std::string guest_phone(store::Connection& c, const std::string& guest_id);

}  // namespace tiptop::orders
