/**
 * The evaluator's bulk paths must leave the machine exactly as the
 * step-by-step evaluation does: the same /proc figures for every process and
 * the same bytes in every present page (Machine.digestMemory).
 */
import { describe, it, expect } from "vitest";
import { debugMachine } from "./helpers/machine.js";
import { Interpreter } from "../src/sim/interpreter.js";
import type { PyVersion } from "../src/profiles/obmalloc.js";

interface Case { name: string; parent: string; child: string[]; parentAfter?: string[] }

const CASES: Case[] = [
  {
    name: "ints (small ones immortal on 3.12+), the name first bound to a list that dies",
    parent: "import gc\nx = [1, 2]\nL = list(range(-20, 40000))",
    child: ["for x in L: pass", "y = x", "for x in L: pass"],
  },
  {
    name: "repeated items (insertdict skips an unchanged value on 3.8+)",
    parent: "import gc\na = 'p' * 3\nb = 7.5\nL = [a] * 3000 + [b] * 3000 + [a, b] * 2000 + list(range(5000))",
    child: ["for v in L: pass", "w = v"],
  },
  {
    name: "containers among the items, globals without containers (MAINTAIN_TRACKING)",
    parent: "k = 3",
    child: ["for t in [1, 2, 3, 4, 5, 6] * 500 + [(1, [2])] + [7, 8, 9] * 100: pass"],
  },
  {
    name: "pages a bulk loop copied without their bytes, written for real afterwards on both sides",
    parent: "import gc\nL = list(range(1000, 60000))",
    child: ["for x in L: pass", "n = 0\nfor x in L:\n    n += x"],
    parentAfter: ["for x in L: pass", "m = 0\nfor x in L:\n    m += x", "del L"],
  },
  {
    name: "a short list, a list of lists, a loop run twice",
    parent: "import gc\nS = [1000, 2000]\nLL = [[i] for i in range(3000)]",
    child: ["for s in S: pass", "for e in LL: pass", "for e in LL: pass", "del e"],
  },
];

async function runCase(version: PyVersion, c: Case, bulk: boolean) {
  const m = await debugMachine(version);
  m.setBulkLoops(bulk);
  const it = new Interpreter(m, {});
  const parent = it.startProcess();
  it.run(parent, c.parent);
  const child = m.fork(parent);
  for (const src of c.child) it.run(child, src);
  for (const src of c.parentAfter ?? []) it.run(parent, src);
  const out = {
    parent: m.smapsRollup(parent), child: m.smapsRollup(child),
    parentDigest: m.digestMemory(parent), childDigest: m.digestMemory(child),
    invariants: m.checkInvariants(),
  };
  return out;
}

describe("bulk loops leave the machine as step-by-step evaluation does", () => {
  for (const version of ["2.7", "3.6", "3.8", "3.11", "3.12", "3.13"] as PyVersion[]) {
    for (const c of CASES) {
      it(`${c.name} on ${version}`, async () => {
        const step = await runCase(version, c, false);
        const bulk = await runCase(version, c, true);
        expect(bulk.invariants).toBeNull();
        expect(bulk).toEqual(step);
      });
    }
  }
});
