#!/usr/bin/env bash
# netdns-audit on a /var/log/pods tree of many small files (default 50,000): the time and the
# peak RSS of the table, the JSON report and `check`, and the line count checked against the
# generator's. Memory per file stays a few KiB (README, Performance).
#
#   Benchmarks/many-files.sh             # 50,000 files (generated once under Benchmarks/data/)
#   FILES=10000 Benchmarks/many-files.sh
#
# Needs python3 and GNU time (/usr/bin/time).
set -euo pipefail
cd "$(dirname "$0")/.."
FILES=${FILES:-50000}
LINES_PER_FILE=8
LIMIT_KIB=${LIMIT_KIB:-262144}   # the README's DaemonSet example runs at 256 MiB
TREE=Benchmarks/data/pods-$FILES
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

echo "building (release)..." >&2
swift build -c release --product netdns-audit >&2
BIN=$(swift build -c release --show-bin-path)/netdns-audit

if [ ! -f "$TREE.complete" ]; then
  echo "generating $TREE ($FILES files)..." >&2
  rm -rf "$TREE"
  python3 - "$TREE" "$FILES" "$LINES_PER_FILE" <<'PY'
import os, sys
tree, files, per = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for i in range(files):
    # 1,000 Deployments of 50 pods each in 20 namespaces: /var/log/pods/NS_POD_UID/CONTAINER/0.log
    svc = f"svc{i % 1000}"
    pod = f"{svc}-7d9f8b6c5-{i:05d}"
    d = f"{tree}/ns{i % 20}_{pod}_0000{i:08d}/app"
    os.makedirs(d, exist_ok=True)
    with open(f"{d}/0.log", "w") as f:
        f.write("2026-11-20T10:00:00.000000001Z stderr F go package net: confVal.netCgo = false  netGo = false\n")
        f.write("2026-11-20T10:00:00.000000002Z stderr F go package net: dynamic selection of DNS resolver\n")
        for j in range(per - 3):
            f.write(f"2026-11-20T10:00:0{j}.000000000Z stdout F GET /api/v1/items/{j} 200 12ms\n")
        f.write(f"2026-11-20T10:00:09.000000000Z stdout F lookup db{i % 7}.internal on 10.96.0.10:53: no such host\n")
open(f"{tree}.complete", "w").close()
PY
fi
EXPECTED_LINES=$((FILES * LINES_PER_FILE))
FAILED=0
measure() {
  local name=$1; shift
  local t0 t1
  t0=$(date +%s%N)
  set +e
  /usr/bin/time -f %M -o "$TMP/rss" "$@" > "$TMP/$name.out" 2> "$TMP/$name.err"
  local rc=$?
  set -e
  t1=$(date +%s%N)
  local rss; rss=$(tail -1 "$TMP/rss")
  printf '  %-6s %6.1f s  peak RSS %7d KiB (%5.2f KiB per file)  exit %d\n' "$name" \
    "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print (b - a) / 1e9 }')" "$rss" "$(awk -v r="$rss" -v f="$FILES" 'BEGIN { print r / f }')" "$rc"
  [ "$rss" -le "$LIMIT_KIB" ] || { echo "  $name: peak RSS over $LIMIT_KIB KiB"; FAILED=1; }
}
echo "$FILES files, $EXPECTED_LINES lines:"
measure table "$BIN" --format table "$TREE"
measure json "$BIN" --format json "$TREE"
measure check "$BIN" check "$TREE"
grep -q "^$FILES input(s), [0-9]* bytes, $EXPECTED_LINES lines" "$TMP/table.out" \
  && echo "  table footer: $FILES inputs, $EXPECTED_LINES lines" || { echo "  table footer wrong: $(grep 'input(s)' "$TMP/table.out")"; FAILED=1; }
python3 - "$TMP/json.out" "$FILES" "$EXPECTED_LINES" <<'PY' || FAILED=1
import json, sys
r = json.load(open(sys.argv[1]))
t = r["totals"]
ok = t["files"] == int(sys.argv[2]) and t["lines"] == int(sys.argv[3])
print(f"  json totals: {t['files']} files, {t['lines']} lines, {len(r['services'])} services{'' if ok else '  WRONG'}")
sys.exit(0 if ok else 1)
PY
exit $FAILED
