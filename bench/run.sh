#!/usr/bin/env bash
# pgmap against SPIN on the same models, side by side in one run: every example, the mixed
# scenarios of bench/mixed/, and a scaling series of the test_hmm scenario on v6.1 (2 to 8
# threads x 2 to 8 pages). Prints markdown tables and writes their figures, one row per model,
# as tab-separated files under target/bench/ (results.tsv, reductions.tsv):
#  1. the targets: pgmap with its default reductions (states, search time, end-to-end time, peak
#     RSS of the JVM, store bytes) next to SPIN with its own best options (spin -a, gcc -O2
#     -DSAFETY -DCOLLAPSE, pan with its partial-order reduction, a hash table sized for the model;
#     states, pan time, end-to-end time, pan's total actual memory usage);
#  2. the unreduced search: pgmap without partial-order and symmetry reduction on 1 and 2
#     workers, next to SPIN without its partial-order reduction (-DNOREDUCE): one SPIN transition
#     per pgmap step (PromelaGenerator writes each step as one d_step), so the state counts are
#     comparable; and pgmap's --bitstate (supertrace) run where the CLI has it;
#  3. for the examples, what each of pgmap's reductions saves (partial order only, symmetry only);
#  4. the on-save check of every example, warm (org.pgmap.cli.SaveBench).
# Every run has a cap (--cap-seconds, --cap-mib); a run that hits it is INCOMPLETE and shows the
# states it stored. In the series, a configuration that was INCOMPLETE at T threads x P pages is
# not run at larger sizes (T x P' > P, T' > T x P): marked "skipped".
# A benchmark, not a test: nothing here asserts a time. Needs spin, gcc and /usr/bin/time.
#   bench/run.sh [--quick] [--cap-seconds S] [--cap-mib M]
#   --quick: only the examples and the small series (2..3 threads x 2..3 pages): a smoke run.
set -uo pipefail
cd "$(dirname "$0")/.."
quick=0; cap_s=60; cap_mib=4096
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1 ;;
    --cap-seconds) cap_s=$2; shift ;;
    --cap-mib) cap_mib=$2; shift ;;
    *) echo "usage: bench/run.sh [--quick] [--cap-seconds S] [--cap-mib M]"; exit 2 ;;
  esac
  shift
done
command -v spin >/dev/null || { echo "bench: spin is not installed (apt-get install spin)"; exit 2; }
[ -x /usr/bin/time ] || { echo "bench: /usr/bin/time is missing (apt-get install time)"; exit 2; }
bench_start=$(date +%s)
out=target/bench
rm -rf "$out"; mkdir -p "$out/scale" "$out/json" "$out/spin" "$out/gen"
./pgmap check --static examples > /dev/null 2>&1 # builds the tool first if needed
for j in "${JAVA_HOME:-}" /usr/lib/jvm/*; do
  if [ -n "$j" ] && [ -x "$j/bin/java" ] && "$j/bin/java" -version 2>&1 | grep -qE 'version "(2[1-9]|[3-9][0-9])'; then java="$j/bin/java"; break; fi
done
plugins=releng/org.pgmap.repository/target/repository/plugins
caps=(--max-seconds "$cap_s" --max-memory "$cap_mib" --max-states 2000000000)

# does this pgmap have --bitstate? (a CLI without it says "unknown option")
# (grep reads all of it: with grep -q, pgmap's write into the closed pipe failed and pipefail said no)
if ./pgmap check --bitstate --format json "${caps[@]}" examples/fault_path/v6_1.pgmap 2>&1 | grep '"verdict"' >/dev/null; then bitstate=1; else bitstate=0; fi

# the scaling series: lib/test_hmm.c on v6.1 with T threads and P pages
if [ $quick = 1 ]; then series_t="2 3"; series_p="2 3"; else series_t="2 3 4 5 6 7 8"; series_p="2 3 4 5 6 7 8"; fi
for t in $series_t; do
  for p in $series_p; do
    sed -e "s/pages 2 ops/pages $p ops/" -e "s/thread user\[2\]/thread user[$t]/" \
        -e "s/^spec test_hmm_v6_1 /spec test_hmm_v6_1_t${t}_p${p} /" examples/test_hmm/v6_1.pgmap > "$out/scale/test_hmm_v6_1_t${t}_p${p}.pgmap"
  done
done

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "" && a != "-" && b + 0 > 0) printf "%.2f", a / b; else print "-" }'; }
field() { sed -n "s/.*\"$2\": \"\\{0,1\\}\\([^,\"]*\\)\"\\{0,1\\}[,}].*/\\1/p" "$1" 2>/dev/null | head -1; }
mib() { awk -v b="$1" 'BEGIN { if (b == "" || b == "-") print "-"; else printf "%.1f", b / 1048576 }'; }
rss_mib() { awk '/Maximum resident set size/ { printf "%.1f", $NF / 1024 }' "$1" 2>/dev/null; }

