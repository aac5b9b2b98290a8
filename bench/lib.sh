# Shared helpers for the bench scripts: build, free port, start/stop the hall, wait for readiness.
# Sourced, not run. Every server a script starts is remembered by PID and stopped by that PID.

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
JAR="$ROOT/target/telehall-0.1.0-SNAPSHOT.jar"
OUT_DIR="${BENCH_OUT:-$BENCH_DIR/out}"
mkdir -p "$OUT_DIR"

# java_major JAVA: the feature release of that java binary (17, 21, 25, ...).
java_major() {
  "$1" -version 2>&1 | head -1 | sed -E 's/.*version "([0-9]+).*/\1/'
}

# The JDK the benchmarks run the hall on: $JAVA if set, else the newest JDK installed under
# /usr/lib/jvm (21+ turns on the hall's virtual threads; it is what a deployment would run),
# else java on the PATH. The machine section of RESULTS.md names the one used.
pick_java() {
  local best=java best_major
  best_major=$(java_major java 2>/dev/null || echo 0)
  for candidate in /usr/lib/jvm/*/bin/java; do
    [[ -x "$candidate" ]] || continue
    local major
    major=$(java_major "$candidate" 2>/dev/null || echo 0)
    if [[ "$major" =~ ^[0-9]+$ ]] && (( major > best_major )); then best="$candidate"; best_major="$major"; fi
  done
  echo "$best"
}
JAVA="${JAVA:-$(pick_java)}"

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

build_jar() {
  log "building the jar (./mvnw -q -B -DskipTests package)"
  (cd "$ROOT" && ./mvnw -q -B -DskipTests package)
  # run from a private copy so a rebuild in the work tree cannot change the jar under a running server
  cp "$JAR" "$OUT_DIR/telehall.jar"
}

ensure_jar() {
  if [[ ! -f "$OUT_DIR/telehall.jar" ]]; then
    build_jar
  fi
}

# load_driver NAME: compiles bench/NAME.java once into $OUT_DIR/classes (a single-file launch would
# compile it again on every run, seconds under load); then run it with: "$JAVA" -cp "$OUT_DIR/classes" NAME ...
load_driver() {
  mkdir -p "$OUT_DIR/classes"
  "$(dirname "$(readlink -f "$(command -v "$JAVA")")")/javac" -d "$OUT_DIR/classes" "$BENCH_DIR/$1.java"
}

# A TCP port on loopback that nothing listens on.
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$(( 20000 + RANDOM % 20000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "no free port found" >&2
  return 1
}

now_ms() { date +%s%3N; }

# start_hall DATA_DIR PORT LOGFILE [extra args...]: starts the jar with the demo profile; sets HALL_PID.
start_hall() {
  local data_dir="$1" port="$2" logfile="$3"
  shift 3
  TELEHALL_DATA_DIR="$data_dir" PORT="$port" \
    "${JAVA:-java}" ${JAVA_OPTS:-} -jar "$OUT_DIR/telehall.jar" --spring.profiles.active=demo "$@" >"$logfile" 2>&1 &
  HALL_PID=$!
  log "started the hall, PID $HALL_PID, port $port, data $data_dir, log $logfile"
}

# process_ticks PID: CPU time the process has used so far (user + system), in clock ticks.
process_ticks() {
  awk '{ print $14 + $15 }' "/proc/$1/stat"
}

# pg_process_ticks PID: CPU ticks of a PostgreSQL server: the postmaster, its finished children, and its live backends.
pg_process_ticks() {
  local pid="$1" total
  total=$(awk '{ print $14 + $15 + $16 + $17 }' "/proc/$pid/stat")
  for child in $(ps -o pid= --ppid "$pid"); do
    [[ -r "/proc/$child/stat" ]] && total=$(( total + $(awk '{ print $14 + $15 }' "/proc/$child/stat" 2>/dev/null || echo 0) ))
  done
  echo "$total"
}

# wait_ready PORT TIMEOUT_S: polls /actuator/health/readiness until it says UP.
wait_ready() {
  local port="$1" timeout_s="$2" deadline
  deadline=$(( $(date +%s) + timeout_s ))
  while (( $(date +%s) < deadline )); do
    if ! kill -0 "$HALL_PID" 2>/dev/null; then
      log "the hall (PID $HALL_PID) exited before it was ready"
      return 1
    fi
    if curl -fs "http://127.0.0.1:$port/actuator/health/readiness" 2>/dev/null | grep -q '"status":"UP"'; then
      return 0
    fi
    sleep 0.05
  done
  log "the hall was not ready within ${timeout_s}s"
  return 1
}

# stop_hall: SIGTERM to the PID we started, wait for it (graceful shutdown stops embedded PostgreSQL).
stop_hall() {
  if [[ -n "${HALL_PID:-}" ]] && kill -0 "$HALL_PID" 2>/dev/null; then
    kill "$HALL_PID"
    for _ in $(seq 1 600); do
      kill -0 "$HALL_PID" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$HALL_PID" 2>/dev/null; then
      log "PID $HALL_PID did not stop in 60 s; killing it"
      kill -9 "$HALL_PID" 2>/dev/null || true
    fi
    wait "$HALL_PID" 2>/dev/null || true
    log "stopped the hall, PID $HALL_PID"
  fi
  HALL_PID=
}

# section NAME FILE: replaces the text between the <!-- bench:NAME:begin/end --> markers of
# bench/RESULTS.md (or $RESULTS) with the contents of FILE; other sections stay as they are.
section() {
  local name="$1" file="$2" results="${RESULTS:-$BENCH_DIR/RESULTS.md}" tmp
  tmp="$(mktemp)"
  awk -v begin="<!-- bench:$name:begin -->" -v end="<!-- bench:$name:end -->" -v file="$file" '
    $0 == begin { print; while ((getline line < file) > 0) print line; skip = 1; next }
    $0 == end { skip = 0 }
    !skip { print }' "$results" >"$tmp"
  cat "$tmp" >"$results"
  rm -f "$tmp"
}
