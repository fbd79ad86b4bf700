/**
 * The report of a run (simulated or real): one measurement of every live process per snapshot.
 *
 * Sizes are KiB integers with the meaning of the same-named lines of /proc/PID/smaps_rollup
 * (Rss, Pss, Shared_Clean, Shared_Dirty, Private_Clean, Private_Dirty); USS = Private_Clean +
 * Private_Dirty. minflt/majflt are the cumulative fault counters of /proc/PID/stat (fields 10 and 12).
 * `pid` is the process's number in the scenario (main = 1, then 2, 3 … in fork order), not an OS pid,
 * so that reports are deterministic.
 */

/** The figures of one process: smaps_rollup sizes (KiB) and /proc/PID/stat fault counts. */
export interface MemoryFigures {
  rssKiB: number;
  pssKiB: number;
  sharedCleanKiB: number;
  sharedDirtyKiB: number;
  privateCleanKiB: number;
  privateDirtyKiB: number;
  ussKiB: number;
  minflt: number;
  majflt: number;
}

/**
 * Where a process's memory is, by what the simulated interpreter keeps there (`cowsim run --by-kind`;
 * simulation only: /proc cannot tell arenas from other anonymous memory): pymalloc's arenas (small
 * objects), glibc's brk heap, glibc's mmapped chunks and other anonymous memory (big lists' item
 * arrays, big dicts' tables), memory shared between processes, the interpreter's own static data.
 * Each page once, as smaps_rollup counts it; the kinds' figures add up to the process's.
 */
export type MemoryKind = "pymallocArenas" | "mallocHeap" | "mallocMmap" | "sharedMemory" | "interpreterData";
export const MEMORY_KINDS: readonly MemoryKind[] = ["pymallocArenas", "mallocHeap", "mallocMmap", "sharedMemory", "interpreterData"];
export const MEMORY_KIND_LABELS: Record<MemoryKind, string> = {
  pymallocArenas: "pymalloc arenas", mallocHeap: "malloc heap", mallocMmap: "malloc mmap, other",
  sharedMemory: "shared memory", interpreterData: "interpreter data",
};
export interface KindFigures {
  rssKiB: number; pssKiB: number; sharedCleanKiB: number; sharedDirtyKiB: number; privateCleanKiB: number; privateDirtyKiB: number;
}

export interface ProcessMeasure extends MemoryFigures {
  name: string;
  pid: number;
  /** With --by-kind: the same figures split by where the memory is. */
  byKind?: Record<MemoryKind, KindFigures>;
}

export interface SnapshotReport {
  label: string;
  processes: ProcessMeasure[];
}

/** Something a step ended with that is a result, not an error: a simulated MemoryError or a killed process. */
export interface RunEvent {
  /** 1-based step index. */
  step: number;
  process: string;
  result: string;
}

export interface RunReport {
  name: string;
  python: string;
  pageSize: number;
  snapshots: SnapshotReport[];
  /** Present when a step ended in a simulated MemoryError or the process was killed. */
  events?: RunEvent[];
  /** The scenario's what-ifs (simulation only). */
  whatIf?: { immortalObjects?: boolean; immortalizeBeforeFork?: boolean };
}

/** Group digits by thousands with "," (locale-independent, so output is deterministic). */
export function groupDigits(n: number): string {
  const s = String(Math.abs(Math.trunc(n)));
  const grouped = s.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return (n < 0 ? "-" : "") + grouped;
}

/** A signed figure with grouped digits ("+1,024", "-8", "0"). */
export function signed(n: number): string {
  return n > 0 ? "+" + groupDigits(n) : n < 0 ? groupDigits(n) : "0";
}

/** The change of one process between two of its measurements. */
export interface ProcessDelta {
  ussKiB: number;
  pssKiB: number;
  rssKiB: number;
  privateDirtyKiB: number;
  minflt: number;
  majflt: number;
}

export function delta(before: ProcessMeasure, after: ProcessMeasure): ProcessDelta {
  return {
    ussKiB: after.ussKiB - before.ussKiB,
    pssKiB: after.pssKiB - before.pssKiB,
    rssKiB: after.rssKiB - before.rssKiB,
    privateDirtyKiB: after.privateDirtyKiB - before.privateDirtyKiB,
    minflt: after.minflt - before.minflt,
    majflt: after.majflt - before.majflt,
  };
}

