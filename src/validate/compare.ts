/**
 * Comparing a real run with a simulated run of the same scenario.
 *
 * For every snapshot and every process (matched by name): each /proc figure of the report
 * (smaps_rollup sizes in KiB, minflt/majflt counts) real vs simulated, the error
 * (simulated − real) and the relative error ((simulated − real) / |real|, in %), both for the value
 * at the snapshot ("absolute") and for its change since the previous snapshot in which the same
 * process appeared on both sides ("change", null at the process's first snapshot).
 *
 * The **fidelity figure** of a run (what docs/fidelity.md tabulates) is defined here, once:
 *   - the subject is the last forked child: the process with the highest scenario pid other than
 *     main (pids number processes in fork order) that appears in at least two snapshots of both
 *     reports;
 *   - the figure is the change of its Private_Dirty (KiB) and of its minflt between the first and the
 *     last snapshot in which it appears (for the usual `snapshot forked` … `snapshot after` pair,
 *     exactly the change between those two);
 *   - it is within tolerance when |simulated − real| ≤ max(3 % of |real|, 512 KiB) for
 *     Private_Dirty and ≤ max(3 % of |real|, 128) for minflt.
 */
import { groupDigits, signed, table, type ProcessMeasure, type RunReport } from "../report.js";

export const FIELDS = [
  "rssKiB",
  "pssKiB",
  "ussKiB",
  "sharedCleanKiB",
  "sharedDirtyKiB",
  "privateCleanKiB",
  "privateDirtyKiB",
  "minflt",
  "majflt",
] as const;
export type Field = (typeof FIELDS)[number];

/** Short names for the text tables (the smaps_rollup / stat names). */
export const FIELD_LABELS: Record<Field, string> = {
  rssKiB: "Rss",
  pssKiB: "Pss",
  ussKiB: "USS",
  sharedCleanKiB: "Shared_Clean",
  sharedDirtyKiB: "Shared_Dirty",
  privateCleanKiB: "Private_Clean",
  privateDirtyKiB: "Private_Dirty",
  minflt: "minflt",
  majflt: "majflt",
};

/** Relative tolerance of the fidelity figure (3 %). */
export const TOLERANCE_RELATIVE = 0.03;
/** Absolute floor of the Private_Dirty tolerance, KiB. */
export const TOLERANCE_PD_KIB = 512;
/** Absolute floor of the minor-fault tolerance, faults. */
export const TOLERANCE_MINFLT = 128;

export interface FigureError {
  real: number;
  simulated: number;
  /** simulated − real */
  error: number;
  /** (simulated − real) / |real| × 100, rounded to 0.01; 0 when both are 0, null when only real is 0. */
  errorPct: number | null;
}

export type Figures = Record<Field, FigureError>;

export interface ProcessComparison {
  name: string;
  pid: number;
  absolute: Figures;
  /** Change since snapshot `since` (the previous one with this process on both sides); null at its first. */
  change: Figures | null;
  since: string | null;
}

export interface SnapshotComparison {
  label: string;
  processes: ProcessComparison[];
  /** Processes present on one side only (should not happen: both sides run the same scenario). */
  onlyReal: string[];
  onlySimulated: string[];
}

export interface ToleranceCheck extends FigureError {
  tolerance: number;
  within: boolean;
}

export interface Fidelity {
  /** The subject process (the last forked child measured twice). */
  process: string;
  pid: number;
  /** Labels of its first and last snapshot. */
  from: string;
  to: string;
  privateDirtyKiB: ToleranceCheck;
  minflt: ToleranceCheck;
  /** Both figures within tolerance. */
  within: boolean;
}

export interface Comparison {
  snapshots: SnapshotComparison[];
  /** null when no forked process appears in two snapshots. */
  fidelity: Fidelity | null;
}

function pct(real: number, simulated: number): number | null {
  if (real === 0) return simulated === 0 ? 0 : null;
  return Math.round(((simulated - real) / Math.abs(real)) * 10000) / 100;
}

export function figureError(real: number, simulated: number): FigureError {
  return { real, simulated, error: simulated - real, errorPct: pct(real, simulated) };
}

function figures(real: (f: Field) => number, sim: (f: Field) => number): Figures {
  const out = {} as Figures;
  for (const f of FIELDS) out[f] = figureError(real(f), sim(f));
  return out;
}

/** |error| ≤ max(relative × |real|, floor). */
export function checkTolerance(real: number, simulated: number, floor: number, relative = TOLERANCE_RELATIVE): ToleranceCheck {
  const tolerance = Math.max(relative * Math.abs(real), floor);
  const e = figureError(real, simulated);
  return { ...e, tolerance: Math.round(tolerance * 100) / 100, within: Math.abs(e.error) <= tolerance };
}

/** The process's measurements, in snapshot order, as (label, measure). */
function appearances(doc: RunReport, name: string): { label: string; m: ProcessMeasure }[] {
  const out: { label: string; m: ProcessMeasure }[] = [];
  for (const s of doc.snapshots) {
    const m = s.processes.find((p) => p.name === name);
    if (m) out.push({ label: s.label, m });
  }
  return out;
}

