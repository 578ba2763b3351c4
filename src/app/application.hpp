#pragma once
// Wires configuration, storage, modules and the HTTP server together. main() and the
// integration tests both build the server through this one class.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <memory>
#include <thread>
#include <vector>

#include "app/context.hpp"
#include "cache/bus.hpp"
#include "cache/cache.hpp"
#include "cache/redis.hpp"
#include "core/job.hpp"
#include "http/pipeline.hpp"
#include "http/server.hpp"
#include "integrations/push.hpp"
#include "integrations/sms.hpp"

namespace tiptop::auth {
class AuthService;
}
namespace tiptop::web {
class StaticSite;
}
namespace tiptop::orders {
class Escalation;
}
namespace tiptop::notifications {
class OutboxWorker;
}
namespace tiptop::realtime {
class Conformance;
namespace sio {
class Server;
}
}  // namespace tiptop::realtime

namespace tiptop::app {

class Application {
 public:
  // email: where outbound mail goes; nullptr means SMTP when SMTP_URL is set, else the log.
  // emitter: also receives every domain event the Socket.IO server sends (tests record them).
  explicit Application(Config config, std::unique_ptr<integrations::EmailSender> email = nullptr,
                       std::unique_ptr<realtime::Emitter> emitter = nullptr);
  ~Application();

  Context& context() { return *context_; }
  auth::AuthService& auth();
  notifications::OutboxWorker& outbox();
  orders::Escalation& escalation();
  realtime::sio::Server& realtime() { return *realtime_; }
  // Binds and starts the I/O threads; returns the port (config.port 0 picks a free one).
  std::uint16_t start(const std::string& address = "0.0.0.0", http::ServerLimits limits = {});
  // Graceful stop: no new connections, idle ones closed, in-flight requests finish within the grace period.
  void shutdown();
  // start(), then block until SIGINT or SIGTERM, then shutdown(). Returns the exit code.
  int run_until_signal();

 private:
  struct Services;
  void make_redis_clients();
  void link_redis();
  int io_threads() const;

  Config config_;
  std::unique_ptr<realtime::Emitter> extra_emitter_;
  realtime::FanoutEmitter emitter_;
  std::unique_ptr<store::Database> db_;
  boost::asio::thread_pool cpu_{2};    // password hashing, image processing
  boost::asio::thread_pool files_{2};  // small file reads (uploaded images): never queued behind hashing
  // One io_context per I/O thread, made with the application: Redis clients live on the first.
  std::unique_ptr<http::IoPool> io_;
  // With REDIS_URL: one connection for commands (cache, rate limits) and publishing (Socket.IO
  // events, invalidations), one subscribed to the other nodes' publications.
  std::string node_id_;
  std::unique_ptr<cache::RedisClient> redis_, redis_subscribe_;
  std::unique_ptr<RateLimiter> limiter_;
  std::unique_ptr<cache::Cache> cache_;
  cache::InvalidationBus bus_;
  std::unique_ptr<integrations::EmailSender> email_;
  std::unique_ptr<integrations::SmsSender> sms_;
  std::unique_ptr<integrations::PushSender> push_;
  http::Router router_;
  Metrics metrics_;
  std::unique_ptr<Context> context_;
  std::unique_ptr<Services> services_;
  std::unique_ptr<http::Pipeline> pipeline_;
  std::unique_ptr<web::StaticSite> web_;  // the web apps' files
  std::unique_ptr<http::Server> server_;
  std::unique_ptr<realtime::Emitter> redis_publisher_;
  // Declared after the I/O contexts, so sessions (and their timers) go before the contexts do.
  std::unique_ptr<realtime::sio::Server> realtime_;
  std::unique_ptr<realtime::Conformance> conformance_;
  std::unique_ptr<BackgroundJob> session_sweep_;  // after realtime_: stopped before the server goes
  bool running_ = false;
};

}  // namespace tiptop::app
