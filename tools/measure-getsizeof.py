# -*- coding: utf-8 -*-
"""Measure sys.getsizeof (and __sizeof__, type basicsize/itemsize, gc tracking)
for a fixed list of expressions on the running interpreter.

Runs unchanged on CPython 2.7 and 3.6-3.13.

Usage:
  python tools/measure-getsizeof.py              # {version: {expr: sys.getsizeof(value)}}
  python tools/measure-getsizeof.py --full       # {version: {"getsizeof":..., "sizeof":..., "tracked":..., "types":..., "meta":...}}
  python3 tools/measure-getsizeof.py --all PY... # run --full under each interpreter PY and write the
                                                 # fixture JSON {"command", "versions", "details"} to stdout

Expressions are strings evaluated with eval() in a namespace holding the
helpers below; an expression that does not exist on a version (syntax error,
NameError) is skipped for that version, so every recorded key is a real
measurement.
"""
import sys
import gc
import json
import array
import struct

PY2 = sys.version_info[0] == 2
VERSION = "%d.%d" % sys.version_info[:2]


# ---- helpers used inside expressions -------------------------------------

def appended(n):
    """A list grown by n list.append calls (exercises list_resize)."""
    l = []
    for i in range(n):
        l.append(i)
    return l


def inserted_dict_int(n):
    """A dict grown by n item assignments with int keys."""
    d = {}
    for i in range(n):
        d[i] = i
    return d


def inserted_dict_str(n):
    """A dict grown by n item assignments with (non-interned, distinct) str keys."""
    d = {}
    for i in range(n):
        d["k%d" % i] = i
    return d


def added_set(n):
    s = set()
    for i in range(n):
        s.add(i)
    return s


class C(object):
    """Instance with 3 attributes set in __init__ (key-sharing dict in 3.3+)."""
    def __init__(self):
        self.a = 1
        self.b = 2
        self.c = 3


class Empty(object):
    pass


class Slots(object):
    __slots__ = ("a", "b")


class OldStyle:  # old-style class on 2.7, new-style on 3.x
    pass


def instance_dict(n_instances_before=1):
    objs = [C() for _ in range(n_instances_before)]
    return objs[-1].__dict__


def f():
    pass


def gen():
    yield 1


NS = {
    "appended": appended,
    "inserted_dict_int": inserted_dict_int,
    "inserted_dict_str": inserted_dict_str,
    "added_set": added_set,
    "C": C, "Empty": Empty, "Slots": Slots, "OldStyle": OldStyle,
    "instance_dict": instance_dict,
    "f": f, "gen": gen,
    "array": array,
    "sys": sys,
    "o": None, "T": (), "L": [], "R": range(10),
}


# ---- expression list ------------------------------------------------------

E = []
add = E.append

# ints (2.7: int up to 2**63-1 is PyIntObject, beyond is PyLongObject)
for s in ["0", "1", "-1", "5", "-5", "-6", "255", "256", "257", "2**15", "2**30-1", "2**30",
          "2**31", "2**32", "2**60-1", "2**60", "2**62", "2**63-1", "2**63", "2**64",
          "2**90", "10**20", "-10**20", "10**100", "2**1000"]:
    add(s)
add("long(0)")   # 2.7 only
add("long(1)")   # 2.7 only
add("long(2**30)")  # 2.7 only
add("int(2**63-1)")  # 2.7: PyIntObject (sys.maxint)
# ints computed beyond one digit: the size is the normalized digit count whatever was allocated
# (2.7: an int that overflows becomes a long, a long stays a long even when small)
for s in ["2**70+1", "2**70-2**70", "(2**70+5)-2**70", "-2**70", "(2**35)*(2**35)", "(10**20)*(10**20)",
          "(10**20)*0", "(2**70)//3", "(2**70)%3", "(10**30)%(10**12+7)", "(10**30)//(10**12+7)",
          "2**62+2**62", "9223372036854775807+1", "1<<100", "(2**70)>>69", "2**64-1", "abs(-2**70)",
          "~(2**70)", "int('1'*30)", "int('123')", "int(1e30)", "sum([2**70]*3)", "sum([2**62, 2**62])",
          "3**40", "(-3)**41", "(2**70)**2", "(2**70)//(2**60)", "-(2**63)"]:
    add(s)
