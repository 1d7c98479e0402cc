-- Screenings: pseudonymous health data, no name or contact.
CREATE TABLE screenings (
  id                TEXT PRIMARY KEY,
  created_at        INTEGER NOT NULL,
  instrument        TEXT NOT NULL,
  language          TEXT NOT NULL,
  respondent        TEXT NOT NULL CHECK (respondent IN ('mother','father','coparent')),
  period            TEXT NOT NULL CHECK (period IN ('prenatal','postnatal')),
  child_age_weeks   INTEGER,
  postcode          TEXT,
  commune_code      TEXT,
  territory_code    TEXT,
  source            TEXT NOT NULL,
  answers           TEXT NOT NULL,
  score             INTEGER NOT NULL CHECK (score BETWEEN 0 AND 30),
  band              TEXT NOT NULL,
  item10_positive   INTEGER NOT NULL CHECK (item10_positive IN (0,1)),
  threshold_set_id  TEXT NOT NULL,
  threshold_version INTEGER NOT NULL,
  level             TEXT NOT NULL
) STRICT;
CREATE INDEX screenings_territory_created ON screenings (territory_code, created_at);

-- Alerts: stored with territory and deadline from the moment they are raised.
CREATE TABLE alerts (
  id             TEXT PRIMARY KEY,
  reference      TEXT NOT NULL UNIQUE,
  created_at     INTEGER NOT NULL,
  kind           TEXT NOT NULL,
  screening_id   TEXT REFERENCES screenings(id),
  territory_code TEXT NOT NULL,
  urgency        TEXT NOT NULL CHECK (urgency IN ('immediate','24h','72h','7d')),
  deadline_at    INTEGER NOT NULL,
  status         TEXT NOT NULL,
  crisis         INTEGER NOT NULL CHECK (crisis IN (0,1)),
  contact_sealed BLOB,
  updated_at     INTEGER NOT NULL
) STRICT;
CREATE INDEX alerts_territory_deadline ON alerts (territory_code, deadline_at);

-- Audit log: append-only record of every read or change of personal data.
CREATE TABLE audit_log (
  id             INTEGER PRIMARY KEY AUTOINCREMENT,
  at             INTEGER NOT NULL,
  actor          TEXT NOT NULL,
  action         TEXT NOT NULL,
  subject_type   TEXT NOT NULL,
  subject_id     TEXT NOT NULL,
  territory_code TEXT NOT NULL,
  detail         TEXT NOT NULL
) STRICT;
CREATE INDEX audit_subject ON audit_log (subject_type, subject_id);
