import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { CowsimError } from "../src/errors.js";
import { load as parseYaml } from "js-yaml";
import { checkStep, checkTop, loadScenario, parseScenario, zodSchemas, type StepKind } from "../src/scenario.js";
import { formatReport, type RunReport } from "../src/report.js";
import { runReportSchema } from "../src/report-schema.js";

function err(text: string, file = "s.yaml"): CowsimError {
  try {
    parseScenario(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(CowsimError);
    return e as CowsimError;
  }
  throw new Error("expected a CowsimError");
}

describe("parseScenario", () => {
  it("reads the seed scenario", () => {
    const s = loadScenario(join(__dirname, "..", "scenarios", "seed-1m.yaml"));
    expect(s.name).toBe("seed-1m");
    expect(s.python).toBe("3.11");
    expect(s.pageSize).toBe(4096);
    expect(s.steps).toEqual([
      { kind: "run", index: 1, code: "import gc; gc.set_threshold(0)", process: "main" },
      { kind: "run", index: 2, code: "long_list = list(range(1000000))", process: "main" },
      { kind: "fork", index: 3, child: "child", parent: "main" },
      { kind: "snapshot", index: 4, label: "forked" },
      { kind: "run", index: 5, code: "for i in long_list: pass", process: "child" },
      { kind: "snapshot", index: 6, label: "after" },
      { kind: "exit", index: 7, process: "child" },
    ]);
  });

  it("parses every scenario shipped in scenarios/", () => {
    const dir = join(__dirname, "..", "scenarios");
    for (const f of readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f))) {
      expect(() => loadScenario(join(dir, f))).not.toThrow();
    }
  });

  it("accepts JSON, defaults, fork from another process and multi-line code", () => {
    const s = parseScenario(
      JSON.stringify({
        python: "2.7",
        steps: [{ fork: "a" }, { fork: "b", from: "a" }, { run: "x = 1\nfor i in range(3):\n    x += i", in: "b" }, { exit: "a" }, { snapshot: "s" }],
      }),
      "dir/my-scn.json",
    );
    expect(s.name).toBe("my-scn");
    expect(s.pageSize).toBe(4096);
    expect(s.steps[1]).toEqual({ kind: "fork", index: 2, child: "b", parent: "a" });
    expect(s.steps[2]).toMatchObject({ kind: "run", process: "b" });
  });

  it("accepts an unquoted version that is still a profile, and every page size", () => {
    expect(parseScenario("python: 3.11\nsteps: [{snapshot: s}]").python).toBe("3.11");
    for (const p of [4096, 16384, 65536]) expect(parseScenario(`python: "3.6"\npageSize: ${p}\nsteps: [{snapshot: s}]`).pageSize).toBe(p);
  });

  it("reports invalid YAML with line and column", () => {
    const e = err('python: "3.11"\nsteps:\n  - run: "x = [1\n  - snapshot: a\n    bad: [');
    expect(e.where.file).toBe("s.yaml");
    expect(e.where.line).toBeGreaterThan(0);
    expect(e.where.column).toBeGreaterThan(0);
    expect(e.message).toMatch(/^s\.yaml: line \d+, column \d+: invalid YAML: /);
    expect(e.message).not.toContain("\n");
    expect(e.exitCode).toBe(2);
  });

  it("names the step of an unknown step kind", () => {
    const e = err('python: "3.11"\nsteps:\n  - run: "x = 1"\n  - spawn: child\n');
    expect(e.message).toBe('s.yaml: step 2: unknown step kind "spawn"; expected run, fork, snapshot or exit');
  });

  it("rejects processes that do not exist, exist already or have exited", () => {
    expect(err('python: "3.11"\nsteps:\n  - run: "x"\n    in: child\n').message).toBe('s.yaml: step 1: process "child" does not exist');
    expect(err('python: "3.11"\nsteps:\n  - fork: main\n').message).toBe('s.yaml: step 1: process "main" already exists');
    expect(err('python: "3.11"\nsteps:\n  - fork: a\n  - fork: a\n').message).toBe('s.yaml: step 2: process "a" already exists');
    expect(err('python: "3.11"\nsteps:\n  - fork: b\n    from: a\n').message).toBe('s.yaml: step 1: parent process "a" does not exist');
    expect(err('python: "3.11"\nsteps:\n  - fork: a\n  - exit: a\n  - run: "x"\n    in: a\n').message).toBe('s.yaml: step 3: process "a" has exited');
    expect(err('python: "3.11"\nsteps:\n  - exit: zz\n').message).toBe('s.yaml: step 1: process "zz" does not exist');
  });

  it("rejects unknown profiles, bad page sizes and malformed steps", () => {
    expect(err('python: "3.5"\nsteps: [{snapshot: s}]').message).toMatch(/^s\.yaml: unknown python profile "3\.5"; known: 2\.7, 3\.6/);
    expect(err("python: 3.10\nsteps: [{snapshot: s}]").message).toMatch(/unknown python profile "3\.1" \(write the version in quotes/);
    expect(err('python: "3.11"\npageSize: 8192\nsteps: [{snapshot: s}]').message).toBe("s.yaml: bad pageSize 8192; use one of 4096, 16384, 65536");
    expect(err('steps: [{snapshot: s}]').message).toBe('s.yaml: missing "python"');
    expect(err('python: "3.11"\nsteps: []').message).toMatch(/at least one step/);
    expect(err('python: "3.11"\nsteps: [{run: 5}]').message).toMatch(/^s\.yaml: step 1: run: expected string/);
    expect(err('python: "3.11"\nsteps: [{run: "x", where: main}]').message).toMatch(/^s\.yaml: step 1: unknown key "where"/);
    expect(err('python: "3.11"\nsteps: [{run: "x", fork: a}]').message).toMatch(/step 1: one step, one kind/);
    expect(err('python: "3.11"\nsteps: [{snapshot: a}, {snapshot: a}]').message).toBe('s.yaml: step 2: snapshot "a" already exists');
    expect(err('python: "3.11"\nsteps: ["run x"]').message).toMatch(/^s\.yaml: step 1: a step is a mapping/);
    expect(err('python: "3.11"\ncolour: red\nsteps: [{snapshot: a}]').message).toMatch(/unknown key "colour"/);
  });

  it("checks without zod only what the zod schemas accept, with the same data", () => {
    const odd: unknown[] = [undefined, null, true, 0, -1, 1.5, NaN, Infinity, 4096, 3.11, "", "x", "3.11", "main", "1bad", "a b", [], [1], {}, { a: 1 }];
    const variants = (o: Record<string, unknown>, keys: string[]): Record<string, unknown>[] => {
      const out = [o, { ...o, extra: 1 }, Object.fromEntries(Object.entries(o).reverse())];
      for (const k of keys) {
        const { [k]: _, ...rest } = o;
        out.push(rest);
        for (const v of odd) out.push({ ...o, [k]: v });
      }
      return out;
    };
    const dir = join(__dirname, "..", "scenarios");
    const docs = readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => parseYaml(readFileSync(join(dir, f), "utf8")) as Record<string, unknown>);
    docs.push({ python: "3.11", steps: [{ snapshot: "s" }], name: "n", pageSize: 16384, whatIf: { immortalizeBeforeFork: true, immortalObjects: false } });
    let quick = 0;
    for (const doc of docs) {
      expect(checkTop(doc), JSON.stringify(doc)).toBeDefined();
      for (const v of [...variants(doc, ["name", "python", "pageSize", "whatIf", "steps"]), ...variants({ ...doc, whatIf: {} }, [])]) {
        for (const w of v.whatIf && typeof v.whatIf === "object" ? variants(v.whatIf as Record<string, unknown>, ["immortalObjects", "immortalizeBeforeFork"]) : [v.whatIf]) {
          const d = { ...v, whatIf: w };
          if (w === undefined) delete d.whatIf;
          const fast = checkTop(d);
          if (fast === undefined) continue;
          quick++;
          const z = zodSchemas().top.safeParse(d);
          expect(z.success, JSON.stringify(d)).toBe(true);
          expect(JSON.stringify(fast)).toBe(JSON.stringify(z.data));
        }
      }
      for (const step of doc.steps as Record<string, unknown>[]) {
        const kind = Object.keys(step).find((k) => ["run", "fork", "snapshot", "exit"].includes(k)) as StepKind;
        expect(checkStep(kind, step), JSON.stringify(step)).toBeDefined();
        for (const s of variants(step, ["run", "in", "fork", "from", "snapshot", "exit"])) {
          const fast = checkStep(kind, s);
          if (fast === undefined) continue;
          quick++;
          const z = zodSchemas().steps[kind].safeParse(s);
          expect(z.success, JSON.stringify(s)).toBe(true);
          expect(JSON.stringify(fast)).toBe(JSON.stringify(z.data));
        }
      }
    }
    expect(quick).toBeGreaterThan(100);
  });

  it("names a missing file", () => {
    expect(() => loadScenario("/nonexistent/x.yaml")).toThrow("/nonexistent/x.yaml: no such file");
  });
});

