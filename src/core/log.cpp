#include "core/log.hpp"

#include <spdlog/async.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <mutex>

#include "core/clock.hpp"
#include "core/json.hpp"

namespace tiptop::log {
namespace {

std::shared_ptr<spdlog::logger> make_logger(bool async) {
  std::shared_ptr<spdlog::logger> logger;
  if (async) {
    // overrun_oldest: under a log storm we drop old lines rather than block request threads.
    spdlog::init_thread_pool(16384, 1);
    logger = spdlog::create_async_nb<spdlog::sinks::stdout_sink_mt>("tiptop");
    spdlog::flush_every(std::chrono::seconds(1));
  } else {
    logger = std::make_shared<spdlog::logger>("tiptop-sync", std::make_shared<spdlog::sinks::stdout_sink_mt>());
  }
  logger->set_pattern("%v");
  logger->flush_on(spdlog::level::warn);
  return logger;
}

// Synchronous until init() says otherwise: one-shot commands want their lines in order with stdout.
std::shared_ptr<spdlog::logger>& current() {
  static std::shared_ptr<spdlog::logger> l = make_logger(false);
  return l;
}

spdlog::logger& logger() { return *current(); }

spdlog::level::level_enum to_spdlog(Level l) {
  switch (l) {
    case Level::trace:
      return spdlog::level::trace;
    case Level::debug:
      return spdlog::level::debug;
    case Level::info:
      return spdlog::level::info;
    case Level::warn:
      return spdlog::level::warn;
    case Level::error:
      return spdlog::level::err;
    case Level::critical:
      return spdlog::level::critical;
  }
  return spdlog::level::info;
}

bool looks_secret(std::string_view key) {
  static constexpr std::array<std::string_view, 6> kSecret = {"password",      "token",  "secret",
                                                              "authorization", "cookie", "otp"};
  std::string lower(key);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return std::any_of(kSecret.begin(), kSecret.end(),
                     [&](std::string_view s) { return lower.find(s) != std::string::npos; });
}

void redact(boost::json::object& o) {
  for (auto& kv : o) {
    if (looks_secret(kv.key()))
      kv.value() = "[REDACTED]";
    else if (kv.value().is_object())
      redact(kv.value().get_object());
  }
}

const char* level_name(Level l) {
  static constexpr const char* kNames[] = {"trace", "debug", "info", "warn", "error", "critical"};
  return kNames[static_cast<int>(l)];
}

}  // namespace

void init(std::string_view level, bool async) {
  static bool async_made = false;
  if (async && !async_made) {
    current() = make_logger(true);
    async_made = true;
  }
  logger().set_level(spdlog::level::from_str(std::string(level == "warn" ? "warning" : level)));
}

void flush() { logger().flush(); }

bool enabled(Level level) { return logger().should_log(to_spdlog(level)); }

void write(Level level, std::string_view message, boost::json::object fields) {
  if (!enabled(level)) return;
  redact(fields);
  boost::json::object line;
  line.reserve(fields.size() + 3);
  line["time"] = clock::to_iso8601(clock::now_ms());
  line["level"] = level_name(level);
  line["msg"] = message;
  for (auto& kv : fields) line[kv.key()] = std::move(kv.value());
  logger().log(to_spdlog(level), "{}", json::serialize(line));
}

}  // namespace tiptop::log
