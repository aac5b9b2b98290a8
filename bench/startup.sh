#!/usr/bin/env bash
# Time from `java -jar` to /actuator/health/readiness UP with the embedded PostgreSQL:
#   (a) first start on an empty data dir (initdb, migrations, demo seeding), (b) restart on that data.
# Writes key=value figures to bench/out/startup.env. Options (env): RUNS (restarts to average, default 3),
# SKIP_BUILD=1 to reuse bench/out/telehall.jar.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

RUNS="${RUNS:-3}"
if [[ "${SKIP_BUILD:-0}" == 1 ]]; then ensure_jar; else build_jar; fi

DATA_DIR="$(mktemp -d /tmp/telehall-bench-startup.XXXXXX)"
trap 'stop_hall; rm -rf "$DATA_DIR"' EXIT

PORT="$(free_port)"
start_ms=$(now_ms)
start_hall "$DATA_DIR" "$PORT" "$OUT_DIR/startup-first.log"
wait_ready "$PORT" 180
first_ms=$(( $(now_ms) - start_ms ))
log "first start (empty data dir, seeding included): ${first_ms} ms"
seed_ms=$(grep -o 'Demo operator seeded in [0-9]* ms' "$OUT_DIR/startup-first.log" | grep -o '[0-9]*' | head -1 || true)
stop_hall

restarts=()
for i in $(seq 1 "$RUNS"); do
  PORT="$(free_port)"
  start_ms=$(now_ms)
  start_hall "$DATA_DIR" "$PORT" "$OUT_DIR/startup-restart-$i.log"
  wait_ready "$PORT" 180
  restarts+=( $(( $(now_ms) - start_ms )) )
  log "restart $i on existing data: ${restarts[-1]} ms"
  stop_hall
done
sorted=$(printf '%s\n' "${restarts[@]}" | sort -n | tr '\n' ' ')
median=$(printf '%s\n' "${restarts[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')

cat >"$OUT_DIR/startup.env" <<ENV
startup_first_ms=$first_ms
startup_seed_ms=${seed_ms:-?}
startup_restart_median_ms=$median
startup_restarts_ms="$sorted"
ENV
echo "first start (empty data dir): ${first_ms} ms (demo seeding ${seed_ms:-?} ms of it)"
echo "restart on existing data: median ${median} ms over $RUNS runs ($sorted)"
