#pragma once
// Small crypto helpers over libsodium (randomness, constant-time compare) and OpenSSL (SHA-256,
// HMAC-SHA256), so no primitive is written by hand.
#include <string>
#include <string_view>

namespace tiptop::crypto {

// n cryptographically random bytes as base64url (no padding): tokens, session ids.
std::string random_token(std::size_t bytes = 32);
std::string random_hex(std::size_t bytes = 16);
std::string to_hex(std::string_view raw);  // lower case
std::string sha256_hex(std::string_view data);
std::string hmac_sha256(std::string_view key, std::string_view data);  // raw 32 bytes
bool constant_time_equal(std::string_view a, std::string_view b);
std::string base64url_encode(std::string_view data);
// Strict: only the base64url alphabet, no padding; false on anything else.
bool base64url_decode(std::string_view text, std::string& out);
// Standard alphabet with padding (Engine.IO's binary packets over long-polling).
std::string base64_encode(std::string_view data);
bool base64_decode(std::string_view text, std::string& out);

}  // namespace tiptop::crypto
