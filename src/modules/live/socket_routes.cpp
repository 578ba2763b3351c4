#include "modules/live/socket_routes.hpp"

#include <mutex>
#include <unordered_map>

#include "core/errors.hpp"
#include "core/log.hpp"
#include "modules/auth/service.hpp"

namespace tiptop::live {
namespace bj = boost::json;
using realtime::sio::Socket;

namespace {

constexpr const char* kAuthFailed = "Authentication failed";

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

}  // namespace

void register_socket_routes(realtime::sio::Server& io, auth::AuthService& auth) {
  auto& main = io.of("/");
  auto presence = std::make_shared<PartnerPresence>();

  // The token comes only from the handshake's auth payload, never the query string (which ends up in logs).
  main.authorize = [svc = &auth](Socket& s) -> boost::asio::awaitable<std::optional<std::string>> {
    const auto* token = s.handshake_auth().if_contains("token");
    if (!token || !token->is_string() || token->as_string().empty()) co_return std::string(kAuthFailed);
    std::optional<auth::Principal> who;
    try {
      who = co_await svc->authenticate(std::string(token->as_string()));
    } catch (const AppError&) {
      co_return std::string(kAuthFailed);
    }
    s.identity = {who->user_id, who->role, who->session_id};
    co_return std::nullopt;
  };

  main.on_connection = [presence, ns = &main](const std::shared_ptr<Socket>& s) {
    const auto& who = s->identity;
    s->join("user:" + who.user_id);
    if (who.role == "admin") s->join("admin");
    if (who.role == "delivery") {
      s->join("delivery");
      if (presence->connected(who.user_id))
        ns->emit_to("admin", "admin:delivery-online", bj::object{{"partnerId", who.user_id}});
    }
  };

  main.on_disconnect = [presence, ns = &main](Socket& s, std::string_view) {
    const auto& who = s.identity;
    if (who.role == "delivery" && presence->disconnected(who.user_id))
      ns->emit_to("admin", "admin:delivery-offline", bj::object{{"partnerId", who.user_id}});
  };

  auth.on_sessions_revoked([ns = &main](const std::vector<std::string>& ids) {
    const std::unordered_set<std::string> ended(ids.begin(), ids.end());
    ns->disconnect_where([&](const Socket& s) { return ended.contains(s.identity.session_id); });
  });
}

}  // namespace tiptop::live
