#pragma once
// SQL for one-time codes (auth/otp.cpp).
#include <optional>
#include <string>

#include "core/clock.hpp"
#include "store/database.hpp"

namespace tiptop::auth {

struct OtpRecord {
  std::string code_hash;
  std::int64_t attempts = 0;
  clock::Millis expires_at = 0;
};

// A new code replaces any earlier one for the same destination and purpose.
void put_otp(store::Connection& c, const std::string& destination, const std::string& purpose,
             const std::string& code_hash, clock::Millis expires_at, clock::Millis now);
// Locked (PostgreSQL) for the verify's decision.
std::optional<OtpRecord> find_otp(store::Connection& c, const std::string& destination, const std::string& purpose);
void count_otp_attempt(store::Connection& c, const std::string& destination, const std::string& purpose);
void delete_otp(store::Connection& c, const std::string& destination, const std::string& purpose);
// Marks the signed-in user's phone or e-mail verified, if it is still the one the code went to.
bool mark_verified(store::Connection& c, const std::string& user_id, bool phone, const std::string& value);

}  // namespace tiptop::auth
