import { describe, expect, it } from "vitest";
import { existsSync } from "node:fs";
import { CowsimError } from "../src/errors.js";
import { parseScenario } from "../src/scenario.js";
import { runReportSchema } from "../src/report-schema.js";
import { findPython } from "../src/real/discover.js";
import { haveRealPython } from "./helpers/real.js";
import { runReal, runRealDetailed } from "../src/real/runner.js";


const canRun = haveRealPython("3.11");

describe.skipIf(!canRun)("real runner (CPython 3.11 on this kernel)", () => {
  it("runs a tiny scenario: namespaces, fork copies them, child COW is measured", async () => {
    const s = parseScenario(
      [
        'python: "3.11"',
        "steps:",
        '  - run: "import gc; gc.set_threshold(0)"',
        '  - run: "data = list(range(100000))\\nx = 1"',
        "  - fork: child",
        "  - snapshot: forked",
        '  - run: "assert x == 1\\nfor i in data: pass\\ny = 2"',
        "    in: child",
        "  - snapshot: read",
        '  - run: "assert \'y\' not in globals()"',
        "  - fork: grandchild",
        "    from: child",
        '  - run: "assert y == 2"',
        "    in: grandchild",
        "  - snapshot: after",
        "  - exit: child",
        "  - snapshot: end",
      ].join("\n"),
      "tiny.yaml",
    );
    const { report, raw } = await runRealDetailed(s);
    expect(runReportSchema.safeParse(report).success).toBe(true);
    expect(report.snapshots.map((x) => x.label)).toEqual(["forked", "read", "after", "end"]);
    expect(report.snapshots[0].processes.map((p) => [p.name, p.pid])).toEqual([["main", 1], ["child", 2]]);
    expect(report.snapshots[2].processes.map((p) => [p.name, p.pid])).toEqual([["main", 1], ["child", 2], ["grandchild", 3]]);
    expect(report.snapshots[3].processes.map((p) => p.name)).toEqual(["main", "grandchild"]);
    for (const p of report.snapshots[2].processes) expect(p.ussKiB).toBe(p.privateCleanKiB + p.privateDirtyKiB);
    const [a, b] = [report.snapshots[0].processes[1], report.snapshots[1].processes[1]];
    // 100,000 ints of 28 bytes (~2.7 MiB) are read by the child: their pages are copied.
    expect(b.privateDirtyKiB - a.privateDirtyKiB).toBeGreaterThan(2000);
    expect(b.minflt - a.minflt).toBeGreaterThan(500);
    expect(raw[0].processes[0].osPid).toBeGreaterThan(1);
  });

  it("turns a Python error into a one-line CowsimError naming the step and line", async () => {
    const s = parseScenario('python: "3.11"\nsteps:\n  - run: "x = 1"\n  - fork: c\n  - run: "y = 2\\nz = 1/0"\n    in: c\n', "bad.yaml");
    const e = await runReal(s).then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(CowsimError);
    expect((e as CowsimError).message).toBe("bad.yaml: step 3: line 2: Python error in process c: ZeroDivisionError: division by zero");
  });

  it("reports a syntax error with its column", async () => {
    const s = parseScenario('python: "3.11"\nsteps:\n  - run: "x = (1,"\n', "syn.yaml");
    await expect(runReal(s)).rejects.toThrow(/^syn\.yaml: step 1: line 1, column \d+: Python error in process main: SyntaxError: /);
  });

  it("refuses a page size the machine does not have", async () => {
    const s = parseScenario('python: "3.11"\npageSize: 65536\nsteps: [{snapshot: s}]', "p.yaml");
    await expect(runReal(s)).rejects.toThrow(/page size is \d+, the scenario asks for 65536/);
  });
});

describe("discovery", () => {
  it("names a missing version or a wrong explicit interpreter", () => {
    expect(() => findPython("3.99")).toThrow(CowsimError);
    expect(() => findPython("3.11", "/nonexistent/python")).toThrow('cannot run python "/nonexistent/python"');
  });
  it.skipIf(!canRun)("checks an explicit interpreter's version", () => {
    const p = findPython("3.11");
    expect(p.version).toMatch(/^3\.11\./);
    expect(() => findPython("3.12", p.path)).toThrow(/is 3\.11\.\d+, but the scenario asks for 3\.12/);
  });
});
