#pragma once
// A user as stored (spec §2 Users) and its JSON form. The JSON never carries the password hash
// or any token material.
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/money.hpp"

namespace tiptop::users {

struct Address {
  std::string id;
  std::string type = "home";  // home | work | other
  std::string street, city, state, zip_code;
  std::optional<double> lng, lat;
  bool is_default = false;
};

struct User {
  std::string id;
  std::string role = "customer";  // customer | delivery | admin
  std::string email, phone;
  std::string password_hash;
  std::string first_name, last_name, avatar, date_of_birth;
  std::vector<Address> addresses;
  std::int64_t loyalty_points = 0, total_orders = 0;
  money::Paise total_spent = 0;
  std::string vehicle_type, vehicle_number, vehicle_document;
  bool availability = false;
  std::optional<double> location_lng, location_lat;
  std::optional<clock::Millis> location_updated_at;
  double rating = 0;
  std::int64_t total_deliveries = 0;
  bool is_active = true, is_email_verified = false, is_phone_verified = false;
  clock::Millis created_at = 0, updated_at = 0;
  std::optional<clock::Millis> last_login;
};

constexpr std::size_t kMaxAddresses = 20;

boost::json::object to_json(const Address& a);
boost::json::object to_json(const User& u);
// Emails compare case-insensitively: stored lower-case, trimmed.
std::string normalize_email(std::string_view email);
// Phones are stored as given minus spaces and dashes.
std::string normalize_phone(std::string_view phone);

}  // namespace tiptop::users
