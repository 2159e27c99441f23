#!/usr/bin/env python3
"""Wraps the recorded fault runs (make-fixtures.sh) in kubectl, CRI and docker envelopes and
writes the expected counts, computed here from the recorded lines with rules of their own.

    wrap.py RAW_DIR FIXTURE_DIR

Writes, under FIXTURE_DIR:
  raw/RUN.log                  each run's output exactly as printed (stdout and stderr in arrival order)
  kubectl/payments.log         `kubectl logs --prefix --timestamps`, the pods' lines interleaved by time
  cri/var/log/pods/...         containerd CRI files, one per container
  docker/containers/ID/...     docker json-file logs with config.v2.json (the container name)
  expected.json                per envelope file tree and service: lines, faults by kind, goroutines
                               in getaddrinfo / in the pure-Go resolver, highest GLIBC version
Timestamps are made up (each run starts at its own base time; lines 1 ms apart, a dump's lines
10 us apart); every message byte is the recorded one.
"""
import hashlib, json, os, re, shutil, sys
from datetime import datetime, timedelta, timezone

raw_dir, out = sys.argv[1], sys.argv[2]

def load(run):
    lines = []
    for l in open(os.path.join(raw_dir, run + ".jsonl"), encoding="utf-8"):
        o = json.loads(l)
        if "text" in o:
            lines.append((o["stream"], o["text"].encode("utf-8", "surrogateescape")))
    return lines

# run -> (envelope, namespace, pod or container name, container, service)
PLACES = [
    ("runc-exec-not-found", "kubectl", "payments", "ledger-api-6f7d9c8b5-k2x4z", "ledger-api", "ledger-api"),
    ("go-fork-exec-not-found", "kubectl", "payments", "payouts-5c8d7f9b6-q7w2m", "payouts", "payouts"),
    ("runc-exec-format", "kubectl", "payments", "fx-rates-7b9c6d5f4-m4n8p", "fx-rates", "fx-rates"),
    ("glibc-shared-library-missing", "kubectl", "payments", "tax-calc-84d6b7c9f-t5v9x", "tax-calc", "tax-calc"),
    ("glibc-version", "kubectl", "payments", "report-gen-0", "report-gen", "report-gen"),
    ("go127-x509-unknown-authority", "kubectl", "payments", "webhook-sender-6d5f8c7b9-h3j6k", "webhook-sender", "webhook-sender"),
    ("go119-cgo-sigquit", "kubectl", "payments", "partner-gateway-7c6b5d9f8-w2x5z", "partner-gateway", "partner-gateway"),
    ("go127-go-nxdomain", "kubectl", "payments", "cart-5f6d7c8b9-p4q7r", "cart", "cart"),
    ("crun-exec-not-found", "cri", "media", "thumbnailer-6c7d8b9f5-b2c4d", "thumbnailer", "thumbnailer"),
    ("crun-exec-format", "cri", "media", "image-tagger-5b6c7d8f9-f5g7h", "image-tagger", "image-tagger"),
    ("musl-shared-library-missing", "cri", "media", "tax-calc-alpine-7d8f9b5c6-j2k4l", "tax-calc-alpine", "tax-calc-alpine"),
    ("go127-cgo-sigquit", "cri", "media", "search-api-8b9c5d6f7-m5n7p", "search-api", "search-api"),
    ("go127-thread-limit", "cri", "media", "image-resizer-9c5d6f7b8-q2r4s", "image-resizer", "image-resizer"),
    ("go127-unknown-time-zone", "cri", "media", "scheduler-6f7b8c9d5-t5v7w", "scheduler", "scheduler"),
    ("go127-go-nxdomain", "cri", "media", "cart-5f6d7c8b9-x2z4b", "cart", "cart"),
    ("busybox-not-found", "docker", None, "shim", None, "shim"),
    ("go-fork-exec-format", "docker", None, "launcher", None, "launcher"),
    ("go119-x509-unknown-authority", "docker", None, "notifier", None, "notifier"),
    ("go127-x509-system-roots", "docker", None, "mailer", None, "mailer"),
    ("go119-unknown-time-zone", "docker", None, "cron-eu", None, "cron-eu"),
    ("go119-thread-limit", "docker", None, "legacy-resolver", None, "legacy-resolver"),
    ("go127-go-sigquit", "docker", None, "relay", None, "relay"),
    ("go119-go-sigquit", "docker", None, "sync", None, "sync"),
    ("go127-cgo-sigquit-traced", "docker", None, "dns-probe", None, "dns-probe"),
]

