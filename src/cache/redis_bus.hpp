#pragma once
// The invalidation bus between nodes over Redis pub/sub: each publication goes out as
// {node, channel, message, ack} on one Redis channel, each acknowledgement as {node, ackFor}; every
// node delivers the others' publications to its bus. The number of listening nodes is Redis' own
// count of the channel's subscribers (PUBSUB NUMSUB).
#include <functional>
#include <string>

#include "cache/bus.hpp"
#include "cache/redis.hpp"

namespace tiptop::cache {

inline constexpr const char* kInvalidationChannel = "tiptop:invalidate";

// listening: whether this node's own subscriber is connected (it is then one of the subscribers).
void link_bus_to_redis(InvalidationBus& bus, RedisClient& publisher, boost::asio::any_io_executor executor,
                       std::string node_id, std::function<bool()> listening);
// A message from the Redis channel: delivered to bus unless this node published it.
void deliver_invalidation(InvalidationBus& bus, const std::string& node_id, const std::string& payload);

}  // namespace tiptop::cache
