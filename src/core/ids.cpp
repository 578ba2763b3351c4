#include "core/ids.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <chrono>
#include <cstdint>
#include <random>

namespace tiptop::ids {
namespace {

struct ProcessUnique {
  std::array<std::uint8_t, 5> random{};
  std::atomic<std::uint32_t> counter{0};
  ProcessUnique() {
    std::random_device rd;
    for (auto& b : random) b = static_cast<std::uint8_t>(rd());
    counter = rd() & 0xFFFFFFu;
  }
};

ProcessUnique& process_unique() {
  static ProcessUnique p;
  return p;
}

}  // namespace

std::string new_object_id() {
  static constexpr char kHex[] = "0123456789abcdef";
  auto& p = process_unique();
  const auto secs = static_cast<std::uint32_t>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  // fetch_add keeps ids unique across threads; the 24-bit counter wraps only after 16M ids a second.
  const std::uint32_t count = p.counter.fetch_add(1, std::memory_order_relaxed) & 0xFFFFFFu;
  std::array<std::uint8_t, 12> bytes{};
  for (int i = 0; i < 4; ++i) bytes[i] = static_cast<std::uint8_t>(secs >> (24 - 8 * i));
  for (int i = 0; i < 5; ++i) bytes[4 + i] = p.random[i];
  for (int i = 0; i < 3; ++i) bytes[9 + i] = static_cast<std::uint8_t>(count >> (16 - 8 * i));
  std::string out(24, '0');
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = kHex[bytes[i] >> 4];
    out[2 * i + 1] = kHex[bytes[i] & 0xF];
  }
  return out;
}

bool is_gateway_id(std::string_view s) noexcept {
  return !s.empty() && s.size() <= 64 &&
         std::all_of(s.begin(), s.end(), [](unsigned char ch) { return std::isalnum(ch) || ch == '_'; });
}

bool is_object_id(std::string_view s) noexcept {
  if (s.size() != 24) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) return false;
  return true;
}

}  // namespace tiptop::ids
