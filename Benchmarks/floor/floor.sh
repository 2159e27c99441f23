#!/usr/bin/env bash
# The floor of per-line attribution (see LineFloor.swift): builds it with the vector scans of
# Sources/CNetDNSShim and runs its three variants, best of 3 each, on the benchmark file.
#   Benchmarks/floor/floor.sh [FILE]      (default: Benchmarks/data/kubectl-1GiB.log; run.sh makes it)
set -euo pipefail
cd "$(dirname "$0")/../.."
FILE=${1:-Benchmarks/data/kubectl-1GiB.log}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
clang -O2 -c Sources/CNetDNSShim/vector_scan.c -I Sources/CNetDNSShim/include -o "$OUT/vector_scan.o"
swiftc -O -import-objc-header Sources/CNetDNSShim/include/CNetDNSShim.h Benchmarks/floor/LineFloor.swift "$OUT/vector_scan.o" -o "$OUT/LineFloor"
cat "$FILE" > /dev/null
for variant in count hash lookup; do
  for _ in 1 2 3; do "$OUT/LineFloor" "$FILE" "$variant"; done | sort -t' ' -k5 -n | head -1
done
