-- Users, addresses, sessions with rotating refresh tokens, password resets (spec §2 Users, §8).
CREATE TABLE users (
  id                CHAR(24) PRIMARY KEY,
  role              TEXT NOT NULL CHECK (role IN ('customer', 'delivery', 'admin')),
  email             TEXT NOT NULL UNIQUE,
  phone             TEXT NOT NULL UNIQUE,
  password_hash     TEXT NOT NULL,
  first_name        TEXT NOT NULL DEFAULT '',
  last_name         TEXT NOT NULL DEFAULT '',
  avatar            TEXT,
  date_of_birth     TEXT,
  loyalty_points    BIGINT NOT NULL DEFAULT 0,
  total_orders      BIGINT NOT NULL DEFAULT 0,
  total_spent_paise BIGINT NOT NULL DEFAULT 0,
  vehicle_type      TEXT,
  vehicle_number    TEXT,
  vehicle_document  TEXT,
  availability      BOOLEAN NOT NULL DEFAULT FALSE,
  location_lng      DOUBLE PRECISION,
  location_lat      DOUBLE PRECISION,
  rating            DOUBLE PRECISION NOT NULL DEFAULT 0,
  total_deliveries  BIGINT NOT NULL DEFAULT 0,
  is_active         BOOLEAN NOT NULL DEFAULT TRUE,
  is_email_verified BOOLEAN NOT NULL DEFAULT FALSE,
  is_phone_verified BOOLEAN NOT NULL DEFAULT FALSE,
  created_at        BIGINT NOT NULL,
  updated_at        BIGINT NOT NULL,
  last_login        BIGINT
);
CREATE INDEX users_role ON users (role);

CREATE TABLE addresses (
  id         CHAR(24) PRIMARY KEY,
  user_id    CHAR(24) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  type       TEXT NOT NULL CHECK (type IN ('home', 'work', 'other')),
  street     TEXT NOT NULL,
  city       TEXT NOT NULL,
  state      TEXT NOT NULL DEFAULT '',
  zip_code   TEXT NOT NULL DEFAULT '',
  lng        DOUBLE PRECISION,
  lat        DOUBLE PRECISION,
  is_default BOOLEAN NOT NULL DEFAULT FALSE,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX addresses_user ON addresses (user_id);
CREATE UNIQUE INDEX addresses_one_default ON addresses (user_id) WHERE is_default;

CREATE TABLE sessions (
  id           TEXT PRIMARY KEY,
  user_id      CHAR(24) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at   BIGINT NOT NULL,
  last_used_at BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL,
  revoked_at   BIGINT,
  ip           TEXT NOT NULL DEFAULT '',
  user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at    BIGINT
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

CREATE TABLE password_resets (
  token_hash TEXT PRIMARY KEY,
  user_id    CHAR(24) NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at    BIGINT
);
CREATE INDEX password_resets_user ON password_resets (user_id);
