/**
 * `cowsim compare`: one scenario on several CPython profiles. Each run in its JSON must be exactly
 * what `cowsim run --python X --json` prints for that version; the table shows each version's last
 * snapshot with the change since the previous one; a version that fails is named, the others shown.
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { formatComparison } from "../src/compare.js";
import type { RunReport } from "../src/report.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "dist", "src", "cli.js");
const dir = mkdtempSync(join(tmpdir(), "cowsim-compare-"));

function cowsim(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const SCENARIO = join(dir, "small.yaml");
writeFileSync(
  SCENARIO,
  `name: small
python: "3.11"
steps:
  - run: "import gc; gc.set_threshold(0)"
  - run: "L = list(range(100000))"
  - fork: child
  - snapshot: forked
  - run: "for x in L: pass"
    in: child
  - snapshot: after
`,
);

describe("cowsim compare", () => {
  it("--json holds, per version, the report cowsim run prints", () => {
    const r = cowsim("compare", SCENARIO, "--python", "3.12,2.7,3.8", "--json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as { name: string; pageSize: number; runs: RunReport[] };
    expect(doc.name).toBe("small");
    expect(doc.pageSize).toBe(4096);
    // in the order of the profiles, whatever the order asked
    expect(doc.runs.map((x) => x.python)).toEqual(["2.7", "3.8", "3.12"]);
    for (const run of doc.runs) {
      const single = cowsim("run", SCENARIO, "--python", run.python, "--json");
      expect(single.code).toBe(0);
      expect(JSON.stringify(run, null, 2) + "\n").toBe(single.stdout);
    }
  });

  it("the table: each version's last snapshot and the change since the previous one", () => {
    const r = cowsim("compare", SCENARIO, "--python", "2.7,3.12");
    expect(r.code).toBe(0);
    const lines = r.stdout.split("\n");
    expect(lines[0]).toBe("small: snapshot after per CPython version (Δ: since snapshot forked); page size 4,096 B; sizes in KiB");
    for (const v of ["2.7", "3.12"]) {
      const report = JSON.parse(cowsim("run", SCENARIO, "--python", v, "--json").stdout) as RunReport;
      const [forked, after] = report.snapshots;
      const c0 = forked.processes.find((p) => p.name === "child")!;
      const c1 = after.processes.find((p) => p.name === "child")!;
      const row = lines.find((l) => l.trim().startsWith(`${v} `) && l.includes(" child "));
      expect(row, r.stdout).toBeDefined();
      const cells = row!.trim().split(/\s+/);
      const num = (s: string) => Number(s.replace(/[,+]/g, ""));
      // Python Name USS PSS RSS PrivDirty minflt ΔUSS ΔPrivDirty Δminflt
      expect(num(cells[5])).toBe(c1.privateDirtyKiB);
      expect(num(cells[8])).toBe(c1.privateDirtyKiB - c0.privateDirtyKiB);
      expect(num(cells[9])).toBe(c1.minflt - c0.minflt);
      expect(c1.privateDirtyKiB - c0.privateDirtyKiB).toBeGreaterThan(1500); // 100,000 ints copied
    }
  });

  it("a version that fails is named with its error; the others still shown; exit code 2", () => {
    // range() is a list on 2.7 (+ works), a range object on 3.x (TypeError, as CPython says it)
    const f = join(dir, "range-plus.yaml");
    writeFileSync(f, `python: "3.12"\nsteps:\n  - run: "x = range(3) + [1]"\n  - snapshot: s\n`);
    const r = cowsim("compare", f, "--python", "2.7,3.12");
    expect(r.code).toBe(2);
    expect(r.stdout).toMatch(/^ {2}2\.7 +main +[\d,]+/m);
    expect(r.stdout).toMatch(/^ {2}3\.12 +\(failed\)/m);
    expect(r.stdout).toContain("3.12: " + f + ": step 1: line 1, column 5: TypeError: unsupported operand type(s) for +: 'range' and 'list'");
    expect(r.stderr).toBe("cowsim: 1 of 2 versions failed (3.12): see the report\n");
  });

  it("bad input: one line, exit code 2", () => {
    for (const [args, pattern] of [
      [["compare", SCENARIO, "--python", "3.11,4.0"], /^cowsim: unknown python profile "4\.0"/],
      [["compare", SCENARIO, "--python", ","], /^cowsim: --python: no version/],
      [["compare", join(dir, "missing.yaml")], /missing\.yaml: no such file/],
    ] as const) {
      const r = cowsim(...args);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr.trimEnd().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(pattern);
    }
  });

  it("formatComparison: a process new at the last snapshot shows 'new'", () => {
    const m = { name: "main", pid: 1, rssKiB: 8, pssKiB: 8, sharedCleanKiB: 0, sharedDirtyKiB: 0, privateCleanKiB: 0, privateDirtyKiB: 8, ussKiB: 8, minflt: 2, majflt: 0 };
    const report: RunReport = { name: "n", python: "3.11", pageSize: 4096, snapshots: [{ label: "only", processes: [m] }] };
    const text = formatComparison("n", 4096, [{ python: "3.11", report }]);
    expect(text.split("\n")[0]).toBe("n: snapshot only per CPython version; page size 4,096 B; sizes in KiB");
    expect(text).toMatch(/3\.11 +main +8 +8 +8 +8 +2 +new +new +new/);
  });
});
