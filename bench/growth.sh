#!/usr/bin/env bash
# The growth of states, time and memory with threads and pages: test_hmm v6.1 (the example with
# only `thread user[T]` and `pages P` changed) for T, P in 2..8, with pgmap's default reductions
# (partial order + symmetry, 2 workers) and without any (--no-partial-order --no-symmetry, 2
# workers). pgmap only (bench/run.sh has the SPIN comparison). Each run is capped (--cap-seconds,
# --cap-mib; a capped run is INCOMPLETE with the states it stored); an unreduced configuration
# that was INCOMPLETE is not run at larger sizes ("skipped"). Prints a markdown table; the
# figures also go to target/bench/growth.tsv. A benchmark, not a test: nothing asserts a time.
#   bench/growth.sh [--cap-seconds S] [--cap-mib M] [--max N]
set -uo pipefail
cd "$(dirname "$0")/.."
cap_s=60; cap_mib=3072; max=8
while [ $# -gt 0 ]; do
  case "$1" in
    --cap-seconds) cap_s=$2; shift ;;
    --cap-mib) cap_mib=$2; shift ;;
    --max) max=$2; shift ;;
    *) echo "usage: bench/growth.sh [--cap-seconds S] [--cap-mib M] [--max N]"; exit 2 ;;
  esac
  shift
done
out=target/bench/growth; mkdir -p "$out"
./pgmap check --static examples/test_hmm/v6_1.pgmap > /dev/null 2>&1 # builds the tool first if needed
field() { sed -n "s/.*\"$2\": \"\\{0,1\\}\\([^,\"]*\\)\"\\{0,1\\}[,}]\\{0,1\\}$/\\1/p" "$1" | head -1; }
tsv=target/bench/growth.tsv
printf 'threads\tpages\tmode\tverdict\tstates\tsearch_s\te2e_s\trss_mib\tstore_mib\n' > "$tsv"
echo "| threads x pages | reduced: verdict | states | search s | end-to-end s | peak RSS MiB | unreduced: verdict | states | search s | end-to-end s | peak RSS MiB | reduced by |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
declare -A incomplete
run() { # mode file -> sets v s secs e2e rss
  local mode=$1 f=$2 j="$out/$(basename "$2" .pgmap).$1.json" opts=()
  [ "$mode" = none ] && opts=(--no-partial-order --no-symmetry)
  local t0; t0=$(date +%s.%N)
  /usr/bin/time -f '%M' -o "$j.time" ./pgmap check --no-cache --format json --max-seconds "$cap_s" --max-memory "$cap_mib" \
    --max-states 2000000000 "${opts[@]}" "$f" > "$j" 2> /dev/null
  e2e=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
  v=$(field "$j" verdict); s=$(field "$j" states); secs=$(awk -v x="$(field "$j" seconds)" 'BEGIN { printf "%.2f", x }')
  [ "$(field "$j" incompleteReason)" != null ] && [ -n "$(field "$j" incompleteReason)" ] && v=incomplete
  rss=$(tail -n 1 "$j.time" 2>/dev/null | awk '{ printf "%.0f", $1 / 1024 }') # (a failing exit adds a line before it)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$T" "$P" "$mode" "$v" "$s" "$secs" "$e2e" "$rss" >> "$tsv"
}
for T in $(seq 2 "$max"); do
  for P in $(seq 2 "$max"); do
    f="$out/t${T}_p${P}.pgmap"
    sed -e "s/pages 2 ops/pages $P ops/" -e "s/thread user\[2\]/thread user[$T]/" \
        -e "s/^spec test_hmm_v6_1 /spec test_hmm_v6_1_t${T}_p${P} /" examples/test_hmm/v6_1.pgmap > "$f"
    run default "$f"; rv=$v; rs=$s; rsec=$secs; re2e=$e2e; rrss=$rss
    skip=no
    for k in "${!incomplete[@]}"; do
      kt=${k%_*}; kp=${k#*_}
      if [ "$T" -ge "$kt" ] && [ "$P" -ge "$kp" ]; then skip=yes; fi
    done
    if [ $skip = yes ]; then
      echo "| ${T} x ${P} | $rv | $rs | $rsec | $re2e | $rrss | skipped | - | - | - | - | - |"
      continue
    fi
    run none "$f"
    [ "$v" = incomplete ] && incomplete["${T}_${P}"]=1
    by=$(awk -v a="$s" -v b="$rs" 'BEGIN { if (b > 0) printf "%.0fx", a / b; else print "-" }')
    [ "$v" = incomplete ] && by=">$by"
    echo "| ${T} x ${P} | $rv | $rs | $rsec | $re2e | $rrss | $v | $s | $secs | $e2e | $rss | $by |"
  done
done
echo
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); machine: $(nproc) cores, $(free -g | awk '/Mem:/ { print $2 }') GiB; load average at the end: $(cut -d' ' -f1-3 /proc/loadavg); caps: ${cap_s} s, ${cap_mib} MiB per run"
