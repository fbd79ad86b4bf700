/**
 * `cowsim compare`: one scenario on several CPython versions, side by side — what the same code costs a
 * forked worker on 2.7, 3.6 … 3.13 (3.12's immortal objects, 3.11's smaller frames and object headers,
 * 2.7's int free lists all change the answer).
 *
 * The human report is the last snapshot of each run, one row per version and process, with the change
 * since the previous snapshot in which that process appeared (as `cowsim run` shows it). The JSON
 * document holds every run's full report, as `cowsim run --json` prints it, in version order.
 */
import { delta, groupDigits, signed, table, type ProcessMeasure, type RunReport } from "./report.js";

/** One version's outcome: its report, or the one-line error that stopped it. */
export type VersionRun = { python: string; report: RunReport } | { python: string; error: string };

export interface ComparisonDocument {
  name: string;
  pageSize: number;
  runs: ({ python: string; error: string } | RunReport)[];
}

export function comparisonDocument(name: string, pageSize: number, runs: VersionRun[]): ComparisonDocument {
  return { name, pageSize, runs: runs.map((r) => ("report" in r ? r.report : { python: r.python, error: r.error })) };
}

/** The measures of the last snapshot, with each process's previous measure (undefined: new there). */
function lastSnapshot(report: RunReport): { label: string; rows: { now: ProcessMeasure; before?: ProcessMeasure; since?: string }[] } | undefined {
  const snaps = report.snapshots;
  if (snaps.length === 0) return undefined;
  const last = snaps[snaps.length - 1];
  const rows = last.processes.map((now) => {
    for (let i = snaps.length - 2; i >= 0; i--) {
      const before = snaps[i].processes.find((p) => p.name === now.name);
      if (before) return { now, before, since: snaps[i].label };
    }
    return { now };
  });
  return { label: last.label, rows };
}

export function formatComparison(name: string, pageSize: number, runs: VersionRun[]): string {
  const out: string[] = [];
  const labels = new Set<string>();
  const sinces = new Set<string>();
  const rows: string[][] = [];
  for (const r of runs) {
    if (!("report" in r)) {
      rows.push([r.python, "(failed)", "", "", "", "", "", "", "", ""]);
      continue;
    }
    const last = lastSnapshot(r.report);
    if (!last) {
      rows.push([r.python, "(no snapshot)", "", "", "", "", "", "", "", ""]);
      continue;
    }
    labels.add(last.label);
    if (last.rows.length === 0) rows.push([r.python, "(no live process)", "", "", "", "", "", "", "", ""]);
    for (const { now, before, since } of last.rows) {
      if (since) sinces.add(since);
      const d = before ? delta(before, now) : undefined;
      rows.push([
        r.python,
        now.name,
        groupDigits(now.ussKiB),
        groupDigits(now.pssKiB),
        groupDigits(now.rssKiB),
        groupDigits(now.privateDirtyKiB),
        groupDigits(now.minflt),
        d ? signed(d.ussKiB) : "new",
        d ? signed(d.privateDirtyKiB) : "new",
        d ? signed(d.minflt) : "new",
      ]);
    }
  }
  const at = labels.size === 1 ? `snapshot ${[...labels][0]}` : "the last snapshot";
  const since = sinces.size === 0 ? "" : sinces.size === 1 ? ` (Δ: since snapshot ${[...sinces][0]})` : " (Δ: since each process's previous snapshot)";
  out.push(`${name}: ${at} per CPython version${since}; page size ${groupDigits(pageSize)} B; sizes in KiB`);
  out.push("");
  const header = ["Python", "Name", "USS", "PSS", "RSS", "PrivDirty", "minflt", "ΔUSS", "ΔPrivDirty", "Δminflt"];
  out.push(...table(header, rows, 2).map((l) => "  " + l));
  const failed = runs.filter((r): r is { python: string; error: string } => !("report" in r));
  if (failed.length) {
    out.push("");
    for (const f of failed) out.push(`${f.python}: ${f.error}`);
  }
  return out.join("\n") + "\n";
}
