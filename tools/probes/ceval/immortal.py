# -*- coding: utf-8 -*-
"""Probe: which objects the evaluator touches are refcounted (header written) or immortal.

Usage: /root/.pyenv/versions/X.Y.Z/bin/python tools/probes/ceval/immortal.py
Prints sys.getrefcount(obj) for objects that the cowsim snippets INCREF/DECREF.
3.12+: 4294967295 (= _Py_IMMORTAL_REFCNT, UINT_MAX) means immortal: Py_INCREF/Py_DECREF skip the write.
3.11: ~1000000000 means a statically allocated object (refcount starts at 999999999) that is
still written by every INCREF/DECREF.
"""
from __future__ import print_function
import platform
import sys

code = compile("cowsim_unique_name_q = 1", "<step>", "exec")
name = code.co_names[0]          # the interned key STORE_NAME passes to PyDict_SetItem
try:
    builtins_dict = __builtins__.__dict__
except AttributeError:
    builtins_dict = __builtins__
objs = [
    ("None", None), ("True", True),
    ("int 0", 0), ("int 5", 5), ("int 256", 256), ("int 257 (fresh)", int("257")),
    ("int -5", -5), ("int -6 (fresh)", int("-6")),
    ("empty tuple", ()), ("empty str", ""), ("1-char str 'a'", "a"),
    ("co_names entry (interned)", name),
    ("list.append method descriptor", list.__dict__["append"]),
    ("builtin function len", len), ("builtin function sum", sum),
    ("type list", list), ("type range", range), ("type int", int),
    ("builtins dict", builtins_dict), ("module globals dict", globals()),
    ("float 1.5 (const)", 1.5),
]
print("# command: %s %s" % (sys.executable, " ".join(sys.argv)))
print("python %s" % platform.python_version())
for label, o in objs:
    print("%-32s %d" % (label, sys.getrefcount(o)))
