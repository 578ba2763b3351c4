#include "store/group_commit.hpp"

#include "core/log.hpp"

namespace tiptop::store {

GroupCommitter::GroupCommitter(Database& db, std::size_t max_batch)
    : db_(db), max_batch_(max_batch), writer_([this] { loop(); }) {}

GroupCommitter::~GroupCommitter() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  writer_.join();
}

void GroupCommitter::submit(Job job) {
  {
    std::lock_guard lock(mutex_);
    if (stopping_) {
      job.done(std::make_exception_ptr(DatabaseError("Server is shutting down", 503)));
      return;
    }
    queue_.push_back(std::move(job));
  }
  wake_.notify_one();
}

void GroupCommitter::loop() {
  for (;;) {
    std::vector<Job> batch;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping, and everything submitted has been written
      while (!queue_.empty() && batch.size() < max_batch_) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    std::vector<std::exception_ptr> outcome(batch.size());
    try {
      auto write_all = [&](Connection& c) {
        for (std::size_t i = 0; i < batch.size(); ++i) {
          c.execute("SAVEPOINT job");
          try {
            batch[i].work(c);
            c.execute("RELEASE SAVEPOINT job");
          } catch (const ConnectionLost&) {
            throw;  // the whole transaction is gone
          } catch (...) {
            outcome[i] = std::current_exception();
            c.execute("ROLLBACK TO SAVEPOINT job");
            c.execute("RELEASE SAVEPOINT job");
          }
        }
      };
      db_.transaction_sync(write_all);
    } catch (...) {
      // The COMMIT (or the connection) failed: nothing of this batch is durable; tell every caller.
      const auto failure = std::current_exception();
      for (auto& o : outcome) o = failure;
    }
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i].done(outcome[i]);
  }
}

}  // namespace tiptop::store
