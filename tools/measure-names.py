# -*- coding: utf-8 -*-
"""What names exist in real CPython, per version: the builtins, the attributes of the types cowsim
models, the attributes of the modules it models, and which of those types are iterable, subscriptable
and sized. src/sim/interpreter.ts uses them so that an error never calls valid Python wrong: a name or
an attribute CPython has, that cowsim does not model, is reported as "not modelled by cowsim yet".

Runs unchanged on CPython 2.7 and 3.6-3.13.

Usage:
  python tools/measure-names.py                  # this interpreter: {"python": "X.Y", ...} (JSON)
  python3 tools/measure-names.py --all PY...     # each interpreter PY; writes src/profiles/python-names.ts
                                                 # to stdout (the generated module, with this command)
"""
import sys
import json
import subprocess

# cowsim's type names (src/sim/interpreter.ts TYPE_NAMES) and an expression making one, per major version.
SAMPLES = {
    "NoneType": "None", "bool": "True", "int": "1", "float": "1.5", "tuple": "(1,)", "list": "[1]",
    "dict": "{1: 2}", "set": "set([1])", "frozenset": "frozenset([1])", "bytearray": "bytearray(b'a')",
    "list_iterator": "iter([1])", "tuple_iterator": "iter((1,))", "set_iterator": "iter(set([1]))",
    "dict_keyiterator": "iter({1: 2})", "enumerate": "enumerate([1])", "reversed": "reversed([1])",
    "slice": "slice(1)", "array.array": "__import__('array').array('d', [1.0])",
    "generator": "(x for x in [1])", "builtin_function_or_method": "len", "function": "lambda: 1",
}
SAMPLES3 = {
    "str": "'a'", "bytes": "b'a'", "range": "range(1)", "range_iterator": "iter(range(1))",
    "str_iterator": "iter('a')", "bytes_iterator": "iter(b'a')", "dict_valueiterator": "iter({1: 2}.values())",
    "dict_itemiterator": "iter({1: 2}.items())", "zip": "zip([1])", "dict_keys": "{1: 2}.keys()",
    "dict_values": "{1: 2}.values()", "dict_items": "{1: 2}.items()",
}
SAMPLES2 = {
    "str": "'a'", "unicode": "u'a'", "long": "1L", "range": "xrange(1)", "range_iterator": "iter(xrange(1))",
    "dict_valueiterator": "{1: 2}.itervalues()", "dict_itemiterator": "{1: 2}.iteritems()",
    "dict_keys": "{1: 2}.viewkeys()", "dict_values": "{1: 2}.viewvalues()", "dict_items": "{1: 2}.viewitems()",
}
MODULES = ["gc", "sys", "array", "multiprocessing.sharedctypes"]
# Binary operators (src/python/bytecode.ts BINOP_SYMBOLS order) tried on every pair of samples.
BINOPS = [("+", "a + b"), ("-", "a - b"), ("*", "a * b"), ("/", "a / b"), ("//", "a // b"), ("%", "a % b"),
          ("**", "a ** b"), ("<<", "a << b"), (">>", "a >> b"), ("&", "a & b"), ("|", "a | b"), ("^", "a ^ b")]


def measure():
    import importlib
    try:
        import builtins
    except ImportError:
        import __builtin__ as builtins
    out = {"python": "%d.%d" % sys.version_info[:2], "builtins": sorted(n for n in dir(builtins) if not n.startswith("_")),
           "types": {}, "iterable": [], "subscriptable": [], "sized": [], "modules": {}}
    samples = dict(SAMPLES)
    samples.update(SAMPLES2 if sys.version_info[0] == 2 else SAMPLES3)
    for name in sorted(samples):
        try:
            obj = eval(samples[name])
        except SyntaxError:
            continue
        t = type(obj)
        out["types"][name] = sorted(a for a in dir(t) if not a.startswith("_"))
        if hasattr(t, "__iter__") or hasattr(t, "__getitem__"):
            out["iterable"].append(name)
        if hasattr(t, "__getitem__"):
            out["subscriptable"].append(name)
        if hasattr(t, "__len__"):
            out["sized"].append(name)
    for m in MODULES:
        out["modules"][m] = sorted(a for a in dir(importlib.import_module(m)) if not a.startswith("_"))
    # Which binary operators CPython accepts between two types (TypeError or not: ValueError,
    # ZeroDivisionError, OverflowError and the like still mean the operation exists).
    objs = {}
    for name in sorted(samples):
        try:
            objs[name] = eval(samples[name])
        except SyntaxError:
            pass
    ok = []
    for sym, expr in BINOPS:
        for na in sorted(objs):
            for nb in sorted(objs):
                try:
                    eval(expr, {"a": objs[na], "b": objs[nb]})
                except TypeError:
                    continue
                except Exception:
                    pass
                ok.append("%s,%s,%s" % (sym, na, nb))
    out["binops"] = ok
    return out


def generate(pythons):
    results = []
    for py in pythons:
        text = subprocess.check_output([py, __file__]).decode("utf-8")
        results.append(json.loads(text))
    results.sort(key=lambda r: tuple(int(x) for x in r["python"].split(".")))
    # Most lists are the same on several versions: each distinct list is written once (L[i]).
    pool = []
    index = {}

    def ref(names):
        text = " ".join(names)
        if text not in index:
            index[text] = len(pool)
            pool.append(text)
        return "L[%d]" % index[text]

    body = []
    for r in results:
        body.append("  %s: {" % json.dumps(r["python"]))
        body.append("    builtins: %s," % ref(r["builtins"]))
        body.append("    types: {")
        for t in sorted(r["types"]):
            body.append("      %s: %s," % (json.dumps(t), ref(r["types"][t])))
        body.append("    },")
        for k in ("iterable", "subscriptable", "sized", "binops"):
            body.append("    %s: %s," % (k, ref(r[k])))
        body.append("    modules: {")
        for m in sorted(r["modules"]):
            body.append("      %s: %s," % (json.dumps(m), ref(r["modules"][m])))
        body.append("    },")
        body.append("  },")
    lines = [
        "/**",
        " * Names that exist in real CPython, per version (generated: do not edit). Read by",
        " * src/sim/interpreter.ts so that a name or attribute CPython has, which cowsim does not model, is",
        " * reported as not modelled rather than as a NameError / AttributeError / TypeError of the user's code.",
        " *",
        " * Generated by: python3 tools/measure-names.py --all " + " ".join(pythons),
        " * Lists are space-separated names; L holds each distinct list once.",
        " */",
        "export interface PythonNames {",
        "  builtins: string;",
        "  types: Record<string, string>;",
        "  iterable: string;",
        "  subscriptable: string;",
        "  sized: string;",
        "  /** Binary operators CPython accepts: op,leftType,rightType (no TypeError). */",
        "  binops: string;",
        "  modules: Record<string, string>;",
        "}",
        "",
        "const L: string[] = [",
    ] + ["  %s," % json.dumps(t) for t in pool] + [
        "];",
        "",
        "export const PYTHON_NAMES: Record<string, PythonNames> = {",
    ] + body + ["};"]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--all":
        sys.stdout.write(generate(sys.argv[2:]))
    else:
        sys.stdout.write(json.dumps(measure()))
