#!/usr/bin/env bash
# Durable screenings: POST /api/v1/screenings at 64 keep-alive connections
# (wrk, 2 threads, SECONDS, default 10), SQLite with synchronous=FULL and
# group commit: a 201 is sent only once the screening is on disk. Printed
# beside it, measured in the same run:
#   - the disk's synchronous-write latency (dd oflag=dsync, 4 KiB writes, in
#     the database's directory) and the ceiling it implies for one fsync per
#     screening, so the figure reads as a ratio to what the disk allows;
#   - the result page (POST /depistage, stores a screening and renders the
#     HTML) against nginx serving the same HTML as a static file.
# Afterwards the rows in the database are counted against the requests wrk
# completed (every acknowledged screening must be there).
# Usage: bench/screening.sh [SECONDS]
source "$(dirname "$0")/lib.sh"
secs=${1:-10}
bench_build
work=$(mktemp -d "$BENCH_ROOT/build-release/bench-screening.XXXXXX")
port=$(free_port); nport=$(free_port)
"$PARCOURS" serve --database "sqlite:$work/bench.db" --port "$port" --log-level warn \
  --io-threads 2 >"$work/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; stop_nginx; rm -rf "$work"' EXIT
wait_http "http://127.0.0.1:$port/healthz"

# Disk: synchronous 4 KiB writes where the database lives.
dd_out=$(dd if=/dev/zero of="$work/dsync.test" bs=4k count=300 oflag=dsync 2>&1 | tail -1)
rm -f "$work/dsync.test"
dd_secs=$(echo "$dd_out" | awk '{for(i=1;i<=NF;i++) if ($(i+1) ~ /^s,?$/) print $i}' | tr , . | tail -1)
fsync_ms=$(awk -v s="$dd_secs" 'BEGIN{printf "%.3f", s*1000/300}')
fsync_per_s=$(awk -v s="$dd_secs" 'BEGIN{printf "%.0f", 300/s}')

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
cat >"$work/page.lua" <<'LUA'
math.randomseed(os.time() + 1)
local alphabet = "0123456789abcdefghjkmnpqrstvwxyz"
request = function()
  local id = {}
  for i = 1, 26 do local k = math.random(1, 32); id[i] = alphabet:sub(k, k) end
  local body = "step=questions&screening_id=" .. table.concat(id) ..
    "&respondent=mother&period=postnatal&child_age_weeks=6&postcode=59000&commune_code=&source="
  for i = 1, 10 do body = body .. "&q" .. i .. "=" .. math.random(0, 3) end
  return wrk.format("POST", "/depistage", {["Content-Type"] = "application/x-www-form-urlencoded"}, body)
end
LUA

api_out=$(wrk -t2 -c64 -d"${secs}s" --latency -s "$work/api.lua" "http://127.0.0.1:$port/")
api_rps=$(echo "$api_out" | awk '/Requests\/sec/ {print $2}')
api_p99=$(to_ms "$(echo "$api_out" | awk '$1=="99%" {print $2}')")
api_total=$(echo "$api_out" | awk '/requests in/ {print $1}')
api_errors=$(echo "$api_out" | awk '/Non-2xx/ {print $NF}'); api_errors=${api_errors:-0}
api_sockerr=$(echo "$api_out" | awk '/Socket errors/ {print}')

# One result page saved as a static file for nginx.
mkdir -p "$work/www"; chmod 755 "$work" "$work/www"
curl -fsS -X POST "http://127.0.0.1:$port/depistage" -o "$work/www/result.html" \
  --data "step=questions&screening_id=0000000000000000000000bench&respondent=mother&period=postnatal&child_age_weeks=6&postcode=59000&commune_code=&source=&q1=0&q2=1&q3=2&q4=0&q5=1&q6=2&q7=1&q8=1&q9=2&q10=3"
chmod 644 "$work/www/result.html"; start_nginx "$work/www" "$nport"
wait_http "http://127.0.0.1:$nport/result.html"
read -r page_rps page_p99 < <(wrk_run "http://127.0.0.1:$port/" 64 "$secs" -s "$work/page.lua")
read -r nginx_rps nginx_p99 < <(wrk_run "http://127.0.0.1:$nport/result.html" 64 "$secs")
page_bytes=$(stat -c %s "$work/www/result.html")

kill "$pid"; wait "$pid" 2>/dev/null || true
rows=$(sqlite3 "$work/bench.db" "SELECT count(*) FROM screenings WHERE source IN ('unknown','bench')")

printf '%-58s %12s %10s\n' "scenario (64 conns, ${secs}s, wrk -t2)" "req/s" "p99 ms"
printf '%-58s %12s %10s\n' "POST /api/v1/screenings (durable, synchronous=FULL)" "$api_rps" "$api_p99"
printf '%-58s %12s %10s\n' "POST /depistage result page (stores + renders ${page_bytes} B)" "$page_rps" "$page_p99"
printf '%-58s %12s %10s\n' "nginx GET the same result page as a static file" "$nginx_rps" "$nginx_p99"
echo "disk: synchronous 4 KiB write ${fsync_ms} ms (dd oflag=dsync) → ${fsync_per_s} fsync/s ceiling without group commit"
echo "ratio durable screenings/s to the one-fsync-per-screening ceiling: $(ratio "$api_rps" "$fsync_per_s")"
echo "ratio result page parcours/nginx: $(ratio "$page_rps" "$nginx_rps")"
echo "acknowledged API screenings: ${api_total} requests, ${api_errors} non-2xx ${api_sockerr:+($api_sockerr)}; rows on disk after stop: ${rows}"
echo "goals: >= 10000 screenings/s, p99 <= 20 ms"
