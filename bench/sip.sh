#!/usr/bin/env bash
# The SIP benchmark: one command, e.g.  bench/sip.sh --rates 100,200,400,600 --duration 30
#
# sipp (bench/sipp/busy-rtd.xml) offers INVITEs at a fixed rate; each must get 486 with the busy
# Reason. Two targets, measured in the same run, one after the other:
#   switchboard  `serve` with the default durable store (SQLite, synchronous=FULL) and a SIP route
#                to one bot app; the bot (dev.switchboard.bench.SipBot, a second JVM) answers the
#                `created` notification 202 and POSTs /reject {"reason":"busy"} at once.
#   kamailio     bench/kamailio/kamailio.cfg: answers every INVITE 486 itself, statelessly. The
#                ceiling a SIP server reaches on this machine with the same sipp beside it.
# Per target and rate it prints: offered calls/s, calls, completed, failed, retransmissions,
# achieved calls/s, INVITE->486 p50/p99/p99.9/max ms (sipp's rtd, 1 ms resolution), CPU cores of
# the target, the bot, sipp and everything else on the machine, target CPU ms per call, the load
# average before and after, ok/FAIL (ok: no failed call, p99 < --p99 ms, achieved >= 97 % of
# offered), and the steal: cores the hypervisor ran other guests on while this one wanted them (a
# noisy host). Then the highest ok rate per target and their ratio.
#
# Everything runs on this machine. By default all of it shares all cores (taskset -c 0-(nproc-1), as
# bench/run.sh); --server-cpus and --load-cpus give the target its own cores and sipp and the bot
# others, which is how "on 2 cores" is measured on a machine with 4 or more.
#
# Options (defaults in brackets):
#   --rate R | --rates R1,R2,...   offered calls/s, one run each, lowest first [100,200,300,400,500,600]
#   --duration S [30]      seconds of load per rate (sipp -m R*S)
#   --warmup S [120]       unrecorded load before Switchboard's first rate; the JIT compiles for about two minutes
#                          (at 300 calls/s, 30 s left calls failing and the first rates measuring C2) — Kamailio gets 5 s
#   --warmup-rate R        [the first rate]
#   --targets LIST         [switchboard,kamailio]
#   --kamailio-rates LIST  [the same rates]; add higher ones to find Kamailio's own ceiling
#   --kamailio-children N  Kamailio's UDP worker processes [nproc]
#   --max-other C          before each rate, wait (at most --max-wait s [600]) until processes other
#                          than the bench's use less than C cores, sampled over 2 s (a shared machine)
#   --server-cpus LIST     cores of the target, Switchboard or Kamailio, as taskset -c takes them [all]
#   --load-cpus LIST       cores of sipp and the bot [all]; e.g. --server-cpus 0,1 --load-cpus 2-3
#   --p99 MS [50]          the latency bound of the ok column
#   --no-stop              keep going after a rate failed (default: a target stops at its first FAIL,
#                          since higher rates only fail longer)
#   --bot java|go [java]   java: SipBot, a second JVM (0.6 ms of CPU per call); go: bench/gobot, the same
#                          wire behaviour in Go (needs go; 0.46 ms per call), leaving a little more to the server
#   --server-opts "JVM OPTIONS" [-Xms512m -Xmx512m]   --bot-opts "JVM OPTIONS" [-Xmx256m] (java bot)
#   --jar FILE             benchmark this server jar instead of building server/target/switchboard.jar
#                          (e.g. one built from a patched copy of the tree)
#   --jfr FILE             record the server with JFR for its whole life
#   --keep                 keep the temp dir (store, logs, sipp traces)
#   --threads              after each Switchboard window, its thread groups and the bot's: CPU, and time
#                          spent runnable but waiting for a core (the kernel's schedstat run delay) —
#                          where calls queue on a shared machine
# Needs java, mvn (when the jar is stale), sipp (Debian sip-tester), kamailio; as root the last two
# are installed with apt-get when missing, as .ci/run installs sip-tester.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"

