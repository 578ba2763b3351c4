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

}  // namespace tiptop::clock
