#!/usr/bin/env bash
# Writes the JSON report of every sample and benchmark input, read every way (jobs 1 and 2,
# --mmap, standard input, gzip), into OUTDIR, so two builds can be compared byte for byte:
#
#   Benchmarks/reports.sh BIN OUTDIR [INPUT...]
#   diff -r before/ after/
#
# Default inputs: every file and directory under SampleLogs/, and Benchmarks/data/env-*/ with the
# kubectl file it was made from (see envelopes.py).
set -euo pipefail
BIN=$1; OUT=$2; shift 2
mkdir -p "$OUT"
if [ $# -eq 0 ]; then
  set -- SampleLogs SampleLogs/* Benchmarks/data/kubectl-64MiB.log Benchmarks/data/env-64MiB/*.log Benchmarks/data/env-64MiB/cri
fi
for input in "$@"; do
  [ -e "$input" ] || continue
  name=$(echo "$input" | tr '/' '_')
  for jobs in 1 2; do
    "$BIN" --format json --jobs $jobs "$input" > "$OUT/$name.j$jobs.json" 2>"$OUT/$name.j$jobs.err" || echo "exit $?" >> "$OUT/$name.j$jobs.err"
  done
  if [ -f "$input" ]; then
    "$BIN" --format json --mmap "$input" > "$OUT/$name.mmap.json" 2>&1 || true
    "$BIN" --format json < "$input" > "$OUT/$name.stdin.json" 2>&1 || true
    gzip -c "$input" > "$OUT/tmp.gz"
    "$BIN" --format json "$OUT/tmp.gz" | sed "s#$OUT/tmp.gz#GZ#g" > "$OUT/$name.gz.json" 2>&1 || true
    rm -f "$OUT/tmp.gz"
  fi
done
