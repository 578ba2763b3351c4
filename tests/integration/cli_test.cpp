// The tiptop executable itself: flags, subcommands, configuration errors and SIGTERM.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>

#include "core/config.hpp"
#include "core/ids.hpp"
#include "modules/menu/seed.hpp"
#include "store/migrations.hpp"
#include "support/http_client.hpp"

using namespace std::chrono_literals;

namespace {

struct Run {
  int exit_code;
  std::string output;
};

// Runs the binary through the shell with extra environment assignments; captures stdout+stderr.
Run run(const std::string& env, const std::string& args) {
  const std::string cmd = "cd /tmp && env -i PATH=/usr/bin:/bin " + env + " " + TIPTOP_BINARY + " " + args + " 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf;
  while (auto n = fread(buf.data(), 1, buf.size(), p)) out.append(buf.data(), n);
  const int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

std::string temp_sqlite() {
  auto dir = std::filesystem::temp_directory_path() / ("tiptop-cli-" + tiptop::ids::new_object_id());
  return "sqlite://" + (dir / "t.db").string();
}

}  // namespace

TEST(Cli, VersionAndHelp) {
  auto v = run("", "--version");
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_EQ(v.output, std::string("tiptop ") + TIPTOP_VERSION + "\n");
  auto h = run("", "--help");
  EXPECT_EQ(h.exit_code, 0);
  for (auto word : {"serve", "migrate", "seed", "DATABASE_URL"}) EXPECT_NE(h.output.find(word), std::string::npos);
  EXPECT_EQ(run("", "frobnicate").exit_code, 2);
  EXPECT_EQ(run("", "migrate --version").output, std::string("tiptop ") + TIPTOP_VERSION + "\n");
}

// The help is printed from the table load_config reads by: every variable, with its default.
TEST(Cli, HelpListsEveryConfigurationVariableWithItsDefault) {
  const auto h = run("", "--help");
  ASSERT_EQ(h.exit_code, 0);
  ASSERT_GT(tiptop::config_variables().size(), 50u);
  for (const auto& v : tiptop::config_variables()) {
    const std::string name(v.name), line = v.default_value.empty() ? name : name + "=" + std::string(v.default_value);
    EXPECT_NE(h.output.find("  " + line + (v.default_value.empty() ? " " : "\n")), std::string::npos) << line;
  }
}

TEST(Cli, UnknownFlagsAndMissingValuesAreRefusedWithUsage) {
  const auto env = "DATABASE_URL=" + temp_sqlite();
  auto unknown = run(env, "create-admin --email u@tiptop.in --phone 9800000001 --password kitchen-boss-2024 --bogus x");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.output.find("--bogus"), std::string::npos) << unknown.output;
  EXPECT_NE(unknown.output.find("Usage: tiptop create-admin"), std::string::npos) << unknown.output;
  EXPECT_EQ(unknown.output.find("created"), std::string::npos);
  auto missing = run(env, "create-user --role delivery --phone 9800000002 --password kitchen-boss-2024 --email");
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.output.find("--email"), std::string::npos) << missing.output;
  EXPECT_NE(missing.output.find("Usage: tiptop create-user"), std::string::npos) << missing.output;
  auto top = run(env, "--frobnicate");
  EXPECT_EQ(top.exit_code, 2);
  EXPECT_NE(top.output.find("Usage: tiptop"), std::string::npos) << top.output;
  EXPECT_EQ(run(env, "migrate --frobnicate").exit_code, 2);
  EXPECT_EQ(run(env, "migrate seed").exit_code, 2);
  EXPECT_EQ(run(env, "create-admin --phone 9800000003 --password kitchen-boss-2024").exit_code, 2);  // no --email
  EXPECT_EQ(run(env, "create-admin --email p@tiptop.in --phone 9800000003").exit_code, 2);           // no password
  EXPECT_EQ(run(env,
                "create-admin --email p@tiptop.in --phone 9800000003 --password kitchen-boss-2024 "
                "--password-stdin < /dev/null")
                .exit_code,
            2);  // two passwords
}

TEST(Cli, InvalidConfigurationStopsStartupNamingTheVariable) {
  auto port = run("PORT=99999", "migrate");
  EXPECT_EQ(port.exit_code, 78);
  EXPECT_NE(port.output.find("PORT"), std::string::npos);
  auto secret = run("NODE_ENV=production DATABASE_URL=" + temp_sqlite(), "migrate");
  EXPECT_EQ(secret.exit_code, 78);
  EXPECT_NE(secret.output.find("JWT_SECRET"), std::string::npos);
  auto url = run("DATABASE_URL=mysql://x", "migrate");
  EXPECT_EQ(url.exit_code, 78);
  EXPECT_NE(url.output.find("DATABASE_URL"), std::string::npos);
}

