#include "modules/delivery/rider_stats.hpp"

#include <boost/json.hpp>
#include <cmath>
#include <map>

namespace tiptop::delivery {
namespace bj = boost::json;
namespace {

struct Day {
  std::int64_t deliveries = 0, distance_m = 0, ride_ms = 0, timed = 0;
  money::Paise cash = 0, upi = 0, tips = 0;

  void add(const Day& d) {
    deliveries += d.deliveries, distance_m += d.distance_m, ride_ms += d.ride_ms, timed += d.timed;
    cash += d.cash, upi += d.upi, tips += d.tips;
  }
  bj::object to_json() const {
    bj::value average = nullptr;  // minutes, one decimal
    if (timed > 0) average = std::round(static_cast<double>(ride_ms) / timed / 6000.0) / 10.0;
    return {{"deliveries", deliveries},
            {"cashCollected", money::to_json(cash)},
            {"upiCollected", money::to_json(upi)},
            {"tips", money::to_json(tips)},
            {"distance", std::round(static_cast<double>(distance_m) / 10.0) / 100.0},  // km
            {"averageDeliveryTime", std::move(average)}};
  }
};

}  // namespace

bj::object rider_stats(const std::vector<orders::PartnerDelivery>& deliveries,
                       const std::vector<cash::ShiftDistance>& shifts, clock::Millis from, clock::Millis to) {
  std::map<std::string, Day> days;  // "YYYY-MM-DD" sorts as dates do
  // Every day of the period, from its first local midnight to the day holding its last instant.
  for (clock::Millis t = from; t < to;) {
    const auto date = clock::local_date(t);
    days[date];
    t = *clock::range_bound(date, /*end=*/true);
  }
  for (const auto& d : deliveries) {
    auto& day = days[clock::local_date(d.delivered_at)];
    ++day.deliveries;
    day.cash += d.cash, day.upi += d.upi, day.tips += d.tips;
    if (d.delivery_ms >= 0) day.ride_ms += d.delivery_ms, ++day.timed;
  }
  for (const auto& s : shifts) days[clock::local_date(s.started_at)].distance_m += s.distance_m;

  Day total;
  bj::array by_day;
  for (const auto& [date, day] : days) {
    total.add(day);
    auto o = day.to_json();
    o.emplace("date", date);
    by_day.push_back(std::move(o));
  }
  return {{"from", clock::to_iso8601(from)},
          {"to", clock::to_iso8601(to)},
          {"totals", total.to_json()},
          {"byDay", std::move(by_day)}};
}

}  // namespace tiptop::delivery
