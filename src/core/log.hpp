#pragma once
// One JSON object per line on stdout, written by a background thread so a slow pipe never stalls
// an I/O thread. Fields whose names look secret are redacted before they are formatted.
#include <boost/json/object.hpp>
#include <string_view>

namespace tiptop::log {

enum class Level { trace, debug, info, warn, error, critical };

// async: a background thread writes (the server); otherwise lines are written in place (CLI
// commands, whose output must interleave correctly with stdout). Call before starting threads.
void init(std::string_view level, bool async = false);
void flush();
bool enabled(Level level);
void write(Level level, std::string_view message, boost::json::object fields = {});

inline void debug(std::string_view m, boost::json::object f = {}) { write(Level::debug, m, std::move(f)); }
inline void info(std::string_view m, boost::json::object f = {}) { write(Level::info, m, std::move(f)); }
inline void warn(std::string_view m, boost::json::object f = {}) { write(Level::warn, m, std::move(f)); }
inline void error(std::string_view m, boost::json::object f = {}) { write(Level::error, m, std::move(f)); }

}  // namespace tiptop::log
