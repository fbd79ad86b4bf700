/**
 * The mini-CPython against the real runs measured on this machine
 * (test/fixtures/real/<scenario>.<version>.json, made by src/real/measure.ts; each file records its command),
 * and its handling of bad input and simulated crashes.
 */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { simulate } from "../src/sim/run.js";
import { parseScenario, loadScenario } from "../src/scenario.js";
import { loadModule } from "../src/node/load.js";
import { CowsimError } from "../src/errors.js";
import { childDelta, realDelta } from "./helpers/deltas.js";

const module = loadModule("debug");
const run = (text: string, ramBytes?: number) =>
  simulate(parseScenario(text, "test.yaml"), { module, variant: "debug", ramBytes });

const within = (sim: number, real: number, floor: number) => Math.abs(sim - real) <= Math.max(0.03 * Math.abs(real), floor);

describe("the seed experiment and list scenarios against real runs (3%)", () => {
  const cases: [string, string[]][] = [
    ["seed-1m", ["2.7", "3.6", "3.8", "3.10", "3.11", "3.12", "3.13"]],
    ["list-str", ["3.11", "3.12", "2.7"]],
    ["list-float", ["3.11", "3.12", "2.7"]],
    ["list-tuple", ["3.11", "3.12", "2.7"]],
    ["list-bytes", ["3.11", "3.12"]],
    ["seed-1m-27", ["2.7"]],
  ];
  for (const [name, versions] of cases) {
    for (const v of versions) {
      it(`${name} on ${v}`, async () => {
        const real = realDelta(name, v);
        expect(real, `fixture test/fixtures/real/${name}.${v}.json`).not.toBeNull();
        const sc = loadScenario(`scenarios/${name}.yaml`);
        const r = await simulate({ ...sc, python: v as never }, { module, variant: "debug" });
        const sim = childDelta(r);
        expect(within(sim.pd, real!.pd, 0), `Private_Dirty: simulated ${sim.pd} KiB, real ${real!.pd} KiB`).toBe(true);
        expect(within(sim.flt, real!.flt, 0), `minflt: simulated ${sim.flt}, real ${real!.flt}`).toBe(true);
      });
    }
  }
});

