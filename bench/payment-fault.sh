#!/usr/bin/env bash
# Payments under a crash (issue 5): top-ups driven concurrently while the simulated provider's
# notifications go out once, twice, late, never or are lost, then the whole node is killed with
# kill -9 in the middle (the hall's JVM and its embedded PostgreSQL with every backend: nothing gets
# to shut down), started again on the same data, and left to recover by itself (the order query of
# the sweeper and reconciliation against the provider's settlement file). Then proves, in SQL on the
# database: every payment the provider confirmed is credited exactly once with its amount, nothing is
# credited without a confirmed payment, every journal entry sums to zero and every account equals its
# journal. Writes the bench:payment-fault section of bench/RESULTS.md. (The test suite has a CI-sized
# twin: PaymentFaultTest.)
#
# Options (env): PAYERS (default 100), CONCURRENCY (driver workers, 8), KILL_AFTER (seconds of load
# before the kill, 20), RECOVERY_TIMEOUT (seconds, 300), SKIP_BUILD=1, NO_RESULTS=1 (print only).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PAYERS="${PAYERS:-100}"
CONCURRENCY="${CONCURRENCY:-8}"
KILL_AFTER="${KILL_AFTER:-20}"
RECOVERY_TIMEOUT="${RECOVERY_TIMEOUT:-300}"

command -v psql >/dev/null || { log "installing the PostgreSQL client (psql)"; apt-get install -y -qq postgresql-client >/dev/null; }
if [[ "${SKIP_BUILD:-0}" == 1 ]]; then ensure_jar; else build_jar; fi
load_driver PaymentLoad

DATA_DIR="$(mktemp -d /tmp/telehall-bench-fault.XXXXXX)"
cleanup() {
  stop_hall
  [[ -n "${DRIVER_PID:-}" ]] && kill "$DRIVER_PID" 2>/dev/null || true
  rm -rf "$DATA_DIR"
}
trap cleanup EXIT

PORT="$(free_port)"
HALL_ARGS=(--telehall.payments.surge.per-user=1000000)
start_hall "$DATA_DIR" "$PORT" "$OUT_DIR/fault-hall-1.log" --subscribers="$PAYERS" "${HALL_ARGS[@]}"
wait_ready "$PORT" 900
URL="http://127.0.0.1:$PORT"
pg_port() { sed -n 4p "$DATA_DIR/postgres/postmaster.pid"; }
sql() { psql -h 127.0.0.1 -p "$(pg_port)" -U postgres -d postgres -Atq -c "$1"; }

sql "select msisdn from line where msisdn like '147%' order by id limit $PAYERS" >"$OUT_DIR/fault-msisdns.txt"
"$JAVA" -cp "$OUT_DIR/classes" PaymentLoad login "$URL" "$OUT_DIR/fault-msisdns.txt" Demo@2026 "$OUT_DIR/fault-tokens.txt" >/dev/null

log "driving top-ups with notifications once/twice/late/never/lost on $CONCURRENCY workers; kill -9 after ${KILL_AFTER}s"
PAYMENT_LOAD_IDS="$OUT_DIR/fault-answered" "$JAVA" -cp "$OUT_DIR/classes" PaymentLoad fault "$URL" "$OUT_DIR/fault-tokens.txt" "$CONCURRENCY" 600 >"$OUT_DIR/fault-driver.log" 2>&1 &
DRIVER_PID=$!
for _ in $(seq 1 600); do grep -q '^running' "$OUT_DIR/fault-driver.log" 2>/dev/null && break; sleep 0.1; done
sleep "$KILL_AFTER"

# the crash: the JVM, the postmaster and every backend at once, all processes this script started
PG_PID=$(sed -n 1p "$DATA_DIR/postgres/postmaster.pid")
VICTIMS=("$HALL_PID" "$PG_PID" $(pgrep -P "$PG_PID" || true))
log "kill -9 ${VICTIMS[*]} (hall JVM, postmaster, backends)"
kill -9 "${VICTIMS[@]}" 2>/dev/null || true
wait "$HALL_PID" 2>/dev/null || true
HALL_PID=
for pid in "${VICTIMS[@]}"; do
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
done
rm -f "$DATA_DIR/postgres/postmaster.pid"   # every process of that server is gone; the file is stale
wait "$DRIVER_PID" 2>/dev/null || true
DRIVER_PID=
DRIVER=$(tail -1 "$OUT_DIR/fault-driver.log")
log "driver: $DRIVER"

log "restarting on the same data (PostgreSQL recovers from its WAL); reconciliation every 15 s, sweeper every 5 s"
start_hall "$DATA_DIR" "$PORT" "$OUT_DIR/fault-hall-2.log" "${HALL_ARGS[@]}" \
  --telehall.payments.reconcile-cron="*/15 * * * * *" --telehall.payments.query-every=5s
wait_ready "$PORT" 600

NOT_CREDITED_SQL="select count(*) from sim_provider_trade t join payment_order o on 'TH' || o.id = t.out_trade_no
  where t.status = 'TRADE_SUCCESS' and o.status <> 'PAID'"
AT_RESTART=$(sql "$NOT_CREDITED_SQL")
PAID_AT_PROVIDER=$(sql "select count(*) from sim_provider_trade where status = 'TRADE_SUCCESS'")
log "after the restart: $PAID_AT_PROVIDER payments confirmed by the provider, $AT_RESTART of them not credited yet"
started=$(date +%s)
while (( $(sql "$NOT_CREDITED_SQL") > 0 )) && (( $(date +%s) - started < RECOVERY_TIMEOUT )); do sleep 5; done
RECOVERY_S=$(( $(date +%s) - started ))
LEFT=$(sql "$NOT_CREDITED_SQL")

