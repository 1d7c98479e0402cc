-- Professionals' accounts, server-side sessions, login throttling, one-time
-- invitation / reset tokens; audit log indexes for its search, and the
-- audit log made append-only.
CREATE TABLE users (
  id              TEXT PRIMARY KEY,
  email           TEXT NOT NULL UNIQUE,
  name            TEXT NOT NULL,
  role            TEXT NOT NULL,
  territories     TEXT NOT NULL,
  sub_territories TEXT NOT NULL,
  phone           TEXT,
  password_hash   TEXT NOT NULL,
  totp_sealed     BYTEA,
  totp_enrolled   BOOLEAN NOT NULL,
  totp_last_step  BIGINT NOT NULL,
  disabled        BOOLEAN NOT NULL,
  created_at      BIGINT NOT NULL,
  updated_at      BIGINT NOT NULL,
  last_login_at   BIGINT
);

-- One row per (user, territory), for the filters; users.territories is the
-- same list, for reading.
CREATE TABLE user_territories (
  user_id        TEXT NOT NULL REFERENCES users (id),
  territory_code TEXT NOT NULL,
  PRIMARY KEY (user_id, territory_code)
);
CREATE INDEX user_territories_territory ON user_territories (territory_code, user_id);

CREATE TABLE sessions (
  token_hash   TEXT PRIMARY KEY,
  user_id      TEXT NOT NULL REFERENCES users (id),
  stage        TEXT NOT NULL,
  csrf_token   TEXT NOT NULL,
  created_at   BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  expires_at   BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (expires_at);
CREATE INDEX sessions_seen ON sessions (last_seen_at);

CREATE TABLE login_throttle (
  key             TEXT PRIMARY KEY,
  failures        INTEGER NOT NULL,
  lockouts        INTEGER NOT NULL,
  locked_until    BIGINT NOT NULL,
  last_failure_at BIGINT NOT NULL
);

CREATE TABLE account_tokens (
  token_hash TEXT PRIMARY KEY,
  user_id    TEXT NOT NULL REFERENCES users (id),
  purpose    TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  used_at    BIGINT
);
CREATE INDEX account_tokens_user ON account_tokens (user_id);

CREATE INDEX audit_territory_at ON audit_log (territory_code, id);
CREATE INDEX audit_actor ON audit_log (actor, id);
CREATE INDEX audit_at ON audit_log (at);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
