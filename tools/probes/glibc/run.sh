#!/usr/bin/env bash
# Builds tools/probes/glibc/trace.c, replays every scenario of gen_scripts.py
# against this machine's glibc malloc, runs pylist_probe.py under every pyenv
# CPython, and writes test/fixtures/glibc-probes.json.
set -euo pipefail
cd "$(dirname "$0")/../../.."
exec /root/.pyenv/versions/3.11.7/bin/python tools/probes/glibc/run.py