/** Aligned text columns: the first `leftCols` left-aligned, the rest right-aligned. */
export function table(header: string[], rows: string[][], leftCols: number): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r: string[]) =>
    r
      .map((c, i) => (i < leftCols ? c.padEnd(widths[i]) : c.padStart(widths[i])))
      .join("  ")
      .trimEnd();
  return [fmt(header), ...rows.map(fmt)];
}

/**
 * A person-readable rendering in smem's spirit: one table per snapshot, sizes in KiB.
 * Shared = Shared_Clean + Shared_Dirty; PrivDirty = Private_Dirty; the Δ columns are the change since
 * the previous snapshot in which the same process appeared ("new" if none).
 */
/** --by-kind: each process's memory by where it is, with the change since its previous snapshot. */
function kindTable(processes: ProcessMeasure[], last: Map<string, ProcessMeasure>): string[] {
  const header = ["Name", "Where", "RSS", "PSS", "Shared", "PrivDirty", "ΔRSS", "ΔPrivDirty"];
  const rows: string[][] = [];
  for (const p of processes) {
    if (!p.byKind) continue;
    const prev = last.get(p.name)?.byKind;
    for (const k of MEMORY_KINDS) {
      const f = p.byKind[k], q = prev?.[k];
      if (f.rssKiB === 0 && (!q || q.rssKiB === 0)) continue;
      rows.push([
        p.name, MEMORY_KIND_LABELS[k], groupDigits(f.rssKiB), groupDigits(f.pssKiB),
        groupDigits(f.sharedCleanKiB + f.sharedDirtyKiB), groupDigits(f.privateDirtyKiB),
        q ? signed(f.rssKiB - q.rssKiB) : "new", q ? signed(f.privateDirtyKiB - q.privateDirtyKiB) : "new",
      ]);
    }
  }
  return rows.length ? ["", "  where it is (simulated: pymalloc arenas, glibc heap and mappings, …)", ...table(header, rows, 2).map((l) => "  " + l)] : [];
}

export function formatReport(doc: RunReport): string {
  const out: string[] = [];
  out.push(`${doc.name}: CPython ${doc.python}, page size ${groupDigits(doc.pageSize)} B; sizes in KiB`);
  const ifs = Object.entries(doc.whatIf ?? {}).filter(([, v]) => v).map(([k]) => k);
  if (ifs.length) out.push(`what-if: ${ifs.join(", ")} (not stock CPython)`);
  const last = new Map<string, ProcessMeasure>();
  for (const snap of doc.snapshots) {
    out.push("");
    out.push(`snapshot ${snap.label}`);
    const header = ["Name", "PID", "USS", "PSS", "RSS", "Shared", "PrivDirty", "minflt", "ΔUSS", "ΔPSS", "ΔPrivDirty", "Δminflt"];
    const rows: string[][] = [];
    for (const p of snap.processes) {
      const prev = last.get(p.name);
      const d = prev ? delta(prev, p) : undefined;
      rows.push([
        p.name,
        String(p.pid),
        groupDigits(p.ussKiB),
        groupDigits(p.pssKiB),
        groupDigits(p.rssKiB),
        groupDigits(p.sharedCleanKiB + p.sharedDirtyKiB),
        groupDigits(p.privateDirtyKiB),
        groupDigits(p.minflt),
        d ? signed(d.ussKiB) : "new",
        d ? signed(d.pssKiB) : "new",
        d ? signed(d.privateDirtyKiB) : "new",
        d ? signed(d.minflt) : "new",
      ]);
    }
    if (rows.length === 0) out.push("  (no live process)");
    else out.push(...table(header, rows, 1).map((l) => "  " + l));
    if (snap.processes.some((p) => p.byKind)) out.push(...kindTable(snap.processes, last));
    for (const p of snap.processes) last.set(p.name, p);
  }
  if (doc.events?.length) {
    out.push("");
    for (const e of doc.events) out.push(`step ${e.step} (${e.process}): ${e.result}`);
  }
  return out.join("\n") + "\n";
}
