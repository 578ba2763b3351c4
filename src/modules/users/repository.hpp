#pragma once
// SQL for users and their addresses. Functions take a Connection so services compose them inside
// one transaction.
#include <optional>
#include <string>
#include <vector>

#include "modules/users/model.hpp"
#include "store/database.hpp"

namespace tiptop::users {

void insert_user(store::Connection& c, const User& u);
std::optional<User> find_by_id(store::Connection& c, const std::string& id);
// The user with this id and role, or NotFoundError(what) — also for an id that is not an ObjectId.
User find_with_role(store::Connection& c, const std::string& id, const std::string& role, const std::string& what);
// Locks the user's row until the transaction ends (PostgreSQL; SQLite's write transaction already
// holds everything). Work on a delivery partner locks their row first, then their shift, so a
// location ping and a delivery never wait on each other in opposite orders.
void lock_user(store::Connection& c, const std::string& id);
// By e-mail (case-insensitive) or phone, whichever `login` looks like.
std::optional<User> find_by_login(store::Connection& c, const std::string& login);
std::optional<User> find_by_email(store::Connection& c, const std::string& email);
void set_password_hash(store::Connection& c, const std::string& id, const std::string& hash);
void set_last_login(store::Connection& c, const std::string& id, clock::Millis at);
// Writes the profile fields, email and phone (the caller has validated them).
void update_profile(store::Connection& c, const User& u);
// Blocks (false) or unblocks an account.
void set_active(store::Connection& c, const std::string& id, bool active, clock::Millis updated_at);

// Delivery partners.
// Writes what an admin edits on a partner: names, phone, vehicle, isActive and availability.
void update_partner(store::Connection& c, const User& u);
void set_vehicle_document(store::Connection& c, const std::string& id, const std::string& document);
// The partner's own switch; updated_at moves with it.
void set_availability(store::Connection& c, const std::string& id, bool available, clock::Millis updated_at);
// Off shift means off duty. Unlike set_availability, leaves updated_at as it is.
void take_off_duty(store::Connection& c, const std::string& id);
// Only a delivery partner's row moves; another id changes nothing.
void set_location(store::Connection& c, const std::string& id, double lat, double lng, clock::Millis at);
// Every partner, active or not, by first name.
std::vector<User> list_partners(store::Connection& c);
// Partners who are active and available: who may be offered an order now.
std::vector<std::string> available_partner_ids(store::Connection& c);
std::int64_t count_available_partners(store::Connection& c);

// Active customers in id order: the audience of a promotion.
std::vector<std::string> active_customer_ids(store::Connection& c);
struct CustomerCounts {
  std::int64_t total = 0, blocked = 0, registered = 0;  // registered: in the period
};
CustomerCounts count_customers(store::Connection& c, clock::Millis from, clock::Millis to);

struct UserFilter {
  std::string role = "customer";
  std::optional<bool> active, available;
  std::string search;           // in name, e-mail or phone
  std::string sort = "newest";  // newest | spend | orders (largest first)
};
std::vector<User> list_users(store::Connection& c, const UserFilter& f, std::int64_t offset, std::int64_t limit);
std::int64_t count_users(store::Connection& c, const UserFilter& f);

std::vector<Address> list_addresses(store::Connection& c, const std::string& user_id);
void insert_address(store::Connection& c, const std::string& user_id, const Address& a);
void update_address(store::Connection& c, const std::string& user_id, const Address& a);
bool delete_address(store::Connection& c, const std::string& user_id, const std::string& address_id);
void clear_default_address(store::Connection& c, const std::string& user_id);

// Active, available delivery partners whose last position is no older than `since`.
struct PartnerPosition {
  std::string id;
  double lng = 0, lat = 0;
};
std::vector<PartnerPosition> located_available_partners(store::Connection& c, clock::Millis since);

}  // namespace tiptop::users