# one pgmap run: pg NAME FILE ARGS... -> $j.NAME.json and $j.NAME.time; sets p_states p_verdict p_secs p_e2e p_rss p_bytes
pg() {
  local name=$1 f=$2; shift 2
  local t0; t0=$(now)
  /usr/bin/time -v -o "$j.$name.time" ./pgmap check --format json "${caps[@]}" "$@" "$f" > "$j.$name.json" 2>/dev/null
  p_e2e=$(secs "$t0" "$(now)")
  p_verdict=$(field "$j.$name.json" verdict); p_states=$(field "$j.$name.json" states)
  p_secs=$(awk -v s="$(field "$j.$name.json" seconds)" 'BEGIN { if (s == "") print "-"; else printf "%.4f", s }')
  p_rss=$(rss_mib "$j.$name.time"); p_bytes=$(field "$j.$name.json" bytes)
  [ -n "$p_verdict" ] || p_verdict=error
}
# a verdict as the tables show it
shown() { if [ "$1" = incomplete ]; then echo INCOMPLETE; else echo "$1"; fi; }

# SPIN on the Promela model of a spec: sp FILE -> compiles pan (POR) and pan_nr (-DNOREDUCE) once
sp_build() {
  local f=$1
  work="$out/spin/$spec"; mkdir -p "$work"
  ./pgmap generate --force --out "$out/gen" "$f" > /dev/null 2>&1
  cp "$out/gen/$spec"/*.pml "$work/model.pml" 2>/dev/null || return 1
  local s0; s0=$(now)
  (cd "$work" && spin -a model.pml > spin.log 2>&1 && gcc -O2 -DSAFETY -DCOLLAPSE -DMEMLIM="$cap_mib" -o pan pan.c > gcc.log 2>&1) || return 1
  s_compile=$(secs "$s0" "$(now)")
  (cd "$work" && gcc -O2 -DSAFETY -DCOLLAPSE -DNOREDUCE -DMEMLIM="$cap_mib" -o pan_nr pan.c >> gcc.log 2>&1) || return 1
}
# sp_run BINARY W -> s_states s_secs s_mem s_verdict (pass, fail, INCOMPLETE)
sp_run() {
  local bin=$1 w=$2 log="$work/$1.log"
  local s0; s0=$(now)
  (cd "$work" && timeout -s INT "$cap_s" "./$bin" -m1000000 -w"$w" > "$bin.log" 2>&1)
  s_secs=$(secs "$s0" "$(now)")
  s_states=$(sed -n 's/^ *\([0-9e+.]*\) states, stored.*/\1/p' "$log" | head -1)
  s_mem=$(sed -n 's/^ *\([0-9.]*\)[[:space:]]*total actual memory usage.*/\1/p' "$log" | head -1)
  if grep -qE "Interrupted|MEMLIM|out of memory|max search depth too small" "$log"; then s_verdict=INCOMPLETE
  elif grep -q "errors: 0" "$log"; then s_verdict=pass
  elif grep -qE "errors: [1-9]" "$log"; then s_verdict=fail
  else s_verdict=error; fi
  [ -n "$s_states" ] || s_states=-
  [ -n "$s_mem" ] || s_mem=-
}
# the hash table for a model: 2^w slots for about the states pgmap's unreduced search found
hash_bits() {
  awk -v n="$1" 'BEGIN { w = 18; while (w < 28 && 2 ^ w < 2 * n) w++; print w }'
}

