#!/bin/sh
# netdns-audit reduce step: merges the reports on standard input (one per line, as map.sh
# writes them; Hadoop Streaming's trailing tab is allowed; pretty reports work too) into one
# report, written on one line so that it can be merged again (a tree of reducers, or a later
# day). Set NETDNS_FORMAT=json or table for a final, human-readable result.
#
#   NETDNS_AUDIT   the netdns-audit binary (default: netdns-audit on PATH)
#   NETDNS_FORMAT  json-line (default), json or table
#
# Any line that is not a report fails the step (exit 2) and names it: nothing is merged.
set -eu
exec "${NETDNS_AUDIT:-netdns-audit}" merge --format "${NETDNS_FORMAT:-json-line}" -