# --- the expected counts, by rules written independently of the Swift recogniser ---
LINE_RULES = [
    ("exec-not-found", [rb"^exec /\S*: no such file or directory$",
                        rb"^exec container process \(missing dynamic library\?\) `[^`]*`: No such file or directory$",
                        rb"^\S+: \S+: not found$",
                        rb"fork/exec \S+: no such file or directory"]),
    ("exec-format", [rb"^exec \S+: exec format error$", rb"^exec container process `[^`]*`: Exec format error$",
                     rb"fork/exec \S+: exec format error"]),
    ("shared-library-missing", [rb"error while loading shared libraries: \S+: cannot open shared object file",
                                rb"^Error loading shared library \S+: No such file or directory \(needed by "]),
    ("symbol-not-found", [rb"^Error relocating \S+: \S+: symbol not found$"]),
    ("glibc-version", [rb"version `GLIBC_[0-9.]+' not found \(required by "]),
    ("ca-certificates-missing", [rb"x509: certificate signed by unknown authority", rb"x509: failed to load system roots"]),
    ("tzdata-missing", [rb"unknown time zone \S"]),
    ("thread-limit", [rb"^runtime: program exceeds \d+-thread limit$"]),
]
CGO_FRAME = re.compile(rb"^net\.(_C2func_|_Cfunc_|_C_|cgoLookup|cgoIPLookup|cgoResSearch)")
GAI_FRAME = re.compile(rb"^net\.(_C2func_|_Cfunc_|_C_)getaddrinfo\(")
GO_FRAME = re.compile(rb"^net\.(\(\*Resolver\)\.(exchange|tryOneName|goLookup)|dnsPacketRoundTrip\()")

def expected_for(lines):
    """Faults of one process's output (its lines in order)."""
    kinds, glibc = {}, None
    gai = go = 0
    dumps_cgo = dumps_go = 0
    in_block = block_gai = block_go = False
    dump_cgo = dump_go = False
    def end_dump():
        nonlocal dumps_cgo, dumps_go, dump_cgo, dump_go
        dumps_cgo += dump_cgo; dumps_go += dump_go
        dump_cgo = dump_go = False
    for _, text in lines:
        for kind, rules in LINE_RULES:
            if any(re.search(r, text) for r in rules):
                kinds[kind] = kinds.get(kind, 0) + 1
        for v in re.findall(rb"version `GLIBC_([0-9.]+)' not found", text):
            ver = tuple(int(x) for x in v.split(b"."))
            glibc = max(glibc, ver) if glibc else ver
        if re.match(rb"^(SIGQUIT: |fatal error: |panic: )", text):
            end_dump()
        if re.match(rb"^goroutine \d+ ", text):
            gai += block_gai; go += block_go
            block_gai = block_go = False
            in_block = True
        elif in_block and text and not text.startswith(b"\t"):
            if GAI_FRAME.match(text): block_gai = True
            if CGO_FRAME.match(text): dump_cgo = True
            if GO_FRAME.match(text): block_go = True; dump_go = True
    gai += block_gai; go += block_go
    end_dump()
    if dumps_cgo: kinds["cgo-resolver-stack"] = dumps_cgo
    return {"faults": dict(sorted(kinds.items())), "getaddrinfoGoroutines": gai, "goResolverGoroutines": go,
            "goResolverStacks": dumps_go,
            "highestGlibc": ("GLIBC_" + ".".join(map(str, glibc))) if glibc else None}

