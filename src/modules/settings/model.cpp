#include "modules/settings/model.hpp"

#include <boost/json.hpp>
#include <charconv>
#include <cstdio>

#include "core/clock.hpp"
#include "core/errors.hpp"
#include "core/json.hpp"

namespace tiptop::settings {
namespace bj = boost::json;
namespace {

money::Paise amount(const bj::value& v, const std::string& field) { return money::require(v, field); }

}  // namespace

bj::object to_json(const Settings& s) {
  bj::array hours;
  for (const auto& h : s.hours)
    hours.push_back(bj::object{
        {"day", h.day}, {"open", clock::format_hhmm(h.open_minute)}, {"close", clock::format_hhmm(h.close_minute)}});
  bj::object o{
      {"isOpen", s.is_open},
      {"closedReason", s.closed_reason.empty() ? bj::value(nullptr) : bj::value(s.closed_reason)},
      {"openingHours", std::move(hours)},
      {"minimumOrderAmount", money::to_json(s.minimum_order)},
      {"taxRate", static_cast<double>(s.tax_bp) / 100.0},
      {"delivery",
       {{"baseFee", money::to_json(s.delivery.base_fee)},
        {"freeAbove", s.delivery.free_above ? money::to_json(*s.delivery.free_above) : bj::value(nullptr)},
        {"perKmFee", money::to_json(s.delivery.per_km_fee)},
        {"maxRadiusKm", s.max_radius_km}}},
      {"requireVerifiedPhoneForCod", s.require_verified_phone_for_cod},
      {"restaurantName", s.restaurant_name},
      {"contactPhone", s.contact_phone.empty() ? bj::value(nullptr) : bj::value(s.contact_phone)},
      {"address", s.address.empty() ? bj::value(nullptr) : bj::value(s.address)},
      {"upiId", s.upi_id.empty() ? bj::value(nullptr) : bj::value(s.upi_id)},
      {"maxTip", money::to_json(s.max_tip)},
      {"escalation", {{"pendingMinutes", s.escalate_pending_minutes}, {"readyMinutes", s.escalate_ready_minutes}}},
      {"managerPhone", s.manager_phone.empty() ? bj::value(nullptr) : bj::value(s.manager_phone)}};
  o["location"] = s.lng && s.lat ? bj::value(bj::object{{"type", "Point"}, {"coordinates", bj::array{*s.lng, *s.lat}}})
                                 : bj::value(nullptr);
  return o;
}

Settings from_json(const bj::object& b) {
  Settings s;
  s.is_open = json::bool_or(b, "isOpen", s.is_open);
  s.closed_reason = json::string_or(b, "closedReason");
  s.require_verified_phone_for_cod = json::bool_or(b, "requireVerifiedPhoneForCod", false);
  s.restaurant_name = json::string_or(b, "restaurantName", s.restaurant_name);
  s.contact_phone = json::string_or(b, "contactPhone");
  s.address = json::string_or(b, "address");
  s.upi_id = json::string_or(b, "upiId");
  if (auto* v = b.if_contains("maxTip")) s.max_tip = amount(*v, "maxTip");
  s.manager_phone = json::string_or(b, "managerPhone");
  if (auto* e = b.if_contains("escalation"); e && e->is_object()) {
    s.escalate_pending_minutes = static_cast<int>(json::int_or(e->get_object(), "pendingMinutes", 5));
    s.escalate_ready_minutes = static_cast<int>(json::int_or(e->get_object(), "readyMinutes", 10));
  }
  if (auto* hours = b.if_contains("openingHours"); hours && hours->is_array()) {
    const auto& a = hours->get_array();
    for (std::size_t i = 0; i < a.size(); ++i) {
      const auto& h = a[i].as_object();
      const auto open = clock::parse_hhmm(json::string_or(h, "open")),
                 close = clock::parse_hhmm(json::string_or(h, "close"));
      const std::string at = "openingHours[" + std::to_string(i) + "]";
      if (!open) throw ValidationError("Validation failed", {{at + ".open", "must be a time like 11:00"}});
      if (!close) throw ValidationError("Validation failed", {{at + ".close", "must be a time like 23:30"}});
      if (*open == *close) throw ValidationError("Validation failed", {{at + ".close", "must differ from open"}});
      s.hours.push_back({static_cast<int>(json::int_or(h, "day", 0)), *open, *close});
    }
  }
  if (auto* v = b.if_contains("minimumOrderAmount")) s.minimum_order = amount(*v, "minimumOrderAmount");
  if (auto* v = b.if_contains("taxRate")) {
    // Percent with at most two decimals (5, 5.5, 12.25): exactly representable in basis points.
    auto p = money::from_json(*v);
    if (!p) throw ValidationError("Validation failed", {{"taxRate", "must be a percentage with at most two decimals"}});
    s.tax_bp = static_cast<int>(*p);
  }
  if (auto* d = b.if_contains("delivery"); d && d->is_object()) {
    const auto& o = d->get_object();
    if (auto* v = o.if_contains("baseFee")) s.delivery.base_fee = amount(*v, "delivery.baseFee");
    if (auto* v = o.if_contains("freeAbove"))
      s.delivery.free_above =
          v->is_null() ? std::nullopt : std::optional<money::Paise>(amount(*v, "delivery.freeAbove"));
    if (auto* v = o.if_contains("perKmFee")) s.delivery.per_km_fee = amount(*v, "delivery.perKmFee");
    if (auto* v = o.if_contains("maxRadiusKm")) s.max_radius_km = v->to_number<double>();
  }
  if (auto* l = b.if_contains("location"); l && l->is_object())
    if (auto* c = l->get_object().if_contains("coordinates"); c && c->is_array() && c->get_array().size() == 2) {
      s.lng = c->get_array()[0].to_number<double>();
      s.lat = c->get_array()[1].to_number<double>();
    }
  return s;
}

bool is_open_at(const Settings& s, std::int64_t local_seconds) {
  if (!s.is_open) return false;
  if (s.hours.empty()) return true;
  const std::int64_t days = local_seconds >= 0 ? local_seconds / 86400 : (local_seconds - 86399) / 86400;
  const int weekday = static_cast<int>(((days + 4) % 7 + 7) % 7);  // 1970-01-01 was a Thursday
  const int minute = static_cast<int>((local_seconds - days * 86400) / 60);
  const int yesterday = (weekday + 6) % 7;
  for (const auto& h : s.hours) {
    if (h.open_minute < h.close_minute) {
      if (h.day == weekday && minute >= h.open_minute && minute < h.close_minute) return true;
    } else {  // past midnight: the evening part today, the early-morning part from yesterday's slot
      if (h.day == weekday && minute >= h.open_minute) return true;
      if (h.day == yesterday && minute < h.close_minute) return true;
    }
  }
  return false;
}

std::string closed_message(const Settings& s, std::int64_t local_seconds) {
  if (is_open_at(s, local_seconds)) return {};
  if (!s.is_open) return s.closed_reason.empty() ? "The restaurant is closed right now" : s.closed_reason;
  return "The restaurant is outside its opening hours";
}

}  // namespace tiptop::settings
