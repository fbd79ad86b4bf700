/**
 * The `cowsim` command as a user runs it: `node dist/src/cli.js …` (built by `npm run build`, which
 * `pretest` runs). Bad input must end as exactly one line `cowsim: …` on stderr and exit code 2.
 *
 * The tests that simulate need src/sim/interpreter.ts (the evaluator): until it exists they are
 * skipped with a note; once it exists they must pass (a simulator that cannot load is then a failure).
 */
import { describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { findPython } from "../src/real/discover.js";

const root = fileURLToPath(new URL("..", import.meta.url));
const cli = join(root, "dist", "src", "cli.js");
const dir = mkdtempSync(join(tmpdir(), "cowsim-cli-"));

function cowsim(...args: string[]) {
  const r = spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: "utf8", timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function file(name: string, text: string): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** One line, "cowsim: …", no stack trace, nothing on stdout. */
function expectOneLineError(r: ReturnType<typeof cowsim>, code: number, pattern: RegExp) {
  expect(r.stdout).toBe("");
  expect(r.stderr.endsWith("\n")).toBe(true);
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^cowsim: /);
  expect(lines[0]).toMatch(pattern);
  expect(lines[0]).not.toMatch(/\n\s+at /);
  expect(r.code).toBe(code);
}

const FORK_ONLY = [
  "name: fork-only",
  'python: "3.11"',
  "steps:",
  "  - snapshot: start",
  "  - fork: child",
  "  - snapshot: forked",
  "  - fork: grandchild",
  "    from: child",
  "  - snapshot: both",
  "  - exit: child",
  "  - snapshot: end",
  "",
].join("\n");

/** The evaluator (src/sim/interpreter.ts) is being written; simulating tests wait for it. */
const evaluatorPresent = existsSync(join(root, "src", "sim", "interpreter.ts"));
const evaluatorNote = "waits for src/sim/interpreter.ts (the Python evaluator): not there yet";

function havePython(profile: string): boolean {
  if (process.platform !== "linux" || !existsSync("/proc/self/smaps_rollup")) return false;
  try {
    findPython(profile);
    return true;
  } catch {
    return false;
  }
}

describe("cowsim: bad input is one line on stderr and exit code 2", () => {
  it("is built", () => {
    expect(existsSync(cli), `${cli} is missing: run npm run build`).toBe(true);
  });

  it("no command", () => expectOneLineError(cowsim(), 2, /missing command/));
  it("unknown command", () => expectOneLineError(cowsim("frobnicate"), 2, /unknown command 'frobnicate'/));
  it("missing file argument", () => expectOneLineError(cowsim("run"), 2, /missing required argument 'file'/));
  it("unknown option", () => expectOneLineError(cowsim("run", "x.yaml", "--frob"), 2, /unknown option '--frob'/));

  it("a file that does not exist", () => {
    expectOneLineError(cowsim("run", join(dir, "nope.yaml")), 2, /nope\.yaml: no such file$/);
    expectOneLineError(cowsim("validate", join(dir, "nope.yaml")), 2, /nope\.yaml: no such file$/);
  });

  it("bad YAML, with line and column", () => {
    const p = file("bad.yaml", 'python: "3.11"\nsteps:\n  - run: "x = 1\n  - fork: [\n');
    expectOneLineError(cowsim("run", p), 2, /bad\.yaml: line \d+, column \d+: invalid YAML/);
  });

  it("unknown step kind, naming the step", () => {
    const p = file("kind.yaml", 'python: "3.11"\nsteps:\n  - run: "x = 1"\n  - spawn: worker\n');
    expectOneLineError(cowsim("run", p), 2, /kind\.yaml: step 2: unknown step kind "spawn"/);
  });

  it("unknown python profile (in the file and on the command line)", () => {
    const p = file("prof.yaml", 'python: "3.5"\nsteps:\n  - snapshot: a\n');
    expectOneLineError(cowsim("run", p), 2, /unknown python profile "3\.5"/);
    const q = file("ok.yaml", FORK_ONLY);
    expectOneLineError(cowsim("run", q, "--python", "4.0"), 2, /unknown python profile "4\.0"/);
    expectOneLineError(cowsim("validate", q, "--python", "3.5"), 2, /unknown python profile "3\.5"/);
  });

  it("a bad --ram size", () => {
    const q = file("ok2.yaml", FORK_ONLY);
    expectOneLineError(cowsim("run", q, "--ram", "12Q"), 2, /--ram: cannot read size "12Q"/);
    expectOneLineError(cowsim("run", q, "--ram", "0"), 2, /--ram/);
  });

  it("validate: an interpreter path that does not run, and exclusive options", () => {
    const q = file("ok3.yaml", FORK_ONLY);
    expectOneLineError(cowsim("validate", q, "--python", join(dir, "no-python")), 2, /cannot run python|need Linux/);
    expectOneLineError(cowsim("validate", q, "--python", "3.11", "--all-versions"), 2, /exclude each other/);
  });

  it.skipIf(!havePython("2.7"))("validate: a scenario outside its '# versions:' limits", () => {
    expectOneLineError(
      cowsim("validate", "validation/gc-freeze-collect.yaml", "--python", "2.7"),
      2,
      /gc-freeze-collect\.yaml: this scenario is for CPython 3\.7\+/,
    );
  });

  it("--help prints usage and exits 0", () => {
    const r = cowsim("--help");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Usage: cowsim/);
    expect(r.stdout).toMatch(/validate/);
  });
});

