#!/usr/bin/env node
/**
 * The `cowsim` command.
 *
 *   cowsim run FILE [--json [--compact]] [--ram SIZE] [--python X.Y] [--debug]
 *       Simulate a scenario; print the report (smem-like tables) or its JSON document
 *       (deterministic: the same input gives byte-identical output).
 *   cowsim compare FILE [--python 2.7,3.12|all] [--json [--compact]] [--ram SIZE] [--debug]
 *       The same scenario on several CPython profiles (default: all): the last snapshot of each,
 *       side by side (src/compare.ts); --json holds every run's report.
 *   cowsim validate SCENARIO… [--python VERSION|PATH] [--json] [--all-versions]
 *                             [--write-fidelity FILE] [--strict] [--ram SIZE] [--debug]
 *       Run each scenario on the real CPython + kernel and on the simulator; print both side by side
 *       with the error of every figure (src/validate/compare.ts). --all-versions runs every scenario
 *       on every installed CPython its `# versions:` line allows (the suite); --write-fidelity writes
 *       docs/fidelity.md from the results.
 *
 * Every bad input ends as one line on stderr, `cowsim: <message>`, and exit code 2; an unexpected
 * error prints one line too (`cowsim: internal error: …`) and exits 1. COWSIM_STACK=1 adds the stack.
 */
import { mkdirSync, readFileSync, realpathSync, writeFileSync } from "node:fs";
import { release } from "node:os";
import { dirname } from "node:path";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { CowsimError } from "./errors.js";
import { formatReport, groupDigits } from "./report.js";
import { loadScenario, PYTHON_PROFILES, type PythonProfile } from "./scenario.js";
import { loadSimulator, type SimulateFn } from "./simulator.js";
// `validate` imports the real side and the fidelity report when it runs (import()): `run` needs none of them.
import type { CaseResult, SuiteEntry } from "./validate/suite.js";

// commander is CommonJS: require() loads it without the ES-module wrapper (as yaml, src/scenario.ts).
const { Command, CommanderError } = createRequire(import.meta.url)("commander") as typeof import("commander");

const UNITS: Record<string, number> = { "": 1, k: 2 ** 10, m: 2 ** 20, g: 2 ** 30, t: 2 ** 40 };

/** "64G", "512M", "1.5g", "4096", "512MiB", "2GB" → bytes (binary units). */
export function parseSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  if (!m) throw new CowsimError(`--ram: cannot read size "${text}" (use e.g. 64G, 512M, 1.5G)`);
  const bytes = parseFloat(m[1]) * UNITS[m[2].toLowerCase()];
  if (!Number.isFinite(bytes) || bytes <= 0 || !Number.isInteger(bytes)) {
    throw new CowsimError(`--ram: "${text}" is not a positive whole number of bytes`);
  }
  return bytes;
}

function profileOption(v: string): PythonProfile {
  if (!(PYTHON_PROFILES as readonly string[]).includes(v)) {
    throw new CowsimError(`unknown python profile "${v}"; known: ${PYTHON_PROFILES.join(", ")}`);
  }
  return v as PythonProfile;
}

function write(text: string): Promise<void> {
  return new Promise((resolve) => {
    if (process.stdout.write(text)) resolve();
    else process.stdout.once("drain", () => resolve());
  });
}

