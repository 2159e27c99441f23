#!/usr/bin/env bash
# The soak run of issue 15 (minutes; outside .ci/run): the randomised watch rotation test for
# longer, the hostile generators with --jobs 1, 2 and 4 (the reports must be identical), and
# every Scripts/soak/*.sh (the write-failure matrix, the run without /proc, ...).
#
#   Scripts/soak.sh                          # about 5 minutes on 2 cores, after the builds
#   ROTATION_SECONDS=600 Scripts/soak.sh     # a longer rotation test
#   SKIP_HOSTILE=1 Scripts/soak.sh
#
# Hostile files are generated once under Benchmarks/data/ (git-ignored), as Benchmarks/run.sh
# does. Prints one line per check and its figures; exit 0 when all hold, 1 otherwise.
set -uo pipefail
cd "$(dirname "$0")/.."
ROTATION_SECONDS=${ROTATION_SECONDS:-120}
DATA=Benchmarks/data
mkdir -p "$DATA"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/netdns-soak.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
FAILED=0
pass() { echo "ok    $*"; }
fail() { echo "FAIL  $*"; FAILED=1; }

echo "building (release, and debug tests)..." >&2
swift build -c release --product netdns-audit >&2 || exit 1
BIN=$(swift build -c release --show-bin-path)/netdns-audit
swift build --build-tests >&2 || exit 1

# 1. Rotation: files rotated, truncated, renamed and deleted at random while watched.
if NETDNS_ROTATION_SECONDS=$ROTATION_SECONDS swift test --skip-build --filter WatchRotationTests > "$TMP/rotation.log" 2>&1; then
  pass "watch rotation, $ROTATION_SECONDS s: $(grep -o '[0-9]* rounds (seeds [0-9-]*), [0-9]* lines' "$TMP/rotation.log" | head -1), every line counted once"
else
  fail "watch rotation: $(grep -m3 -E 'recorded an issue|seed' "$TMP/rotation.log" | cut -c1-300)"
fi

# 2. Hostile generators: --jobs 1, 2 and 4 give byte-identical reports.
if [ -z "${SKIP_HOSTILE:-}" ]; then
  for kind in names instances; do
    H=$DATA/hostile-$kind.log
    [ -s "$H" ] || python3 Benchmarks/generate.py --hostile "$kind" --out "$H" --counts "$H.counts.json" || { fail "generate $kind"; continue; }
    figures=""
    for jobs in 1 2 4; do
      t0=$(date +%s%N)
      /usr/bin/time -f %M -o "$TMP/rss" "$BIN" --jobs "$jobs" --format json "$H" > "$TMP/$kind.$jobs.json" 2> "$TMP/$kind.$jobs.err"
      rc=$?
      t1=$(date +%s%N)
      figures+=" jobs $jobs: $(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }') s, $(tail -1 "$TMP/rss") KiB, exit $rc;"
      [ "$rc" = 0 ] || fail "hostile $kind --jobs $jobs: exit $rc: $(head -1 "$TMP/$kind.$jobs.err")"
    done
    if cmp -s "$TMP/$kind.1.json" "$TMP/$kind.2.json" && cmp -s "$TMP/$kind.1.json" "$TMP/$kind.4.json"; then
      pass "hostile $kind: --jobs 1/2/4 reports identical ($(wc -c < "$TMP/$kind.1.json") bytes);$figures"
    else
      fail "hostile $kind: --jobs 1/2/4 reports differ;$figures"
    fi
  done
fi

# 3. Every soak script of the other items.
for script in Scripts/soak/*.sh; do
  [ -e "$script" ] || continue
  if bash "$script" "$BIN" > "$TMP/script.log" 2>&1; then
    pass "$script: $(tail -1 "$TMP/script.log")"
  else
    fail "$script: $(tail -3 "$TMP/script.log" | tr '\n' ' ')"
  fi
done
exit $FAILED
