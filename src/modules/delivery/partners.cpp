#include "modules/delivery/partners.hpp"

#include <cmath>

#include "core/errors.hpp"
#include "core/ids.hpp"
#include "core/json.hpp"

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

// Orders in the period (by placement time) grouped by partner; shifts (by start) for distance.
std::string range_sql(const char* column, std::optional<clock::Millis> from, std::optional<clock::Millis> to, store::Params& p) {
  std::string w;
  if (from) w += std::string(" AND ") + column + " >= ?", p.emplace_back(*from);
  if (to) w += std::string(" AND ") + column + " < ?", p.emplace_back(*to);
  return w;
}

}  // namespace

bj::object to_json(const PartnerStats& s) {
  bj::value average = nullptr;
  if (s.timed > 0) average = std::round(static_cast<double>(s.delivery_ms_total) / s.timed / 6000.0) / 10.0;
  return {{"deliveryPartner", {{"_id", s.partner_id}, {"name", s.name}, {"phone", s.phone}, {"vehicleNumber", s.vehicle_number},
                               {"availability", s.available}, {"isActive", s.active}}},
          {"totalDeliveries", s.deliveries},
          {"successfulDeliveries", s.successful},
          {"cancelledDeliveries", s.cancelled},
          {"inProgressDeliveries", s.in_progress},
          {"sessions", s.sessions},
          {"totalDistance", std::round(static_cast<double>(s.distance_m) / 10.0) / 100.0},
          {"averageDeliveryTime", std::move(average)},
          {"cashCollected", money::to_json(s.cash_collected)}};
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
    co_await db_.transaction([&](store::Connection& c) {
      c.execute("UPDATE users SET vehicle_document = ? WHERE id = ?", {doc, user.id});
    });
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
    c.execute("UPDATE users SET first_name = ?, last_name = ?, phone = ?, vehicle_type = ?, vehicle_number = ?, "
              "vehicle_document = ?, is_active = ?, availability = ?, updated_at = ? WHERE id = ?",
              {u.first_name, u.last_name, u.phone, store::text_or_null(u.vehicle_type), store::text_or_null(u.vehicle_number),
               store::text_or_null(u.vehicle_document), u.is_active, u.availability, u.updated_at, u.id});
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
    c.execute("UPDATE users SET availability = ?, updated_at = ? WHERE id = ?", {available, u.updated_at, u.id});
    return u;
  });
  // The dispatch desk sees who can take work; presence (socket online) is a separate signal.
  emitter_.emit("admin", "admin:delivery-availability", {{"partnerId", user.id}, {"availability", available}});
  co_return user;
}

asio::awaitable<std::vector<PartnerStats>> PartnerService::stats(std::optional<clock::Millis> from, std::optional<clock::Millis> to) {
  co_return co_await db_.read([&](store::Connection& c) {
    std::vector<PartnerStats> out;
    std::unordered_map<std::string, std::size_t> at;
    for (const auto& r : c.query("SELECT id, first_name, last_name, phone, vehicle_number, availability, is_active FROM users "
                                 "WHERE role = 'delivery' ORDER BY first_name, id")
                             .rows) {
      const auto last = r.text("last_name");
      PartnerStats s;
      s.partner_id = r.text("id");
      s.name = r.text("first_name") + (last.empty() ? "" : " " + last);
      s.phone = r.text("phone");
      s.vehicle_number = r.text("vehicle_number");
      s.available = r.boolean("availability");
      s.active = r.boolean("is_active");
      at[s.partner_id] = out.size();
      out.push_back(std::move(s));
    }
    store::Params p;
    const auto orders_range = range_sql("created_at", from, to, p);
    for (const auto& r : c.query(
             "SELECT delivery_partner_id AS partner, COUNT(*) AS total, "
             "SUM(CASE WHEN status = 'delivered' THEN 1 ELSE 0 END) AS successful, "
             "SUM(CASE WHEN status = 'cancelled' THEN 1 ELSE 0 END) AS cancelled, "
             "SUM(CASE WHEN status NOT IN ('delivered', 'cancelled') THEN 1 ELSE 0 END) AS in_progress, "
             "SUM(CASE WHEN status = 'delivered' AND picked_up_at IS NOT NULL THEN actual_delivery_at - picked_up_at ELSE 0 END) AS ms, "
             "SUM(CASE WHEN status = 'delivered' AND picked_up_at IS NOT NULL THEN 1 ELSE 0 END) AS timed, "
             "SUM(CASE WHEN status = 'delivered' THEN COALESCE(cash_collected_paise, 0) ELSE 0 END) AS cash "
             "FROM orders WHERE delivery_partner_id IS NOT NULL" + orders_range + " GROUP BY delivery_partner_id",
             p).rows) {
      auto it = at.find(r.text("partner"));
      if (it == at.end()) continue;
      auto& s = out[it->second];
      s.deliveries = r.integer("total");
      s.successful = r.integer("successful");
      s.cancelled = r.integer("cancelled");
      s.in_progress = r.integer("in_progress");
      s.delivery_ms_total = r.integer("ms");
      s.timed = r.integer("timed");
      s.cash_collected = r.integer("cash");
    }
    store::Params q;
    const auto sessions_range = range_sql("start_time", from, to, q);
    for (const auto& r : c.query("SELECT partner_id, COUNT(*) AS n, SUM(distance_m) AS m FROM delivery_sessions WHERE 1 = 1" +
                                     sessions_range + " GROUP BY partner_id",
                                 q).rows) {
      auto it = at.find(r.text("partner_id"));
      if (it == at.end()) continue;
      out[it->second].sessions = r.integer("n");
      out[it->second].distance_m = r.integer("m");
    }
    return out;
  });
}

}  // namespace tiptop::delivery
