#!/usr/bin/env bash
# The SDK conformance suite: installs each language's pinned Graph SDK (unless --no-install), builds the server jar
# when it is missing, starts a server, runs every client against it (suite.py) and prints one line per client and
# "N passed, M failed". Exits non-zero if any client failed, or could not be installed.
#
#   conformance/run.sh [--no-install] [--record] [--clients java,go,python,js,http]
#
# What it installs lives in $SWITCHBOARD_CONFORMANCE_CACHE (default conformance/.cache: pip venv and cache, npm
# cache, Go module and build caches, the Go binary), conformance/js/node_modules and conformance/java/target; a
# second run reuses it. CI points SWITCHBOARD_CONFORMANCE_CACHE outside the clone so a fresh clone starts warm.
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"
cache="${SWITCHBOARD_CONFORMANCE_CACHE:-$here/.cache}"
export SWITCHBOARD_CONFORMANCE_CACHE="$cache"
install=1
suite_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --no-install) install=0 ;;
    --record) suite_args+=(--record) ;;
    --clients) suite_args+=(--clients "$2"); shift ;;
    --clients=*) suite_args+=(--clients "${1#*=}") ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done
mkdir -p "$cache"

export GOMODCACHE="$cache/go/mod" GOCACHE="$cache/go/build" GOFLAGS="${GOFLAGS:-} -modcacherw"
export npm_config_cache="$cache/npm" PIP_CACHE_DIR="$cache/pip" PIP_DISABLE_PIP_VERSION_CHECK=1

failed=()      # clients whose install failed: the suite reports them as FAIL
step() {       # step NAME COMMAND...: run an install step, time it, remember a failure
  local name="$1" t0=$SECONDS; shift
  if ( "$@" ) > "$cache/install-$name.log" 2>&1; then
    echo "  [install] $name: ok ($((SECONDS - t0))s)" >&2
  else
    echo "  [install] $name: FAILED ($((SECONDS - t0))s); last lines of $cache/install-$name.log:" >&2
    tail -n 15 "$cache/install-$name.log" | sed 's/^/    /' >&2
    failed+=("$name")
  fi
}
# stamp FILE INPUTS...: true (needs work) unless FILE holds the checksum of INPUTS from the last good install
stale() { local f="$1"; shift; [ "$(cat "$f" 2>/dev/null)" != "$(cat "$@" | sha256sum)" ]; }
stamp() { local f="$1"; shift; cat "$@" | sha256sum > "$f"; }

install_python() {
  cd "$here/python"
  if stale "$cache/venv/.stamp" requirements.txt; then
    rm -rf "$cache/venv" && python3 -m venv "$cache/venv" \
      && "$cache/venv/bin/pip" install -q --require-virtualenv -r requirements.txt \
      && stamp "$cache/venv/.stamp" requirements.txt
  fi
}
install_js() {
  cd "$here/js"
  if stale node_modules/.stamp package.json package-lock.json; then
    npm ci --no-audit --no-fund --loglevel=error && stamp node_modules/.stamp package.json package-lock.json
  fi
}
install_go() {
  cd "$here/go" && go build -o "$cache/bin/reject-go" .
}
install_java() {
  cd "$here/java"
  if stale target/.stamp pom.xml src/main/java/conformance/Reject.java || [ ! -f target/classpath.txt ]; then
    mvn -q -B compile && stamp target/.stamp pom.xml src/main/java/conformance/Reject.java
  fi
}

t_start=$SECONDS
if [ "$install" = 1 ]; then
  step python install_python
  step js install_js
  step java install_java
  step go install_go
fi
jar="$root/server/target/switchboard.jar"
if [ ! -f "$jar" ]; then
  step server bash -c "cd '$root' && mvn -q -B -DskipTests -pl server -am package"
fi
if [ ${#failed[@]} -gt 0 ]; then
  suite_args+=(--failed-installs "$(IFS=,; echo "${failed[*]}")")
fi
echo "  [suite] installs and builds took $((SECONDS - t_start))s" >&2
python3 "$here/suite.py" --jar "$jar" "${suite_args[@]}"
rc=$?
echo "  [suite] conformance suite took $((SECONDS - t_start))s in all" >&2
exit $rc
