#!/usr/bin/env bash
# Home page latency under concurrent signed-in users, on loopback.
# Starts the hall (jar, demo profile) on a throwaway data dir, signs in as the demo subscriber through
# the web pages (password, then the SMS code from the demo outbox), warms up, then drives GET / with
# wrk and records median/p99, requests/s and every non-2xx answer (a redirect to /login = a lost session).
# Options (env): SUBSCRIBERS (extra generated subscribers, default 0), CONNECTIONS (50), THREADS (2),
# DURATION (30s), WARMUP (60s: measured, C2 is still compiling the hot paths after 20 s and the figures halve), DATA_DIR (reuse a data dir; default a fresh temporary one, removed after),
# SKIP_BUILD=1 to reuse bench/out/telehall.jar, TAG (name of the figures file, default home),
# HALL_ARGS (extra application arguments, e.g. "--logging.level.root=WARN", for experiments).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SUBSCRIBERS="${SUBSCRIBERS:-0}"
CONNECTIONS="${CONNECTIONS:-50}"
THREADS="${THREADS:-2}"
DURATION="${DURATION:-30s}"
WARMUP="${WARMUP:-60s}"
TAG="${TAG:-home}"
MSISDN=13800138000
PASSWORD='Demo@2026'

if ! command -v wrk >/dev/null; then
  log "wrk is missing; installing it (apt-get install -y wrk)"
  apt-get update -qq && apt-get install -y -qq wrk >/dev/null
fi
if [[ "${SKIP_BUILD:-0}" == 1 ]]; then ensure_jar; else build_jar; fi

if [[ -n "${DATA_DIR:-}" ]]; then
  KEEP_DATA=1
else
  DATA_DIR="$(mktemp -d /tmp/telehall-bench-home.XXXXXX)"
  KEEP_DATA=0
fi
COOKIES="$(mktemp /tmp/telehall-bench-cookies.XXXXXX)"
cleanup() {
  stop_hall
  rm -f "$COOKIES"
  if [[ "$KEEP_DATA" == 0 ]]; then rm -rf "$DATA_DIR"; fi
}
trap cleanup EXIT

PORT="$(free_port)"
BASE="http://127.0.0.1:$PORT"
LOG="$OUT_DIR/$TAG-server.log"
args=()
if (( SUBSCRIBERS > 0 )); then args+=("--subscribers=$SUBSCRIBERS"); fi
read -r -a extra <<<"${HALL_ARGS:-}"
args+=("${extra[@]}")
start_ms=$(now_ms)
start_hall "$DATA_DIR" "$PORT" "$LOG" "${args[@]}"
wait_ready "$PORT" 3600
ready_ms=$(( $(now_ms) - start_ms ))
log "ready after ${ready_ms} ms"
bulk_line=$(grep -o 'Bulk generation done: .*' "$LOG" | head -1 || true)
data_size=$(du -sh "$DATA_DIR" | cut -f1)

csrf_of() { grep -o '<input[^>]*name="_csrf"[^>]*>' | head -1 | sed -E 's/.*value="([^"]*)".*/\1/'; }

# 1. the sign-in form: session cookie and CSRF token
csrf=$(curl -fsS -c "$COOKIES" -b "$COOKIES" "$BASE/login" | csrf_of)
[[ -n "$csrf" ]] || { log "no CSRF token on /login"; exit 1; }
# 2. phone number and password
status=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' -c "$COOKIES" -b "$COOKIES" \
  --data-urlencode "msisdn=$MSISDN" --data-urlencode "password=$PASSWORD" --data-urlencode "_csrf=$csrf" "$BASE/login")
log "POST /login -> $status"
[[ "$status" == 302*"/login/code"* ]] || { log "password step refused"; exit 1; }
# 3. the code from the demo SMS outbox (newest first)
code=$(curl -fsS "$BASE/dev/sms?msisdn=$MSISDN" | grep -o '"body":"[^"]*"' | head -1 | grep -oE '(^|[^0-9])[0-9]{6}([^0-9]|$)' | grep -oE '[0-9]{6}' | head -1)
[[ -n "$code" ]] || { log "no code in the SMS outbox"; exit 1; }
csrf=$(curl -fsS -c "$COOKIES" -b "$COOKIES" "$BASE/login/code" | csrf_of)
status=$(curl -sS -o /dev/null -w '%{http_code} %{redirect_url}' -c "$COOKIES" -b "$COOKIES" \
  --data-urlencode "code=$code" --data-urlencode "_csrf=$csrf" "$BASE/login/code")
