#!/usr/bin/env bash
# Durable screenings: POST /api/v1/screenings at 64 keep-alive connections
# (wrk, 2 threads, SECONDS, default 10); a 201 is sent only once the
# screening is durable. The same load, in the same run, on:
#   1. an empty SQLite database (WAL, synchronous=FULL, group commit): the
#      reference;
#   2. a SQLite database pre-filled with PREFILL screenings (default
#      5,000,000), made by SQL from the real schema (`parcours migrate`) with
#      rows copied from screenings the API stored, and the time-ordered ids
#      and creation times of a year of national load. Goals: p99 <= 1.5x and
#      throughput >= 0.8x the empty database's;
#   3. an empty PostgreSQL 15 database (throw-away server started by
#      scripts/with-postgres.sh, fsync and synchronous_commit on). Goal:
#      throughput >= 0.5x SQLite's.
# Also, as before: the disk's synchronous-write latency (dd oflag=dsync,
# 4 KiB writes, in the database's directory) and the ceiling it implies for
# one fsync per screening; result pages reached through the screening form
# as a parent does (three requests each: the first step's POST, the answers'
# POST that stores the screening and redirects, the GET of the result page)
# against nginx serving the same result page as a static file (from a
# temporary directory its workers can read, wherever the checkout lives).
# After each run the rows on disk are counted against the requests wrk
# completed (every acknowledged screening must be there).
# Limits this script raises, and why: every request comes from one address
# (127.0.0.1), so the per-address screening limit (--screening-limit, 30 an
# hour by default) is raised to 100,000,000 for every server it starts;
# nothing else changes. The script prints it.
# Usage: bench/screening.sh [SECONDS] [PREFILL]
source "$(dirname "$0")/lib.sh"
secs=${1:-10}
prefill=${2:-5000000}
bench_build
load=$(cut -d' ' -f1-3 /proc/loadavg)
# Databases on the checkout's disk (not a tmpfs); nginx's files under $TMPDIR.
work=$(mktemp -d "$BENCH_ROOT/build-release/bench-screening.XXXXXX")
www=$(mktemp -d)
pid=""
stop_server() { if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; pid=""; fi; }
trap 'stop_server; stop_nginx; rm -rf "$work" "$www"' EXIT
port=$(free_port); nport=$(free_port)

start_server() {  # start_server DATABASE_URL [extra serve args]
  local db=$1; shift
  "$PARCOURS" serve --database "$db" --port "$port" --log-level warn --io-threads 2 \
    --screening-limit 100000000 "$@" \
    >>"$work/server.log" 2>&1 &
  pid=$!
  wait_http "http://127.0.0.1:$port/healthz"
}

