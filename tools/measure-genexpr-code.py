# -*- coding: utf-8 -*-
"""co_stacksize and co_nlocals of generator expression code objects, as the running
interpreter compiles them at module level (the numbers that size a generator's frame:
PyFrameObject extras up to 3.10, the generator's own slots from 3.11).

Runs unchanged on CPython 2.7 and 3.6-3.13. Usage:
  python tools/measure-genexpr-code.py                 # one version: {"version", "code": {src: [stacksize, nlocals]}}
  python3 tools/measure-genexpr-code.py --all PY...    # {"command", "versions": {"3.11": {src: [...]}}}
"""
import json
import subprocess
import sys

FORMS = [
    "(x for x in L)",
    "(x * 2 for x in L)",
    "(x % 1000 for x in L)",
    "(x for x in L if x)",
    "(x for x in L if x > 2 and x < 5)",
    "((k, v) for k, v in L)",
    "(x + y for x in L for y in M)",
    "(x for x in L for y in M if y)",
    "(len(s) for s in L)",
    "(str(x) for x in L)",
    "(s.encode() for s in L)",
    "(max(x, 3) for x in L)",
    "(sum(y for y in x) for x in L)",
    "(x if x else -x for x in L)",
    "(x[0] for x in L)",
    "((x, x * 2, x * 3) for x in L)",
]


def code_of(src):
    mod = compile("g = " + src, "<s>", "exec")
    for c in mod.co_consts:
        if hasattr(c, "co_stacksize"):
            return [c.co_stacksize, c.co_nlocals]
    raise SystemExit("no code object for " + src)


def one():
    return {"version": "%d.%d" % sys.version_info[:2], "code": dict((f, code_of(f)) for f in FORMS)}


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--all":
        out = {"command": "python3 tools/measure-genexpr-code.py --all " + " ".join(sys.argv[2:]), "versions": {}}
        for py in sys.argv[2:]:
            r = json.loads(subprocess.check_output([py, __file__]).decode())
            out["versions"][r["version"]] = r["code"]
        print(json.dumps(out, indent=1, sort_keys=True))
    else:
        print(json.dumps(one()))
