#!/usr/bin/env bash
# How long pgmap takes to start: prints a markdown table of the median, min and max wall time of
# RUNS runs (default 5) of each command, run one after another from the checkout given (default:
# this one), which must be built. Not a test: the figures depend on the machine and its load.
#
#   bench/startup.sh [CHECKOUT]        RUNS=7 bench/startup.sh
#
# check cold: a fresh front-end cache folder each run (the launcher's CDS archive already made);
# check warm: the cache filled by the run before. language server: from starting the process to
# the answer of its `initialize` request (a small client over stdio, in Python 3).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
repo="$(cd "${1:-$here}" && pwd)"
runs="${RUNS:-5}"
spec=examples/device_dax/v6_15.pgmap
cd "$repo"
[ -x ./pgmap ] || { echo "startup.sh: no ./pgmap in $repo" >&2; exit 2; }
command -v python3 >/dev/null || { echo "startup.sh: needs python3 (the language server's client)" >&2; exit 2; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

now() { date +%s%N; }

# seconds of one run of "$@", its output thrown away (a check's exit code 1 is a finding, not a failure)
timed() {
  local t0 t1 rc=0
  t0=$(now)
  "$@" >/dev/null 2>"$work/err" || rc=$?
  t1=$(now)
  if [ "$rc" -gt 1 ]; then echo "startup.sh: $* exited with $rc: $(head -3 "$work/err")" >&2; exit 2; fi
  echo "$(( (t1 - t0) / 1000000 ))"
}

# "median (min - max)" of milliseconds, one per line on stdin
summary() {
  sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
    printf "%.2f s | %.2f - %.2f s", m / 1000, v[1] / 1000, v[NR] / 1000 }'
}

lsp_start() {
  python3 - "$repo/pgmap" <<'EOF'
import json, subprocess, sys, time
body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                   "params": {"processId": None, "rootUri": None, "capabilities": {}}}).encode()
t0 = time.monotonic()
p = subprocess.Popen([sys.argv[1], "language-server"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
p.stdin.write(b"Content-Length: %d\r\n\r\n" % len(body) + body)
p.stdin.flush()
while True:  # frames until the answer to request 1
    length = None
    while True:
        line = p.stdout.readline()
        if not line:
            sys.exit("the language server ended before answering initialize")
        line = line.strip()
        if not line:
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    message = json.loads(p.stdout.read(length))
    if message.get("id") == 1:
        break
elapsed = time.monotonic() - t0
p.stdin.close()
try:
    p.wait(timeout=10)
except subprocess.TimeoutExpired:
    p.kill()
print(int(elapsed * 1000))
EOF
}

# a first check makes the launcher's CDS archive when there is none for this JDK and build
PGMAP_CACHE_DIR="$work/first" ./pgmap check "$spec" >/dev/null 2>&1 || true

row() { printf '| %s | %s |\n' "$1" "$2"; }
echo "| command ($runs runs each) | median | min - max |"
echo "|---|---|---|"
row "\`pgmap check $spec\`, cold" "$(for i in $(seq "$runs"); do PGMAP_CACHE_DIR="$work/cold$i" timed ./pgmap check "$spec"; done | summary)"
PGMAP_CACHE_DIR="$work/warm" ./pgmap check "$spec" >/dev/null 2>&1 || true
row "\`pgmap check $spec\`, warm" "$(for i in $(seq "$runs"); do PGMAP_CACHE_DIR="$work/warm" timed ./pgmap check "$spec"; done | summary)"
row "\`pgmap help\`" "$(for i in $(seq "$runs"); do timed ./pgmap help; done | summary)"
row "\`pgmap check examples\`, cold" "$(for i in $(seq "$runs"); do PGMAP_CACHE_DIR="$work/all$i" timed ./pgmap check examples; done | summary)"
PGMAP_CACHE_DIR="$work/allwarm" ./pgmap check examples >/dev/null 2>&1 || true
row "\`pgmap check examples\`, warm" "$(for i in $(seq "$runs"); do PGMAP_CACHE_DIR="$work/allwarm" timed ./pgmap check examples; done | summary)"
row "language server: start to \`initialize\` answered" "$(for i in $(seq "$runs"); do lsp_start; done | summary)"
