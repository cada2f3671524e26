#!/usr/bin/env bash
# pgmap against SPIN on the same models, side by side in one run: for every example and for a
# scaling series of the test_hmm scenario (2 to 4 threads x 1 to 4 pages), pgmap's search time
# (engine only), its end-to-end time (./pgmap check, JVM start included), states and states/s,
# next to SPIN's end-to-end time (spin -a + gcc -O2 + pan), pan's own time, and its states.
# Prints one table (markdown). A benchmark, not a test: nothing here asserts a time.
# Needs spin and gcc.
set -uo pipefail
cd "$(dirname "$0")/.."
command -v spin >/dev/null || { echo "bench: spin is not installed (apt-get install spin)"; exit 2; }
out=target/bench
rm -rf "$out"; mkdir -p "$out/scale"
./pgmap check --static examples > /dev/null 2>&1 # builds the tool first if needed

# the scaling series: lib/test_hmm.c on v6.1 with T threads and P pages
for t in 2 3 4; do
  for p in 1 2 3 4; do
    sed -e "s/pages 2 ops/pages $p ops/" -e "s/thread user\[2\]/thread user[$t]/" \
        -e "s/^spec test_hmm_v6_1 /spec test_hmm_v6_1_t${t}_p${p} /" examples/test_hmm/v6_1.pgmap > "$out/scale/test_hmm_v6_1_t${t}_p${p}.pgmap"
  done
done

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

echo "| model | verdict | pgmap states | pgmap search s | pgmap states/s | pgmap end-to-end s | SPIN states | pan s | SPIN end-to-end s | search / pan | end-to-end / SPIN |"
echo "|---|---|---|---|---|---|---|---|---|---|---|"
for f in $(find examples -name '*.pgmap' | sort) $(ls "$out"/scale/*.pgmap | sort -V); do
  spec=$(sed -n 's/^spec \([A-Za-z0-9_]*\).*/\1/p' "$f" | head -1)
  t0=$(now)
  json=$(./pgmap check --format json "$f" 2>/dev/null)
  t1=$(now)
  e2e=$(secs "$t0" "$t1")
  verdict=$(printf '%s' "$json" | sed -n 's/.*"verdict": "\([a-z]*\)".*/\1/p' | head -1)
  states=$(printf '%s' "$json" | sed -n 's/.*"states": \([0-9]*\),.*/\1/p' | head -1)
  search=$(printf '%s' "$json" | sed -n 's/.*"seconds": \([0-9.E-]*\),.*/\1/p' | head -1)
  rate=$(printf '%s' "$json" | sed -n 's/.*"statesPerSecond": \([0-9]*\).*/\1/p' | head -1)
  search=$(awk -v s="$search" 'BEGIN { printf "%.4f", s }')
  work="$out/spin/$spec"; mkdir -p "$work"
  ./pgmap generate --force --out "$out/gen" "$f" > /dev/null 2>&1
  cp "$out/gen/$spec"/*.pml "$work/model.pml" 2>/dev/null
  s0=$(now)
  (cd "$work" && spin -a model.pml > /dev/null 2>&1 && gcc -O2 -DSAFETY -o pan pan.c > /dev/null 2>&1)
  s1=$(now)
  (cd "$work" && ./pan -m1000000 > pan.log 2>&1)
  s2=$(now)
  pan_s=$(secs "$s1" "$s2")
  spin_e2e=$(secs "$s0" "$s2")
  spin_states=$(sed -n 's/^ *\([0-9e+.]*\) states, stored.*/\1/p' "$work/pan.log" | head -1)
  echo "| $spec | ${verdict:-?} | ${states:-?} | $search | ${rate:-?} | $e2e | ${spin_states:-?} | $pan_s | $spin_e2e | $(ratio "$search" "$pan_s") | $(ratio "$e2e" "$spin_e2e") |"
done
echo
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); java: $(for j in /usr/lib/jvm/*; do v=$("$j/bin/java" -version 2>&1 | head -1); case "$v" in *'"2'[1-9]*|*'"3'*) echo "$v"; break;; esac; done); $(spin -V | head -1); $(gcc --version | head -1)"
echo "SPIN on a failing model stops at its first counterexample (pan without -e); pgmap goes on to report every violated rule."
