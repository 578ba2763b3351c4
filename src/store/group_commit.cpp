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

namespace {
// Thrown out of an unguarded batch when one of its jobs failed: the transaction rolls back and the
// batch is written again with savepoints.
struct JobFailed {
  std::exception_ptr error;
  bool contention;
};
}  // namespace

void GroupCommitter::run_unguarded(Connection& c, Job& job) {
  try {
    job.work(c);
  } catch (const ConnectionLost&) {
    throw;  // the whole transaction is gone: every job gets the error, as guarded
  } catch (const Contention&) {
    throw JobFailed{std::current_exception(), true};
  } catch (...) {
    throw JobFailed{std::current_exception(), false};
  }
}

void GroupCommitter::run_guarded(Connection& c, Job& job, std::exception_ptr& outcome, int attempts) {
  // A job that lost a deadlock to another batch (several writers, several nodes) runs once more:
  // by then the other transaction has its locks and goes on, so this one can too.
  for (int attempt = 1;; ++attempt) {
    c.execute("SAVEPOINT job");
    try {
      job.work(c);
      c.execute("RELEASE SAVEPOINT job");
      return;
    } catch (const ConnectionLost&) {
      throw;  // the whole transaction is gone
    } catch (const Contention&) {
      c.execute("ROLLBACK TO SAVEPOINT job");
      c.execute("RELEASE SAVEPOINT job");
      if (attempt < attempts) continue;
      outcome = std::current_exception();
      return;
    } catch (...) {
      outcome = std::current_exception();
      c.execute("ROLLBACK TO SAVEPOINT job");
      c.execute("RELEASE SAVEPOINT job");
      return;
    }
  }
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
    // First without savepoints: on PostgreSQL each SAVEPOINT and RELEASE is a round trip and a
    // subtransaction, two of them per order (issue 24). Should a job fail, the batch is rolled back
    // and written once more with a savepoint around every job, so a failing job costs the others
    // one re-run at most, never one per failure. (On PostgreSQL each re-run job draws another order
    // number from the year's sequence, which is not rolled back: a failure leaves gaps, as before,
    // now up to one per job ahead of it in the batch.)
    // A batch of one that lost a deadlock unguarded has had its first try: its second is guarded.
    int guarded_attempts = 2;
    for (bool guarded : {false, true}) {
      bool jobs_ran = false;
      try {
        auto write_all = [&](Connection& c) {
          for (std::size_t i = 0; i < batch.size(); ++i) {
            if (guarded)
              run_guarded(c, batch[i], outcome[i], guarded_attempts);
            else
              run_unguarded(c, batch[i]);
          }
          jobs_ran = true;
        };
        db_.transaction_sync(write_all);
      } catch (const JobFailed& failed) {
        // Rolled back whole. A batch of one has nothing else to save: its job's error is the answer
        // (unless it lost a deadlock, which is worth another try); otherwise again, guarded.
        if (batch.size() == 1 && !failed.contention) {
          outcome[0] = failed.error;
          break;
        }
        if (batch.size() == 1) guarded_attempts = 1;
        continue;
      } catch (...) {
        // Before the jobs ran (no connection, BEGIN failed) nothing was written: pass that error on.
        // After, the COMMIT's fate is unknown. Jobs that had failed on their own keep their error.
        const auto failure = jobs_ran ? std::make_exception_ptr(CommitUncertain()) : std::current_exception();
        for (auto& o : outcome)
          if (!o || !jobs_ran) o = failure;
      }
      break;
    }
    for (std::size_t i = 0; i < batch.size(); ++i) batch[i].done(outcome[i]);
  }
}

}  // namespace tiptop::store
