/**
 * Generator expressions: what the compiler emits (a <genexpr> function called with its first
 * iterator; the body's CPython co_stacksize / co_nlocals against the real compilers,
 * test/fixtures/genexpr-code.json made by tools/measure-genexpr-code.py on the 9 interpreters),
 * what stays unsupported, and the evaluator running them: values, suspension across steps and
 * forks, generators dropped unfinished, errors inside a body, and nothing left behind.
 */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { CowsimError } from "../src/errors.js";
import { parse } from "../src/python/parser.js";
import { Compiler } from "../src/python/compiler.js";
import { Op, OP_NAMES, GEN_HEADER_WORDS } from "../src/python/bytecode.js";
import { debugMachine } from "./helpers/machine.js";
import { Interpreter, versionNumber } from "../src/sim/interpreter.js";
import type { PyVersion } from "../src/profiles/obmalloc.js";

const CODE = JSON.parse(readFileSync(new URL("./fixtures/genexpr-code.json", import.meta.url), "utf8")) as {
  versions: Record<string, Record<string, [number, number]>>;
};

const VERSIONS: PyVersion[] = ["2.7", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13"];

function compile(src: string, v: PyVersion = "3.11") {
  return Compiler.compile(parse(src), versionNumber(v));
}

function ops(code: Uint32Array, from = 0, to = code.length): string[] {
  return Array.from(code.slice(from, to), (w) => OP_NAMES[w & 0xff]);
}

function compileError(src: string, v: PyVersion = "3.11"): string {
  try {
    compile(src, v);
  } catch (e) {
    if (!(e instanceof CowsimError)) throw e;
    return e.message;
  }
  throw new Error("expected an error for " + JSON.stringify(src));
}

describe("the compiler", () => {
  it("a generator expression is a function called with its first iterator; its body follows the step", () => {
    const u = compile("s = sum(x for x in L)");
    const ret = ops(u.code).indexOf("RETURN");
    expect(ops(u.code, 0, ret + 1)).toEqual(["LOAD_NAME", "GEN_FUNC", "LOAD_NAME", "GET_ITER", "GEN_CALL", "CALL", "STORE_NAME", "RETURN"]);
    const hdr = u.code[4] >>> 8;
    expect(hdr).toBe(ret + 1);
    expect(u.code[hdr] & 0xff).toBe(Op.GEN_HEADER);
    expect(ops(u.code, hdr + GEN_HEADER_WORDS)).toEqual([
      "LOAD_FAST", "FOR_ITER", "STORE_FAST", "LOAD_FAST", "YIELD_VALUE", "JUMP", "GEN_RETURN",
    ]);
    // nlocals (.0, x), body length, co_stacksize, co_nlocals
    expect(Array.from(u.code.slice(hdr + 1, hdr + 5), (w) => w >>> 8)).toEqual([2, 12, 2, 2]);
    expect(u.nlocals).toBe(0); // the module frame has no fast locals of its own here
  });

  it("list(x for x in L) runs a generator (no list comprehension)", () => {
    for (const v of VERSIONS) {
      const names = ops(compile("a = list(x for x in L)", v).code);
      expect(names).toContain("GEN_CALL");
      expect(names).not.toContain("BUILD_LIST");
      expect(names).not.toContain("LIST_APPEND");
    }
  });

  it("nested generator expressions: the inner one's first iterable is evaluated in the outer body", () => {
    const u = compile("n = sum(sum(y for y in x) for x in L)");
    const headers = Array.from(u.code).flatMap((w, i) => ((w & 0xff) === Op.GEN_HEADER ? [i] : []));
    expect(headers).toHaveLength(2);
    const outer = ops(u.code, headers[0] + GEN_HEADER_WORDS, headers[1]);
    expect(outer).toContain("GEN_FUNC");
    expect(outer).toContain("GEN_CALL");
  });

  for (const v of VERSIONS) {
    it(`co_stacksize and co_nlocals of the <genexpr> code equal CPython ${v}'s`, () => {
      const forms = CODE.versions[v];
      expect(Object.keys(forms).length).toBeGreaterThan(10);
      for (const [src, real] of Object.entries(forms)) {
        const u = compile("g = " + src, v);
        const h = Array.from(u.code).findIndex((w) => (w & 0xff) === Op.GEN_HEADER);
        expect([u.code[h + 3] >>> 8, u.code[h + 4] >>> 8], src).toEqual(real);
      }
    });
  }

  it("a generator expression over a comprehension variable is a closure: reported, not modelled", () => {
    expect(compileError("x = [sum(v * k for v in L) for k in K]")).toBe(
      "line 1, column 14: unsupported construct: a generator expression using 'k' of an enclosing comprehension or generator expression (a closure)",
    );
    expect(compileError("x = sum(sum(v * k for v in L) for k in K)")).toMatch(/using 'k' .*\(a closure\)/);
    // 2.7's list comprehension runs in the module scope: k is a global there, no closure.
    expect(() => compile("x = [sum(v * k for v in L) for k in K]", "2.7")).not.toThrow();
    // The first iterable is evaluated outside: no closure.
    expect(() => compile("x = [sum(v for v in row) for row in M]")).not.toThrow();
  });

  it("generator functions stay outside the subset, with a clear message", () => {
    expect(compileError("def g():\n    yield 1")).toBe("line 1, column 1: unsupported construct: 'def' statement");
    expect(compileError("x = yield 1")).toBe("line 1, column 5: unsupported construct: 'yield' expression");
    expect(compileError("x = (yield)")).toMatch(/'yield' expression/);
  });
});

async function interpreter(v: PyVersion) {
  const m = await debugMachine(v);
  const it = new Interpreter(m, {});
  const pid = it.startProcess();
  return { m, it, pid };
}

/** A statement that raises NameError unless `cond` holds (the step then fails with its text). */
const check = (cond: string) => `if not (${cond}):\n    check_failed_${cond.replace(/\W+/g, "_")}`;

describe("evaluation", () => {
  for (const v of VERSIONS) {
    it(`computes what Python computes, and leaves nothing behind (${v})`, async () => {
      const { m, it, pid } = await interpreter(v);
      it.run(pid, "import sys, gc\nL = list(range(100))\nr0 = sys.getrefcount(L)");
      it.run(pid, [
        "s = sum(x for x in L)",
        "m = max(x % 7 for x in L)",
        "n = min(x * 2 for x in L if x > 10)",
        "a = list(x for x in L)",
        "t = tuple(x for x in L if x < 3)",
        "b = set(x % 3 for x in L)",
        "d = dict((x, x * x) for x in L)",
        "o = sorted((-x for x in L))",
        "q = any(x > 50 for x in L)",
        "w = all(x < 50 for x in L)",
        "k = sum(sum(y for y in range(x)) for x in L)",
        "p = sum(x + y for x in range(3) for y in range(4) if y)",
        "j = '-'.join(str(x) for x in range(4))",
        "u = sum(len([y for y in range(x)]) for x in range(5))",
        "z = 0",
        "for y in (x * 2 for x in L if x % 2):",
        "    z += y",
        check("s == 4950 and m == 6 and n == 22 and a == L and t == (0, 1, 2) and len(b) == 3"),
        check("d[9] == 81 and len(d) == 100 and o[0] == -99 and q and not w and k == 161700 and p == 27"),
        check("j == '0-1-2-3' and u == 10 and z == 5000"),
      ].join("\n"));
      it.run(pid, check("sys.getrefcount(L) == r0"));
      expect(m.raw().generatorStates()).toBe(0);
      expect(m.checkInvariants()).toBeNull();
    });

    it(`a generator lives across steps and forks; each process resumes its own copy (${v})`, async () => {
      const { m, it, pid } = await interpreter(v);
      it.run(pid, [
        "import sys, gc",
        "L = list(range(100))",
        "r0 = sys.getrefcount(L)",
        "c = 1000",
        "g = (x * 3 + c for x in L if x % 2)",
        "h = (x for x in L)",
        "k = (x for x in L)",
        "for y in h:",
        "    if y == 9:",
        "        break",
      ].join("\n"));
      const child = m.fork(pid);
      it.run(child, ["t = sum(g)", "u = sum(h)", "del k", check("t == 7500 + 50 * 1000 and u == 4950 - 45")].join("\n"));
      // The parent's generators are where the fork left them.
      it.run(pid, "t = 0\nfor z in g:\n    t += z\n" + check("t == 7500 + 50 * 1000") + "\nu = sum(h)\n" + check("u == 4950 - 45"));
      it.run(pid, "gc.collect()\n" + check("sum(k) == 4950"));
      it.run(pid, "del g, h, k\n" + check("sys.getrefcount(L) == r0"));
      it.run(child, "del g, h\n" + check("sys.getrefcount(L) == r0"));
      expect(m.raw().generatorStates()).toBe(0);
      expect(m.checkInvariants()).toBeNull();
    });

    it(`a generator dropped unfinished is closed: its frame, iterator and function are released (${v})`, async () => {
      const { m, it, pid } = await interpreter(v);
      it.run(pid, "import sys\nL = list(range(100))\nr0 = sys.getrefcount(L)");
      it.run(pid, [
        "g = (x for x in L)",
        "del g",
        "q = any(x > 5 for x in L)",
        "w = (x for x in L)",
        "for y in w:",
        "    break",
        "w = (x for x in L)",
        "v = [(x for x in L), (y for y in L)]",
        "del v",
        check("sys.getrefcount(L) == r0 + 1"),
        "del w",
        check("sys.getrefcount(L) == r0"),
      ].join("\n"));
      expect(m.raw().generatorStates()).toBe(0);
      expect(m.checkInvariants()).toBeNull();
    });

    it(`a process that exits takes its generators' states with it (${v})`, async () => {
      const { m, it, pid } = await interpreter(v);
      it.run(pid, "L = list(range(10))\ng = (x for x in L)\nh = (x for x in g)");
      const child = m.fork(pid);
      expect(m.raw().generatorStates()).toBe(4);
      m.exit(child);
      expect(m.raw().generatorStates()).toBe(2);
      it.run(pid, "del h, g");
      expect(m.raw().generatorStates()).toBe(0);
    });
  }

  it("sys.getsizeof of a generator (3.11+: with its frame's slots)", async () => {
    for (const [v, sizes] of [["3.10", [104, 104]], ["3.11", [200, 216]], ["3.12", [192, 208]]] as const) {
      const { it, pid } = await interpreter(v);
      it.run(pid, `import sys\nL = []\n${check(`sys.getsizeof(x for x in L) == ${sizes[0]} and sys.getsizeof(len(x) for x in L) == ${sizes[1]}`)}`);
    }
  });
});

describe("errors", () => {
  const expectError = async (v: PyVersion, steps: string[], re: RegExp) => {
    const { it, pid } = await interpreter(v);
    let err: unknown;
    try {
      for (const s of steps) it.run(pid, s);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CowsimError);
    expect((err as Error).message).toMatch(re);
  };

  it("an exception inside the body names the place in the generator expression", () =>
    expectError("3.11", ["L = [1, 0]\ns = 0\ns = sum(10 // x for x in L)"], /line 3, column 9: ZeroDivisionError/));

  it("a generator made by an earlier step names the instruction that resumed it", () =>
    expectError("3.8", ["L = [1, 0]\ng = (10 // x for x in L)", "y = 1\ns = sum(g)"], /line 2, column 5: ZeroDivisionError/));

  it("a generator resumed from its own body", () =>
    expectError("3.12", ["L = [1]\ng = (sum(g) for x in L)\na = list(g)"], /ValueError: generator already executing/));

  it("len() of a generator", () => expectError("2.7", ["n = len(x for x in [1])"], /TypeError: object of type 'generator' has no len\(\)/));

  it("dict() of items that are not pairs", () =>
    expectError("3.13", ["d = dict((x, x, x) for x in [1])"], /ValueError: dictionary update sequence element #0 has length 3; 2 is required/));
});
