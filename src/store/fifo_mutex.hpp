#pragma once
// A mutex that hands the lock over in arrival order (a ticket lock). SQLite admits one writer at a
// time and makes the others poll with growing sleeps, so a thread that commits and begins again at
// once (the notification outbox, the order group commit) can starve the rest for seconds. Taking
// this lock before BEGIN queues writers fairly instead.
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace tiptop::store {

class FifoMutex {
 public:
  void lock() {
    std::unique_lock l(m_);
    const auto ticket = next_++;
    cv_.wait(l, [&] { return serving_ == ticket; });
  }
  void unlock() {
    {
      std::lock_guard l(m_);
      ++serving_;
    }
    cv_.notify_all();
  }

 private:
  std::mutex m_;
  std::condition_variable cv_;
  std::uint64_t next_ = 0, serving_ = 0;
};

}  // namespace tiptop::store
