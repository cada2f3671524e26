#!/usr/bin/env bash
# pgmap against SPIN on the same models, side by side in one run, for every example and for a
# scaling series of the test_hmm scenario (2 to 4 threads x 1 to 4 pages). Prints three
# markdown tables:
#  1. the targets: pgmap's search time (engine only) and end-to-end time (./pgmap check, JVM
#     start included) with its default reductions, next to pan's own search time and SPIN end
#     to end (spin -a + gcc -O2 + pan);
#  2. the engine and what each reduction saves: states with no reduction, with partial order
#     only, with symmetry only, with both; states/s of the unreduced search on 1 and 2 workers
#     next to pan's states/s; store size exact and with hash compaction;
#  3. the on-save check of every example, warm, through the validator the Eclipse builder and
#     the language server use (org.pgmap.cli.SaveBench).
# A benchmark, not a test: nothing here asserts a time. Needs spin and gcc.
set -uo pipefail
cd "$(dirname "$0")/.."
command -v spin >/dev/null || { echo "bench: spin is not installed (apt-get install spin)"; exit 2; }
out=target/bench
rm -rf "$out"; mkdir -p "$out/scale" "$out/json"
./pgmap check --static examples > /dev/null 2>&1 # builds the tool first if needed
for j in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
  if [ -n "$j" ] && [ -x "$j/bin/java" ] && "$j/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then java="$j/bin/java"; break; fi
done
plugins=releng/org.pgmap.repository/target/repository/plugins

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
field() { sed -n "s/.*\"$2\": \"\\{0,1\\}\\([^,\"]*\\)\"\\{0,1\\}[,}].*/\\1/p" "$1" | head -1; }
mib() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1048576 }'; }

models=$(find examples -name '*.pgmap' | sort; ls "$out"/scale/*.pgmap | sort -V)
t1="$out/targets.md"; t2="$out/reductions.md"
echo "| model | verdict | pgmap states | pgmap search s | pgmap end-to-end s | SPIN states | pan s | SPIN end-to-end s | search / pan | end-to-end / SPIN |" > "$t1"
echo "|---|---|---|---|---|---|---|---|---|---|" >> "$t1"
echo "| model | states, no reduction | partial order only | symmetry only | both | unreduced states/s, 1 worker | unreduced states/s, 2 workers | pan states/s | unreduced store MiB, exact | with hash compaction | saved by both |" > "$t2"
echo "|---|---|---|---|---|---|---|---|---|---|---|" >> "$t2"
for f in $models; do
  spec=$(sed -n 's/^spec \([A-Za-z0-9_]*\).*/\1/p' "$f" | head -1)
  j="$out/json/$spec"
  t0=$(now)
  ./pgmap check --format json "$f" > "$j.default.json" 2>/dev/null
  e2e=$(secs "$t0" "$(now)")
  ./pgmap check --format json --max-memory 4096 --no-partial-order --no-symmetry --workers 1 "$f" > "$j.none1.json" 2>/dev/null
  ./pgmap check --format json --max-memory 4096 --no-partial-order --no-symmetry --workers 2 "$f" > "$j.none2.json" 2>/dev/null
  ./pgmap check --format json --max-memory 4096 --no-symmetry "$f" > "$j.por.json" 2>/dev/null
  ./pgmap check --format json --max-memory 4096 --no-partial-order "$f" > "$j.sym.json" 2>/dev/null
  ./pgmap check --format json --max-memory 4096 --no-partial-order --no-symmetry --workers 1 --hash-compaction "$f" > "$j.hc.json" 2>/dev/null
  verdict=$(field "$j.default.json" verdict)
  states=$(field "$j.default.json" states)
  search=$(awk -v s="$(field "$j.default.json" seconds)" 'BEGIN { printf "%.4f", s }')
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
  pan_rate=$(awk -v n="$spin_states" -v s="$pan_s" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "-" }')
  echo "| $spec | ${verdict:-?} | ${states:-?} | $search | $e2e | ${spin_states:-?} | $pan_s | $spin_e2e | $(ratio "$search" "$pan_s") | $(ratio "$e2e" "$spin_e2e") |" >> "$t1"
  none=$(field "$j.none1.json" states); [ "$(field "$j.none1.json" verdict)" = incomplete ] && none="$none (incomplete)"
  echo "| $spec | $none | $(field "$j.por.json" states) | $(field "$j.sym.json" states) | ${states:-?} | $(field "$j.none1.json" statesPerSecond) | $(field "$j.none2.json" statesPerSecond) | $pan_rate | $(mib "$(field "$j.none1.json" bytes)") | $(mib "$(field "$j.hc.json" bytes)") | $(ratio "$(field "$j.none1.json" states | sed 's/ .*//')" "${states:-0}")x |" >> "$t2"
done

echo "## 1. Targets: pgmap (partial order + symmetry, 2 workers) against SPIN"
echo
cat "$t1"
echo
echo "## 2. The engine and what each reduction saves"
echo
cat "$t2"
echo
echo "## 3. On-save check, warm (median and slowest of 20 runs after 20 warm-up runs)"
echo
echo "| spec | median ms | slowest ms | issues | errors |"
echo "|---|---|---|---|---|"
"$java" -cp "$plugins/*" org.pgmap.cli.SaveBench --warmup 20 --runs 20 examples 2>/dev/null | tail -n +2 | \
  awk -F'\t' '{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }'
echo
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); java: $("$java" -version 2>&1 | head -1); $(spin -V | head -1); $(gcc --version | head -1)"
echo "SPIN on a failing model stops at its first counterexample (pan without -e); pgmap goes on to report every violated rule."
