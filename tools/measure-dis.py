# -*- coding: utf-8 -*-
"""Disassemble the cowsim snippets with the running interpreter.

Runs unchanged on CPython 2.7 and 3.6-3.13.  Usage (one interpreter at a time):

    /root/.pyenv/versions/3.11.7/bin/python tools/measure-dis.py          # writes test/fixtures/dis/3.11.txt
    /root/.pyenv/versions/3.11.7/bin/python tools/measure-dis.py --stdout # prints instead

Each snippet is compiled as module-level code: compile(src, "<step>", "exec"), and
disassembled with dis.disassemble(); nested code objects found in co_consts
(comprehensions before 3.12, ...) are disassembled after their parent, depth first.

Section 2 (3.11+ only): a few snippets are *executed* in a namespace that defines
their inputs, repeatedly, so the specialising adaptive interpreter (PEP 659)
quickens them; then dis.disassemble(..., adaptive=True) shows which specialised
instructions the evaluator really runs (FOR_ITER_LIST, BINARY_OP_ADD_INT, ...).
"""
from __future__ import print_function

import dis
import os
import platform
import re
import sys

SNIPPETS = [
    "for i in L: pass",
    "for i in range(n): L.append(i)",
    "x = L[5]",
    "L[5] = x",
    "del L[2:5]",
    "s = sum(L)",
    "x = a + b",
    "x += 1",
    "t = (1, 2)",
    "a, b = b, a",
    "d = {'a': 1}",
    "d['k'] = v",
    "[x*2 for x in L if x]",
    "{k: v for k, v in d.items()}",
    "while i < n: i += 1",
    "if x: y = 1\nelse: y = 2",
    "import gc; gc.collect()",
    "from array import array",
    "L2 = L[::2]",
    "x = len(L)",
    "for i, x in enumerate(L): pass",
    "s = '%d' % 5",
    "x = 'a' * 3",
    "L = list(range(1000000))",
    "L = [str(i) for i in range(10)]",
]

# Inputs used when executing snippets for the adaptive (specialised) listing.
# Small sizes: only the instruction stream matters, not the data.
SETUP = "L = list(range(100)); n = 100; i = 0; x = 1; a = 1; b = 2; v = 3; d = {'a': 1, 'k': 2}"
ADAPTIVE_SNIPPETS = [
    "for i in L: pass",
    "for i in range(n): L.append(i)",
    "x = L[5]",
    "L[5] = x",
    "x = a + b",
    "x += 1",
    "a, b = b, a",
    "d['k'] = v",
    "[x*2 for x in L if x]",
    "{k: v for k, v in d.items()}",
    "while i < n: i += 1",
    "x = len(L)",
    "for i, x in enumerate(L): pass",
    "L = [str(i) for i in range(10)]",
]


class _Capture(object):
    def __init__(self):
        self.parts = []

    def write(self, s):
        self.parts.append(s)

    def flush(self):
        pass

    def text(self):
        return "".join(self.parts)


def _is_code(obj):
    return type(obj) is type(_is_code.__code__)


def _disassemble_tree(co, out, adaptive=False):
    """dis.disassemble() on co and on every code object nested in its constants."""
    out.write("--- code object %s (co_names=%r, co_consts=%r)\n"
              % (co.co_name, co.co_names,
                 tuple(c if not _is_code(c) else "<code %s>" % c.co_name for c in co.co_consts)))
    saved = sys.stdout
    cap = _Capture()
    sys.stdout = cap
    try:
        if adaptive:
            dis.disassemble(co, adaptive=True)
        else:
            dis.disassemble(co)
    finally:
        sys.stdout = saved
    out.write(cap.text())
    for c in co.co_consts:
        if _is_code(c):
            _disassemble_tree(c, out, adaptive)


def main():
    ver = "%d.%d" % sys.version_info[:2]
    out = _Capture()
    out.write("# command: %s tools/measure-dis.py\n" % sys.executable)
    out.write("# python: %s (%s)\n" % (platform.python_version(), sys.version.replace("\n", " ")))
    out.write("# each snippet: co = compile(src, '<step>', 'exec'); dis.disassemble(co) and nested code objects\n\n")
    for src in SNIPPETS:
        co = compile(src, "<step>", "exec")
        out.write("=" * 72 + "\n")
        out.write("### %r\n" % src)
        _disassemble_tree(co, out)
        out.write("\n")
    if sys.version_info >= (3, 11):
        out.write("#" * 72 + "\n")
        out.write("# SECTION 2: specialised (adaptive) instructions after execution\n")
        out.write("# setup namespace: %s\n" % SETUP)
        out.write("# each snippet: co = compile(src, '<step>', 'exec'); exec(co, ns) 60 times\n")
        out.write("# (ns re-created from setup each time); then dis.disassemble(co, adaptive=True)\n\n")
        for src in ADAPTIVE_SNIPPETS:
            co = compile(src, "<step>", "exec")
            for _ in range(60):
                ns = {}
                exec(SETUP, ns)
                exec(co, ns)
            out.write("=" * 72 + "\n")
            out.write("### %r (adaptive)\n" % src)
            _disassemble_tree(co, out, adaptive=True)
            out.write("\n")
    # code-object addresses differ from run to run: mask them so fixtures are stable
    text = re.sub(r" at 0x[0-9a-fA-F]+", " at 0x...", out.text())
    if "--stdout" in sys.argv:
        sys.stdout.write(text)
        return
    here = os.path.dirname(os.path.abspath(__file__))
    dest = os.path.join(here, "..", "test", "fixtures", "dis", ver + ".txt")
    f = open(dest, "w")
    try:
        f.write(text)
    finally:
        f.close()
    print("wrote %s" % os.path.normpath(dest))


if __name__ == "__main__":
    main()
