#pragma once
// One io_context per I/O thread. A connection lives on one context for its whole life, so its
// handlers never hop threads: no strands, no cross-thread wake-ups, no shared scheduler lock —
// the layout that lets Asio servers scale with cores.
#include <atomic>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <thread>
#include <vector>

namespace tiptop::http {

class IoPool {
 public:
  explicit IoPool(std::size_t threads);
  ~IoPool();

  boost::asio::io_context& first() { return *contexts_.front(); }
  boost::asio::io_context& next();  // round robin, for new connections
  std::size_t size() const { return contexts_.size(); }

  void start();  // one thread per context
  void stop();   // stops the contexts and joins the threads

 private:
  using Guard = boost::asio::executor_work_guard<boost::asio::io_context::executor_type>;
  std::vector<std::unique_ptr<boost::asio::io_context>> contexts_;
  std::vector<Guard> guards_;
  std::vector<std::thread> threads_;
  std::atomic<std::size_t> next_{0};
};

}  // namespace tiptop::http
