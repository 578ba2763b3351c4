#include "app/application.hpp"

#include <boost/asio/signal_set.hpp>
#include <future>

#include "core/log.hpp"
#include "modules/docs/routes.hpp"
#include "modules/health/routes.hpp"
#include "store/migrations.hpp"

namespace tiptop::app {

void register_modules(Context& ctx) {
  health::register_routes(ctx);
  docs::register_routes(ctx);
}

Application::Application(Config config) : config_(std::move(config)) {
  db_ = store::open_database(config_.database_url, config_.db_pool_size, config_.sqlite_synchronous);
  store::migrate(*db_);
  context_ = std::make_unique<Context>(Context{config_, *db_, router_, clock::now_ms()});
  register_modules(*context_);
}

Application::~Application() { shutdown(); }

std::uint16_t Application::start(const std::string& address, http::ServerLimits limits) {
  pipeline_ = std::make_unique<http::Pipeline>(config_, router_);
  server_ = std::make_unique<http::Server>(ioc_, *pipeline_, limits);
  const auto port = server_->listen(address, static_cast<std::uint16_t>(config_.port));
  work_.emplace(ioc_.get_executor());
  const int n = config_.io_threads > 0 ? config_.io_threads : std::max(1u, std::thread::hardware_concurrency());
  for (int i = 0; i < n; ++i) threads_.emplace_back([this] { ioc_.run(); });
  log::info("listening", {{"port", port}, {"ioThreads", n}, {"database", db_->engine() == store::Engine::sqlite ? "sqlite" : "postgres"}});
  return port;
}

void Application::shutdown() {
  if (threads_.empty()) return;
  server_->begin_shutdown();
  const auto deadline = std::chrono::steady_clock::now() + config_.shutdown_grace;
  while (server_->open_connections() > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  if (server_->open_connections() > 0)
    log::warn("grace period over, closing remaining connections", {{"open", server_->open_connections()}});
  work_.reset();
  ioc_.stop();
  for (auto& t : threads_) t.join();
  threads_.clear();
  log::info("stopped");
  log::flush();
}

int Application::run_until_signal() {
  std::promise<int> signalled;
  boost::asio::signal_set signals(ioc_, SIGINT, SIGTERM);
  signals.async_wait([&](const boost::system::error_code& ec, int sig) {
    if (!ec) signalled.set_value(sig);
  });
  start();
  const int sig = signalled.get_future().get();
  log::info("shutting down", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
  shutdown();
  return 0;
}

}  // namespace tiptop::app
