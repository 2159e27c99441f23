#!/usr/bin/env python3
"""Rewrites the benchmark's `kubectl logs --prefix --timestamps` file in every other envelope,
so each envelope is timed on the same messages:

    envelopes.py --in kubectl.log --out DIR

writes, under DIR:
  docker.log     Docker json-file records (messages JSON-escaped; over 16 KiB split into pieces
                 without the trailing \\n, as dockerd does)
  cri.log        CRI lines (`TIME stdout F MESSAGE`; over 16 KiB split into `P` pieces, as
                 containerd does), all in one file
  cri/           the same lines as a kubelet tree, one `pods/NS_POD_UID/CONTAINER/0.log` per pod
  journald.log   `journalctl -o short-iso-precise` (`TIME+0000 CONTAINER POD[1]: MESSAGE`)
  compose.log    `docker compose logs --timestamps` (`POD-1  | TIME MESSAGE`)

    envelopes.py --tree-from DIR/cri.log --tree-files 50000 --out DIR/tree

writes the CRI file's messages (a `P` piece stays with the rest of its message) over N files of
a kubelet tree (`pods/NS_POD_UID/app/0.log`), in round robin, each file's lines in their order:
the same bytes as cri.log, in many files.

Each output has the messages of the input in its order, so the failure counts equal the
input's; only line counts differ where long messages are split. Trace counts equal the input's
where each writer keeps its own file or prefix (journald, compose, cri/): a file is one writer,
so in cri.log and docker.log (every pod in one file) and in the round-robin tree a torn order
line is joined with whatever its writer's file has next, as netdns-audit joins it (see
docs/line-path.md, "One writer per file"). Their exact expectation:

    envelopes.py --expect cri.log|docker.log|tree/ --counts kubectl.log.counts.json

prints the input's counts with the trace totals that one writer per file gives: the order lines
torn in the input are followed file by file as netdns-audit's rule follows them (a torn start
waits for at most 64 later non-trace lines of its file; a later torn start replaces it; the
first line of the shape `NAME) = ORDER`, or an order after a fragment ending in `NAME) = `,
finishes it).
"""
import argparse
import json
import os
import re
import sys

PIECE = 16 * 1024
LINE = re.compile(rb"^\[pod/([^/\]]+)/([^\]]+)\] (\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\.(\d{9})Z (.*)$")


def json_escape(b):
    # As Go's encoding/json (and dockerd's jsonlog) writes a string: ASCII, HTML-safe.
    s = b.decode("utf-8", "surrogateescape")
    out = []
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif ch == "\r":
            out.append("\\r")
        elif o < 0x20 or ch in "<>&":
            out.append("\\u%04x" % o)
        else:
            out.append(ch)
    return "".join(out).encode("utf-8", "surrogateescape")


def pieces(message):
    if len(message) <= PIECE:
        return [message]
    return [message[i:i + PIECE] for i in range(0, len(message), PIECE)]


def tree(src, out, n):
    files = [[] for _ in range(n)]
    k = 0
    with open(src, "rb") as f:
        for line in f:
            files[k % n].append(line)
            if b" F " in line[:45] or line.rstrip(b"\n").endswith(b" F"):
                k += 1
    for i, lines in enumerate(files):
        d = os.path.join(out, "pods", f"bench_tree-{i // 8}-{i % 8}_{i:08x}-0000-4000-8000-000000000000", "app")
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "0.log"), "wb") as f:
            f.writelines(lines)


TRACE = b"go package net: "
ORDERS = {b"cgo", b"files", b"dns", b"files,dns", b"dns,files"}
PATIENCE = 64


def valid_order(text):
    return text in ORDERS or (text.startswith(b"hostLookupOrder=") and text.endswith(b"??"))


def name_and_order(rest):
    """`NAME) = ORDER` with a NAME without spaces and a valid ORDER (GoTraceParser.splitNameAndOrder)."""
    close = rest.find(b") = ")
    if close < 0 or b" " in rest[:close]:
        return None
    return rest[close + 4:] if valid_order(rest[close + 4:]) else None


def trim(b):
    return b.rstrip(b" \t\r")


def finishes(fragment, message):
    """Whether `message` finishes a torn start whose fragment followed `hostLookupOrder(` (GoTraceParser.rebuild)."""
    line = trim(message)
    if name_and_order(line) is not None:
        return True
    close = fragment.find(b") = ")
    if close < 0 or b" " in fragment[:close]:
        return False
    if valid_order(line):
        return True
    tail = fragment[close + 4:]
    return len(line) == 0 and any(tail.startswith(c) for c in (b"files,dns", b"dns,files", b"files", b"dns", b"cgo"))


