#!/usr/bin/env bash
# The full-loop benchmark against a cluster: N nodes on one PostgreSQL, all on this machine, e.g.
#   bench/cluster.sh --nodes 3 --duration 60 --warmup 30 --bots 16 --concurrency 32
#
# Does what run.sh does (same build, same load generator, same summary), but first starts one real
# PostgreSQL 14 (dev.switchboard.bench.BenchPostgres: the embedded binaries from Maven, fsync and
# synchronous_commit on), then N `serve` processes with `store.kind: postgres`, their own `http.port`
# and `node.id`, and the same `graph.baseUrl` (node 1's address) and `dataDir` (hence the same signing
# keys, made by node 1 before the others start). FullLoop creates calls round-robin over the nodes and
# each bot rejects on another node than the one its call was created on.
#
# Besides run.sh's summary it prints the CPU of each node and of PostgreSQL (postmaster and backends),
# what the nodes' backends were doing during the measured window (pg_stat_activity sampled every
# 100 ms), the statements that took PostgreSQL's time (pg_stat_statements), the outbox left behind
# (undelivered, retried, still leased: deliveries that got stuck), and the deadlocks in PostgreSQL's log.
#
# Options (defaults in brackets), besides run.sh's --duration --warmup --bots --callers --concurrency
# --rate --bench-port --server-opts --bench-opts --keep:
#   --nodes N [1]        Switchboard nodes
#   --pool P [10]        store.pool of each node (connections it holds at most)
#   --pg-opts "JVM OPTIONS" [-Xmx128m]   for the JVM that starts and stops PostgreSQL (not PostgreSQL's own memory)
# Run with --nodes 1 beside bench/run.sh (SQLite) to compare the stores; see docs/performance.md.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"

source "$here/lib.sh"
nodes=1 pool="" pg_opts="-Xmx128m"
while [ $# -gt 0 ]; do
  case "$1" in
    --nodes) nodes="$2"; shift 2 ;;
    --pool) pool="$2"; shift 2 ;;
    --pg-opts) pg_opts="$2"; shift 2 ;;
    *) common_option "$@"; shift "$shift_by" ;;
  esac
done
[ "$nodes" -ge 1 ] || { echo "--nodes must be at least 1" >&2; exit 2; }

build_all
stage
cp -r "$root/bench/target/lib" "$tmp/bench-lib"
cp_pg="$tmp/bench-classes:$tmp/bench-lib/*"

