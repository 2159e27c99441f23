#!/usr/bin/env bash
# Fuzzes netdns-audit with libFuzzer (and AddressSanitizer).
#
#   Scripts/fuzz.sh TARGET [SECONDS] [extra libFuzzer flags...]
#
# TARGET: lines, analyzer, gzip, tar, elf, image or reports (see Fuzz/FuzzTarget.swift). The harness is compiled
# with the library sources into .build-fuzz/netdns-fuzz (outside SwiftPM: libFuzzer brings its
# own main), and run with the corpus directory .build-fuzz/corpus-TARGET, seeded from
# SampleLogs and the test fixtures. Crashing inputs land in fuzz-artifacts/.
# One process (the machine is shared: run one target at a time).
# To replay one input: Scripts/fuzz.sh TARGET 0 fuzz-artifacts/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."
target="${1:?usage: Scripts/fuzz.sh lines|analyzer|gzip|tar|elf|image|reports [SECONDS] [libFuzzer flags]}"
seconds="${2:-60}"
shift $(( $# >= 2 ? 2 : 1 ))
case "$target" in lines|analyzer|gzip|tar|elf|image|reports) ;; *) echo "unknown target: $target" >&2; exit 2 ;; esac

out=.build-fuzz
binary="$out/netdns-fuzz"
mkdir -p "$out/modules" fuzz-artifacts
mapfile -t sources < <(find Sources/NetDNSAudit -name '*.swift' | sort)
sources+=(Fuzz/FuzzTarget.swift)
if [ ! -x "$binary" ] || [ -n "$(find "${sources[@]}" Sources/CNetDNSShim -newer "$binary" | head -1)" ]; then
  echo "building $binary" >&2
  # The C shim as a Clang module, as SwiftPM would present it.
  cat > "$out/modules/module.modulemap" <<MAP
module CNetDNSShim {
    header "$PWD/Sources/CNetDNSShim/include/CNetDNSShim.h"
    export *
}
MAP
  objects=()
  for c in Sources/CNetDNSShim/*.c; do
    o="$out/$(basename "$c" .c).o"
    clang -c -O1 -g -fsanitize=fuzzer-no-link,address -I Sources/CNetDNSShim/include "$c" -o "$o"
    objects+=("$o")
  done
  swiftc -sanitize=fuzzer,address -parse-as-library -O -g -module-name NetDNSAudit \
    -I "$out/modules" -I Sources/CZlib \
    "${sources[@]}" "${objects[@]}" -lz -o "$binary"
fi

corpus="$out/corpus-$target"
if [ ! -d "$corpus" ]; then
  mkdir -p "$corpus"
  # Seeds: every fixture and sample log up to 64 KiB (larger ones only slow the fuzzer down),
  # cut into 4 KiB pieces for the line target.
  while IFS= read -r -d '' file; do
    name="$(printf '%s' "$file" | md5sum | cut -c1-16)"
    if [ "$target" = lines ]; then
      head -c 4096 "$file" > "$corpus/$name"
    else
      head -c 65536 "$file" > "$corpus/$name"
    fi
  done < <(if [ "$target" = reports ]; then find Tests/NetDNSAuditTests/Fixtures/FrozenReports Tests/NetDNSAuditTests/Fixtures/SampleLogsExpected -type f -print0; else find SampleLogs Tests/NetDNSAuditTests/Fixtures -type f -print0; fi)
  # Archives: small tar and tar.gz files of a few logs (the fixtures hold none).
  # Images: small docker save archives (legacy, gzipped layer) of a tiny layer with a link and a whiteout.
  if [ "$target" = image ]; then
    seed="$(mktemp -d)"
    mkdir -p "$seed/root/etc" "$seed/img/l1"
    printf 'hosts: files dns\n' > "$seed/root/etc/nsswitch.conf"
    ln -s /lib/ld-musl-x86_64.so.1 "$seed/root/etc/loader"
    : > "$seed/root/etc/.wh.gone"
    tar -C "$seed/root" -cf "$seed/img/l1/layer.tar" .
    printf '{"config":{"Env":["PATH=/bin"],"Entrypoint":["/app"]}}' > "$seed/img/c.json"
    printf '[{"Config":"c.json","Layers":["l1/layer.tar"]}]' > "$seed/img/manifest.json"
    tar -C "$seed/img" -cf "$corpus/seed-image.tar" .
    gzip -c "$seed/img/l1/layer.tar" > "$seed/img/l1/layer.tar.gz" && mv "$seed/img/l1/layer.tar.gz" "$seed/img/l1/layer.tar"
    tar -C "$seed/img" -czf "$corpus/seed-image-gz.tar.gz" .
    rm -rf "$seed"
  fi
  if [ "$target" = tar ] || [ "$target" = gzip ]; then
    tar -cf "$corpus/seed-one.tar" -C SampleLogs search-api.log
    tar -cf "$corpus/seed-tree.tar" -C SampleLogs cri
    tar --format=gnu -cf "$corpus/seed-gnu.tar" -C SampleLogs invoice-pdf.log journald.log
    tar --format=pax -czf "$corpus/seed-pax.tar.gz" -C SampleLogs compose.log stern.log
  fi
fi

if [ "$#" -gt 0 ] && [ -f "$1" ]; then
  # Replay the given inputs.
  SWIFT_BACKTRACE=enable=no NETDNS_FUZZ_TARGET="$target" exec "$binary" "$@"
fi
# Whole streams are slower per byte than single lines; archives need room for headers and members.
case "$target" in lines) max_len=8192 ;; analyzer|reports) max_len=16384 ;; *) max_len=65536 ;; esac
SWIFT_BACKTRACE=enable=no NETDNS_FUZZ_TARGET="$target" exec "$binary" "$corpus" -max_len="$max_len" -rss_limit_mb=2048 \
  -timeout=20 -max_total_time="$seconds" -artifact_prefix=fuzz-artifacts/"$target"- -print_final_stats=1 "$@"
