#!/usr/bin/env python3
"""Deterministic generator of realistic `kubectl logs --prefix --timestamps` input for the
netdns-audit benchmark, with the exact counts it emitted.

    generate.py --size 1GiB --out FILE --counts FILE.counts.json
    generate.py --hostile names --out FILE --counts FILE.counts.json       # 5 million failing names
    generate.py --hostile instances --out FILE --counts FILE.counts.json   # 1 million instances
    generate.py --failure-heavy --size 256MiB --out FILE --counts FILE.counts.json

--failure-heavy writes an outage: the same services and pods, but every line is a trace line
(process starts, lookup orders) or a DNS failure, of up to 154 names per pod (the 14
upstreams and 10 shards of each), so the name tallies are the hot path.

The main corpus is made of a few distinct 4 MiB blocks (each generated line by line from a
seeded random generator, every torn trace finished inside its block) written in a seeded order
until the size is reached, so 1 GiB takes seconds; counts are the sum over the blocks written.

Counts (JSON): totals {lines, traceLines, rebuiltTraceLines, failures, failureLines, bytes} and,
per service, {orders: {VALUE: n}, reverseOrders: {VALUE: n}, failures: {CLASS: n}}.
"""
import argparse
import json
import random
import re
import sys

BLOCK_BYTES = 4 << 20
DISTINCT_BLOCKS = 24
KUBE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"

WORDS_A = ["billing", "ledger", "checkout", "cart", "search", "inventory", "payments", "auth", "session",
           "mailer", "webhook", "pricing", "catalog", "shipping", "fraud", "reports", "label", "invoice",
           "notify", "gateway"]
WORDS_B = ["api", "worker", "store", "relay", "sync"]
UPSTREAMS = ["ledger-v2.payments.svc.cluster.local", "postgres.payments.svc.cluster.local",
             "auth.corp.example.net", "ldap.corp.example.net", "cdn-origin.shop.example.com",
             "feature-flags.platform.svc.cluster.local", "metrics-push.monitoring.example.org",
             "mail.shop-internal.example.com", "redis-master.cache.svc.cluster.local",
             "kafka-0.kafka-headless.streaming.svc.cluster.local", "printer-3f.local",
             "api.stripe.com", "s3.eu-west-1.amazonaws.com", "tracking.partner.example.biz"]
MSGS = ["request served", "cache refreshed", "job finished", "connection pool resized", "flushed batch",
        "health check ok", "config reloaded", "message published", "order accepted", "token renewed"]
DECOYS = [
    '{{"level":"warn","msg":"cache lookup failed","key":"user:{n}","service":"{svc}"}}',
    'level=warn msg="dns lookup ok" host={up} took={n}us',
    'running nslookup {up}: server can\'t find {up}: NXDOMAIN',
    'java.net.UnknownHostException: {up}: Name or service not known',
    '\tat java.net.InetAddress.getAllByName0(InetAddress.java:{n})',
    '{{"level":"info","msg":"lookup table rebuilt","entries":{n}}}',
    'WARN reverse lookup disabled for {up} (feature flag)',
    'panic: lookupHost: bad state {n}',
]
GO_REASONS = [("no such host", "nxdomain", 5), ("server misbehaving", "servfail", 2),
              ("TIMEOUT", "timeout", 2), ("REFUSED", "refused", 1), ("no answer from DNS server", "other", 1)]
LIBC_REASONS = {
    "glibc": [("Temporary failure in name resolution", "temporary", 4), ("no such host", "nxdomain", 4),
              ("No address associated with hostname", "nodata", 1),
              ("Non-recoverable failure in name resolution", "servfail", 1)],
    "musl": [("Try again", "temporary", 4), ("no such host", "nxdomain", 4),
             ("Name has no usable address", "nodata", 1), ("Non-recoverable error", "servfail", 1)],
}
DECISIONS = {
    "go1.27": {"go": "using the Go DNS resolver", "goforced": "GODEBUG setting forcing use of the Go resolver",
               "cgo": "using the cgo DNS resolver", "dynamic": "dynamic selection of DNS resolver"},
    "go1.19": {"go": "built with netgo build tag; using Go's DNS resolver",
               "goforced": "GODEBUG setting forcing use of Go's resolver",
               "cgo": "using cgo DNS resolver", "dynamic": "dynamic selection of DNS resolver"},
}