# floats, bool, None
for s in ["0.0", "1.5", "-2.5e300", "float('inf')", "True", "False", "None", "1j", "Ellipsis", "NotImplemented"]:
    add(s)
# str: plain literals ('' is bytes on 2.7), unicode escapes (u'' prefix: 2.7 and 3.3+)
for s in ["''", "'a'", "'ab'", "'abc'", "'abcdefg'", "'abcdefgh'", "'x'*15", "'x'*16", "'x'*100", "'x'*1000",
          "u''", "u'a'", "u'abc'", "u'x'*100",
          "u'\\xe9'", "u'\\xe9'*2", "u'\\xe9'*100", "u'a\\xe9'",
          "u'\\u20ac'", "u'\\u20ac'*2", "u'\\u20ac'*100",
          "u'\\U0001f600'", "u'\\U0001f600'*2", "u'\\U0001f600'*100",
          "str(12345)", "'%d' % 123456789"]:
    add(s)
# bytes (b'' works on 2.6+)
for s in ["b''", "b'a'", "b'abc'", "b'x'*100", "b'x'*1000", "bytes(10)"]:
    add(s)
# bytearray
for s in ["bytearray()", "bytearray(b'a')", "bytearray(b'abc')", "bytearray(10)", "bytearray(100)",
          "bytearray(1000)"]:
    add(s)
# tuple
for s in ["()", "(1,)", "(1,2)", "(1,2,3)", "tuple(range(10))", "tuple(range(19))", "tuple(range(20))",
          "tuple(range(21))", "tuple(range(50))", "tuple(range(1000))"]:
    add(s)
# list literals / constructors
for s in ["[]", "[1]", "[1,2]", "[1,2,3]", "[1,2,3,4,5]", "[None]*0", "list()", "list(())", "list((1,2,3))"]:
    add(s)
for n in [0, 1, 2, 3, 4, 5, 8, 9, 10, 16, 17, 100, 1000, 10000, 100000, 1000000]:
    add("list(range(%d))" % n)
for n in [0, 1, 5, 10, 100, 1000, 1000000]:
    add("list(iter(range(%d)))" % n)   # no exact length (iterator length hint path)
    add("list(x for x in range(%d))" % n)  # generator: no length hint at all
for n in list(range(0, 41)) + [50, 64, 65, 100, 128, 1000, 1024, 10000, 100000, 1000000]:
    add("appended(%d)" % n)
for n in [0, 1, 2, 3, 4, 5, 8, 9, 10, 16, 17, 100, 1000, 10000, 1000000]:
    add("[x for x in range(%d)]" % n)
for n in [0, 1, 2, 5, 10, 100, 1000, 1000000]:
    add("[0]*%d" % n)
add("[1,2,3]*10")
add("list(range(10))+list(range(5))")
# generator expressions (a fresh generator: 3.11+ its frame's slots, co_nlocalsplus + co_stacksize, are in it)
for s in ["(x for x in [])", "(x for x in L)", "(x for x in range(10))", "(x * 2 for x in [])",
          "(x for x in [] if x)", "((k, v) for k, v in [])", "(x + y for x in [] for y in [])",
          "(len(s) for s in [])", "(x % 1000 for x in [])", "(str(x) for x in [])"]:
    add(s)
# dict
for s in ["{}", "dict()", "{1:2}", "{'a':1}", "{1:2,3:4,5:6}", "{'a':1,'b':2,'c':3}",
          "dict(a=1,b=2)", "dict.fromkeys(range(10))", "dict(zip(range(10),range(10)))"]:
    add(s)
for n in [0, 1, 2, 3, 4, 5, 6, 7, 8, 10, 11, 12, 16, 21, 22, 32, 43, 44, 86, 87, 100, 1000, 10000, 100000, 1000000]:
    add("inserted_dict_int(%d)" % n)
for n in [0, 1, 5, 6, 8, 10, 11, 100, 1000]:
    add("inserted_dict_str(%d)" % n)
