#!/usr/bin/env bash
# Rating throughput: usage records for the 100,000 generated lines of the demo generator, rated
# through the API (POST /api/v1/usage-batches, client-credentials token, several clients) and through
# the file drop (CSV files renamed into the drop directory). Records sustained records/s, p99 time from
# arrival to visible (committed, synchronous_commit on), the CPU each record cost (the hall's JVM and
# its PostgreSQL apart), and memory (RSS), then writes the bench:rating section of bench/RESULTS.md.
#
# Options (env): SUBSCRIBERS (default 100000), BASE_DATA=dir (a data dir from an earlier run's
# generator, copied instead of generating anew: KEEP_DATA=1 keeps this run's in bench/out/rating-data),
# API_RECORDS (default 1000000), API_BATCH (10000), API_CLIENTS (2), FILE_RECORDS (1000000),
# FILE_BATCH (10000), FILE_RATE (records/s for the paced file run, default 50000: the goal), WARMUP (400000 through
# the API before its run), FILE_WARMUP (200000 through the file drop before its runs: the JIT compiler has then done
# most of its work, so the runs measure the sustained cost; its CPU in each run is reported apart),
# SKIP_BUILD=1, NO_RESULTS=1 (print only), PG_STATEMENTS=1 (with BASE_DATA: load pg_stat_statements and write each
# run's top statements to bench/out/rating-NAME-statements.txt).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SUBSCRIBERS="${SUBSCRIBERS:-100000}"
API_RECORDS="${API_RECORDS:-1000000}"
API_BATCH="${API_BATCH:-10000}"
API_CLIENTS="${API_CLIENTS:-2}"
FILE_RECORDS="${FILE_RECORDS:-1000000}"
FILE_BATCH="${FILE_BATCH:-10000}"
FILE_RATE="${FILE_RATE:-50000}"
WARMUP="${WARMUP:-400000}"
FILE_WARMUP="${FILE_WARMUP:-200000}"
GOAL_RPS=50000
GOAL_P99_MS=1000

command -v psql >/dev/null || { log "installing the PostgreSQL client (psql)"; apt-get install -y -qq postgresql-client >/dev/null; }
if [[ "${SKIP_BUILD:-0}" == 1 ]]; then ensure_jar; else build_jar; fi

DATA_DIR="$(mktemp -d /tmp/telehall-bench-rating.XXXXXX)"
cleanup() {
  stop_hall
  [[ -n "${SAMPLER_PID:-}" ]] && kill "$SAMPLER_PID" 2>/dev/null || true
  if [[ "${KEEP_DATA:-0}" == 1 ]]; then rm -rf "$OUT_DIR/rating-data"; mv "$DATA_DIR" "$OUT_DIR/rating-data"; else rm -rf "$DATA_DIR"; fi
}
trap cleanup EXIT
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

PORT="$(free_port)"
DROP="$DATA_DIR/usage-drop"
HALL_ARGS=(--telehall.usage.drop-settle=0s --telehall.usage.drop-dir="$DROP")
if [[ -n "${BASE_DATA:-}" ]]; then
  log "copying the generated operator from $BASE_DATA"
  cp -a "$BASE_DATA/postgres" "$DATA_DIR/postgres"
  rm -f "$DATA_DIR/postgres/postmaster.pid"
  if [[ "${PG_STATEMENTS:-0}" == 1 ]]; then
    # postgresql.auto.conf is read at start; the hall passes its own settings as options, and sets no preload libraries
    echo "shared_preload_libraries = 'pg_stat_statements'" >>"$DATA_DIR/postgres/postgresql.auto.conf"
  fi
  start_hall "$DATA_DIR" "$PORT" "$OUT_DIR/rating-hall.log" "${HALL_ARGS[@]}"
  wait_ready "$PORT" 300
else
  log "generating $SUBSCRIBERS subscribers (several minutes)"
  start_hall "$DATA_DIR" "$PORT" "$OUT_DIR/rating-hall.log" --subscribers="$SUBSCRIBERS" "${HALL_ARGS[@]}"
  wait_ready "$PORT" 1200
fi
URL="http://127.0.0.1:$PORT"
PG_PORT=$(sed -n 4p "$DATA_DIR/postgres/postmaster.pid")
PG_PID=$(sed -n 1p "$DATA_DIR/postgres/postmaster.pid")
sql() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -Atq -c "$1"; }

