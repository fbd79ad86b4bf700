import { existsSync, readFileSync } from "node:fs";
import type { RunReport } from "../../src/report.js";

/** The last forked child's change between the first and last snapshot it appears in. */
export function childDelta(r: RunReport): { pd: number; flt: number } {
  const name = r.snapshots[0].processes.filter((p) => p.name !== "main").pop()!.name;
  const seen = r.snapshots.map((s) => s.processes.find((p) => p.name === name)).filter((p) => p !== undefined);
  const a = seen[0]!, b = seen[seen.length - 1]!;
  return { pd: b.privateDirtyKiB - a.privateDirtyKiB, flt: b.minflt - a.minflt };
}

/**
 * The median run's childDelta in test/fixtures/real/<scenario>.<version>.json (made by
 * src/real/measure.ts --fixture; each file records its command), or null without that file.
 */
export function realDelta(scenario: string, version: string): { pd: number; flt: number } | null {
  const f = new URL(`../fixtures/real/${scenario}.${version}.json`, import.meta.url);
  if (!existsSync(f)) return null;
  const fx = JSON.parse(readFileSync(f, "utf8"));
  const ds = fx.runs.map((r: { report: RunReport }) => childDelta(r.report));
  ds.sort((a: { pd: number }, b: { pd: number }) => a.pd - b.pd);
  return ds[Math.floor(ds.length / 2)];
}
