#pragma once
#include <memory>
#include <string>

#include "store/database.hpp"

namespace tiptop::store {

// path: a file (its directory is created) — WAL, foreign keys on, busy_timeout 5 s,
// writes in BEGIN IMMEDIATE so two writers queue instead of failing at COMMIT.
std::unique_ptr<Database> open_sqlite(const std::string& path, int pool_size, const std::string& synchronous);

}  // namespace tiptop::store
