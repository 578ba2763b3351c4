#include "core/money.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace tiptop::money {

boost::json::value to_json(Paise paise) {
  if (paise % 100 == 0) return static_cast<std::int64_t>(paise / 100);
  return static_cast<double>(paise) / 100.0;
}

std::string format_rupees(Paise paise) {
  char buf[32];
  const char* sign = paise < 0 ? "-" : "";
  const auto abs = paise < 0 ? -paise : paise;
  std::snprintf(buf, sizeof buf, "%s%lld.%02lld", sign, static_cast<long long>(abs / 100),
                static_cast<long long>(abs % 100));
  return buf;
}

std::optional<Paise> from_json(const boost::json::value& v) {
  constexpr Paise kMaxPaise = 100'000'000'000'000;  // ₹1e12: far above any order, far below int64
  if (v.is_int64()) {
    const auto r = v.get_int64();
    if (r < 0 || r > kMaxPaise / 100) return std::nullopt;
    return r * 100;
  }
  if (v.is_uint64()) return std::nullopt;  // only reachable beyond int64, so out of range
  if (!v.is_double()) return std::nullopt;
  const double rupees = v.get_double();
  if (!std::isfinite(rupees) || rupees < 0 || rupees > static_cast<double>(kMaxPaise / 100)) return std::nullopt;
  const double scaled = rupees * 100.0;
  const double rounded = std::round(scaled);
  // 19.99 * 100 is 1998.9999999999998 in binary: tolerate representation error, not a third decimal.
  if (std::fabs(scaled - rounded) > 1e-6 * std::max(1.0, std::fabs(scaled))) return std::nullopt;
  return static_cast<Paise>(rounded);
}

}  // namespace tiptop::money
