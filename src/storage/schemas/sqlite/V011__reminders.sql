-- Parents' reminders to screen again (issue 12), opted into on the result
-- page: one per screening. due_at is the send time (the due date moved
-- into a decent local window). contact_sealed is JSON {"email","phone"}
-- sealed with the contact key, set to NULL once the reminder is sent or
-- cancelled. optout_hash: keyed hash of the token of the opt-out link.
CREATE TABLE reminders (
  id             TEXT PRIMARY KEY,
  screening_id   TEXT NOT NULL UNIQUE REFERENCES screenings (id),
  territory_code TEXT NOT NULL,
  created_at     INTEGER NOT NULL,
  due_at         INTEGER NOT NULL,
  channels       TEXT NOT NULL CHECK (channels IN ('email','sms','email,sms')),
  contact_sealed BLOB,
  language       TEXT NOT NULL,
  status         TEXT NOT NULL CHECK (status IN ('scheduled','sent','cancelled')),
  optout_hash    TEXT NOT NULL UNIQUE,
  sent_at        INTEGER,
  cancelled_at   INTEGER
) STRICT;
CREATE INDEX reminders_due ON reminders (status, due_at);
