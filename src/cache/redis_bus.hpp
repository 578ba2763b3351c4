#pragma once
// The invalidation bus between nodes over Redis pub/sub: each publication goes out as
// {node, channel, message} on one Redis channel; each node delivers the others' to its bus.
#include <string>

#include "cache/bus.hpp"
#include "cache/redis.hpp"

namespace tiptop::cache {

inline constexpr const char* kInvalidationChannel = "tiptop:invalidate";

void link_bus_to_redis(InvalidationBus& bus, RedisClient& publisher, boost::asio::any_io_executor executor,
                       std::string node_id);
// A message from the Redis channel: delivered to bus unless this node published it.
void deliver_invalidation(const InvalidationBus& bus, const std::string& node_id, const std::string& payload);

}  // namespace tiptop::cache