log "POST /login/code -> $status"
[[ "$status" == 302* && "$status" != *"/login"* ]] || { log "code step refused"; exit 1; }
SESSION=$(awk '$6 == "JSESSIONID" {print $7}' "$COOKIES" | tail -1)
[[ -n "$SESSION" ]] || { log "no session cookie after sign-in"; exit 1; }

check_home() {
  local s
  s=$(curl -sS -o "$OUT_DIR/$TAG-home.html" -w '%{http_code}' -H "Cookie: JSESSIONID=$SESSION" "$BASE/")
  if [[ "$s" != 200 ]]; then
    log "GET / with the session answered $s (not signed in, or the home page is missing)"
    return 1
  fi
}
check_home
log "signed in; GET / answers 200 ($(wc -c <"$OUT_DIR/$TAG-home.html") bytes)"

log "warm-up: $WARMUP at $CONNECTIONS connections"
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -H "Cookie: JSESSIONID=$SESSION" "$BASE/" >/dev/null
log "measuring: $DURATION at $CONNECTIONS connections"
# the JVM's own CPU time (user+system, clock ticks) around the measured run: CPU per request says
# how far the page is from the goal independently of what else the two cores were doing
# the embedded PostgreSQL's postmaster (first line of postmaster.pid) and its backends, the same way
PG_PID=$(sed -n 1p "$DATA_DIR/postgres/postmaster.pid" 2>/dev/null || true)
pg_ticks_now() { if [[ -n "$PG_PID" ]]; then pg_process_ticks "$PG_PID"; else echo 0; fi; }
hall_ticks_before=$(process_ticks "$HALL_PID")
pg_ticks_before=$(pg_ticks_now)
wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$BENCH_DIR/status-count.lua" \
  -H "Cookie: JSESSIONID=$SESSION" "$BASE/" | tee "$OUT_DIR/$TAG-wrk.txt"
hall_ticks=$(( $(process_ticks "$HALL_PID") - hall_ticks_before ))
pg_ticks=$(( $(pg_ticks_now) - pg_ticks_before ))
check_home
session_ok=yes

figures=$(sed -n '/^---- figures ----$/,$p' "$OUT_DIR/$TAG-wrk.txt" | grep '=')
{
  echo "$figures"
  requests=$(grep '^requests=' <<<"$figures" | head -1 | cut -d= -f2)
  echo "hall_cpu_ms_per_request=$(awk -v t="$hall_ticks" -v hz="$(getconf CLK_TCK)" -v r="$requests" 'BEGIN { printf "%.2f", (r > 0 ? t * 1000 / hz / r : 0) }')"
  echo "pg_cpu_ms_per_request=$(awk -v t="$pg_ticks" -v hz="$(getconf CLK_TCK)" -v r="$requests" 'BEGIN { printf "%.2f", (r > 0 ? t * 1000 / hz / r : 0) }')"
  echo "subscribers_generated=$SUBSCRIBERS"
  echo "connections=$CONNECTIONS"
  echo "threads=$THREADS"
  echo "duration=$DURATION"
  echo "ready_ms=$ready_ms"
  echo "data_dir_size=$data_size"
  echo "session_still_valid=$session_ok"
  echo "bulk=\"${bulk_line}\""
} >"$OUT_DIR/$TAG.env"
cat "$OUT_DIR/$TAG.env"
non_2xx=$(grep '^non_2xx=' "$OUT_DIR/$TAG.env" | cut -d= -f2)
errors=$(grep '^socket_errors=' "$OUT_DIR/$TAG.env" | cut -d= -f2)
if (( non_2xx > 0 || errors > 0 )); then
  log "FAILED: $non_2xx non-2xx answers, $errors socket errors"
  exit 1
fi