def rebuilt_in(messages):
    """How many torn order lines one writer's messages rebuild, by netdns-audit's rule."""
    rebuilt, pending = 0, None   # pending: [fragment, age]
    for m in messages:
        if m.startswith(TRACE):
            body = trim(m[len(TRACE):])
            if body.startswith(b"hostLookupOrder(") or body.startswith(b"addrLookupOrder("):
                if name_and_order(body[16:]) is None:
                    pending = [body[16:], 0]
            continue
        if pending is None:
            continue
        if finishes(pending[0], m):
            rebuilt += 1
            pending = None
            continue
        pending[1] += 1
        if pending[1] > PATIENCE:
            pending = None
    return rebuilt


def messages_of(path):
    """The messages of a CRI or Docker json-file file, pieces joined (Docker's only decoded
    where a torn start may wait: other messages cannot finish one)."""
    parts = []
    with open(path, "rb") as f:
        for line in f:
            line = line.rstrip(b"\n")
            if line.startswith(b'{"log":"'):
                record = json.loads(line)
                log = record["log"].encode("utf-8", "surrogateescape")
                parts.append(log)
                if log.endswith(b"\n"):
                    yield b"".join(parts)[:-1]
                    parts = []
                continue
            _, _, tag, message = (line.split(b" ", 3) + [b""])[:4]
            parts.append(message)
            if tag == b"F":
                yield b"".join(parts)
                parts = []
    if parts:
        yield b"".join(parts)


def expect(path, counts_path):
    counts = json.load(open(counts_path))
    files = [path] if os.path.isfile(path) else sorted(
        os.path.join(d, n) for d, _, names in os.walk(path) for n in names)
    rebuilt = sum(rebuilt_in(messages_of(f)) for f in files)
    t = counts["totals"]
    # A torn line counts as two recognised trace lines only when rebuilt.
    t["traceLines"] += 2 * (rebuilt - t["rebuiltTraceLines"])
    t["rebuiltTraceLines"] = rebuilt
    counts["services"] = {}
    json.dump(counts, sys.stdout, indent=1, sort_keys=True)
    sys.stdout.write("\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--in", dest="src")
    ap.add_argument("--out")
    ap.add_argument("--tree-files", type=int, default=0)
    ap.add_argument("--tree-from")
    ap.add_argument("--expect", help="a CRI or Docker file, or a tree of them: print its expected counts")
    ap.add_argument("--counts", help="with --expect: the counts of the kubectl file it was made from")
    args = ap.parse_args()
    if args.expect:
        return expect(args.expect, args.counts)
    if args.tree_from:
        return tree(args.tree_from, args.out, args.tree_files)
    os.makedirs(args.out, exist_ok=True)
    outs = {name: open(os.path.join(args.out, name), "wb", buffering=1 << 20)
            for name in ("docker.log", "cri.log", "journald.log", "compose.log")}
    pods = {}
    n = 0
    lines = {name: 0 for name in outs}
    with open(args.src, "rb") as f:
        for raw in f:
            m = LINE.match(raw.rstrip(b"\n"))
            if not m:
                raise SystemExit(f"not a benchmark kubectl line: {raw[:80]!r}")
            pod, container, seconds, nanos, message = m.groups()
            rfc = seconds + b"." + nanos + b"Z"
            cri = b"".join(rfc + b" stdout " + (b"P " if i < len(pieces(message)) - 1 else b"F ") + p + b"\n"
                           for i, p in enumerate(pieces(message)))
            outs["cri.log"].write(cri)
            lines["cri.log"] += cri.count(b"\n")
            key = (pod, container)
            if key not in pods:
                d = os.path.join(args.out, "cri", "pods", f"bench_{pod.decode()}_{len(pods):08x}-0000-4000-8000-000000000000",
                                 container.decode())
                os.makedirs(d, exist_ok=True)
                pods[key] = open(os.path.join(d, "0.log"), "wb", buffering=64 << 10)
            pods[key].write(cri)
            ps = pieces(message)
            for i, p in enumerate(ps):
                log = json_escape(p + (b"\n" if i == len(ps) - 1 else b""))
                outs["docker.log"].write(b'{"log":"' + log + b'","stream":"stdout","time":"' + rfc + b'"}\n')
                lines["docker.log"] += 1
            outs["journald.log"].write(seconds + b"." + nanos[:6] + b"+0000 " + container + b" " + pod + b"[1]: " + message + b"\n")
            outs["compose.log"].write(pod + b"-1  | " + rfc + b" " + message + b"\n")
            lines["journald.log"] += 1
            lines["compose.log"] += 1
            n += 1
    for f in list(outs.values()) + list(pods.values()):
        f.close()
    with open(os.path.join(args.out, "lines.json"), "w") as f:
        json.dump({"input": n, **lines}, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