def merge_expected(a, b):
    faults = dict(a["faults"])
    for k, v in b["faults"].items(): faults[k] = faults.get(k, 0) + v
    hg = [x for x in (a["highestGlibc"], b["highestGlibc"]) if x]
    return {"lines": a["lines"] + b["lines"], "faults": dict(sorted(faults.items())),
            "getaddrinfoGoroutines": a["getaddrinfoGoroutines"] + b["getaddrinfoGoroutines"],
            "goResolverGoroutines": a["goResolverGoroutines"] + b["goResolverGoroutines"],
            "goResolverStacks": a["goResolverStacks"] + b["goResolverStacks"],
            "highestGlibc": max(hg, key=lambda s: tuple(int(x) for x in s[6:].split("."))) if hg else None}

def stamp(t):
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond * 1000 + 417:09d}Z"

def timed(lines, base):
    """(time, stream, text): 1 ms apart, 10 us inside a goroutine dump (printed in one burst)."""
    t, dump, res = base, False, []
    for stream, text in lines:
        if re.match(rb"^(SIGQUIT: |fatal error: |runtime: program exceeds )", text): dump = True
        t += timedelta(microseconds=10 if dump else 1000)
        res.append((t, stream, text))
    return res

if os.path.isdir(out):
    shutil.rmtree(out)
os.makedirs(os.path.join(out, "raw"))
expected = {"kubectl": {}, "cri": {}, "docker": {}}
kubectl = []
base = datetime(2026, 11, 20, 10, 0, 0, tzinfo=timezone.utc)
for n, (run, env, ns, pod, container, service) in enumerate(PLACES):
    lines = load(run)
    with open(os.path.join(out, "raw", run + ".log"), "wb") as f:
        for _, text in lines: f.write(text + b"\n")
    e = expected_for(lines)
    e["lines"] = len(lines)
    # kubectl --prefix lines name no namespace; CRI paths do
    key = f"{ns}/{service}" if ns and env == "cri" else service
    expected[env][key] = merge_expected(expected[env][key], e) if key in expected[env] else e
    # runs of one envelope overlap in time: their lines interleave
    start = base + timedelta(milliseconds=37 * n)
    tl = timed(lines, start)
    if env == "kubectl":
        kubectl += [(t, f"[pod/{pod}/{container}] ".encode() + stamp(t).encode() + b" " + text) for t, _, text in tl]
    elif env == "cri":
        uid = hashlib.sha1(pod.encode()).hexdigest()
        uid = f"{uid[:8]}-{uid[8:12]}-{uid[12:16]}-{uid[16:20]}-{uid[20:32]}"
        d = os.path.join(out, "cri", "var", "log", "pods", f"{ns}_{pod}_{uid}", container)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "0.log"), "wb") as f:
            for t, stream, text in tl:
                f.write(stamp(t).encode() + b" " + stream.encode() + b" F " + text + b"\n")
    else:
        cid = hashlib.sha256(pod.encode()).hexdigest()
        d = os.path.join(out, "docker", "containers", cid)
        os.makedirs(d)
        with open(os.path.join(d, cid + "-json.log"), "w", encoding="utf-8") as f:
            for t, stream, text in tl:
                s = text.decode("utf-8", "surrogateescape") + "\n"
                log = json.dumps(s, ensure_ascii=True).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                f.write('{"log":' + log + ',"stream":"' + stream + '","time":"' + stamp(t) + '"}\n')
        with open(os.path.join(d, "config.v2.json"), "w") as f:
            json.dump({"ID": cid, "Name": "/" + pod, "Config": {"Labels": {}}}, f)

os.makedirs(os.path.join(out, "kubectl"))
with open(os.path.join(out, "kubectl", "payments.log"), "wb") as f:
    for _, line in sorted(kubectl, key=lambda x: x[0]):
        f.write(line + b"\n")
with open(os.path.join(out, "expected.json"), "w") as f:
    json.dump(expected, f, indent=1, sort_keys=True)
    f.write("\n")
print(json.dumps(expected, indent=1, sort_keys=True))
