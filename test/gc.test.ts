/**
 * Issue 5: CPython's cyclic GC on the simulated heap, judged against real runs measured on this
 * machine (test/fixtures/gc/gc-checks.json, with the command that produced them): the forked
 * child's Private_Dirty change within max(3%, 512 KiB) and its minflt change within max(3%, 128).
 */
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadScenario, type PythonProfile } from "../src/scenario.js";
import { simulate } from "../src/sim/run.js";
import { loadModule } from "../src/node/load.js";
import type { RunReport } from "../src/report.js";

interface Figures { privateDirtyKiB: number; minflt: number }
const FIX = JSON.parse(readFileSync(new URL("./fixtures/gc/gc-checks.json", import.meta.url), "utf8")) as {
  checks: Record<string, Record<string, Figures>>;
  startup: { byVersion: Record<string, { objects: number; childCollect: Figures }> };
};

function childDelta(r: RunReport): Figures {
  const s = r.snapshots;
  const a = s[0].processes.find((p) => p.name === "child")!;
  const b = s[s.length - 1].processes.find((p) => p.name === "child")!;
  return { privateDirtyKiB: b.privateDirtyKiB - a.privateDirtyKiB, minflt: b.minflt - a.minflt };
}

async function simChild(file: string, python: string): Promise<Figures> {
  const sc = { ...loadScenario(file), python: python as PythonProfile };
  // The release build: a million-object collection is a long loop in the debug build.
  return childDelta(await simulate(sc, { module: loadModule("release"), variant: "release" }));
}

function expectWithin(sim: Figures, real: Figures): void {
  const tolPd = Math.max(512, 0.03 * Math.abs(real.privateDirtyKiB));
  const tolMf = Math.max(128, 0.03 * Math.abs(real.minflt));
  expect(Math.abs(sim.privateDirtyKiB - real.privateDirtyKiB), `Private_Dirty ${sim.privateDirtyKiB} vs ${real.privateDirtyKiB}`).toBeLessThanOrEqual(tolPd);
  expect(Math.abs(sim.minflt - real.minflt), `minflt ${sim.minflt} vs ${real.minflt}`).toBeLessThanOrEqual(tolMf);
}

describe("issue 5 checks: GC in a forked child, real vs simulated", () => {
  for (const [name, byVersion] of Object.entries(FIX.checks)) {
    for (const [v, real] of Object.entries(byVersion)) {
      it(`${name} on ${v}`, async () => {
        expectWithin(await simChild(`validation/${name}.yaml`, v), real);
      }, 120_000);
    }
  }
});

describe("start-up heap: gc.collect() in the child of a nearly empty program", () => {
  for (const [v, f] of Object.entries(FIX.startup.byVersion)) {
    it(`${v}: ${f.objects} tracked objects at start-up`, async () => {
      expectWithin(await simChild("validation/gc-startup-collect.yaml", v), f.childCollect);
    }, 60_000);
  }
});

describe("freeze saves what a collection in the child writes", () => {
  it("gc.freeze() before the fork: the child's gc.collect() copies almost nothing", async () => {
    const frozen = await simChild("validation/gc-tuples-freeze-collect.yaml", "3.12");
    const plain = await simChild("validation/gc-tuples-collect.yaml", "3.12");
    expect(frozen.privateDirtyKiB).toBeLessThan(512);
    expect(plain.privateDirtyKiB).toBeGreaterThan(40_000);
  }, 120_000);
});
