#pragma once
// Delivery partner accounts (admin), a partner's own availability, and per-partner figures.
#include <boost/asio/awaitable.hpp>
#include <boost/json/object.hpp>
#include <optional>
#include <string>
#include <vector>

#include "modules/auth/service.hpp"
#include "modules/users/repository.hpp"
#include "realtime/emitter.hpp"
#include "store/database.hpp"

namespace tiptop::delivery {

struct PartnerPage {
  std::vector<users::User> partners;
  std::int64_t total = 0;
};

// One partner's work over a period: from the orders they carried and the shifts they rode.
struct PartnerStats {
  std::string partner_id, name, phone, vehicle_number;
  bool available = false, active = false;
  std::int64_t deliveries = 0, successful = 0, cancelled = 0, in_progress = 0, sessions = 0;
  std::int64_t distance_m = 0, delivery_ms_total = 0, timed = 0;
  money::Paise cash_collected = 0, upi_collected = 0, tips = 0;
};
boost::json::object to_json(const PartnerStats& s);

class PartnerService {
 public:
  PartnerService(store::Database& db, auth::AuthService& auth, realtime::Emitter& emitter)
      : db_(db), auth_(auth), emitter_(emitter) {}

  boost::asio::awaitable<PartnerPage> list(users::UserFilter filter, std::int64_t page, std::int64_t limit);
  // body: email, phone, password, firstName, lastName, vehicleInfo {type, number, document}.
  boost::asio::awaitable<users::User> create(boost::json::object body);
  // Vehicle info, names, phone, isActive. Deactivating signs the partner out everywhere and
  // takes them off duty; orders they hold stay assigned for an admin to reassign.
  boost::asio::awaitable<users::User> update(std::string partner_id, boost::json::object body);
  boost::asio::awaitable<users::User> set_availability(std::string partner_id, bool available);
  boost::asio::awaitable<std::vector<PartnerStats>> stats(std::optional<clock::Millis> from,
                                                          std::optional<clock::Millis> to);
  // A rider's own figures by day over [from, to) (rider_stats.hpp).
  boost::asio::awaitable<boost::json::object> own_stats(std::string partner_id, clock::Millis from, clock::Millis to);

 private:
  store::Database& db_;
  auth::AuthService& auth_;
  realtime::Emitter& emitter_;
};

}  // namespace tiptop::delivery