describe("evaluation", () => {
  it("computes what Python computes", async () => {
    const r = await run(`python: "3.11"
steps:
  - run: |
      a = [x * 2 for x in range(10) if x % 3]
      b = {k: v for k, v in [(1, 'a'), (2, 'b')]}
      c = sum(a) + len(b) + max(a) - min(a)
      s = '%d-%s' % (c, 'x') + str(1.5) + 'ab' * 2
      t = (1, 2, 3)[1:] + (4,)
      d = sorted([3, 1, 2])
      e = 7 // 2 + 7 % 3 + 2 ** 10
      f = 1 if c > 10 and not None else 0
      i = 0
      while i < 5:
          i += 1
      L = list(range(5))
      del L[1:3]
      L[0] = 9
      ok = (a == [2, 4, 8, 10, 14, 16] and c == 70 and s == '70-x1.5abab' and t == (2, 3, 4) and d == [1, 2, 3]
            and e == 1028 and f == 1 and i == 5 and L == [9, 3, 4])
      if not ok:
          undefined_name
`);
    expect(r.snapshots).toEqual([]);
  });

  // Identities measured with the real interpreters (2.7.18, 3.6.15, 3.10.13, 3.11.7, 3.12.1):
  // a[2] is b[0], a[:] is a, a[1:1] is b[2:2], a[0:1] is a[0] everywhere; a[0:1:2] is a[0] on 2.7
  // only (3.x: the general slice case makes a new str); "\u0101\u0101"[0] is not [1] (not cached).
  for (const python of ["2.7", "3.6", "3.10", "3.11", "3.12", "3.13"]) {
    it(`${python}: s[i] and one-character slices are CPython's cached strs`, async () => {
      const py2 = python === "2.7";
      const r = await run(`python: "${python}"
steps:
  - run: |
      a = "xyz"
      b = "zyx"
      ok = a[2] is b[0] and a[:] is a and a[1:1] is b[2:2] and a[0:1] is a[0] and (a[0:1:2] is a[0]) == ${py2 ? "True" : "False"}
      ok = ok and a[0] == "x" and a[1:] == "yz" and a[::-1] == "zyx" and a[5:] == ""
      ${py2 ? "" : `c = "\\u0101\\u0101"
      ok = ok and not (c[0] is c[1]) and c[0] == c[1]`}
      if not ok:
          undefined_name
`);
      expect(r.snapshots).toEqual([]);
    });
  }

  // Measured on the nine interpreters: getsizeof(iter('abc')) and of iter(b'ab') are 64 on 2.7-3.7,
  // 48 on 3.8+ (32 + the GC head); list(b'ab') == [97, 98].
  for (const python of ["2.7", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13"]) {
    it(`${python}: iterating a str gives its characters (the cached ones), a str iterator of CPython's size`, async () => {
      const size = ["2.7", "3.6", "3.7"].includes(python) ? 64 : 48;
      const r = await run(`python: "${python}"
steps:
  - run: |
      import sys, gc
      s = "hello world"
      L = list(s)
      n = 0
      for c in s:
          n += 1
      ok = L[0] == "h" and len(L) == 11 and n == 11 and len(set(s)) == 8 and L[2] is L[3] and L[2] is s[3]
      ok = ok and list(enumerate(s))[1] == (1, "e") and sorted(s)[0] == " " and "".join(L) == s
      ok = ok and sys.getsizeof(iter(s)) == ${size}
      ${python === "2.7" ? "" : `ok = ok and list(b"ab") == [97, 98] and sys.getsizeof(iter(b"ab")) == ${size}`}
      if not ok:
          undefined_name
`);
      expect(r.snapshots).toEqual([]);
    });
  }

  // sys.getsizeof of split() results, measured on the nine interpreters (python -c, 2026-11-22):
  // 12 preallocated slots (PREALLOC_SIZE) up to 3.11, fewer for short strings from 3.12, list growth past 12.
  const SPLIT_SIZES: Record<string, number[]> = {
    "2.7": [168, 168, 168, 168, 168, 232, 168, 168, 168, 168, 384],
    "3.6": [168, 168, 168, 168, 168, 232, 168, 168, 168, 80, 384],
    "3.7": [168, 168, 168, 168, 168, 232, 168, 168, 168, 80, 384],
    "3.8": [152, 152, 152, 152, 152, 216, 152, 152, 152, 64, 368],
    "3.9": [152, 152, 152, 152, 152, 216, 152, 152, 152, 64, 344],
    "3.10": [152, 152, 152, 152, 152, 216, 152, 152, 152, 64, 344],
    "3.11": [152, 152, 152, 152, 152, 216, 152, 152, 152, 64, 344],
    "3.12": [72, 80, 88, 152, 152, 216, 72, 96, 96, 64, 344],
    "3.13": [72, 80, 88, 152, 152, 216, 72, 96, 96, 64, 344],
  };
  for (const [python, sizes] of Object.entries(SPLIT_SIZES)) {
    it(`${python}: str.split() and split(sep) make lists of CPython's sizes`, async () => {
      const r = await run(`python: "${python}"
steps:
  - run: |
      import sys
      sz = sys.getsizeof
      x = [sz(s.split()) for s in ['a', 'a b', 'a b c', ' '.join('x' * 11), ' '.join('x' * 12), ' '.join('x' * 13), '']]
      x = x + [sz('abc'.split(',')), sz('a,b'.split(',')), sz('ab'.split('abc')), sz(' '.join('x' * 30).split())]
      if x != ${JSON.stringify(sizes)}:
          undefined_name
      s = 'abc'
      ok = s.split()[0] is s and s.split(',')[0] is s and s.strip() is s and '  q '.strip() is 'q'[0]
      ok = ok and 'a,,b'.split(',') == ['a', '', 'b'] and ' x  yz '.split() == ['x', 'yz'] and 'k1--k2--'.split('--') == ['k1', 'k2', '']
      if not ok:
          undefined_name
`);
      expect(r.snapshots).toEqual([]);
    });
  }

  it("a process keeps its own namespace after fork", async () => {
    const r = await run(`python: "3.12"
steps:
  - run: "x = 1"
  - fork: child
  - run: "x = 2"
    in: child
  - run: "y = x"
  - run: "if y != 1: undefined_name"
  - run: "if x != 2: undefined_name"
    in: child
`);
    expect(r.snapshots).toEqual([]);
  });
});

describe("bad input is one line with the step, line and column", () => {
  const expectError = async (code: string, re: RegExp) => {
    const text = `python: "3.11"\nsteps:\n  - run: "x = 1"\n  - run: ${JSON.stringify(code)}\n`;
    let err: unknown;
    try { await run(text); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(CowsimError);
    expect((err as CowsimError).exitCode).toBe(2);
    expect((err as Error).message).not.toContain("\n");
    expect((err as Error).message).toMatch(re);
  };
  it("a NameError", () => expectError("y = 1\nz = undefined_thing", /test\.yaml: step 2: line 2, column 5: NameError: name 'undefined_thing' is not defined/));
  it("a TypeError", () => expectError("y = 1 + 'a'", /step 2: line 1, column 5: TypeError: unsupported operand/));
  it("a syntax error", () => expectError("y = (1,", /step 2: line 1, column \d+: SyntaxError/));
  it("a construct outside the subset", () => expectError("def f(): pass", /step 2: line 1, column 1: unsupported construct: 'def' statement/));
  it("an index out of range", () => expectError("L = [1]\nL[5]", /step 2: line 2, column 1: IndexError/));
  it("a size beyond 64 bits", () => expectError("x = [1] * 2 ** 70", /OverflowError: cannot fit 'int' into an index-sized integer/));
  it("an int too large for a float", () => expectError("x = float(10 ** 400)", /OverflowError: int too large to convert to float/));
});

describe("valid Python that cowsim does not model never reads as an error in the user's code", () => {
  // Each line runs without error on the real interpreters (src/profiles/python-names.ts, generated by
  // tools/measure-names.py from them, says the names and operators exist); cowsim must say "not modelled", not
  // NameError / AttributeError / TypeError.
  const expectMessage = async (python: string, code: string, re: RegExp) => {
    const text = `python: "${python}"\nsteps:\n  - run: ${JSON.stringify(code)}\n`;
    let err: unknown;
    try { await run(text); } catch (e) { err = e; }
    expect(err, code).toBeInstanceOf(CowsimError);
    expect((err as Error).message).toMatch(re);
  };
  const cases: [string, string, RegExp][] = [
    ["3.12", "print(1)", /step 1: line 1, column 1: not modelled by cowsim yet: the builtin 'print'$/],
    ["2.7", "x = list(map(str, [1]))", /not modelled by cowsim yet: the builtin 'map'$/],
    ["3.12", "s = 'a b'.partition(' ')", /not modelled by cowsim yet: str\.partition$/],
    ["3.8", "x = [1]\nx.copy()", /line 2, column 1: not modelled by cowsim yet: list\.copy$/],
    ["3.11", "import gc\nx = gc.get_objects()", /not modelled by cowsim yet: gc\.get_objects$/],
    ["3.13", "x = list(reversed('ab'))", /not modelled by cowsim yet: reversed\(\) on 'str'$/],
    ["3.13", "x = 'ab'.title()", /not modelled by cowsim yet: str\.title$/],
    ["3.12", "x = float('1.5')", /not modelled by cowsim yet: float\(\) on 'str'$/],
    ["3.12", "x = int('12', 16)", /not modelled by cowsim yet: int\(\) on 'str'$/],
    ["3.12", "x = str(b'a', 'ascii')", /not modelled by cowsim yet: str\(\) on 'bytes'$/],
    ["3.12", "S = {1}\nX = S | {2}", /line 2, column 5: not modelled by cowsim yet: 'set' \| 'set'$/],
    ["3.12", "X = {1: 2} | {3: 4}", /not modelled by cowsim yet: 'dict' \| 'dict'$/], // 3.9+
  ];
  for (const [python, code, re] of cases) it(`${python}: ${code.replace("\n", "; ")}`, () => expectMessage(python, code, re));

  // …and what CPython rejects is still the error CPython raises.
  const errors: [string, string, RegExp][] = [
    ["2.7", "x = [1]\nx.clear()", /AttributeError: 'list' object has no attribute 'clear'$/], // 3.3+ only
    ["3.12", "x = [1].nonexistent", /AttributeError: 'list' object has no attribute 'nonexistent'$/],
    ["3.12", "import gc\nx = gc.nonexistent", /AttributeError: module has no attribute 'nonexistent'$/],
    ["3.12", "x = len(5)", /TypeError: object of type 'int' has no len\(\)$/],
    ["2.7", "x = 5[0]", /TypeError: 'int' object has no attribute '__getitem__'$/],
    ["3.12", "x = 5[0]", /TypeError: 'int' object is not subscriptable$/],
    ["3.12", "x = float(1, 2)", /TypeError or not modelled by cowsim yet: float\(\) with these arguments/],
    ["2.7", "x = str(1, 2)", /TypeError or not modelled by cowsim yet: str\(\) with these arguments/],
    ["3.12", "x = undefined_thing", /NameError: name 'undefined_thing' is not defined$/],
    ["3.8", "X = {1: 2} | {3: 4}", /TypeError: unsupported operand type\(s\) for \|: 'dict' and 'dict'$/], // before 3.9
    ["3.12", "X = [1] - [2]", /TypeError: unsupported operand type\(s\) for -: 'list' and 'list'$/],
    // extra arguments were once ignored silently; a method's error names the method
    ["3.12", "import gc\ngc.disable(1)", /TypeError or not modelled by cowsim yet: gc\.disable\(\) with these arguments/],
    ["3.12", "x = [1].pop(0, 1)", /TypeError or not modelled by cowsim yet: pop\(\) with these arguments/],
    ["3.12", "x = {}.keys(1)", /TypeError or not modelled by cowsim yet: keys\(\) with these arguments/],
    ["3.12", "x = [2, 1]\nx.sort(1)", /TypeError or not modelled by cowsim yet: sort\(\) with these arguments/],
  ];
  for (const [python, code, re] of errors) it(`${python}: ${code.replace("\n", "; ")} is an error`, () => expectMessage(python, code, re));
});

describe("simulated crashes are results", () => {
  it("running out of simulated RAM is a MemoryError reported in the run, not a failure", async () => {
    const r = await run(`python: "3.11"
steps:
  - run: "L = list(range(1000000))"
  - snapshot: end
`, 16 * 1024 * 1024);
    expect(r.events?.[0]).toMatchObject({ step: 1, process: "main" });
    expect(r.events?.[0].result).toMatch(/^MemoryError/);
    expect(r.snapshots[0].processes).toEqual([]);
  });
});

describe("determinism", () => {
  it("the same scenario gives byte-identical JSON", async () => {
    const text = readFileSync("validation/dict-items.yaml", "utf8");
    const a = JSON.stringify(await run(text));
    const b = JSON.stringify(await run(text));
    expect(a).toBe(b);
  });
});
