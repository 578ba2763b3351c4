#include "modules/users/service.hpp"

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"
#include "modules/notifications/triggers.hpp"
#include "modules/users/repository.hpp"

namespace tiptop::users {
namespace asio = boost::asio;
namespace bj = boost::json;

namespace {

// Coordinates arrive as [lng, lat] or GeoJSON {type:"Point", coordinates:[lng, lat]}; the route
// schema has checked the ranges.
const bj::array* coordinate_pair(const bj::value& v) {
  if (v.is_array()) return &v.get_array();
  if (v.is_object())
    if (auto* c = v.get_object().if_contains("coordinates"); c && c->is_array()) return &c->get_array();
  return nullptr;
}

double number(const bj::value& v) {
  return v.is_double() ? v.get_double() : static_cast<double>(v.to_number<double>());
}

// After any change: if addresses exist and none is default, the oldest becomes default.
void ensure_one_default(store::Connection& c, const std::string& user_id) {
  auto list = list_addresses(c, user_id);
  if (list.empty() || std::any_of(list.begin(), list.end(), [](const Address& a) { return a.is_default; })) return;
  list.front().is_default = true;
  users::update_address(c, user_id, list.front());
}

}  // namespace

void apply_address_fields(Address& a, const bj::object& body) {
  a.type = json::string_or(body, "type", a.type);
  a.street = json::string_or(body, "street", a.street);
  a.city = json::string_or(body, "city", a.city);
  a.state = json::string_or(body, "state", a.state);
  a.zip_code = json::string_or(body, "zipCode", a.zip_code);
  if (auto* coords = body.if_contains("coordinates")) {
    if (coords->is_null()) {
      a.lng.reset();
      a.lat.reset();
    } else if (auto* pair = coordinate_pair(*coords); pair && pair->size() == 2) {
      a.lng = number((*pair)[0]);
      a.lat = number((*pair)[1]);
    }
  }
}

asio::awaitable<User> UsersService::get(std::string user_id) {
  auto u = co_await db_.read([&](store::Connection& c) { return find_by_id(c, user_id); });
  if (!u) throw NotFoundError("User");
  co_return std::move(*u);
}

asio::awaitable<User> UsersService::update_profile(std::string user_id, bj::object body, std::string ip) {
  auto current = co_await get(user_id);
  const auto* e = body.if_contains("email");
  const auto* p = body.if_contains("phone");
  const bool new_email = e && e->is_string() && normalize_email(e->get_string()) != current.email;
  const bool new_phone = p && p->is_string() && normalize_phone(p->get_string()) != current.phone;
  if (new_email || new_phone) {
    const auto password = json::string_or(body, "currentPassword");
    if (password.empty())
      throw ValidationError("Validation failed", {{"currentPassword", "is required to change the e-mail or phone"}});
    co_await auth_.confirm_password(user_id, password, ip);
  }
  std::vector<notifications::Notification> told;
  auto updated = co_await db_.transaction([&](store::Connection& c) {
    auto u = find_by_id(c, user_id);
    if (!u) throw NotFoundError("User");
    const bj::object* profile = nullptr;
    if (auto* pr = body.if_contains("profile"); pr && pr->is_object()) profile = &pr->get_object();
    auto field = [&](const char* key, std::string& target) {
      if (auto* v = body.if_contains(key); v && v->is_string()) target = std::string(v->get_string());
      if (profile)
        if (auto* v = profile->if_contains(key); v && v->is_string()) target = std::string(v->get_string());
    };
    field("firstName", u->first_name);
    field("lastName", u->last_name);
    field("avatar", u->avatar);
    field("dateOfBirth", u->date_of_birth);
    const auto old_email = u->email;
    // Compared again inside the transaction: only what the password was asked for may change.
    if (new_email && normalize_email(e->get_string()) != u->email) {
      u->email = normalize_email(e->get_string());
      u->is_email_verified = false;  // a new address must be verified again
    }
    if (new_phone && normalize_phone(p->get_string()) != u->phone) {
      u->phone = normalize_phone(p->get_string());
      u->is_phone_verified = false;
    }
    users::update_profile(c, *u);  // a taken email or phone surfaces as 409 DUPLICATE_ENTRY
    if (u->email != old_email && !old_email.empty())
      told = notifier_.store(c, {notifications::email_changed_draft(user_id, old_email, u->email)});
    return *find_by_id(c, user_id);
  });
  notifier_.publish(told);
  co_return updated;
}

asio::awaitable<std::vector<Address>> UsersService::add_address(std::string user_id, bj::object body) {
  co_return co_await db_.transaction([&](store::Connection& c) {
    auto existing = list_addresses(c, user_id);
    if (existing.size() >= kMaxAddresses)
      throw ValidationError("Validation failed", {{"addresses", "at most 20 addresses per account"}});
    Address a;
    a.id = ids::new_object_id();
    apply_address_fields(a, body);
    a.is_default = existing.empty() || json::bool_or(body, "isDefault", false);
    if (a.is_default) clear_default_address(c, user_id);
    insert_address(c, user_id, a);
    return list_addresses(c, user_id);
  });
}

asio::awaitable<std::vector<Address>> UsersService::update_address(std::string user_id, std::string address_id,
                                                                   bj::object body) {
  co_return co_await db_.transaction([&](store::Connection& c) {
    auto list = list_addresses(c, user_id);
    auto it = std::find_if(list.begin(), list.end(), [&](const Address& a) { return a.id == address_id; });
    if (it == list.end()) throw NotFoundError("Address");  // also when it belongs to someone else
    Address a = *it;
    apply_address_fields(a, body);
    if (auto* d = body.if_contains("isDefault"); d && d->is_bool()) {
      if (d->get_bool() && !a.is_default) clear_default_address(c, user_id);
      a.is_default = d->get_bool();
    }
    users::update_address(c, user_id, a);
    ensure_one_default(c, user_id);
    return list_addresses(c, user_id);
  });
}

asio::awaitable<std::vector<Address>> UsersService::delete_address(std::string user_id, std::string address_id) {
  co_return co_await db_.transaction([&](store::Connection& c) {
    if (!users::delete_address(c, user_id, address_id)) throw NotFoundError("Address");
    ensure_one_default(c, user_id);
    return list_addresses(c, user_id);
  });
}

}  // namespace tiptop::users
