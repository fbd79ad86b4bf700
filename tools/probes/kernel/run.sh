#!/usr/bin/env bash
# Build and run the kernel accounting probes, write test/fixtures/kernel-probes.json.
# Usage: tools/probes/kernel/run.sh [output.json]
# Binaries go to a temp dir (never committed). Needs root for pagemap PFNs and
# /proc/kpagecount (the Pss rollup cross-check); gcc with static glibc (libc6-dev).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../.." && pwd)"
out="${1:-$repo/test/fixtures/kernel-probes.json}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
gcc -O1 -Wall -static -o "$tmp/anon_probe" "$here/anon_probe.c" 2> >(grep -v 'statically linked' >&2 || true)
gcc -O1 -Wall -o "$tmp/py_probe" "$here/py_probe.c"
V=/root/.pyenv/versions
pys=()
for p in 3.11.7/bin/python3.11 2.7.18/bin/python2.7 3.6.15/bin/python3.6 3.7.16/bin/python3.7 \
         3.8.18/bin/python3.8 3.9.18/bin/python3.9 3.10.13/bin/python3.10 3.12.1/bin/python3.12 \
         3.13.0/bin/python3.13; do
  [ -x "$V/$p" ] && pys+=("$V/$p")
done
"$tmp/anon_probe" > "$tmp/anon.json"
"$tmp/py_probe" "${pys[@]}" > "$tmp/py.json"
node "$here/assemble.mjs" "$tmp/anon.json" "$tmp/py.json" "tools/probes/kernel/run.sh" > "$out.tmp"
mv "$out.tmp" "$out"
echo "wrote $out"
