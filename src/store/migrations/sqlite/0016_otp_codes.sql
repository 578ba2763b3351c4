-- One-time codes sent to a phone or an e-mail address (issue 21): 6 digits, kept only as a keyed
-- hash, one live code per destination and purpose, 5 tries, 10 minutes.
CREATE TABLE otp_codes (
  destination TEXT NOT NULL,  -- 'phone:9800000002' or 'email:asha@example.com'
  purpose     TEXT NOT NULL CHECK (purpose IN ('verify-phone', 'verify-email', 'guest-checkout')),
  code_hash   TEXT NOT NULL,
  attempts    INTEGER NOT NULL DEFAULT 0,
  expires_at  INTEGER NOT NULL,
  created_at  INTEGER NOT NULL,
  PRIMARY KEY (destination, purpose)
);
