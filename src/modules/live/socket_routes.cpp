#include "modules/live/socket_routes.hpp"

#include <deque>
#include <mutex>
#include <unordered_map>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include "core/errors.hpp"
#include "core/log.hpp"
#include "http/error_response.hpp"
#include "http/pipeline.hpp"
#include "http/router.hpp"
#include "modules/auth/service.hpp"
#include "modules/live/service.hpp"
#include "modules/live/throttle.hpp"
#include "modules/printing/service.hpp"

namespace tiptop::live {
namespace bj = boost::json;
using realtime::sio::Socket;

namespace {

constexpr const char* kAuthFailed = "Authentication failed";
constexpr std::chrono::milliseconds kSweepEvery{5000};

// Each user's open sockets, oldest first: past the cap, the oldest is closed (a stolen token or a
// leaking client cannot pile up connections under one account).
class UserSockets {
 public:
  explicit UserSockets(std::size_t cap) : cap_(cap) {}
  // The socket to close, if the user is now over the cap.
  std::shared_ptr<Socket> opened(const std::shared_ptr<Socket>& s) {
    std::lock_guard lock(mutex_);
    auto& list = open_[s->identity.user_id];
    list.push_back(s);
    if (list.size() <= cap_) return nullptr;
    auto oldest = list.front().lock();
    list.pop_front();
    return oldest;
  }
  void closed(const Socket& s) {
    std::lock_guard lock(mutex_);
    auto it = open_.find(s.identity.user_id);
    if (it == open_.end()) return;
    std::erase_if(it->second, [&](const std::weak_ptr<Socket>& w) {
      auto p = w.lock();
      return !p || p.get() == &s;
    });
    if (it->second.empty()) open_.erase(it);
  }

 private:
  const std::size_t cap_;
  std::mutex mutex_;
  std::unordered_map<std::string, std::deque<std::weak_ptr<Socket>>> open_;
};

// How many sockets each delivery partner has open: online is the first, offline the last.
class PartnerPresence {
 public:
  bool connected(const std::string& id) {
    std::lock_guard lock(mutex_);
    return ++count_[id] == 1;
  }
  bool disconnected(const std::string& id) {
    std::lock_guard lock(mutex_);
    auto it = count_.find(id);
    if (it == count_.end()) return false;
    if (--it->second > 0) return false;
    count_.erase(it);
    return true;
  }

