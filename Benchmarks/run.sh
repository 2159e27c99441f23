#!/usr/bin/env bash
# netdns-audit benchmark: generates a realistic `kubectl logs --prefix --timestamps` file once
# (cached under Benchmarks/data/, git-ignored), then times netdns-audit and baselines on it,
# checks netdns-audit's counts against the generator's, and measures peak RSS.
#
#   Benchmarks/run.sh                 # 1 GiB file
#   SIZE=200MiB Benchmarks/run.sh     # smaller, for development
#   REPEAT=1 SKIP_HOSTILE=1 SKIP_10X=1 SKIP_ENVELOPES=1 SKIP_FAILURE_HEAVY=1 Benchmarks/run.sh
#   FH_SIZE=256MiB (default): the size of the failure-heavy log (generate.py --failure-heavy)
#   ENV_SIZE=256MiB (default): the size of the file rewritten in every envelope (envelopes.py)
#   BIN=path/to/netdns-audit: time another build (skips building)
#
# Needs python3 and GNU time (/usr/bin/time; apt-get install -y time); uses rg and gzip when present.
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE=${SIZE:-1GiB}
REPEAT=${REPEAT:-3}
DATA=Benchmarks/data
mkdir -p "$DATA"
FILE=$DATA/kubectl-$SIZE.log
COUNTS=$FILE.counts.json
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
FAILED=0

if [ -z "${BIN:-}" ]; then
  echo "building (release)..." >&2
  swift build -c release --product netdns-audit >&2
  BIN=$(swift build -c release --show-bin-path)/netdns-audit
fi

if [ ! -s "$FILE" ] || [ ! -s "$COUNTS" ]; then
  echo "generating $FILE..." >&2
  /usr/bin/time -f "generated in %e s" python3 Benchmarks/generate.py --size "$SIZE" --out "$FILE" --counts "$COUNTS"
fi
BYTES=$(stat -L -c %s "$FILE")
cat "$FILE" >/dev/null   # into the page cache

# run NAME COMMAND: best wall time of $REPEAT runs (seconds) and the peak RSS (KiB) of the last.
declare -A SECS RSS
run() {
  local name=$1 cmd=$2 best="" t0 t1 secs
  for _ in $(seq "$REPEAT"); do
    t0=$(date +%s%N)
    /usr/bin/time -f %M -o "$TMP/rss" bash -c "$cmd"
    t1=$(date +%s%N)
    secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    if [ -z "$best" ] || awk -v s="$secs" -v b="$best" 'BEGIN { exit !(s < b) }'; then best=$secs; fi
  done
  SECS[$name]=$best
  RSS[$name]=$(tail -1 "$TMP/rss")
}
mbps() { awk -v b="$1" -v s="$2" 'BEGIN { printf "%.0f", b / s / 1e6 }'; }

ROWS=()
run cat "cat '$FILE' >/dev/null";                                            ROWS+=(cat)
run grep "LC_ALL=C grep -c 'go package net' '$FILE' | cat >/dev/null";       ROWS+=(grep)
if command -v rg >/dev/null; then
  run rg "rg -c 'go package net' '$FILE' | cat >/dev/null";                  ROWS+=(rg)
fi
run awk "awk -f Benchmarks/aggregate.awk '$FILE' > '$TMP/awk.tsv'";          ROWS+=(awk)
run table "'$BIN' '$FILE' > '$TMP/table.txt'";                              ROWS+=(table)
run audit "'$BIN' --format json '$FILE' > '$TMP/audit.json'";                ROWS+=(audit)
run audit1 "'$BIN' --jobs 1 --format json '$FILE' > '$TMP/audit1.json'";     ROWS+=(audit1)
run stdin "cat '$FILE' | '$BIN' --format json > '$TMP/stdin.json'";          ROWS+=(stdin)

