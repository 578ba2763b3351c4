#include "realtime/redis_adapter.hpp"

#include "core/json.hpp"
#include "core/log.hpp"

namespace tiptop::realtime {
namespace bj = boost::json;

void RedisPublisher::emit(const std::string& room, const std::string& event, const bj::object& data) {
  const bj::object message{{"node", node_}, {"room", room}, {"event", event}, {"data", data}};
  redis_.send({"PUBLISH", kEventsChannel, json::serialize(message)});
}

void deliver_published(Emitter& local, const std::string& node_id, const std::string& payload) {
  bj::error_code ec;
  const auto v = bj::parse(payload, ec);
  const auto* m = ec ? nullptr : v.if_object();
  const auto* node = m ? m->if_contains("node") : nullptr;
  const auto* room = m ? m->if_contains("room") : nullptr;
  const auto* event = m ? m->if_contains("event") : nullptr;
  const auto* data = m ? m->if_contains("data") : nullptr;
  if (!node || !node->is_string() || !room || !room->is_string() || !event || !event->is_string() || !data ||
      !data->is_object()) {
    log::warn("socket.io adapter: malformed message ignored");
    return;
  }
  if (node->get_string() == node_id) return;  // ours: already delivered locally
  local.emit(std::string(room->get_string()), std::string(event->get_string()), data->get_object());
}

}  // namespace tiptop::realtime