models=$(find examples -name '*.pgmap' | sort)
[ $quick = 1 ] || models="$models $(ls bench/mixed/*.pgmap | sort)"
models="$models $(ls "$out"/scale/*.pgmap | sort -V)"
results="$out/results.tsv"; reductions="$out/reductions.tsv"
printf 'model\tverdict\tpgmap_states\tpgmap_search_s\tpgmap_e2e_s\tpgmap_rss_mib\tpgmap_store_mib\tspin_verdict\tspin_states\tpan_s\tspin_e2e_s\tpan_mem_mib\tpan_w\tnone_verdict\tnone_states\tnone1_search_s\tnone1_rss_mib\tnone1_store_mib\tnone2_search_s\tnone2_rss_mib\tspin_nr_verdict\tspin_nr_states\tpan_nr_s\tpan_nr_mem_mib\tbitstate_verdict\tbitstate_states\tbitstate_search_s\tbitstate_rss_mib\n' > "$results"
printf 'model\tnone\tpartial_order_only\tsymmetry_only\tboth\n' > "$reductions"
declare -A incomplete # configuration,T,P -> 1 when that size hit the cap
skip() { # skip CONFIG FILE: whether a smaller size of the series was INCOMPLETE in CONFIG
  local b; b=$(basename "$2" .pgmap)
  [[ "$b" =~ _t([0-9]+)_p([0-9]+)$ ]] || return 1
  local t=${BASH_REMATCH[1]} p=${BASH_REMATCH[2]} tt pp
  for tt in $series_t; do for pp in $series_p; do
    if [ "$tt" -le "$t" ] && [ "$pp" -le "$p" ] && [ -n "${incomplete[$1,$tt,$pp]:-}" ]; then return 0; fi
  done; done
  return 1
}
mark() { # mark CONFIG FILE VERDICT
  local b; b=$(basename "$2" .pgmap)
  [[ "$b" =~ _t([0-9]+)_p([0-9]+)$ ]] && [ "$3" = INCOMPLETE ] && incomplete[$1,${BASH_REMATCH[1]},${BASH_REMATCH[2]}]=1
  return 0
}

