#include "app/cli.hpp"

#include <iostream>

#include "app/application.hpp"
#include "core/log.hpp"
#include "modules/menu/seed.hpp"
#include "store/migrations.hpp"

namespace tiptop::app {
namespace {

constexpr const char* kUsage = R"(TipTop backend server

Usage: tiptop [command] [options]

Commands:
  serve      migrate the database, then serve HTTP on $PORT (default command)
  migrate    apply pending database migrations and exit
  seed       add the demo menu if the menu is empty, then exit

Options:
  -h, --help     show this help
  -v, --version  print the version

Configuration comes from the environment and ./.env: PORT (5000), NODE_ENV, LOG_LEVEL,
DATABASE_URL (sqlite://./data/tiptop.db or postgres://user:pass@host:5432/db), JWT_SECRET
(required unless NODE_ENV=development), JWT_EXPIRE, REFRESH_TOKEN_EXPIRE, CLIENT_URL,
RATE_LIMIT_WINDOW_MS, RATE_LIMIT_MAX, AUTH_RATE_LIMIT_MAX, SQLITE_SYNCHRONOUS, IO_THREADS,
DB_POOL_SIZE, SHUTDOWN_GRACE_SECONDS.
)";

}  // namespace

int run_cli(const std::vector<std::string>& args) {
  std::string command = "serve";
  for (const auto& a : args) {
    if (a == "-h" || a == "--help") {
      std::cout << kUsage;
      return 0;
    }
    if (a == "-v" || a == "--version") {
      std::cout << "tiptop " << TIPTOP_VERSION << "\n";
      return 0;
    }
  }
  if (!args.empty()) command = args[0];
  if (command != "serve" && command != "migrate" && command != "seed") {
    std::cerr << "tiptop: unknown command '" << command << "'\n\n" << kUsage;
    return 2;
  }

  Config config;
  try {
    config = load_config(process_environment());
  } catch (const ConfigError& e) {
    std::cerr << "tiptop: configuration error: " << e.what() << "\n";
    return 78;  // EX_CONFIG
  }
  log::init(config.log_level, /*async=*/command == "serve");
  if (config.jwt_secret_generated)
    log::warn("JWT_SECRET is not set: using a random secret for this process (development only)");

  try {
    if (command == "serve") {
      Application app(config);
      return app.run_until_signal();
    }
    auto db = store::open_database(config.database_url, 1, config.sqlite_synchronous);
    const int applied = store::migrate(*db);
    if (command == "migrate") {
      std::cout << "migrations applied: " << applied << "\n";
    } else {
      std::cout << "demo menu items added: " << menu::seed_demo_menu(*db) << "\n";
    }
    log::flush();
    return 0;
  } catch (const std::exception& e) {
    log::error("fatal", {{"command", command}, {"error", e.what()}});
    log::flush();
    std::cerr << "tiptop: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace tiptop::app
