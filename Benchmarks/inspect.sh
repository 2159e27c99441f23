#!/usr/bin/env bash
# netdns-audit inspect benchmark: a large real Go binary against `go version -m` and `readelf`,
# and a ~1 GB image tarball against `tar -tf` (and `tar -xOf | tar -t` through the layers), with
# ratios and peak RSS. Images are assembled from this machine's files (not committed; cached
# under Benchmarks/data/, git-ignored).
#
#   Benchmarks/inspect.sh                  # binary: terraform/docker/kubectl when present, image ~1 GiB
#   IMAGE_MIB=200 Benchmarks/inspect.sh    # a smaller image
#   BINARY=/path/to/go-binary Benchmarks/inspect.sh
#
# Needs GNU time (/usr/bin/time), tar, gzip; go (any version) for the `go version -m` baseline
# (skipped when absent), readelf (binutils).
set -euo pipefail
cd "$(dirname "$0")/.."
REPEAT=${REPEAT:-3}
IMAGE_MIB=${IMAGE_MIB:-1024}
DATA=Benchmarks/data
mkdir -p "$DATA"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

echo "building (release)..." >&2
swift build -c release --product netdns-audit >&2
BIN=$(swift build -c release --show-bin-path)/netdns-audit
GO=${GO:-$(command -v go || python3 -c 'import go,os;print(os.path.join(os.path.dirname(go.__file__),"bin","go"))' 2>/dev/null || echo /usr/lib/go-1.19/bin/go)}

# best TIME (seconds) of REPEAT runs of a command, output discarded
best() {
  local best=""
  for _ in $(seq "$REPEAT"); do
    local t
    /usr/bin/time -o "$TMP/time" -f "%e" "$@" >/dev/null 2>/dev/null || true
    t=$(tail -1 "$TMP/time")
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then best=$t; fi
  done
  echo "$best"
}
rss() { /usr/bin/time -o "$TMP/rss" -f "%M" "$@" >/dev/null 2>/dev/null || true; tail -1 "$TMP/rss"; }
ratio() { awk "BEGIN{ if ($2 > 0) printf \"%.2fx\", $1 / $2; else print \"-\" }"; }

echo
echo "== one binary =="
BINARY=${BINARY:-}
if [ -z "$BINARY" ]; then
  for b in /usr/local/bin/terraform /usr/local/bin/docker /usr/bin/kubectl; do
    if [ -e "$b" ]; then BINARY=$(readlink -f "$b"); break; fi
  done
fi
if [ -n "$BINARY" ]; then
  size=$(stat -c %s "$BINARY")
  cat "$BINARY" > /dev/null  # warm the page cache for every tool alike
  ours=$(best "$BIN" inspect "$BINARY")
  ourjson=$(best "$BIN" inspect --format json "$BINARY")
  printf "%-44s %8s s  peak RSS %s KiB\n" "netdns-audit inspect ($((size >> 20)) MiB)" "$ours" "$(rss "$BIN" inspect "$BINARY")"
  printf "%-44s %8s s\n" "netdns-audit inspect --format json" "$ourjson"
  if [ -x "$GO" ]; then
    gov=$(best "$GO" version -m "$BINARY")
    printf "%-44s %8s s  ratio %s\n" "go version -m ($("$GO" env GOVERSION))" "$gov" "$(ratio "$ours" "$gov")"
  fi
  re=$(best readelf -W -h -l -d -V "$BINARY")
  printf "%-44s %8s s  ratio %s\n" "readelf -W -h -l -d -V" "$re" "$(ratio "$ours" "$re")"
  ren=$(best readelf -W -S "$BINARY")
  printf "%-44s %8s s  ratio %s\n" "readelf -W -S" "$ren" "$(ratio "$ours" "$ren")"
else
  echo "(no large Go binary on this machine: set BINARY=...)"
fi

