#pragma once
// Live tracking and chat (spec §7): a delivery partner's reported location reaches only the
// customers whose active order that partner carries; chat runs only between a customer and the
// partner assigned to that customer's active order, and is kept with the order.
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "modules/live/model.hpp"
#include "modules/live/throttle.hpp"
#include "realtime/emitter.hpp"
#include "store/database.hpp"

namespace tiptop::live {

struct Location {
  double lat = 0, lng = 0;
  std::optional<double> heading, speed;  // degrees, km/h
};
// Nothing unless lat is within [-90, 90], lng within [-180, 180], heading [0, 360), speed [0, 300].
std::optional<Location> parse_location(const boost::json::value& v);

boost::json::object to_json(const ChatMessage& m);

class LiveService {
 public:
  // location_interval: the least time between two accepted reports of one partner.
  LiveService(store::Database& db, realtime::Emitter& emitter, std::chrono::milliseconds location_interval)
      : db_(db), emitter_(emitter), locations_(location_interval) {}

  // At most one location per partner per interval (0.9 s by default; spec: about 1/s), whichever
  // way it arrives.
  bool allow_location(const std::string& partner_id) { return locations_.allow(partner_id); }
  // Stores the partner's position (and the distance of their open shift) and sends delivery:location to each customer
  // with an active order assigned to that partner. Returns how many customers were told.
  boost::asio::awaitable<std::size_t> update_location(std::string partner_id, Location at);
  // The order a guest's tracking link opens (its socket hears that order only), if any.
  boost::asio::awaitable<std::optional<std::string>> order_by_tracking_link(std::string token);
  // The sender must be the order's customer or its assigned partner, and the order still active;
  // otherwise NotFoundError (the order's existence is not revealed). Stores, then emits
  // chat:message to the other party.
  boost::asio::awaitable<ChatMessage> send_message(std::string sender_id, std::string role, std::string order_id,
                                                   std::string body);
  // chat:typing to the other party, under the same rule.
  boost::asio::awaitable<void> typing(std::string sender_id, std::string role, std::string order_id);
  // The conversation of one order: its customer, its partner, or an admin.
  boost::asio::awaitable<std::vector<ChatMessage>> messages(std::string user_id, std::string role,
                                                            std::string order_id);

 private:
  store::Database& db_;
  realtime::Emitter& emitter_;
  Throttle locations_;
};

}  // namespace tiptop::live
