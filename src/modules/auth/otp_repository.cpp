#include "modules/auth/otp_repository.hpp"

namespace tiptop::auth {

void put_otp(store::Connection& c, const std::string& destination, const std::string& purpose,
             const std::string& code_hash, clock::Millis expires_at, clock::Millis now) {
  c.execute("DELETE FROM otp_codes WHERE destination = ? AND purpose = ?", {destination, purpose});
  c.execute(
      "INSERT INTO otp_codes (destination, purpose, code_hash, attempts, expires_at, created_at) "
      "VALUES (?, ?, ?, 0, ?, ?)",
      {destination, purpose, code_hash, expires_at, now});
}

std::optional<OtpRecord> find_otp(store::Connection& c, const std::string& destination, const std::string& purpose) {
  auto rs = c.query(std::string("SELECT code_hash, attempts, expires_at FROM otp_codes WHERE destination = ? AND "
                                "purpose = ?") +
                        std::string(store::row_lock(c)),
                    {destination, purpose});
  if (rs.empty()) return std::nullopt;
  const auto& r = rs.rows[0];
  return OtpRecord{r.text("code_hash"), r.integer("attempts"), r.integer("expires_at")};
}

void count_otp_attempt(store::Connection& c, const std::string& destination, const std::string& purpose) {
  c.execute("UPDATE otp_codes SET attempts = attempts + 1 WHERE destination = ? AND purpose = ?",
            {destination, purpose});
}

void delete_otp(store::Connection& c, const std::string& destination, const std::string& purpose) {
  c.execute("DELETE FROM otp_codes WHERE destination = ? AND purpose = ?", {destination, purpose});
}

bool mark_verified(store::Connection& c, const std::string& user_id, bool phone, const std::string& value) {
  return c.execute(phone ? "UPDATE users SET is_phone_verified = ?, updated_at = ? WHERE id = ? AND phone = ?"
                         : "UPDATE users SET is_email_verified = ?, updated_at = ? WHERE id = ? AND lower(email) = "
                           "lower(?)",
                   {true, clock::now_ms(), user_id, value}) == 1;
}

}  // namespace tiptop::auth
