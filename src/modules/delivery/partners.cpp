#include "modules/delivery/partners.hpp"

#include "modules/delivery/rider_stats.hpp"

#include <cmath>

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"
#include "modules/cash/repository.hpp"
#include "modules/delivery/rider_stats.hpp"
#include "modules/orders/desk_repository.hpp"

namespace tiptop::delivery {
namespace asio = boost::asio;
namespace bj = boost::json;
namespace {

users::User partner_or_404(store::Connection& c, const std::string& id) {
  return users::find_with_role(c, id, "delivery", "Delivery partner");
}

std::string vehicle_field(const bj::object& body, const char* key) {
  const auto* v = body.if_contains("vehicleInfo");
  return v && v->is_object() ? json::string_or(v->get_object(), key) : std::string();
}

}  // namespace

bj::object to_json(const PartnerStats& s) {
  bj::value average = nullptr;
  if (s.timed > 0) average = std::round(static_cast<double>(s.delivery_ms_total) / s.timed / 6000.0) / 10.0;
  return {{"deliveryPartner",
           {{"_id", s.partner_id},
            {"name", s.name},
            {"phone", s.phone},
            {"vehicleNumber", s.vehicle_number},
            {"availability", s.available},
            {"isActive", s.active}}},
          {"totalDeliveries", s.deliveries},
          {"successfulDeliveries", s.successful},
          {"cancelledDeliveries", s.cancelled},
          {"inProgressDeliveries", s.in_progress},
          {"sessions", s.sessions},
          {"totalDistance", std::round(static_cast<double>(s.distance_m) / 10.0) / 100.0},
          {"averageDeliveryTime", std::move(average)},
          {"cashCollected", money::to_json(s.cash_collected)},
          {"upiCollected", money::to_json(s.upi_collected)},
          {"tips", money::to_json(s.tips)}};
}

asio::awaitable<PartnerPage> PartnerService::list(users::UserFilter filter, std::int64_t page, std::int64_t limit) {
  filter.role = "delivery";
  co_return co_await db_.read([&](store::Connection& c) {
    return PartnerPage{users::list_users(c, filter, (page - 1) * limit, limit), users::count_users(c, filter)};
  });
}

asio::awaitable<users::User> PartnerService::create(bj::object body) {
  auth::NewAccount a;
  a.role = "delivery";
  a.email = json::string_or(body, "email");
  a.phone = json::string_or(body, "phone");
  a.password = json::string_or(body, "password");
  a.first_name = json::string_or(body, "firstName");
  a.last_name = json::string_or(body, "lastName");
  a.vehicle_type = vehicle_field(body, "type");
  a.vehicle_number = vehicle_field(body, "number");
  auto user = co_await auth_.create_account(std::move(a));
  if (auto doc = vehicle_field(body, "document"); !doc.empty()) {
    co_await db_.transaction([&](store::Connection& c) { users::set_vehicle_document(c, user.id, doc); });
    user.vehicle_document = doc;
  }
  co_return user;
}

asio::awaitable<users::User> PartnerService::update(std::string partner_id, bj::object body) {
  bool deactivated = false;
  auto user = co_await db_.transaction([&](store::Connection& c) {
    if (ids::is_object_id(partner_id)) users::lock_user(c, partner_id);  // read-modify-write of the whole row
    auto u = partner_or_404(c, partner_id);
    if (body.contains("firstName")) u.first_name = json::string_or(body, "firstName");
    if (body.contains("lastName")) u.last_name = json::string_or(body, "lastName");
    if (body.contains("phone")) u.phone = users::normalize_phone(json::string_or(body, "phone"));
    if (auto* v = body.if_contains("vehicleInfo"); v && v->is_object()) {
      const auto& info = v->get_object();
      if (info.contains("type")) u.vehicle_type = json::string_or(info, "type");
      if (info.contains("number")) u.vehicle_number = json::string_or(info, "number");
      if (info.contains("document")) u.vehicle_document = json::string_or(info, "document");
    }
    if (auto* a = body.if_contains("isActive"); a && a->is_bool()) {
      deactivated = u.is_active && !a->get_bool();
      u.is_active = a->get_bool();
    }
    if (!u.is_active) u.availability = false;
    u.updated_at = clock::now_ms();
    users::update_partner(c, u);
    return u;
  });
  if (deactivated) co_await auth_.revoke_user(user.id);
  co_return user;
}

asio::awaitable<users::User> PartnerService::set_availability(std::string partner_id, bool available) {
  auto user = co_await db_.transaction([&](store::Connection& c) {
    auto u = partner_or_404(c, partner_id);
    if (!u.is_active) throw AuthorizationError("This delivery partner account is disabled");
    u.availability = available;
    u.updated_at = clock::now_ms();
    users::set_availability(c, u.id, available, u.updated_at);
    return u;
  });
  // The dispatch desk sees who can take work; presence (socket online) is a separate signal.
  emitter_.emit("admin", "admin:delivery-availability", {{"partnerId", user.id}, {"availability", available}});
  co_return user;
}

asio::awaitable<std::vector<PartnerStats>> PartnerService::stats(std::optional<clock::Millis> from,
                                                                 std::optional<clock::Millis> to) {
  co_return co_await db_.read([&](store::Connection& c) {
    std::vector<PartnerStats> out;
    std::unordered_map<std::string, std::size_t> at;
    for (const auto& u : users::list_partners(c)) {
      PartnerStats s;
      s.partner_id = u.id;
      s.name = u.first_name + (u.last_name.empty() ? "" : " " + u.last_name);
      s.phone = u.phone;
      s.vehicle_number = u.vehicle_number;
      s.available = u.availability;
      s.active = u.is_active;
      at[s.partner_id] = out.size();
      out.push_back(std::move(s));
    }
    // Orders by placement time, shifts by start.
    for (const auto& f : orders::partner_order_figures(c, from, to)) {
      auto it = at.find(f.partner_id);
      if (it == at.end()) continue;
      auto& s = out[it->second];
      s.deliveries = f.total;
      s.successful = f.successful;
      s.cancelled = f.cancelled;
      s.in_progress = f.in_progress;
      s.delivery_ms_total = f.delivery_ms;
      s.timed = f.timed;
      s.cash_collected = f.cash_collected;
      s.upi_collected = f.upi_collected;
      s.tips = f.tips;
    }
    for (const auto& t : cash::shift_totals_by_partner(c, from, to)) {
      auto it = at.find(t.partner_id);
      if (it == at.end()) continue;
      out[it->second].sessions = t.sessions;
      out[it->second].distance_m = t.distance_m;
    }
    return out;
  });
}

asio::awaitable<bj::object> PartnerService::own_stats(std::string partner_id, clock::Millis from, clock::Millis to) {
  co_return co_await db_.read([&](store::Connection& c) {
    return rider_stats(orders::partner_deliveries(c, partner_id, from, to),
                       cash::partner_shift_distances(c, partner_id, from, to), from, to);
  });
}

}  // namespace tiptop::delivery
