#!/usr/bin/env bash
# Bill run: the demo generator's 100,000 lines (one account each, three months of usage and their
# plan fees in the journal) billed by BillRun, set-based (one INSERT ... SELECT per chunk of 2,000
# accounts). The demo seeds its history with the bill run of each closed month (BillRun.issueHistory,
# the same chunks as the nightly run without its bill-ready SMS); this script starts the hall with
# the generator, reads those runs' times from the log, checks the bills against the journal, and
# writes the bench:billrun section of bench/RESULTS.md.
#
# Options (env): SUBSCRIBERS (default 100000), SKIP_BUILD=1, NO_RESULTS=1 (print only).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SUBSCRIBERS="${SUBSCRIBERS:-100000}"
GOAL_S=120

command -v psql >/dev/null || { log "installing the PostgreSQL client (psql)"; apt-get install -y -qq postgresql-client >/dev/null; }
if [[ "${SKIP_BUILD:-0}" == 1 ]]; then ensure_jar; else build_jar; fi

DATA_DIR="$(mktemp -d /tmp/telehall-bench-billrun.XXXXXX)"
cleanup() {
  stop_hall
  rm -rf "$DATA_DIR"
}
trap cleanup EXIT
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

PORT="$(free_port)"
LOG="$OUT_DIR/billrun-hall.log"
log "generating $SUBSCRIBERS subscribers, then the bill runs of their closed months (several minutes)"
start_hall "$DATA_DIR" "$PORT" "$LOG" --subscribers="$SUBSCRIBERS"
wait_ready "$PORT" 2400
load_after=$(cut -d' ' -f1-3 /proc/loadavg)
PG_PORT=$(sed -n 4p "$DATA_DIR/postgres/postmaster.pid")
sql() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -Atq -c "$1"; }

generator=$(grep -o 'Bulk generation done:.*' "$LOG" | head -1 || echo "n/a")
# "history bills for 2026-10-01: 100002 issued in 41234 ms", one line per closed month
mapfile -t runs < <(grep -o 'history bills for [0-9-]*: [0-9]* issued in [0-9]* ms' "$LOG")
(( ${#runs[@]} > 0 )) || { log "no bill run found in $LOG"; exit 1; }

rows=""
for r in "${runs[@]}"; do
  day=$(sed -E 's/history bills for ([0-9-]+):.*/\1/' <<<"$r")
  n=$(sed -E 's/.*: ([0-9]+) issued.*/\1/' <<<"$r")
  ms=$(sed -E 's/.* in ([0-9]+) ms/\1/' <<<"$r")
  rate=$(awk -v n="$n" -v ms="$ms" 'BEGIN { printf "%.0f", (ms > 0 ? n * 1000 / ms : 0) }')
  verdict=$(awk -v n="$n" -v ms="$ms" -v s="$SUBSCRIBERS" -v g="$GOAL_S" 'BEGIN {
    t = ms / 1000 * 100000 / (n > 0 ? n : 1); if (n >= s && t < g) printf "**met** (%.0f s for 100,000)", t; else printf "**not met** (%.0f s for 100,000)", t }')
  rows+="| cycle closed on $day | $n | $(awk -v ms="$ms" 'BEGIN { printf "%.1f", ms / 1000 }') s | $rate | $verdict |"$'\n'
done

bills=$(sql "select count(*) from bill")
journal=$(sql "select count(*) from journal_line")
# every bill against the journal it was made of: its closing balance is the account's journal sum up to the cycle's end
wrong=$(sql "select count(*) from bill b join ledger_account a on a.customer_id = b.customer_id
  where b.closing_balance_fen <> (select coalesce(sum(l.amount_fen), 0) from journal_line l
                                   where l.account_id = a.id and l.id <= b.journal_watermark
                                     and l.posted_at < b.cycle_end::timestamp at time zone 'Asia/Shanghai')")
twice=$(sql "select count(*) from (select customer_id, cycle_start from bill group by 1, 2 having count(*) > 1) d")

cat >"$OUT_DIR/billrun.md" <<MD
Measured $(date -u '+%Y-%m-%d %H:%M') UTC at commit \`$(cd "$ROOT" && git rev-parse --short HEAD)\`$( (cd "$ROOT" && git diff --quiet) || echo " (work tree with uncommitted changes)"),
$(basename "$(dirname "$(dirname "$(readlink -f "$(command -v "$JAVA")")")")"), $(nproc) cores, load average before → after: $load_before → $load_after
(above ~2 means other builds shared the 2 cores, so the times are pessimistic).
Operator: \`--subscribers=$SUBSCRIBERS\` (generator: $generator), $journal journal lines in all.
Each closed month is one bill run over every account: chunks of 2,000 accounts, each one \`INSERT … SELECT\`
summing the account's journal by reason code, in its own transaction. The bill-ready SMS of the nightly run
are not part of these runs (the demo's history is told already).

| run | bills | time | bills/s | goal: 100,000 bills < $GOAL_S s on 2 cores |
|---|---|---|---|---|
$rows
After the runs: $bills bills, $wrong whose closing balance differs from the journal, $twice accounts billed twice for a cycle.
MD
cat "$OUT_DIR/billrun.md"
if [[ "${NO_RESULTS:-0}" != 1 ]]; then
  if ! grep -q '<!-- bench:billrun:begin -->' "$BENCH_DIR/RESULTS.md"; then
    printf '\n## Bill run (issue 7)\n`bench/billrun.sh`\n<!-- bench:billrun:begin -->\n<!-- bench:billrun:end -->\n' >>"$BENCH_DIR/RESULTS.md"
  fi
  section billrun "$OUT_DIR/billrun.md"
  log "wrote the bench:billrun section of bench/RESULTS.md"
fi
