#!/usr/bin/env bash
# The alert circuit under load (issue 11), against the release build:
#   1. STREAMS open server-sent-event streams (/api/v1/alerts/stream) spread
#      over the six territories (one responder session per territory), while
#      recontact requests are created at RATE/s for SECONDS: the p99 from a
#      request's 201 to its `created` event in every stream of its territory,
#      printed beside the same run's p99 of the request itself; any event that
#      reaches a stream of another territory is counted (must be 0).
#   2. The inbox page (/pro/alertes) of a territory holding INBOX alerts:
#      p99 render time beside /healthz, wrk, same run.
#
# Limits this script raises, and why (the script says so): all requests come
# from one address, so the per-address screening and recontact limits are
# raised (--screening-limit, --recontact-limit); the per-territory flood
# threshold too (--flood-threshold: 200/s is far above it, and flagging is
# not what is measured); --max-connections stays at its default (4096), over
# the STREAMS + request connections; the open-file limit is raised to its
# hard value (ulimit -n). The six territories are opened for recontact in a
# copy of data/ (files only; nothing else changes).
#
# Usage: bench/alerts.sh [STREAMS (1000)] [RATE (200)] [SECONDS (20)] [INBOX (20000)]
source "$(dirname "$0")/lib.sh"
streams=${1:-1000}
rate=${2:-200}
seconds=${3:-20}
inbox=${4:-20000}
bench_build
ulimit -n "$(ulimit -Hn)"
work=$(mktemp -d "$BENCH_ROOT/build-release/bench-alerts.XXXXXX")
pid=
trap '[ -n "$pid" ] && kill $pid 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

# A share directory whose six territories take recontact requests.
share="$work/share"
mkdir -p "$share"
for d in templates static node_modules; do ln -s "$BENCH_ROOT/$d" "$share/$d"; done
cp -r "$BENCH_ROOT/data" "$share/data"
node -e '
const fs = require("fs"); const dir = process.argv[1];
for (const f of fs.readdirSync(dir)) {
  if (!f.endsWith(".json") || f === "outside.json") continue;
  const t = JSON.parse(fs.readFileSync(`${dir}/${f}`, "utf8"));
  t.recontact = { open: true, team: { fr: "Équipe de mesure", en: "Bench team" },
    hours: [{ days: [1, 2, 3, 4, 5, 6, 7], from: "00:00", to: "23:59" }] };
  fs.writeFileSync(`${dir}/${f}`, JSON.stringify(t));
}' "$share/data/territories"

db="$work/bench.db"
"$PARCOURS" demo load --database "sqlite:$db" --share-dir "$share" >/dev/null
pw="$work/pw"; echo 'un mot de passe de mesure' >"$pw"
territories="hauts-de-france normandie martinique occitanie paca centre-val-de-loire"
users=""
for t in $territories; do
  uri=$("$PARCOURS" user add --database "sqlite:$db" --share-dir "$share" --email "bench.$t@example.org" \
    --name "Bench $t" --role responder --territory "$t" --password-file "$pw" | sed -n 's/^totp_uri=//p')
  users="$users $t=$uri"
done

port=$(free_port)
"$PARCOURS" serve --database "sqlite:$db" --share-dir "$share" --port "$port" --log-level warn \
  --screening-limit 100000000 --recontact-limit 100000000 --lookup-limit 100000000 \
  --flood-threshold 100000000 --escalation-interval 0 >"$work/server.log" 2>&1 &
pid=$!
base="http://127.0.0.1:$port"
wait_http "$base/healthz"

echo "alerts bench: $streams streams over 6 territories, $rate recontact requests/s for $seconds s"
echo "  (limits raised for this run: screening-limit, recontact-limit, lookup-limit, flood-threshold; ulimit -n $(ulimit -n))"
node "$BENCH_ROOT/bench/alerts_driver.mjs" "$base" "$pw" "$streams" "$rate" "$seconds" $users >"$work/stream.txt"
grep -v '^COOKIE ' "$work/stream.txt"

# 2. Inbox with INBOX alerts in Hauts-de-France (inserted directly: the page
# is what is measured, not the inserts).
now=$(date +%s%3N)
insert_bench_alerts "$db" "$inbox" "$now"
cookie=$(sed -n 's/^COOKIE //p' "$work/stream.txt")
read -r page_rps page_p99 < <(wrk_run "$base/pro/alertes" 8 10 -H "Cookie: $cookie")
read -r health_rps health_p99 < <(wrk_run "$base/healthz" 8 10)
echo "inbox of $inbox alerts (open ones, 200 per page): p99 ${page_p99} ms (${page_rps} pages/s); /healthz p99 ${health_p99} ms (${health_rps} req/s); ratio $(ratio "$page_p99" "$health_p99")"
