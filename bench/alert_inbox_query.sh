#!/usr/bin/env bash
# The alert inbox's database work alone (issue 11's gap), on SQLite: one
# page of the default view (open alerts, 200) of a territory holding INBOX
# alerts (bench/alerts.sh's rows), read
#   - by the reference: the single statement the inbox used before V012
#     (instr() over the territory list, CASE ordering: scans and sorts every
#     alert of the territory), and
#   - by the range queries of src/storage/alert_search.cpp (one per
#     territory × status × deadline part, each walking alerts_inbox),
# in the same process on the same file, REPEAT times each; prints median
# and p99 per page and the ratios, and checks both give the same rows in the
# same order. The schema is the real one (`parcours migrate`); the timings
# are SQLite's alone, so PARCOURS_BIN may name any build of parcours to
# create it with (default: the release build, built here).
#
# Usage: bench/alert_inbox_query.sh [INBOX (20000)] [REPEAT (300)]
source "$(dirname "$0")/lib.sh"
inbox=${1:-20000}
repeat=${2:-300}
if [ -n "${PARCOURS_BIN:-}" ]; then PARCOURS=$PARCOURS_BIN; else bench_build; fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
db="$work/inbox.db"
"$PARCOURS" migrate --database "sqlite:$db" --share-dir "$BENCH_ROOT" >/dev/null 2>&1
now=$(date +%s%3N)
insert_bench_alerts "$db" "$inbox" "$now"
python3 - "$db" "$now" "$repeat" "$inbox" <<'PY'
import sqlite3, statistics, sys, time
db, now, repeat, inbox = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
COLS = ("id, reference, created_at, kind, screening_id, territory_code, urgency, deadline_at, "
        "status, crisis, contact_sealed, updated_at, sub_territory_code, contact_key, "
        "suspected_flood, source, level, assigned_user_id, emitter_user_id, reporter_sealed, "
        "closed_outcome, resource_id, consultation_id, version")
# The statement of src/storage/sqlite/sqlite_alerts.cpp before V012.
OLD = ("SELECT " + COLS + " FROM alerts WHERE instr(',' || ?1 || ',', ',' || territory_code || ',') > 0 "
       "AND (?2 IS NULL OR (?2 = 'open' AND status <> 'closed') OR status = ?2) "
       "AND (?3 IS NULL OR urgency = ?3) AND (?4 IS NULL OR sub_territory_code = ?4) "
       "AND (?5 IS NULL OR source = ?5) AND (?6 IS NULL OR emitter_user_id = ?6) "
       "AND (?7 = 0 OR (status <> 'closed' AND deadline_at < ?8)) AND (?9 = 0 OR suspected_flood = 1) "
       "ORDER BY CASE WHEN status <> 'closed' AND deadline_at < ?8 THEN 0 ELSE 1 END, "
       "deadline_at, created_at, id LIMIT ?10")
# kSearchRange of src/storage/sqlite/sqlite_alerts.cpp.
RANGE = ("SELECT " + COLS + " FROM alerts WHERE territory_code = ?1 AND status = ?2 "
         "AND deadline_at >= ?3 AND deadline_at <= ?4 AND (?5 IS NULL OR urgency = ?5) "
         "AND (?6 IS NULL OR sub_territory_code = ?6) AND (?7 IS NULL OR source = ?7) "
         "AND (?8 IS NULL OR emitter_user_id = ?8) AND (?9 = 0 OR suspected_flood = 1) "
         "ORDER BY deadline_at, created_at, id LIMIT ?10")
MIN, MAX = -(2**63), 2**63 - 1
OPEN = ["new", "qualified", "assigned", "in_contact"]

def reference(c):
    return c.execute(OLD, ("hauts-de-france", "open", None, None, None, None, 0, now, 0, 200)).fetchall()

def ranges(c):  # SearchAlertRanges: overdue part, then the rest for what is left
    out = []
    for lo, hi in ((MIN, now - 1), (now, MAX)):
        left = 200 - len(out)
        if left <= 0:
            break
        part = []
        for s in OPEN:
            part += c.execute(RANGE, ("hauts-de-france", s, lo, hi, None, None, None, None, 0, left)).fetchall()
        part.sort(key=lambda r: (r[7], r[2], r[0]))
        out += part[:left]
    return out

def measure(f, c):
    ts = []
    for _ in range(repeat):
        t = time.perf_counter()
        rows = f(c)
        ts.append((time.perf_counter() - t) * 1000)
    ts.sort()
    return rows, statistics.median(ts), ts[max(0, int(len(ts) * 0.99) - 1)]

c = sqlite3.connect(db)
plan = c.execute("EXPLAIN QUERY PLAN " + RANGE, ("t", "new", MIN, now, None, None, None, None, 0, 200)).fetchall()
ref_rows, ref_med, ref_p99 = measure(reference, c)
new_rows, new_med, new_p99 = measure(ranges, c)
print(f"inbox query, {inbox} alerts in the territory, a page of 200 open alerts, {repeat} runs each")
print(f"  range plan: {plan[0][3]}")
print(f"  reference (one statement, before V012): median {ref_med:.2f} ms, p99 {ref_p99:.2f} ms")
print(f"  range queries (alerts_inbox):           median {new_med:.2f} ms, p99 {new_p99:.2f} ms")
print(f"  ratio range / reference: median {new_med / ref_med:.3f}, p99 {new_p99 / ref_p99:.3f}")
same = [r[0] for r in ref_rows] == [r[0] for r in new_rows]
print(f"  same {len(new_rows)} rows in the same order: {'yes' if same else 'NO'}")
sys.exit(0 if same else 1)
PY