for n in [0, 1, 5, 6, 10, 11, 100, 1000]:
    add("{i:i for i in range(%d)}" % n)
    add("dict.fromkeys(range(%d))" % n)
# instances and their __dict__ (key-sharing split tables 3.3+, inline values 3.11+/3.12+/3.13)
for s in ["C()", "C().__dict__", "instance_dict(5)", "Empty()", "Empty().__dict__", "Slots()", "OldStyle()",
          "object()", "f", "gen()", "C", "type", "len", "[].append", "(lambda: 0)", "property()",
          "staticmethod(f)", "classmethod(f)", "super(C, C())", "memoryview(b'abc')", "sys"]:
    add(s)
# set / frozenset
for s in ["set()", "set([1])", "{1,2,3}", "frozenset()", "frozenset([1])", "frozenset(range(5))"]:
    add(s)
for n in [0, 1, 4, 5, 8, 10, 18, 19, 20, 50, 100, 1000, 10000, 1000000]:
    add("set(range(%d))" % n)
    add("added_set(%d)" % n)
for n in [10, 100]:
    add("frozenset(range(%d))" % n)
# range / xrange and iterators
for s in ["range(10)", "range(0)", "range(10**20)", "xrange(10)",
          "iter([])", "iter([1,2,3])", "iter(())", "iter((1,2))", "iter(range(3))", "iter(range(10**20))",
          "iter(xrange(3))", "iter('abc')", "iter(u'abc')", "iter({})", "iter({1:2}.items())", "iter(set())",
          "iter(bytearray())", "iter(b'')",
          "enumerate([])", "enumerate([1,2])", "zip([],[])", "zip([1],[2],[3])", "reversed([])", "reversed([1,2,3])",
          "reversed(range(3))", "reversed((1,2))", "map(abs, [])", "filter(None, [])",
          "{}.keys()", "{}.values()", "{}.items()",
          "array.array('i', range(10))", "array.array('i')", "array.array('b', range(10))",
          "array.array('d', range(100))", "array.array('l', range(1000))",
          "slice(1, 2, 3)", "slice(None)", "slice(1)"]:
    add(s)


# ---- measurement ----------------------------------------------------------

# (name, expression yielding the type) for basicsize/itemsize/flags
TYPES = [
    ("object", "object"), ("int", "int"), ("long", "long"), ("bool", "bool"), ("float", "float"),
    ("complex", "complex"), ("str", "str"), ("unicode", "unicode"), ("bytes", "bytes"),
    ("bytearray", "bytearray"), ("tuple", "tuple"), ("list", "list"), ("dict", "dict"), ("set", "set"),
    ("frozenset", "frozenset"), ("range", "type(range(1))"), ("xrange", "xrange"),
    ("range_iterator", "type(iter(range(3)))"), ("longrange_iterator", "type(iter(range(10**20)))"),
    ("list_iterator", "type(iter([]))"), ("tuple_iterator", "type(iter(()))"),
    ("list_reverseiterator", "type(reversed([]))"), ("enumerate", "enumerate"), ("zip", "type(zip([],[]))"),
    ("map", "type(map(abs,[]))"), ("slice", "slice"), ("array", "array.array"),
    ("function", "type(f)"), ("generator", "type(gen())"), ("type", "type"), ("module", "type(sys)"),
    ("memoryview", "memoryview"), ("C_instance", "C"), ("Slots_instance", "Slots"),
    ("dict_keys", "type({}.keys())"), ("cell", "type((lambda x: lambda: x)(1).__closure__[0])"),
]

Py_TPFLAGS_HAVE_GC = 1 << 14


def ev(expr):
    return eval(expr, NS)


