#pragma once
// UTC instants as milliseconds since the epoch inside; ISO-8601 with 'Z' at the JSON edge.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tiptop::clock {

using Millis = std::int64_t;

Millis now_ms();
// 1733394600000 -> "2024-12-05T10:30:00.000Z"
std::string to_iso8601(Millis ms);
// Seconds since the epoch shifted into local time (the process TZ, set to RESTAURANT_TIMEZONE at
// start-up), so day and minute arithmetic gives the restaurant's wall clock.
std::int64_t local_seconds(Millis utc);
// Accepts "2024-12-05T10:30:00Z", with optional fraction, and "+05:30"-style offsets.
std::optional<Millis> from_iso8601(std::string_view text);
// The restaurant's calendar date of an instant, "YYYY-MM-DD" (see local_seconds).
std::string local_date(Millis utc);
// A report's bound: an ISO-8601 instant as is, or a YYYY-MM-DD day of the restaurant's calendar —
// its local midnight, or for an end bound the next midnight (so "to=2024-12-05" includes that day).
std::optional<Millis> range_bound(std::string_view text, bool end);
// A wall-clock time of day as minutes after midnight: "09:05" <-> 545 (nothing for anything else).
std::optional<int> parse_hhmm(std::string_view text);
std::string format_hhmm(int minutes);

}  // namespace tiptop::clock
