#pragma once
// Runs blocking work (database calls, password hashing, file I/O) on a worker pool and resumes the
// awaiting coroutine on its own executor, so I/O threads never block.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <type_traits>

namespace tiptop {

namespace asio = boost::asio;

template <class F>
asio::awaitable<std::invoke_result_t<F&>> run_blocking(asio::thread_pool& pool, F f) {
  using R = std::invoke_result_t<F&>;
  co_return co_await asio::co_spawn(
      pool, [f = std::move(f)]() mutable -> asio::awaitable<R> { co_return f(); }, asio::use_awaitable);
}

}  // namespace tiptop