# gzip rows: only when this netdns-audit reads .gz (probed on a small file first).
head -n 1000 "$FILE" | gzip -c > "$TMP/probe.log.gz"
if "$BIN" --format json "$TMP/probe.log.gz" 2>/dev/null | python3 -c 'import json,sys; sys.exit(0 if json.load(sys.stdin)["totals"]["lines"] == 1000 else 1)' 2>/dev/null; then
  GZ=$FILE.gz
  [ -s "$GZ" ] || { echo "compressing $GZ..." >&2; gzip -c "$FILE" > "$GZ"; }
  run gunzip "gzip -dc '$GZ' >/dev/null";                                    ROWS+=(gunzip)
  run auditzlib "NETDNS_AUDIT_GZIP=zlib '$BIN' --format json '$GZ' > '$TMP/gzzlib.json'"; ROWS+=(auditzlib)
  if command -v igzip >/dev/null; then
    run igzip "igzip -dc '$GZ' >/dev/null";                                  ROWS+=(igzip)
  fi
  run auditgz "'$BIN' --format json '$GZ' > '$TMP/gz.json'";                 ROWS+=(auditgz)
else
  echo "(netdns-audit does not read .gz yet: gzip rows skipped)" >&2
fi

declare -A LABEL=(
  [cat]="cat FILE >/dev/null" [grep]="LC_ALL=C grep -c 'go package net' FILE" [rg]="rg -c 'go package net' FILE"
  [awk]="awk -f Benchmarks/aggregate.awk FILE (same aggregation)" [table]="netdns-audit FILE (--jobs $(nproc), table)" [audit]="netdns-audit --format json FILE"
  [audit1]="netdns-audit --jobs 1 FILE" [stdin]="cat FILE \\| netdns-audit" [gunzip]="gzip -dc FILE.gz >/dev/null"
  [auditgz]="netdns-audit FILE.gz (ISA-L when installed)" [auditzlib]="NETDNS_AUDIT_GZIP=zlib netdns-audit FILE.gz"
  [igzip]="igzip -dc FILE.gz >/dev/null")
AUDIT=$(mbps "$BYTES" "${SECS[table]}")   # the default invocation; ratios are to it
JSONRATE=$(mbps "$BYTES" "${SECS[audit]}")
echo
echo "$(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'), $(awk -v b="$BYTES" 'BEGIN { printf "%.2f GiB", b / 2^30 }') file, best of $REPEAT"
echo
echo "| command | s | MB/s | netdns-audit is | peak RSS MiB |"
echo "|---|---:|---:|---:|---:|"
for r in "${ROWS[@]}"; do
  m=$(mbps "$BYTES" "${SECS[$r]}")
  # The .gz rows compare with each other (see the targets), not with the plain file.
  ratio=$(awk -v a="$AUDIT" -v b="$m" 'BEGIN { printf "%.2fx", a / b }')
  case $r in gunzip|auditgz|auditzlib|igzip) ratio="" ;; esac
  echo "| ${LABEL[$r]} | ${SECS[$r]} | $m | $ratio | $(awk -v k="${RSS[$r]}" 'BEGIN { printf "%.1f", k / 1024 }') |"
done
echo

check() { # description, condition (awk expression)
  if awk "BEGIN { exit !($2) }"; then echo "PASS  $1"; else echo "FAIL  $1"; FAILED=1; fi
}
echo "counts:"
for out in audit audit1 stdin; do
  printf '  %-7s ' "$out"; python3 Benchmarks/compare.py "$COUNTS" "$TMP/$out.json" || FAILED=1
