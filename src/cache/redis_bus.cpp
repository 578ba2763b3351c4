#include "cache/redis_bus.hpp"

#include <boost/json.hpp>

#include "core/log.hpp"

namespace tiptop::cache {
namespace bj = boost::json;

void link_bus_to_redis(InvalidationBus& bus, RedisClient& publisher, boost::asio::any_io_executor executor,
                       std::string node_id) {
  bus.link(std::move(executor), [&publisher, node = std::move(node_id)](const std::string& channel, const std::string& message) {
    publisher.send({"PUBLISH", kInvalidationChannel,
                    bj::serialize(bj::object{{"node", node}, {"channel", channel}, {"message", message}})});
  });
}

void deliver_invalidation(const InvalidationBus& bus, const std::string& node_id, const std::string& payload) {
  bj::error_code ec;
  const auto v = bj::parse(payload, ec);
  const auto* m = ec ? nullptr : v.if_object();
  const auto* node = m ? m->if_contains("node") : nullptr;
  const auto* channel = m ? m->if_contains("channel") : nullptr;
  const auto* message = m ? m->if_contains("message") : nullptr;
  if (!node || !node->is_string() || !channel || !channel->is_string() || !message || !message->is_string()) {
    log::warn("invalidation bus: malformed message ignored");
    return;
  }
  if (node->get_string() == node_id) return;  // ours: this node updated itself before publishing
  bus.deliver(std::string(channel->get_string()), std::string(message->get_string()));
}

}  // namespace tiptop::cache
