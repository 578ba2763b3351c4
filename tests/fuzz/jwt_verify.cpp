// Access-token verification with the server's own secret: any bytes as a bearer token. A token
// either verifies (and then carries claims) or is refused with AuthenticationError; nothing else.
#include "core/errors.hpp"
#include "fuzz_target.hpp"
#include "modules/auth/jwt.hpp"

namespace {
constexpr std::string_view kSecret = "fuzz-secret-0123456789abcdef-0123456789abcdef";
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto token = tiptop::fuzz::text(data, size);
  try {
    const auto claims = tiptop::auth::verify_access_token(token, kSecret, 1'700'000'000);
    // Only a token signed with kSecret can get here: the corpus holds a few, so the claims path runs.
    (void)tiptop::auth::sign_access_token(claims, kSecret);
  } catch (const tiptop::AuthenticationError&) {
  }
  return 0;
}
