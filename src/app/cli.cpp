#include "app/cli.hpp"

#include <iostream>
#include <map>

#include "app/application.hpp"
#include "core/log.hpp"
#include "http/schema.hpp"
#include "modules/auth/service.hpp"
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
  create-admin --email E --phone P (--password W | --password-stdin) [--first-name F] [--last-name L]
             create an administrator (no default admin account ever exists)
  create-user --role customer|delivery|admin --email E --phone P (--password W | --password-stdin)
             [--first-name F] [--last-name L] [--vehicle-type T] [--vehicle-number N]

Options:
  -h, --help     show this help
  -v, --version  print the version

Configuration comes from the environment and ./.env: PORT (5000), NODE_ENV, LOG_LEVEL,
DATABASE_URL (sqlite://./data/tiptop.db or postgres://user:pass@host:5432/db), JWT_SECRET
(required unless NODE_ENV=development), JWT_EXPIRE, REFRESH_TOKEN_EXPIRE, CLIENT_URL,
RATE_LIMIT_WINDOW_MS, RATE_LIMIT_MAX, AUTH_RATE_LIMIT_MAX, SQLITE_SYNCHRONOUS, IO_THREADS,
DB_POOL_SIZE, SHUTDOWN_GRACE_SECONDS, SOCKET_PING_INTERVAL_MS, SOCKET_PING_TIMEOUT_MS,
SOCKET_MAX_PAYLOAD, SOCKET_CONNECT_TIMEOUT_MS, SOCKET_CONFORMANCE.
)";

using Flags = std::map<std::string, std::string>;

// "--email a@b.c --password-stdin" -> {email: a@b.c, password-stdin: ""}
Flags parse_flags(const std::vector<std::string>& args, std::size_t from) {
  Flags flags;
  for (std::size_t i = from; i < args.size(); ++i) {
    if (!args[i].starts_with("--")) throw std::invalid_argument("unexpected argument '" + args[i] + "'");
    const auto name = args[i].substr(2);
    if (name == "password-stdin") {
      flags[name] = "";
    } else {
      if (i + 1 >= args.size()) throw std::invalid_argument("--" + name + " needs a value");
      flags[name] = args[++i];
    }
  }
  return flags;
}

int create_account(const Config& config, const std::string& role, const Flags& flags) {
  auto get = [&](const char* name) {
    auto it = flags.find(name);
    return it == flags.end() ? std::string() : it->second;
  };
  auth::NewAccount a;
  a.role = role;
  a.email = get("email");
  a.phone = get("phone");
  a.first_name = get("first-name");
  a.last_name = get("last-name");
  a.vehicle_type = get("vehicle-type");
  a.vehicle_number = get("vehicle-number");
  a.password = get("password");
  if (flags.contains("password-stdin")) std::getline(std::cin, a.password);  // keeps it out of `ps`
  if (role != "customer" && role != "delivery" && role != "admin")
    throw std::invalid_argument("--role must be customer, delivery or admin");
  if (!http::is_valid_email(a.email)) throw std::invalid_argument("--email must be a valid e-mail address");
  if (!http::is_valid_phone(a.phone)) throw std::invalid_argument("--phone must be 10-15 digits, optionally with +");

  auto db = store::open_database(config.database_url, 1, config.sqlite_synchronous);
  store::migrate(*db);
  boost::asio::thread_pool cpu(1);
  realtime::NullEmitter nobody;
  notifications::Notifier notifier(nobody);  // creating an account notifies nobody
  InProcessRateLimiter limiter;
  cache::NullCache no_cache;
  cache::InvalidationBus bus;  // not linked: a new account invalidates nothing
  auth::AuthService service(config, *db, cpu, notifier, limiter, no_cache, bus);
  const auto user = service.create_account_sync(a);
  std::cout << "created " << user.role << " " << user.email << " (" << user.id << ")\n";
  return 0;
}

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
  const bool creates = command == "create-admin" || command == "create-user";
  if (command != "serve" && command != "migrate" && command != "seed" && !creates) {
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
    if (creates) {
      auto flags = parse_flags(args, 1);
      std::string role = "admin";
      if (command == "create-user") {
        role = flags.contains("role") ? flags["role"] : "";
        flags.erase("role");
      }
      return create_account(config, role, flags);
    }
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
  } catch (const ValidationError& e) {
    std::cerr << "tiptop: " << e.what();
    for (const auto& d : e.details()) std::cerr << ": " << d.field << " " << d.message;
    std::cerr << "\n";
    return 2;
  } catch (const std::invalid_argument& e) {
    std::cerr << "tiptop: " << e.what() << "\n";
    return 2;
  } catch (const std::exception& e) {
    log::error("fatal", {{"command", command}, {"error", e.what()}});
    log::flush();
    std::cerr << "tiptop: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace tiptop::app
