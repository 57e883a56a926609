#!/usr/bin/env bash
# Checks what jpackage/build.sh built: the application image's launcher runs `info` and `eval`
# on the bundled ResNet-20 sample, headless, with an empty DJL cache (so the PyTorch native
# library is extracted from the image) and, where `unshare -n` works, without a network; then the
# .deb (when built) is unpacked and its launcher runs `info` too.
set -euo pipefail
cd "$(dirname "$0")/.."

out=target/jpackage
model=sample-models/resnet20-w0.5-fashion.safetensors
data=sample-models/fashion-mnist/fashion-test-2000-images-idx3-ubyte.gz
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "jpackage/check.sh: $*" >&2; exit 1; }

# Runs a launcher headless and offline with a fresh DJL cache; prints the JSON line (the last).
run() {
  local launcher=$1; shift
  [ -x "$launcher" ] || fail "$launcher: no launcher; run jpackage/build.sh first"
  local isolate=()
  unshare -n true 2>/dev/null && isolate=(unshare -n)
  env -u DISPLAY -u WAYLAND_DISPLAY DJL_CACHE_DIR="$tmp/djl" "${isolate[@]}" "$launcher" "$@" \
    2>"$tmp/stderr" | tail -n 1 || { cat "$tmp/stderr" >&2; fail "$launcher $1 failed"; }
}

# Fails unless the JSON text has each "key":value given (values as JSON writes them).
expect() {
  local what=$1 json=$2; shift 2
  for kv in "$@"; do
    grep -qF -e "$kv," -e "$kv}" <<<"$json" || fail "$what: expected $kv in: ${json:0:300}"
  done
}

check_info() {
  local json
  json=$(run "$1" info --model "$model")
  expect "$1 info" "$json" '"arch":"resnet20-w0.5"' '"classes":10' '"parameters":67906'
}

launcher=$out/asr-workbench/bin/asr-workbench
check_info "$launcher"
json=$(run "$launcher" eval --model "$model" --data "$data" --limit 200)
expect "$launcher eval" "$json" '"n":200' '"device":"cpu"'
top1=$(grep -o '"top1":[0-9.eE-]*' <<<"$json" | cut -d: -f2)
awk -v t="${top1:-0}" 'BEGIN { exit !(t >= 0.9) }' || fail "$launcher eval: top-1 ${top1:-missing} < 0.9 on 200 images"
[ -n "$(find "$tmp/djl" -name 'libtorch_cpu.so' 2>/dev/null)" ] || fail "the PyTorch library was not extracted to DJL_CACHE_DIR"
echo "app image: info and eval OK (top-1 $top1 on 200 images)"

shopt -s nullglob
debs=("$out"/*.deb)
if [ ${#debs[@]} -gt 0 ]; then
  deb=${debs[0]}
  [ "$(dpkg-deb -f "$deb" Package)" = asr-workbench ] || fail "$deb: package name is not asr-workbench"
  dpkg-deb -x "$deb" "$tmp/root"
  for f in lib/asr-workbench-asr-workbench.desktop lib/asr-workbench-asr-workbench-MimeInfo.xml lib/asr-workbench.png; do
    [ -s "$tmp/root/opt/asr-workbench/$f" ] || fail "$deb: /opt/asr-workbench/$f is missing"
  done
  check_info "$tmp/root/opt/asr-workbench/bin/asr-workbench"
  echo "deb: $(basename "$deb") OK ($(du -m "$deb" | cut -f1) MiB)"
fi
