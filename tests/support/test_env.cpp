#include "support/test_env.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>

#include "core/ids.hpp"
#include "store/database.hpp"

namespace tiptop::testing {
namespace {

std::string env_or(const char* name, const char* fallback = "") {
  const char* v = std::getenv(name);
  return v ? v : fallback;
}

// Admin URL with the database part swapped: postgres://u@h:p/admin -> postgres://u@h:p/<name>
std::string with_database(const std::string& url, const std::string& name) {
  const auto scheme_end = url.find("://") + 3;
  const auto slash = url.find('/', scheme_end);
  const auto query = url.find('?', scheme_end);
  std::string base = slash == std::string::npos ? url.substr(0, query) : url.substr(0, slash);
  return base + "/" + name + (query == std::string::npos ? "" : url.substr(query));
}

}  // namespace

std::string engine_name(EngineKind e) { return e == EngineKind::sqlite ? "sqlite" : "postgres"; }

std::vector<EngineKind> engines_under_test() { return {EngineKind::sqlite, EngineKind::postgres}; }
bool pg_available() { return !env_or("TIPTOP_TEST_PG_URL").empty(); }
bool pg_required() { return env_or("TIPTOP_REQUIRE_PG") == "1"; }

int server_ctl(const char* env_var, const std::string& action) {
  const auto fmt = env_or(env_var);
  if (fmt.empty()) return -1;
  char cmd[1024];
  std::snprintf(cmd, sizeof cmd, fmt.c_str(), action.c_str());
  return std::system(cmd);
}

TestDatabase::TestDatabase(EngineKind engine) : engine_(engine) {
  if (engine == EngineKind::sqlite) {
    dir_ = (std::filesystem::temp_directory_path() / ("tiptop-test-" + ids::new_object_id())).string();
    std::filesystem::create_directories(dir_);
    url_ = "sqlite://" + dir_ + "/tiptop.db";
    return;
  }
  const auto admin = env_or("TIPTOP_TEST_PG_URL");
  pg_name_ = "tiptop_t_" + ids::new_object_id();
  auto db = store::open_database(admin, 1, "FULL");
  auto create = [&](store::Connection& c) { c.execute_script("CREATE DATABASE " + pg_name_); };
  db->read_sync(create);
  url_ = with_database(admin, pg_name_);
}

TestDatabase::~TestDatabase() {
  try {
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
    if (!pg_name_.empty()) {
      auto db = store::open_database(env_or("TIPTOP_TEST_PG_URL"), 1, "FULL");
      auto drop = [&](store::Connection& c) {
        c.execute_script("DROP DATABASE IF EXISTS " + pg_name_ + " WITH (FORCE)");
      };
      db->read_sync(drop);
    }
  } catch (...) {
  }
}

}  // namespace tiptop::testing
