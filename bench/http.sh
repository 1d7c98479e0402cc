#!/usr/bin/env bash
# HTTP server throughput: /healthz and a static DSFR CSS file from `parcours`,
# next to nginx serving the same file, in the same run (wrk, 2 threads,
# 50 keep-alive connections, 10 s each). Prints req/s, p99 and the ratio.
# The CSS is measured twice: as wrk asks by default (no Accept-Encoding: the
# whole file) and as browsers ask (Accept-Encoding: gzip: parcours sends its
# precompressed copy, nginx the same bytes from dsfr.css.gz via gzip_static).
# Usage: bench/http.sh [SECONDS]
source "$(dirname "$0")/lib.sh"
secs=${1:-10}
bench_build
load=$(cut -d' ' -f1-3 /proc/loadavg)
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
# The exact gzip bytes parcours serves (curl without --compressed keeps them).
curl -fsS -H 'Accept-Encoding: gzip' -o "$work/www/dsfr.css.gz" "http://127.0.0.1:$port$css"
# nginx workers run as an unprivileged user: mktemp -d makes a 0700 directory.
chmod 755 "$work" "$work/www"
chmod 644 "$work/www/dsfr.css" "$work/www/dsfr.css.gz"
start_nginx "$work/www" "$nport"
wait_http "http://127.0.0.1:$nport/dsfr.css"
size=$(stat -c %s "$work/www/dsfr.css")
gzsize=$(stat -c %s "$work/www/dsfr.css.gz")
gz=(-H 'Accept-Encoding: gzip')

read -r h_rps h_p99 < <(wrk_run "http://127.0.0.1:$port/healthz" 50 "$secs")
read -r s_rps s_p99 < <(wrk_run "http://127.0.0.1:$port$css" 50 "$secs")
read -r n_rps n_p99 < <(wrk_run "http://127.0.0.1:$nport/dsfr.css" 50 "$secs")
read -r sg_rps sg_p99 < <(wrk_run "http://127.0.0.1:$port$css" 50 "$secs" "${gz[@]}")
read -r ng_rps ng_p99 < <(wrk_run "http://127.0.0.1:$nport/dsfr.css" 50 "$secs" "${gz[@]}")

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average before: $load"
printf '%-44s %12s %10s\n' "scenario (50 conns, ${secs}s, wrk -t2)" "req/s" "p99 ms"
printf '%-44s %12s %10s\n' "parcours GET /healthz (SQLite ping)" "$h_rps" "$h_p99"
printf '%-44s %12s %10s\n' "parcours GET static CSS (${size} B)" "$s_rps" "$s_p99"
printf '%-44s %12s %10s\n' "nginx GET same CSS file" "$n_rps" "$n_p99"
printf '%-44s %12s %10s\n' "parcours GET static CSS, gzip (${gzsize} B)" "$sg_rps" "$sg_p99"
printf '%-44s %12s %10s\n' "nginx GET same CSS, gzip_static" "$ng_rps" "$ng_p99"
echo "ratio static parcours/nginx: $(ratio "$s_rps" "$n_rps") (goal >= 0.8)"
echo "ratio static gzip parcours/nginx: $(ratio "$sg_rps" "$ng_rps") (goal >= 0.8)"