done
[ -f "$TMP/gzzlib.json" ] && { printf '  %-7s ' zlib; python3 Benchmarks/same_report.py "$TMP/audit.json" "$TMP/gzzlib.json" && echo "same as the plain file" || { echo "DIFFERS from the plain file"; FAILED=1; }; }
[ -f "$TMP/gz.json" ] && { printf '  %-7s ' gz; python3 Benchmarks/same_report.py "$TMP/audit.json" "$TMP/gz.json" && echo "same as the plain file" || { echo "DIFFERS from the plain file"; FAILED=1; }; }
printf '  %-7s ' awk; python3 Benchmarks/compare.py "$COUNTS" "$TMP/awk.tsv" --awk || FAILED=1
echo
echo "targets:"
STDIN=$(mbps "$BYTES" "${SECS[stdin]}")
[ -n "${SECS[rg]:-}" ] && check "netdns-audit >= 0.5x rg -c ($AUDIT vs $(mbps "$BYTES" "${SECS[rg]}") MB/s; --format json $JSONRATE MB/s)" "$AUDIT >= 0.5 * $(mbps "$BYTES" "${SECS[rg]}")"
check "netdns-audit >= 8x awk aggregation ($AUDIT vs $(mbps "$BYTES" "${SECS[awk]}") MB/s)" "$AUDIT >= 8 * $(mbps "$BYTES" "${SECS[awk]}")"
check "cat FILE | netdns-audit >= 1000 MB/s ($STDIN MB/s)" "$STDIN >= 1000"
check "peak RSS <= 64 MiB on the file (${RSS[audit]} KiB)" "${RSS[audit]} <= 65536"
if [ -n "${SECS[auditzlib]:-}" ]; then
  # Rates over the decompressed bytes: netdns-audit must keep up with the decoder itself.
  check "zlib: netdns-audit FILE.gz >= 0.9x gzip -dc ($(mbps "$BYTES" "${SECS[auditzlib]}") vs $(mbps "$BYTES" "${SECS[gunzip]}") MB/s)" \
    "${SECS[auditzlib]} <= ${SECS[gunzip]} / 0.9"
fi
if [ -n "${SECS[igzip]:-}" ]; then
  check "ISA-L: netdns-audit FILE.gz >= 0.9x igzip -dc ($(mbps "$BYTES" "${SECS[auditgz]}") vs $(mbps "$BYTES" "${SECS[igzip]}") MB/s)" \
    "${SECS[auditgz]} <= ${SECS[igzip]} / 0.9"
fi

