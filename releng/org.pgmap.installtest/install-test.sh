#!/usr/bin/env bash
# The install test: pgmap's update site installs into a stock Eclipse of the target's release, and
# that Eclipse then starts with the pgmap bundles resolved and checks specs.
#
#   install-test.sh PLATFORM REPOSITORY WORKDIR
#
# PLATFORM   a stock Eclipse without pgmap (platform.product, materialized by this module's build)
# REPOSITORY the p2 update site (releng/org.pgmap.repository/target/repository)
# WORKDIR    scratch folder: the platform is copied to WORKDIR/eclipse and pgmap installed there
#
# It does what a user does: runs that Eclipse's own p2 director application
#   eclipse -application org.eclipse.equinox.p2.director -repository file:REPO -installIU org.pgmap.feature.feature.group
# then checks the installed profile and bundles.info, and starts the Eclipse headless with the
# pgmap application org.pgmap.cli.check on a clean and on a racy example. Exits non-zero on the
# first broken expectation, with the logs' tails.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
examples="$here/../../examples"
FEATURE=org.pgmap.feature.feature.group
BUNDLES=(org.pgmap.engine org.pgmap.dsl org.pgmap.dsl.ide org.pgmap.dsl.ui org.pgmap.cli)

die() { echo "install-test: $*" >&2; exit 2; }
[ $# -eq 3 ] || die "usage: install-test.sh PLATFORM REPOSITORY WORKDIR"
platform="$1"; repo="$2"; work="$3"
[ -d "$platform/plugins" ] || die "no stock Eclipse at $platform (build releng/org.pgmap.installtest: ./mvnw package)"
[ -f "$repo/content.jar" ] || [ -f "$repo/content.xml" ] || [ -f "$repo/content.xml.xz" ] \
  || die "no p2 repository at $repo (build releng/org.pgmap.repository first: ./mvnw package)"
repo="$(cd "$repo" && pwd)"

java_major() { "$1" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
java=""
for j in ${JAVA_HOME:+"$JAVA_HOME/bin/java"} "$(command -v java || true)" /usr/lib/jvm/*/bin/java; do
  if [ -x "$j" ] && [ "$(java_major "$j")" -ge 21 ] 2>/dev/null; then java="$j"; break; fi
done
[ -n "$java" ] || die "needs Java 21 or newer (set JAVA_HOME, or install one under /usr/lib/jvm)"
major="$(java_major "$java")"
vmargs=(-Xss16m -Xmx1g)
[ "$major" -ge 24 ] && vmargs+=(--sun-misc-unsafe-memory-access=allow)

passed=0; failed=0
pass() { echo "install-test: ok: $*"; passed=$((passed + 1)); }
fail() {
  echo "install-test: FAILED: $1"
  # the log without the OSGi log's entry headers and stack frames: the messages
  [ -n "${2:-}" ] && [ -f "$2" ] && { echo "--- $2 (messages):"; grep -v -e '^!' -e '^[[:space:]]*at ' -e '^$' "$2" | tail -n 30; }
  failed=$((failed + 1))
  echo "install-test: $passed passed, $failed failed"
  exit 1
}

rm -rf "$work"; mkdir -p "$work"
eclipse="$work/eclipse"
cp -a "$platform" "$eclipse" || die "cannot copy $platform to $eclipse"
launcher="$(ls "$eclipse"/plugins/org.eclipse.equinox.launcher_*.jar 2>/dev/null | head -1)"
[ -n "$launcher" ] || die "$platform has no org.eclipse.equinox.launcher jar in plugins/"
bundles_info="$eclipse/configuration/org.eclipse.equinox.simpleconfigurator/bundles.info"
[ -f "$bundles_info" ] || die "$platform has no configuration/org.eclipse.equinox.simpleconfigurator/bundles.info"

# 1. the Eclipse is stock: p2-managed, no pgmap in it
if grep -q '^org\.pgmap\.' "$bundles_info" || ls "$eclipse"/plugins/org.pgmap.* >/dev/null 2>&1; then
  fail "the stock Eclipse already contains pgmap bundles"
fi
profiles="$eclipse/p2/org.eclipse.equinox.p2.engine/profileRegistry"
[ -d "$profiles" ] && [ -n "$(ls "$profiles")" ] || fail "the stock Eclipse has no p2 profile under p2/"
stock_count=$(grep -c '^[^#]' "$bundles_info")
pass "stock Eclipse (p2 profile $(ls "$profiles" | sed 's/\.profile$//')) without pgmap, $stock_count bundles"

# 2. install the feature from the update site with the Eclipse's own p2 director
log="$work/director.log"
start=$(date +%s)
( cd "$eclipse" && timeout 600 "$java" "${vmargs[@]}" -jar "$launcher" -nosplash -consoleLog \
    -data "$work/director-workspace" \
    -application org.eclipse.equinox.p2.director \
    -repository "file:$repo" -installIU "$FEATURE" ) > "$log" 2>&1
status=$?
[ $status -eq 0 ] || fail "the p2 director exited $status installing $FEATURE from file:$repo" "$log"
grep -q "Operation completed" "$log" || fail "the p2 director did not report 'Operation completed'" "$log"
pass "p2 director installed $FEATURE from file:$repo in $(( $(date +%s) - start )) s"

# 3. the installed profile has the feature, bundles.info and plugins/ have every pgmap bundle
profile_file="$(ls -t "$profiles"/*.profile/*.profile* 2>/dev/null | head -1)"
[ -n "$profile_file" ] || fail "no profile state file in $profiles"
case "$profile_file" in
  *.gz) profile_text="$(gzip -dc "$profile_file")" ;;
  *) profile_text="$(cat "$profile_file")" ;;
esac
grep -q "id='$FEATURE'" <<<"$profile_text" || fail "the p2 profile ($profile_file) does not list $FEATURE"
for b in "${BUNDLES[@]}"; do
  grep -q "^$b," "$bundles_info" || fail "bundles.info does not list $b after the install"
  ls "$eclipse"/plugins/"$b"_*.jar >/dev/null 2>&1 || ls -d "$eclipse"/plugins/"$b"_*/ >/dev/null 2>&1 \
    || fail "plugins/ has no $b after the install"
done
pass "profile lists $FEATURE; bundles.info and plugins/ have ${BUNDLES[*]} ($(( $(grep -c '^[^#]' "$bundles_info") - stock_count )) bundles added)"

# 4. the Eclipse starts with them resolved and checks specs (headless application org.pgmap.cli.check)
run_check() { # expected-exit spec log
  ( cd "$eclipse" && timeout 300 "$java" "${vmargs[@]}" -jar "$launcher" -nosplash -consoleLog \
      -data "$work/check-workspace" -application org.pgmap.cli.check "$2" ) > "$3" 2>&1
  local s=$?
  grep -q "pgmap-install: all ${#BUNDLES[@]} pgmap bundles resolved" "$3" \
    || fail "the installed Eclipse did not resolve every pgmap bundle (exit $s)" "$3"
  [ $s -eq "$1" ] || fail "pgmap check $(basename "$2") inside the installed Eclipse exited $s, expected $1" "$3"
}
run_check 0 "$examples/test_hmm/v6_1.pgmap" "$work/check-clean.log"
grep '^pgmap bundle ' "$work/check-clean.log" | sed 's/^/install-test:   /'
pass "installed Eclipse started, pgmap bundles resolved; test_hmm/v6_1.pgmap checked clean (exit 0)"
run_check 1 "$examples/test_hmm/v6_0.pgmap" "$work/check-racy.log"
grep -q "error: \[R1\]" "$work/check-racy.log" || fail "the racy v6_0 spec did not report R1" "$work/check-racy.log"
pass "test_hmm/v6_0.pgmap reported its R1 race (exit 1) inside the installed Eclipse"

echo "install-test: $passed passed, $failed failed"
