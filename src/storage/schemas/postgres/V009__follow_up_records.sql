-- Follow-up records (issue 13, part B): a pseudonymous record of one parent
-- kept by the professionals it is shared with, the screenings it links,
-- sealed notes, the other parent's link (with that parent's consent), share
-- codes a parent gives a professional, per-account attempt counters, and
-- referrals with their timestamped, attributed transitions.
CREATE TABLE follow_up_records (
  id                      TEXT PRIMARY KEY,
  territory_code          TEXT NOT NULL,
  created_by              TEXT NOT NULL REFERENCES users (id),
  created_at              BIGINT NOT NULL,
  updated_at              BIGINT NOT NULL,
  respondent              TEXT NOT NULL,
  identity_sealed         BYTEA NOT NULL,
  other_parent_of         TEXT REFERENCES follow_up_records (id),
  other_parent_consent_at BIGINT,
  other_parent_consent_by TEXT
);
CREATE INDEX follow_up_records_territory ON follow_up_records (territory_code, id);
CREATE INDEX follow_up_records_other_parent ON follow_up_records (other_parent_of);

-- The professionals a record is shared with (its creator first).
CREATE TABLE follow_up_members (
  record_id TEXT NOT NULL REFERENCES follow_up_records (id),
  user_id   TEXT NOT NULL REFERENCES users (id),
  added_by  TEXT NOT NULL,
  added_at  BIGINT NOT NULL,
  PRIMARY KEY (record_id, user_id)
);
CREATE INDEX follow_up_members_user ON follow_up_members (user_id, record_id);

CREATE TABLE follow_up_screenings (
  record_id    TEXT NOT NULL REFERENCES follow_up_records (id),
  screening_id TEXT NOT NULL REFERENCES screenings (id),
  attached_by  TEXT NOT NULL,
  attached_at  BIGINT NOT NULL,
  via          TEXT NOT NULL,
  PRIMARY KEY (record_id, screening_id)
);
CREATE INDEX follow_up_screenings_screening ON follow_up_screenings (screening_id);

CREATE TABLE follow_up_notes (
  id          TEXT PRIMARY KEY,
  record_id   TEXT NOT NULL REFERENCES follow_up_records (id),
  author_id   TEXT NOT NULL,
  created_at  BIGINT NOT NULL,
  text_sealed BYTEA NOT NULL
);
CREATE INDEX follow_up_notes_record ON follow_up_notes (record_id, id);

-- Kept by a hash of the code; single use (used_at set once).
CREATE TABLE share_codes (
  code_hash    TEXT PRIMARY KEY,
  screening_id TEXT NOT NULL REFERENCES screenings (id),
  created_at   BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL,
  used_at      BIGINT,
  used_by      TEXT,
  record_id    TEXT
);
CREATE INDEX share_codes_screening ON share_codes (screening_id);

-- Fixed-window counters shared by every server process (e.g. share-code
-- attempts per account).
CREATE TABLE attempt_counters (
  key          TEXT PRIMARY KEY,
  window_start BIGINT NOT NULL,
  count        BIGINT NOT NULL
);

CREATE TABLE referrals (
  id                 TEXT PRIMARY KEY,
  territory_code     TEXT NOT NULL,
  referrer_id        TEXT NOT NULL REFERENCES users (id),
  record_id          TEXT REFERENCES follow_up_records (id),
  screening_id       TEXT REFERENCES screenings (id),
  target_kind        TEXT NOT NULL,
  resource_id        TEXT,
  team_user_id       TEXT REFERENCES users (id),
  joint_care         TEXT NOT NULL,
  status             TEXT NOT NULL,
  decline_reason     TEXT,
  first_appointment  TEXT,
  outcome            TEXT,
  created_at         BIGINT NOT NULL,
  updated_at         BIGINT NOT NULL
);
CREATE INDEX referrals_referrer ON referrals (referrer_id, id);
CREATE INDEX referrals_team ON referrals (team_user_id, id);
CREATE INDEX referrals_record ON referrals (record_id);

CREATE TABLE referral_events (
  id          BIGSERIAL PRIMARY KEY,
  referral_id TEXT NOT NULL REFERENCES referrals (id),
  at          BIGINT NOT NULL,
  actor       TEXT NOT NULL,
  event       TEXT NOT NULL,
  from_status TEXT NOT NULL,
  to_status   TEXT NOT NULL,
  detail      TEXT NOT NULL
);
CREATE INDEX referral_events_referral ON referral_events (referral_id, id);
