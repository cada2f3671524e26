#!/usr/bin/env bash
# The README's screenshot: the pgmap IDE under Xvfb with the racy test_hmm v6.0 spec open, its
# R1 marker in the Problems view and the trace view. Needs xvfb and imagemagick (import).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/ide-screenshot.png}
ws=$(mktemp -d)
display=:97
Xvfb $display -screen 0 1600x1000x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $ide_pid $xvfb 2>/dev/null || true; rm -rf "$ws"' EXIT
export DISPLAY=$display
PGMAP_OPEN=test_hmm/v6_0.pgmap ./pgmap ide "$ws" > "$ws.log" 2>&1 &
ide_pid=$!
for i in $(seq 1 90); do
  sleep 2
  if [ -f "$ws/.metadata/.log" ] && grep -q "Error" "$ws/.metadata/.log" 2>/dev/null; then :; fi
  [ "$i" -ge "${SCREENSHOT_WAIT:-25}" ] && break
done
import -window root -crop 1020x740+0+0 "$out"
echo "screenshot: $out"
