#!/usr/bin/env bash
# HTTP server throughput: /healthz and a static DSFR CSS file from `parcours`,
# next to nginx serving the same file, in the same run (wrk, 2 threads,
# 50 keep-alive connections, 10 s each). Prints req/s, p99 and the ratio.
# Usage: bench/http.sh [SECONDS]
source "$(dirname "$0")/lib.sh"
secs=${1:-10}
bench_build
work=$(mktemp -d)
port=$(free_port); nport=$(free_port)
"$PARCOURS" serve --database "sqlite:$work/bench.db" --port "$port" --log-level warn \
  --io-threads 2 >"$work/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; stop_nginx; rm -rf "$work"' EXIT
wait_http "http://127.0.0.1:$port/healthz"
css=$(curl -fsS "http://127.0.0.1:$port/" | grep -o '/static/dsfr/[^"]*dsfr\.css' | head -1)
mkdir -p "$work/www"
curl -fsS -o "$work/www/dsfr.css" "http://127.0.0.1:$port$css"
start_nginx "$work/www" "$nport"
wait_http "http://127.0.0.1:$nport/dsfr.css"
size=$(stat -c %s "$work/www/dsfr.css")

read -r h_rps h_p99 < <(wrk_run "http://127.0.0.1:$port/healthz" 50 "$secs")
read -r s_rps s_p99 < <(wrk_run "http://127.0.0.1:$port$css" 50 "$secs")
read -r n_rps n_p99 < <(wrk_run "http://127.0.0.1:$nport/dsfr.css" 50 "$secs")

printf '%-38s %12s %10s\n' "scenario (50 conns, ${secs}s, wrk -t2)" "req/s" "p99 ms"
printf '%-38s %12s %10s\n' "parcours GET /healthz (SQLite ping)" "$h_rps" "$h_p99"
printf '%-38s %12s %10s\n' "parcours GET static CSS (${size} B)" "$s_rps" "$s_p99"
printf '%-38s %12s %10s\n' "nginx GET same CSS file" "$n_rps" "$n_p99"
echo "ratio static parcours/nginx: $(ratio "$s_rps" "$n_rps") (goal >= 0.8)"
