#include "modules/settings/routes.hpp"

#include "core/clock.hpp"

namespace tiptop::settings {
namespace bj = boost::json;
using http::Schema;
using Awaitable = boost::asio::awaitable<http::Response>;

namespace {

Schema settings_schema() {
  const auto money = Schema::number().minimum(0).maximum(100000).describe("rupees, at most two decimals");
  return Schema::object({
      {"isOpen", Schema::boolean()},
      {"requireVerifiedPhoneForCod",
       Schema::boolean().describe("a customer's first COD order needs a phone verified by a code")},
      {"closedReason", Schema::string().max_length(200).nullable()},
      {"restaurantName", Schema::string().min_length(1).max_length(80).describe("on bills and the UPI link")},
      {"contactPhone", Schema::string().format("phone").nullable()},
      {"address", Schema::string().max_length(300).nullable()},
      {"upiId", Schema::string().format("upiId").nullable().describe("name@bank; null: no UPI for customers")},
      {"maxTip", Schema::number().minimum(0).maximum(5000).describe("rupees; the largest tip, 0 = no tips")},
      {"escalation",
       Schema::object({{"pendingMinutes", Schema::integer().minimum(0).maximum(240).describe("0 = never")},
                       {"readyMinutes", Schema::integer().minimum(0).maximum(240).describe("0 = never")}})},
      {"managerPhone", Schema::string().format("phone").nullable().describe("escalations by SMS")},
      {"openingHours",
       Schema::array(Schema::object({{"day", Schema::integer().minimum(0).maximum(6).describe("0 = Sunday")},
                                     {"open", Schema::string().describe("HH:MM, restaurant time")},
                                     {"close", Schema::string().describe("HH:MM; before open = past midnight")}})
                         .required({"day", "open", "close"}))
           .max_items(28)},
      {"minimumOrderAmount", money},
      {"taxRate", Schema::number().minimum(0).maximum(28).describe("percent")},
      {"delivery", Schema::object({{"baseFee", money},
                                   {"freeAbove", money.nullable()},
                                   {"perKmFee", money},
                                   {"maxRadiusKm", Schema::number().minimum(0.5).maximum(50)}})},
      {"location", Schema::object({{"type", Schema::string().one_of({"Point"})},
                                   {"coordinates", Schema::array(Schema::number()).min_items(2).max_items(2)}})
                       .required({"coordinates"})},
  });
}

void check_location(const bj::object& body) {
  auto* l = body.if_contains("location");
  if (!l || !l->is_object()) return;
  const auto& c = l->get_object().at("coordinates").get_array();
  std::vector<FieldError> errors;
  if (std::abs(c[0].to_number<double>()) > 180)
    errors.push_back({"location.coordinates[0]", "longitude must be between -180 and 180"});
  if (std::abs(c[1].to_number<double>()) > 90)
    errors.push_back({"location.coordinates[1]", "latitude must be between -90 and 90"});
  if (!errors.empty()) throw ValidationError("Validation failed", std::move(errors));
}

}  // namespace

void register_routes(http::Router& router, SettingsService& service) {
  auto* svc = &service;
  router.add({.method = "GET",
              .path = "/api/v1/settings",
              .summary = "What customers need to know before ordering: open now?, minimum order, fees, tax",
              .tag = "settings",
              .handler = [svc](http::Request&) -> Awaitable {
                const auto s = svc->current();
                const auto local = clock::local_seconds(clock::now_ms());
                auto o = to_json(*s);
                o.erase("location");  // the kitchen's coordinates are not a customer's business
                o.erase("managerPhone");
                o.erase("escalation");
                o["isOpenNow"] = is_open_at(*s, local);
                const auto why = closed_message(*s, local);
                o["closedMessage"] = why.empty() ? bj::value(nullptr) : bj::value(why);
                co_return http::ok(std::move(o));
              }});
  router.add({.method = "GET",
              .path = "/api/v1/admin/settings",
              .summary = "All restaurant settings",
              .tag = "admin-settings",
              .roles = {"admin"},
              .handler = [svc](http::Request&) -> Awaitable { co_return http::ok(to_json(*svc->current())); }});
  router.add({.method = "PUT",
              .path = "/api/v1/admin/settings",
              .summary = "Change restaurant settings (fields given only; the result is validated as a whole)",
              .tag = "admin-settings",
              .roles = {"admin"},
              .body = settings_schema(),
              .handler = [svc](http::Request& r) -> Awaitable {
                check_location(r.json.get_object());
                co_return http::ok(to_json(co_await svc->update(r.json.get_object(), r.user->id)));
              }});
}

}  // namespace tiptop::settings
