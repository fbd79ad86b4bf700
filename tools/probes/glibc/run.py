#!/usr/bin/env python3
"""Builds and runs the glibc malloc probes; writes test/fixtures/glibc-probes.json.

Usage (from the repo root):  bash tools/probes/glibc/run.sh
Needs gcc and the pyenv CPythons at /root/.pyenv/versions/*/bin/python.
Everything written to the fixture comes from the runs below.
"""
import glob
import json
import os
import platform
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
OUT = os.path.join(ROOT, "test", "fixtures", "glibc-probes.json")


def sh(cmd, **kw):
    return subprocess.check_output(cmd, shell=True, universal_newlines=True, **kw)


def main():
    tmp = tempfile.mkdtemp(prefix="glibc-probes-")
    exe = os.path.join(tmp, "trace")
    build = "gcc -O1 -Wall -o %s %s" % (exe, os.path.join(HERE, "trace.c"))
    sh(build)
    sdir = os.path.join(tmp, "scripts")
    sh("%s %s %s" % (sys.executable, os.path.join(HERE, "gen_scripts.py"), sdir))

    sys.path.insert(0, HERE)
    import gen_scripts  # noqa: E402

    fixture = {
        "about": "Real glibc malloc behaviour on this machine, replayed from op scripts by "
                 "tools/probes/glibc/trace.c; see docs/glibc-malloc.md for the rules and the "
                 "meaning of each field. Offsets ('off', 'brk', 'old_off') are bytes from the "
                 "initial program break (heap start); raw addresses vary with ASLR.",
        "generated_by": "bash tools/probes/glibc/run.sh",
        "machine": {
            "ldd_version": sh("ldd --version | head -1").strip(),
            "kernel": platform.release(),
            "page_size": int(sh("getconf PAGESIZE").strip()),
            "randomize_va_space": open("/proc/sys/kernel/randomize_va_space").read().strip(),
            "thp_enabled": open("/sys/kernel/mm/transparent_hugepage/enabled").read().strip(),
            "gcc": sh("gcc --version | head -1").strip(),
        },
        "build": build.replace(tmp, "$TMP").replace(ROOT + "/", ""),
        "scenarios": {},
        "python_lists": {},
    }
    for name, fn in gen_scripts.SCENARIOS:
        path = os.path.join(sdir, name + ".txt")
        out = sh("%s %s" % (exe, path))
        lines = [json.loads(l) for l in out.splitlines() if l.strip()]
        fixture["scenarios"][name] = {
            "command": "$TMP/trace $TMP/scripts/%s.txt" % name,
            "script": [l for l in open(path).read().splitlines()],
            "start": lines[0],
            "results": lines[1:],
        }
        sys.stderr.write("scenario %s: %d result lines\n" % (name, len(lines) - 1))

    for py in sorted(glob.glob("/root/.pyenv/versions/*/bin/python")):
        ver = py.split("/")[-3]
        cmd = "%s %s" % (py, os.path.join(HERE, "pylist_probe.py"))
        try:
            res = json.loads(sh(cmd))
        except Exception as e:  # keep going: one broken interpreter must not hide the rest
            res = {"error": str(e)}
        res["command"] = cmd.replace(ROOT + "/", "")
        fixture["python_lists"][ver] = res
        sys.stderr.write("python %s done\n" % ver)

    with open(OUT, "w") as f:
        json.dump(fixture, f, indent=1, sort_keys=False)
        f.write("\n")
    sys.stderr.write("wrote %s\n" % OUT)


main()
