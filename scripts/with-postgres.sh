#!/usr/bin/env bash
# Usage: scripts/with-postgres.sh COMMAND [ARG…]
#
# Starts a throw-away PostgreSQL 15 server (loopback only, random free port,
# data in a temp dir), creates the database parcours_test, runs COMMAND with
#   PARCOURS_TEST_DATABASE=postgresql://parcours@127.0.0.1:PORT/parcours_test
#   PARCOURS_TEST_PG_URL=<the same>
# exported, then stops the server and removes its directory whatever happens.
# Exits with COMMAND's status.
#
# Needs the server binaries (Debian package postgresql-15; this script does
# not install anything). initdb refuses to run as root: as root the server
# runs as the system user parcours-pg (created when missing); otherwise as
# the calling user. Environment: PARCOURS_PG_BIN (default
# /usr/lib/postgresql/15/bin), PARCOURS_PG_USER (default parcours-pg).
set -uo pipefail

if [ $# -eq 0 ]; then
  echo "usage: $0 COMMAND [ARG...]" >&2
  exit 2
fi

PG_BIN=${PARCOURS_PG_BIN:-/usr/lib/postgresql/15/bin}
PG_OS_USER=${PARCOURS_PG_USER:-parcours-pg}
DB_USER=parcours
DB_NAME=parcours_test

for tool in initdb pg_ctl pg_isready psql; do
  if [ ! -x "$PG_BIN/$tool" ]; then
    echo "with-postgres: $PG_BIN/$tool not found (install the postgresql-15 package)" >&2
    exit 2
  fi
done

log() { echo "with-postgres: $*" >&2; }

as_root=0
if [ "$(id -u)" -eq 0 ]; then
  as_root=1
  if ! id -u "$PG_OS_USER" >/dev/null 2>&1; then
    useradd --system --user-group --no-create-home --home-dir /nonexistent \
      --shell /usr/sbin/nologin "$PG_OS_USER" || { log "cannot create user $PG_OS_USER"; exit 2; }
  fi
fi

# The temp dir lives under /tmp (not $TMPDIR) so the server user can reach it.
tmp=$(mktemp -d /tmp/parcours-pg.XXXXXX) || { log "mktemp failed"; exit 2; }
data="$tmp/data"
sock="$tmp/sock"
mkdir -p "$sock"
if [ "$as_root" -eq 1 ]; then chown -R "$PG_OS_USER:" "$tmp"; fi

# Runs a PostgreSQL tool as the server's user, from a directory it can read.
as_pg() {
  if [ "$as_root" -eq 1 ]; then
    (cd "$tmp" && runuser -u "$PG_OS_USER" -- "$@")
  else
    (cd "$tmp" && "$@")
  fi
}

started=0
cleanup() {
  local rc=$?
  trap - EXIT INT TERM HUP
  if [ "$started" -eq 1 ] || [ -f "$data/postmaster.pid" ]; then
    if ! as_pg "$PG_BIN/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1; then
      as_pg "$PG_BIN/pg_ctl" -D "$data" -m immediate -w -t 10 stop >/dev/null 2>&1 || true
      if [ -f "$data/postmaster.pid" ]; then
        pid=$(head -n 1 "$data/postmaster.pid" 2>/dev/null || true)
        [ -n "${pid:-}" ] && kill -9 "$pid" 2>/dev/null || true
      fi
    fi
  fi
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

if ! as_pg "$PG_BIN/initdb" -D "$data" -U "$DB_USER" --auth=trust --encoding=UTF8 --no-locale \
    --no-sync >"$tmp/initdb.log" 2>&1; then
  log "initdb failed:"
  cat "$tmp/initdb.log" >&2
  exit 1
fi

# Loopback and the private socket only; trust for the test user there.
cat >"$data/pg_hba.conf" <<EOF
local all $DB_USER              trust
host  all $DB_USER 127.0.0.1/32 trust
EOF
cat >>"$data/postgresql.conf" <<EOF

# --- scripts/with-postgres.sh ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$sock'
max_connections = 200
fsync = on
synchronous_commit = on
logging_collector = off
EOF
if [ "$as_root" -eq 1 ]; then chown "$PG_OS_USER:" "$data/pg_hba.conf" "$data/postgresql.conf"; fi

port_is_free() {
  # Something answers on the port: taken.
  ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

port=""
for attempt in 1 2 3 4 5 6 7 8 9 10; do
  candidate=$((20000 + (RANDOM * 32768 + RANDOM) % 40000))
  port_is_free "$candidate" || continue
  if as_pg "$PG_BIN/pg_ctl" -D "$data" -l "$tmp/server.log" -w -t 60 -o "-p $candidate" start \
      >/dev/null 2>&1; then
    port=$candidate
    started=1
    break
  fi
  log "start on port $candidate failed (attempt $attempt)"
  # A port taken between the check and the bind: try another one.
  as_pg "$PG_BIN/pg_ctl" -D "$data" -m immediate -w stop >/dev/null 2>&1 || true
done
if [ -z "$port" ]; then
  log "could not start PostgreSQL; server log:"
  cat "$tmp/server.log" >&2 2>/dev/null || true
  exit 1
fi

ready=0
for _ in $(seq 1 120); do
  if "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$port" -U "$DB_USER" -d postgres -t 1; then
    ready=1
    break
  fi
  sleep 0.25
done
if [ "$ready" -ne 1 ]; then
  log "PostgreSQL on port $port not ready; server log:"
  cat "$tmp/server.log" >&2
  exit 1
fi

if ! "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U "$DB_USER" -d postgres \
    -c "CREATE DATABASE $DB_NAME" >/dev/null; then
  log "cannot create database $DB_NAME"
  exit 1
fi

url="postgresql://$DB_USER@127.0.0.1:$port/$DB_NAME"
export PARCOURS_TEST_DATABASE="$url"
export PARCOURS_TEST_PG_URL="$url"
log "PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') ready at $url"

"$@"
status=$?
exit "$status"
