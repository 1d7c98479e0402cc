#!/usr/bin/env bash
# The outbox drained by two instances (issue 12), release build, PostgreSQL 15
# (scripts/with-postgres.sh, throw-away server):
#   1. the sinks' own maximum rate, measured in the same run: a plain client
#      (bench/outbox_blast.py: smtplib / http.client, 4 threads, kept
#      connections) blasting the SMTP sink (tests/support/smtp_sink.py,
#      python3-aiosmtpd) and the SMS gateway (tests/support/sms_gateway.mjs);
#   2. MESSAGES due messages (half e-mails, half SMS; `parcours outbox test
#      --count`) drained by two `parcours jobs run` processes at once
#      (--outbox-workers 4 each) to the same sink and gateway: messages/s
#      from the first claim to the last acknowledgement, beside the sinks'
#      rates, and the duplicates (an e-mail's Message-ID or an SMS's
#      idempotency key seen twice): must be 0.
# The two instances are jobs runs (the sender `serve` runs in its
# scheduler), so the figure is the sender's, not the HTTP server's.
#
# Usage: bench/outbox.sh [MESSAGES (100000)] [BLAST (5000)]
# PARCOURS_BENCH_BIN=path/to/parcours skips the release build and measures
# that binary instead (say which in the figures: an ASan build is slower).
source "$(dirname "$0")/lib.sh"
messages=${1:-100000}
blast=${2:-5000}
if [ -n "${PARCOURS_BENCH_BIN:-}" ]; then
  PARCOURS=$PARCOURS_BENCH_BIN
  mkdir -p "$BENCH_ROOT/build-release"
else
  bench_build
fi
work=$(mktemp -d "$BENCH_ROOT/build-release/bench-outbox.XXXXXX")
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done; wait 2>/dev/null; rm -rf "$work"' EXIT
load=$(cut -d' ' -f1-3 /proc/loadavg)

start_sink() {  # start_sink NAME CMD... -> prints the port
  local name=$1; shift
  "$@" --log "$work/$name.jsonl" >"$work/$name.out" 2>"$work/$name.err" &
  pids+=($!)
  for _ in $(seq 1 200); do
    grep -q '^listening' "$work/$name.out" 2>/dev/null && break
    sleep 0.05
  done
  sed -n 's/^listening //p' "$work/$name.out"
}

smtp_port=$(start_sink smtp /usr/bin/python3 "$BENCH_ROOT/tests/support/smtp_sink.py")
sms_port=$(start_sink sms node "$BENCH_ROOT/tests/support/sms_gateway.mjs")
[ -n "$smtp_port" ] && [ -n "$sms_port" ] || { echo "sinks did not start" >&2; cat "$work"/*.err >&2; exit 1; }

# 1. The sinks' own rate.
read -r _ _ smtp_rate < <(python3 "$BENCH_ROOT/bench/outbox_blast.py" smtp "$smtp_port" "$blast" 4)
read -r _ _ sms_rate < <(python3 "$BENCH_ROOT/bench/outbox_blast.py" sms "$sms_port" "$blast" 4)
mails_before=$(wc -l <"$work/smtp.jsonl")
sms_before=$(wc -l <"$work/sms.jsonl")

# 2. The drain, on PostgreSQL.
cat >"$work/pg.sh" <<'SH'
set -euo pipefail
db=$PARCOURS_TEST_DATABASE
key="$work/contact.key"
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' >"$key"; chmod 600 "$key"
"$PARCOURS" migrate --database "$db" --key-file "$key" >/dev/null
half=$((messages / 2))
"$PARCOURS" outbox test --database "$db" --key-file "$key" --email sink@parcours.test \
  --phone +33600000000 --count "$half" >/dev/null
args=(jobs run --database "$db" --key-file "$key" --log-level warn --outbox-workers 4
  --smtp-url "smtp://127.0.0.1:$smtp_port" --smtp-from "Parcours DPP <bench@parcours.test>"
  --sms-gateway-url "http://127.0.0.1:$sms_port/sms")
t0=$(date +%s.%N)
"$PARCOURS" "${args[@]}" 2>"$work/a.err" & a=$!
"$PARCOURS" "${args[@]}" 2>"$work/b.err" & b=$!
wait $a; wait $b
t1=$(date +%s.%N)
sent=$(/usr/lib/postgresql/15/bin/psql -X -qtA "$db" -c "SELECT count(*) FROM outbox_messages WHERE status = 'sent'")
echo "$t0 $t1 $sent" >"$work/pg.out"
SH
export PARCOURS work messages smtp_port sms_port
"$BENCH_ROOT/scripts/with-postgres.sh" bash "$work/pg.sh" 2>>"$work/pg.err" ||
  { echo "PostgreSQL run failed:" >&2; tail -n 20 "$work/pg.err" "$work/a.err" "$work/b.err" >&2; exit 1; }
read -r t0 t1 sent <"$work/pg.out"
secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}')
rate=$(awk -v n="$sent" -v s="$secs" 'BEGIN{printf "%.0f", n/s}')
read -r mails mail_dups < <(tail -n +"$((mails_before + 1))" "$work/smtp.jsonl" |
  python3 -c 'import sys,json,collections; c=collections.Counter(json.loads(l)["message_id"] for l in sys.stdin); print(sum(c.values()), sum(v-1 for v in c.values()))')
read -r sms sms_dups < <(tail -n +"$((sms_before + 1))" "$work/sms.jsonl" |
  python3 -c 'import sys,json,collections; c=collections.Counter(json.loads(l)["idempotency_key"] for l in sys.stdin); print(sum(c.values()), sum(v-1 for v in c.values()))')

echo "$(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average before: $load (shared machine), binary: $PARCOURS"
printf '%-66s %12s\n' "what" "messages/s"
printf '%-66s %12s\n' "SMTP sink, plain client blasting it (4 threads, $blast messages)" "$smtp_rate"
printf '%-66s %12s\n' "SMS gateway, plain client blasting it (4 threads, $blast messages)" "$sms_rate"
printf '%-66s %12s\n' "outbox: $sent of $messages messages by 2 instances in ${secs}s" "$rate"
echo "delivered: $mails e-mails, $sms SMS; duplicates: $mail_dups e-mails, $sms_dups SMS (must be 0)"
echo "ratio outbox / (harmonic SMTP+SMS sink rate): $(awk -v r="$rate" -v a="$smtp_rate" -v b="$sms_rate" 'BEGIN{h=2/(1/a+1/b); printf "%.2f", r/h}')"
[ "$sent" = "$messages" ] && [ "$mail_dups" = 0 ] && [ "$sms_dups" = 0 ]
