#!/usr/bin/env bash
# The write-failure matrix (issue 15, item 1): every command, with standard output and then
# standard error on a full disk (/dev/full), closed (>&-) and read-only (</dev/null). Each run
# must end with exit 2 (never a signal or a trap), with exactly one line on standard error
# when standard output is the broken one, and nothing when standard error is.
#
#   Scripts/soak/write-failures.sh [BINARY]     (default: .build/release/netdns-audit)
#
# Prints one line per case and a total; exit 0 when every case holds, 1 otherwise.
set -uo pipefail
cd "$(dirname "$0")/../.."
bin=${1:-.build/release/netdns-audit}
[ -x "$bin" ] || { echo "write-failures: no binary at $bin (swift build -c release first)" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/netdns-write-failures.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
log=SampleLogs/stern.log
report=Tests/NetDNSAuditTests/Fixtures/FrozenReports/v1/stern.log.json
unset GITHUB_ACTIONS GITHUB_STEP_SUMMARY

# Commands that write to standard output (each on a line; words split on spaces).
writers=(
  "--help" "--version" "analyze --help" "check --help" "watch --help" "merge --help"
  "analyze --version" "check --version" "watch --version" "merge --version"
  "analyze $log" "analyze $log --format json" "analyze $log --format markdown" "analyze $log --group-by instance"
  "check $log" "check --summary $report" "check $log --junit $tmp/j.xml --sarif $tmp/s.sarif"
  "merge $report" "merge $report --format json" "merge $report --format json-line" "merge $report --format markdown"
  "watch - --format json" "watch - --check"
)
# Commands that write to standard error: usage errors and unreadable inputs.
complainers=(
  "--bogus" "analyze --bogus" "check --bogus" "watch --bogus" "merge --bogus"
  "analyze /nonexistent" "check /nonexistent" "merge /nonexistent" "check --summary /nonexistent"
  "watch --jobs 2" "check --group-by service"
)
breakages=(">/dev/full" ">&-" "</dev/null")
names=("full" "closed" "read-only")

pass=0; fail=0
run_case() {  # $1: fd, $2: breakage index, $3: command
  local fd=$1 k=$2 cmd=$3 status err
  # shellcheck disable=SC2086
  local ok=1 why=""
  if [ "$fd" = 1 ]; then
    err=$(sh -c "exec \"\$0\" \"\$@\" 1${breakages[$k]}" "$bin" $cmd </dev/null 2>&1); status=$?
    [ "$(printf '%s\n' "$err" | wc -l)" = 1 ] && [[ "$err" == "netdns-audit: cannot write standard output: "* ]] || { ok=0; why="stderr: $err"; }
  else
    sh -c "exec \"\$0\" \"\$@\" 2${breakages[$k]}" "$bin" $cmd </dev/null >/dev/null; status=$?
  fi
  [ "$status" = 2 ] || { ok=0; why="exit $status $why"; }
  if [ $ok = 1 ]; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
  printf '%-4s fd%s %-9s exit %-3s %s%s\n' "$([ $ok = 1 ] && echo ok || echo FAIL)" "$fd" "${names[$k]}" "$status" "$cmd" "${why:+  ($why)}"
}
for cmd in "${writers[@]}"; do for k in 0 1 2; do run_case 1 "$k" "$cmd"; done; done
for cmd in "${complainers[@]}"; do for k in 0 1 2; do run_case 2 "$k" "$cmd"; done; done
echo "write-failures: $pass cases held, $fail failed ($(( ${#writers[@]} * 3 )) on standard output, $(( ${#complainers[@]} * 3 )) on standard error)"
[ "$fail" = 0 ]