cat >"$work/api.lua" <<'LUA'
math.randomseed(os.time())
local postcodes = {"59000", "76000", "97200", "13001", "34000", "45000", "75011", "62100"}
local who = {"mother", "father", "coparent"}
request = function()
  local a = {}
  for i = 1, 10 do a[i] = math.random(0, 3) end
  local body = string.format(
    '{"instrument":"epds","language":"fr","respondent":"%s","period":"postnatal","child_age_weeks":%d,"postcode":"%s","source":"bench","answers":[%s]}',
    who[math.random(1, 3)], math.random(0, 52), postcodes[math.random(1, #postcodes)], table.concat(a, ","))
  return wrk.format("POST", "/api/v1/screenings", {["Content-Type"] = "application/json"}, body)
end
LUA
# The screening form as a parent goes through it: POST the first step (the
# page of questions, with the screening's id and its signed form token),
# POST the answers (stores the screening, 303 to the result), GET the result
# page. Each wrk thread keeps a queue of the next steps its responses call
# for (the tokens are bound to the screening, not to a connection); a
# response that is not the expected one is counted as an error.
cat >"$work/page.lua" <<'LUA'
local about = "step=about&source=&respondent=mother&period=postnatal&child_age_weeks=6&postcode=59000"
local form = {["Content-Type"] = "application/x-www-form-urlencoded"}
local queue, pages, errors = {}, 0, 0
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init() math.randomseed(os.time() + math.random(1, 1000000)) end
request = function()
  local next = table.remove(queue, 1)
  if next then return next end
  return wrk.format("POST", "/depistage", form, about)
end
response = function(status, headers, body)
  if status == 303 then
    local to = headers["Location"] or headers["location"]
    if to then table.insert(queue, wrk.format("GET", to)) else errors = errors + 1 end
  elseif status == 200 and body:find('name="step" value="questions"', 1, true) then
    local id = body:match('name="screening_id" value="([^"]+)"')
    local token = body:match('name="form_token" value="([^"]+)"')
    if not (id and token) then errors = errors + 1; return end
    local b = "step=questions&screening_id=" .. id .. "&form_token=" .. token ..
      "&respondent=mother&period=postnatal&child_age_weeks=6&postcode=59000&commune_code=&source="
    for i = 1, 10 do b = b .. "&q" .. i .. "=" .. math.random(0, 3) end
    table.insert(queue, wrk.format("POST", "/depistage", form, b))
  elseif status == 200 then
    pages = pages + 1
  else
    errors = errors + 1
  end
  wrk.thread:set("pages", pages)
  wrk.thread:set("errors", errors)
end
done = function(summary, latency, requests)
  local p, e = 0, 0
  for _, t in ipairs(threads) do p = p + (t:get("pages") or 0); e = e + (t:get("errors") or 0) end
  io.write(string.format("journeys %d errors %d seconds %.3f\n", p, e, summary.duration / 1e6))
end
LUA

# api_run SECONDS -> "RPS P99_MS REQUESTS NON2XX" (the POST load on the running server)
api_run() {
  local out rps p99 total errors
  out=$(wrk -t2 -c64 -d"$1s" --latency -s "$work/api.lua" "http://127.0.0.1:$port/")
  if grep -q 'Socket errors' <<<"$out"; then echo "$out" | grep 'Socket errors' >&2; fi
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(to_ms "$(echo "$out" | awk '$1=="99%" {print $2}')")
  total=$(echo "$out" | awk '/requests in/ {print $1}')
  errors=$(echo "$out" | awk '/Non-2xx/ {print $NF}')
  echo "$rps $p99 $total ${errors:-0}"
}

# page_run SECONDS -> "PAGES_PER_S P99_MS ERRORS" (the form's three requests
# per result page; the p99 is that of every request of the journeys)
page_run() {
  local out
  out=$(wrk -t2 -c64 -d"$1s" --latency -s "$work/page.lua" "http://127.0.0.1:$port/")
  if grep -q 'Socket errors' <<<"$out"; then echo "$out" | grep 'Socket errors' >&2; fi
  echo "$out" | awk -v ms="$(to_ms "$(echo "$out" | awk '$1=="99%" {print $2}')")" \
    '/^journeys/ {printf "%.2f %s %d\n", $2 / $6, ms, $4}'
}

# --- Seed: a few thousand screenings stored by the API, copied by the pre-fill.
"$PARCOURS" migrate --database "sqlite:$work/seed.db" --log-level warn >/dev/null
start_server "sqlite:$work/seed.db"
api_run 1 >/dev/null
stop_server

# --- Pre-fill: PREFILL rows over the last 365 days, in id order (as written
# over time), each a copy of a seed row with its own time-ordered id (ULID
# layout of app::NewId: 10 base32 symbols of the millisecond time, 16 random).
"$PARCOURS" migrate --database "sqlite:$work/full.db" --log-level warn >/dev/null
time_sym() { echo "substr(a.s, ((ts >> $1) & 31) + 1, 1)"; }
id_sql=""
for shift in 45 40 35 30 25 20 15 10 5 0; do id_sql+="$(time_sym $shift) || "; done
for _ in $(seq 1 16); do id_sql+="substr(a.s, (random() & 31) + 1, 1) || "; done
id_sql=${id_sql% || }
cols="instrument, language, respondent, period, child_age_weeks, postcode, commune_code, territory_code, source, answers, score, band, item10_positive, threshold_set_id, threshold_version, level"
prefill_start=$(date +%s.%N)
sqlite3 "$work/full.db" >/dev/null <<SQL
PRAGMA journal_mode=OFF;
PRAGMA synchronous=OFF;
PRAGMA cache_size=-262144;
ATTACH '$work/seed.db' AS seed;
CREATE TEMP TABLE tpl AS SELECT $cols FROM seed.screenings LIMIT 1000;
CREATE TEMP TABLE alpha (s TEXT);
INSERT INTO alpha VALUES ('0123456789abcdefghjkmnpqrstvwxyz');
BEGIN;
WITH RECURSIVE seq(k) AS (SELECT 0 UNION ALL SELECT k + 1 FROM seq WHERE k < $prefill - 1),
  t AS (SELECT k, CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) - 86400000
                  - CAST(($prefill - 1 - k) * (365.0 * 86400000 / $prefill) AS INTEGER) AS ts
        FROM seq)
INSERT INTO screenings (id, created_at, $cols)
SELECT $id_sql, t.ts, tpl.instrument, tpl.language, tpl.respondent, tpl.period,
       tpl.child_age_weeks, tpl.postcode, tpl.commune_code, tpl.territory_code, tpl.source,
       tpl.answers, tpl.score, tpl.band, tpl.item10_positive, tpl.threshold_set_id,
       tpl.threshold_version, tpl.level
FROM t CROSS JOIN alpha AS a CROSS JOIN tpl ON tpl.rowid = 1 + t.k % (SELECT count(*) FROM tpl);
COMMIT;
DETACH seed;
PRAGMA journal_mode=WAL;
ANALYZE;
SQL
prefill_secs=$(awk -v a="$prefill_start" -v b="$(date +%s.%N)" 'BEGIN{printf "%.0f", b-a}')
prefilled=$(sqlite3 "$work/full.db" "SELECT count(*) FROM screenings")
full_bytes=$(stat -c %s "$work/full.db")
# The pre-fill wrote ~1 GiB without fsync: flush it now, or the kernel's
# write-back lands in the next measurement (the empty database's fsyncs
# waited behind it: p99 292-351 ms instead of ~12 ms).
sync

# Disk: synchronous 4 KiB writes where the database lives.
dd_out=$(dd if=/dev/zero of="$work/dsync.test" bs=4k count=300 oflag=dsync 2>&1 | tail -1)
rm -f "$work/dsync.test"
dd_secs=$(echo "$dd_out" | awk '{for(i=1;i<=NF;i++) if ($(i+1) ~ /^s,?$/) print $i}' | tr , . | tail -1)
fsync_ms=$(awk -v s="$dd_secs" 'BEGIN{printf "%.3f", s*1000/300}')
fsync_per_s=$(awk -v s="$dd_secs" 'BEGIN{printf "%.0f", 300/s}')

# --- 1. Empty SQLite database, then the result page and nginx.
start_server "sqlite:$work/empty.db"
read -r e_rps e_p99 e_total e_err < <(api_run "$secs")

# One result page saved as a static file for nginx. mktemp -d makes a 0700
# directory: nginx's workers run as an unprivileged user.
chmod 755 "$www"
first=$(curl -fsS -X POST "http://127.0.0.1:$port/depistage" \
  --data "step=about&source=&respondent=mother&period=postnatal&child_age_weeks=6&postcode=59000")
field() { grep -o "name=\"$1\" value=\"[^\"]*\"" <<<"$first" | head -1 | cut -d'"' -f4; }
curl -fsS -L "http://127.0.0.1:$port/depistage" -o "$www/result.html" \
  --data "step=questions&screening_id=$(field screening_id)&form_token=$(field form_token)&respondent=mother&period=postnatal&child_age_weeks=6&postcode=59000&commune_code=&source=&q1=0&q2=1&q3=2&q4=0&q5=1&q6=2&q7=1&q8=1&q9=2&q10=3"
grep -q '<h1>Votre résultat' "$www/result.html" || { echo "no result page saved for nginx" >&2; exit 1; }
chmod 644 "$www/result.html"; start_nginx "$www" "$nport"
wait_http "http://127.0.0.1:$nport/result.html"
read -r page_rps page_p99 page_err < <(page_run "$secs")
read -r nginx_rps nginx_p99 < <(wrk_run "http://127.0.0.1:$nport/result.html" 64 "$secs")
page_bytes=$(stat -c %s "$www/result.html")
stop_server
e_rows=$(sqlite3 "$work/empty.db" "SELECT count(*) FROM screenings WHERE source IN ('unknown','bench')")

# --- 2. Pre-filled SQLite database.
start_server "sqlite:$work/full.db"
read -r f_rps f_p99 f_total f_err < <(api_run "$secs")
stop_server
f_rows=$(( $(sqlite3 "$work/full.db" "SELECT count(*) FROM screenings") - prefilled ))

# --- 3. PostgreSQL, started for this run only.
cat >"$work/pg.sh" <<'SH'
set -euo pipefail
port=$(free_port)  # chosen now: the server took a port of its own
"$PARCOURS" serve --database "$PARCOURS_TEST_DATABASE" --key-file "$work/pg-contact.key" \
  --port "$port" --log-level warn --io-threads 2 --screening-limit 100000000 \
  >>"$work/server.log" 2>&1 &
pgpid=$!
trap 'kill $pgpid 2>/dev/null || true; wait $pgpid 2>/dev/null || true' EXIT
for _ in $(seq 1 200); do curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break; sleep 0.05; done
read -r rps p99 total err < <(api_run "$secs")
kill $pgpid; wait $pgpid 2>/dev/null || true
rows=$(/usr/lib/postgresql/15/bin/psql -X -qtA "$PARCOURS_TEST_DATABASE" \
  -c "SELECT count(*) FROM screenings WHERE source IN ('unknown','bench')")
echo "$rps $p99 $total $err $rows" >"$work/pg.out"
SH
export PARCOURS work port secs
export -f api_run to_ms free_port
"$BENCH_ROOT/scripts/with-postgres.sh" bash "$work/pg.sh" 2>>"$work/server.log" ||
  { echo "PostgreSQL run failed:" >&2; tail -n 20 "$work/server.log" >&2; exit 1; }
read -r p_rps p_p99 p_total p_err p_rows <"$work/pg.out"

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average before: $load"
echo "limits raised for this run: screening-limit (every request comes from 127.0.0.1)"
printf '%-62s %12s %10s %12s\n' "scenario (64 conns, ${secs}s, wrk -t2)" "req/s" "p99 ms" "non-2xx"
printf '%-62s %12s %10s %12s\n' "POST /api/v1/screenings, SQLite, empty database" "$e_rps" "$e_p99" "$e_err"
printf '%-62s %12s %10s %12s\n' "POST /api/v1/screenings, SQLite, ${prefilled} screenings stored" "$f_rps" "$f_p99" "$f_err"
printf '%-62s %12s %10s %12s\n' "POST /api/v1/screenings, PostgreSQL 15, empty database" "$p_rps" "$p_p99" "$p_err"
printf '%-62s %12s %10s %12s\n' "result pages by the form (3 requests: step, answers, ${page_bytes} B page)" "$page_rps" "$page_p99" "$page_err"
printf '%-62s %12s %10s\n' "nginx GET the same result page as a static file" "$nginx_rps" "$nginx_p99"
echo "pre-fill: ${prefilled} rows by SQL in ${prefill_secs} s, database file $((full_bytes / 1048576)) MiB"
echo "ratio pre-filled/empty: throughput $(ratio "$f_rps" "$e_rps") (goal >= 0.8), p99 $(ratio "$f_p99" "$e_p99") (goal <= 1.5)"
echo "ratio PostgreSQL/SQLite (empty): throughput $(ratio "$p_rps" "$e_rps") (goal >= 0.5), p99 $(ratio "$p_p99" "$e_p99")"
echo "disk: synchronous 4 KiB write ${fsync_ms} ms (dd oflag=dsync) → ${fsync_per_s} fsync/s ceiling without group commit"
echo "ratio durable screenings/s (empty SQLite) to the one-fsync-per-screening ceiling: $(ratio "$e_rps" "$fsync_per_s")"
echo "ratio result page parcours/nginx: $(ratio "$page_rps" "$nginx_rps")"
echo "acknowledged screenings (requests, rows on disk after stop): empty ${e_total}, ${e_rows}; pre-filled ${f_total}, ${f_rows}; PostgreSQL ${p_total}, ${p_rows}"
echo "goals: >= 10000 screenings/s, p99 <= 20 ms (empty SQLite)"
