#pragma once
// Password policy and hashing. New hashes are Argon2id (libsodium, 19 MiB, 2 passes); bcrypt
// hashes from the Node deployment still verify (libxcrypt) and are replaced on the next login.
// Hashing is slow on purpose: call these on a worker pool, never on an I/O thread.
#include <optional>
#include <string>
#include <string_view>

namespace tiptop::auth {

constexpr std::size_t kMinPasswordChars = 8;
constexpr std::size_t kMaxPasswordChars = 128;

// Why the password is not acceptable, or nullopt when it is.
std::optional<std::string> password_problem(std::string_view password);
bool is_common_password(std::string_view password);

std::string hash_password(std::string_view password);
bool verify_password(std::string_view password, std::string_view stored_hash);
// True for bcrypt and for Argon2id hashes made with weaker parameters than today's.
bool needs_rehash(std::string_view stored_hash);

}  // namespace tiptop::auth
