#include "store/group_commit.hpp"

#include "core/log.hpp"

namespace tiptop::store {

GroupCommitter::GroupCommitter(Database& db, std::size_t writers, std::size_t max_batch)
    : db_(db), max_batch_(max_batch) {
  for (std::size_t i = 0; i < std::max<std::size_t>(1, writers); ++i) writers_.emplace_back([this] { loop(); });
}

GroupCommitter::~GroupCommitter() { stop(); }

void GroupCommitter::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& w : writers_)
    if (w.joinable()) w.join();
}

void GroupCommitter::submit(Job job) {
  bool refused = false;
  {
    std::lock_guard lock(mutex_);
    refused = stopping_;
    if (!refused) queue_.push_back(std::move(job));
  }
  // Completion may resume the caller inline, so it never runs under our lock.
  if (refused)
    job.done(std::make_exception_ptr(DatabaseError("Server is shutting down", 503)));
  else
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
    bool jobs_ran = false;
    try {
      auto write_all = [&](Connection& c) {
        for (std::size_t i = 0; i < batch.size(); ++i) {
          // A job that lost a deadlock to another batch (several writers, several nodes) runs once
          // more: by then the other transaction has its locks and goes on, so this one can too.
          for (int attempt = 1;; ++attempt) {
            c.execute("SAVEPOINT job");
            try {
              batch[i].work(c);
              c.execute("RELEASE SAVEPOINT job");
              break;
            } catch (const ConnectionLost&) {
              throw;  // the whole transaction is gone
            } catch (const Contention&) {
              c.execute("ROLLBACK TO SAVEPOINT job");
              c.execute("RELEASE SAVEPOINT job");
              if (attempt < 2) continue;
              outcome[i] = std::current_exception();
              break;
            } catch (...) {
              outcome[i] = std::current_exception();
              c.execute("ROLLBACK TO SAVEPOINT job");
              c.execute("RELEASE SAVEPOINT job");
              break;
            }
          }
        }
        jobs_ran = true;
      };
      db_.transaction_sync(write_all);
    } catch (...) {
      // Before the jobs ran (no connection, BEGIN failed) nothing was written: pass that error on.
      // After, the COMMIT's fate is unknown. Jobs that had failed on their own keep their error.
      const auto failure = jobs_ran ? std::make_exception_ptr(CommitUncertain()) : std::current_exception();
      for (auto& o : outcome)
        if (!o || !jobs_ran) o = failure;
    }
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i].done(outcome[i]);
  }
}

}  // namespace tiptop::store
