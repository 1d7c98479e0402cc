-- The outbox (issue 12): messages to send (e-mail, SMS), one row per
-- channel and recipient, written in the transaction of the event that
-- causes them; each attempt to send one; and the claims of scheduled jobs
-- (one row per job and slot: a daily digest's date, a reminder's id).
-- payload_sealed: JSON {"to","language","template","vars"} sealed with the
-- contact key. A message is claimed by setting lease_owner/lease_until (the
-- real clock); `starts` counts sends begun, `attempts` sends finished (since
-- the last replay): more starts than attempts means a send was interrupted.
CREATE TABLE outbox_messages (
  id              TEXT PRIMARY KEY,
  dedupe_key      TEXT NOT NULL UNIQUE,
  channel         TEXT NOT NULL CHECK (channel IN ('email','sms')),
  kind            TEXT NOT NULL,
  territory_code  TEXT NOT NULL,
  payload_sealed  BLOB NOT NULL,
  status          TEXT NOT NULL CHECK (status IN ('pending','sent','failed')),
  created_at      INTEGER NOT NULL,
  next_attempt_at INTEGER NOT NULL,
  attempts        INTEGER NOT NULL DEFAULT 0,
  starts          INTEGER NOT NULL DEFAULT 0,
  lease_owner     TEXT,
  lease_until     INTEGER NOT NULL DEFAULT 0,
  last_error      TEXT,
  sent_at         INTEGER
) STRICT;
CREATE INDEX outbox_messages_due ON outbox_messages (status, next_attempt_at);
CREATE INDEX outbox_messages_territory ON outbox_messages (territory_code, status, created_at);

CREATE TABLE outbox_attempts (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id TEXT NOT NULL REFERENCES outbox_messages (id) ON DELETE CASCADE,
  at         INTEGER NOT NULL,
  outcome    TEXT NOT NULL CHECK (outcome IN ('sent','retry','failed')),
  detail     TEXT NOT NULL
) STRICT;
CREATE INDEX outbox_attempts_message ON outbox_attempts (message_id, seq);

CREATE TABLE job_slots (
  job        TEXT NOT NULL,
  slot       TEXT NOT NULL,
  claimed_at INTEGER NOT NULL,
  PRIMARY KEY (job, slot)
) STRICT;