for f in $models; do
  spec=$(sed -n 's/^spec \([A-Za-z0-9_]*\).*/\1/p' "$f" | head -1)
  j="$out/json/$spec"
  row=("$spec")
  # pgmap, default reductions
  if skip default "$f"; then row+=(skipped - - - - -); else
    pg default "$f"; v=$(shown "$p_verdict"); mark default "$f" "$v"
    row+=("$v" "${p_states:--}" "$p_secs" "$p_e2e" "${p_rss:--}" "$(mib "$p_bytes")")
  fi
  # pgmap unreduced, 1 and 2 workers
  if skip none "$f"; then nrow=(skipped - - - - - -); none_states=268435456; else
    pg none1 "$f" --no-partial-order --no-symmetry --workers 1; nv=$(shown "$p_verdict"); mark none "$f" "$nv"
    none_states=${p_states:-0}
    nrow=("$nv" "${p_states:--}" "$p_secs" "${p_rss:--}" "$(mib "$p_bytes")")
    pg none2 "$f" --no-partial-order --no-symmetry --workers 2
    nrow+=("$p_secs" "${p_rss:--}")
  fi
  # SPIN: its partial-order reduction on, and off (-DNOREDUCE)
  w=$(hash_bits "$none_states")
  if skip spin "$f" && skip spin_nr "$f"; then srow=(skipped - - - - -); snrow=(skipped - - -); else
    if sp_build "$f"; then
      if skip spin "$f"; then srow=(skipped - - - - "$w"); else
        sp_run pan "$w"; mark spin "$f" "$s_verdict"
        srow=("$s_verdict" "$s_states" "$s_secs" "$(awk -v a="$s_compile" -v b="$s_secs" 'BEGIN { printf "%.3f", a + b }')" "$s_mem" "$w")
      fi
      if skip spin_nr "$f"; then snrow=(skipped - - -); else
        sp_run pan_nr "$w"; mark spin_nr "$f" "$s_verdict"
        snrow=("$s_verdict" "$s_states" "$s_secs" "$s_mem")
      fi
    else srow=(error - - - - "$w"); snrow=(error - - -); fi
  fi
  # pgmap --bitstate (supertrace), where the CLI has it
  if [ $bitstate = 0 ]; then brow=(n/a - - -)
  elif skip bitstate "$f"; then brow=(skipped - - -)
  else pg bitstate "$f" --bitstate; bv=$(shown "$p_verdict"); mark bitstate "$f" "$bv"; brow=("$bv" "${p_states:--}" "$p_secs" "${p_rss:--}"); fi
  row+=("${srow[@]}" "${nrow[@]}" "${snrow[@]}" "${brow[@]}")
  (IFS=$'\t'; echo "${row[*]}") >> "$results"
  # what each reduction saves, on the examples
  case "$f" in examples/*)
    pg por "$f" --no-symmetry; por=$p_states
    pg sym "$f" --no-partial-order; sym=$p_states
    printf '%s\t%s\t%s\t%s\t%s\n' "$spec" "$none_states" "${por:--}" "${sym:--}" "${row[2]}" >> "$reductions" ;;
  esac
done

col() { awk -F'\t' -v c="$1" 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == c) k = i; next } { print $k }' "$results"; }
echo "## 1. Targets: pgmap (partial order + symmetry, 2 workers) against SPIN (its partial-order reduction, -DCOLLAPSE)"
echo
echo "| model | verdict | pgmap states | pgmap search s | pgmap end-to-end s | pgmap peak RSS MiB | pgmap store MiB | SPIN verdict | SPIN states | pan s | SPIN end-to-end s | pan memory MiB | pan -w | search / pan | end-to-end / SPIN | RSS / pan memory |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
tail -n +2 "$results" | awk -F'\t' '
  function r(a, b) { return (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) ? sprintf("%.2f", a / b) : "-" }
  { printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, r($4, $10), r($5, $11), r($6, $12) }'
echo
echo "## 2. Unreduced: pgmap without reductions (1 and 2 workers) against SPIN -DNOREDUCE (one transition per pgmap step), and pgmap --bitstate"
echo
echo "| model | verdict | pgmap states | search s, 1 worker | peak RSS MiB, 1 worker | store MiB | search s, 2 workers | peak RSS MiB, 2 workers | SPIN verdict | SPIN states | pan s | pan memory MiB | SPIN / pgmap states | pgmap search / pan, 1 worker | bitstate verdict | bitstate states | bitstate search s | bitstate peak RSS MiB |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"
tail -n +2 "$results" | awk -F'\t' '
  function r(a, b) { return (a ~ /^[0-9.]+$/ && b ~ /^[0-9.]+$/ && b > 0) ? sprintf("%.2f", a / b) : "-" }
  { printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, r($22, $15), r($16, $23), $25, $26, $27, $28 }'
echo
echo "## 3. What each of pgmap's reductions saves (examples; states)"
echo
echo "| model | no reduction | partial order only | symmetry only | both | saved by both |"
echo "|---|---|---|---|---|---|"
tail -n +2 "$reductions" | awk -F'\t' '
  { s = ($2 ~ /^[0-9]+$/ && $5 ~ /^[0-9]+$/ && $5 > 0) ? sprintf("%.2fx", $2 / $5) : "-"; printf "| %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, s }'
echo
echo "## 4. On-save check, warm (median and slowest of 20 runs after 20 warm-up runs)"
echo
echo "| spec | median ms | slowest ms | issues | errors |"
echo "|---|---|---|---|---|"
"$java" -cp "$plugins/*" org.pgmap.cli.SaveBench --warmup 20 --runs 20 examples 2>/dev/null | tail -n +2 | \
  awk -F'\t' '{ printf "| %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5 }'
echo
echo "caps per run: ${cap_s} s, ${cap_mib} MiB (pgmap --max-seconds/--max-memory; pan timeout -s INT and -DMEMLIM); pgmap --bitstate: $([ $bitstate = 1 ] && echo yes || echo 'not in this CLI')$([ $quick = 1 ] && echo '; --quick')"
echo "date: $(date -u +%Y-%m-%dT%H:%MZ); bench wall time: $(( $(date +%s) - bench_start )) s; machine: $(nproc) cores, $(free -g | awk '/Mem:/ {print $2}') GiB, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1); java: $("$java" -version 2>&1 | head -1); $(spin -V | head -1); $(gcc --version | head -1)"
echo "SPIN on a failing model stops at its first counterexample (pan without -e); pgmap goes on to report every violated rule. Figures: $results, $reductions."
