-- Settings of the installation (e.g. the fingerprint of the contact-data key,
-- never the key itself).
CREATE TABLE settings (
  name  TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

-- A screening raises at most one recontact alert.
CREATE UNIQUE INDEX alerts_one_per_screening ON alerts (screening_id) WHERE screening_id IS NOT NULL;
