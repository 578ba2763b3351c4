#include "app/application.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <future>

#include "cache/redis_bus.hpp"
#include "cache/redis_cache.hpp"
#include "core/crypto.hpp"
#include "core/log.hpp"
#include "modules/admin/routes.hpp"
#include "modules/analytics/routes.hpp"
#include "modules/audit/routes.hpp"
#include "modules/auth/routes.hpp"
#include "modules/cash/routes.hpp"
#include "modules/delivery/routes.hpp"
#include "modules/docs/routes.hpp"
#include "modules/health/routes.hpp"
#include "modules/live/service.hpp"
#include "modules/live/socket_routes.hpp"
#include "modules/media/routes.hpp"
#include "modules/menu/category_routes.hpp"
#include "modules/menu/routes.hpp"
#include "modules/notifications/outbox.hpp"
#include "modules/notifications/repository.hpp"
#include "modules/notifications/routes.hpp"
#include "modules/orders/escalation.hpp"
#include "modules/orders/routes.hpp"
#include "modules/payments/routes.hpp"
#include "modules/printing/routes.hpp"
#include "modules/settings/routes.hpp"
#include "modules/users/routes.hpp"
#include "modules/web/routes.hpp"
#include "realtime/conformance.hpp"
#include "realtime/redis_adapter.hpp"
#include "realtime/socketio/server.hpp"
#include "store/migrations.hpp"