PAID_NOT_ONCE=$(sql "select count(*) from sim_provider_trade t join payment_order o on 'TH' || o.id = t.out_trade_no
  where t.status = 'TRADE_SUCCESS' and (o.status <> 'PAID'
    or (select count(*) from journal_entry e where e.business_key in ('payment:' || o.id, 'recredit:' || o.id)) <> 1
    or (select sum(l.amount_fen) from journal_entry e join journal_line l on l.entry_id = e.id
          join ledger_account a on a.id = l.account_id and a.customer_id = o.target_customer_id
         where e.business_key = 'payment:' || o.id) <> t.amount_fen)")
CREDIT_NO_PAYMENT=$(sql "select count(*) from journal_entry e where e.business_key like 'payment:%' and not exists
  (select 1 from sim_provider_trade t where t.out_trade_no = 'TH' || substr(e.business_key, 9) and t.status = 'TRADE_SUCCESS')")
UNBALANCED=$(sql "select count(*) from (select entry_id from journal_line group by entry_id having sum(amount_fen) <> 0) x")
ACCOUNTS_OFF=$(sql "select count(*) from ledger_account a where a.kind = 'CUSTOMER_PREPAID'
  and a.balance_fen <> (select coalesce(sum(l.amount_fen), 0) from journal_line l where l.account_id = a.id)")
BY_QUERY=$(sql "select count(*) from payment_event where step = 'PAID' and detail like 'query%'")
BY_RECON=$(sql "select count(*) from payment_event where step = 'PAID' and detail like 'reconciliation%'")
ORDERS=$(sql "select count(*) from payment_order")
# what the hall answered before it died must still be there: each order answered 201, each credit answered "success"
in_list() { paste -sd, "$1"; }
ANSWERED_ORDERS=$(wc -l <"$OUT_DIR/fault-answered-orders.txt")
ANSWERED_CREDITS=$(wc -l <"$OUT_DIR/fault-answered-credits.txt")
LOST_ORDERS=0; LOST_CREDITS=0
if (( ANSWERED_ORDERS > 0 )); then
  LOST_ORDERS=$(sql "select $ANSWERED_ORDERS - count(*) from payment_order where id in ($(in_list "$OUT_DIR/fault-answered-orders.txt"))")
fi
if (( ANSWERED_CREDITS > 0 )); then
  # credited by that notification (not again later by the query or reconciliation, which would mean it was lost)
  LOST_CREDITS=$(sql "select $ANSWERED_CREDITS - count(distinct payment_id) from payment_event
    where step = 'PAID' and detail like 'notify%' and payment_id in ($(in_list "$OUT_DIR/fault-answered-credits.txt"))")
fi
ERRORS=$(( PAID_NOT_ONCE + CREDIT_NO_PAYMENT + UNBALANCED + ACCOUNTS_OFF + LOST_ORDERS + LOST_CREDITS ))
VERDICT="passed"; (( ERRORS == 0 )) || VERDICT="FAILED"
log "money errors: $ERRORS ($VERDICT)"

out="$(mktemp)"
{
  echo "Run $(date -u '+%Y-%m-%d %H:%M') UTC at commit \`$(git -C "$ROOT" rev-parse --short HEAD)\`: $PAYERS payers, $CONCURRENCY driver workers,"
  echo "kill -9 of the hall's JVM, its PostgreSQL postmaster and all backends after ${KILL_AFTER}s of load, restart on the same data."
  echo
  echo "| | |"
  echo "|---|---|"
  echo "| orders created before the kill | $ORDERS |"
  echo "| payments the provider confirmed | $PAID_AT_PROVIDER |"
  echo "| of them not credited when the hall came back | $AT_RESTART |"
  echo "| credited after the restart by the order query / by reconciliation | $BY_QUERY / $BY_RECON (the query's \"PAID\" events count from the whole run) |"
  echo "| time until every confirmed payment was credited | ${RECOVERY_S}s (left uncredited: $LEFT) |"
  echo "| orders answered 201 before the kill / missing afterwards | $ANSWERED_ORDERS / $LOST_ORDERS |"
  echo "| credits answered \"success\" to the provider before the kill / not there afterwards (credited again only by recovery) | $ANSWERED_CREDITS / $LOST_CREDITS |"
  echo "| confirmed but not credited exactly once with its amount | $PAID_NOT_ONCE |"
  echo "| credited without a confirmed payment | $CREDIT_NO_PAYMENT |"
  echo "| journal entries not summing to zero / accounts not equal to their journal | $UNBALANCED / $ACCOUNTS_OFF |"
  echo "| verdict | **$VERDICT** |"
  echo
  echo "Driver before the kill: \`$DRIVER\`"
} >"$out"
cat "$out"
if [[ "${NO_RESULTS:-0}" != 1 ]]; then
  grep -q "<!-- bench:payment-fault:begin -->" "$BENCH_DIR/RESULTS.md" || printf '\n## Payments under kill -9\n<!-- bench:payment-fault:begin -->\n<!-- bench:payment-fault:end -->\n' >>"$BENCH_DIR/RESULTS.md"
  section payment-fault "$out"
fi
rm -f "$out"
(( ERRORS == 0 ))
