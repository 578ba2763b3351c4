-- Users, addresses, sessions with rotating refresh tokens, password resets (spec §2 Users, §8).
CREATE TABLE users (
  id                TEXT PRIMARY KEY CHECK (length(id) = 24),
  role              TEXT NOT NULL CHECK (role IN ('customer', 'delivery', 'admin')),
  email             TEXT NOT NULL UNIQUE,
  phone             TEXT NOT NULL UNIQUE,
  password_hash     TEXT NOT NULL,
  first_name        TEXT NOT NULL DEFAULT '',
  last_name         TEXT NOT NULL DEFAULT '',
  avatar            TEXT,
  date_of_birth     TEXT,
  loyalty_points    INTEGER NOT NULL DEFAULT 0,
  total_orders      INTEGER NOT NULL DEFAULT 0,
  total_spent_paise INTEGER NOT NULL DEFAULT 0,
  vehicle_type      TEXT,
  vehicle_number    TEXT,
  vehicle_document  TEXT,
  availability      INTEGER NOT NULL DEFAULT 0,
  location_lng      REAL,
  location_lat      REAL,
  rating            REAL NOT NULL DEFAULT 0,
  total_deliveries  INTEGER NOT NULL DEFAULT 0,
  is_active         INTEGER NOT NULL DEFAULT 1,
  is_email_verified INTEGER NOT NULL DEFAULT 0,
  is_phone_verified INTEGER NOT NULL DEFAULT 0,
  created_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL,
  last_login        INTEGER
);
CREATE INDEX users_role ON users (role);

CREATE TABLE addresses (
  id         TEXT PRIMARY KEY CHECK (length(id) = 24),
  user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  type       TEXT NOT NULL CHECK (type IN ('home', 'work', 'other')),
  street     TEXT NOT NULL,
  city       TEXT NOT NULL,
  state      TEXT NOT NULL DEFAULT '',
  zip_code   TEXT NOT NULL DEFAULT '',
  lng        REAL,
  lat        REAL,
  is_default INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE INDEX addresses_user ON addresses (user_id);
-- At most one default per user; the service keeps it exactly one whenever any address exists.
CREATE UNIQUE INDEX addresses_one_default ON addresses (user_id) WHERE is_default = 1;

CREATE TABLE sessions (
  id           TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at   INTEGER NOT NULL,
  last_used_at INTEGER NOT NULL,
  expires_at   INTEGER NOT NULL,
  revoked_at   INTEGER,
  ip           TEXT NOT NULL DEFAULT '',
  user_agent   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

-- Refresh tokens are stored only as SHA-256 hashes; used_at marks a rotated token.
CREATE TABLE refresh_tokens (
  token_hash TEXT PRIMARY KEY,
  session_id TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER
);
CREATE INDEX refresh_tokens_session ON refresh_tokens (session_id);

CREATE TABLE password_resets (
  token_hash TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  used_at    INTEGER
);
CREATE INDEX password_resets_user ON password_resets (user_id);
