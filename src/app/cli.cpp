#include "app/cli.hpp"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <iostream>

#include "agent/print_agent.hpp"
#include "app/application.hpp"
#include "core/log.hpp"
#include "http/schema.hpp"
#include "modules/auth/service.hpp"
#include "modules/menu/seed.hpp"
#include "store/migrations.hpp"

namespace tiptop::app {
namespace {

// A refused command line exits 2, whatever CLI11's own code for the error (it counts from 100):
// scripts and the tests tell a usage error from a failed command by it.
constexpr int kUsageError = 2;
constexpr int kConfigError = 78;  // EX_CONFIG

// text's words on lines of at most width columns, each indented by indent spaces.
std::string wrapped(std::string_view text, std::size_t indent, std::size_t width) {
  std::string out, line;
  for (std::size_t start = 0; start < text.size();) {
    auto end = text.find(' ', start);
    if (end == std::string_view::npos) end = text.size();
    const auto word = text.substr(start, end - start);
    if (!line.empty() && indent + line.size() + 1 + word.size() > width) {
      out += std::string(indent, ' ') + line + "\n";
      line.clear();
    }
    if (!line.empty() && !word.empty()) line += ' ';
    line += word;
    start = end + 1;
  }
  if (!line.empty()) out += std::string(indent, ' ') + line + "\n";
  return out;
}

// The configuration part of --help, printed from the table load_config itself reads by: it lists
// every variable, with the default the server really uses, and cannot go stale.
std::string configuration_help() {
  std::string out =
      "Configuration: environment variables; ./.env is read too, the environment wins. Unset or empty\n"
      "means the default. An invalid value stops start-up (exit 78) naming the variable.\n";
  for (const auto& v : config_variables()) {
    out += "  " + std::string(v.name) + (v.default_value.empty() ? "  (unset)" : "=" + std::string(v.default_value));
    out += "\n" + wrapped(v.meaning, 6, 100);
  }
  return out;
}

// The flags of create-admin and create-user. Both commands write the same struct: only one runs.
struct AccountFlags {
  auth::NewAccount account;
  bool password_stdin = false;
};

void add_account_flags(CLI::App& command, AccountFlags& f) {
  command.add_option("--email", f.account.email, "e-mail address (the login)")->required()->type_name("EMAIL");
  command.add_option("--phone", f.account.phone, "10 to 15 digits, optionally with +")->required()->type_name("PHONE");
  auto* password = command.add_option("--password", f.account.password, "the password (ps shows it to others)")
                       ->type_name("PASSWORD");
  command.add_flag("--password-stdin", f.password_stdin, "read the password from the first line of standard input")
      ->excludes(password);
  command.add_option("--first-name", f.account.first_name, "first name")->type_name("NAME");
  command.add_option("--last-name", f.account.last_name, "last name")->type_name("NAME");
}

int create_account(const Config& config, AccountFlags& f) {
  auto& a = f.account;
  if (f.password_stdin)
    std::getline(std::cin, a.password);  // keeps it out of `ps` and the shell history
  else if (a.password.empty())
    throw std::invalid_argument("--password or --password-stdin is required");
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

// A refused command line: the reason, then the help of the command it was for (short), or the
// top-level usage line (the full help, with every configuration variable, would bury the reason).
int refuse(const CLI::App& cli, const CLI::Formatter& formatter, const CLI::ParseError& e) {
  std::cerr << "tiptop: " << e.what() << "\n\n";
  if (const auto chosen = cli.get_subcommands(); !chosen.empty()) {
    std::cerr << chosen.front()->help(cli.get_name());
  } else {
    std::cerr << formatter.make_usage(&cli, cli.get_name()) << "Run 'tiptop --help' for the commands.\n";
  }
  return kUsageError;
}

}  // namespace

int run_cli(const std::vector<std::string>& args) {
  CLI::App cli("TipTop backend server; with no command it serves", "tiptop");
  // Set before the commands are added: they inherit the formatter, help flag, fallthrough and footer.
  const auto formatter = std::make_shared<CLI::Formatter>();
  formatter->label("SUBCOMMAND", "COMMAND");
  cli.formatter(formatter);
  cli.group("Commands");  // the heading the commands are listed under
  cli.set_help_flag("-h,--help", "show this help and exit");
  cli.set_version_flag("-v,--version", std::string("tiptop ") + TIPTOP_VERSION, "print the version and exit");
  cli.require_subcommand(0, 1);
  cli.fallthrough();  // `tiptop migrate --version` still prints the version
  cli.footer("'tiptop --help' lists the configuration (environment variables).");

  cli.add_subcommand("serve", "migrate the database, then serve HTTP on $PORT (the default command)");
  cli.add_subcommand("migrate", "apply pending database migrations and exit");
  cli.add_subcommand("seed", "add the demo menu if the menu is empty, then exit");
  cli.add_subcommand("check-db",
                     "check the database (SQLite's integrity and foreign keys; migrations on both engines); "
                     "exit 1 when something is wrong");
  agent::AgentOptions agent_options;
  auto* agent =
      cli.add_subcommand("print-agent", "drive a kitchen printer: claim its print jobs from the server and print them");
  agent->add_option("--server", agent_options.server, "the API's address, http(s)://host[:port]")
      ->required()
      ->type_name("URL");
  agent->add_option("--token", agent_options.token, "the printer's token (or $PRINTER_TOKEN, kept out of ps)")
      ->envname("PRINTER_TOKEN")
      ->required()
      ->type_name("TOKEN");
  agent->add_option("--device", agent_options.device, "a printer device (/dev/usb/lp0), a file, or tcp://host:9100")
      ->required()
      ->type_name("PATH");
  long poll_ms = 3000;
  agent->add_option("--poll-ms", poll_ms, "how often to ask for jobs while the socket is down")
      ->check(CLI::Range(200, 600'000))
      ->type_name("MS");
  AccountFlags flags;
  auto* admin = cli.add_subcommand("create-admin", "create an administrator (no default admin account ever exists)");
  add_account_flags(*admin, flags);
  auto* user = cli.add_subcommand("create-user", "create a customer, delivery partner or administrator");
  user->add_option("--role", flags.account.role, "the account's role")
      ->required()
      ->type_name("ROLE")
      ->check(CLI::IsMember({"customer", "delivery", "admin", "staff"}));
  add_account_flags(*user, flags);
  user->add_option("--vehicle-type", flags.account.vehicle_type, "delivery partners: bike, scooter...")
      ->type_name("TYPE");
  user->add_option("--vehicle-number", flags.account.vehicle_number, "delivery partners: the registration number")
      ->type_name("NUMBER");
  cli.footer(configuration_help());  // the top level's own: the commands keep the short pointer above

  try {
    std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 consumes them from the back
    cli.parse(reversed);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == static_cast<int>(CLI::ExitCodes::Success)) return cli.exit(e);  // --help, --version
    return refuse(cli, *formatter, e);
  }
  const auto chosen = cli.get_subcommands();
  const std::string command = chosen.empty() ? "serve" : chosen.front()->get_name();
  if (command == "create-admin") flags.account.role = "admin";
  if (command == "print-agent") {
    // The agent runs beside a printer, not the server: none of the server's configuration applies.
    log::init(std::getenv("LOG_LEVEL") ? std::getenv("LOG_LEVEL") : "info");
    agent_options.poll = std::chrono::milliseconds(poll_ms);
    return agent::run_print_agent(agent_options);
  }

  Config config;
  try {
    config = load_config(process_environment());
  } catch (const ConfigError& e) {
    std::cerr << "tiptop: configuration error: " << e.what() << "\n";
    return kConfigError;
  }
  log::init(config.log_level, /*async=*/command == "serve");
  if (config.jwt_secret_generated)
    log::warn("JWT_SECRET is not set: using a random secret for this process (development only)");

  try {
    if (command == "create-admin" || command == "create-user") return create_account(config, flags);
    if (command == "serve") {
      Application app(config);
      return app.run_until_signal();
    }
    // Checking must not create: a SQLite path that names no file is reported, not made empty.
    if (command == "check-db" && config.database_url.rfind("sqlite://", 0) == 0 &&
        !std::filesystem::exists(config.database_url.substr(9))) {
      std::cout << "no database at " << config.database_url.substr(9) << "\n";
      return 1;
    }
    auto db = store::open_database(config.database_url, 1, config.sqlite_synchronous);
    if (command == "check-db") {
      const auto problems = store::integrity_problems(*db);
      for (const auto& p : problems) std::cout << p << "\n";
      if (problems.empty()) std::cout << "database ok\n";
      return problems.empty() ? 0 : 1;
    }
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
    return kUsageError;
  } catch (const std::invalid_argument& e) {
    std::cerr << "tiptop: " << e.what() << "\n";
    return kUsageError;
  } catch (const std::exception& e) {
    log::error("fatal", {{"command", command}, {"error", e.what()}});
    log::flush();
    std::cerr << "tiptop: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace tiptop::app
