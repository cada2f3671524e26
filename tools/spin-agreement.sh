#!/usr/bin/env bash
# SPIN decides the same question independently: for every example, pgmap's verdict next to the
# verdict of SPIN on the generated Promela model (spin -a, gcc, pan), and whether they agree
# (both pass, or SPIN's violated rule is one pgmap reports). Exits 1 on any disagreement.
# Needs spin and gcc (Debian: apt-get install spin gcc).
set -uo pipefail
cd "$(dirname "$0")/.."
command -v spin >/dev/null || { echo "spin-agreement: spin is not installed (apt-get install spin)"; exit 2; }
out=target/spin-agreement
rm -rf "$out"; mkdir -p "$out"
./pgmap generate --force --out "$out/gen" examples > "$out/generate.log" 2>&1 || true
printf '%-40s %-8s %-28s %-10s %s\n' example pgmap "pgmap rules" spin agree
disagree=0
for f in $(find examples -name '*.pgmap' | sort); do
  spec=$(sed -n 's/^spec \([A-Za-z0-9_]*\).*/\1/p' "$f" | head -1)
  json=$(./pgmap check --format json "$f" 2>/dev/null || true)
  verdict=$(printf '%s' "$json" | sed -n 's/.*"verdict": "\([a-z]*\)".*/\1/p' | head -1)
  rules=$(printf '%s' "$json" | grep -o '"rule": "R[0-9]*"' | sed 's/.*"\(R[0-9]*\)"/\1/' | sort -u | tr '\n' ' ')
  for pml in "$out/gen/$spec"/*.pml; do
    work="$out/run/$spec"; mkdir -p "$work"; cp "$pml" "$work/model.pml"
    # -O0: the generated pan.c is large and -O2 takes minutes per model; these models are small
    (cd "$work" && spin -a model.pml > spin.log 2>&1 && gcc -O0 -DSAFETY -o pan pan.c > gcc.log 2>&1 && ./pan -m1000000 > pan.log 2>&1) || true
    if grep -q "errors: 0" "$work/pan.log"; then
      spin_verdict=pass
    elif grep -q "^pan:1: invalid end state" "$work/pan.log"; then
      spin_verdict=R13
    elif bit=$(grep -o 'assertion violated ((viol&[0-9]*)==0)' "$work/pan.log" | grep -o '&[0-9]*' | tr -d '&'); [ -n "$bit" ]; then
      n=0; while [ $((1 << n)) -ne "$bit" ]; do n=$((n + 1)); done
      if [ "$n" -eq 14 ]; then spin_verdict=WARN; else spin_verdict=R$((n + 1)); fi
    else
      spin_verdict="error"
    fi
    if [ "$verdict" = pass ] && [ "$spin_verdict" = pass ]; then ok=yes
    elif [ "$verdict" = fail ] && [[ " $rules " == *" $spin_verdict "* ]]; then ok=yes
    else ok=NO; disagree=1; fi
    printf '%-40s %-8s %-28s %-10s %s\n' "$f" "${verdict:-?}" "${rules:--}" "$spin_verdict" "$ok"
  done
done
exit $disagree
