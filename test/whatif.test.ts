/** What-ifs beyond stock CPython (scenario option `whatIf`). */
import { describe, it, expect } from "vitest";
import { simulate } from "../src/sim/run.js";
import { parseScenario } from "../src/scenario.js";
import { loadModule } from "../src/node/load.js";
import { CowsimError } from "../src/errors.js";

const module = loadModule("debug");
const seed = (python: string, whatIf: string) => `python: "${python}"
${whatIf}
steps:
  - run: "import gc; gc.set_threshold(0)"
  - run: "L = list(range(200000))"
  - fork: child
  - snapshot: forked
  - run: "for i in L: pass"
    in: child
  - snapshot: after
`;
async function childDelta(text: string) {
  const r = await simulate(parseScenario(text, "w.yaml"), { module, variant: "debug" });
  const [a, b] = r.snapshots.map((s) => s.processes.find((p) => p.name === "child")!);
  return { pd: b.privateDirtyKiB - a.privateDirtyKiB, flt: b.minflt - a.minflt, report: r };
}

describe("what-ifs", () => {
  for (const v of ["2.7", "3.8", "3.11"]) {
    it(`${v}: immortalizing the heap before fork leaves the child's iteration almost free`, async () => {
      const stock = await childDelta(seed(v, ""));
      const cinder = await childDelta(seed(v, "whatIf: {immortalizeBeforeFork: true}"));
      expect(stock.pd).toBeGreaterThan(4000);
      expect(cinder.pd).toBeLessThan(stock.pd / 20);
      expect(cinder.report.whatIf).toEqual({ immortalizeBeforeFork: true });
    });
  }

  it("3.12-style immortal objects on 3.11: small ints and statics stop being written, other ints still are", async () => {
    const small = (w: string) => `python: "3.11"\n${w}\nsteps:\n  - run: "L = [i % 200 for i in range(200000)]"\n  - fork: child\n  - snapshot: a\n  - run: "for i in L: pass"\n    in: child\n  - snapshot: b\n`;
    const stock = await childDelta(small(""));
    const imm = await childDelta(small("whatIf: {immortalObjects: true}"));
    expect(imm.pd).toBeLessThanOrEqual(stock.pd);
    expect(imm.flt).toBeLessThan(stock.flt);
  });

  it("an unknown what-if is a one-line error", () => {
    expect(() => parseScenario(seed("3.11", "whatIf: {magic: true}"), "w.yaml")).toThrow(CowsimError);
  });
});
