#include "core/job.hpp"

#include "core/log.hpp"

namespace tiptop {

void BackgroundJob::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { loop(); });
}

void BackgroundJob::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  cv_.notify_all();
}

void BackgroundJob::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

bool BackgroundJob::stopping() const {
  std::lock_guard lock(mutex_);
  return stopping_;
}

void BackgroundJob::loop() {
  for (;;) {
    auto wait = after_failure_;
    try {
      wait = pass_();
    } catch (const std::exception& e) {
      log::warn(name_ + " failed; trying again", {{"error", e.what()}});
    }
    std::unique_lock lock(mutex_);
    cv_.wait_for(lock, wait, [this] { return woken_ || stopping_; });
    woken_ = false;
    if (stopping_) return;
  }
}

}  // namespace tiptop
