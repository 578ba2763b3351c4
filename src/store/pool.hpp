#pragma once
// A bounded pool of connections shared by both drivers. Connections are made lazily, so a
// database that is down at start-up only fails the requests that need it.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "store/database.hpp"

namespace tiptop::store {

class ConnectionPool {
 public:
  using Factory = std::function<std::unique_ptr<Connection>()>;
  ConnectionPool(std::size_t max_size, Factory factory, std::chrono::milliseconds wait = std::chrono::seconds(5));

  // The returned lease gives the connection back on destruction, unless it was marked broken.
  std::unique_ptr<Connection, std::function<void(Connection*)>> acquire();
  // The leased connection is dead: drop it on return, and drop the idle ones too, since a lost
  // connection usually means the server restarted and every pooled session died with it.
  void mark_broken(Connection& c);
  // Connections leased out now, and the most there may be.
  std::pair<std::size_t, std::size_t> usage();

 private:
  void release(Connection* c);

  std::size_t max_size_;
  Factory factory_;
  std::chrono::milliseconds wait_;
  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<Connection>> idle_;
  std::vector<Connection*> broken_;
  std::size_t open_ = 0;
};

}  // namespace tiptop::store
