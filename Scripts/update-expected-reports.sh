#!/usr/bin/env bash
# Regenerates the expected JSON reports of SampleLogs/ that the end-to-end tests compare with.
# Run after a deliberate change to the report, then review the diff before committing.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build >/dev/null
bin=.build/debug/netdns-audit
out=Tests/NetDNSAuditTests/Fixtures/SampleLogsExpected
rm -f "$out"/*.json
for entry in SampleLogs/*; do
  name=$(basename "$entry")
  "$bin" analyze "$entry" --format json > "$out/$name.json"
done
"$bin" analyze SampleLogs/ --format json > "$out/SampleLogs.json"
echo "wrote $(ls "$out" | wc -l) expected reports to $out"
