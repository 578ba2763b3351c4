#include "modules/notifications/model.hpp"

#include <boost/json/parse.hpp>

#include "core/json.hpp"

namespace tiptop::notifications {
namespace bj = boost::json;
namespace {

bj::value time_or_null(const std::optional<clock::Millis>& t) {
  return t ? bj::value(clock::to_iso8601(*t)) : bj::value(nullptr);
}

}  // namespace

bj::object to_json(const Notification& n) {
  return {{"_id", n.id},
          {"recipient", n.recipient_id},
          {"type", n.type},
          {"title", n.title},
          {"message", n.message},
          {"data", n.data},
          {"priority", n.priority},
          {"channels",
           bj::object{
               {"push", !n.push_status.empty()}, {"sms", !n.sms_status.empty()}, {"email", !n.email_status.empty()}}},
          {"isRead", n.is_read},
          {"readAt", time_or_null(n.read_at)},
          {"deliveryStatus", bj::object{{"push", json::string_or_null(n.push_status)},
                                        {"sms", json::string_or_null(n.sms_status)},
                                        {"email", json::string_or_null(n.email_status)}}},
          {"relatedOrder", n.related_order_id.empty() ? bj::value(nullptr) : bj::value(n.related_order_id)},
          {"expiresAt", time_or_null(n.expires_at)},
          {"createdAt", clock::to_iso8601(n.created_at)}};
}

Preferences preferences_from_json(const std::string& stored) {
  Preferences p;
  bj::error_code ec;
  const auto v = bj::parse(stored, ec);
  const auto* root = ec ? nullptr : v.if_object();
  const auto* promo = root && root->contains("promotions") ? root->at("promotions").if_object() : nullptr;
  if (!promo) return p;
  auto read = [&](const char* name, bool& out) {
    if (const auto* b = promo->if_contains(name); b && b->is_bool()) out = b->get_bool();
  };
  read("inApp", p.in_app);
  read("push", p.push);
  read("sms", p.sms);
  read("email", p.email);
  return p;
}

bj::object to_json(const Preferences& p) {
  return {{"promotions", bj::object{{"inApp", p.in_app}, {"push", p.push}, {"sms", p.sms}, {"email", p.email}}}};
}

}  // namespace tiptop::notifications
