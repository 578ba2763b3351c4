#pragma once
// The Socket.IO adapter for several nodes (spec §1: "Socket.io with Redis adapter"): every event
// a node emits is also published on Redis, and every node delivers the events the others publish
// to its own clients. One publishing connection per node keeps that node's events in order.
// Without Redis each node still reaches its own clients.
#include <string>

#include "cache/redis.hpp"
#include "realtime/emitter.hpp"

namespace tiptop::realtime {

inline constexpr const char* kEventsChannel = "tiptop:socket.io";

class RedisPublisher final : public Emitter {
 public:
  RedisPublisher(cache::RedisClient& redis, std::string node_id) : redis_(redis), node_(std::move(node_id)) {}
  void emit(const std::string& room, const std::string& event, const boost::json::object& data) override;

 private:
  cache::RedisClient& redis_;
  std::string node_;
};

// A message from the channel: delivered through `local` unless this node published it.
void deliver_published(Emitter& local, const std::string& node_id, const std::string& payload);

}  // namespace tiptop::realtime
