#pragma once
// Test databases on both engines: a fresh SQLite file in a temp dir, and a fresh database on the
// PostgreSQL server that the test command starts (TIPTOP_TEST_PG_URL). Nothing is mocked.
#include <memory>
#include <string>
#include <vector>

#include "core/config.hpp"

namespace tiptop::testing {

enum class EngineKind { sqlite, postgres };
std::string engine_name(EngineKind e);
// Both engines, always: test names must not depend on the environment CTest discovered them in.
std::vector<EngineKind> engines_under_test();
// Call first in a PostgreSQL test: skips when no server is configured, or fails when
// TIPTOP_REQUIRE_PG=1 (the test command sets it), so a missing server never passes silently.
#define TIPTOP_REQUIRE_ENGINE(engine)                                                                        \
  do {                                                                                                       \
    if ((engine) == ::tiptop::testing::EngineKind::postgres && !::tiptop::testing::pg_available()) {         \
      if (::tiptop::testing::pg_required()) FAIL() << "TIPTOP_REQUIRE_PG=1 but TIPTOP_TEST_PG_URL is unset"; \
      GTEST_SKIP() << "no PostgreSQL configured (TIPTOP_TEST_PG_URL)";                                       \
    }                                                                                                        \
  } while (0)
bool pg_available();
bool pg_required();

// Stops or starts a server the test command runs: `env_var` holds a printf format whose %s takes
// the action ("stop", "start"), e.g. TIPTOP_TEST_PG_CTL. Returns the command's exit code (-1
// when the variable is unset).
int server_ctl(const char* env_var, const std::string& action);

// A throwaway database; dropped/removed on destruction.
class TestDatabase {
 public:
  explicit TestDatabase(EngineKind engine);
  ~TestDatabase();
  const std::string& url() const { return url_; }
  EngineKind engine() const { return engine_; }

 private:
  EngineKind engine_;
  std::string url_;
  std::string dir_;      // sqlite
  std::string pg_name_;  // postgres
};

}  // namespace tiptop::testing
