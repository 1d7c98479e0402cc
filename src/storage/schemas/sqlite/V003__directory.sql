-- Directory: communes, resources (professionals and structures), their
-- history, sub-territories. Resources are never deleted: deactivated.

CREATE TABLE communes (
  insee_code      TEXT PRIMARY KEY,
  name            TEXT NOT NULL,
  name_key        TEXT NOT NULL,  -- FoldPlaceName(name): accent/case-insensitive search
  department_code TEXT NOT NULL,
  region_code     TEXT NOT NULL,
  latitude        REAL,
  longitude       REAL,
  population      INTEGER,
  CHECK ((latitude IS NULL) = (longitude IS NULL))
) STRICT;
CREATE INDEX communes_name_key ON communes (name_key);
CREATE INDEX communes_department ON communes (department_code);

CREATE TABLE commune_postcodes (
  postcode   TEXT NOT NULL,
  insee_code TEXT NOT NULL REFERENCES communes(insee_code) ON DELETE CASCADE,
  PRIMARY KEY (postcode, insee_code)
) STRICT, WITHOUT ROWID;
CREATE INDEX commune_postcodes_insee ON commune_postcodes (insee_code);

-- One counter per purpose; 'resource_seq' orders resource changes so an
-- in-memory index can catch up incrementally (rows with change_seq > seen);
-- 'commune_seq' grows with every change of the commune list.
CREATE TABLE directory_counters (
  name  TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) STRICT;
INSERT INTO directory_counters (name, value) VALUES ('resource_seq', 0), ('commune_seq', 0);

CREATE TABLE resources (
  id               INTEGER PRIMARY KEY AUTOINCREMENT,
  source           TEXT NOT NULL CHECK (source IN ('rpps','finess','manual','demo')),
  source_key       TEXT UNIQUE,  -- 'rpps:<PP>/<structure>', 'finess:<id>', 'demo:<n>'; NULL by hand
  kind             TEXT NOT NULL,
  levels           TEXT NOT NULL,  -- comma list of level identifiers
  name             TEXT NOT NULL,
  organisation     TEXT NOT NULL,
  address          TEXT NOT NULL,
  postcode         TEXT NOT NULL,
  commune_code     TEXT NOT NULL,
  department_code  TEXT NOT NULL,
  latitude         REAL,
  longitude        REAL,
  phone            TEXT NOT NULL,
  email            TEXT NOT NULL,
  website          TEXT NOT NULL,
  opening_notes    TEXT NOT NULL,
  accepts_fathers  INTEGER NOT NULL CHECK (accepts_fathers IN (0,1)),
  teleconsultation INTEGER NOT NULL CHECK (teleconsultation IN (0,1)),
  mon_soutien_psy  INTEGER NOT NULL CHECK (mon_soutien_psy IN (0,1)),
  languages        TEXT NOT NULL,
  rpps             TEXT NOT NULL,
  finess           TEXT NOT NULL,
  siret            TEXT NOT NULL,
  active           INTEGER NOT NULL CHECK (active IN (0,1)),
  published        INTEGER NOT NULL CHECK (published IN (0,1)),
  manual_fields    TEXT NOT NULL,  -- comma list of fields edited by hand
  import_hash      TEXT NOT NULL,
  verified_at      INTEGER,
  created_at       INTEGER NOT NULL,
  updated_at       INTEGER NOT NULL,
  change_seq       INTEGER NOT NULL,
  CHECK ((latitude IS NULL) = (longitude IS NULL))
) STRICT;
CREATE INDEX resources_change_seq ON resources (change_seq);
CREATE INDEX resources_source ON resources (source);
CREATE INDEX resources_commune ON resources (commune_code);
CREATE INDEX resources_department_kind ON resources (department_code, kind);

CREATE TABLE resource_history (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  resource_id INTEGER NOT NULL REFERENCES resources(id),
  at          INTEGER NOT NULL,
  actor       TEXT NOT NULL,
  action      TEXT NOT NULL,  -- create, edit, verify, deactivate, reactivate, publish, unpublish, import
  detail      TEXT NOT NULL   -- changed fields "field: old -> new" lines
) STRICT;
CREATE INDEX resource_history_resource ON resource_history (resource_id, id);

CREATE TABLE sub_territories (
  code           TEXT PRIMARY KEY,
  territory_code TEXT NOT NULL,
  name           TEXT NOT NULL,
  kind           TEXT NOT NULL CHECK (kind IN ('department','ptsm','communes'))
) STRICT;

-- Members: department codes for kind 'department' (and 'ptsm' areas given
-- by departments), commune INSEE codes otherwise.
CREATE TABLE sub_territory_members (
  sub_territory_code TEXT NOT NULL REFERENCES sub_territories(code) ON DELETE CASCADE,
  member_code        TEXT NOT NULL,
  PRIMARY KEY (sub_territory_code, member_code)
) STRICT, WITHOUT ROWID;
CREATE INDEX sub_territory_members_member ON sub_territory_members (member_code);