if [ -z "${SKIP_ENVELOPES:-}" ]; then
  # Every envelope on the same messages: the ENV_SIZE kubectl file rewritten by envelopes.py.
  ENV_SIZE=${ENV_SIZE:-256MiB}
  KF=$DATA/kubectl-$ENV_SIZE.log
  ENVDIR=$DATA/env-$ENV_SIZE
  [ -s "$KF" ] && [ -s "$KF.counts.json" ] || python3 Benchmarks/generate.py --size "$ENV_SIZE" --out "$KF" --counts "$KF.counts.json"
  [ -s "$ENVDIR/lines.json" ] || { echo "rewriting $KF in every envelope..." >&2; python3 Benchmarks/envelopes.py --in "$KF" --out "$ENVDIR"; }
  [ -d "$ENVDIR/tree" ] || { echo "spreading cri.log over 50,000 files..." >&2; python3 Benchmarks/envelopes.py --tree-from "$ENVDIR/cri.log" --tree-files 50000 --out "$ENVDIR/tree"; }
  cat "$KF" "$ENVDIR"/*.log > /dev/null
  find "$ENVDIR/cri" "$ENVDIR/tree" -type f -exec cat {} + > /dev/null
  ENVROWS=(kubectl cri docker journald compose)
  declare -A EPATH=([kubectl]="$KF" [cri]="$ENVDIR/cri.log" [docker]="$ENVDIR/docker.log" [journald]="$ENVDIR/journald.log"
                    [compose]="$ENVDIR/compose.log" [critree]="$ENVDIR/cri" [tree]="$ENVDIR/tree")
  declare -A ELABEL=([kubectl]="kubectl --prefix --timestamps" [cri]="CRI, one file" [docker]="docker json-file"
                     [journald]="journald short-iso-precise" [compose]="docker compose --timestamps"
                     [critree]="CRI tree, one file per pod" [tree]="CRI tree, 50,000 files (same bytes as CRI, one file)")
  for e in "${ENVROWS[@]}" critree tree; do run "env_$e" "'$BIN' --format json '${EPATH[$e]}' > '$TMP/env_$e.json'"; done
  # The floor of the tree row: the least any reader of 50,000 files pays (Benchmarks/floor/tree_floor.c).
  FLOOR=""
  if command -v cc >/dev/null && cc -O2 -pthread -o "$TMP/tree_floor" Benchmarks/floor/tree_floor.c 2>/dev/null; then
    run env_floor "'$TMP/tree_floor' '${EPATH[tree]}' > '$TMP/floor.txt'"
    FLOOR=yes
  fi
  echo
  echo "every envelope on the same messages ($ENV_SIZE of kubectl lines rewritten; best of $REPEAT):"
  echo
  echo "| envelope | s | MB/s (its own bytes) | content rate vs kubectl | peak RSS MiB |"
  echo "|---|---:|---:|---:|---:|"
  for e in "${ENVROWS[@]}" critree tree; do
    b=$(find "${EPATH[$e]}" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
    echo "| ${ELABEL[$e]} | ${SECS[env_$e]} | $(mbps "$b" "${SECS[env_$e]}") | $(awk -v k="${SECS[env_kubectl]}" -v s="${SECS[env_$e]}" 'BEGIN { printf "%.2fx", k / s }') | $(awk -v k="${RSS[env_$e]}" 'BEGIN { printf "%.1f", k / 1024 }') |"
  done
  if [ -n "$FLOOR" ]; then
    b=$(find "${EPATH[tree]}" -type f -printf '%s\n' | awk '{ s += $1 } END { print s }')
    echo "| floor: the same 50,000 files only read, newlines counted (C, $(nproc) threads, no stat) | ${SECS[env_floor]} | $(mbps "$b" "${SECS[env_floor]}") | $(awk -v k="${SECS[env_kubectl]}" -v s="${SECS[env_floor]}" 'BEGIN { printf "%.2fx", k / s }') | $(awk -v k="${RSS[env_floor]}" 'BEGIN { printf "%.1f", k / 1024 }') |"
  fi
  echo
  for e in "${ENVROWS[@]}" critree tree; do
    printf '  %-9s ' "$e"
    case $e in
      kubectl) python3 Benchmarks/compare.py "$KF.counts.json" "$TMP/env_$e.json" || FAILED=1 ;;
      critree) python3 Benchmarks/compare.py "$KF.counts.json" "$TMP/env_$e.json" --messages || FAILED=1 ;;
      # One file is one writer: every pod in one file (cri, docker) or spread round robin (tree)
      # joins torn lines as one writer's; envelopes.py --expect states those counts exactly.
      cri|docker|tree)
        python3 Benchmarks/envelopes.py --expect "${EPATH[$e]}" --counts "$KF.counts.json" > "$TMP/expect_$e.json"
        python3 Benchmarks/compare.py "$TMP/expect_$e.json" "$TMP/env_$e.json" --messages --totals-only || FAILED=1 ;;
      *) python3 Benchmarks/compare.py "$KF.counts.json" "$TMP/env_$e.json" --messages --totals-only || FAILED=1 ;;
    esac
  done
  for e in cri docker journald compose critree; do
    check "$e >= 0.8x the kubectl path (content rate $(awk -v k="${SECS[env_kubectl]}" -v s="${SECS[env_$e]}" 'BEGIN { printf "%.2f", k / s }'))" \
      "${SECS[env_$e]} <= ${SECS[env_kubectl]} / 0.8"
  done
  check "50,000-file tree >= 0.8x one file of the same bytes (${SECS[env_tree]} vs ${SECS[env_cri]} s${FLOOR:+; only reading the files takes ${SECS[env_floor]} s})" "${SECS[env_tree]} <= ${SECS[env_cri]} / 0.8"
  check "50,000-file tree: peak RSS <= 128 MiB (${RSS[env_tree]} KiB)" "${RSS[env_tree]} <= 131072"
fi

if [ -z "${SKIP_FAILURE_HEAVY:-}" ]; then
  # An outage: only trace lines and DNS failures (generate.py --failure-heavy), on one core.
  FH_SIZE=${FH_SIZE:-256MiB}
  FH=$DATA/failure-heavy-$FH_SIZE.log
  [ -s "$FH" ] && [ -s "$FH.counts.json" ] || { echo "generating $FH..." >&2; python3 Benchmarks/generate.py --failure-heavy --size "$FH_SIZE" --out "$FH" --counts "$FH.counts.json"; }
  cat "$FH" > /dev/null
  run fh1 "'$BIN' --jobs 1 --format json '$FH' > '$TMP/fh1.json'"
  FHB=$(stat -L -c %s "$FH")
  FHRATE=$(mbps "$FHB" "${SECS[fh1]}")
  echo
  echo "failure-heavy log ($FH_SIZE, only trace lines and DNS failures; best of $REPEAT):"
  echo
  echo "| command | s | MB/s | peak RSS MiB |"
  echo "|---|---:|---:|---:|"
  echo "| netdns-audit --jobs 1 --format json FILE | ${SECS[fh1]} | $FHRATE | $(awk -v k="${RSS[fh1]}" 'BEGIN { printf "%.1f", k / 1024 }') |"
  echo
  printf '  %-9s ' failures; python3 Benchmarks/compare.py "$FH.counts.json" "$TMP/fh1.json" || FAILED=1
  check "failure-heavy log >= 1000 MB/s per core (--jobs 1: $FHRATE MB/s)" "$FHRATE >= 1000"
fi

if [ -z "${SKIP_10X:-}" ]; then
  t0=$(date +%s%N)
  /usr/bin/time -f %M -o "$TMP/rss10" bash -c "for i in 1 2 3 4 5 6 7 8 9 10; do cat '$FILE'; done | '$BIN' --format json > '$TMP/ten.json'"
  t1=$(date +%s%N)
  TEN=$(awk -v b="$BYTES" -v a="$t0" -v c="$t1" 'BEGIN { printf "%.0f", 10 * b / ((c - a) / 1e9) / 1e6 }')
  TENRSS=$(tail -1 "$TMP/rss10")
  TENLINES=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["totals"]["lines"])' "$TMP/ten.json")
  WANT=$(python3 -c 'import json,sys; print(10 * json.load(open(sys.argv[1]))["totals"]["lines"])' "$COUNTS")
  check "10x the file via stdin: peak RSS <= 64 MiB ($TENRSS KiB, $TEN MB/s, $TENLINES of $WANT lines)" "$TENRSS <= 65536 && $TENLINES == $WANT"
fi

if [ -z "${SKIP_HOSTILE:-}" ]; then
  for kind in names instances; do
    H=$DATA/hostile-$kind.log
    [ -s "$H" ] || python3 Benchmarks/generate.py --hostile "$kind" --out "$H" --counts "$H.counts.json"
    t0=$(date +%s%N)
    if [ "$kind" = names ]; then
      /usr/bin/time -f %M -o "$TMP/rssh" "$BIN" --format json "$H" > "$TMP/hostile.json"
      t1=$(date +%s%N)
      printf '  hostile %-9s ' "$kind"; python3 Benchmarks/compare.py "$H.counts.json" "$TMP/hostile.json" || FAILED=1
    else
      # A JSON report of a million instances is gigabytes by itself: the table is measured.
      /usr/bin/time -f %M -o "$TMP/rssh" "$BIN" --format table "$H" > "$TMP/hostile.txt"
      t1=$(date +%s%N)
      printf '  hostile %-9s ' "$kind"; grep -q '^1 input(s), [0-9]* bytes, 1000000 lines' "$TMP/hostile.txt" && echo "table footer: 1000000 lines" || { echo "table footer wrong"; FAILED=1; }
    fi
    HRSS=$(tail -1 "$TMP/rssh")
    check "hostile $kind ($(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", (b - a) / 1e9 }') s): peak RSS <= 256 MiB ($HRSS KiB)" "$HRSS <= 262144"
  done
fi
exit $FAILED
