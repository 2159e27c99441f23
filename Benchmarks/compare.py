#!/usr/bin/env python3
"""Checks counts against the generator's: compare.py COUNTS.json REPORT [--awk]

With --messages, line and byte counts are not compared (another envelope splits long messages
into more lines); with --totals-only, services are not compared (one file is one instance).

REPORT is `netdns-audit --format json` output, or with --awk the output of aggregate.awk
(lines `service<TAB>orders|reverseOrders|failures<TAB>key<TAB>n`). Prints the differences and
exits 1 when there are any."""
import json
import sys


def from_report(path):
    report = json.load(open(path))
    t = report["totals"]
    totals = {"lines": t["lines"], "traceLines": t["recognisedTraceLines"], "rebuiltTraceLines": t["rebuiltTraceLines"],
              "failures": t["failures"], "failureLines": t["failureLines"], "bytes": t["bytes"]}
    services = {}
    for s in report["services"]:
        services[s["name"]] = {"orders": s["lookups"]["byOrder"], "reverseOrders": s["lookups"]["reverseByOrder"],
                               "failures": s["failures"]["byClass"]}
    return totals, services


def from_awk(path):
    services = {}
    for line in open(path):
        service, group, key, n = line.rstrip("\n").split("\t")
        services.setdefault(service, {"orders": {}, "reverseOrders": {}, "failures": {}})[group][key] = int(n)
    return None, services


def normalise(services):
    out = {}
    for name, groups in services.items():
        g = {k: {kk: vv for kk, vv in v.items() if vv} for k, v in groups.items()}
        if any(g.values()):
            out[name] = g
    return out


def main():
    expected = json.load(open(sys.argv[1]))
    totals, services = from_awk(sys.argv[2]) if "--awk" in sys.argv else from_report(sys.argv[2])
    problems = []
    if "--messages" in sys.argv:
        expected["totals"].pop("lines", None)
        expected["totals"].pop("bytes", None)
    if "--totals-only" in sys.argv:
        expected["services"] = {}
        services = {}
    if totals is not None:
        for k, v in expected["totals"].items():
            if totals.get(k) != v:
                problems.append(f"totals.{k}: expected {v}, got {totals.get(k)}")
    want, got = normalise(expected["services"]), normalise(services)
    for name in sorted(set(want) | set(got)):
        if want.get(name) != got.get(name):
            problems.append(f"service {name}: expected {want.get(name)}, got {got.get(name)}")
    for p in problems[:20]:
        print("  MISMATCH " + p)
    if len(problems) > 20:
        print(f"  ... and {len(problems) - 20} more")
    print(("counts OK: " if not problems else "counts DIFFER: ") + f"{len(want)} services" + (", totals" if totals else ""))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
