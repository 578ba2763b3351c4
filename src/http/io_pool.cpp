#include "http/io_pool.hpp"

namespace tiptop::http {

IoPool::IoPool(std::size_t threads) {
  for (std::size_t i = 0; i < std::max<std::size_t>(1, threads); ++i) {
    contexts_.push_back(std::make_unique<boost::asio::io_context>(1));  // hint: one thread runs it
    guards_.emplace_back(contexts_.back()->get_executor());
  }
}

IoPool::~IoPool() { stop(); }

boost::asio::io_context& IoPool::next() { return *contexts_[next_++ % contexts_.size()]; }

void IoPool::start() {
  for (auto& c : contexts_) threads_.emplace_back([ctx = c.get()] { ctx->run(); });
}

void IoPool::stop() {
  guards_.clear();
  for (auto& c : contexts_) c->stop();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

}  // namespace tiptop::http
