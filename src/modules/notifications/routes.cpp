#include "modules/notifications/routes.hpp"

#include <boost/url/pct_string_view.hpp>

#include "core/json.hpp"

namespace tiptop::notifications {
namespace bj = boost::json;
using http::Schema;
using Awaitable = boost::asio::awaitable<http::Response>;

namespace {

// FCM registration tokens: base64url-ish text with ':' — anything else is not a token.
bool is_device_token(const std::string& t) {
  if (t.empty() || t.size() > 4096) return false;
  for (unsigned char ch : t)
    if (!std::isalnum(ch) && ch != ':' && ch != '-' && ch != '_' && ch != '.') return false;
  return true;
}

std::string token_param(const http::Request& r) {
  // The token travels percent-encoded (encodeURIComponent turns ':' into %3A).
  const auto encoded = boost::urls::make_pct_string_view(r.param("token"));
  std::string token = encoded ? encoded->decode() : std::string();
  if (!is_device_token(token)) throw NotFoundError("Device");
  return token;
}

const Schema kChannels =
    Schema::object({{"push", Schema::boolean()}, {"sms", Schema::boolean()}, {"email", Schema::boolean()}});

}  // namespace

void register_routes(http::Router& router, NotificationService& service) {
  auto* svc = &service;
  router.add({.method = "GET",
              .path = "/api/v1/notifications",
              .summary = "My notifications (newest first, or unread first), with the unread count in meta",
              .tag = "notifications",
              .authenticated = true,
              .query = Schema::object({{"page", Schema::integer().minimum(1).maximum(100000).fallback(1)},
                                       {"limit", Schema::integer().minimum(1).maximum(100).fallback(20)},
                                       {"sort", Schema::string().one_of({"newest", "unread"}).fallback("newest")},
                                       {"unread", Schema::boolean().describe("only unread ones")}}),
              .handler = [svc](http::Request& r) -> Awaitable {
                const auto page = json::int_or(r.query_values, "page", 1),
                           limit = json::int_or(r.query_values, "limit", 20);
                ListQuery q;
                q.unread_only = json::bool_or(r.query_values, "unread", false);
                q.unread_first = json::string_or(r.query_values, "sort") == "unread";
                q.offset = (page - 1) * limit;
                q.limit = limit;
                auto inbox = co_await svc->inbox(r.user->id, q);
                bj::array list;
                for (const auto& n : inbox.items) list.push_back(to_json(n));
                bj::object meta;
                meta["unreadCount"] = inbox.unread;
                co_return http::ok_page(std::move(list), {page, limit, inbox.total}, false, std::move(meta));
              }});
  router.add({.method = "PUT",
              .path = "/api/v1/notifications/read-all",
              .summary = "Mark all my notifications read",
              .tag = "notifications",
              .authenticated = true,
              .handler = [svc](http::Request& r) -> Awaitable {
                const auto updated = co_await svc->mark_all_read(r.user->id);
                co_return http::ok(bj::object{{"updated", updated}});
              }});
  router.add({.method = "PUT",
              .path = "/api/v1/notifications/:id/read",
              .summary = "Mark one of my notifications read",
              .tag = "notifications",
              .authenticated = true,
              .handler = [svc](http::Request& r) -> Awaitable {
                co_return http::ok(to_json(co_await svc->mark_read(r.user->id, r.param("id"))));
              }});
  router.add({.method = "DELETE",
              .path = "/api/v1/notifications/:id",
              .summary = "Delete one of my notifications",
              .tag = "notifications",
              .authenticated = true,
              .handler = [svc](http::Request& r) -> Awaitable {
                co_await svc->remove(r.user->id, r.param("id"));
                co_return http::ok(bj::object{{"deleted", true}});
              }});

  router.add({.method = "POST",
              .path = "/api/v1/users/me/devices",
              .summary = "Register this device for push notifications (an FCM registration token)",
              .tag = "notifications",
              .authenticated = true,
              .body = Schema::object({{"token", Schema::string().min_length(1).max_length(4096)},
                                      {"platform", Schema::string().one_of({"android", "ios", "web"})}})
                          .required({"token", "platform"}),
              .handler = [svc](http::Request& r) -> Awaitable {
                const auto& body = r.json.get_object();
                auto token = json::string_or(body, "token");
                auto platform = json::string_or(body, "platform");
                if (!is_device_token(token))
                  throw ValidationError("Validation failed", {{"token", "is not a push registration token"}});
                co_await svc->add_device(r.user->id, token, platform);
                co_return http::ok(bj::object{{"token", token}, {"platform", platform}}, 201);
              }});
  router.add({.method = "DELETE",
              .path = "/api/v1/users/me/devices/:token",
              .summary = "Stop push notifications to this device (at sign-out)",
              .tag = "notifications",
              .authenticated = true,
              .handler = [svc](http::Request& r) -> Awaitable {
                co_await svc->remove_device(r.user->id, token_param(r));
                co_return http::ok(bj::object{{"deleted", true}});
              }});

  router.add({.method = "GET",
              .path = "/api/v1/users/me/notification-preferences",
              .summary = "Which promotional messages I accept, per channel",
              .tag = "notifications",
              .authenticated = true,
              .handler = [svc](http::Request& r) -> Awaitable {
                co_return http::ok(to_json(co_await svc->preferences(r.user->id)));
              }});
  router.add({.method = "PUT",
              .path = "/api/v1/users/me/notification-preferences",
              .summary = "Switch promotional messages on or off per channel (order and account messages always arrive)",
              .tag = "notifications",
              .authenticated = true,
              .body = Schema::object({{"promotions", Schema::object({{"inApp", Schema::boolean()},
                                                                     {"push", Schema::boolean()},
                                                                     {"sms", Schema::boolean()},
                                                                     {"email", Schema::boolean()}})}})
                          .required({"promotions"}),
              .handler = [svc](http::Request& r) -> Awaitable {
                auto promotions = r.json.get_object().at("promotions").get_object();
                co_return http::ok(to_json(co_await svc->update_preferences(r.user->id, std::move(promotions))));
              }});

  router.add({.method = "POST",
              .path = "/api/v1/admin/notifications",
              .summary = "Send a promotion to the listed users, or to every active customer (their preferences apply)",
              .tag = "notifications",
              .roles = {"admin"},
              .body = Schema::object(
                          {{"title", Schema::string().min_length(1).max_length(100)},
                           {"message", Schema::string().min_length(1).max_length(500)},
                           {"priority", Schema::string().one_of({"low", "medium", "high"})},
                           {"channels", kChannels},
                           {"userIds", Schema::array(Schema::string().format("objectId")).min_items(1).max_items(1000)},
                           {"data", Schema::object({}).describe("extra fields for the app (deep link…)")},
                           {"expiresAt", Schema::string().format("date-time")}})
                          .required({"title", "message"}),
              .handler = [svc](http::Request& r) -> Awaitable {
                const auto& body = r.json.get_object();
                Draft d;
                d.title = json::string_or(body, "title");
                d.message = json::string_or(body, "message");
                d.priority = json::string_or(body, "priority", "low");
                if (const auto* ch = body.if_contains("channels"); ch && ch->is_object()) {
                  const auto& o = ch->get_object();
                  d.channels = {json::bool_or(o, "push", false), json::bool_or(o, "sms", false),
                                json::bool_or(o, "email", false)};
                }
                std::vector<std::string> user_ids;
                if (const auto* ids = body.if_contains("userIds"); ids && ids->is_array())
                  for (const auto& id : ids->get_array()) user_ids.emplace_back(id.get_string());
                if (const auto* data = body.if_contains("data"); data && data->is_object()) d.data = data->get_object();
                if (const auto* e = body.if_contains("expiresAt"); e && e->is_string()) {
                  d.expires_at = clock::from_iso8601(e->get_string());
                  if (!d.expires_at || *d.expires_at <= clock::now_ms())
                    throw ValidationError("Validation failed", {{"expiresAt", "must be in the future"}});
                }
                const auto reached = co_await svc->promote(std::move(d), std::move(user_ids));
                co_return http::ok(bj::object{{"reached", reached}}, 201);
              }});
}

}  // namespace tiptop::notifications