describe("formatReport", () => {
  const m = (name: string, pid: number, pd: number, flt: number) => ({
    name,
    pid,
    rssKiB: 50000 + pd,
    pssKiB: 25000 + pd,
    sharedCleanKiB: 40000,
    sharedDirtyKiB: 40000 - pd,
    privateCleanKiB: 100,
    privateDirtyKiB: pd,
    ussKiB: 100 + pd,
    minflt: flt,
    majflt: 0,
  });
  const doc: RunReport = {
    name: "seed-1m",
    python: "3.11",
    pageSize: 4096,
    snapshots: [
      { label: "forked", processes: [m("main", 1, 700, 11000), m("child", 2, 800, 270)] },
      { label: "after", processes: [m("main", 1, 32000, 11000), m("child", 2, 32196, 8123)] },
    ],
  };

  it("is valid against the schema and renders deterministic tables with deltas", () => {
    expect(runReportSchema.safeParse(doc).success).toBe(true);
    const text = formatReport(doc);
    expect(text).toBe(formatReport(JSON.parse(JSON.stringify(doc))));
    expect(text).toContain("snapshot forked");
    expect(text).toContain("snapshot after");
    const childAfter = text.split("\n").filter((l) => l.trim().startsWith("child"))[1];
    expect(childAfter).toContain("+31,396");
    expect(childAfter).toContain("+7,853");
    expect(text.split("\n").filter((l) => l.trim().startsWith("child"))[0]).toContain("new");
  });
});