/** A progress line on stderr, only on a terminal (so that piped stderr holds errors only). */
function progress(text: string): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K${text}`);
}
function progressDone(): void {
  if (process.stderr.isTTY) process.stderr.write(`\r\x1b[K`);
}

interface RunOpts {
  json?: boolean;
  compact?: boolean;
  ram?: string;
  python?: string;
  debug?: boolean;
  byKind?: boolean;
}

async function cmdRun(file: string, o: RunOpts): Promise<void> {
  const scenario = loadScenario(file);
  if (o.python) scenario.python = profileOption(o.python);
  const ramBytes = o.ram !== undefined ? parseSize(o.ram) : undefined;
  const simulate = await loadSimulator({
    variant: o.debug ? "debug" : "release",
    ramBytes,
    onStep: (done, total) => progress(`${scenario.name}: step ${done}/${total}`),
    ...(o.byKind ? { byKind: true } : {}),
  });
  const report = await simulate(scenario);
  progressDone();
  if (o.json || o.compact) await write(JSON.stringify(report, null, o.compact ? undefined : 2) + "\n");
  else await write(formatReport(report));
}

interface CompareOpts {
  python?: string;
  json?: boolean;
  compact?: boolean;
  ram?: string;
  debug?: boolean;
}

/** "3.8,3.12" (or "all") → profiles, in the order of PYTHON_PROFILES. */
function profileList(text: string | undefined): PythonProfile[] {
  if (text === undefined || text.trim() === "all") return [...PYTHON_PROFILES];
  const asked = text.split(",").map((v) => v.trim()).filter(Boolean);
  if (asked.length === 0) throw new CowsimError(`--python: no version in "${text}" (e.g. --python 2.7,3.12)`);
  const set = new Set(asked.map(profileOption));
  return PYTHON_PROFILES.filter((p) => set.has(p));
}

async function cmdCompare(file: string, o: CompareOpts): Promise<number> {
  const { comparisonDocument, formatComparison } = await import("./compare.js");
  const scenario = loadScenario(file);
  const versions = profileList(o.python);
  const ramBytes = o.ram !== undefined ? parseSize(o.ram) : undefined;
  const simulate = await loadSimulator({ variant: o.debug ? "debug" : "release", ramBytes });
  const runs: import("./compare.js").VersionRun[] = [];
  for (const [i, python] of versions.entries()) {
    progress(`${scenario.name}: ${python} (${i + 1}/${versions.length})`);
    try {
      runs.push({ python, report: await simulate({ ...scenario, python }) });
    } catch (e) {
      if (!(e instanceof CowsimError) || e.exitCode !== 2) throw e;
      runs.push({ python, error: e.message });
    }
  }
  progressDone();
  if (o.json || o.compact) {
    await write(JSON.stringify(comparisonDocument(scenario.name, scenario.pageSize, runs), null, o.compact ? undefined : 2) + "\n");
  } else {
    await write(formatComparison(scenario.name, scenario.pageSize, runs));
  }
  const failed = runs.filter((r) => "error" in r).length;
  if (failed) {
    process.stderr.write(`cowsim: ${failed} of ${runs.length} versions failed (${runs.filter((r) => "error" in r).map((r) => r.python).join(", ")}): see the report\n`);
    return 2;
  }
  return 0;
}

interface ValidateOpts {
  python?: string;
  json?: boolean;
  allVersions?: boolean;
  writeFidelity?: string;
  strict?: boolean;
  ram?: string;
  debug?: boolean;
}

function resultJson(r: CaseResult): object {
  return {
    name: r.name,
    ...(r.file ? { file: r.file } : {}),
    python: r.python,
    ...(r.interpreter ? { interpreter: r.interpreter } : {}),
    real: r.real,
    simulated: r.simulated,
    error: r.comparison,
    ...(r.realFailure ? { realFailure: r.realFailure.message } : {}),
    ...(r.simFailure ? { simulatedFailure: { kind: r.simFailure.kind, message: r.simFailure.message } } : {}),
  };
}

function readOr(path: string, fallback: string): string {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return fallback;
  }
}

async function cmdValidate(files: string[], o: ValidateOpts): Promise<number> {
  const { checkMachine, findPython } = await import("./real/discover.js");
  const { machinePageSize } = await import("./real/runner.js");
  const { fidelityOf, formatComparison, formatFidelityLine } = await import("./validate/compare.js");
  const { installedPythons, loadEntry, resolvePythonOption, runCase, suitePlan } = await import("./validate/suite.js");
  const { renderFidelity, summarize, summaryLine } = await import("./validate/fidelity.js");
  const suite = !!(o.allVersions || o.writeFidelity);
  if (o.allVersions && o.python) throw new CowsimError("--python and --all-versions exclude each other");
  checkMachine();
  const entries: SuiteEntry[] = files.map(loadEntry);
  const override = o.python ? resolvePythonOption(o.python) : undefined;
  const ramBytes = o.ram !== undefined ? parseSize(o.ram) : undefined;

  // what to run
  let plan: { entry: SuiteEntry; profile: PythonProfile; path?: string }[];
  if (o.allVersions) {
    const installed = installedPythons();
    if (installed.size === 0) {
      throw new CowsimError(`no CPython found (looked for ${PYTHON_PROFILES.join(", ")} in pyenv versions and on PATH)`);
    }
    plan = suitePlan(entries, installed.keys());
  } else {
    plan = entries.map((entry) => {
      const profile = override?.profile ?? entry.scenario.python;
      if (!entry.versions.includes(profile)) {
        throw new CowsimError(`this scenario is for CPython ${entry.versionsSpec} (its "# versions:" line), not ${profile}`, { file: entry.file });
      }
      return { entry, profile, ...(override?.path ? { path: override.path } : {}) };
    });
    // a missing interpreter is bad input: say so before running anything
    for (const p of plan) findPython(p.profile, p.path);
  }

  let simulate: SimulateFn | CowsimError;
  try {
    simulate = await loadSimulator({ variant: o.debug ? "debug" : "release", ramBytes });
  } catch (e) {
    if (!(e instanceof CowsimError) || !suite) throw e;
    simulate = e;
  }

  const results: CaseResult[] = [];
  const jsonAll: object[] = [];
  let i = 0;
  for (const { entry, profile, path } of plan) {
    i++;
    const tag = `[${i}/${plan.length}] ${entry.scenario.name} ${profile}`;
    const r = await runCase(entry.scenario, profile, {
      simulate,
      pythonPath: path,
      // a single comparison fails fast: the simulator's errors (bad input) come first
      simFirst: !suite,
      stopOnFailure: !suite,
      onPhase: (phase) => progress(`${tag}: ${phase}…`),
    });
    progressDone();
    results.push(r);
    if (!suite) {
      const failure = r.realFailure ? { side: "real", f: r.realFailure } : r.simFailure ? { side: "simulated", f: r.simFailure } : undefined;
      if (failure) {
        throw new CowsimError(`${failure.side}: ${failure.f.message}`, {}, failure.f.kind === "crash" ? 1 : 2);
      }
    }
    if (o.json) {
      jsonAll.push(resultJson(r));
      continue;
    }
    const version = r.interpreter?.version ?? profile;
    if (suite) {
      let line: string;
      if (r.comparison) line = formatFidelityLine(r.comparison.fidelity);
      else {
        const rf = r.real ? fidelityOf(r.real, r.real) : null;
        line = [
          r.realFailure ? `real failed: ${r.realFailure.message}` : "",
          rf ? `real (${rf.process}, ${rf.from} → ${rf.to}): ΔPrivate_Dirty ${groupDigits(rf.privateDirtyKiB.real)} KiB, Δminflt ${groupDigits(rf.minflt.real)}` : "",
          r.simFailure ? `simulated ${r.simFailure.kind}: ${r.simFailure.message}` : "",
        ]
          .filter(Boolean)
          .join("; ");
      }
      await write(`${entry.scenario.name} ${version}: ${line}\n`);
    } else {
      const head = `${r.name}: CPython ${profile} (real: ${version}, ${r.interpreter?.path}); page size ${groupDigits(entry.scenario.pageSize)} B; sizes in KiB, faults in counts; error = simulated − real`;
      await write((i > 1 ? "\n" : "") + formatComparison(head, r.comparison!));
    }
  }
  if (o.json) await write(JSON.stringify(jsonAll.length === 1 && !suite ? jsonAll[0] : { results: jsonAll }, null, 2) + "\n");
  const sum = summarize(results);
  if (suite && !o.json) await write(`\n${summaryLine(sum)}\n`);

  if (o.writeFidelity) {
    const used = new Map<string, { profile: string; version: string; path: string }>();
    for (const r of results) if (r.interpreter) used.set(r.python, { profile: r.python, ...r.interpreter });
    const argsShown = [
      `cowsim validate ${files.length === 1 ? files[0] : `<${files.length} scenario files>`}`,
      o.allVersions ? "--all-versions" : "",
      o.python ? `--python ${o.python}` : "",
      `--write-fidelity ${o.writeFidelity}`,
    ].filter(Boolean);
    const command = process.env.npm_lifecycle_event === "validate" ? `npm run validate (${argsShown.join(" ")})` : argsShown.join(" ");
    const doc = renderFidelity(results, entries, {
      command,
      date: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
      kernel: release(),
      pageSize: machinePageSize(),
      transparentHugepage: readOr("/sys/kernel/mm/transparent_hugepage/enabled", "unknown"),
      interpreters: PYTHON_PROFILES.filter((p) => used.has(p)).map((p) => used.get(p)!),
    });
    mkdirSync(dirname(o.writeFidelity), { recursive: true });
    writeFileSync(o.writeFidelity, doc);
    if (!o.json) await write(`wrote ${o.writeFidelity}\n`);
  }
  if (o.strict) {
    const bad = results.filter((r) => r.realFailure || r.simFailure || (r.comparison?.fidelity && !r.comparison.fidelity.within));
    if (bad.length) {
      process.stderr.write(`cowsim: ${bad.length} of ${results.length} runs failed or are out of tolerance\n`);
      return 1;
    }
  }
  return 0;
}

function program(): InstanceType<typeof Command> {
  const p = new Command()
    .name("cowsim")
    .description("What a forked CPython worker really costs: simulated Linux copy-on-write and CPython memory, checked against the real thing.")
    .exitOverride()
    .configureOutput({ outputError: () => undefined })
    .showSuggestionAfterError(false);
  p.command("run")
    .description("simulate a scenario and print what /proc would say at each snapshot")
    .argument("<file>", "scenario file (YAML or JSON)")
    .option("--json", "print the report as a JSON document (2-space indented)")
    .option("--compact", "with --json: no indentation (one line)")
    .option("--ram <size>", "simulated RAM, e.g. 64G, 512M (default 64G)")
    .option("--python <X.Y>", "simulate this CPython profile instead of the scenario's")
    .option("--debug", "use the debug WebAssembly build (assertions on; slower)")
    .option("--by-kind", "also split each process's memory by where it is: pymalloc arenas, malloc heap, malloc mmap, shared memory, interpreter data")
    .action(async (file: string, o: RunOpts) => {
      await cmdRun(file, o);
    });
  p.command("compare")
    .description("simulate a scenario on several CPython versions and show the last snapshot of each side by side")
    .argument("<file>", "scenario file (YAML or JSON)")
    .option("--python <list>", "versions, comma-separated (e.g. 2.7,3.11,3.12); default: all")
    .option("--json", "print {name, pageSize, runs: [report per version]} (each as cowsim run --json)")
    .option("--compact", "with --json: no indentation (one line)")
    .option("--ram <size>", "simulated RAM, e.g. 64G, 512M (default 64G)")
    .option("--debug", "use the debug WebAssembly build (assertions on; slower)")
    .action(async (file: string, o: CompareOpts) => {
      process.exitCode = await cmdCompare(file, o);
    });
  p.command("validate")
    .description("run scenarios on real CPython and on the simulator; print both with the error of each figure")
    .argument("<scenario...>", "scenario files")
    .option("--python <version|path>", "CPython version (e.g. 3.11) or interpreter path, for both sides, instead of the scenario's")
    .option("--json", "print {name, real, simulated, error} per scenario ({results: [...]} for several)")
    .option("--all-versions", "run each scenario on every installed CPython its '# versions:' line allows (the suite)")
    .option("--write-fidelity <file>", "write the fidelity table (markdown) there, e.g. docs/fidelity.md")
    .option("--strict", "exit 1 when a run fails or a figure is out of tolerance")
    .option("--ram <size>", "simulated RAM, e.g. 64G, 512M")
    .option("--debug", "use the debug WebAssembly build")
    .action(async (files: string[], o: ValidateOpts) => {
      process.exitCode = await cmdValidate(files, o);
    });
  return p;
}

function fail(message: string, code: number): void {
  process.stderr.write(`cowsim: ${message.split("\n")[0]}\n`);
  process.exitCode = code;
}

export async function main(argv: string[]): Promise<void> {
  process.stdout.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code === "EPIPE") process.exit(process.exitCode ?? 0);
  });
  if (argv.length === 0) return fail("missing command: cowsim run FILE | cowsim compare FILE | cowsim validate SCENARIO… (cowsim --help)", 2);
  try {
    await program().parseAsync(argv, { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === "commander.helpDisplayed" || e.code === "commander.version") {
        process.exitCode = 0;
        return;
      }
      return fail(e.message.replace(/^error: /, ""), 2);
    }
    if (e instanceof CowsimError) return fail(e.message, e.exitCode);
    if (process.env.COWSIM_STACK) process.stderr.write(`${(e as Error)?.stack ?? e}\n`);
    const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
    return fail(`internal error: ${msg}`, 1);
  }
}

function isEntry(): boolean {
  try {
    return !!process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntry()) await main(process.argv.slice(2));