def kube_chars(rng, n):
    return "".join(rng.choice(KUBE_ALPHABET) for _ in range(n))


class Service:
    def __init__(self, rng, index):
        self.name = f"{WORDS_A[index % len(WORDS_A)]}-{WORDS_B[index // len(WORDS_A) % len(WORDS_B)]}"
        if index >= len(WORDS_A) * len(WORDS_B):
            self.name += f"-{index}"
        self.go = rng.choice(["go1.27", "go1.27", "go1.19"])
        self.level = rng.choice([0, 1, 2, 2])
        self.mode = rng.choice(["go", "goforced", "cgo", "dynamic", "dynamic"])
        if self.mode == "cgo":
            self.orders = [("cgo", 1)]
        elif self.mode == "dynamic":
            self.orders = rng.choice([[("files,dns", 8), ("cgo", 2)], [("files,dns", 1)], [("dns,files", 3), ("files", 1)], [("cgo", 1)]])
        else:
            self.orders = [("files,dns", 5), ("dns", 1)]
        self.libc = rng.choice(["glibc", "glibc", "musl"])
        # Failures look like the path the service uses.
        self.failure_style = "libc" if self.mode == "cgo" or (self.mode == "dynamic" and self.orders[0][0] == "cgo") else "go"
        count = rng.randint(3, 8)
        if rng.random() < 0.75:
            template_hash = kube_chars(rng, rng.randint(8, 10))
            self.pods = [f"{self.name}-{template_hash}-{kube_chars(rng, 5)}" for _ in range(count)]
        else:
            self.pods = [f"{self.name}-{i}" for i in range(count)]
        self.weight = rng.choice([1, 1, 2, 4, 8])


def weighted(rng, items):
    total = sum(w for _, _, w in items) if len(items[0]) == 3 else sum(w for _, w in items)
    r = rng.random() * total
    for item in items:
        r -= item[-1]
        if r < 0:
            return item
    return items[-1]


def new_counts():
    return {"totals": {"lines": 0, "traceLines": 0, "rebuiltTraceLines": 0, "failures": 0, "failureLines": 0, "bytes": 0},
            "services": {}}


def service_counts(counts, name):
    return counts["services"].setdefault(name, {"orders": {}, "reverseOrders": {}, "failures": {}})


def bump(d, k, n=1):
    d[k] = d.get(k, 0) + n


