#!/usr/bin/env bash
# Directory benchmarks, each next to its reference in the same run:
#  1. nearest-10 search over RESOURCES (default 500 000) resources: in
#     process (app::DirectorySearch, quadtree per level/kind) vs PostGIS KNN
#     (postgresql-15-postgis-3, geography + GiST, `ORDER BY geog <-> point`),
#     queries back to back over one persistent local connection;
#  2. `parcours import rpps` of a LINES-line (default 2 000 000) RPPS-format
#     file, applied for real into SQLite (lines/s, peak RSS from
#     /usr/bin/time) vs PostgreSQL `COPY` of the same file into a staging
#     table (psql \copy, same server).
# Usage: bench/directory.sh [RESOURCES] [LINES] [QUERIES]
source "$(dirname "$0")/lib.sh"
resources=${1:-500000}
lines=${2:-2000000}
queries=${3:-20000}
bench_build
BENCH="$BENCH_ROOT/build-release/directory_bench"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export work resources lines queries BENCH PARCOURS

"$BENCH_ROOT/scripts/with-postgres.sh" bash -c '
set -euo pipefail
pg=$PARCOURS_TEST_PG_URL
echo "== nearest-10 search: $resources resources, $queries queries"
"$BENCH" knn "sqlite:$work/knn.db" "$pg" "$resources" "$queries" | tee "$work/knn.txt"

echo "== RPPS import: $lines lines"
"$BENCH" gen-rpps "$work/rpps.txt" "$lines"
ls -l "$work/rpps.txt" | awk "{printf \"file_bytes %s\n\", \$5}"
"$PARCOURS" migrate --database "sqlite:$work/import.db" >/dev/null
/usr/bin/time -f "%e %M" -o "$work/time.txt" \
  "$PARCOURS" import rpps "$work/rpps.txt" --database "sqlite:$work/import.db" --log-level warn \
  > "$work/import.txt"
cat "$work/import.txt"
read -r secs rss_kb < "$work/time.txt"
echo "import_seconds $secs"
echo "import_lines_per_s $(awk -v l="$lines" -v s="$secs" "BEGIN{printf \"%.0f\", l/s}")"
echo "import_peak_rss_mb $(awk -v k="$rss_kb" "BEGIN{printf \"%.0f\", k/1024}")"
/usr/bin/time -f "%e %M" -o "$work/time2.txt" \
  "$PARCOURS" import rpps "$work/rpps.txt" --database "sqlite:$work/import.db" --log-level warn \
  > "$work/import2.txt"
read -r secs2 rss2 < "$work/time2.txt"
grep -E "unchanged" "$work/import2.txt"
echo "reimport_seconds $secs2"
echo "reimport_lines_per_s $(awk -v l="$lines" -v s="$secs2" "BEGIN{printf \"%.0f\", l/s}")"

cols=$(head -1 "$work/rpps.txt" | awk -F"|" "{print NF}")
ddl="CREATE TABLE staging ("
for i in $(seq 1 "$cols"); do ddl="$ddl c$i text"; [ "$i" -lt "$cols" ] && ddl="$ddl,"; done
ddl="$ddl)"
psql -q "$pg" -c "DROP TABLE IF EXISTS staging" -c "$ddl"
start=$(date +%s.%N)
psql -q "$pg" -c "\\copy staging FROM '"'"'$work/rpps.txt'"'"' WITH (FORMAT csv, DELIMITER '"'"'|'"'"', HEADER true, QUOTE E'"'"'\\x01'"'"')"
end=$(date +%s.%N)
copy_secs=$(awk -v a="$start" -v b="$end" "BEGIN{printf \"%.2f\", b-a}")
echo "copy_rows $(psql -qtA "$pg" -c "SELECT count(*) FROM staging")"
echo "copy_seconds $copy_secs"
echo "copy_lines_per_s $(awk -v l="$lines" -v s="$copy_secs" "BEGIN{printf \"%.0f\", l/s}")"
echo "import_vs_copy_speed $(awk -v a="$copy_secs" -v b="$secs" "BEGIN{printf \"%.2f\", a/b}")"
' | tee "$work/all.txt"

echo
echo "== summary"
get() { awk -v k="$1" '$1==k {print $2}' "$work/all.txt" | tail -1; }
printf '%-44s %10s %10s\n' "nearest-10 ($resources resources)" "p50 µs" "p99 µs"
printf '%-44s %10s %10s\n' "in process, memory only (per level)" "$(get memory_knn10_p50_us)" "$(get memory_knn10_p99_us)"
printf '%-44s %10s %10s\n' "in process, memory only (rare kind 0.2 %)" "$(get memory_knn10_rare_kind_p50_us)" "$(get memory_knn10_rare_kind_p99_us)"
printf '%-44s %10s %10s\n' "in process, use case + rows from SQLite" "$(get usecase_knn10_with_rows_p50_us)" "$(get usecase_knn10_with_rows_p99_us)"
printf '%-44s %10s %10s\n' "PostGIS KNN (GiST, one connection)" "$(get postgis_knn10_p50_us)" "$(get postgis_knn10_p99_us)"
printf '%-44s %10s %10s\n' "PostGIS KNN, rare kind" "$(get postgis_knn10_rare_kind_p50_us)" "$(get postgis_knn10_rare_kind_p99_us)"
echo "p99 ratio PostGIS / in-process memory: $(ratio "$(get postgis_knn10_p99_us)" "$(get memory_knn10_p99_us)") (goal >= 10, p99 <= 1000 µs)"
echo "p99 ratio PostGIS / in-process use case: $(ratio "$(get postgis_knn10_p99_us)" "$(get usecase_knn10_with_rows_p99_us)")"
echo "RPPS import: $(get import_lines_per_s) lines/s, peak RSS $(get import_peak_rss_mb) MB (goals >= 500000, <= 300 MB);" \
  "COPY: $(get copy_lines_per_s) lines/s; import/COPY speed $(get import_vs_copy_speed) (goal > 1)"
