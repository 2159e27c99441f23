#!/bin/sh
# netdns-audit map step: reads log paths on standard input, one per line, and writes one
# JSON report per path, each on one line (netdns-audit merge --format json-line).
#
# A line may be "KEY<TAB>PATH" (Hadoop Streaming passes NLineInputFormat's offset as KEY);
# the text after the last tab is the path. A path that exists here (or a file:// URL) is read
# in place; any other path (hdfs://, s3a://, gs://...) is first copied with $NETDNS_FETCH
# (default: hadoop fs -get) to a scratch directory, under its own path without the scheme,
# so the report names it (bucket/logs/x.log) and plain logs keep their base name as service.
#
#   NETDNS_AUDIT  the netdns-audit binary (default: netdns-audit on PATH)
#   NETDNS_FETCH  the copy command, called as: $NETDNS_FETCH REMOTE LOCAL
#
# An input that analyze can read only in part still gives a report (its totals count the
# read error, and analyze names it on standard error); a fetch or merge failure stops the
# step with a non-zero status, so the engine retries the task.
set -eu
audit=${NETDNS_AUDIT:-netdns-audit}
fetch=${NETDNS_FETCH:-hadoop fs -get}
work=$(mktemp -d "${TMPDIR:-/tmp}/netdns-map.XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM

report() { # $1: a local path; prints its report on one line
    "$audit" analyze --format json -- "$1" | "$audit" merge --format json-line -
}

while IFS= read -r line || [ -n "$line" ]; do
    path=${line##*"	"}
    path=${path%"$(printf '\r')"}
    [ -n "$path" ] || continue
    case $path in file://*) path=${path#file://} ;; esac
    if [ -e "$path" ]; then
        report "$path"
    else
        relative=${path#*://}
        relative=${relative#/}
        mkdir -p "$work/$(dirname -- "$relative")"
        $fetch "$path" "$work/$relative"
        (cd "$work" && report "$relative")
        rm -rf -- "${work:?}/$relative"
    fi
done
