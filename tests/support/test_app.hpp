#pragma once
// The real server, in-process on an ephemeral loopback port, over a throwaway database.
#include <functional>
#include <memory>

#include "app/application.hpp"
#include "integrations/email.hpp"
#include "support/doubles.hpp"
#include "support/test_env.hpp"

namespace tiptop::testing {

class TestApp {
 public:
  struct Options {
    std::function<void(app::Context&)> extra_routes;  // test-only routes, added before start
    http::ServerLimits limits;
    Environment env;                                // overrides on top of test_config
    std::function<void(store::Database&)> prepare;  // runs on the migrated database before start (seed…)
  };
  explicit TestApp(EngineKind engine, Options options = {});
  ~TestApp();

  std::uint16_t port() const { return port_; }
  app::Application& app() { return *app_; }
  const std::string& database_url() const { return db_.url(); }
  const std::string& upload_dir() const { return upload_dir_; }
  // Every e-mail the server sent (reset codes…), captured in memory.
  const MemoryEmailSender& emails() const { return *emails_; }
  // The e-mails once at least `count` have gone out (the outbox worker sends them after the
  // request's commit); fails the test after `timeout`.
  std::vector<integrations::Email> wait_for_emails(std::size_t count,
                                                   std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
  // Every domain event the server emitted (order created, status changed…).
  const RecordingEmitter& events() const { return *events_; }

 private:
  TestDatabase db_;
  std::string upload_dir_;
  MemoryEmailSender* emails_ = nullptr;
  RecordingEmitter* events_ = nullptr;
  std::unique_ptr<app::Application> app_;
  std::uint16_t port_ = 0;
};

}  // namespace tiptop::testing
