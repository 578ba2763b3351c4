#pragma once
// The libFuzzer entry points every target in tests/fuzz defines. Built with clang-14 and
// -fsanitize=fuzzer they are fuzzers (scripts/fuzz.sh); built with g++ and replay_main.cpp they
// replay the kept corpora and every crash found in CTest, so CI guards them without clang.
#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace tiptop::fuzz {

inline std::string_view text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace tiptop::fuzz
