#!/usr/bin/env bash
# Runs every benchmark and rewrites the generated sections of bench/RESULTS.md:
#   machine, startup (start to ready, empty and existing data), home page latency (demo data), and
#   with BULK_SUBSCRIBERS > 0 (default 100000) the bulk generator's time and the home page again on
#   that large operator. Set BULK_SUBSCRIBERS=0 to skip the large run (it takes several minutes).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

BULK_SUBSCRIBERS="${BULK_SUBSCRIBERS:-100000}"
RESULTS="$BENCH_DIR/RESULTS.md"
GOAL_P99_MS=50

build_jar
export SKIP_BUILD=1
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

rm -f "$OUT_DIR"/startup.env "$OUT_DIR"/home.env "$OUT_DIR"/home-bulk.env
bash "$BENCH_DIR/startup.sh" || log "startup benchmark failed"
home_rc=0
TAG=home bash "$BENCH_DIR/home-latency.sh" || home_rc=$?
# the same page on the JDK on the PATH, when the run above used a newer one: what the runtime is worth
path_java="$(command -v java)"
compare_rc=0
if [[ "$(java_major "$JAVA")" != "$(java_major "$path_java")" ]]; then
  rm -f "$OUT_DIR/home-path-java.env"
  JAVA="$path_java" TAG=home-path-java bash "$BENCH_DIR/home-latency.sh" || compare_rc=$?
fi
bulk_rc=0
if (( BULK_SUBSCRIBERS > 0 )); then
  TAG=home-bulk SUBSCRIBERS="$BULK_SUBSCRIBERS" bash "$BENCH_DIR/home-latency.sh" || bulk_rc=$?
fi

# value KEY FILE: one figure from a key=value file, or "n/a"
value() { { grep -m1 "^$1=" "$2" 2>/dev/null || echo "$1=n/a"; } | cut -d= -f2- | tr -d '"'; }

verdict() {
  local p99="$1"
  if [[ "$p99" == n/a ]]; then echo "not measured"; return; fi
  if awk -v p="$p99" -v g="$GOAL_P99_MS" 'BEGIN {exit !(p < g)}'; then echo "**met** (p99 $p99 ms < $GOAL_P99_MS ms)"
  else echo "**not met** (p99 $p99 ms ≥ $GOAL_P99_MS ms)"; fi
}

home_section() {
  local env="$1" rc="$2" label="$3"
  if [[ ! -f "$env" ]]; then
    echo "$label: no figures (the run failed before measuring, exit $rc; see bench/out/)."
    return
  fi
  cat <<MD
$label — GET / as the signed-in demo subscriber 13800138000, $(value connections "$env") connections,
$(value threads "$env") wrk threads, $(value duration "$env") after a warm-up, loopback:

| figure | value |
|---|---|
| median (p50) | $(value p50_ms "$env") ms |
| p90 | $(value p90_ms "$env") ms |
| p99 | $(value p99_ms "$env") ms |
| max | $(value max_ms "$env") ms |
| requests/s | $(value rps "$env") |
| the hall's CPU per request (JVM user+system) | $(value hall_cpu_ms_per_request "$env") ms |
| its PostgreSQL's CPU per request (server and backends) | $(value pg_cpu_ms_per_request "$env") ms |
| requests | $(value requests "$env") |
| non-2xx answers (redirects to /login included) | $(value non_2xx "$env") |
| socket errors (connect/read/write/timeout) | $(value socket_errors "$env") |
| session still signed in after the run | $(value session_still_valid "$env") |
| goal: p99 < ${GOAL_P99_MS} ms at 50 users on 2 cores | $(verdict "$(value p99_ms "$env")") |
MD
  if (( rc != 0 )); then echo; echo "The run reported a failure (exit $rc): see bench/out/."; fi
}

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
tmp="$(mktemp)"
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
mem=$(free -h | awk '/^Mem:/ {print $2}')
javav=$("$JAVA" -version 2>&1 | head -2 | tr '\n' ' ' | sed 's/ *$//')
cat >"$tmp" <<MD
Measured $(date -u '+%Y-%m-%d %H:%M UTC') at commit \`$(cd "$ROOT" && git rev-parse --short HEAD 2>/dev/null || echo '?')\`$(cd "$ROOT" && [[ -n "$(git status --porcelain --untracked-files=no 2>/dev/null)" ]] && echo ' (work tree with uncommitted changes)' || true).

| | |
|---|---|
| cores (nproc) | $(nproc) |
| memory | $mem |
| CPU | $cpu |
| Java | $javav |
| database | embedded PostgreSQL (zonky, 17.x), same machine |
| load driver | $(wrk -v 2>&1 | head -1 | cut -d' ' -f1-2), on the same machine (it takes CPU from the server too) |
| load average (1/5/15 min) before → after the runs | $load_before → $load_after (above ~2 means other work shared the 2 cores and the figures are pessimistic) |
MD
section machine "$tmp"

env="$OUT_DIR/startup.env"
if [[ -f "$env" ]]; then
  cat >"$tmp" <<MD
| start | time to \`/actuator/health/readiness\` UP |
|---|---|
| first start, empty data dir (initdb + migrations + demo seeding) | $(value startup_first_ms "$env") ms (demo seeding: $(value startup_seed_ms "$env") ms) |
| restart on existing data (median) | $(value startup_restart_median_ms "$env") ms (runs: $(value startup_restarts_ms "$env")) |
MD
else
  echo "No figures: the startup run failed (see bench/out/startup-*.log)." >"$tmp"
fi
section startup "$tmp"

{
  home_section "$OUT_DIR/home.env" "$home_rc" "Demo data only (3 subscribers), Java $(java_major "$JAVA")"
  if [[ -f "$OUT_DIR/home-path-java.env" ]]; then
    echo
    home_section "$OUT_DIR/home-path-java.env" "$compare_rc" "The same on Java $(java_major "$path_java") (the JDK on the PATH; platform threads)"
  fi
} >"$tmp"
section home "$tmp"

if (( BULK_SUBSCRIBERS > 0 )); then
  env="$OUT_DIR/home-bulk.env"
  {
    if [[ -f "$env" ]]; then
      cat <<MD
Generator: \`--subscribers=$BULK_SUBSCRIBERS\` on an empty embedded database (default density, seed 2026).

| figure | value |
|---|---|
| generator | $(value bulk "$env") |
| start to ready, seeding and generation included | $(value ready_ms "$env") ms |
| data dir size after generation | $(value data_dir_size "$env") |

MD
    fi
    home_section "$env" "$bulk_rc" "Large operator ($BULK_SUBSCRIBERS generated subscribers)"
  } >"$tmp"
  section bulk "$tmp"
fi
rm -f "$tmp"
log "wrote $RESULTS"
exit $(( home_rc || bulk_rc ))
