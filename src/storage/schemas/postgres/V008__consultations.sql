-- Screenings made in consultation by a professional (issue 13): the
-- screening row stays in `screenings` (same ids, same columns as a
-- self-screening); this table adds what the consultation knows, keyed by
-- the screening id, so indicators count EPP/EPNP screenings and follow-up
-- records link screenings by their id. vulnerability: factor codes
-- (data/pathway/vulnerability.json), comma-separated, '' for none.
CREATE TABLE consultations (
  screening_id    TEXT PRIMARY KEY REFERENCES screenings (id),
  created_at      BIGINT NOT NULL,
  context         TEXT NOT NULL
                  CHECK (context IN ('epp','epnp','referent_midwife','paediatric','gp','other')),
  professional_id TEXT NOT NULL REFERENCES users (id),
  territory_code  TEXT NOT NULL,
  vulnerability   TEXT NOT NULL
);
CREATE INDEX consultations_territory_created ON consultations (territory_code, created_at);
CREATE INDEX consultations_professional ON consultations (professional_id, created_at);