def measure():
    getsizeof, sizeof, tracked = {}, {}, {}
    for expr in E:
        try:
            v = ev(expr)
        except Exception:
            continue
        try:
            getsizeof[expr] = sys.getsizeof(v)
        except Exception:
            continue
        try:
            sizeof[expr] = v.__sizeof__()
        except Exception:
            pass
        tracked[expr] = bool(gc.is_tracked(v)) if hasattr(gc, "is_tracked") else None
        del v
    types = {}
    for name, texpr in TYPES:
        try:
            t = ev(texpr)
        except Exception:
            continue
        types[name] = {
            "basicsize": t.__basicsize__,
            "itemsize": t.__itemsize__,
            "gc": bool(t.__flags__ & Py_TPFLAGS_HAVE_GC),
        }
    meta = {
        "version": sys.version.split()[0],
        "pointer_size": struct.calcsize("P"),
        "maxunicode": sys.maxunicode,
        "long_double_size": _long_double_size(),
        "int_info": _int_info(),
        "maxsize": sys.maxsize,
        "abiflags": getattr(sys, "abiflags", None),
        "gil_disabled": _gil_disabled(),
        "gc_thresholds": list(gc.get_threshold()),
        "float_info_dig": sys.float_info.dig,
        "hash_width": getattr(getattr(sys, "hash_info", None), "width", None),
        # bytes that sys.getsizeof adds to __sizeof__ for a GC-tracked object (gc head, 3.12+: + pre-header)
        "getsizeof_minus_sizeof_list": sys.getsizeof([]) - [].__sizeof__(),
        "getsizeof_minus_sizeof_C_instance": sys.getsizeof(C()) - C().__sizeof__(),
    }
    return {"getsizeof": getsizeof, "sizeof": sizeof, "tracked": tracked, "types": types, "meta": meta,
            "traced": traced()}


def _long_double_size():
    try:
        import ctypes
        return ctypes.sizeof(ctypes.c_longdouble)
    except Exception:
        return None


# Net bytes traced by tracemalloc (3.4+) per evaluation, K evaluations kept alive:
# this is what the allocator was asked for (GC head and pre-header included,
# separate item arrays / key tables included), minus what came from free lists.
TRACED = ["object()", "C()", "Empty()", "Slots()", "1000000+i", "2**40+i", "2**70+i", "float(i)",
          "str(100000+i)", "(o,)", "(o,o)", "(o,o,o)", "[]", "[o]", "[o,o,o]", "[o]*10", "[o]*100",
          "{}", "{o:o}", "{'a':o}", "dict.fromkeys(R)", "set()", "{o}", "bytearray(10)",
          "bytearray()", "iter(T)", "iter(L)", "iter(R)", "range(10)", "slice(o)", "enumerate(T)"]
K = 20000


def traced():
    try:
        import tracemalloc
    except ImportError:
        return None
    res = {}
    for expr in TRACED:
        fn = eval("lambda i: (" + expr + ")", NS)
        holder = [None] * K
        fn(0)
        tracemalloc.start()
        m0 = tracemalloc.get_traced_memory()[0]
        for i in range(K):
            holder[i] = fn(i)
        m1 = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        res[expr] = {"total": m1 - m0, "count": K, "per_object": round(float(m1 - m0) / K, 2)}
        del holder
    return res


def _int_info():
    ii = getattr(sys, "int_info", None) or getattr(sys, "long_info", None)
    if ii is None:
        return None
    return {"bits_per_digit": ii.bits_per_digit, "sizeof_digit": ii.sizeof_digit}


def _gil_disabled():
    try:
        import sysconfig
        return bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
    except Exception:
        return None


def main(argv):
    if len(argv) > 1 and argv[1] == "--all":
        import subprocess
        versions, details = {}, {}
        for py in argv[2:]:
            out = subprocess.check_output([py, __file__, "--full"])
            d = json.loads(out.decode("utf-8"))
            for ver, rec in d.items():
                versions[ver] = rec["getsizeof"]
                details[ver] = rec
        fixture = {
            "command": "python3 tools/measure-getsizeof.py --all " + " ".join(argv[2:]),
            "expressions": E,
            "versions": versions,
            "details": details,
        }
        sys.stdout.write(json.dumps(fixture, indent=1, sort_keys=True) + "\n")
        return
    res = measure()
    if len(argv) > 1 and argv[1] == "--full":
        out = {VERSION: res}
    else:
        out = {VERSION: res["getsizeof"]}
    sys.stdout.write(json.dumps(out, sort_keys=True) + "\n")


if __name__ == "__main__":
    main(sys.argv)
