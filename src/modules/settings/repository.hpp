#pragma once
// SQL for the restaurant's settings: one JSON document, in row 1 of restaurant_settings.
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "store/database.hpp"

namespace tiptop::settings {

// nullopt until settings were first saved. for_update: the row stays locked until the
// transaction ends (PostgreSQL), for a read, merge and write.
std::optional<std::string> find_document(store::Connection& c, bool for_update = false);
// Writes the document, creating row 1 the first time.
void save_document(store::Connection& c, const std::string& document, const std::string& admin_id, clock::Millis at);

}  // namespace tiptop::settings
