#!/usr/bin/env bash
# Opening a follow-up record (issue 13): a territory with 200,000 screenings
# and 20,000 records. One record holds 10 screenings (stored by the API,
# attached with their share codes through the pages); the others are copies
# made by SQL (10 screenings each), all shared with the bench account.
# Measured in the same run, with wrk (2 threads, CONNS connections, SECONDS):
#   GET /pro/dossiers/{id}   the record page: session check (and its touch),
#                            audited read, identity and notes unsealed, 10
#                            screenings with their answers, the SVG chart
#                            and its table, rendered;
#   GET /healthz             the reference (database ping).
# Printed: p99 of both and their ratio, on SQLite (file on the checkout's
# disk) and on PostgreSQL 15 (scripts/with-postgres.sh, throw-away server).
# Usage: bench/records.sh [SECONDS (default 10)] [CONNS (default 16)]
source "$(dirname "$0")/lib.sh"
secs=${1:-10}
conns=${2:-16}
records=20000
screenings=200000
bench_build
load=$(cut -d' ' -f1-3 /proc/loadavg)
work=$(mktemp -d "$BENCH_ROOT/build-release/bench-records.XXXXXX")
pid=""
stop_server() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; fi; }
trap 'stop_server; rm -rf "$work"' EXIT

# fill_sql FLAVOUR HOT_RECORD USER_ID -> SQL adding the copies (sqlite | postgres)
fill_sql() {
  local flavour=$1 hot=$2 user=$3
  local n_rec=$((records - 1)) n_scr=$((screenings - 10))
  local cols="instrument, language, respondent, period, child_age_weeks, postcode, commune_code, territory_code, source, answers, score, band, item10_positive, threshold_set_id, threshold_version, level"
  local rid sid seq_r seq_s now
  if [ "$flavour" = sqlite ]; then
    rid="printf('br%024d', k)"; sid="printf('bs%024d', k)"
    seq_r="(WITH RECURSIVE seq(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM seq WHERE k < $n_rec - 1) SELECT k FROM seq)"
    seq_s="(WITH RECURSIVE seq(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM seq WHERE k < $n_scr - 1) SELECT k FROM seq)"
    now="CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER)"
    echo "PRAGMA foreign_keys=ON; PRAGMA cache_size=-262144; BEGIN;"
  else
    rid="'br' || lpad(k::text, 24, '0')"; sid="'bs' || lpad(k::text, 24, '0')"
    seq_r="(SELECT generate_series(0::bigint, $n_rec - 1) AS k)"
    seq_s="(SELECT generate_series(0::bigint, $n_scr - 1) AS k)"
    now="(extract(epoch FROM now()) * 1000)::bigint"
    echo "BEGIN;"
  fi
  local link_rid=${rid//k/(k \/ 10)}
  cat <<SQL
INSERT INTO screenings (id, created_at, $cols)
  SELECT $sid, $now - 31536000000 + k * 150000, $cols
  FROM $seq_s AS q CROSS JOIN (SELECT $cols FROM screenings WHERE id IN
    (SELECT screening_id FROM follow_up_screenings WHERE record_id = '$hot') LIMIT 1) AS tpl;
INSERT INTO follow_up_records (id, territory_code, created_by, created_at, updated_at, respondent, identity_sealed)
  SELECT $rid, r.territory_code, r.created_by, r.created_at, r.updated_at, r.respondent, r.identity_sealed
  FROM $seq_r AS q CROSS JOIN (SELECT * FROM follow_up_records WHERE id = '$hot') AS r;
INSERT INTO follow_up_members (record_id, user_id, added_by, added_at)
  SELECT $rid, '$user', '$user', $now FROM $seq_r AS q;
INSERT INTO follow_up_screenings (record_id, screening_id, attached_by, attached_at, via)
  SELECT $link_rid, $sid, '$user', $now, 'share_code' FROM $seq_s AS q;
COMMIT;
ANALYZE;
SQL
}

# measure DATABASE_URL FLAVOUR -> prints "RECORD_P99 RECORD_RPS HEALTH_P99 HEALTH_RPS N_SCREENINGS N_RECORDS"
measure() {
  local db=$1 flavour=$2 port out user secret pw setup hot cookie uid
  port=$(free_port)
  "$PARCOURS" serve --database "$db" --key-file "$work/$flavour.key" --port "$port" \
    --log-level warn --io-threads 2 >>"$work/server.log" 2>&1 &
  pid=$!
  wait_http "http://127.0.0.1:$port/healthz"
  pw="$work/pw"; echo "un mot de passe de banc d'essai" >"$pw"
  out=$("$PARCOURS" user add --database "$db" --key-file "$work/$flavour.key" --email bench@example.org \
    --name Bench --role professional --territory normandie --password-file "$pw")
  secret=$(sed -n 's/.*secret=\([A-Z2-7]*\).*/\1/p' <<<"$out")
  setup=$(node "$BENCH_ROOT/bench/records_setup.mjs" "http://127.0.0.1:$port" bench@example.org \
    "$(cat "$pw")" "$secret")
  hot=$(node -e 'console.log(JSON.parse(process.argv[1]).record)' "$setup")
  cookie=$(node -e 'console.log(JSON.parse(process.argv[1]).cookie)' "$setup")
  # The copies are made with the server stopped (sessions live in the
  # database: the cookie stays valid), then the server starts again on a
  # checkpointed database, as after a restart.
  stop_server
  if [ "$flavour" = sqlite ]; then
    uid=$(sqlite3 "${db#sqlite:}" "SELECT id FROM users WHERE email = 'bench@example.org'")
    fill_sql sqlite "$hot" "$uid" | sqlite3 "${db#sqlite:}" >/dev/null
    n_s=$(sqlite3 "${db#sqlite:}" "SELECT count(*) FROM screenings")
    n_r=$(sqlite3 "${db#sqlite:}" "SELECT count(*) FROM follow_up_records")
    sqlite3 "${db#sqlite:}" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
  else
    local psql="/usr/lib/postgresql/15/bin/psql -X -qtA -v ON_ERROR_STOP=1 $db"
    uid=$($psql -c "SELECT id FROM users WHERE email = 'bench@example.org'")
    fill_sql postgres "$hot" "$uid" | $psql >/dev/null
    n_s=$($psql -c "SELECT count(*) FROM screenings")
    n_r=$($psql -c "SELECT count(*) FROM follow_up_records")
  fi
  "$PARCOURS" serve --database "$db" --key-file "$work/$flavour.key" --port "$port" \
    --log-level warn --io-threads 2 >>"$work/server.log" 2>&1 &
  pid=$!
  wait_http "http://127.0.0.1:$port/healthz"
  [ "$n_s" = "$screenings" ] && [ "$n_r" = "$records" ] ||
    { echo "$flavour: filled $n_s screenings and $n_r records, not $screenings and $records" >&2; exit 1; }
  # The page must be the real one (200, the 10 screenings) before timing it.
  local rows
  rows=$(curl -fsS -H "Cookie: $cookie" "http://127.0.0.1:$port/pro/dossiers/$hot" | grep -o '<tr><td>[0-9-]*</td><td>[0-9]*</td>' | wc -l)
  [ "$rows" = 10 ] || { echo "record page shows $rows screenings, not 10" >&2; exit 1; }
  read -r r_rps r_p99 < <(wrk_run "http://127.0.0.1:$port/pro/dossiers/$hot" "$conns" "$secs" -H "Cookie: $cookie")
  read -r h_rps h_p99 < <(wrk_run "http://127.0.0.1:$port/healthz" "$conns" "$secs")
  stop_server
  echo "$r_p99 $r_rps $h_p99 $h_rps $n_s $n_r"
}

read -r s_rp99 s_rrps s_hp99 s_hrps s_ns s_nr < <(measure "sqlite:$work/records.db" sqlite)

cat >"$work/pg.sh" <<'SH'
set -euo pipefail
measure "$PARCOURS_TEST_DATABASE" postgres >"$work/pg.out"
SH
export PARCOURS work secs conns records screenings BENCH_ROOT
export -f measure fill_sql wrk_run to_ms free_port wait_http stop_server
"$BENCH_ROOT/scripts/with-postgres.sh" bash "$work/pg.sh" 2>>"$work/server.log" ||
  { echo "PostgreSQL run failed:" >&2; tail -n 20 "$work/server.log" >&2; exit 1; }
read -r p_rp99 p_rrps p_hp99 p_hrps p_ns p_nr <"$work/pg.out"

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average before: $load"
printf '%-58s %10s %10s\n' "scenario (wrk -t2, ${conns} conns, ${secs}s)" "req/s" "p99 ms"
printf '%-58s %10s %10s\n' "SQLite: GET /pro/dossiers/{id} (10 screenings + chart)" "$s_rrps" "$s_rp99"
printf '%-58s %10s %10s\n' "SQLite: GET /healthz" "$s_hrps" "$s_hp99"
printf '%-58s %10s %10s\n' "PostgreSQL 15: GET /pro/dossiers/{id}" "$p_rrps" "$p_rp99"
printf '%-58s %10s %10s\n' "PostgreSQL 15: GET /healthz" "$p_hrps" "$p_hp99"
echo "stored: SQLite ${s_ns} screenings, ${s_nr} records; PostgreSQL ${p_ns} screenings, ${p_nr} records"
echo "ratio record p99 / healthz p99: SQLite $(ratio "$s_rp99" "$s_hp99"), PostgreSQL $(ratio "$p_rp99" "$p_hp99")"
