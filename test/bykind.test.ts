/**
 * `cowsim run --by-kind`: each process's memory split by where the simulated interpreter keeps it
 * (Machine.memoryByKind). The kinds must add up to the process's smaps_rollup figures, and say what
 * the model does: a 3.x child's copies of a list of ints are in pymalloc's arenas, 2.7's in the malloc
 * heap (2.7 ints live in malloc'ed blocks of their own free list: docs/cpython/objects.md).
 */
import { describe, it, expect } from "vitest";
import { simulate } from "../src/sim/run.js";
import { parseScenario } from "../src/scenario.js";
import { loadModule } from "../src/node/load.js";
import { runReportSchema } from "../src/report-schema.js";
import { MEMORY_KINDS, type ProcessMeasure } from "../src/report.js";

const module = loadModule("debug");
const SCENARIO = (python: string) => `python: "${python}"
steps:
  - run: |
      import gc
      gc.set_threshold(0)
      from multiprocessing.sharedctypes import RawArray
      L = list(range(300000))
      S = RawArray('d', 100000)
  - fork: child
  - snapshot: forked
  - run: |
      for i in L: pass
      S[5] = 1.0
    in: child
  - snapshot: after
`;

const sum = (p: ProcessMeasure, k: "rssKiB" | "privateDirtyKiB" | "sharedDirtyKiB" | "sharedCleanKiB" | "privateCleanKiB") =>
  MEMORY_KINDS.reduce((a, kind) => a + p.byKind![kind][k], 0);

describe("--by-kind", () => {
  for (const python of ["2.7", "3.8", "3.12"]) {
    it(`adds up to each process's figures, and places a child's copies (${python})`, async () => {
      const r = await simulate(parseScenario(SCENARIO(python), "k.yaml"), { module, variant: "debug", byKind: true });
      expect(runReportSchema.safeParse(r).success).toBe(true);
      for (const snap of r.snapshots) {
        for (const p of snap.processes) {
          expect(sum(p, "rssKiB")).toBe(p.rssKiB);
          expect(sum(p, "privateDirtyKiB")).toBe(p.privateDirtyKiB);
          expect(sum(p, "sharedDirtyKiB")).toBe(p.sharedDirtyKiB);
          expect(sum(p, "sharedCleanKiB") + sum(p, "privateCleanKiB")).toBe(p.sharedCleanKiB + p.privateCleanKiB);
          // The RawArray's 800 KB is shared memory: the parent zeroed it (all resident); fork maps none
          // of it in the child (a shared mapping's pages are faulted in), which then writes one page.
          if (p.name === "main") expect(p.byKind!.sharedMemory.rssKiB).toBeGreaterThan(700);
          else expect(p.byKind!.sharedMemory.rssKiB).toBe(snap.label === "after" ? 4 : 0);
        }
      }
      const before = r.snapshots[0].processes.find((p) => p.name === "child")!.byKind!;
      const after = r.snapshots[1].processes.find((p) => p.name === "child")!.byKind!;
      const grew = (k: keyof typeof after) => after[k].privateDirtyKiB - before[k].privateDirtyKiB;
      // 300,000 ints: ~9.6 MB of 32-byte ints (3.x) or ~7.2 MB of 24-byte ones (2.7), copied by the loop's increfs.
      if (python === "2.7") expect(grew("mallocHeap")).toBeGreaterThan(6500);
      else expect(grew("pymallocArenas")).toBeGreaterThan(8500);
      // The list's item array (2.4 MB, a glibc mmapped chunk) is only read.
      expect(after.mallocMmap.rssKiB).toBeGreaterThan(2300);
      expect(grew("mallocMmap")).toBe(0);
    });
  }

  it("is left out of the report unless asked for", async () => {
    const r = await simulate(parseScenario(SCENARIO("3.12"), "k.yaml"), { module, variant: "debug" });
    expect(r.snapshots[0].processes.every((p) => p.byKind === undefined)).toBe(true);
  });
});
