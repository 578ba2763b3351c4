#include "modules/users/model.hpp"

#include <algorithm>

#include "core/json.hpp"

namespace tiptop::users {
namespace bj = boost::json;
namespace {

bj::value point(const std::optional<double>& lng, const std::optional<double>& lat) {
  if (!lng || !lat) return nullptr;
  return bj::object{{"type", "Point"}, {"coordinates", bj::array{*lng, *lat}}};
}

}  // namespace

bj::object to_json(const Address& a) {
  return {{"_id", a.id},
          {"type", a.type},
          {"street", a.street},
          {"city", a.city},
          {"state", a.state},
          {"zipCode", a.zip_code},
          {"coordinates", point(a.lng, a.lat)},
          {"isDefault", a.is_default}};
}

bj::object to_json(const User& u) {
  bj::array addresses;
  for (const auto& a : u.addresses) addresses.push_back(to_json(a));
  bj::object o{{"_id", u.id},
               {"role", u.role},
               {"email", u.email},
               {"phone", u.phone},
               {"profile",
                {{"firstName", u.first_name},
                 {"lastName", u.last_name},
                 {"avatar", json::string_or_null(u.avatar)},
                 {"dateOfBirth", json::string_or_null(u.date_of_birth)}}},
               {"addresses", std::move(addresses)},
               {"isActive", u.is_active},
               {"isEmailVerified", u.is_email_verified},
               {"isPhoneVerified", u.is_phone_verified},
               {"createdAt", clock::to_iso8601(u.created_at)},
               {"updatedAt", clock::to_iso8601(u.updated_at)},
               {"lastLogin", u.last_login ? bj::value(clock::to_iso8601(*u.last_login)) : bj::value(nullptr)}};
  if (u.role == "customer") {
    o["loyaltyPoints"] = u.loyalty_points;
    o["totalOrders"] = u.total_orders;
    o["totalSpent"] = money::to_json(u.total_spent);
  } else if (u.role == "delivery") {
    o["vehicleInfo"] = {{"type", json::string_or_null(u.vehicle_type)},
                        {"number", json::string_or_null(u.vehicle_number)},
                        {"document", json::string_or_null(u.vehicle_document)}};
    o["availability"] = u.availability;
    o["currentLocation"] = point(u.location_lng, u.location_lat);
    o["locationUpdatedAt"] =
        u.location_updated_at ? bj::value(clock::to_iso8601(*u.location_updated_at)) : bj::value(nullptr);
    o["rating"] = u.rating;
    o["totalDeliveries"] = u.total_deliveries;
  }
  return o;
}

std::string normalize_email(std::string_view email) {
  std::string s(email);
  s.erase(0, s.find_first_not_of(" \t"));
  s.erase(s.find_last_not_of(" \t") + 1);
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::string normalize_phone(std::string_view phone) {
  std::string s;
  for (char c : phone)
    if (c != ' ' && c != '-') s += c;
  return s;
}

}  // namespace tiptop::users
