#!/usr/bin/env bash
# Captures sys._debugmallocstats() (written to stderr) of every pyenv CPython into
# test/fixtures/debugmallocstats/<X.Y>.txt (fresh interpreter, `python -S -c ...`) and
# <X.Y>-floats100k.txt (after x = [1.5*i for i in range(100000)]).
# Usage: bash tools/probes/obmalloc/capture_debugmallocstats.sh [outdir]
set -euo pipefail
out=${1:-test/fixtures/debugmallocstats}
mkdir -p "$out"
# 2.7 has no sys._debugmallocstats (release builds lack PYMALLOC_DEBUG): see README.
for v in 3.6.15 3.7.16 3.8.18 3.9.18 3.10.13 3.11.7 3.12.1 3.13.0; do
  py=/root/.pyenv/versions/$v/bin/python
  xy=${v%.*}
  PYTHONHASHSEED=0 "$py" -S -c 'import sys; sys._debugmallocstats()' 2> "$out/$xy.txt"
  PYTHONHASHSEED=0 "$py" -S -c 'import sys; x = [1.5*i for i in range(100000)]; sys._debugmallocstats()' 2> "$out/$xy-floats100k.txt"
done
