#pragma once
// GET /admin/analytics/export: every order of a period as CSV (RFC 4180), streamed in batches read
// by keyset from the database, so a year of orders never sits in memory at once.
#include <memory>
#include <string>

#include "core/clock.hpp"
#include "http/response.hpp"
#include "store/database.hpp"

namespace tiptop::analytics {

// One CSV field: quoted when it holds a comma, quote, CR or LF (quotes doubled); text that a
// spreadsheet would run as a formula (=, +, -, @, tab, CR first) gets a leading apostrophe.
std::string csv_field(std::string_view text);
std::string csv_number(std::string_view text);  // numbers and dates: quoted only if needed, never defused

// Orders placed in [from, to), oldest first, header line included.
std::shared_ptr<http::BodyStream> order_export(store::Database& db, clock::Millis from, clock::Millis to);

}  // namespace tiptop::analytics
