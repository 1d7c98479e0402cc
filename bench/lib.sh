# Shared helpers for the bench/ scripts (sourced).
set -euo pipefail
BENCH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

bench_build() {  # quiet, but shows the build's output when it fails
  local log
  log=$(mktemp)
  if ! (cd "$BENCH_ROOT" && scripts/setup.sh bench &&
    cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release -DPARCOURS_TESTS=OFF &&
    cmake --build build-release -j"$(nproc)") >"$log" 2>&1; then
    tail -n 40 "$log" >&2
    echo "bench: release build failed (full log: $log)" >&2
    return 1
  fi
  rm -f "$log"
  PARCOURS="$BENCH_ROOT/build-release/parcours"
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_http() {  # up to 60 s: a start-up on a loaded machine can take more than 10
  for _ in $(seq 1 1200); do curl -fsS -o /dev/null "$1" 2>/dev/null && return 0; sleep 0.05; done
  echo "not answering: $1" >&2; return 1
}

# wrk_run URL CONNECTIONS SECONDS [extra wrk args] -> prints "RPS P99_MS"
wrk_run() {
  local url=$1 c=$2 d=$3; shift 3
  local out
  out=$(wrk -t2 -c"$c" -d"${d}s" --latency "$@" "$url")
  # A server that answers errors fast must not pass for a fast server.
  if grep -q 'Non-2xx' <<<"$out"; then
    echo "wrk: non-2xx responses from $url:" >&2
    echo "$out" >&2
    echo "failed failed"
    return 0
  fi
  local rps p99
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  echo "$rps $(to_ms "$p99")"
}

to_ms() {
  local v=$1
  case "$v" in
    *us) awk -v x="${v%us}" 'BEGIN{printf "%.3f", x/1000}' ;;
    *ms) awk -v x="${v%ms}" 'BEGIN{printf "%.3f", x}' ;;
    *s) awk -v x="${v%s}" 'BEGIN{printf "%.3f", x*1000}' ;;
    *) echo "$v" ;;
  esac
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN{ if (b>0) printf "%.2f", a/b; else print "n/a" }'; }

start_nginx() {  # start_nginx ROOT PORT -> sets NGINX_DIR
  NGINX_DIR=$(mktemp -d)
  cat >"$NGINX_DIR/nginx.conf" <<CONF
worker_processes 2;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on; tcp_nopush on; tcp_nodelay on;
  keepalive_requests 1000000;
  types { text/css css; text/html html; }
  # Serves FILE.gz when it exists and the client accepts gzip, as parcours
  # serves its precompressed copy.
  gzip_static on;
  server { listen 127.0.0.1:$2; root $1; etag on; }
}
CONF
  nginx -c "$NGINX_DIR/nginx.conf" -p "$NGINX_DIR"
}

stop_nginx() { [ -n "${NGINX_DIR:-}" ] && nginx -c "$NGINX_DIR/nginx.conf" -p "$NGINX_DIR" -s stop 2>/dev/null || true; }

# insert_bench_alerts DB COUNT NOW_MS: COUNT alerts of Hauts-de-France written
# straight into a migrated SQLite file (what is measured is the reading of
# them, not their inserts): urgencies and statuses in turn, deadlines
# spread over ±1000 minutes around NOW_MS.
insert_bench_alerts() {
  sqlite3 "$1" <<SQL
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $2)
INSERT INTO alerts (id, reference, created_at, kind, territory_code, urgency, deadline_at, status,
  crisis, updated_at, source)
SELECT printf('bench%021d', i), printf('BENCH-%05d-%05d', i / 100000, i % 100000), $3 - i * 1000,
  'recontact', 'hauts-de-france', CASE i % 4 WHEN 0 THEN 'immediate' WHEN 1 THEN '24h' WHEN 2 THEN '72h' ELSE '7d' END,
  $3 + (i % 2000 - 1000) * 60000, CASE i % 5 WHEN 0 THEN 'closed' WHEN 1 THEN 'qualified' ELSE 'new' END,
  0, $3, 'parent' FROM n;
SQL
}
