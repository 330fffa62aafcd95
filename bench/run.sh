#!/usr/bin/env bash
# The full-loop benchmark: one command, e.g.  bench/run.sh --duration 60 --bots 16 --concurrency 64
#
# Builds the server jar and the bench classes when missing or stale, copies the jar to a private temp
# dir (so a concurrent build cannot swap it mid-run), writes a config (one tenant, one caller app per
# --callers, N bot apps calling back to the bench on 127.0.0.1), starts `serve` on a fresh store,
# waits for /readyz, runs dev.switchboard.bench.FullLoop, stops the server and prints the summary.
#
# Both JVMs run on the same machine and share all of its cores: each is started under
# `taskset -c 0-(nproc-1)`, i.e. pinned to the cores as they are, neither given cores of its own.
#
# Options (defaults in brackets):
#   --duration S [60]  --warmup S [10]  --bots N [16]  --callers C [1]  --concurrency K [64]
#   --rate R [0: closed loop; >0: open loop at R calls/s, at most K outstanding]
#   --port P  --bench-port Q   [free ports picked at random]
#   --server-opts "JVM OPTIONS" [-Xms512m -Xmx512m]   --bench-opts "JVM OPTIONS" [-Xmx512m]
#   --jfr FILE         record the server with JFR for the whole run (jfr summary FILE / jfr print ...)
#   --keep             keep the temp dir (store, logs) instead of deleting it
# Best setting found on a 2-core machine: --warmup 30 --concurrency 32 (see docs/performance.md).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"

duration=60 warmup=10 bots=16 callers=1 concurrency=64 rate=0 port="" bench_port=""
server_opts="-Xms512m -Xmx512m" bench_opts="-Xmx512m" jfr="" keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --bots) bots="$2"; shift 2 ;;
    --callers) callers="$2"; shift 2 ;;
    --concurrency) concurrency="$2"; shift 2 ;;
    --rate) rate="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    --bench-port) bench_port="$2"; shift 2 ;;
    --server-opts) server_opts="$2"; shift 2 ;;
    --bench-opts) bench_opts="$2"; shift 2 ;;
    --jfr) jfr="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift 2 ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,/^set /p' "$0" | grep '^#'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

jar="$root/server/target/switchboard.jar"
stale() { # same rule as ./switchboard: main sources, resources or poms newer than the jar
  [ ! -f "$jar" ] && return 0
  [ -n "$(find "$root" -path "$root/*/target" -prune -o -path "$root/bench" -prune -o \( -path '*/src/main/*' -o -name 'pom.xml' \) -type f -newer "$jar" -print -quit)" ]
}
mvn_build() { (cd "$root" && { mvn -q -B -o "$@" || mvn -q -B "$@"; }) >&2; }
if stale; then
  echo "building the server jar..." >&2
  mvn_build -DskipTests -pl server -am package
fi
classes="$root/bench/target/classes"
if [ ! -f "$classes/dev/switchboard/bench/FullLoop.class" ] || \
   [ -n "$(find "$here/src" "$here/pom.xml" -newer "$classes/dev/switchboard/bench/FullLoop.class" -type f -print -quit)" ]; then
  echo "building the bench..." >&2
  mvn_build -DskipTests -pl bench package
fi

free_port() { # a random port nobody listens on (other servers may run on this machine)
  local p
  while :; do
    p=$(( 20000 + RANDOM % 40000 ))
    if ! ss -ltnH 2>/dev/null | awk '{print $4}' | grep -qE ":$p\$"; then echo "$p"; return; fi
  done
}
[ -z "$port" ] && port=$(free_port)
[ -z "$bench_port" ] && { bench_port=$(free_port); [ "$bench_port" = "$port" ] && bench_port=$(( port + 1 )); }

tmp="$(mktemp -d "${TMPDIR:-/tmp}/switchboard-bench.XXXXXX")"
cp "$jar" "$tmp/switchboard.jar"
cp -r "$classes" "$tmp/bench-classes"
# the bench needs only jackson-databind, which the shaded server jar carries
cp_bench="$tmp/bench-classes:$tmp/switchboard.jar"
cores="0-$(( $(nproc) - 1 ))"
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [ "$keep" = 1 ]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

java -cp "$cp_bench" dev.switchboard.bench.FullLoop config --out "$tmp/switchboard.yaml" --port "$port" \
  --bench-port "$bench_port" --bots "$bots" --callers "$callers" --data-dir "$tmp/data"

echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== store: $tmp/data on $(df -h "$tmp" | awk 'NR==2 {print $1" ("$2")"}')"
jfr_opts=""
if [ -n "$jfr" ]; then
  jfr_opts="-XX:+FlightRecorder -XX:StartFlightRecording=filename=$jfr,settings=profile,dumponexit=true"
fi
# shellcheck disable=SC2086
taskset -c "$cores" java $server_opts $jfr_opts -jar "$tmp/switchboard.jar" serve --config "$tmp/switchboard.yaml" \
  >"$tmp/server.log" 2>&1 &
server_pid=$!
echo "== server pid $server_pid: java $server_opts $jfr_opts -jar switchboard.jar serve (log $tmp/server.log)"

# the bench waits for /readyz itself, then runs
# shellcheck disable=SC2086
taskset -c "$cores" java $bench_opts -Dsun.net.httpserver.maxIdleConnections=2000 -cp "$cp_bench" \
  dev.switchboard.bench.FullLoop run --base-url "http://127.0.0.1:$port" --bench-port "$bench_port" \
  --bots "$bots" --callers "$callers" --concurrency "$concurrency" --rate "$rate" --duration "$duration" \
  --warmup "$warmup" --server-pid "$server_pid" || status=$?

echo "== store after the run: $(du -sh "$tmp/data" | cut -f1) ($(ls "$tmp/data" | tr '\n' ' '))"
if grep -qE ' (WARN|ERROR) ' "$tmp/server.log"; then
  echo "== server warnings/errors (first 10):"
  grep -E ' (WARN|ERROR) ' "$tmp/server.log" | head -10
fi
kill "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
server_pid=""
[ -n "$jfr" ] && echo "== JFR recording: $jfr"
exit "${status:-0}"
