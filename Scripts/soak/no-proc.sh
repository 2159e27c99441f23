#!/usr/bin/env bash
# netdns-audit in a chroot without /proc (issue 15, item 13): Swift's CommandLine.arguments is
# read from /proc/self/cmdline and comes back empty there, which once turned
# `netdns-audit check logs/` into "check standard input" and a pass on nothing (exit 0).
#
#   Scripts/soak/no-proc.sh [BINARY]     (default: .build/release/netdns-audit)
#
# Builds a chroot holding only the binary, the shared libraries ldd lists for it (hard links
# where possible) and one log with a cgo service, then runs `check /logs` in it without /proc:
# the check must see the log and fail on the cgo service (exit 1), exactly as outside the
# chroot. Exit 0: as expected; 1: a failure; 77: skipped (not root, or chroot impossible here),
# with the reason on stderr.
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:-.build/release/netdns-audit}
[ -x "$bin" ] || { echo "no-proc: no binary at $bin (swift build -c release first)" >&2; exit 1; }
if [ "$(id -u)" != 0 ] || ! command -v chroot >/dev/null; then
  echo "no-proc: SKIP: needs root and chroot(8)" >&2; exit 77
fi
root=$(mktemp -d "${TMPDIR:-/tmp}/netdns-no-proc.XXXXXX")
trap 'rm -rf "$root"' EXIT
# Each file under the name ldd prints (the loader looks that name up), as a hard link to the
# file itself, or a copy.
link() { mkdir -p "$root$(dirname "$1")"; ln -L "$1" "$root$1" 2>/dev/null || cp -L "$1" "$root$1"; }
link "$(readlink -f "$bin")"
exe=$(readlink -f "$bin")
for lib in $(ldd "$exe" | awk '{for (i = 1; i <= NF; i++) if ($i ~ /^\//) print $i}'); do
  link "$lib"
done
mkdir -p "$root/logs" "$root/tmp"
cp SampleLogs/kubectl-shop.log "$root/logs/"
[ ! -e "$root/proc/self" ] || { echo "no-proc: /proc exists in the chroot" >&2; exit 1; }

outside=0; "$bin" check "$root/logs" >/dev/null 2>&1 || outside=$?
inside=0; inside_out=$(chroot "$root" "$exe" check /logs 2>&1) || inside=$?
# chroot itself failing (a sandbox that forbids it) is a skip, not a finding.
if [ "$inside" = 125 ] || [ "$inside" = 126 ] || [ "$inside" = 127 ]; then
  echo "no-proc: SKIP: chroot failed here (exit $inside): $inside_out" >&2; exit 77
fi
echo "no-proc: outside the chroot: exit $outside; inside, without /proc: exit $inside"
if [ "$outside" != 1 ] || [ "$inside" != 1 ]; then
  echo "no-proc: FAIL: expected exit 1 (the cgo service found) both times; inside said: $inside_out" >&2
  exit 1
fi
# The refusal when even the C runtime's vector is empty: exec with argc 0 (a small C program;
# skipped without a C compiler).
cc=$(command -v cc || command -v clang || command -v gcc || true)
if [ -n "$cc" ]; then
  cat > "$root/tmp/empty-argv.c" <<'C'
#include <stdio.h>
#include <sys/wait.h>
#include <unistd.h>
int main(int argc, char **argv) {
    if (argc != 3) return 64;
    pid_t pid = fork();
    if (pid == 0) {
        if (chroot(argv[1]) != 0 || chdir("/") != 0) { perror("chroot"); _exit(126); }
        char *none[] = {NULL};
        execve(argv[2], none, none);
        perror("execve");
        _exit(127);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
C
  "$cc" -o "$root/tmp/empty-argv" "$root/tmp/empty-argv.c"
  status=0; msg=$("$root/tmp/empty-argv" "$root" "$exe" 2>&1) || status=$?
  echo "no-proc: empty argument vector: exit $status: $msg"
  if [ "$status" != 2 ] || [ "$(printf '%s\n' "$msg" | wc -l)" != 1 ]; then
    echo "no-proc: FAIL: an empty argument vector must be refused with exit 2 and one line" >&2; exit 1
  fi
else
  echo "no-proc: no C compiler: the empty-vector case is not run"
fi
echo "no-proc: ok"
