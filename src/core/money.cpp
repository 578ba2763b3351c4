#include "core/money.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string_view>

#include "core/errors.hpp"

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
  // Decide on the number's shortest decimal form (what the client wrote: 19.99 stays "19.99" even
  // though the double is 19.989999…), so a third decimal is refused at any magnitude.
  char buf[64];
  const auto end = std::to_chars(buf, buf + sizeof buf, rupees).ptr;
  const std::string_view text(buf, static_cast<std::size_t>(end - buf));
  if (text.find('e') != std::string_view::npos) return rupees == 0 ? std::optional<Paise>(0) : std::nullopt;
  const auto dot = text.find('.');
  const auto whole = text.substr(0, dot);
  const auto frac = dot == std::string_view::npos ? std::string_view{} : text.substr(dot + 1);
  if (frac.size() > 2) return std::nullopt;
  Paise paise = 0;
  std::from_chars(whole.data(), whole.data() + whole.size(), paise);
  paise *= 100;
  if (!frac.empty()) paise += (frac[0] - '0') * 10 + (frac.size() > 1 ? frac[1] - '0' : 0);
  return paise;
}

Paise require(const boost::json::value& v, const std::string& field) {
  auto p = from_json(v);
  if (!p)
    throw ValidationError("Validation failed", {{field, "must be an amount in rupees with at most two decimals"}});
  return *p;
}

}  // namespace tiptop::money
