#!/usr/bin/env bash
# Two launchers of this checkout side by side, interleaved run by run so that both see the same
# load: bench/startup-ab.sh OLD NEW (each a launcher script in the checkout's root, e.g. a copy of
# an earlier ./pgmap as pgmap-old, and ./pgmap). Prints, per launcher, the wall times (s) of RUNS
# (default 5) runs of: the small example with a fresh front-end cache ("cold"), the same with the
# cache the run before filled ("warm"), and every example cold; then the median of each.
# Not a test: the figures depend on the machine and its load (printed with them).
set -euo pipefail
cd "$(dirname "$0")/.."
old="$1" new="$2" runs="${RUNS:-5}"
spec=examples/device_dax/v6_15.pgmap
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
t() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N); echo "$(( (e - s) / 1000000 ))"; }
for l in "$old" "$new"; do ./"$l" check "$spec" >/dev/null 2>&1 || true; done # each makes its archive first
declare -A times
for i in $(seq "$runs"); do
  for l in "$old" "$new"; do
    c="$work/$l.$i"; mkdir -p "$c"
    times[$l cold]+=" $(PGMAP_CACHE_DIR="$c" t ./"$l" check "$spec")"
    times[$l warm]+=" $(PGMAP_CACHE_DIR="$c" t ./"$l" check "$spec")"
    times[$l examples-cold]+=" $(PGMAP_CACHE_DIR="$c.e" t ./"$l" check examples)"
  done
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
printf '| launcher | measure | median | runs (s) |\n|---|---|---|---|\n'
for l in "$old" "$new"; do
  for m in cold warm examples-cold; do
    sorted=$(echo ${times[$l $m]} | tr ' ' '\n' | sort -n)
    med=$(echo "$sorted" | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}')
    printf '| %s | %s | %.2f s | %s |\n' "$l" "$m" "$(echo "$med / 1000" | bc -l)" "$(echo "$sorted" | awk '{printf "%s%.2f", (NR>1?" ":""), $1/1000}')"
  done
done