echo
echo "== one image tarball (~$IMAGE_MIB MiB, docker save layout, uncompressed and gzipped layers) =="
IMG=$DATA/image-$IMAGE_MIB.tar
IMGZ=$DATA/image-$IMAGE_MIB-gz.tar
if [ ! -s "$IMG" ] || [ ! -s "$IMGZ" ]; then
  echo "assembling $IMG from /usr and the test fixtures..." >&2
  root=$TMP/root
  mkdir -p "$root/img"
  # Layer 1: real files from this machine's /usr, up to the size asked for.
  find /usr/lib /usr/bin /usr/share -xdev -type f -size -64M -print0 2>/dev/null > "$TMP/all"
  python3 - "$TMP/all" "$((IMAGE_MIB << 20))" > "$TMP/list" <<'PY'
import os, sys
paths = open(sys.argv[1], 'rb').read().split(b'\0')
limit, total = int(sys.argv[2]), 0
out = []
for p in paths:
    if not p: continue
    try: s = os.lstat(p).st_size
    except OSError: continue
    if total + s > limit: break
    total += s
    out.append(p)
sys.stdout.buffer.write(b'\0'.join(out))
PY
  tar --null -T "$TMP/list" -cf "$root/l1.tar" 2>/dev/null || true
  # Layer 2: the fixture Go binaries as the app.
  mkdir -p "$TMP/app/usr/local/bin"
  for g in Tests/NetDNSAuditTests/Fixtures/Inspect/binaries/go127-*.gz; do
    n=$(basename "$g" .gz); gzip -dc "$g" > "$TMP/app/usr/local/bin/$n"; chmod 755 "$TMP/app/usr/local/bin/$n"
  done
  cp "$TMP/app/usr/local/bin/go127-cgo1-stripped" "$TMP/app/app"
  tar -C "$TMP/app" -cf "$root/l2.tar" .
  for variant in plain gz; do
    d=$TMP/save-$variant; mkdir -p "$d/l1" "$d/l2"
    if [ $variant = gz ]; then gzip -1 -c "$root/l1.tar" > "$d/l1/layer.tar"; gzip -1 -c "$root/l2.tar" > "$d/l2/layer.tar"
    else cp "$root/l1.tar" "$d/l1/layer.tar"; cp "$root/l2.tar" "$d/l2/layer.tar"; fi
    echo '{"architecture":"amd64","os":"linux","config":{"Env":["PATH=/usr/local/bin:/usr/bin:/bin"],"Entrypoint":["/app"]}}' > "$d/config.json"
    echo '[{"Config":"config.json","RepoTags":["bench:latest"],"Layers":["l1/layer.tar","l2/layer.tar"]}]' > "$d/manifest.json"
    out=$IMG; [ $variant = gz ] && out=$IMGZ
    tar -C "$d" -cf "$out" l1 l2 config.json manifest.json
    rm -rf "$d"
  done
fi
for img in "$IMG" "$IMGZ"; do
  size=$(stat -c %s "$img")
  cat "$img" > /dev/null
  ours=$(best "$BIN" inspect "$img")
  printf "%-44s %8s s  peak RSS %s KiB\n" "netdns-audit inspect $(basename "$img") ($((size >> 20)) MiB)" "$ours" "$(rss "$BIN" inspect "$img")"
  tl=$(best tar -tf "$img")
  printf "%-44s %8s s  ratio %s\n" "tar -tf (outer archive)" "$tl" "$(ratio "$ours" "$tl")"
  # Listing every layer's files: what a reader that streams through the layers must at least do.
  if [ "$img" = "$IMGZ" ]; then
    tz=$(best sh -c "tar -xOf '$img' l1/layer.tar | tar -tzf - && tar -xOf '$img' l2/layer.tar | tar -tzf -")
  else
    tz=$(best sh -c "tar -xOf '$img' l1/layer.tar | tar -tf - && tar -xOf '$img' l2/layer.tar | tar -tf -")
  fi
  printf "%-44s %8s s  ratio %s\n" "tar -xOf | tar -t (every layer's files)" "$tz" "$(ratio "$ours" "$tz")"
done
