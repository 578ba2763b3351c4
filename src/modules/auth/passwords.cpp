#include "modules/auth/passwords.hpp"

#include <crypt.h>
#include <sodium.h>

#include <algorithm>
#include <array>
#include <memory>
#include <stdexcept>

#include "core/crypto.hpp"

namespace tiptop::auth {

// Sorted, lower-case; generated at build time (cmake/common_passwords.py).
extern const std::string_view kCommonPasswords[];
extern const std::size_t kCommonPasswordCount;

namespace {

constexpr unsigned long long kOpsLimit = 2;
constexpr std::size_t kMemLimit = 19u * 1024u * 1024u;  // OWASP's Argon2id minimum

std::size_t utf8_chars(std::string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](unsigned char c) { return (c & 0xC0) != 0x80; }));
}

bool is_bcrypt(std::string_view h) {
  return h.size() == 60 && (h.starts_with("$2a$") || h.starts_with("$2b$") || h.starts_with("$2y$"));
}

}  // namespace

bool is_common_password(std::string_view password) {
  std::string lower(password);
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return std::binary_search(kCommonPasswords, kCommonPasswords + kCommonPasswordCount, std::string_view(lower));
}

std::optional<std::string> password_problem(std::string_view password) {
  const auto n = utf8_chars(password);
  if (n < kMinPasswordChars) return "must be at least 8 characters";
  if (n > kMaxPasswordChars) return "must be at most 128 characters";
  if (is_common_password(password)) return "is too common: it appears in lists of breached passwords";
  return std::nullopt;
}

std::string hash_password(std::string_view password) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), kOpsLimit, kMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("password hashing ran out of memory");
  return out;
}

bool verify_password(std::string_view password, std::string_view stored) {
  if (stored.starts_with("$argon2id$")) {
    const std::string hash(stored);  // libsodium wants a NUL-terminated string
    return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
  }
  if (is_bcrypt(stored)) {
    // bcrypt reads only the first 72 bytes; that weakness ends at the re-hash after this login.
    auto data = std::make_unique<crypt_data>();
    const std::string phrase(password), setting(stored);
    const char* result = crypt_rn(phrase.c_str(), setting.c_str(), data.get(), sizeof(crypt_data));
    return result && crypto::constant_time_equal(result, stored);
  }
  return false;
}

bool needs_rehash(std::string_view stored) {
  if (!stored.starts_with("$argon2id$")) return true;
  const std::string hash(stored);
  return crypto_pwhash_str_needs_rehash(hash.c_str(), kOpsLimit, kMemLimit) != 0;
}

}  // namespace tiptop::auth