class BlockWriter:
    def __init__(self, rng, services, seconds_base, failure_heavy=False):
        self.rng = rng
        self.failure_heavy = failure_heavy
        self.services = services
        self.counts = new_counts()
        self.lines = []
        self.size = 0
        self.ns = seconds_base * 1_000_000_000
        self.pending = {}  # pod -> [service, countdown, name, order]
        self.pod_weights = []
        for s in services:
            for p in s.pods:
                self.pod_weights.append((s, p, s.weight))
        self.cum = []
        acc = 0
        for _, _, w in self.pod_weights:
            acc += w
            self.cum.append(acc)

    def timestamp(self):
        self.ns += self.rng.randint(1000, 900000)
        s, frac = divmod(self.ns, 1_000_000_000)
        m, sec = divmod(s, 60)
        h, mi = divmod(m, 60)
        return f"2026-11-20T{h % 24:02d}:{mi:02d}:{sec:02d}.{frac:09d}Z"

    def emit(self, svc, pod, message):
        line = f"[pod/{pod}/{svc.name}] {self.timestamp()} {message}\n"
        self.lines.append(line)
        self.size += len(line)
        self.counts["totals"]["lines"] += 1

    def pick_pod(self):
        r = self.rng.random() * self.cum[-1]
        lo, hi = 0, len(self.cum) - 1
        while lo < hi:
            mid = (lo + hi) // 2
            if self.cum[mid] > r:
                hi = mid
            else:
                lo = mid + 1
        s, p, _ = self.pod_weights[lo]
        return s, p

    # Messages -----------------------------------------------------------------------------

    def ordinary(self, svc):
        rng = self.rng
        k = rng.random()
        msg = rng.choice(MSGS)
        if k < 0.45:
            return (f'{{"level":"info","ts":17951691{rng.randint(10, 99)}.{rng.randint(0, 999999):06d},'
                    f'"caller":"server/handler.go:{rng.randint(20, 400)}","msg":"{msg}","service":"{svc.name}",'
                    f'"method":"GET","path":"/v1/items/{rng.randint(1, 99999)}","status":200,"bytes":{rng.randint(10, 90000)},'
                    f'"duration_ms":{rng.random() * 200:.3f},"trace_id":"{rng.getrandbits(64):016x}{rng.getrandbits(64):016x}"}}')
        if k < 0.75:
            return (f'time="2026-11-20T10:00:{rng.randint(0, 59):02d}Z" level=info msg="{msg}" service={svc.name} '
                    f'upstream={rng.choice(UPSTREAMS)} latency={rng.randint(1, 999)}ms attempt={rng.randint(1, 3)} '
                    f'request_id={rng.getrandbits(48):012x}')
        return f'2026/11/20 10:00:{rng.randint(0, 59):02d} {msg} for tenant {rng.randint(1, 5000)} in {rng.randint(1, 900)}ms (queue={rng.randint(0, 64)})'

    def long_line(self, svc):
        n = self.rng.randint(20_000, 200_000)
        blob = ("abcdefghij" * (n // 10 + 1))[:n]
        return f'{{"level":"debug","msg":"payload dump","service":"{svc.name}","body":"{blob}"}}'

    def decoy(self, svc):
        return self.rng.choice(DECOYS).format(n=self.rng.randint(1, 9999), svc=svc.name, up=self.rng.choice(UPSTREAMS))

    def failure_text(self, svc):
        """One `lookup ...` error text and its class."""
        rng = self.rng
        name = rng.choice(UPSTREAMS)
        if self.failure_heavy and rng.random() < 0.2:
            name = f"shard-{rng.randint(0, 9)}.{name}"
        if svc.failure_style == "go":
            reason, cls, _ = weighted(rng, GO_REASONS)
            src = f"10.244.{rng.randint(0, 40)}.{rng.randint(2, 250)}:{rng.randint(30000, 60000)}"
            if reason == "TIMEOUT":
                reason = f"read udp {src}-\\u003e10.96.0.10:53: i/o timeout"
            elif reason == "REFUSED":
                reason = f"read udp {src}-\\u003e10.96.0.10:53: connection refused"
            return f"lookup {name} on 10.96.0.10:53: {reason}", cls
        reason, cls, _ = weighted(rng, LIBC_REASONS[svc.libc])
        return f"lookup {name}: {reason}", cls

    def failure(self, svc, sc):
        rng = self.rng
        double = rng.random() < 0.1
        text, cls = self.failure_text(svc)
        # netdns-audit reads a socket error (`read udp ...: i/o timeout`) up to the next quote, so
        # a second mention after one is swallowed; two-mention lines start with another reason.
        while double and cls in ("timeout", "refused"):
            text, cls = self.failure_text(svc)
        bump(sc["failures"], cls)
        found = 1
        if double:
            # Two mentions in one line.
            text2, cls2 = self.failure_text(svc)
            bump(sc["failures"], cls2)
            found = 2
            text = f"{text}; fallback failed too: {text2}"
        self.counts["totals"]["failures"] += found
        self.counts["totals"]["failureLines"] += 1
        k = rng.random()
        if k < 0.4:
            return (f'{{"level":"error","ts":17951691{rng.randint(10, 99)}.{rng.randint(0, 999999):06d},'
                    f'"caller":"probe/main.go:152","msg":"failed to connect to upstream","service":"{svc.name}",'
                    f'"error":"dial tcp: {text}"}}')
        if k < 0.6:
            up = text.split(" ")[1]
            return (f'{{"time":"2026-11-20T10:00:00Z","level":"ERROR","msg":"health check failed",'
                    f'"error":"Get \\"http://{up}:8080/healthz\\": dial tcp: {text}"}}')
        if k < 0.85:
            return f'time="2026-11-20T10:00:01Z" level=error msg="failed to resolve upstream" error="{text}"'
        return f"2026/11/20 10:00:01 resolve failed: {text}"

    def order(self, svc, sc):
        rng = self.rng
        value = weighted(rng, svc.orders)[0]
        self.counts["totals"]["traceLines"] += 1
        if rng.random() < 0.08:
            bump(sc["reverseOrders"], value)
            if svc.go == "go1.19":
                return f"go package net: hostLookupOrder() = {value}"
            return f"go package net: addrLookupOrder(10.244.{rng.randint(0, 40)}.{rng.randint(2, 250)}) = {value}"
        bump(sc["orders"], value)
        return f"go package net: hostLookupOrder({rng.choice(UPSTREAMS)}) = {value}"

    def process_start(self, svc, pod):
        """A (re)started process: confVal at level 2, then the decision line."""
        if svc.level == 2:
            cgo = "true" if svc.mode == "cgo" else "false"
            go = "true" if svc.mode in ("go", "goforced") else "false"
            self.emit(svc, pod, f"go package net: confVal.netCgo = {cgo}  netGo = {go}")
            self.counts["totals"]["traceLines"] += 1
        self.emit(svc, pod, "go package net: " + DECISIONS[svc.go][svc.mode])
        self.counts["totals"]["traceLines"] += 1

    # Block -------------------------------------------------------------------------------

    def line(self):
        rng = self.rng
        svc, pod = self.pick_pod()
        sc = service_counts(self.counts, svc.name)
        pending = self.pending.get(pod)
        if pending is not None:
            pending[1] -= 1
            if pending[1] <= 0:
                del self.pending[pod]
                _, _, name, value = pending
                bump(sc["orders"], value)
                self.counts["totals"]["traceLines"] += 2
                self.counts["totals"]["rebuiltTraceLines"] += 1
                self.emit(svc, pod, f"{name}) = {value}")
                return
        r = rng.random()
        if self.failure_heavy:
            # An outage: only trace lines and failures.
            if svc.level > 0 and r < 0.002:
                self.process_start(svc, pod)
            elif svc.level == 2 and r < 0.25:
                self.emit(svc, pod, self.order(svc, sc))
            else:
                self.emit(svc, pod, self.failure(svc, sc))
            return
        if svc.level > 0 and r < 0.0002:
            self.process_start(svc, pod)
        elif svc.level == 2 and r < 0.012:
            if pending is None and r < 0.0008:
                # A torn order line: the runtime's print was interrupted by another log line.
                value = weighted(rng, svc.orders)[0]
                name = rng.choice(UPSTREAMS)
                self.pending[pod] = [svc, rng.randint(1, 6), name, value]
                self.emit(svc, pod, "go package net: hostLookupOrder(" + self.ordinary(svc))
            else:
                self.emit(svc, pod, self.order(svc, sc))
        elif r < 0.02:
            self.emit(svc, pod, self.failure(svc, sc))
        elif r < 0.035:
            self.emit(svc, pod, self.decoy(svc))
        elif r < 0.035025:
            self.emit(svc, pod, self.long_line(svc))
        else:
            self.emit(svc, pod, self.ordinary(svc))

    def fill(self, target):
        while self.size < target:
            self.line()
        # Finish every torn trace inside the block.
        for pod, (svc, _, name, value) in sorted(self.pending.items()):
            sc = service_counts(self.counts, svc.name)
            bump(sc["orders"], value)
            self.counts["totals"]["traceLines"] += 2
            self.counts["totals"]["rebuiltTraceLines"] += 1
            self.emit(svc, pod, f"{name}) = {value}")
        self.pending = {}
        data = "".join(self.lines).encode()
        self.counts["totals"]["bytes"] = len(data)
        return data


def add_counts(total, part, times=1):
    for k, v in part["totals"].items():
        total["totals"][k] += v * times
    for name, sc in part["services"].items():
        mine = service_counts(total, name)
        for group in ("orders", "reverseOrders", "failures"):
            for k, v in sc[group].items():
                bump(mine[group], k, v * times)


def parse_size(text):
    m = re.fullmatch(r"(\d+)\s*([KMG]i?B?)?", text.strip(), re.I)
    if not m:
        raise SystemExit(f"bad size {text!r}")
    n = int(m.group(1))
    unit = (m.group(2) or "").upper()
    if unit.startswith("K"):
        n <<= 10
    elif unit.startswith("M"):
        n <<= 20
    elif unit.startswith("G"):
        n <<= 30
    return n


def generate_main(size, out, seed, failure_heavy=False):
    rng = random.Random(seed)
    services = [Service(rng, i) for i in range(60)]
    blocks = []
    for b in range(DISTINCT_BLOCKS):
        writer = BlockWriter(random.Random(seed * 1000 + b), services, 36000 + b * 60, failure_heavy)
        # Every block starts with a process start in each traced pod, as after a rollout.
        for s in services:
            if s.level > 0:
                for p in s.pods:
                    writer.process_start(s, p)
        blocks.append((writer.fill(BLOCK_BYTES), writer.counts))
    counts = new_counts()
    written = 0
    order_rng = random.Random(seed + 7)
    with open(out, "wb", buffering=0) as f:
        i = 0
        while written < size:
            # The first block is always block 0 (its head decides the envelope); then seeded order.
            index = 0 if i == 0 else order_rng.randrange(DISTINCT_BLOCKS)
            data, c = blocks[index]
            f.write(data)
            written += len(data)
            add_counts(counts, c)
            i += 1
    return counts


def generate_hostile(kind, out):
    counts = new_counts()
    with open(out, "wb", buffering=0) as f:
        if kind == "names":
            # 5 million distinct failing names spread over 10 pods of one service.
            total = 5_000_000
            step = 100_000
            for start in range(0, total, step):
                chunk = "".join(
                    f"[pod/hostile-api-{i % 10}/api] lookup h{i}.bad.example on 10.96.0.10:53: no such host\n"
                    for i in range(start, start + step))
                f.write(chunk.encode())
            sc = service_counts(counts, "hostile-api")
            sc["failures"]["nxdomain"] = total
            counts["totals"].update(lines=total, failures=total, failureLines=total)
        else:
            # 1 million distinct instances (StatefulSet ordinals of 1000 services), one failure line each.
            total = 1_000_000
            step = 100_000
            for start in range(0, total, step):
                chunk = "".join(
                    f"[pod/svc{i // 1000}-{i % 1000}/app] lookup db.internal on 10.96.0.10:53: no such host\n"
                    for i in range(start, start + step))
                f.write(chunk.encode())
            for s in range(total // 1000):
                service_counts(counts, f"svc{s}")["failures"]["nxdomain"] = 1000
            counts["totals"].update(lines=total, failures=total, failureLines=total)
        counts["totals"]["bytes"] = f.tell()
    return counts


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", default="1GiB")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--hostile", choices=["names", "instances"])
    ap.add_argument("--failure-heavy", action="store_true", help="only trace lines and DNS failures (an outage)")
    ap.add_argument("--out", required=True)
    ap.add_argument("--counts", required=True)
    args = ap.parse_args()
    if args.hostile:
        counts = generate_hostile(args.hostile, args.out)
    else:
        counts = generate_main(parse_size(args.size), args.out, args.seed, args.failure_heavy)
    with open(args.counts, "w") as f:
        json.dump(counts, f, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    sys.exit(main())
