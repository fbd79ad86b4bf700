# -*- coding: utf-8 -*-
"""Results of int arithmetic beyond 64 bits on the running interpreter, for
test/bigint.test.ts (the simulator's printed values against the real ones).

Runs unchanged on CPython 2.7 and 3.6-3.13.

Usage:
  python tools/measure-bigint.py               # {expr: [text, getsizeof, hash, isinstance(v, int)]}
  python3 tools/measure-bigint.py --all PY...  # run under each interpreter PY and write the fixture
                                               # JSON {"command", "versions"} to stdout

For each expression (in the simulator's Python subset) the record is:
  text      str(v), or repr(v) for a float (2.7's str() rounds to 12 digits;
            the simulator prints floats as repr does)
  getsizeof sys.getsizeof(v)
  hash      str(hash(v)) for numbers (ints, bools, floats; a string: JSON
            readers lose 64-bit integers), else null (str hashes are
            randomized per process)
  isint     isinstance(v, int) (False for a 2.7 long)
An expression that raises records ["error: <ExceptionName>", null, null, null].
"""
import sys
import json
import subprocess
import warnings

warnings.simplefilter("ignore")  # 3.8+: SyntaxWarning for `is` with a literal

PY2 = sys.version_info[0] == 2

E = [
    # constants (2.7 folds them to longs; 3.x folds up to 128 bits, 2**70 and 10**100 are long_pow at run time)
    "2**64", "2**70", "10**20", "-10**20", "2**63", "2**63-1", "-2**63", "-2**63-1", "10**100", "2**1000",
    "12345678901234567890123", "-12345678901234567890123", "2**64-1", "2**62", "2**60", "2**30",
    # + and -
    "2**70+1", "2**70-1", "2**70-2**70", "(2**70+5)-2**70", "-(2**70)+1", "1-2**70", "-2**70-2**70",
    "(-2**70)-(-2**70+7)", "2**62+2**62", "9223372036854775807+1", "-9223372036854775807-2", "(2**70)+(-2**70)",
    "(10**20)-(10**20+1)", "(2**90)-(2**30)", "-(2**90)+(2**89)",
    # *
    "2**35*2**35", "(2**70)*(2**70)", "-(2**70)*3", "(10**20)*0", "3037000500*3037000500", "(2**40)*(2**40)",
    "(-2**40)*(2**40)", "(10**20)*(-10**20)", "(2**31)*(2**31)*(2**31)",
    # // and %, every sign
    "10**30//7", "-10**30//7", "10**30//-7", "-10**30//-7", "10**30%7", "-10**30%7", "10**30%-7", "-10**30%-7",
    "(10**30)//(10**12+7)", "(-10**30)//(10**12+7)", "(10**30)//(-10**12-7)", "(10**30)%(10**12+7)",
    "(-10**30)%(10**12+7)", "(10**30)%(-10**12-7)", "10**20//10**21", "-(10**20)//10**21", "(2**70+3)%(2**35)",
    "2**70%1", "7//(2**70)", "-7//(2**70)", "-7%(2**70)", "(2**90)//(2**45+1)", "(2**90+12345)%(2**60+1)",
    "(10**40)//(10**20)", "(3**80)%(7**30)", "(-3**80)//(7**30)",
    # **
    "3**50", "(-3)**51", "10**50", "(2**70)**2", "7**0", "(2**70)**0", "(2**70)**1", "2**-1", "(2**70)**-1", "12345**6",
    "(-2)**63", "2**62*2", "(10**10)**3", "3**40",
    # shifts
    "1<<100", "(2**70)>>5", "-(2**70)>>5", "(2**70)<<3", "-(2**70+1)>>70", "1<<63", "3<<62", "(2**70)>>100",
    "-(2**70)>>100", "(2**70)>>0", "-(10**30)>>7",
    # unary, abs
    "-(2**70)", "~(2**70)", "~(-2**70)", "abs(-(2**70))", "abs(2**70)", "+(2**70)", "-(-2**63)",
    # comparisons
    "2**70 > 2**69", "-2**70 < 2**70", "2**70 == 2**70+0", "2**70 == float(2**70)", "2**70+1 == float(2**70)",
    "2**70+1 > float(2**70)", "2**53+1 > float(2**53)", "2**70 != 2**71", "-(2**70) <= -(2**70)", "2**64 > 2**64-1",
    "10**20 < 1e20", "10**20 == 1e20", "2**70 in [1, 2**70]", "2**70 in {2**70: 1}", "(2**70+1) in set([2**70+1])",
    # floats
    "float(2**70)", "float(2**70+1)", "float(2**1000)", "float(-(10**20))", "(2**70)/3", "(10**30)/(10**12+7)",
    "(2**70)*1.5", "1e20+2**70", "(2**53+1)/1", "(10**20)/(10**20)", "-(2**70)/7", "(3**100)/(7**90)",
    "float(2**53+1)", "float(2**64-1)",
    # int() of str and float
    "int('12345678901234567890123')", "int('-98765432109876543210')", "int(' 99999999999999999999 ')",
    "int('9223372036854775808')", "int('1000000000000000000000000000000000000000000')", "int(1e30)", "int(-1e20)",
    "int(2.5e18)", "int(2**70)", "int('1'*40)",
    # text
    "'%d' % 2**70", "'%x' % 2**70", "'%s' % -(10**25)", "'%d' % -(2**64)", "str(2**70) + str(-(2**64))",
    "'%d/%d' % (10**20, 3**40)", "str(10**50)[:10]",
    # hash
    "hash(2**70)", "hash(-2**70)", "hash(2**61-1)", "hash(2**61)", "hash(2**64)", "hash(10**30)", "hash(float(2**70))",
    "hash(2**63)", "hash(-(2**61))", "hash(2**122)", "hash(-(2**64))", "hash(2**61-2)",
    # sum, min, max, sorted
    "sum([2**70+i for i in range(10)])", "sum([10**18]*20)", "sum(range(10), 2**70)", "sum([2**62, 2**62])",
    "sum([1.5, 2**70])", "sum([2**70, -2**70])", "sum([2**63-1, 1])", "sum(x*x for x in range(10**6, 10**6+5))",
    "max([2**70, 2**71, -2**80])", "min([2**70, 2**71, -2**80])", "sorted([2**70, 5, -2**80, 2**64])[0]",
    # slots: set iteration order follows the hashes (2.7 dicts too)
    "','.join([str(x) for x in set([2**70 + i*2**64 for i in range(12)])])",
    "','.join([str(x) for x in set([(2**61-1)*i + i for i in range(1, 12)])])",
    "','.join([str(x) for x in {2**64 + 3*i: i for i in range(12)}])",
    "','.join([str(x) for x in set([-(2**65) - i for i in range(12)])])",
    # identity: which results are the cached small ints (maybe_small_long: x_sub 3.9+, quotients, int(str));
    # computed at run time (a comprehension variable), not folded by the compiler
    "[a+5-a for a in [2**70]][0] is 5", "[a//a for a in [10**20]][0] is 1", "[a*0 for a in [2**70]][0] is 0",
    "[-a+a for a in [2**70]][0] is 0", "int('5') is 5", "[a*a//(2**79) for a in [2**40]][0] is 2",
    "[a>>68 for a in [2**70]][0] is 4", "[a%(a-3) for a in [10**20]][0] is 3", "[a%(a-1) for a in [2**70]][0] is 1",
    "[abs(-a)-a for a in [2**70]][0] is 0", "[-a//a for a in [10**20]][0] is -1", "[a-(a-7) for a in [2**70]][0] is 7",
    "[(a+5)-a for a in [-2**70]][0] is 5",
    # 2.7 int/long boundaries (longs stay longs)
    "(2**63)-1-(2**62)", "(2**70)//(2**60)", "(2**64)%(2**32)", "-(2**63)//-1",
]


def record(e):
    try:
        v = eval(e)
    except Exception as exc:
        return ["error: " + type(exc).__name__, None, None, None]
    text = repr(v) if isinstance(v, float) else str(v)
    number = isinstance(v, (int, float, bool)) or (PY2 and isinstance(v, long))  # noqa: F821
    return [text, sys.getsizeof(v), str(hash(v)) if number else None, isinstance(v, int)]


def measure():
    return dict((e, record(e)) for e in E)


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--all":
        out = {"command": "python3 tools/measure-bigint.py --all " + " ".join(sys.argv[2:]), "versions": {}}
        for py in sys.argv[2:]:
            res = subprocess.check_output([py, __file__]).decode("utf8")
            ver = subprocess.check_output([py, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"]).decode().strip()
            out["versions"][ver] = json.loads(res)
        sys.stdout.write(json.dumps(out, indent=1, sort_keys=True) + "\n")
        return
    sys.stdout.write(json.dumps(measure(), sort_keys=True))


if __name__ == "__main__":
    main()
