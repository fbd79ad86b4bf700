# -*- coding: utf-8 -*-
"""When does an operation hand back an object it already had instead of making one? Each expression
below is evaluated on the running interpreter in a namespace of small values; the result (True/False)
is whether CPython shares the object. A new object is memory a forked child allocates (and a shared
one a refcount it writes), so test/identities.test.ts checks the simulation against these facts.

Runs unchanged on CPython 2.7 and 3.6-3.13.

Usage:
  python tools/measure-identities.py             # {"python": "X.Y", "results": {expr: bool}}
  python3 tools/measure-identities.py --all PY...  # test/fixtures/identities.json (with this command)
"""
import sys
import json
import subprocess

SETUP = 't = (1, 2, 3); s = "abc"; e = ""; i = 10 ** 6; f = 1.5; u = "x"; fz = frozenset([1]); c = "a,b"'
EXPRESSIONS = [
    "t[:] is t", "t[0:0] is ()", "t[0:3:1] is t", "t[1:1] is t[2:2]", "tuple(t) is t",
    "t * 1 is t", "t + () is t", "() + t is t", "t * 0 is ()",
    "s + e is s", "e + s is s", "s * 1 is s", "s * 0 is e", "e * 3 is e", "u * 1 is u",
    "''.join([s]) is s", "','.join([]) is e", "'%s' % s is s", "s[0] + e is s[0]",
    "s[:] is s", "s[0] is s[0:1]", "s[1:1] is e", "s[::-1][2] is s[0]",
    "str(s) is s", "int(i) is i", "float(f) is f", "abs(i) is i", "+i is i", "frozenset(fz) is fz",
    "tuple(x for x in t[0:0]) is ()", "tuple(list(t)) is t", "tuple([]) is ()",
    "s.upper() is s.upper()", "u.lower() is u", "e.upper() is e", "s.strip() is s", "s.split()[0] is s",
    "s.split(',')[0] is s", "c.split(',')[1] is c[2]", "c.split(',')[0] is c[0:1]", "s.startswith('ab') is True",
]


def measure():
    ns = {}
    exec(SETUP, ns)
    return {"python": "%d.%d" % sys.version_info[:2],
            "results": dict((x, bool(eval(x, ns))) for x in EXPRESSIONS)}


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--all":
        out = {"command": "python3 tools/measure-identities.py --all " + " ".join(sys.argv[2:]),
               "setup": SETUP, "versions": {}}
        for py in sys.argv[2:]:
            r = json.loads(subprocess.check_output([py, "-W", "ignore", __file__]).decode("utf-8"))
            out["versions"][r["python"]] = r["results"]
        sys.stdout.write(json.dumps(out, indent=1, sort_keys=True) + "\n")
    else:
        sys.stdout.write(json.dumps(measure()))
