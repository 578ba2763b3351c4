#pragma once
// A Redis client (hiredis' async API) driven by Asio: the socket is watched by one I/O context,
// so no thread ever blocks on Redis. Commands complete on the caller's executor, within a bounded
// time (RedisSettings::timeout) or with RedisError; a lost connection is re-established by itself
// with a growing pause. A client made with channels is a subscriber: it (re)subscribes on every
// connection and hands each message to on_message, on its I/O context.
#include <atomic>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <chrono>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

struct redisAsyncContext;

namespace tiptop::cache {

struct RedisSettings {
  std::string host = "127.0.0.1";
  int port = 6379;
  std::string password;
  int db = 0;
  std::chrono::milliseconds timeout{500};  // per command
};
// redis://[:password@]host[:port][/db]; throws std::invalid_argument.
RedisSettings parse_redis_url(const std::string& url);

struct RedisReply {
  enum class Type { nil, string, integer, array, status };
  Type type = Type::nil;
  std::string str;
  long long integer = 0;
  std::vector<RedisReply> elements;
};

// Not connected, timed out, connection lost, or an error reply from Redis.
struct RedisError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class RedisClient {
 public:
  using MessageHandler = std::function<void(const std::string& channel, const std::string& payload)>;
  RedisClient(boost::asio::io_context& io, RedisSettings settings, std::vector<std::string> channels = {},
              MessageHandler on_message = {});
  ~RedisClient();
  RedisClient(const RedisClient&) = delete;
  RedisClient& operator=(const RedisClient&) = delete;

  // Runs on the I/O context after each (re)connection, subscriptions made. Set before start().
  void on_connect(std::function<void()> f);
  void start();  // connects (and keeps reconnecting) on the I/O context
  void stop();   // disconnects for good; pending commands fail. Call before the context stops.
  bool connected() const;

  // From any executor. Throws RedisError.
  boost::asio::awaitable<RedisReply> command(std::vector<std::string> args);
  // Fire and forget (PUBLISH): sent in call order; dropped while disconnected.
  void send(std::vector<std::string> args);

 private:
  struct Impl;
  std::shared_ptr<Impl> impl_;
};

}  // namespace tiptop::cache
