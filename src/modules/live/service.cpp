#include "modules/live/service.hpp"

#include <cmath>

#include "core/clock.hpp"
#include "core/errors.hpp"
#include "core/ids.hpp"
#include "modules/cash/repository.hpp"
#include "modules/live/repository.hpp"
#include "modules/orders/events.hpp"
#include "modules/orders/repository.hpp"
#include "modules/orders/tracking_repository.hpp"
#include "modules/users/repository.hpp"

namespace tiptop::live {
namespace bj = boost::json;

namespace {

std::optional<double> number(const bj::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  if (!v || !v->is_number()) return std::nullopt;
  const double d = v->to_number<double>();
  if (!std::isfinite(d)) return std::nullopt;
  return d;
}

// The order's customer and partner when `user` is one of them and the order is active.
orders::OrderParties chat_parties(store::Connection& c, const std::string& user_id, const std::string& role,
                                  const std::string& order_id) {
  if (!ids::is_object_id(order_id)) throw NotFoundError("Order");
  auto found = orders::find_parties(c, order_id);
  if (!found) throw NotFoundError("Order");
  const auto& p = *found;
  const bool member =
      (role == "customer" && p.customer_id == user_id) || (role == "delivery" && p.partner_id == user_id);
  if (!member) throw NotFoundError("Order");
  if (p.partner_id.empty()) throw ConflictError("No delivery partner has this order yet", "NO_DELIVERY_PARTNER");
  if (!orders::is_active(p.status))
    throw ConflictError("Chat is closed for an order that is " + std::string(orders::to_string(p.status)),
                        "ORDER_NOT_ACTIVE");
  return p;
}

}  // namespace

std::optional<Location> parse_location(const bj::value& v) {
  if (!v.is_object()) return std::nullopt;
  const auto& o = v.get_object();
  auto lat = number(o, "lat"), lng = number(o, "lng");
  if (!lat || !lng || *lat < -90 || *lat > 90 || *lng < -180 || *lng > 180) return std::nullopt;
  Location at{*lat, *lng, std::nullopt, std::nullopt};
  if (o.contains("heading")) {
    at.heading = number(o, "heading");
    if (!at.heading || *at.heading < 0 || *at.heading >= 360) return std::nullopt;
  }
  if (o.contains("speed")) {
    at.speed = number(o, "speed");
    if (!at.speed || *at.speed < 0 || *at.speed > 300) return std::nullopt;
  }
  return at;
}

bj::object to_json(const ChatMessage& m) {
  return {{"_id", m.id},
          {"orderId", m.order_id},
          {"from", bj::object{{"id", m.sender_id}, {"role", m.sender_role}}},
          {"message", m.body},
          {"createdAt", clock::to_iso8601(m.created_at)}};
}

boost::asio::awaitable<std::size_t> LiveService::update_location(std::string partner_id, Location at) {
  const auto now = clock::now_ms();
  auto tracked = co_await db_.transaction([&](store::Connection& c) {
    users::set_location(c, partner_id, at.lat, at.lng, now);
    cash::record_position(c, partner_id, at.lat, at.lng, now);  // after the users row: see users::lock_user
    return orders::orders_tracked_by(c, partner_id);
  });
  bj::object location{{"lat", at.lat}, {"lng", at.lng}, {"updatedAt", clock::to_iso8601(now)}};
  if (at.heading) location["heading"] = *at.heading;
  if (at.speed) location["speed"] = *at.speed;
  for (const auto& t : tracked)
    for (const auto& room : orders::customer_rooms(t.customer_id, t.guest_id, t.order_id, t.tracked_by_link))
      emitter_.emit(room, "delivery:location", {{"orderId", t.order_id}, {"location", location}});
  co_return tracked.size();
}

boost::asio::awaitable<std::optional<std::string>> LiveService::order_by_tracking_link(std::string token) {
  if (!orders::is_tracking_token(token)) co_return std::nullopt;  // only the shape we issue is looked up
  auto found = co_await db_.read([&](store::Connection& c) { return orders::find_by_tracking_token(c, token); });
  if (!found) co_return std::nullopt;
  co_return found->id;
}

boost::asio::awaitable<ChatMessage> LiveService::send_message(std::string sender_id, std::string role,
                                                              std::string order_id, std::string body) {
  ChatMessage m{ids::new_object_id(), order_id, sender_id, role, std::move(body), clock::now_ms()};
  auto parties = co_await db_.transaction([&](store::Connection& c) {
    auto p = chat_parties(c, sender_id, role, order_id);
    insert_message(c, m);
    return p;
  });
  const auto& to = role == "customer" ? parties.partner_id : parties.customer_id;
  emitter_.emit("user:" + to, "chat:message", to_json(m));
  co_return m;
}

boost::asio::awaitable<void> LiveService::typing(std::string sender_id, std::string role, std::string order_id) {
  auto parties = co_await db_.read([&](store::Connection& c) { return chat_parties(c, sender_id, role, order_id); });
  const auto& to = role == "customer" ? parties.partner_id : parties.customer_id;
  emitter_.emit("user:" + to, "chat:typing",
                {{"orderId", order_id}, {"from", bj::object{{"id", sender_id}, {"role", role}}}});
}

boost::asio::awaitable<std::vector<ChatMessage>> LiveService::messages(std::string user_id, std::string role,
                                                                       std::string order_id) {
  co_return co_await db_.read([&](store::Connection& c) {
    if (!ids::is_object_id(order_id)) throw NotFoundError("Order");
    auto o = orders::find_parties(c, order_id);
    if (!o) throw NotFoundError("Order");
    const bool allowed = role == "admin" || role == "staff" || (role == "customer" && o->customer_id == user_id) ||
                         (role == "delivery" && o->partner_id == user_id);
    if (!allowed) throw NotFoundError("Order");
    return list_messages(c, order_id);
  });
}

}  // namespace tiptop::live
