#pragma once
// Runs blocking work (database calls, password hashing, file I/O) on a worker pool and resumes the
// awaiting coroutine on its own executor, so I/O threads never block.
//
// GCC 12 destroys a lambda passed by value to a coroutine twice when its captures own memory (a
// double free under ASan). So f is taken by reference: the caller's temporary lives until the
// co_await completes, and the work is moved from it into a plain (non-coroutine) posted task.
// Even so, a temporary lambda that owns memory inside a co_await expression trips the same bug:
// callers capture by reference ([&]) the coroutine's own locals, which live in its frame.
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <exception>
#include <optional>
#include <type_traits>

namespace tiptop {

namespace asio = boost::asio;

template <class F>
asio::awaitable<std::invoke_result_t<std::decay_t<F>&>> run_blocking(asio::thread_pool& pool, F&& f) {
  using R = std::invoke_result_t<std::decay_t<F>&>;
  if constexpr (std::is_void_v<R>) {
    co_await asio::async_initiate<decltype(asio::use_awaitable), void(std::exception_ptr)>(
        [&pool, &f](auto handler) {
          asio::post(pool, [handler = std::move(handler), f = std::decay_t<F>(std::forward<F>(f))]() mutable {
            std::exception_ptr error;
            try {
              f();
            } catch (...) {
              error = std::current_exception();
            }
            auto ex = asio::get_associated_executor(handler);
            asio::dispatch(ex, [handler = std::move(handler), error]() mutable { std::move(handler)(error); });
          });
        },
        asio::use_awaitable);
  } else {
    std::optional<R> result =
        co_await asio::async_initiate<decltype(asio::use_awaitable), void(std::exception_ptr, std::optional<R>)>(
            [&pool, &f](auto handler) {
              asio::post(pool, [handler = std::move(handler), f = std::decay_t<F>(std::forward<F>(f))]() mutable {
                std::exception_ptr error;
                std::optional<R> value;
                try {
                  value.emplace(f());
                } catch (...) {
                  error = std::current_exception();
                }
                auto ex = asio::get_associated_executor(handler);
                asio::dispatch(ex, [handler = std::move(handler), error, value = std::move(value)]() mutable {
                  std::move(handler)(error, std::move(value));
                });
              });
            },
            asio::use_awaitable);
    co_return std::move(*result);
  }
}

}  // namespace tiptop
