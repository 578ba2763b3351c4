#pragma once
// A rider's own figures (issue 22, GET /api/v1/delivery/stats): deliveries, cash and UPI taken at
// the door, tips, distance ridden and the average ride, in total and for every day of the period
// (days without work included, so the app can draw them).
#include <boost/json/object.hpp>
#include <vector>

#include "modules/cash/repository.hpp"
#include "modules/orders/desk_repository.hpp"

namespace tiptop::delivery {

// [from, to) on the restaurant's calendar: a day is the restaurant's local day.
boost::json::object rider_stats(const std::vector<orders::PartnerDelivery>& deliveries,
                                const std::vector<cash::ShiftDistance>& shifts, clock::Millis from, clock::Millis to);

}  // namespace tiptop::delivery
