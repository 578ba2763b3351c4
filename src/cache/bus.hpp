#pragma once
// Cache invalidation across nodes. A node that changes shared data publishes on a channel; every
// other node's subscribers drop or reload what they hold. Alone (no REDIS_URL) there is nobody to
// tell, so LocalBus only serves subscribers in this process; a Redis pub/sub bus plugs in here.
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace tiptop::cache {

class InvalidationBus {
 public:
  using Handler = std::function<void(const std::string& message)>;
  virtual ~InvalidationBus() = default;
  // Tells the other nodes; the publishing node has already updated itself.
  virtual void publish(const std::string& channel, const std::string& message) = 0;
  // Runs handler when another node publishes on channel.
  virtual void subscribe(const std::string& channel, Handler handler) = 0;
};

class LocalBus final : public InvalidationBus {
 public:
  void publish(const std::string&, const std::string&) override {}  // a single node has no peers
  void subscribe(const std::string& channel, Handler handler) override;

 private:
  std::mutex mutex_;
  std::map<std::string, std::vector<Handler>> handlers_;
};

}  // namespace tiptop::cache