rates="100,200,300,400,500,600" duration=30 warmup=120 warmup_rate="" targets="switchboard,kamailio"
kamailio_rates="" kamailio_children="$(nproc)" p99_limit=50 stop_on_fail=1 max_other="" max_wait=600
server_opts="-Xms512m -Xmx512m" bot_opts="-Xmx256m" bot=java jfr="" keep=0 jar="" threads=0
server_cpus="0-$(( $(nproc) - 1 ))" load_cpus="0-$(( $(nproc) - 1 ))"
while [ $# -gt 0 ]; do
  case "$1" in
    --rate|--rates) rates="$2"; shift 2 ;;
    --duration) duration="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --warmup-rate) warmup_rate="$2"; shift 2 ;;
    --targets) targets="$2"; shift 2 ;;
    --kamailio-rates) kamailio_rates="$2"; shift 2 ;;
    --kamailio-children) kamailio_children="$2"; shift 2 ;;
    --p99) p99_limit="$2"; shift 2 ;;
    --server-cpus) server_cpus="$2"; shift 2 ;;
    --load-cpus) load_cpus="$2"; shift 2 ;;
    --max-other) max_other="$2"; shift 2 ;;
    --max-wait) max_wait="$2"; shift 2 ;;
    --no-stop) stop_on_fail=0; shift ;;
    --server-opts) server_opts="$2"; shift 2 ;;
    --bot-opts) bot_opts="$2"; shift 2 ;;
    --bot) bot="$2"; shift 2 ;;
    --jar) jar="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift 2 ;;
    --jfr) jfr="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift 2 ;;
    --keep) keep=1; shift ;;
    --threads) threads=1; shift ;;
    -h|--help) sed -n '2,/^set /p' "$0" | grep '^#'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$bot" in java|go) ;; *) echo "--bot: java or go, not $bot" >&2; exit 2 ;; esac
[ -z "$kamailio_rates" ] && kamailio_rates="$rates"
[ -z "$warmup_rate" ] && warmup_rate="${rates%%,*}"
want() { case ",$targets," in *",$1,"*) return 0 ;; *) return 1 ;; esac; }

# ---------------------------------------------------------------- tools
need_pkg() { # command, Debian package: installed as root when missing (the machine may be new)
  command -v "$1" >/dev/null 2>&1 && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing $2 (for $1)..." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq "$2" >&2
  fi
  command -v "$1" >/dev/null 2>&1 || { echo "error: $1 is missing; install it with: sudo apt-get install -y $2" >&2; exit 1; }
}
for tool in java taskset ss awk; do
  command -v "$tool" >/dev/null 2>&1 || { echo "error: $tool is missing" >&2; exit 1; }
done
need_pkg sipp sip-tester
want kamailio && need_pkg kamailio kamailio
[ "$bot" = go ] && { command -v go >/dev/null 2>&1 || { echo "error: --bot go needs go" >&2; exit 1; }; }
kamailio_bin="$(command -v kamailio || true)"

