/**
 * The validation suite: run scenarios on real CPython + the real kernel and on the simulator, and
 * compare (src/validate/compare.ts).
 *
 * Version limits live in a scenario's leading comment block, one line:
 *
 *     # versions: 3.7+            (or: all · 2.7 · 3 (every 3.x) · 3.6-3.11 · 2.7, 3.8+ …)
 *
 * Without that line a scenario is valid on every profile (2.7, 3.6 … 3.13). The suite runs each
 * scenario on every installed version its limits allow.
 *
 * Failures are results, not crashes: a real-side failure (the interpreter, a Python error) or a
 * simulated-side one (unsupported construct, not yet implemented, a simulator error or crash) is
 * recorded with its one-line message.
 */
import { readFileSync } from "node:fs";
import { CowsimError } from "../errors.js";
import type { RunReport } from "../report.js";
import { parseScenario, PYTHON_PROFILES, type PythonProfile, type Scenario } from "../scenario.js";
import { checkMachine, findPython, pythonVersion, type FoundPython } from "../real/discover.js";
import { runReal } from "../real/runner.js";
import { compareReports, type Comparison } from "./compare.js";
import type { SimulateFn } from "../simulator.js";

export interface SuiteEntry {
  file: string;
  scenario: Scenario;
  /** The profiles the scenario is valid for (its `# versions:` line, or all). */
  versions: PythonProfile[];
  /** The `# versions:` text as written, if any. */
  versionsSpec?: string;
  /** The leading comment block (without the versions line). */
  description: string;
}

function profileIndex(p: string, file: string): number {
  const i = (PYTHON_PROFILES as readonly string[]).indexOf(p);
  if (i < 0) throw new CowsimError(`versions: unknown python version "${p}"; known: ${PYTHON_PROFILES.join(", ")}`, { file });
  return i;
}

/** Parse a `versions:` spec such as "3.7+", "all", "3", "2.7, 3.8-3.11". */
export function parseVersions(spec: string, file = ""): PythonProfile[] {
  const set = new Set<number>();
  for (const raw of spec.split(",")) {
    const item = raw.trim();
    if (!item) continue;
    let m: RegExpExecArray | null;
    if (item === "all") PYTHON_PROFILES.forEach((_, i) => set.add(i));
    else if (item === "2" || item === "2.x") set.add(profileIndex("2.7", file));
    else if (item === "3" || item === "3.x" || item === "3+") PYTHON_PROFILES.forEach((p, i) => p.startsWith("3.") && set.add(i));
    else if ((m = /^(\d+\.\d+)\+$/.exec(item))) {
      const from = profileIndex(m[1], file);
      PYTHON_PROFILES.forEach((_, i) => i >= from && set.add(i));
    } else if ((m = /^(\d+\.\d+)\s*-\s*(\d+\.\d+)$/.exec(item))) {
      const [a, b] = [profileIndex(m[1], file), profileIndex(m[2], file)];
      PYTHON_PROFILES.forEach((_, i) => i >= a && i <= b && set.add(i));
    } else if (/^\d+\.\d+$/.test(item)) set.add(profileIndex(item, file));
    else throw new CowsimError(`versions: cannot read "${item}" (use e.g. all, 3.7+, 3, 2.7, 3.6-3.11)`, { file });
  }
  if (set.size === 0) throw new CowsimError(`versions: no version given`, { file });
  return PYTHON_PROFILES.filter((_, i) => set.has(i));
}

/** The `# versions:` line of a scenario text's leading comment block, if any. */
export function versionsLine(text: string): string | undefined {
  for (const line of text.split("\n")) {
    const t = line.trim();
    if (t === "") continue;
    if (!t.startsWith("#")) break;
    const m = /^#\s*versions\s*:\s*(.*?)\s*$/i.exec(t);
    if (m) return m[1];
  }
  return undefined;
}

