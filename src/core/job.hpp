#pragma once
// A background job on a thread of its own (its work blocks: database transactions, provider and
// gateway calls), shared by the notification outbox, the payments job and the analytics rollup:
// a pass at start, then one every interval, or sooner when woken (a commit that has work for it),
// until stopped. A pass that fails is logged and tried again at the next interval.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace tiptop {

class BackgroundJob {
 public:
  // One pass; returns how long to wait before the next (at most; a wake() comes sooner).
  using Pass = std::function<std::chrono::milliseconds()>;

  // after_failure: the wait after a pass that threw.
  BackgroundJob(std::string name, std::chrono::milliseconds after_failure, Pass pass)
      : name_(std::move(name)), after_failure_(after_failure), pass_(std::move(pass)) {}
  ~BackgroundJob() { stop(); }
  BackgroundJob(const BackgroundJob&) = delete;
  BackgroundJob& operator=(const BackgroundJob&) = delete;

  void start();
  // The next pass starts now (or right after the one running).
  void wake();
  // Lets a pass in progress finish (it may look at stopping() to cut itself short), then joins.
  void stop();
  bool stopping() const;

 private:
  void loop();

  const std::string name_;
  const std::chrono::milliseconds after_failure_;
  const Pass pass_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  bool woken_ = false, stopping_ = false;
  std::thread thread_;
};

}  // namespace tiptop