 private:
  std::mutex mutex_;
  std::unordered_map<std::string, int> count_;
};

// Acknowledgement payloads mirror the REST envelope: {success, data} or {success:false, error}.
bj::array ack_ok(bj::value data = nullptr) {
  bj::object o{{"success", true}};
  if (!data.is_null()) o["data"] = std::move(data);
  return bj::array{o};
}

// The error in the REST envelope's words, by the same mapping (http::describe): a database
// failure is never shown in words, anything unexpected is INTERNAL_ERROR with an id for the log.
bj::array ack_for(std::exception_ptr e) {
  return bj::array{
      bj::object{{"success", false}, {"error", http::describe(std::move(e), http::request_id_for({})).error}}};
}
bj::array ack_error(const AppError& refusal) { return ack_for(std::make_exception_ptr(refusal)); }

void reply(const std::shared_ptr<Socket>& s, const std::optional<std::uint64_t>& ack, bj::array args) {
  if (ack) s->ack(*ack, std::move(args));
}

boost::asio::awaitable<void> locate(LiveService* svc, std::shared_ptr<Socket> s, Location at,
                                    std::optional<std::uint64_t> ack) {
  std::exception_ptr error;
  try {
    auto told = co_await svc->update_location(s->identity.user_id, at);
    reply(s, ack, ack_ok(bj::object{{"customersNotified", told}}));
  } catch (...) {
    error = std::current_exception();
  }
  if (error) reply(s, ack, ack_for(error));
}

boost::asio::awaitable<void> chat(LiveService* svc, std::shared_ptr<Socket> s, std::string order_id, std::string body,
                                  std::optional<std::uint64_t> ack) {
  std::exception_ptr error;
  try {
    auto m = co_await svc->send_message(s->identity.user_id, s->identity.role, order_id, body);
    // The sender's other devices see it too; the sender's ack (or chat:received) confirms it is stored.
    if (ack)
      reply(s, ack, ack_ok(to_json(m)));
    else
      s->emit("chat:received", bj::array{to_json(m)});
  } catch (...) {
    error = std::current_exception();
  }
  if (error) reply(s, ack, ack_for(error));
}

boost::asio::awaitable<void> typing(LiveService* svc, std::shared_ptr<Socket> s, std::string order_id) {
  try {
    co_await svc->typing(s->identity.user_id, s->identity.role, order_id);
  } catch (...) {
  }
}

std::string string_field(const bj::value& v, std::string_view key) {
  if (!v.is_object()) return {};
  const auto* f = v.get_object().if_contains(key);
  return f && f->is_string() ? std::string(f->get_string()) : std::string();
}

}  // namespace

std::unique_ptr<BackgroundJob> expired_session_sweep(realtime::sio::Server& io) {
  return std::make_unique<BackgroundJob>("socket session sweep", kSweepEvery, [ns = &io.of("/")] {
    const auto now = clock::now_ms();
    ns->disconnect_where([now](const Socket& s) { return s.identity.expires_at > 0 && s.identity.expires_at <= now; });
    return kSweepEvery;
  });
}

void register_socket_routes(realtime::sio::Server& io, auth::AuthService& auth, LiveService& live,
                            printing::PrintService& printers, std::size_t max_sockets_per_user) {
  auto& main = io.of("/");
  auto presence = std::make_shared<PartnerPresence>();
  auto sockets = std::make_shared<UserSockets>(max_sockets_per_user);

  // The token comes only from the handshake's auth payload, never the query string (which ends up in logs).
  // A guest's tracking link ({trackingToken}) opens a socket that hears its one order, and nothing else.
  main.authorize = [svc = &auth, tracker = &live,
                    kitchen = &printers](Socket& s) -> boost::asio::awaitable<std::optional<std::string>> {
    if (const auto* printer = s.handshake_auth().if_contains("printerToken"); printer && printer->is_string()) {
      std::optional<printing::Printer> p;
      try {
        p = co_await kitchen->authenticate(std::string(printer->as_string()));
      } catch (const AppError&) {
        co_return std::string(kAuthFailed);
      }
      s.identity = {"printer:" + p->id, "printer", "", 0};
      co_return std::nullopt;
    }
    if (const auto* link = s.handshake_auth().if_contains("trackingToken"); link && link->is_string()) {
      auto order_id = co_await tracker->order_by_tracking_link(std::string(link->as_string()));
      if (!order_id) co_return std::string(kAuthFailed);
      s.identity = {"order:" + *order_id, "tracker", "", 0};  // per-"user" socket caps count per order
      co_return std::nullopt;
    }
    const auto* token = s.handshake_auth().if_contains("token");
    if (!token || !token->is_string() || token->as_string().empty()) co_return std::string(kAuthFailed);
    std::optional<auth::Principal> who;
    try {
      who = co_await svc->authenticate(std::string(token->as_string()));
    } catch (const AppError&) {
      co_return std::string(kAuthFailed);
    }
    s.identity = {who->user_id, who->role, who->session_id, who->expires_at};
    co_return std::nullopt;
  };

  main.on_connection = [presence, sockets, ns = &main](const std::shared_ptr<Socket>& s) {
    s->forget_handshake_auth();
    if (auto oldest = sockets->opened(s)) oldest->disconnect(true);
    const auto& who = s->identity;
    if (who.role == "tracker") return s->join(who.user_id);  // "order:<id>": that order's events only
    if (who.role == "printer") return s->join("printers");
    s->join("user:" + who.user_id);
    if (who.role == "admin" || who.role == "staff") s->join("admin");  // the orders board
    if (who.role == "delivery") {
      s->join("delivery");
      if (presence->connected(who.user_id))
        ns->emit_to("admin", "admin:delivery-online", bj::object{{"partnerId", who.user_id}});
    }
  };

  main.on_disconnect = [presence, sockets, ns = &main](Socket& s, std::string_view) {
    sockets->closed(s);
    const auto& who = s.identity;
    if (who.role == "delivery" && presence->disconnected(who.user_id))
      ns->emit_to("admin", "admin:delivery-offline", bj::object{{"partnerId", who.user_id}});
  };

  auto typists = std::make_shared<Throttle>(std::chrono::milliseconds(1000));
  auto* svc = &live;

  main.on("location:update", [svc](realtime::sio::Event& e) {
    if (e.socket->identity.role != "delivery")
      return reply(e.socket, e.ack_id, ack_error(AuthorizationError("Only delivery partners report a location")));
    auto at = e.args.empty() ? std::nullopt : parse_location(e.args[0]);
    if (!at)
      return reply(e.socket, e.ack_id,
                   ack_error(ValidationError("lat must be -90..90 and lng -180..180",
                                             {{"lat", "-90..90"}, {"lng", "-180..180"}})));
    if (!svc->allow_location(e.socket->identity.user_id))
      return reply(e.socket, e.ack_id, ack_error(RateLimitError(1, "At most one location per second")));
    boost::asio::co_spawn(e.socket->executor(), locate(svc, e.socket, *at, e.ack_id), boost::asio::detached);
  });

  main.on("chat:message", [svc](realtime::sio::Event& e) {
    const auto& who = e.socket->identity;
    if (who.role != "customer" && who.role != "delivery")
      return reply(e.socket, e.ack_id,
                   ack_error(AuthorizationError("Chat is between a customer and their delivery partner")));
    const bj::value payload = e.args.empty() ? bj::value(nullptr) : e.args[0];
    auto order_id = string_field(payload, "orderId");
    auto body = string_field(payload, "message");
    if (order_id.empty() || body.empty() || body.size() > 1000)
      return reply(e.socket, e.ack_id,
                   ack_error(ValidationError("orderId and a message of 1-1000 characters are required",
                                             {{"orderId", "is required"}, {"message", "1-1000 characters"}})));
    boost::asio::co_spawn(e.socket->executor(), chat(svc, e.socket, std::move(order_id), std::move(body), e.ack_id),
                          boost::asio::detached);
  });

  main.on("chat:typing", [svc, typists](realtime::sio::Event& e) {
    const auto& who = e.socket->identity;
    if (who.role != "customer" && who.role != "delivery") return;
    auto order_id = e.args.empty() ? std::string() : string_field(e.args[0], "orderId");
    if (order_id.empty() || !typists->allow(who.user_id + order_id)) return;
    boost::asio::co_spawn(e.socket->executor(), typing(svc, e.socket, std::move(order_id)), boost::asio::detached);
  });

  auth.on_sessions_revoked([ns = &main](const std::vector<std::string>& ids) {
    const std::unordered_set<std::string> ended(ids.begin(), ids.end());
    ns->disconnect_where([&](const Socket& s) { return ended.contains(s.identity.session_id); });
  });
}

void register_routes(http::Router& router, LiveService& live) {
  router.add({.method = "GET",
              .path = "/api/v1/orders/:id/messages",
              .summary = "The chat between the customer and the delivery partner of an order",
              .tag = "orders",
              .authenticated = true,
              .handler = [svc = &live](http::Request& r) -> boost::asio::awaitable<http::Response> {
                auto list = co_await svc->messages(r.user->id, r.user->role, r.param("id"));
                bj::array out;
                for (const auto& m : list) out.push_back(to_json(m));
                co_return http::ok(std::move(out));
              }});
}

}  // namespace tiptop::live