/** The fidelity figure of a pair of reports (see the file comment); null if there is no subject. */
export function fidelityOf(real: RunReport, simulated: RunReport): Fidelity | null {
  const pids = new Map<string, number>();
  for (const s of real.snapshots) for (const p of s.processes) if (p.pid !== 1 && p.name !== "main") pids.set(p.name, p.pid);
  const candidates = [...pids.entries()].sort((a, b) => b[1] - a[1]);
  for (const [name, pid] of candidates) {
    const r = appearances(real, name);
    const s = appearances(simulated, name);
    if (r.length < 2 || s.length < 2) continue;
    const [r0, r1] = [r[0], r[r.length - 1]];
    // the same interval on the simulated side (by label); fall back to its own first/last
    const s0 = s.find((x) => x.label === r0.label) ?? s[0];
    const s1 = s.find((x) => x.label === r1.label) ?? s[s.length - 1];
    const pd = checkTolerance(r1.m.privateDirtyKiB - r0.m.privateDirtyKiB, s1.m.privateDirtyKiB - s0.m.privateDirtyKiB, TOLERANCE_PD_KIB);
    const mf = checkTolerance(r1.m.minflt - r0.m.minflt, s1.m.minflt - s0.m.minflt, TOLERANCE_MINFLT);
    return { process: name, pid, from: r0.label, to: r1.label, privateDirtyKiB: pd, minflt: mf, within: pd.within && mf.within };
  }
  return null;
}

/** Compare two reports of the same scenario, snapshot by snapshot (matched by position and label). */
export function compareReports(real: RunReport, simulated: RunReport): Comparison {
  const snapshots: SnapshotComparison[] = [];
  const lastReal = new Map<string, { label: string; m: ProcessMeasure }>();
  const lastSim = new Map<string, { label: string; m: ProcessMeasure }>();
  const simByLabel = new Map(simulated.snapshots.map((s) => [s.label, s]));
  for (const rs of real.snapshots) {
    const ss = simByLabel.get(rs.label);
    const simProcs = ss?.processes ?? [];
    const processes: ProcessComparison[] = [];
    for (const rp of rs.processes) {
      const sp = simProcs.find((p) => p.name === rp.name);
      if (!sp) continue;
      const pr = lastReal.get(rp.name);
      const ps = lastSim.get(rp.name);
      const both = pr && ps && pr.label === ps.label ? { r: pr.m, s: ps.m, label: pr.label } : undefined;
      processes.push({
        name: rp.name,
        pid: rp.pid,
        absolute: figures((f) => rp[f], (f) => sp[f]),
        change: both ? figures((f) => rp[f] - both.r[f], (f) => sp[f] - both.s[f]) : null,
        since: both ? both.label : null,
      });
      lastReal.set(rp.name, { label: rs.label, m: rp });
      lastSim.set(rp.name, { label: rs.label, m: sp });
    }
    snapshots.push({
      label: rs.label,
      processes,
      onlyReal: rs.processes.filter((p) => !simProcs.some((q) => q.name === p.name)).map((p) => p.name),
      onlySimulated: simProcs.filter((p) => !rs.processes.some((q) => q.name === p.name)).map((p) => p.name),
    });
  }
  return { snapshots, fidelity: fidelityOf(real, simulated) };
}

export function formatPct(p: number | null): string {
  if (p === null) return "n/a";
  const s = p.toFixed(2);
  return (p > 0 ? "+" : "") + s + "%";
}

/** One line stating the fidelity figure and whether it is within tolerance. */
export function formatFidelityLine(f: Fidelity | null): string {
  if (!f) return "fidelity: no forked process appears in two snapshots";
  const part = (what: string, c: ToleranceCheck, unit: string) =>
    `${what} real ${signed(c.real)}${unit}, simulated ${signed(c.simulated)}${unit}, error ${signed(c.error)}${unit} (${formatPct(c.errorPct)}; tolerance ±${groupDigits(Math.floor(c.tolerance))}) ${c.within ? "ok" : "OFF"}`;
  return (
    `fidelity (${f.process}, ${f.from} → ${f.to}): ` +
    part("ΔPrivate_Dirty", f.privateDirtyKiB, " KiB") +
    "; " +
    part("Δminflt", f.minflt, "") +
    ` => ${f.within ? "within tolerance" : "OUT OF TOLERANCE"}`
  );
}

/**
 * Person-readable side-by-side tables: per snapshot, per process, one row per figure with the real
 * and simulated values, the error and the relative error, then the same for the change since the
 * process's previous snapshot.
 */
export function formatComparison(head: string, cmp: Comparison): string {
  const out: string[] = [head];
  for (const s of cmp.snapshots) {
    out.push("");
    out.push(`snapshot ${s.label}`);
    const header = ["Process", "Figure", "Real", "Simulated", "Error", "Error%", "ΔReal", "ΔSimulated", "ΔError", "ΔError%"];
    const rows: string[][] = [];
    for (const p of s.processes) {
      for (const f of FIELDS) {
        const a = p.absolute[f];
        const c = p.change?.[f];
        rows.push([
          `${p.name} (${p.pid})`,
          FIELD_LABELS[f],
          groupDigits(a.real),
          groupDigits(a.simulated),
          signed(a.error),
          formatPct(a.errorPct),
          c ? signed(c.real) : "new",
          c ? signed(c.simulated) : "new",
          c ? signed(c.error) : "",
          c ? formatPct(c.errorPct) : "",
        ]);
      }
    }
    if (rows.length === 0) out.push("  (no process on both sides)");
    else out.push(...table(header, rows, 2).map((l) => "  " + l));
    if (s.onlyReal.length) out.push(`  only in the real run: ${s.onlyReal.join(", ")}`);
    if (s.onlySimulated.length) out.push(`  only in the simulated run: ${s.onlySimulated.join(", ")}`);
  }
  out.push("");
  out.push(formatFidelityLine(cmp.fidelity));
  return out.join("\n") + "\n";
}
