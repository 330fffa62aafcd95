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

source "$here/lib.sh"
port="" jfr=""
while [ $# -gt 0 ]; do
  case "$1" in
    --port) port="$2"; shift 2 ;;
    --jfr) jfr="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift 2 ;;
    *) common_option "$@"; shift "$shift_by" ;;
  esac
done

build_all
[ -z "$port" ] && port=$(free_port)
[ -z "$bench_port" ] && { bench_port=$(free_port); [ "$bench_port" = "$port" ] && bench_port=$(( port + 1 )); }

stage
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

machine_line
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
log_warnings server "$tmp/server.log"
kill "$server_pid" 2>/dev/null || true
wait "$server_pid" 2>/dev/null || true
server_pid=""
[ -n "$jfr" ] && echo "== JFR recording: $jfr"
exit "${status:-0}"
