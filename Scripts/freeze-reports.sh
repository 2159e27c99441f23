#!/usr/bin/env bash
# Freezes saved reports written by one build of netdns-audit, for the compatibility tests
# (Tests/NetDNSAuditTests/ReportCompatibilityTests.swift): a later version must keep reading them
# and give the same counts. Frozen reports are never regenerated: to freeze another layout, run
# this with a new OUT directory (for example after a schemaVersion bump).
#
#   Scripts/freeze-reports.sh BINARY OUT
#
# The v1 set (Tests/NetDNSAuditTests/Fixtures/FrozenReports/v1) was made by the debug build of
# main at d3ce44fd51b6005ab0ccc59693d4d545886edac1 (2026-12-01), the last commit before the
# report got its own wire schema.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:?binary}
out=${2:?output directory}
mkdir -p "$out"
for entry in SampleLogs/*; do
  name=$(basename "$entry")
  "$bin" analyze "$entry" --format json > "$out/$name.json"
done
"$bin" analyze SampleLogs/ --format json > "$out/SampleLogs.json"
"$bin" analyze SampleLogs/ --format json --group-by instance > "$out/SampleLogs-by-instance.json"
"$bin" merge "$out/kubectl-shop.log.json" "$out/search-api.log.json" --format json > "$out/merge-shop-search.json"
"$bin" merge "$out/kubectl-shop.log.json" "$out/search-api.log.json" --format json-line > "$out/merge-shop-search.jsonl"
# One report per line, as a map step writes them, for the json-line reader.
for f in cri docker compose.log journald.log; do "$bin" merge "$out/$f.json" --format json-line; done > "$out/fleet.jsonl"
# The table of the whole set: what a later version must print for the same reports.
"$bin" merge "$out/SampleLogs.json" --no-color > "$out/SampleLogs.table.txt"
(cd "$out" && sha256sum *.json *.jsonl *.txt > SHA256SUMS)
echo "froze $(ls "$out" | wc -l) files in $out"
