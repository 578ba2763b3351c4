#include "support/test_app.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <thread>

#include "core/ids.hpp"
#include "core/log.hpp"
#include "store/migrations.hpp"

namespace tiptop::testing {

TestApp::TestApp(EngineKind engine, Options options)
    : db_(engine),
      upload_dir_((std::filesystem::temp_directory_path() / ("tiptop-uploads-" + ids::new_object_id())).string()) {
  Environment env{{"NODE_ENV", "test"},
                  {"JWT_SECRET", "test-secret-that-is-long-enough-0123456789"},
                  {"DATABASE_URL", db_.url()},
                  {"PORT", "0"},
                  {"LOG_LEVEL", "warn"},
                  {"CLIENT_URL", "http://localhost:3000,https://admin.tiptop.test"},
                  {"IO_THREADS", "2"},
                  {"RATE_LIMIT_MAX", "100000"},
                  {"UPLOAD_DIR", upload_dir_},
                  {"WEB_DIR", "none"},  // no web apps unless a test brings its own (never the work tree's build)
                  // Suites place many orders as one customer; the flood-control tests turn these on.
                  {"ORDER_PLACEMENTS_PER_MINUTE", "0"},
                  {"MAX_OPEN_ORDERS_PER_CUSTOMER", "0"},
                  {"SOCKET_HANDSHAKES_PER_MINUTE", "0"}};
  for (auto& [k, v] : options.env) env[k] = v;
  auto config = load_config(env);
  log::init(config.log_level);
  if (options.prepare) {
    auto db = store::open_database(config.database_url, 1, "FULL");
    store::migrate(*db);
    options.prepare(*db);
  }
  auto emails = std::make_unique<MemoryEmailSender>();
  emails_ = emails.get();
  auto events = std::make_unique<RecordingEmitter>();
  events_ = events.get();
  app_ = std::make_unique<app::Application>(config, std::move(emails), std::move(events));
  if (options.extra_routes) options.extra_routes(app_->context());
  port_ = app_->start("127.0.0.1", options.limits);
}

std::vector<integrations::Email> TestApp::wait_for_emails(std::size_t count, std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  auto sent = emails_->sent();
  while (sent.size() < count && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    sent = emails_->sent();
  }
  EXPECT_GE(sent.size(), count) << "the outbox did not send the e-mail in time";
  return sent;
}

TestApp::~TestApp() {
  app_.reset();
  std::error_code ec;
  std::filesystem::remove_all(upload_dir_, ec);
}

}  // namespace tiptop::testing