# ---------------------------------------------------------------- build (as bench/run.sh)
own_jar=0
[ -z "$jar" ] && { jar="$root/server/target/switchboard.jar"; own_jar=1; }
[ "$own_jar" = 1 ] || [ -f "$jar" ] || { echo "error: --jar $jar: no such file" >&2; exit 1; }
stale() { # same rule as ./switchboard: main sources, resources or poms newer than the jar
  [ ! -f "$jar" ] && return 0
  [ -n "$(find "$root" -path "$root/*/target" -prune -o -path "$root/bench" -prune -o \( -path '*/src/main/*' -o -name 'pom.xml' \) -type f -newer "$jar" -print -quit)" ]
}
mvn_build() {
  command -v mvn >/dev/null 2>&1 || { echo "error: mvn is missing (needed to build the jar)" >&2; exit 1; }
  (cd "$root" && { mvn -q -B -o "$@" || mvn -q -B "$@"; }) >&2
}
if want switchboard && [ "$own_jar" = 1 ] && stale; then
  echo "building the server jar..." >&2
  mvn_build -DskipTests -pl server -am package
fi
classes="$root/bench/target/classes"
if want switchboard && { [ ! -f "$classes/dev/switchboard/bench/SipBot.class" ] || \
   [ -n "$(find "$here/src" "$here/pom.xml" -newer "$classes/dev/switchboard/bench/SipBot.class" -type f -print -quit)" ]; }; then
  echo "building the bench..." >&2
  mvn_build -DskipTests -pl bench package
fi

# ---------------------------------------------------------------- ports, temp dir, cleanup
used_ports() { ss -lntuH 2>/dev/null | awk '{print $5}' | sed 's/.*://'; }
free_port() { # a random port free for UDP and TCP (other servers and tests may run on this machine)
  local p
  while :; do
    p=$(( 20000 + RANDOM % 40000 ))
    if ! used_ports | grep -qx "$p" && ! printf '%s\n' "${taken[@]:-}" | grep -qx "$p"; then
      taken+=("$p"); echo "$p"; return
    fi
  done
}
taken=()
http_port=$(free_port); taken+=("$http_port")
sip_port=$(free_port); taken+=("$sip_port")
bot_port=$(free_port); taken+=("$bot_port")
kam_port=$(free_port); taken+=("$kam_port")

tmp="$(mktemp -d "${TMPDIR:-/tmp}/switchboard-sipbench.XXXXXX")"
server_pid="" bot_pid="" kam_pid=""
stop() { # stop one process we started, by its pid; a JVM stuck in shutdown gets a thread dump, then SIGKILL
  local pid="$1" name="${2:-process}" i
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for i in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "warning: $name (pid $pid) still running 30 s after SIGTERM; killing it" >&2
    dump "$pid" "$name-at-stop"
    kill -9 "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}
dump() { # a thread dump of a JVM we started; prints the JVM's own deadlock report, if it found one
  local pid="$1" file="$tmp/$2.jstack"
  command -v jstack >/dev/null 2>&1 || return 0
  jstack "$pid" >"$file" 2>&1 || return 0
  if grep -q 'Found one Java-level deadlock' "$file"; then
    echo "   DEADLOCK in pid $pid (the JVM's report, from $file):"
    sed -n '/Found one Java-level deadlock/,/^Found [0-9]* deadlock/p' "$file" | grep -E '^"|waiting to lock|which is held|- locked|at dev\.switchboard' \
      | head -40 | sed 's/^/     /'
  fi
}
cleanup() {
  stop "$bot_pid" bot; stop "$server_pid" switchboard; stop "$kam_pid" kamailio
  if [ "$keep" = 1 ]; then echo "kept $tmp" >&2; else rm -rf "$tmp"; fi
}
trap cleanup EXIT

# ---------------------------------------------------------------- measuring
clk_tck=$(getconf CLK_TCK)
proc_cpu() { # CPU seconds (user + system) of the given pids and their live children, summed
  local total=0 pid c
  for pid in "$@"; do
    for c in "$pid" $(ps -o pid= --ppid "$pid" 2>/dev/null); do
      # fields after "(comm)": utime is the 12th, stime the 13th
      [ -r "/proc/$c/stat" ] && total=$(( total + $(sed 's/^.*) //' "/proc/$c/stat" | awk '{print $12 + $13}') ))
    done
  done
  awk -v t="$total" -v h="$clk_tck" 'BEGIN {printf "%.3f", t / h}'
}
machine_cpu() { awk -v h="$clk_tck" '/^cpu / {printf "%.3f", ($2 + $3 + $4 + $7 + $8) / h}' /proc/stat; }
# CPU time the hypervisor gave to other guests while ours wanted it: a noisy host shows here, not in "other"
machine_steal() { awk -v h="$clk_tck" '/^cpu / {printf "%.3f", $9 / h}' /proc/stat; }
load1() { cut -d' ' -f1 /proc/loadavg; }
# Every thread of the given pids: "pid tid group run_ns wait_ns slices", the group being the thread's
# name without its number. grep, not a loop of cats: threads come and go, and a gone one is skipped.
thread_snap() {
  local pid
  for pid in "$@"; do
    grep -H . /proc/"$pid"/task/*/comm /proc/"$pid"/task/*/schedstat 2>/dev/null | awk -v pid="$pid" '
      {i = index($0, ":"); n = split(substr($0, 1, i - 1), p, "/"); v = substr($0, i + 1); t = p[n - 1]}
      p[n] == "comm" {gsub(/ /, "_", v); sub(/[-_#]?[0-9]+$/, "", v); name[t] = v}
      p[n] == "schedstat" {split(v, f, " "); run[t] = f[1]; wait[t] = f[2]; sl[t] = f[3]}
      END {for (t in run) if (t in name) print pid, t, name[t], run[t], wait[t], sl[t]}' || true
  done
}
# Between two snaps (files), per thread group, the 14 that waited longest: cores running, cores
# runnable but waiting for a core, wake-ups a second, the wait per wake-up and per call.
thread_report() { # before after wall_s calls pid label pid label...
  local before="$1" after="$2" wall="$3" calls="$4"; shift 4
  printf '     %-28s %6s %6s %8s %12s %12s\n' threads cores wait wakes/s wait/wake wait/call
  awk -v w="$wall" -v c="$calls" -v labels="$*" '
    BEGIN {n = split(labels, l, " "); for (i = 1; i < n; i += 2) who[l[i]] = l[i + 1]}
    NR == FNR {r0[$1 " " $2] = $4; w0[$1 " " $2] = $5; s0[$1 " " $2] = $6; next}
    ($1 " " $2) in r0 {g = who[$1] ":" $3; run[g] += $4 - r0[$1 " " $2]; wait[g] += $5 - w0[$1 " " $2]
                       sl[g] += $6 - s0[$1 " " $2]}
    END {for (g in run) if (sl[g] > 0)
           printf "%.0f      %-28s %6.3f %6.3f %8.0f %9.0f us %9.2f ms\n", wait[g], g, run[g] / 1e9 / w,
             wait[g] / 1e9 / w, sl[g] / w, wait[g] / sl[g] / 1e3, (c > 0 ? wait[g] / 1e6 / c : 0)}
  ' "$before" "$after" | sort -rn | head -14 | cut -d' ' -f2- || true
}
stat_col() { # the last row's value of a named column of sipp's -trace_stat file
  awk -F';' -v col="$2" 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == col) c = i; next} {v = $c} END {print v + 0}' "$1"
}

results="$tmp/results.tsv"
printf 'target\toffered/s\tcalls\tcompleted\tfailed\tretrans\tachieved/s\tp50\tp99\tp99.9\tmax\tCPU target/bot/sipp/other\tms/call\tload1\tverdict\tsteal\n' >"$results"

# One sipp run: target name, port, rate, seconds, label ("" = warm-up, not recorded), target pids...
sipp_run() {
  local name="$1" port="$2" rate="$3" secs="$4" label="$5"; shift 5
  local pids=("$@") calls=$(( rate * secs )) dir="$tmp/$name-${label:-warmup}-$rate"
  mkdir -p "$dir"
  local l0 t0 m0 s0 p0 b0=0 l1 t1 m1 s1 p1 b1=0
  local snapping=0
  [ "$threads" = 1 ] && [ "$name" = switchboard ] && [ -n "$label" ] && snapping=1
  [ "$snapping" = 1 ] && thread_snap "${pids[0]}" $bot_pid >"$dir/threads.before"
  l0=$(load1); t0=$(date +%s.%N); m0=$(machine_cpu); s0=$(machine_steal); p0=$(proc_cpu "${pids[@]}")
  [ -n "$bot_pid" ] && [ "$name" = switchboard ] && b0=$(proc_cpu "$bot_pid")
  # -l: at most 5 s of calls open (open loop, not throttled to the target's pace);
  # -recv_timeout: a call with no final response in 10 s fails instead of hanging the run.
  # The subshell's `times` reports sipp's own CPU (its children's), read after it exited.
  ( cd "$dir" && { taskset -c "$load_cpus" sipp -sf "$here/sipp/busy-rtd.xml" -s reception -i 127.0.0.1 -t u1 \
      -r "$rate" -rp 1000 -m "$calls" -l $(( rate * 5 )) -recv_timeout 10000 \
      -timeout $(( secs + 60 )) -timeout_error -trace_rtt -rtt_freq 100 -trace_stat -stf stat.csv -fd 1 \
      -trace_err -nostdin "127.0.0.1:$port" >sipp.out 2>&1 && echo 0 >rc || echo $? >rc; }
    times >times.txt ) # (not `times | ...`: a pipeline's `times` runs in a fork without children)
  sed -n 2p "$dir/times.txt" | sed 's/m/ /g; s/s//g' | awk '{print $1 * 60 + $2 + $3 * 60 + $4}' >"$dir/sipp.cpu"
  t1=$(date +%s.%N); m1=$(machine_cpu); s1=$(machine_steal); p1=$(proc_cpu "${pids[@]}"); l1=$(load1)
  [ "$snapping" = 1 ] && thread_snap "${pids[0]}" $bot_pid >"$dir/threads.after"
  [ -n "$bot_pid" ] && [ "$name" = switchboard ] && b1=$(proc_cpu "$bot_pid")
  local wall steal
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN {print b - a}')
  steal=$(awk -v a="$s0" -v b="$s1" -v w="$wall" 'BEGIN {printf "%.2f", (b - a) / w}')
  local rc; rc=$(cat "$dir/rc")
  if [ ! -f "$dir/stat.csv" ]; then
    echo "error: sipp wrote no statistics (exit $rc):" >&2; tail -5 "$dir/sipp.out" >&2; return 1
  fi
  local ok fail retr
  ok=$(stat_col "$dir/stat.csv" 'SuccessfulCall(C)')
  fail=$(stat_col "$dir/stat.csv" 'FailedCall(C)')
  retr=$(stat_col "$dir/stat.csv" 'Retransmissions(C)')
  # failed calls on the JVM target: look for a deadlock at once, while the threads are still stuck
  if [ "$fail" != 0 ] && [ "$name" = switchboard ]; then dump "${pids[0]}" "switchboard-after-${label:-warmup}-$rate"; fi
  if [ -z "$label" ]; then
    printf '   warm-up: %s at %s calls/s for %s s: %s completed, %s failed (load %s -> %s, steal %s)\n' \
      "$name" "$rate" "$secs" "$ok" "$fail" "$l0" "$l1" "$steal"
    return 0
  fi
  # rtt file: "Date_ms;response_time_ms;rtd_no", one line per completed call
  local lat
  lat=$(cat "$dir"/*_rtt.csv 2>/dev/null | awk -F';' '$3 == 1 {print $1, $2}' | sort -k2,2n | awk '
    {d[NR] = $1; r[NR] = $2; if (NR == 1 || $1 < lo) lo = $1; if ($1 > hi) hi = $1}
    function q(p,  k) {k = int(p * NR); if (k < p * NR) k++; if (k < 1) k = 1; return r[k]}
    END {if (NR < 2 || hi == lo) {print "-", "-", "-", "-", "-"; exit}
         printf "%.1f %d %d %d %d\n", (NR - 1) * 1000 / (hi - lo), q(0.5), q(0.99), q(0.999), r[NR]}')
  local achieved p50 p99 p999 max
  read -r achieved p50 p99 p999 max <<<"$lat"
  local cores_line ms_call verdict
  cores_line=$(awk -v w="$wall" -v p="$(awk -v a="$p0" -v b="$p1" 'BEGIN {print b - a}')" \
      -v bot="$(awk -v a="$b0" -v b="$b1" 'BEGIN {print b - a}')" -v s="$(cat "$dir/sipp.cpu")" \
      -v m="$(awk -v a="$m0" -v b="$m1" 'BEGIN {print b - a}')" \
      'BEGIN {o = m - p - bot - s; if (o < 0) o = 0; printf "%.2f/%.2f/%.2f/%.2f", p / w, bot / w, s / w, o / w}')
  ms_call=$(awk -v a="$p0" -v b="$p1" -v n="$ok" 'BEGIN {if (n > 0) printf "%.2f", (b - a) * 1000 / n; else print "-"}')
  verdict=$(awk -v f="$fail" -v n="$ok" -v c="$calls" -v p="$p99" -v lim="$p99_limit" -v a="$achieved" -v r="$rate" \
      'BEGIN {print (f == 0 && n == c && p != "-" && p + 0 < lim && a + 0 >= 0.97 * r) ? "ok" : "FAIL"}')
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$rate" "$calls" "$ok" "$fail" \
    "$retr" "$achieved" "$p50" "$p99" "$p999" "$max" "$cores_line" "$ms_call" "$l0->$l1" "$verdict" "$steal" >>"$results"
  tail -1 "$results" | awk -F'\t' '{printf "   %s at %s calls/s: %s/%s completed, %s failed, %s calls/s, p50/p99/p99.9/max %s/%s/%s/%s ms, CPU %s, %s ms/call, load %s, steal %s: %s\n", $1, $2, $4, $3, $5, $7, $8, $9, $10, $11, $12, $13, $14, $16, $15}'
  if [ "$snapping" = 1 ]; then
    echo "   where the threads ran and waited for a core (the 14 groups that waited longest):"
    thread_report "$dir/threads.before" "$dir/threads.after" "$wall" "$ok" "${pids[0]}" server $bot_pid bot
  fi
  if [ "$fail" != 0 ] && [ -s "$(ls "$dir"/*_errors.log 2>/dev/null | head -1)" ]; then
    echo "   sipp's first unexpected messages ($dir):"
    head -c 1500 "$(ls "$dir"/*_errors.log | head -1)" | tr '\r' ' ' | sed 's/^/     /'; echo
  fi
  [ "$verdict" = ok ]
}

quiet() { # with --max-other: wait until processes other than ours (pids given) use < C cores
  [ -z "$max_other" ] && return 0
  local start=$SECONDS m0 p0 o
  while :; do
    m0=$(machine_cpu); p0=$(proc_cpu "$@" ${bot_pid:+"$bot_pid"}); sleep 2
    o=$(awk -v m="$(awk -v a="$m0" -v b="$(machine_cpu)" 'BEGIN {print b - a}')" \
        -v p="$(awk -v a="$p0" -v b="$(proc_cpu "$@" ${bot_pid:+"$bot_pid"})" 'BEGIN {print b - a}')" 'BEGIN {printf "%.2f", (m - p) / 2}')
    if awk -v o="$o" -v c="$max_other" 'BEGIN {exit !(o < c)}'; then
      [ $(( SECONDS - start )) -gt 2 ] && echo "   (waited $(( SECONDS - start )) s for other processes to use < $max_other cores; now $o)"
      return 0
    fi
    if [ $(( SECONDS - start )) -ge "$max_wait" ]; then
      echo "   (other processes still use $o cores after $max_wait s; measuring anyway)"; return 0
    fi
  done
}

ladder() { # target, port, rate list, pids...
  local name="$1" port="$2" list="$3" r; shift 3
  for r in ${list//,/ }; do
    quiet "$@"
    if ! sipp_run "$name" "$port" "$r" "$duration" run "$@" && [ "$stop_on_fail" = 1 ]; then
      echo "   $name: stopping at its first FAIL (--no-stop to go on)"; break
    fi
    sleep 3 # let the outbox and the WAL checkpoint drain between rates
  done
}

echo "== cores: target $server_cpus, sipp and bot $load_cpus"
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== sipp: $(sipp -v 2>&1 | grep -m1 -o 'SIPp v[0-9.]*[0-9]'), scenario bench/sipp/busy-rtd.xml over UDP; $duration s per rate"

# ---------------------------------------------------------------- Switchboard
if want switchboard; then
  cp "$jar" "$tmp/switchboard.jar"
  cp -r "$classes" "$tmp/bench-classes"
  cp_bench="$tmp/bench-classes:$tmp/switchboard.jar" # the bot needs only jackson, which the jar carries
  java -cp "$cp_bench" dev.switchboard.bench.SipBot config --out "$tmp/switchboard.yaml" --port "$http_port" \
    --sip-port "$sip_port" --bench-port "$bot_port" --data-dir "$tmp/data"
  jfr_opts=""
  [ -n "$jfr" ] && jfr_opts="-XX:+FlightRecorder -XX:StartFlightRecording=filename=$jfr,settings=profile,dumponexit=true"
  # shellcheck disable=SC2086
  taskset -c "$server_cpus" java $server_opts $jfr_opts -jar "$tmp/switchboard.jar" serve --config "$tmp/switchboard.yaml" \
    >"$tmp/server.log" 2>&1 &
  server_pid=$!
  if [ "$bot" = go ]; then
    (cd "$here/gobot" && go build -o "$tmp/gobot" .)
    read -r bot_tenant bot_app bot_secret < <(java -cp "$cp_bench" dev.switchboard.bench.SipBot credentials)
    taskset -c "$load_cpus" "$tmp/gobot" --base-url "http://127.0.0.1:$http_port" --bench-port "$bot_port" \
      --tenant "$bot_tenant" --app "$bot_app" --secret "$bot_secret" >"$tmp/bot.log" 2>&1 &
  else
    # shellcheck disable=SC2086
    taskset -c "$load_cpus" java $bot_opts -cp "$cp_bench" dev.switchboard.bench.SipBot run \
      --base-url "http://127.0.0.1:$http_port" --bench-port "$bot_port" >"$tmp/bot.log" 2>&1 &
  fi
  bot_pid=$!
  echo "== switchboard pid $server_pid (java $server_opts $jfr_opts, SIP udp 127.0.0.1:$sip_port, store $tmp/data on $(df -h "$tmp" | awk 'NR==2 {print $1}')), $bot bot pid $bot_pid"
  for _ in $(seq 1 300); do # the bot's /stats answers once the server is ready and its token fetched
    curl -fsS "http://127.0.0.1:$bot_port/stats" >/dev/null 2>&1 && break
    kill -0 "$server_pid" 2>/dev/null || { echo "error: the server exited:" >&2; tail -20 "$tmp/server.log" >&2; exit 1; }
    kill -0 "$bot_pid" 2>/dev/null || { echo "error: the bot exited:" >&2; tail -20 "$tmp/bot.log" >&2; exit 1; }
    sleep 0.2
  done
  quiet "$server_pid"
  [ "$warmup" -gt 0 ] && sipp_run switchboard "$sip_port" "$warmup_rate" "$warmup" "" "$server_pid"
  ladder switchboard "$sip_port" "$rates" "$server_pid"
  echo "== the bot's counters over the whole run: $(curl -fsS "http://127.0.0.1:$bot_port/stats")"
  stop "$bot_pid" bot; bot_pid=""
  stop "$server_pid" switchboard; server_pid=""
  echo "== store after the run: $(du -sh "$tmp/data" | cut -f1)"
  if grep -qE ' (WARN|ERROR) ' "$tmp/server.log"; then
    echo "== server warnings/errors (first 10 of $(grep -cE ' (WARN|ERROR) ' "$tmp/server.log")):"
    grep -E ' (WARN|ERROR) ' "$tmp/server.log" | head -10
  fi
  [ -n "$jfr" ] && echo "== JFR recording: $jfr"
fi

# ---------------------------------------------------------------- Kamailio
if want kamailio; then
  # -DD: stay in the foreground (so $! is its main process); -E: log to stderr; shm 64 MB, pkg 8 MB
  taskset -c "$server_cpus" "$kamailio_bin" -f "$here/kamailio/kamailio.cfg" -DD -E -m 64 -M 8 \
    -A "PORT=$kam_port" -A "CHILDREN=$kamailio_children" >"$tmp/kamailio.log" 2>&1 &
  kam_pid=$!
  for _ in $(seq 1 50); do ss -lnuH | awk '{print $4}' | grep -q ":$kam_port\$" && break; sleep 0.1; done
  kill -0 "$kam_pid" 2>/dev/null || { echo "error: kamailio exited:" >&2; tail -20 "$tmp/kamailio.log" >&2; exit 1; }
  echo "== kamailio pid $kam_pid ($("$kamailio_bin" -v | head -1 | cut -d' ' -f2-3), $kamailio_children UDP workers, udp 127.0.0.1:$kam_port)"
  sipp_run kamailio "$kam_port" "${kamailio_rates%%,*}" 5 "" "$kam_pid"
  ladder kamailio "$kam_port" "$kamailio_rates" "$kam_pid"
  stop "$kam_pid" kamailio; kam_pid=""
fi

# ---------------------------------------------------------------- summary
echo
echo "== results (latency: INVITE sent -> 486 received, ms; CPU in cores; load1 before->after)"
column -t -s $'\t' "$results"
best() { # highest offered rate of a target that passed: all ok, or (with "any") 0 failed and kept pace
  awk -F'\t' -v t="$1" -v any="${2:-}" '$1 == t && ($15 == "ok" || (any != "" && $5 == 0 && $4 == $3 && $7 >= 0.97 * $2)) && $2 + 0 > b {b = $2 + 0}
    END {print b + 0}' "$results"
}
sb=$(best switchboard) kam=$(best kamailio) sb0=$(best switchboard any) kam0=$(best kamailio any)
echo
if want switchboard; then
  echo "highest rate with 0 failed and p99 < $p99_limit ms: switchboard $sb calls/s$(want kamailio && echo ", kamailio $kam calls/s (highest tried: ${kamailio_rates##*,})")"
  echo "highest rate with 0 failed, whatever the latency: switchboard $sb0 calls/s$(want kamailio && echo ", kamailio $kam0 calls/s")"
  if want kamailio && [ "$kam" -gt 0 ] && [ "$kam0" -gt 0 ]; then
    awk -v a="$sb" -v b="$kam" -v c="$sb0" -v d="$kam0" 'BEGIN {printf "ratio switchboard/kamailio: %.2f on the p99 criterion, %.2f on 0 failed (upper bounds when Kamailio passed its highest rate)\n", a / b, c / d}'
    # CPU per call at the highest rate both were run at
    awk -F'\t' 'NR > 1 {ms[$1, $2] = $13; if ($1 == "switchboard") sw[$2] = 1; else if ($1 == "kamailio") k[$2] = 1}
      END {for (r in sw) if ((r in k) && r + 0 > top) top = r + 0
           if (top > 0 && ms["kamailio", top] > 0) printf "target CPU per call at %d calls/s: switchboard %s ms, kamailio %s ms (%.0fx)\n", top, ms["switchboard", top], ms["kamailio", top], ms["switchboard", top] / ms["kamailio", top]}' "$results"
  fi
  awk -v a="$sb" -v lim="$p99_limit" 'BEGIN {printf "target (>= 500 calls/s, 0 failed, p99 < %s ms): %s\n", lim, (a >= 500 ? "MET" : "NOT MET")}'
fi
