# Shared by bench/run.sh and bench/cluster.sh (sourced, not run): the options both take, the build,
# the private copy of the jars, free ports. Expects $here (bench/) and $root (the repository).

duration=60 warmup=10 bots=16 callers=1 concurrency=64 rate=0 bench_port=""
server_opts="-Xms512m -Xmx512m" bench_opts="-Xmx512m" keep=0

# Takes the option in $1 (value in $2) if it is one of the shared ones; sets $shift_by to the words used.
common_option() {
  shift_by=2
  case "$1" in
    --duration) duration="$2" ;;
    --warmup) warmup="$2" ;;
    --bots) bots="$2" ;;
    --callers) callers="$2" ;;
    --concurrency) concurrency="$2" ;;
    --rate) rate="$2" ;;
    --bench-port) bench_port="$2" ;;
    --server-opts) server_opts="$2" ;;
    --bench-opts) bench_opts="$2" ;;
    --keep) keep=1; shift_by=1 ;;
    -h|--help) sed -n '2,/^set /p' "$0" | grep '^#'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
}

jar="$root/server/target/switchboard.jar"
classes="$root/bench/target/classes"
stale() { # same rule as ./switchboard: main sources, resources or poms newer than the jar
  [ ! -f "$jar" ] && return 0
  [ -n "$(find "$root" -path "$root/*/target" -prune -o -path "$root/bench" -prune -o \( -path '*/src/main/*' -o -name 'pom.xml' \) -type f -newer "$jar" -print -quit)" ]
}
mvn_build() { (cd "$root" && { mvn -q -B -o "$@" || mvn -q -B "$@"; }) >&2; }

# Builds the server jar and the bench (classes, and target/lib for BenchPostgres) when missing or stale.
build_all() {
  if stale; then
    echo "building the server jar..." >&2
    mvn_build -DskipTests -pl server -am package
  fi
  if [ ! -f "$classes/dev/switchboard/bench/FullLoop.class" ] || [ ! -d "$root/bench/target/lib" ] || \
     [ -n "$(find "$here/src" "$here/pom.xml" -newer "$classes/dev/switchboard/bench/FullLoop.class" -type f -print -quit)" ]; then
    echo "building the bench..." >&2
    mvn_build -DskipTests -pl bench package
  fi
}

free_port() { # a random port nobody listens on (other servers may run on this machine)
  local p
  while :; do
    p=$(( 20000 + RANDOM % 40000 ))
    if ! ss -ltnH 2>/dev/null | awk '{print $4}' | grep -qE ":$p\$"; then echo "$p"; return; fi
  done
}

# A private temp dir with copies of the jar and the bench classes, so a concurrent build cannot swap
# them mid-run. Sets $tmp, $cp_bench (FullLoop: it needs only jackson-databind, which the shaded
# server jar carries) and $cores (taskset: every JVM pinned to all the cores as they are).
stage() {
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/switchboard-bench.XXXXXX")"
  cp "$jar" "$tmp/switchboard.jar"
  cp -r "$classes" "$tmp/bench-classes"
  cp_bench="$tmp/bench-classes:$tmp/switchboard.jar"
  cores="0-$(( $(nproc) - 1 ))"
}

machine_line() {
  echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
}

# The first 10 WARN/ERROR lines of a server log, under a heading naming it.
log_warnings() {
  if grep -qE ' (WARN|ERROR) ' "$2"; then
    echo "== $1 warnings/errors: $(grep -cE ' (WARN|ERROR) ' "$2") (first 10):"
    grep -E ' (WARN|ERROR) ' "$2" | head -10
  fi
}
