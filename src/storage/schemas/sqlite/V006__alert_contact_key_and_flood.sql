-- One open request per contact per territory: a keyed hash of the
-- normalised phone / e-mail (never the plaintext), and a flag set on
-- requests accepted while a territory received more than its flood
-- threshold (reported to the coordinator; never refused).
ALTER TABLE alerts ADD COLUMN contact_key TEXT;
ALTER TABLE alerts ADD COLUMN suspected_flood INTEGER NOT NULL DEFAULT 0;
CREATE INDEX alerts_contact_key ON alerts (territory_code, contact_key) WHERE contact_key IS NOT NULL;