sql "select msisdn from line where msisdn like '147%' order by id" >"$OUT_DIR/rating-msisdns.txt"
LINES=$(wc -l <"$OUT_DIR/rating-msisdns.txt")
log "$LINES generated lines"
TOKEN=$(curl -fs -u demo-network:demo-network-secret -d 'grant_type=client_credentials&scope=network' "$URL/oauth2/token" \
  | sed -E 's/.*"access_token":"([^"]+)".*/\1/')

pg_ticks() { pg_process_ticks "$PG_PID"; }
pg_rss_kb() { ps -o rss= -p "$PG_PID" --ppid "$PG_PID" | awk '{ s += $1 } END { print s }'; }
TICKS=$(getconf CLK_TCK)

# RSS of the JVM and of PostgreSQL, sampled every second while the runs go: the peaks are kept
: >"$OUT_DIR/rating-rss.txt"
( while kill -0 "$HALL_PID" 2>/dev/null; do
    echo "$(ps -o rss= -p "$HALL_PID" | tr -d ' ') $(pg_rss_kb)" >>"$OUT_DIR/rating-rss.txt"; sleep 1
  done ) &
SAMPLER_PID=$!

load() { java "$BENCH_DIR/RatingLoad.java" "$@"; }

# jit_ticks PID: CPU ticks of the JVM's JIT compiler threads so far (their share of the hall's JVM CPU)
jit_ticks() {
  local total=0 task
  for task in /proc/"$1"/task/*; do
    case "$(cat "$task/comm" 2>/dev/null)" in
      C1\ Compiler*|C2\ Compiler*) total=$(( total + $(awk '{ print $14 + $15 }' "$task/stat" 2>/dev/null || echo 0) )) ;;
    esac
  done
  echo "$total"
}

# wal_stats: WAL records, full-page images and bytes written so far, and checkpoints done ("records fpi bytes checkpoints")
wal_stats() {
  sql "select w.wal_records || ' ' || w.wal_fpi || ' ' || w.wal_bytes || ' ' || (c.num_timed + c.num_requested)
         from pg_stat_wal w, pg_stat_checkpointer c"
}
statements_reset() {
  [[ "${PG_STATEMENTS:-0}" == 1 ]] && sql "create extension if not exists pg_stat_statements; select pg_stat_statements_reset()" >/dev/null
  return 0
}
statements_dump() { # NAME: the statements that took the most time in that run
  [[ "${PG_STATEMENTS:-0}" == 1 ]] || return 0
  psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -q -c "
    select round(total_exec_time) as ms, calls, rows, round((total_exec_time * 1000 / greatest(rows, 1))::numeric, 1) as us_per_row,
           wal_records, wal_fpi, pg_size_pretty(wal_bytes) as wal, shared_blks_hit as hit, shared_blks_read as read,
           shared_blks_dirtied as dirtied, shared_blks_written as written, left(regexp_replace(query, '\s+', ' ', 'g'), 110) as query
      from pg_stat_statements order by total_exec_time desc limit 25" >"$OUT_DIR/rating-$1-statements.txt"
}

# measure NAME CMD...: runs CMD, and writes NAME.env with its output plus the CPU the hall's JVM and PostgreSQL used
measure() {
  local name="$1"; shift
  local jvm0 jit0 pg0 t0 wal0 env="$OUT_DIR/rating-$name.env"
  statements_reset
  wal0=$(wal_stats)
  jvm0=$(process_ticks "$HALL_PID"); jit0=$(jit_ticks "$HALL_PID"); pg0=$(pg_ticks); t0=$(now_ms)
  "$@" >"$env.raw"
  grep -v '^dropped ' "$env.raw" >"$env" || true
  echo "wall_ms=$(( $(now_ms) - t0 ))" >>"$env"
  echo "jvm_cpu_s=$(awk -v a="$(process_ticks "$HALL_PID")" -v b="$jvm0" -v t="$TICKS" 'BEGIN { printf "%.1f", (a - b) / t }')" >>"$env"
  echo "jit_cpu_s=$(awk -v a="$(jit_ticks "$HALL_PID")" -v b="$jit0" -v t="$TICKS" 'BEGIN { printf "%.1f", (a - b) / t }')" >>"$env"
  echo "pg_cpu_s=$(awk -v a="$(pg_ticks)" -v b="$pg0" -v t="$TICKS" 'BEGIN { printf "%.1f", (a - b) / t }')" >>"$env"
  read -r r0 f0 b0 c0 <<<"$wal0"
  read -r r1 f1 b1 c1 <<<"$(wal_stats)"
  { echo "wal_records=$(( r1 - r0 ))"; echo "wal_fpi=$(( f1 - f0 ))"; echo "wal_bytes=$(( b1 - b0 ))"; echo "checkpoints=$(( c1 - c0 ))"; } >>"$env"
  statements_dump "$name"
}
value() { { grep -m1 "^$1=" "$2" 2>/dev/null || echo "$1=n/a"; } | cut -d= -f2- | tr -d '"'; }

log "warm-up: $WARMUP records through the API"
load api --url "$URL" --token "$TOKEN" --msisdns "$OUT_DIR/rating-msisdns.txt" --records "$WARMUP" --batch "$API_BATCH" \
  --clients "$API_CLIENTS" --run "warm$RANDOM" >"$OUT_DIR/rating-warmup.env"

log "API: $API_RECORDS records, batches of $API_BATCH, $API_CLIENTS clients"
measure api load api --url "$URL" --token "$TOKEN" --msisdns "$OUT_DIR/rating-msisdns.txt" --records "$API_RECORDS" \
  --batch "$API_BATCH" --clients "$API_CLIENTS" --run "api$RANDOM"

# wait_files PREFIX N: until N usage_file rows of this run are finished (15 minutes at the most)
wait_files() {
  local run="$1" n="$2" done_n=0
  for _ in $(seq 1 9000); do
    done_n=$(sql "select count(*) from usage_file where name like 'cdr-$run-%' and status <> 'PROCESSING'")
    (( done_n >= n )) && return 0
    sleep 0.1
  done
  log "only $done_n of $n files of $run were rated"
}

# file_latency RUN ENV: arrival (rename into the drop dir) to finished (the file's last chunk committed), per file
file_latency() {
  local run="$1" env="$2"
  grep '^dropped ' "$env.raw" | awk '{ print $2 "," $3 }' >"$OUT_DIR/rating-$run-dropped.csv"
  sql "select name || ',' || (extract(epoch from finished_at) * 1000)::bigint || ',' || rated || ',' || duplicates || ',' || rejected
         from usage_file where name like 'cdr-$run-%'" >"$OUT_DIR/rating-$run-finished.csv"
  awk -F, 'NR == FNR { dropped[$1] = $2; next }
           { lat = $2 - dropped[$1]; print lat; rated += $3; dup += $4; rej += $5; if ($2 > last) last = $2 }
           END { printf "rated=%d\nduplicates=%d\nrejected=%d\nlast_finished_ms=%d\n", rated, dup, rej, last > "/dev/stderr" }' \
      "$OUT_DIR/rating-$run-dropped.csv" "$OUT_DIR/rating-$run-finished.csv" 2>>"$env" | sort -n >"$OUT_DIR/rating-$run-latency.txt"
  local n; n=$(wc -l <"$OUT_DIR/rating-$run-latency.txt")
  echo "latency_p50_ms=$(awk -v n="$n" 'NR == int((n + 1) / 2)' "$OUT_DIR/rating-$run-latency.txt")" >>"$env"
  echo "latency_p99_ms=$(awk -v n="$n" 'BEGIN { k = int(n * 0.99 + 0.999); if (k < 1) k = 1 } NR == k' "$OUT_DIR/rating-$run-latency.txt")" >>"$env"
  echo "latency_max_ms=$(tail -1 "$OUT_DIR/rating-$run-latency.txt")" >>"$env"
}

drop_and_wait() {
  local run="$1" rate="$2" files="$3"
  load file --dir "$DROP" --msisdns "$OUT_DIR/rating-msisdns.txt" --records "$FILE_RECORDS" --batch "$FILE_BATCH" --rate "$rate" --run "$run"
  wait_files "$run" "$files"
}

file_run() {
  local name="$1" rate="$2" run="f$RANDOM$RANDOM" files=$(( (FILE_RECORDS + FILE_BATCH - 1) / FILE_BATCH ))
  log "file drop ($name): $FILE_RECORDS records in $files files of $FILE_BATCH, rate $rate records/s (0: all at once)"
  measure "$name" drop_and_wait "$run" "$rate" "$files"
  local env="$OUT_DIR/rating-$name.env"
  file_latency "$run" "$env"
  local start last
  start=$(value drop_start_ms "$env"); last=$(value last_finished_ms "$env")
  echo "seconds=$(awk -v a="$last" -v b="$start" 'BEGIN { printf "%.1f", (a - b) / 1000 }')" >>"$env"
  echo "records_per_s=$(awk -v a="$last" -v b="$start" -v n="$(value records "$env")" 'BEGIN { printf "%.0f", n / ((a - b) / 1000) }')" >>"$env"
}
log "warm-up: $FILE_WARMUP records through the file drop"
warm_run="w$RANDOM$RANDOM"
load file --dir "$DROP" --msisdns "$OUT_DIR/rating-msisdns.txt" --records "$FILE_WARMUP" --batch "$FILE_BATCH" --rate 0 \
  --run "$warm_run" >/dev/null
wait_files "$warm_run" $(( (FILE_WARMUP + FILE_BATCH - 1) / FILE_BATCH ))
file_run file-backlog 0
file_run file-paced "$FILE_RATE"

# the invariants after it all: no bucket over its allowance, every prepaid balance the sum of its journal
over=$(sql "select count(*) from bucket where used_amount > initial_amount")
unbalanced=$(sql "select count(*) from ledger_account a where a.kind = 'CUSTOMER_PREPAID'
                   and a.balance_fen <> (select coalesce(sum(l.amount_fen), 0) from journal_line l where l.account_id = a.id)")
records_total=$(sql "select count(*) from usage_seen where network_id ~ '^(warm|api|f|w)[0-9]+-'")
kill "$SAMPLER_PID" 2>/dev/null || true
SAMPLER_PID=
jvm_rss_peak=$(awk '{ if ($1 > m) m = $1 } END { printf "%.0f", m / 1024 }' "$OUT_DIR/rating-rss.txt")
pg_rss_peak=$(awk '{ if ($2 > m) m = $2 } END { printf "%.0f", m / 1024 }' "$OUT_DIR/rating-rss.txt")
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

per_record_us() { # CPU µs per record of ENV: jvm, pg, total
  local env="$1" n
  n=$(value records "$env")
  awk -v j="$(value jvm_cpu_s "$env")" -v p="$(value pg_cpu_s "$env")" -v n="$n" \
    -v c="$(value jit_cpu_s "$env")" \
    'BEGIN { printf "%.0f µs (JVM %.0f, of it JIT compiler %.0f, + PostgreSQL %.0f)", (j + p) * 1e6 / n, j * 1e6 / n, c * 1e6 / n, p * 1e6 / n }'
}
wal_per_record() { # WAL bytes, WAL records and full-page images per rated record of ENV, and the checkpoints during it
  local env="$1"
  awk -v b="$(value wal_bytes "$env")" -v r="$(value wal_records "$env")" -v f="$(value wal_fpi "$env")" -v c="$(value checkpoints "$env")" \
      -v n="$(value records "$env")" 'BEGIN { printf "%.0f B / %.1f / %.2f (%d)", b / n, r / n, f / n, c }'
}
capacity() { # records/s two cores would rate at that CPU cost, the load driver not counted
  local env="$1"
  awk -v j="$(value jvm_cpu_s "$env")" -v p="$(value pg_cpu_s "$env")" -v n="$(value records "$env")" \
    'BEGIN { printf "%.0f", 2 * n / (j + p) }'
}
verdict() {
  local rps="$1" p99="$2"
  if [[ "$rps" == n/a || "$p99" == n/a ]]; then echo "not measured"; return; fi
  if awk -v r="$rps" -v p="$p99" -v gr="$GOAL_RPS" -v gp="$GOAL_P99_MS" 'BEGIN { exit !(r >= gr && p < gp) }'; then
    echo "**met** ($rps records/s ≥ $GOAL_RPS, p99 $p99 ms < $GOAL_P99_MS ms)"
  else echo "**not met** ($rps records/s, p99 $p99 ms; goal ≥ $GOAL_RPS records/s and p99 < $GOAL_P99_MS ms)"; fi
}

A="$OUT_DIR/rating-api.env" B="$OUT_DIR/rating-file-backlog.env" P="$OUT_DIR/rating-file-paced.env"
cat >"$OUT_DIR/rating.md" <<MD
Measured $(date -u '+%Y-%m-%d %H:%M') UTC at commit \`$(cd "$ROOT" && git rev-parse --short HEAD)\`$( (cd "$ROOT" && git diff --quiet) || echo " (work tree with uncommitted changes)"),
$(basename "$(dirname "$(dirname "$(readlink -f "$(command -v "$JAVA")")")")"), $(nproc) cores, load average before → after: $load_before → $load_after
(above ~2 means other work shared the 2 cores: rates and latencies are then pessimistic, and so, less, is the CPU per
record, which sharing caches and cores with that work raises too).
Operator: $LINES generated lines (\`--subscribers=$SUBSCRIBERS\`, three months of history), every record on a random one
of them: 68% data, 2% roaming data (always charged, so every batch posts to the ledger), 20% voice, 10% SMS.
Every batch commits with \`synchronous_commit = on\` (its WAL on disk before the answer). The load driver
(\`bench/RatingLoad.java\`) runs on the same cores; its CPU is not in the per-record figures.

| | API, $(value batch "$A")-record batches, $(value clients "$A") clients | file drop, backlog | file drop, paced at $FILE_RATE/s |
|---|---|---|---|
| records | $(value records "$A") | $(value records "$B") | $(value records "$P") |
| sustained records/s (wall clock) | $(value records_per_s "$A") | $(value records_per_s "$B") | $(value records_per_s "$P") |
| arrival → visible p50 | $(value latency_p50_ms "$A") ms | $(value latency_p50_ms "$B") ms | $(value latency_p50_ms "$P") ms |
| arrival → visible p99 | $(value latency_p99_ms "$A") ms | $(value latency_p99_ms "$B") ms | $(value latency_p99_ms "$P") ms |
| arrival → visible max | $(value latency_max_ms "$A") ms | $(value latency_max_ms "$B") ms | $(value latency_max_ms "$P") ms |
| rated / duplicates / rejected | $(value rated "$A") / $(value duplicates "$A") / $(value rejected "$A") | $(value rated "$B") / $(value duplicates "$B") / $(value rejected "$B") | $(value rated "$P") / $(value duplicates "$P") / $(value rejected "$P") |
| CPU per record | $(per_record_us "$A") | $(per_record_us "$B") | $(per_record_us "$P") |
| WAL per record: bytes / records / full-page images (checkpoints in the run) | $(wal_per_record "$A") | $(wal_per_record "$B") | $(wal_per_record "$P") |
| records/s 2 free cores would rate at that cost | $(capacity "$A") | $(capacity "$B") | $(capacity "$P") |
| goal: ≥ $GOAL_RPS records/s, p99 < 1 s | $(verdict "$(value records_per_s "$A")" "$(value latency_p99_ms "$A")") | $(verdict "$(value records_per_s "$B")" "$(value latency_p99_ms "$B")") | $(verdict "$(value records_per_s "$P")" "$(value latency_p99_ms "$P")") |

Arrival → visible: API, from sending a batch to its answer, which comes after the commit; file drop, from
the file's rename into the drop directory to \`usage_file.finished_at\` (after its last chunk committed).
A backlog's latency is mostly queueing (every file dropped at once), so its p99 says how long the backlog took.

Memory (RSS peaks over the runs): the hall's JVM $jvm_rss_peak MiB, its PostgreSQL $pg_rss_peak MiB (sum over its processes,
shared buffers counted in each that touched them).
After the runs: $over buckets over their allowance, $unbalanced prepaid accounts whose balance is not the sum of their journal,
$records_total benchmark records stored.
MD
cat "$OUT_DIR/rating.md"
if [[ "${NO_RESULTS:-0}" != 1 ]]; then
  section rating "$OUT_DIR/rating.md"
  log "wrote the bench:rating section of bench/RESULTS.md"
fi