pg_java="" pg_pid="" node_pids=() sampler_pid=""
cleanup() {
  local p
  for p in "${node_pids[@]}" $sampler_pid; do kill "$p" 2>/dev/null || true; done
  for p in "${node_pids[@]}" $sampler_pid; do wait "$p" 2>/dev/null || true; done
  # the JVM's shutdown hook stops PostgreSQL; the postmaster is not its child, so make sure
  if [ -n "$pg_java" ]; then kill "$pg_java" 2>/dev/null || true; wait "$pg_java" 2>/dev/null || true; fi
  if [ -n "$pg_pid" ]; then
    for _ in $(seq 50); do kill -0 "$pg_pid" 2>/dev/null || break; sleep 0.2; done
    kill "$pg_pid" 2>/dev/null || true
  fi
  if [ "$keep" = 1 ]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

machine_line
# shellcheck disable=SC2086
taskset -c "$cores" java $pg_opts -cp "$cp_pg" dev.switchboard.bench.BenchPostgres start --data-dir "$tmp/pg" \
  --port "$(free_port)" >"$tmp/postgres.log" 2>&1 &
pg_java=$!
for _ in $(seq 240); do
  grep -qs '^ready ' "$tmp/postgres.log" && break
  kill -0 "$pg_java" 2>/dev/null || { echo "PostgreSQL did not start:" >&2; cat "$tmp/postgres.log" >&2; exit 1; }
  sleep 0.5
done
ready="$(grep '^ready ' "$tmp/postgres.log")" || { echo "PostgreSQL not ready in 120 s" >&2; exit 1; }
pg_url="$(sed -E 's/.*url=([^ ]+).*/\1/' <<<"$ready")"
pg_pid="$(sed -E 's/.*pid=([0-9]+).*/\1/' <<<"$ready")"
echo "== PostgreSQL pid $pg_pid at $pg_url: $(grep '^settings: ' "$tmp/postgres.log" | cut -d' ' -f2-)"
echo "== PostgreSQL data: $tmp/pg on $(df -h "$tmp" | awk 'NR==2 {print $1" ("$2")"}')"

ports=()
for k in $(seq "$nodes"); do
  while :; do p=$(free_port); [[ " ${ports[*]} " == *" $p "* ]] || break; done
  ports+=("$p")
done
[ -z "$bench_port" ] && { while :; do bench_port=$(free_port); [[ " ${ports[*]} " == *" $bench_port "* ]] || break; done; }
base_urls=() 
for k in $(seq "$nodes"); do
  port="${ports[$((k - 1))]}"
  base_urls+=("http://127.0.0.1:$port")
  java -cp "$cp_bench" dev.switchboard.bench.FullLoop config --out "$tmp/node$k.yaml" --port "$port" \
    --bench-port "$bench_port" --bots "$bots" --callers "$callers" --data-dir "$tmp/data" \
    --graph-base-url "${base_urls[0]}" --node-id "node-$k" --postgres-url "$pg_url" --postgres-user postgres \
    ${pool:+--pool "$pool"}
done

start_node() {
  local k=$1
  # shellcheck disable=SC2086
  taskset -c "$cores" java $server_opts -jar "$tmp/switchboard.jar" serve --config "$tmp/node$k.yaml" \
    >"$tmp/node$k.log" 2>&1 &
  node_pids+=($!)
  echo "== node $k pid $!: java $server_opts -jar switchboard.jar serve, ${base_urls[$((k - 1))]} (log $tmp/node$k.log)"
}
# node 1 alone first: it makes the signing keys in the shared dataDir, which the others then read
start_node 1
for _ in $(seq 240); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "${base_urls[0]}/readyz" || true)" = 200 ] && break
  kill -0 "${node_pids[0]}" 2>/dev/null || { echo "node 1 died:" >&2; tail -20 "$tmp/node1.log" >&2; exit 1; }
  sleep 0.5
done
for k in $(seq 2 "$nodes"); do start_node "$k"; done

# what the backends wait on, over the measured window only: it starts when FullLoop says the warm-up is done
java -Xmx64m -cp "$cp_pg" dev.switchboard.bench.BenchPostgres waits --url "$pg_url" --seconds "$duration" \
  --after "$tmp/fullloop.out" >"$tmp/waits.txt" 2>/dev/null &
sampler_pid=$!

# the bench waits for every node's /readyz itself, then runs
# shellcheck disable=SC2086
taskset -c "$cores" java $bench_opts -Dsun.net.httpserver.maxIdleConnections=2000 -cp "$cp_bench" \
  dev.switchboard.bench.FullLoop run --base-urls "$(IFS=,; echo "${base_urls[*]}")" --bench-port "$bench_port" \
  --bots "$bots" --callers "$callers" --concurrency "$concurrency" --rate "$rate" --duration "$duration" \
  --warmup "$warmup" --server-pids "$(IFS=,; echo "${node_pids[*]}")" --postgres-pid "$pg_pid" \
  | tee "$tmp/fullloop.out" || status=$?

wait "$sampler_pid" 2>/dev/null || true
sampler_pid=""
echo
echo "== PostgreSQL during the measured window"
cat "$tmp/waits.txt"
java -Xmx64m -cp "$cp_pg" dev.switchboard.bench.BenchPostgres report --url "$pg_url" 2>/dev/null || true
echo "== PostgreSQL data after the run: $(du -sh "$tmp/pg" | cut -f1)"
pg_log="$tmp/pg-log/postgresql.log"
if [ -f "$pg_log" ]; then
  echo "== PostgreSQL log ($pg_log): $(grep -c 'ERROR:  deadlock detected' "$pg_log" || true) deadlocks," \
    "$(grep -c 'still waiting for' "$pg_log" || true) lock waits longer than deadlock_timeout (1 s); the first deadlock:"
  grep -m1 -A8 'ERROR:  deadlock detected' "$pg_log" | cut -c1-300 || true
fi
for k in $(seq "$nodes"); do log_warnings "node $k" "$tmp/node$k.log"; done
exit "${status:-0}"
