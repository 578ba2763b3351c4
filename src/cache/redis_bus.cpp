#include "cache/redis_bus.hpp"

#include <boost/json.hpp>

#include "core/json.hpp"
#include "core/log.hpp"

namespace tiptop::cache {
namespace bj = boost::json;

void link_bus_to_redis(InvalidationBus& bus, RedisClient& publisher, boost::asio::any_io_executor executor,
                       std::string node_id, std::function<bool()> listening) {
  InvalidationBus::Link link;
  link.publish = [&publisher, node_id](const std::string& channel, const std::string& message, const std::string& ack) {
    bj::object m{{"node", node_id}, {"channel", channel}, {"message", message}};
    if (!ack.empty()) m["ack"] = ack;
    publisher.send({"PUBLISH", kInvalidationChannel, json::serialize(m)});
  };
  link.acknowledge = [&publisher, node_id](const std::string& ack) {
    publisher.send({"PUBLISH", kInvalidationChannel, json::serialize(bj::object{{"node", node_id}, {"ackFor", ack}})});
  };
  link.peers = [&publisher, listening]() -> boost::asio::awaitable<int> {
    if (!listening()) co_return 0;  // our own subscriber is down: no acknowledgement could reach us
    int subscribers = 0;
    try {
      std::vector<std::string> args{"PUBSUB", "NUMSUB", kInvalidationChannel};
      auto reply = co_await publisher.command(std::move(args));
      if (reply.type == RedisReply::Type::array && reply.elements.size() == 2)
        subscribers = static_cast<int>(reply.elements[1].integer);
    } catch (const RedisError&) {
      co_return 0;  // nobody can be told now; they resync when Redis returns
    }
    co_return subscribers - 1;  // ourselves
  };
  bus.link(std::move(executor), std::move(link));
}

void deliver_invalidation(InvalidationBus& bus, const std::string& node_id, const std::string& payload) {
  bj::error_code ec;
  const auto v = bj::parse(payload, ec);
  const auto* m = ec ? nullptr : v.if_object();
  const auto* node = m ? m->if_contains("node") : nullptr;
  if (!node || !node->is_string()) {
    log::warn("invalidation bus: malformed message ignored");
    return;
  }
  if (node->get_string() == node_id) return;  // ours: this node updated itself before publishing
  if (const auto ack_for = json::string_or(*m, "ackFor"); !ack_for.empty()) return bus.acknowledged(ack_for);
  const auto* channel = m->if_contains("channel");
  const auto* message = m->if_contains("message");
  if (!channel || !channel->is_string() || !message || !message->is_string()) {
    log::warn("invalidation bus: malformed message ignored");
    return;
  }
  bus.deliver(std::string(channel->get_string()), std::string(message->get_string()), json::string_or(*m, "ack"));
}

}  // namespace tiptop::cache
