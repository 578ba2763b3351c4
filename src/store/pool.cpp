#include "store/pool.hpp"

#include <algorithm>

namespace tiptop::store {

ConnectionPool::ConnectionPool(std::size_t max_size, Factory factory, std::chrono::milliseconds wait)
    : max_size_(max_size), factory_(std::move(factory)), wait_(wait) {}

std::unique_ptr<Connection, std::function<void(Connection*)>> ConnectionPool::acquire() {
  std::unique_ptr<Connection> conn;
  {
    std::unique_lock lock(mutex_);
    if (!available_.wait_for(lock, wait_, [&] { return !idle_.empty() || open_ < max_size_; }))
      throw DatabaseError("Database is busy, try again", 503);
    if (!idle_.empty()) {
      conn = std::move(idle_.back());
      idle_.pop_back();
    } else {
      ++open_;  // reserve the slot; connecting happens outside the lock
    }
  }
  if (!conn) {
    try {
      conn = factory_();
    } catch (...) {
      std::lock_guard lock(mutex_);
      --open_;
      available_.notify_one();
      throw;
    }
  }
  return {conn.release(), [this](Connection* c) { release(c); }};
}

void ConnectionPool::mark_broken(Connection& c) {
  std::vector<std::unique_ptr<Connection>> stale;
  {
    std::lock_guard lock(mutex_);
    broken_.push_back(&c);
    stale.swap(idle_);
    open_ -= stale.size();
    available_.notify_all();
  }
  // stale connections close here, outside the lock
}

void ConnectionPool::release(Connection* c) {
  std::unique_ptr<Connection> owned(c);
  std::lock_guard lock(mutex_);
  if (auto it = std::find(broken_.begin(), broken_.end(), c); it != broken_.end()) {
    broken_.erase(it);
    --open_;  // owned is destroyed: the next acquire connects afresh
  } else {
    idle_.push_back(std::move(owned));
  }
  available_.notify_one();
}

std::pair<std::size_t, std::size_t> ConnectionPool::usage() {
  std::lock_guard lock(mutex_);
  return {open_ - idle_.size(), max_size_};
}

}  // namespace tiptop::store
