/**
 * Ints beyond 64 bits: every expression of test/fixtures/bigint.json (made by tools/measure-bigint.py on the
 * nine interpreters; the command is in the file) evaluated in the simulator gives the real interpreter's
 * printed value, sys.getsizeof, hash() and isinstance(v, int) (a 2.7 long is not an int). Set iteration
 * orders check that big int keys land in CPython's slots.
 */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { debugMachine } from "./helpers/machine.js";
import { Interpreter } from "../src/sim/interpreter.js";
import { simulate } from "../src/sim/run.js";
import { parseScenario } from "../src/scenario.js";
import { loadModule } from "../src/node/load.js";
import type { PyVersion } from "../src/profiles/obmalloc.js";
import { parse } from "../src/python/parser.js";
import { Compiler } from "../src/python/compiler.js";
import { versionNumber } from "../src/sim/interpreter.js";

type Rec = [string, number | null, string | null, boolean | null];
const FIXTURE = JSON.parse(readFileSync(new URL("./fixtures/bigint.json", import.meta.url), "utf8")) as {
  command: string;
  versions: Record<string, Record<string, Rec>>;
};

function expected(r: Rec): string {
  if (r[1] === null) return r[0];
  return `${r[0]}|${r[1]}|${r[2] === null ? "None" : r[2]}|${r[3] ? "True" : "False"}`;
}

async function evaluate(version: PyVersion, exprs: string[]): Promise<Record<string, string>> {
  const m = await debugMachine(version);
  const interp = new Interpreter(m);
  const pid = interp.startProcess();
  interp.run(pid, "import sys");
  const x = m.raw();
  const out: Record<string, string> = {};
  for (const e of exprs) {
    try {
      interp.run(pid, `v = ${e}\nr = '%s|%d|%s|%s' % (str(v), sys.getsizeof(v), 'None' if isinstance(v, str) else str(hash(v)), isinstance(v, int))\ndel v`);
    } catch (err) {
      out[e] = `error: ${(err as Error).message}`;
      continue;
    }
    const name = new TextEncoder().encode("r");
    const p = x.hostAlloc(8);
    new Uint8Array(x.memory.buffer, p, 1).set(name);
    const n = x.makeConst(pid, 7, 0n, 0, p, 1);
    x.hostFree(p, 8);
    const len = x.strText(pid, x.globalsLookup(pid, n));
    out[e] = new TextDecoder().decode(new Uint8Array(x.memory.buffer, x.textBufPtr(), len));
    x.releaseObject(pid, n);
  }
  return out;
}

describe("int arithmetic beyond 64 bits prints what the real interpreter prints (test/fixtures/bigint.json)", () => {
  for (const version of Object.keys(FIXTURE.versions).sort() as PyVersion[]) {
    it(`CPython ${version}`, async () => {
      const real = FIXTURE.versions[version];
      const exprs = Object.keys(real);
      expect(exprs.length).toBeGreaterThan(150);
      const sim = await evaluate(version, exprs);
      const diffs = exprs.filter((e) => sim[e] !== expected(real[e])).map((e) => `${e}: real ${expected(real[e])}, simulated ${sim[e]}`);
      expect(diffs).toEqual([]);
    }, 120_000);
  }
});

describe("the compiler folds int constants as each version's optimiser", () => {
  const consts = (src: string, v: PyVersion) =>
    Compiler.compile(parse(src), versionNumber(v)).consts.filter((c) => c.kind === "int").map((c) => (c.kind === "int" ? `${c.value}${c.long ? "L" : ""}` : ""));
  it("2.7 folds 2**70 into a long constant; 3.x leaves it to long_pow (safe_power: 2 bits > 128 / 70)", () => {
    expect(consts("x = 2**70 + 1", "2.7")).toEqual([`${2n ** 70n + 1n}L`]);
    for (const v of ["3.6", "3.8", "3.11", "3.12"] as PyVersion[]) expect(consts("x = 2**70 + 1", v)).toEqual(["2", "70", "1"]);
  });
  it("2**64, 10**20 and 2**63*3 are folded everywhere (as CPython's co_consts show); 2.7 keeps 2**63-1 a long", () => {
    for (const v of ["2.7", "3.6", "3.8", "3.13"] as PyVersion[]) {
      const L = v === "2.7" ? "L" : "";
      expect(consts("a = 2**64\nb = 10**20\nc = 2**63*3", v)).toEqual([`${2n ** 64n}${L}`, `${10n ** 20n}${L}`, `${3n * 2n ** 63n}${L}`]);
    }
    expect(consts("a = 2**63 - 1", "2.7")).toEqual([`${2n ** 63n - 1n}L`]);
    expect(consts("a = 2**62 + 1", "2.7")).toEqual([`${2n ** 62n + 1n}`]);
  });
  it("3.x refuses products beyond 128 bits and leaves errors to run time", () => {
    expect(consts("x = (2**64) * (2**64)", "3.11")).toEqual([`${2n ** 64n}`]); // co_consts: (18446744073709551616, None)
    expect(consts("x = 1 // 0", "3.11")).toEqual(["1", "0"]);
  });
});

describe("what is not modelled says so", () => {
  const module = loadModule("debug");
  const run = (code: string, python = "3.11") =>
    simulate(parseScenario(`python: "${python}"\nsteps:\n  - run: ${JSON.stringify(code)}\n`, "t.yaml"), { module, variant: "debug" });
  it("bitwise operators on ints beyond 64 bits", async () => {
    await expect(run("x = (2**70) & 1")).rejects.toThrow(/not modelled by cowsim yet: an int operation on values beyond 64 bits/);
  });
  it("a power with an exponent beyond 60 bits (3.11+)", async () => {
    await expect(run("x = 2 ** (2**61)")).rejects.toThrow(/not modelled by cowsim yet/);
  });
  it("str() of more than 4300 digits is the real ValueError (3.7+)", async () => {
    await expect(run("x = str(10**5000)", "3.8")).rejects.toThrow(/ValueError: Exceeds the limit \(4300 digits\)/);
  });
});
