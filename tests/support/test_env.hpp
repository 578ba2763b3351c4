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
// Engines to run storage tests on. PostgreSQL is required when TIPTOP_REQUIRE_PG=1 (the test
// command sets it), so a missing server fails the run instead of silently skipping.
std::vector<EngineKind> engines_under_test();

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
