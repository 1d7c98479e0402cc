-- The alert circuit (issue 11): who reported the alert, its qualification,
-- assignment and outcome, an optimistic version, and the append-only log of
-- what happened to it.
ALTER TABLE alerts ADD COLUMN source TEXT NOT NULL DEFAULT 'parent'
  CHECK (source IN ('parent','professional','third_party'));
ALTER TABLE alerts ADD COLUMN level TEXT;
ALTER TABLE alerts ADD COLUMN assigned_user_id TEXT;
ALTER TABLE alerts ADD COLUMN emitter_user_id TEXT;
-- Third-party reports: the reporter's identity and relation, sealed.
ALTER TABLE alerts ADD COLUMN reporter_sealed BYTEA;
ALTER TABLE alerts ADD COLUMN closed_outcome TEXT;
ALTER TABLE alerts ADD COLUMN resource_id TEXT;
ALTER TABLE alerts ADD COLUMN consultation_id TEXT;
ALTER TABLE alerts ADD COLUMN version BIGINT NOT NULL DEFAULT 0;
CREATE INDEX alerts_open_deadline ON alerts (deadline_at) WHERE status <> 'closed';
CREATE INDEX alerts_emitter ON alerts (emitter_user_id, created_at) WHERE emitter_user_id IS NOT NULL;

-- One row per event, never updated. seq is the cursor readers follow
-- ("events after N"). A sequence alone could commit out of order (a reader
-- would skip a lower seq committed later), so seq comes from a counter row
-- updated in the writing transaction: writers of events queue on its row
-- lock, and seq order is commit order.
-- escalation_key ("<alert id>/<deadline>/<level>") makes one escalation
-- per alert per deadline per level, whichever instance records it.
CREATE TABLE alert_event_counter (id INTEGER PRIMARY KEY CHECK (id = 1), last_seq BIGINT NOT NULL);
INSERT INTO alert_event_counter VALUES (1, 0);
CREATE TABLE alert_events (
  seq            BIGINT PRIMARY KEY,
  id             TEXT NOT NULL UNIQUE,
  alert_id       TEXT NOT NULL REFERENCES alerts(id),
  territory_code TEXT NOT NULL,
  at             BIGINT NOT NULL,
  actor          TEXT NOT NULL,
  type           TEXT NOT NULL CHECK (type IN ('created','qualify','assign','attempt','close','reopen','escalated')),
  status_after   TEXT NOT NULL,
  fields         TEXT NOT NULL,
  note_sealed    BYTEA,
  escalation_key TEXT UNIQUE
);
CREATE INDEX alert_events_alert ON alert_events (alert_id, seq);