TEST(Cli, MigrateThenSeedIsIdempotent) {
  const auto env = "DATABASE_URL=" + temp_sqlite();
  auto m1 = run(env, "migrate");
  EXPECT_EQ(m1.exit_code, 0) << m1.output;
  EXPECT_NE(m1.output.find("migrations applied: " +
                           std::to_string(tiptop::store::embedded_migrations(tiptop::store::Engine::sqlite).size())),
            std::string::npos)
      << m1.output;
  EXPECT_NE(run(env, "migrate").output.find("migrations applied: 0"), std::string::npos);
  EXPECT_NE(run(env, "seed").output.find("demo menu items added: " + std::to_string(tiptop::menu::demo_menu().size())),
            std::string::npos);
  EXPECT_NE(run(env, "seed").output.find("demo menu items added: 0"), std::string::npos);
}

TEST(Cli, CheckDbReportsAMissingFileWithoutCreatingItAndPassesAMigratedOne) {
  const auto url = temp_sqlite();
  const auto env = "DATABASE_URL=" + url;
  auto missing = run(env, "check-db");
  EXPECT_EQ(missing.exit_code, 1) << missing.output;
  EXPECT_NE(missing.output.find("no database at"), std::string::npos) << missing.output;
  EXPECT_FALSE(std::filesystem::exists(url.substr(9)));
  ASSERT_EQ(run(env, "migrate").exit_code, 0);
  auto sound = run(env, "check-db");
  EXPECT_EQ(sound.exit_code, 0) << sound.output;
  EXPECT_NE(sound.output.find("database ok"), std::string::npos) << sound.output;
}

TEST(Cli, SigtermStopsGracefullyWithExitZero) {
  // A port the kernel says is free now (one derived from the pid could belong to anything).
  const int port = [] {
    const int fd = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof a;
    bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
    getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
    close(fd);
    return static_cast<int>(ntohs(a.sin_port));
  }();
  const std::string url = temp_sqlite();
  const pid_t pid = fork();
  if (pid == 0) {
    const std::string port_env = "PORT=" + std::to_string(port), db_env = "DATABASE_URL=" + url;
    char* envp[] = {const_cast<char*>(port_env.c_str()), const_cast<char*>(db_env.c_str()),
                    const_cast<char*>("LOG_LEVEL=warn"), nullptr};
    char* argv[] = {const_cast<char*>(TIPTOP_BINARY), const_cast<char*>("serve"), nullptr};
    execve(TIPTOP_BINARY, argv, envp);
    _exit(127);
  }
  bool up = false;
  for (int i = 0; i < 300 && !up; ++i) {  // up to 30 s: a sanitizer build on a busy machine starts slowly
    try {
      up = tiptop::testing::HttpClient(static_cast<std::uint16_t>(port)).get("/health").status == 200;
    } catch (...) {
      std::this_thread::sleep_for(100ms);
    }
  }
  ASSERT_TRUE(up);
  const auto start = std::chrono::steady_clock::now();
  kill(pid, SIGTERM);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, 5s);
}

TEST(Cli, CreateAdminAndDeliveryPartner) {
  const auto env = "DATABASE_URL=" + temp_sqlite();
  auto admin = run(
      env, "create-admin --email boss@tiptop.in --phone +919800000001 --password kitchen-boss-2024 --first-name Meera");
  EXPECT_EQ(admin.exit_code, 0) << admin.output;
  EXPECT_NE(admin.output.find("created admin boss@tiptop.in"), std::string::npos);
  EXPECT_EQ(admin.output.find("kitchen-boss-2024"), std::string::npos);  // the password is never echoed or logged
  auto again = run(env, "create-admin --email boss@tiptop.in --phone +919800000009 --password kitchen-boss-2024");
  EXPECT_NE(again.exit_code, 0);
  EXPECT_NE(again.output.find("email already exists"), std::string::npos) << again.output;
  const auto secret_file = std::filesystem::temp_directory_path() / ("tiptop-pw-" + tiptop::ids::new_object_id());
  std::ofstream(secret_file) << "rider-pass-2024!\n";
  auto partner = run(env,
                     "create-user --role delivery --email rider@tiptop.in --phone 9800000002 --password-stdin "
                     "--vehicle-number KA01AB1234 < " +
                         secret_file.string());
  std::filesystem::remove(secret_file);
  EXPECT_EQ(partner.exit_code, 0) << partner.output;
  EXPECT_NE(partner.output.find("created delivery rider@tiptop.in"), std::string::npos);
  EXPECT_EQ(
      run(env, "create-user --role chef --email c@tiptop.in --phone 9800000003 --password kitchen-boss-2024").exit_code,
      2);
  auto weak = run(env, "create-admin --email w@tiptop.in --phone 9800000004 --password password1");
  EXPECT_EQ(weak.exit_code, 2);
  EXPECT_NE(weak.output.find("too common"), std::string::npos);
  EXPECT_EQ(run(env, "create-admin --email nope --phone 9800000005 --password kitchen-boss-2024").exit_code, 2);
}