namespace tiptop::app {

namespace {

notifications::OutboxSettings outbox_settings(const Config& c) {
  notifications::OutboxSettings s;
  s.poll_interval = c.outbox_poll_interval;
  s.retry_base = c.outbox_retry_base;
  s.max_attempts = c.outbox_max_attempts;
  s.lease = c.outbox_lease;
  s.sweep_interval = c.notification_sweep_interval;
  s.sms_country_code = c.sms_default_country_code;
  const auto from = integrations::address_of(c.smtp_from);
  s.message_id_domain = from.substr(from.find('@') + 1);
  return s;
}

// The providers the configuration names; the log where it names none. A provider's own timeout
// stays within a third of the outbox lease, the margin the worker keeps on a claim before each call
// (OutboxWorker::keep_claim), so a slow send never outlives its claim.
std::chrono::milliseconds provider_timeout(const Config& c) {
  return std::min<std::chrono::milliseconds>(std::chrono::seconds(10), std::chrono::milliseconds(c.outbox_lease) / 3);
}

bool logs_message_bodies(const Config& c) { return c.node_env == "development" || c.node_env == "test"; }

std::unique_ptr<integrations::EmailSender> email_provider(const Config& c, bool log_bodies) {
  if (!c.smtp_url.empty())
    return std::make_unique<integrations::SmtpEmailSender>(c.smtp_url, c.smtp_from, provider_timeout(c));
  return std::make_unique<integrations::LogEmailSender>(log_bodies);
}

std::unique_ptr<integrations::SmsSender> sms_provider(const Config& c, bool log_bodies) {
  if (c.twilio_account_sid.empty()) return std::make_unique<integrations::LogSmsSender>(log_bodies);
  return std::make_unique<integrations::TwilioSmsSender>(integrations::TwilioSettings{
      c.twilio_account_sid, c.twilio_auth_token, c.twilio_phone_number, c.twilio_base_url, provider_timeout(c)});
}

std::unique_ptr<integrations::PushSender> push_provider(const Config& c) {
  if (c.fcm_credentials_file.empty()) return std::make_unique<integrations::LogPushSender>(logs_message_bodies(c));
  auto s = integrations::read_fcm_credentials(c.fcm_credentials_file);
  s.base_url = c.fcm_base_url;
  // One push may take four calls (token, send, and after a 401 both again): all within the budget.
  s.timeout = provider_timeout(c) / 4;
  return std::make_unique<integrations::FcmPushSender>(std::move(s));
}

}  // namespace

// Every module's service, built once with its dependencies passed in.
struct Application::Services {
  Services(Context& ctx, notifications::Providers providers)
      : notifier(ctx.emitter),
        outbox(ctx.db, providers, outbox_settings(ctx.config)),
        notifications(ctx.db, notifier),
        auth(ctx.config, ctx.db, ctx.cpu, notifier, ctx.limiter, ctx.cache, ctx.bus),
        otp(ctx.config, ctx.db, notifier, ctx.limiter),
        users(ctx.db, auth, notifier),
        menu(ctx.db, catalog, ctx.bus),
        categories(ctx.db, menu),
        storage(integrations::make_storage(ctx.config)),
        settings(ctx.db, ctx.bus),
        writer(ctx.db, ctx.db.engine() == store::Engine::postgres ? store::kPostgresWriters : 1),
        lifecycle(notifier, ctx.emitter, menu),
        printing(ctx.db, ctx.emitter, settings, ctx.config.print_lease),
        payments(ctx.config, ctx.db, ctx.emitter, notifier, lifecycle),
        orders(ctx.db, writer, catalog, menu, settings, ctx.emitter, notifier, payments, lifecycle, ctx.limiter,
               {ctx.config.order_placements_per_minute, ctx.config.max_open_orders_per_customer}),
        promos(ctx.db),
        live(ctx.db, ctx.emitter, ctx.config.location_min_interval),
        partners(ctx.db, auth, ctx.emitter),
        dispatch(ctx.db, ctx.emitter, notifier, lifecycle, settings),
        cash(ctx.db),
        orders_desk(ctx.db),
        customers(ctx.db, auth),
        analytics(ctx.db, ctx.config.analytics_rollup_interval),
        escalation(ctx.db, ctx.emitter, notifier, settings, ctx.config.escalation_interval) {
    notifier.attach(&outbox);
    lifecycle.attach(&payments);
    lifecycle.attach(&printing);
    lifecycle.on_final([this] { analytics.orders_changed(); });
    menu.load_sync();
    settings.load_sync();
  }
  notifications::Notifier notifier;
  notifications::OutboxWorker outbox;
  notifications::NotificationService notifications;
  auth::AuthService auth;
  auth::OtpService otp;
  users::UsersService users;
  menu::Catalog catalog;
  menu::MenuService menu;
  menu::CategoryService categories;
  std::unique_ptr<integrations::ObjectStorage> storage;
  settings::SettingsService settings;
  store::GroupCommitter writer;     // placements: many orders per durable commit
  orders::Lifecycle lifecycle;      // the one way an order changes status
  printing::PrintService printing;  // the kitchen's print queue, fed by the lifecycle
  payments::PaymentService payments;
  orders::OrderService orders;
  orders::PromoService promos;
  live::LiveService live;
  delivery::PartnerService partners;
  delivery::DispatchService dispatch;
  cash::CashService cash;
  admin::OrdersDesk orders_desk;
  admin::CustomerDesk customers;
  analytics::AnalyticsService analytics;
  orders::Escalation escalation;  // orders waiting too long
};

namespace {

// Local-time arithmetic (opening hours, daily reports) uses the restaurant's zone. Our own
// timestamps are formatted from UTC explicitly, so nothing else depends on TZ.
const Config& with_restaurant_timezone(const Config& c) {
  setenv("TZ", c.restaurant_timezone.c_str(), 1);
  tzset();
  return c;
}

realtime::sio::Options socket_options(const Config& c) {
  realtime::sio::Options o;
  o.engine.ping_interval = c.socket_ping_interval;
  o.engine.ping_timeout = c.socket_ping_timeout;
  o.engine.max_payload = c.socket_max_payload;
  o.connect_timeout = c.socket_connect_timeout;
  return o;
}

}  // namespace

Application::Application(Config config, std::unique_ptr<integrations::EmailSender> email,
                         std::unique_ptr<realtime::Emitter> emitter)
    : config_(with_restaurant_timezone(std::move(config))),
      extra_emitter_(std::move(emitter)),
      // Message bodies (reset codes) reach the log only in development and test.
      email_(email ? std::move(email) : email_provider(config_, logs_message_bodies(config_))),
      sms_(sms_provider(config_, logs_message_bodies(config_))),
      push_(push_provider(config_)) {
  io_ = std::make_unique<http::IoPool>(static_cast<std::size_t>(io_threads()));
  make_redis_clients();
  realtime_ = std::make_unique<realtime::sio::Server>(socket_options(config_));
  emitter_.add(realtime_.get());
  if (extra_emitter_) emitter_.add(extra_emitter_.get());
  db_ = store::open_database(config_.database_url, config_.db_pool_size, config_.sqlite_synchronous,
                             config_.db_statement_timeout_ms);
  store::migrate(*db_);
  if (!config_.database_replica_url.empty()) {
    // Reports, exports and admin listings read there (Database::read_may_lag); nothing migrates it.
    db_->attach_replica(store::open_database(config_.database_replica_url, config_.db_pool_size,
                                             config_.sqlite_synchronous, config_.db_statement_timeout_ms));
  }
  context_ = std::make_unique<Context>(Context{config_, *db_, router_, clock::now_ms(), cpu_, files_, *limiter_,
                                               *cache_, bus_, *email_, emitter_, metrics_});
  services_ = std::make_unique<Services>(*context_, notifications::Providers{*email_, *sms_, *push_});
  // The one list of what the API contains.
  health::register_routes(router_, *db_, context_->started_at, [this]() -> std::optional<bool> {
    if (!redis_) return std::nullopt;  // no REDIS_URL: nothing to report
    return redis_->connected();
  });
  health::register_metrics_route(
      router_, config_, metrics_, [this]() -> boost::asio::awaitable<std::vector<Metrics::Gauge>> {
        auto backlog_of = [](store::Connection& c) { return notifications::backlog(c); };
        const auto backlog = co_await db_->read(backlog_of);
        const auto [in_use, size] = db_->pool_usage();
        std::vector<Metrics::Gauge> g;
        g.push_back({"tiptop_socketio_connections", "Socket.IO clients connected (Engine.IO sessions).",
                     static_cast<double>(realtime_->connections())});
        g.push_back({"tiptop_http_connections", "HTTP connections open.",
                     server_ ? static_cast<double>(server_->open_connections()) : 0.0});
        g.push_back({"tiptop_connections_refused_per_address_total",
                     "Connections refused (503, closed) because their address held MAX_CONNECTIONS_PER_ADDRESS.",
                     server_ ? static_cast<double>(server_->refused_per_address()) : 0.0, "counter"});
        g.push_back({"tiptop_db_pool_in_use", "Database connections leased out now.", static_cast<double>(in_use)});
        g.push_back({"tiptop_db_pool_size", "Database connections the pool may open.", static_cast<double>(size)});
        g.push_back({"tiptop_notification_outbox_backlog",
                     "Notification deliveries waiting to be sent (pending or in progress).",
                     static_cast<double>(backlog)});
        co_return g;
      });
  docs::register_routes(router_);
  auth::register_routes(router_, services_->auth, config_);
  auth::register_otp_routes(router_, services_->otp);
  users::register_routes(router_, services_->users);
  menu::register_routes(router_, services_->catalog, services_->menu, *cache_, metrics_);
  menu::register_category_routes(router_, services_->categories);
  media::register_routes(router_, *services_->storage, services_->catalog, services_->menu, cpu_, files_);
  settings::register_routes(router_, services_->settings);
  orders::register_routes(router_, services_->orders);
  payments::register_routes(router_, services_->payments, *limiter_);
  orders::register_promo_routes(router_, services_->promos);
  orders::register_counter_routes(router_, services_->orders);
  orders::register_guest_routes(router_, services_->orders);
  audit::register_routes(router_, *db_);
  if (config_.socket_conformance)
    conformance_ = std::make_unique<realtime::Conformance>(*realtime_, realtime_->options().engine);
  else {
    live::register_socket_routes(*realtime_, services_->auth, services_->live, services_->printing,
                                 static_cast<std::size_t>(config_.socket_max_per_user));
    session_sweep_ = live::expired_session_sweep(*realtime_);
  }
  live::register_routes(router_, services_->live);
  delivery::register_routes(router_, services_->partners, services_->dispatch, services_->live);
  cash::register_routes(router_, services_->cash);
  printing::register_routes(router_, services_->printing);
  admin::register_routes(router_, services_->orders_desk, services_->customers);
  analytics::register_routes(router_, services_->analytics);
  notifications::register_routes(router_, services_->notifications);
}

Application::~Application() {
  shutdown();
  cpu_.join();
  files_.join();
}

auth::AuthService& Application::auth() { return services_->auth; }
notifications::OutboxWorker& Application::outbox() { return services_->outbox; }
orders::Escalation& Application::escalation() { return services_->escalation; }

std::uint16_t Application::start(const std::string& address, http::ServerLimits limits) {
  pipeline_ = std::make_unique<http::Pipeline>(config_, router_, limiter_.get());
  pipeline_->set_authenticator(auth::make_authenticator(services_->auth));
  pipeline_->set_metrics(&metrics_);
  pipeline_->mount(realtime_->mount("/socket.io/"));
  pipeline_->exempt_from_rate_limit(payments::kWebhookPath);
  if (conformance_) pipeline_->mount(conformance_->engine_mount());
  web_ = std::make_unique<web::StaticSite>(config_.web_dir);
  web::install(*pipeline_, *web_);
  limits.max_per_address = static_cast<std::size_t>(config_.max_connections_per_address);
  limits.exempt_addresses = config_.trust_proxy;  // a proxy's connections carry many clients
  server_ = std::make_unique<http::Server>(*io_, *pipeline_, limits);
  if (redis_) link_redis();
  const auto port = server_->listen(address, static_cast<std::uint16_t>(config_.port));
  io_->start();
  if (!config_.socket_conformance) {
    services_->analytics.start();
    services_->escalation.start();
    services_->outbox.start();
    services_->payments.start();
    if (session_sweep_) session_sweep_->start();
  }
  running_ = true;
  log::info("listening", {{"port", port},
                          {"ioThreads", io_->size()},
                          {"database", db_->engine() == store::Engine::sqlite ? "sqlite" : "postgres"}});
  return port;
}

int Application::io_threads() const {
  return config_.io_threads > 0 ? config_.io_threads
                                : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

// Built with the application, so the services receive the shared cache and limiter; they connect
// in start(). Without REDIS_URL everything stays within this process.
void Application::make_redis_clients() {
  if (config_.redis_url.empty() || config_.socket_conformance) {
    limiter_ = std::make_unique<InProcessRateLimiter>();
    cache_ = std::make_unique<cache::NullCache>();
    return;
  }
  const auto settings = cache::parse_redis_url(config_.redis_url);
  node_id_ = crypto::random_hex(8);
  redis_ = std::make_unique<cache::RedisClient>(io_->first(), settings);
  redis_subscribe_ = std::make_unique<cache::RedisClient>(
      io_->first(), settings, std::vector<std::string>{realtime::kEventsChannel, cache::kInvalidationChannel},
      [this](const std::string& channel, const std::string& payload) {
        if (channel == cache::kInvalidationChannel)
          cache::deliver_invalidation(bus_, node_id_, payload);
        else
          realtime::deliver_published(*realtime_, node_id_, payload);
      });
  // Publications made while this node was not listening (before the first connection too: the
  // menu and settings were loaded before it) were lost to it: every subscriber reloads.
  redis_subscribe_->on_connect([this] { bus_.resync(); });
  // What this node published while its own connection was down was lost to the others, and
  // session tombstones it could not write are still to be written: resync everywhere.
  redis_->on_connect([this, first = true]() mutable {
    if (!first) bus_.resync_everywhere();
    first = false;
  });
  limiter_ = std::make_unique<cache::RedisRateLimiter>(*redis_);
  cache_ = std::make_unique<cache::RedisCache>(*redis_);
}

void Application::link_redis() {
  cache::link_bus_to_redis(bus_, *redis_, io_->first().get_executor(), node_id_,
                           [this] { return redis_subscribe_->connected(); });
  redis_publisher_ = std::make_unique<realtime::RedisPublisher>(*redis_, node_id_);
  emitter_.add(redis_publisher_.get());  // before the first request: the fan-out list is fixed from here on
  redis_->start();
  redis_subscribe_->start();
}

void Application::shutdown() {
  if (!running_) return;
  running_ = false;
  // Socket.IO clients are told first (close frames, the last long-poll answered); their
  // connections then end like any other.
  if (session_sweep_) session_sweep_->stop();
  realtime_->shutdown();
  if (conformance_) conformance_->shutdown();
  server_->begin_shutdown();
  const auto deadline = std::chrono::steady_clock::now() + config_.shutdown_grace;
  while (server_->open_connections() > 0 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  if (server_->open_connections() > 0)
    log::warn("grace period over, closing remaining connections", {{"open", server_->open_connections()}});
  // Finish blocking work first: its completions are posted back to the I/O contexts.
  services_->analytics.stop();
  services_->escalation.stop();
  services_->outbox.stop();    // a send in progress finishes and is recorded
  services_->payments.stop();  // likewise a refund being sent; gateway calls of requests have finished
  if (redis_) {
    redis_subscribe_->stop();
    redis_->stop();
    // Both stops are queued on the first context; this runs after them.
    std::promise<void> stopped;
    boost::asio::post(io_->first(), [&] { stopped.set_value(); });
    stopped.get_future().wait();
  }
  services_->writer.stop();
  cpu_.join();
  files_.join();
  db_->drain();
  io_->stop();
  log::info("stopped");
  log::flush();
}

int Application::run_until_signal() {
  std::promise<int> signalled;
  boost::asio::signal_set signals(io_->first(), SIGINT, SIGTERM);
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
