#pragma once
// Group commit: write jobs from many requests run one after another inside ONE transaction, and
// the batch pays for a single durable COMMIT (one fsync with SQLite's synchronous=FULL) instead of
// one per request. A job that throws fails alone: the batch is rolled back and written again with
// each job in its own savepoint; its caller gets the exception, the others commit. A job may thus
// run more than once, in transactions that roll back: it must only write through the connection
// and assign (not append to) what it hands back. Nothing is acknowledged before COMMIT.
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "store/database.hpp"

namespace tiptop::store {

// The batch's COMMIT (or its connection) failed after the jobs ran: the writes may or may not be
// durable. Callers must not assume either (an idempotency claim, say, is left to expire).
struct CommitUncertain : DatabaseError {
  CommitUncertain() : DatabaseError("Database is temporarily unavailable", 503) {}
};

// Batches written at once on PostgreSQL (its pool holds a connection for each); SQLite takes one.
inline constexpr std::size_t kPostgresWriters = 4;

class GroupCommitter {
 public:
  // writers: batches written at once, each in its own transaction. One suits SQLite (one writer
  // at a time anyway); on PostgreSQL several keep the server busy while each waits for its round
  // trips and its commit.
  explicit GroupCommitter(Database& db, std::size_t writers = 1, std::size_t max_batch = 128);
  ~GroupCommitter();
  // Refuses new jobs, writes everything queued, joins the writer. Call before the I/O threads stop.
  void stop();

  // Jobs submitted and not yet taken into a batch.
  std::size_t waiting() {
    std::lock_guard lock(mutex_);
    return queue_.size();
  }

  // Runs f(Connection&) in the next batch; resumes the caller after the batch committed.
  // f is taken by reference (see core/blocking.hpp): it lives until the co_await completes.
  template <class F>
  asio::awaitable<std::invoke_result_t<std::decay_t<F>&, Connection&>> run(F&& f) {
    using R = std::invoke_result_t<std::decay_t<F>&, Connection&>;
    using Result = std::conditional_t<std::is_void_v<R>, bool, R>;
    auto result = std::make_shared<std::optional<Result>>();
    co_await asio::async_initiate<decltype(asio::use_awaitable), void(std::exception_ptr)>(
        // References only in this lambda: it is a temporary of the co_await expression, and GCC 12
        // destroys such temporaries twice (an owning capture would be released twice).
        [this, &f, &result](auto handler) {
          auto shared = std::make_shared<decltype(handler)>(std::move(handler));
          submit({[&f, result](Connection& c) {
                    if constexpr (std::is_void_v<R>) {
                      f(c);
                      result->emplace(true);
                    } else {
                      result->emplace(f(c));
                    }
                  },
                  [shared](std::exception_ptr e) {
                    auto ex = asio::get_associated_executor(*shared);
                    asio::dispatch(ex, [shared, e]() mutable { std::move (*shared)(e); });
                  }});
        },
        asio::use_awaitable);
    if constexpr (!std::is_void_v<R>) co_return std::move(**result);
  }

 private:
  struct Job {
    std::function<void(Connection&)> work;
    std::function<void(std::exception_ptr)> done;
  };
  void submit(Job job);
  void loop();
  static void run_unguarded(Connection& c, Job& job);
  static void run_guarded(Connection& c, Job& job, std::exception_ptr& outcome, int attempts);

  Database& db_;
  std::size_t max_batch_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  std::vector<std::thread> writers_;
};

}  // namespace tiptop::store
