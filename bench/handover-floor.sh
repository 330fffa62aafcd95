#!/usr/bin/env bash
# The tail of the SIP stack and of thread hand-overs alone (dev.switchboard.bench.HandoverFloor: no
# store, no HTTP, no bot), under the load of bench/sip.sh: sipp with bench/sipp/busy-rtd.xml, a
# warm-up at 300 calls/s, then the measured window. Prints p50/p99/p99.9/max of INVITE -> 486 (ms) and
# the process's CPU in cores. Each configuration is "name hops burnUs [shared]":
#   bench/handover-floor.sh                 # the default set below
#   bench/handover-floor.sh --rate 500 --duration 30 --warmup 40 "h15 15 100" "inline 0 1500"
# or "name bot java|go [none|writer|pipelined|inline [FULL|NORMAL|OFF]]": dev.switchboard.bench.BotFloor, the SIP stack with
# sip.sh's bot and its two HTTP exchanges per call, and no store or two durable SQLite commits per
# call (a writer thread, or the caller's own thread); CPU is then the floor's and the bot's together:
#   bench/handover-floor.sh "bot-java bot java" "bot-go bot go" "bot-writer bot java writer"
# Needs java, mvn, sipp (Debian sip-tester); go for the go bot.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"; root="$(dirname "$here")"
rate=500 duration=30 warmup=40 port=5070
configs=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rate) rate="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) configs+=("$1"); shift ;;
  esac
done
[ ${#configs[@]} -eq 0 ] && configs=("stack-only 0 0" "inline 0 1500" "h3 3 500" "h15 15 100" "h15-no-cpu 15 0" "h15-pool4 15 100 4")
command -v sipp >/dev/null || { echo "needs sipp (apt-get install sip-tester)" >&2; exit 2; }
if [ ! -f "$root/bench/target/classes/dev/switchboard/bench/BotFloor.class" ] || [ ! -f "$root/bench/target/lib/javalin-7.2.3.jar" ]; then
  (cd "$root" && { mvn -q -B -o -DskipTests -pl bench -am package || mvn -q -B -DskipTests -pl bench -am package; }) >&2
fi
cp="$root/bench/target/classes:$(ls "$root"/bench/target/lib/*.jar | tr '\n' ':')"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"; kill ${pid:-} ${bot_pid:-} 2>/dev/null || true' EXIT
load() { # rate secs dir
  mkdir -p "$3"
  (cd "$3" && sipp -sf "$here/sipp/busy-rtd.xml" -s reception -i 127.0.0.1 -t u1 -r "$1" -rp 1000 -m $(( $1 * $2 )) \
    -l $(( $1 * 5 )) -recv_timeout 10000 -timeout $(( $2 + 60 )) -timeout_error -trace_rtt -rtt_freq 100 \
    -trace_stat -stf stat.csv -fd 1 -nostdin "127.0.0.1:$port" >sipp.out 2>&1) || true
}
cpu() { local t=0 p; for p in "$@"; do t=$(( t + $(awk '{print $14 + $15}' "/proc/$p/stat") )); done; echo "$t"; }
http_port=18090 bot_port=18091
echo "== $(nproc) cores; $rate calls/s for $duration s after $warmup s at 300; INVITE -> 486 in ms"
run=0
for c in "${configs[@]}"; do
  run=$(( run + 1 ))
  read -r name hops burn shared sync <<<"$c"
  out="$tmp/$run-$name"  # a name may come twice: each run keeps its own files
  if [ "$hops" = bot ]; then
    java -Xms512m -Xmx512m -Dport="$port" -DhttpPort="$http_port" -DbotPort="$bot_port" \
      -Dstore="${shared:-none}" -Dsync="${sync:-FULL}" -DdataDir="$out-data" -cp "$cp" \
      dev.switchboard.bench.BotFloor >"$out.out" 2>&1 &
    pid=$!
    if [ "$burn" = go ]; then
      (cd "$here/gobot" && go build -o "$tmp/gobot" .)
      read -r bot_tenant bot_app bot_secret < <(java -cp "$cp" dev.switchboard.bench.SipBot credentials)
      "$tmp/gobot" --base-url "http://127.0.0.1:$http_port" --bench-port "$bot_port" \
        --tenant "$bot_tenant" --app "$bot_app" --secret "$bot_secret" >"$out.bot" 2>&1 &
    else
      java -Xmx256m -cp "$cp" dev.switchboard.bench.SipBot run --base-url "http://127.0.0.1:$http_port" \
        --bench-port "$bot_port" >"$out.bot" 2>&1 &
    fi
    bot_pid=$!
    until curl -sf "http://127.0.0.1:$bot_port/stats" >/dev/null 2>&1; do sleep 0.2; done
    shape="$burn bot, store ${shared:-none}"
    if [ -n "${shared:-}" ] && [ "$shared" != none ]; then shape="$shape ${sync:-FULL}"; fi
  else
    shape="$(printf 'hops %2d x %4d us' "$hops" "$burn")"
    if [ "${shared:-0}" -gt 0 ]; then shape="$shape (one pool of $shared)"; fi
    java -Xms512m -Xmx512m -Dport="$port" -Dhops="$hops" -DburnUs="$burn" -Dshared="${shared:-0}" -cp "$cp" \
      dev.switchboard.bench.HandoverFloor >"$out.out" 2>&1 &
    pid=$!
  fi
  until grep -q ready "$out.out" 2>/dev/null; do sleep 0.2; done
  load 300 "$warmup" "$out-warm"
  # CPU over the load's own wall time, which outlasts --duration while calls are slow
  t0=$(date +%s%N); c0=$(cpu "$pid" ${bot_pid:-}); load "$rate" "$duration" "$out"; c1=$(cpu "$pid" ${bot_pid:-}); t1=$(date +%s%N)
  kill "$pid" ${bot_pid:-}; wait "$pid" ${bot_pid:-} 2>/dev/null || true; pid="" bot_pid=""
  cat "$out"/*_rtt.csv 2>/dev/null | awk -F';' '$3 == 1 {print $2}' | sort -n | awk -v n="$name" -v shape="$shape" \
    -v cpu=$(( c1 - c0 )) -v secs="$(( (t1 - t0) / 1000000 ))e-3" -v hz="$(getconf CLK_TCK)" '
    {r[NR] = $1}
    function q(p,  k) {k = int(p * NR); if (k < p * NR) k++; if (k < 1) k = 1; return r[k]}
    END {printf "%-12s %s: %6d calls, p50/p99/p99.9/max %d/%d/%d/%d, CPU %.2f cores\n",
         n, shape, NR, q(0.5), q(0.99), q(0.999), r[NR], cpu / hz / secs}'
done
