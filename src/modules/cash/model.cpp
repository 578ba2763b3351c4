#include "modules/cash/model.hpp"

#include <cmath>

#include "core/geo.hpp"
#include "core/json.hpp"

namespace tiptop::cash {
namespace bj = boost::json;
namespace {

bj::value time_or_null(const std::optional<clock::Millis>& t) {
  return t ? bj::value(clock::to_iso8601(*t)) : bj::value(nullptr);
}
bj::value paise_or_null(const std::optional<Paise>& p) { return p ? money::to_json(*p) : bj::value(nullptr); }
}  // namespace

bj::object to_json(const DeliverySession& s) {
  bj::array orders;
  for (const auto& o : s.cash_orders)
    orders.push_back(bj::object{{"orderId", o.order_id},
                                {"orderNumber", o.order_number},
                                {"amount", money::to_json(o.expected)},
                                {"expected", money::to_json(o.expected)},
                                {"collected", paise_or_null(o.collected)},
                                {"collectedAt", time_or_null(o.collected_at)},
                                {"paidBy", json::string_or_null(o.method)},
                                {"upiReference", json::string_or_null(o.upi_reference)},
                                {"status", o.status}});
  bj::value resolution = nullptr;
  if (s.resolution)
    resolution = bj::object{{"amount", money::to_json(s.resolution->amount)},
                            {"resolvedBy", s.resolution->by},
                            {"resolvedAt", clock::to_iso8601(s.resolution->at)},
                            {"notes", s.resolution->notes}};
  const auto& st = s.stats;
  bj::value average = nullptr;
  if (st.timed > 0) average = std::round(static_cast<double>(st.delivery_ms_total) / st.timed / 6000.0) / 10.0;
  return {{"_id", s.id},
          {"deliveryPartner", s.partner},
          {"date", s.day},
          {"startTime", clock::to_iso8601(s.start_time)},
          {"endTime", time_or_null(s.end_time)},
          {"isOpen", s.open()},
          {"changeFund", money::to_json(s.change_fund)},
          {"cashOrders", std::move(orders)},
          {"totalExpected", money::to_json(s.total_expected)},
          {"totalCollected", money::to_json(s.total_collected)},
          {"totalUpi", money::to_json(s.total_upi)},
          {"totalTips", money::to_json(s.total_tips)},
          {"cashInHand", money::to_json(s.cash_in_hand())},
          {"handover", s.declared ? bj::value(bj::object{{"declaredAmount", money::to_json(*s.declared)},
                                                         {"declaredAt", time_or_null(s.declared_at)},
                                                         {"notes", json::string_or_null(s.declared_notes)}})
                                  : bj::value(nullptr)},
          {"settlement",
           {{"isSettled", s.settled()},
            {"settledAt", time_or_null(s.settled_at)},
            {"settledBy", json::string_or_null(s.settled_by)},
            {"actualAmount", paise_or_null(s.actual)},
            {"discrepancy", paise_or_null(s.discrepancy)},
            {"notes", json::string_or_null(s.settle_notes)},
            {"resolution", std::move(resolution)}}},
          {"stats",
           {{"totalDeliveries", st.total},
            {"successfulDeliveries", st.successful},
            {"cancelledDeliveries", st.cancelled},
            {"inProgressDeliveries", st.in_progress},
            {"totalDistance", std::round(static_cast<double>(s.distance_m) / 10.0) / 100.0},
            {"averageDeliveryTime", std::move(average)}}},
          {"createdAt", clock::to_iso8601(s.created_at)},
          {"updatedAt", clock::to_iso8601(s.updated_at)}};
}

bj::object to_json(const LedgerEntry& e) {
  return {{"_id", e.id},
          {"seq", e.seq},
          {"type", e.kind},
          {"amount", money::to_json(e.amount)},
          {"session", e.session_id},
          {"deliveryPartner", e.partner_id},
          {"order", e.order_id.empty() ? bj::value(nullptr)
                                       : bj::value(bj::object{{"id", e.order_id}, {"orderNumber", e.order_number}})},
          {"by", {{"id", e.actor_id}, {"role", e.actor_role}}},
          {"notes", json::string_or_null(e.notes)},
          {"createdAt", clock::to_iso8601(e.at)}};
}

std::optional<std::int64_t> travelled_m(double lat1, double lng1, clock::Millis at1, double lat2, double lng2,
                                        clock::Millis at2) {
  constexpr double kJitterM = 10, kMaxKmh = 150;
  constexpr clock::Millis kMaxGap = 10 * 60 * 1000;
  const double m = geo::haversine_km(lng1, lat1, lng2, lat2) * 1000;
  const clock::Millis gap = at2 - at1;
  if (m < kJitterM) return std::nullopt;
  if (gap <= 0 || gap > kMaxGap) return 0;
  if (m / 1000 / (static_cast<double>(gap) / 3'600'000) > kMaxKmh) return 0;
  return static_cast<std::int64_t>(std::llround(m));
}

}  // namespace tiptop::cash