/** The leading comment block without its `versions:` line (a scenario's description). */
export function descriptionOf(text: string): string {
  const out: string[] = [];
  for (const line of text.split("\n")) {
    const t = line.trim();
    if (t === "") continue;
    if (!t.startsWith("#")) break;
    if (/^#\s*versions\s*:/i.test(t)) continue;
    out.push(t.replace(/^#\s?/, ""));
  }
  return out.join(" ");
}

export function loadEntry(file: string): SuiteEntry {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CowsimError(code === "ENOENT" ? "no such file" : `cannot read: ${(e as Error).message}`, { file });
  }
  const scenario = parseScenario(text, file);
  const spec = versionsLine(text);
  return { file, scenario, description: descriptionOf(text), versions: spec === undefined ? [...PYTHON_PROFILES] : parseVersions(spec, file), ...(spec !== undefined ? { versionsSpec: spec } : {}) };
}

/** The installed interpreter of each profile (those found by discovery). */
export function installedPythons(): Map<PythonProfile, FoundPython> {
  const out = new Map<PythonProfile, FoundPython>();
  for (const p of PYTHON_PROFILES) {
    try {
      out.set(p, findPython(p));
    } catch {
      /* not installed */
    }
  }
  return out;
}

/**
 * `--python VERSION|PATH`: a profile ("3.11") or an interpreter's path (its version gives the profile).
 * Throws a CowsimError for an unknown profile or a path that does not run.
 */
export function resolvePythonOption(arg: string): { profile: PythonProfile; path?: string } {
  if (/^\d+\.\d+$/.test(arg)) {
    if (!(PYTHON_PROFILES as readonly string[]).includes(arg)) {
      throw new CowsimError(`unknown python profile "${arg}"; known: ${PYTHON_PROFILES.join(", ")}`);
    }
    return { profile: arg as PythonProfile };
  }
  const version = pythonVersion(arg);
  if (!version) throw new CowsimError(`cannot run python "${arg}" (give a version such as 3.11 or an interpreter's path)`);
  const profile = version.split(".").slice(0, 2).join(".");
  if (!(PYTHON_PROFILES as readonly string[]).includes(profile)) {
    throw new CowsimError(`python "${arg}" is ${version}; cowsim knows ${PYTHON_PROFILES.join(", ")}`);
  }
  return { profile: profile as PythonProfile, path: arg };
}

export type SimFailureKind = "unsupported" | "not implemented" | "unavailable" | "error" | "crash";

export interface CaseFailure {
  kind: SimFailureKind | "real";
  message: string;
}

export interface CaseResult {
  name: string;
  file?: string;
  python: PythonProfile;
  interpreter?: { path: string; version: string };
  real: RunReport | null;
  simulated: RunReport | null;
  comparison: Comparison | null;
  realFailure?: CaseFailure;
  simFailure?: CaseFailure;
  /** Wall time of each side, seconds (not part of any deterministic output). */
  seconds: { real: number; simulated: number };
}

export { loadSimulator, type SimulateFn, type SimulatorOptions } from "../simulator.js";

/** Classify a simulated-side error by its message. */
export function classifySimError(e: unknown): CaseFailure {
  if (e instanceof CowsimError) {
    const m = e.message;
    if (/unsupported construct|not supported|unsupported/i.test(m)) return { kind: "unsupported", message: m };
    if (/not (yet )?implemented|not available yet/i.test(m)) return { kind: "not implemented", message: m };
    if (/simulator cannot be loaded/.test(m)) return { kind: "unavailable", message: m };
    return { kind: "error", message: m };
  }
  const msg = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return { kind: "crash", message: msg.split("\n")[0] };
}

function oneLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0];
}

export interface CaseOptions {
  /** The simulator, or the error that kept it from loading. */
  simulate: SimulateFn | CowsimError;
  /** Explicit interpreter path (its version must be `profile`). */
  pythonPath?: string;
  /** Called before each side starts (progress). */
  onPhase?: (phase: "real" | "simulated") => void;
  /** Run only the real side. */
  realOnly?: boolean;
  /** Simulate first (default: the real side first). */
  simFirst?: boolean;
  /** Do not run the second side when the first failed. */
  stopOnFailure?: boolean;
}

/** Run one scenario under one profile on both sides; never throws for a run's failure. */
export async function runCase(base: Scenario, profile: PythonProfile, opts: CaseOptions): Promise<CaseResult> {
  const scenario: Scenario = { ...base, python: profile };
  const result: CaseResult = {
    name: scenario.name,
    ...(scenario.file ? { file: scenario.file } : {}),
    python: profile,
    real: null,
    simulated: null,
    comparison: null,
    seconds: { real: 0, simulated: 0 },
  };
  const realSide = async () => {
    const t = Date.now();
    try {
      const found = findPython(profile, opts.pythonPath);
      result.interpreter = { path: found.path, version: found.version };
      opts.onPhase?.("real");
      result.real = await runReal(scenario, { python: found.path });
    } catch (e) {
      result.realFailure = { kind: "real", message: oneLine(e) };
    }
    result.seconds.real = (Date.now() - t) / 1000;
  };
  const simSide = async () => {
    const t = Date.now();
    if (opts.simulate instanceof CowsimError) {
      result.simFailure = classifySimError(opts.simulate);
    } else {
      try {
        opts.onPhase?.("simulated");
        result.simulated = await opts.simulate(scenario);
      } catch (e) {
        result.simFailure = classifySimError(e);
      }
    }
    result.seconds.simulated = (Date.now() - t) / 1000;
  };
  if (opts.realOnly) {
    await realSide();
    return result;
  }
  if (opts.simFirst) {
    await simSide();
    if (result.simFailure && opts.stopOnFailure) return result;
    await realSide();
  } else {
    await realSide();
    if (result.realFailure && opts.stopOnFailure) return result;
    await simSide();
  }
  if (result.real && result.simulated) result.comparison = compareReports(result.real, result.simulated);
  return result;
}

/** Throws the machine's problem (non-Linux, no smaps_rollup) as a CowsimError. */
export function checkRealMachine(): void {
  checkMachine();
}

/** The (scenario, profile) pairs the suite runs: each scenario on every installed version it allows. */
export function suitePlan(entries: SuiteEntry[], installed: Iterable<PythonProfile>): { entry: SuiteEntry; profile: PythonProfile }[] {
  const have = new Set(installed);
  const out: { entry: SuiteEntry; profile: PythonProfile }[] = [];
  for (const entry of entries) for (const p of entry.versions) if (have.has(p)) out.push({ entry, profile: p });
  return out;
}
