#!/usr/bin/env bash
# Real drivers, read by Coccinelle: for each driver file of Debian's linux-source 6.1 and 6.12
# packages, `pgmap extract` (spatch on the C) writes a spec, `pgmap check` gives the verdict, and
# both are compared with what is expected: the spec with the golden file the unit tests hold
# (org.pgmap.dsl.tests/golden-extract, written from the committed extract.py samples), the
# verdict with the kernel's history (tools/extract-evidence.tsv). Prints the table; exits 1 on
# any difference. Needs spatch (Debian: coccinelle) and the linux-source-6.1/-6.12 packages.
set -uo pipefail
cd "$(dirname "$0")/.."
command -v spatch >/dev/null || { echo "extract-evidence: spatch is not installed (apt-get install coccinelle)"; exit 2; }
out=target/extract-evidence
rm -rf "$out"; mkdir -p "$out/src"
for v in 6.1 6.12; do
  tarball=/usr/src/linux-source-$v.tar.xz
  [ -f "$tarball" ] || { echo "extract-evidence: $tarball is missing (apt-get install linux-source-$v)"; exit 2; }
  tar -xf "$tarball" -C "$out/src" --wildcards \
    "linux-source-$v/lib/test_hmm.c" "linux-source-$v/drivers/gpu/drm/nouveau/nouveau_dmem.c" \
    "linux-source-$v/drivers/gpu/drm/amd/amdkfd/kfd_migrate.c" "linux-source-$v/drivers/gpu/drm/amd/amdkfd/kfd_svm.c" \
    "linux-source-$v/arch/powerpc/kvm/book3s_hv_uvmem.c" "linux-source-$v/drivers/pci/p2pdma.c" \
    "linux-source-$v/drivers/dax/device.c" "linux-source-$v/drivers/xen/unpopulated-alloc.c" || exit 2
done
for v in 6.1 6.12; do echo "linux-source-$v: $(dpkg-query -W -f '${Version}' linux-source-$v 2>/dev/null || echo '?')"; done
echo "$(spatch --version 2>&1 | head -1)"
printf '%-5s %-22s %-9s %-9s %-9s %-8s %s\n' version driver expected verdict golden unknown ok
bad=0
while IFS=$'\t' read -r version sample era expected options files; do
  case "$version" in ''|'#'*) continue ;; esac
  dir="$out/$version/$sample"; mkdir -p "$dir"
  args=()
  for f in $files; do args+=("$out/src/linux-source-$version/$f"); done
  [ "$options" = - ] || args+=($options)
  ./pgmap extract "${args[@]}" --era "$era" --out "$dir" > "$dir/extract.out" 2> "$dir/extract.err"
  status=$?
  spec=$(ls "$dir"/*.pgmap 2>/dev/null | head -1)
  golden=-; unknown=-
  if [ "$status" -ne 0 ] || [ -z "$spec" ]; then
    verdict="exit$status"
  else
    unknown=$(sed -n 's/.*; \([0-9]*\) unknown statement.*/\1/p' "$dir/extract.out")
    ./pgmap check "$spec" > "$dir/check.out" 2>&1
    c=$?
    rules=$(grep -o ': error: \[R[0-9]*\]' "$dir/check.out" | grep -o 'R[0-9]*' | sort -u | tr '\n' ' ')
    if [ "$c" -eq 0 ]; then verdict=PASS
    elif [ "$c" -eq 1 ] && [ -n "$rules" ]; then
      want=${expected#FAIL-}
      if [[ " $rules" == *" $want "* ]]; then verdict="FAIL-$want"; else verdict="FAIL-$(echo $rules | tr ' ' ',')"; fi
    else verdict="exit$c"; fi
    g="org.pgmap.dsl.tests/golden-extract/$version/$sample.pgmap"
    # the golden files were written from the samples, whose paths are relative: compare without the header's paths
    if [ -f "$g" ] && diff <(sed -e '1d' -e '/^spec /d' "$g") <(sed -e '1d' -e '/^spec /d' "$spec") > "$dir/golden.diff"; then golden=same; else golden=DIFFERS; fi
  fi
  ok=yes
  if [ "$verdict" != "$expected" ]; then ok=NO; bad=1; fi
  # a newer Debian point release moves lines: a golden difference is shown, not a failure
  printf '%-5s %-22s %-9s %-9s %-9s %-8s %s\n' "$version" "$sample" "$expected" "$verdict" "$golden" "$unknown" "$ok"
  if [ "$ok" = NO ]; then sed 's/^/    /' "$dir/extract.err" | head -5; fi
  if [ "$golden" = DIFFERS ]; then head -20 "$dir/golden.diff" | sed 's/^/    /'; fi
done < tools/extract-evidence.tsv
exit $bad
