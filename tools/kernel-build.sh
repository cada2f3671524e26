#!/usr/bin/env bash
# The generated reference drivers build against real kernel headers: for every passing example
# whose era's driver API exists in 6.1, `make -C <headers> M=<dir> W=1 modules` with zero errors
# and zero warnings. Needs Debian's linux-headers-amd64 (a 6.1 kernel), make and gcc.
set -euo pipefail
cd "$(dirname "$0")/.."
headers=${KERNEL_HEADERS:-$(ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V | tail -1)}
[ -n "$headers" ] && [ -f "$headers/Makefile" ] || { echo "kernel-build: no kernel headers (apt-get install linux-headers-amd64)"; exit 2; }
out=target/kernel-build
rm -rf "$out"; mkdir -p "$out"
./pgmap generate --out "$out" examples > "$out/generate.log" 2>&1 || true
printf '%-28s %-8s %s\n' spec core result
failed=0
for dir in "$out"/*/; do
  spec=$(basename "$dir")
  core=$(grep -A1 '"core": {' "$dir/$spec.model.json" | sed -n 's/.*"name": "\([a-z0-9_]*\)".*/\1/p' | head -1)
  # the cores whose driver-side API a 6.1 kernel has (the only list of them)
  case " v5_17 v6_0 reorder v6_1 v6_15 " in
    *" $core "*) ;;
    *) printf '%-28s %-8s %s\n' "$spec" "$core" "skipped: the era's API is not in 6.1"; continue ;;
  esac
  if make -C "$headers" M="$(cd "$dir" && pwd)" W=1 modules > "$dir/build.log" 2>&1 \
      && ! grep -qE "warning:|error:" "$dir/build.log"; then
    printf '%-28s %-8s %s\n' "$spec" "$core" "built, 0 warnings: $(cd "$dir" && ls *.ko | tr '\n' ' ')"
  else
    printf '%-28s %-8s %s\n' "$spec" "$core" "FAILED"; grep -E "warning:|error:" "$dir/build.log" | head -20; failed=1
  fi
done
exit $failed