describe.skipIf(!evaluatorPresent)(`cowsim run (simulating)${evaluatorPresent ? "" : ": " + evaluatorNote}`, () => {
  it("--json is deterministic: two runs give byte-identical output (indented and compact)", () => {
    const p = file("det.yaml", FORK_ONLY);
    const a = cowsim("run", p, "--json");
    expect(a.stderr).toBe("");
    expect(a.code).toBe(0);
    const b = cowsim("run", p, "--json");
    expect(b.stdout).toBe(a.stdout);
    const doc = JSON.parse(a.stdout);
    expect(doc.snapshots.map((s: { label: string }) => s.label)).toEqual(["start", "forked", "both", "end"]);
    expect(a.stdout).toMatch(/^\{\n {2}"name": "fork-only",/);
    const c = cowsim("run", p, "--json", "--compact");
    const d = cowsim("run", p, "--json", "--compact");
    expect(c.code).toBe(0);
    expect(c.stdout).toBe(d.stdout);
    expect(c.stdout.trimEnd().split("\n")).toHaveLength(1);
    expect(JSON.parse(c.stdout)).toEqual(doc);
  });

  it("prints the report tables, and accepts --ram sizes", () => {
    const p = file("txt.yaml", FORK_ONLY);
    const r = cowsim("run", p, "--ram", "512M");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^fork-only: CPython 3\.11, page size 4,096 B/);
    expect(r.stdout).toMatch(/snapshot both\n {2}Name +PID/);
  });
});

describe.skipIf(!evaluatorPresent || !havePython("3.11"))(
  `cowsim validate (real CPython 3.11 + simulator)${evaluatorPresent ? "" : ": " + evaluatorNote}`,
  () => {
    it("prints real, simulated and the error side by side; --json gives {name, real, simulated, error}", () => {
      const p = file("val.yaml", FORK_ONLY);
      const t = cowsim("validate", p);
      expect(t.stderr).toBe("");
      expect(t.code).toBe(0);
      expect(t.stdout).toMatch(/Process +Figure +Real +Simulated +Error +Error% +ΔReal +ΔSimulated +ΔError +ΔError%/);
      expect(t.stdout).toMatch(/fidelity \(grandchild, both → end\)/);
      const j = cowsim("validate", p, "--json");
      expect(j.code).toBe(0);
      const doc = JSON.parse(j.stdout);
      expect(Object.keys(doc)).toEqual(expect.arrayContaining(["name", "real", "simulated", "error"]));
      expect(doc.error.snapshots).toHaveLength(4);
      const two = JSON.parse(cowsim("validate", p, p, "--json").stdout);
      expect(two.results).toHaveLength(2);
    });
  },
);
