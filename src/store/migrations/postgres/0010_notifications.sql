-- Notifications (spec §2 Notifications) and the transactional outbox that delivers them by push,
-- SMS and e-mail. A notification and its outbox rows are written in the transaction of the event
-- that causes them; a worker sends the rows afterwards, so a crash loses nothing.
CREATE TABLE notifications (
  id               CHAR(24) PRIMARY KEY,
  recipient_id     CHAR(24) NOT NULL REFERENCES users (id),
  type             TEXT NOT NULL,
  title            TEXT NOT NULL,
  message          TEXT NOT NULL,
  data             TEXT NOT NULL DEFAULT '{}',
  priority         TEXT NOT NULL CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
  in_app           BOOLEAN NOT NULL DEFAULT TRUE, -- 0: sent by the channels only (not listed)
  push_status      TEXT CHECK (push_status IN ('pending', 'sent', 'failed')),   -- NULL: channel not used
  sms_status       TEXT CHECK (sms_status IN ('pending', 'sent', 'failed')),
  email_status     TEXT CHECK (email_status IN ('pending', 'sent', 'failed')),
  is_read          BOOLEAN NOT NULL DEFAULT FALSE,
  read_at          BIGINT,
  related_order_id CHAR(24),
  expires_at       BIGINT,
  created_at       BIGINT NOT NULL
);
CREATE INDEX notifications_recipient ON notifications (recipient_id, is_read, created_at DESC);
CREATE INDEX notifications_expiry ON notifications (expires_at) WHERE expires_at IS NOT NULL;

-- One row per notification and channel. state: pending (due at next_attempt_at), sending (claimed
-- until lease_until by a worker), sent, failed (gave up). The payload holds what is sent.
CREATE TABLE notification_outbox (
  id              BIGSERIAL PRIMARY KEY,
  notification_id CHAR(24) NOT NULL,  -- no foreign key: deleting a notification from the inbox does not cancel its sending
  channel         TEXT NOT NULL CHECK (channel IN ('push', 'sms', 'email')),
  recipient_id    CHAR(24) NOT NULL,
  address         TEXT NOT NULL DEFAULT '',     -- e-mail address or phone; push reads devices at send time
  payload         TEXT NOT NULL,
  state           TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'failed')),
  attempts        BIGINT NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  lease_until     BIGINT,
  claim_token     TEXT,
  last_error      TEXT,
  provider_id     TEXT,
  created_at      BIGINT NOT NULL,
  finished_at     BIGINT
);
CREATE INDEX notification_outbox_due ON notification_outbox (next_attempt_at) WHERE state = 'pending';
CREATE INDEX notification_outbox_leased ON notification_outbox (lease_until) WHERE state = 'sending';
CREATE INDEX notification_outbox_notification ON notification_outbox (notification_id);
CREATE INDEX notification_outbox_finished ON notification_outbox (finished_at) WHERE finished_at IS NOT NULL;

-- Push registrations (FCM tokens). A token belongs to the device's current user.
CREATE TABLE device_tokens (
  token        TEXT PRIMARY KEY,
  user_id      CHAR(24) NOT NULL REFERENCES users (id),
  platform     TEXT NOT NULL CHECK (platform IN ('android', 'ios', 'web')),
  created_at   BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL
);
CREATE INDEX device_tokens_user ON device_tokens (user_id, last_seen_at DESC);

-- Which promotional messages a user accepts, per channel (JSON); transactional ones always go.
ALTER TABLE users ADD COLUMN notification_prefs TEXT;
