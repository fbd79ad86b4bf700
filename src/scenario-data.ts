/**
 * The rules of a scenario document, apart from the text it is read from: a parsed YAML or JSON
 * value (src/scenario.ts reads files; a page builds the object itself) becomes a checked
 * `Scenario`. No Node built-in is used here, so the simulator's browser entry (src/browser.ts)
 * checks scenarios by the same rules as `cowsim run`.
 */
import { CowsimError } from "./errors.js";

export const PYTHON_PROFILES = ["2.7", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13"] as const;
export type PythonProfile = (typeof PYTHON_PROFILES)[number];

export const PAGE_SIZES = [4096, 16384, 65536] as const;
export type PageSize = (typeof PAGE_SIZES)[number];

export const MAIN_PROCESS = "main";

/** Run Python source (statements) in a process, like module-level code of `__main__`. */
export interface RunStep {
  kind: "run";
  /** 1-based position in `steps`. */
  index: number;
  code: string;
  /** The process that runs it (default `main`). */
  process: string;
}
/** `parent` forks a new process named `child`. */
export interface ForkStep {
  kind: "fork";
  index: number;
  child: string;
  parent: string;
}
/** Measure every live process. */
export interface SnapshotStep {
  kind: "snapshot";
  index: number;
  label: string;
}
/** The process ends. */
export interface ExitStep {
  kind: "exit";
  index: number;
  process: string;
}
export type Step = RunStep | ForkStep | SnapshotStep | ExitStep;

/**
 * What-ifs beyond stock CPython (the simulation only; the real side ignores them):
 *   immortalObjects        3.12-style immortal objects on any profile: static objects, small ints and
 *                          interned strings get the immortal refcount, and Py_INCREF/Py_DECREF skip them;
 *   immortalizeBeforeFork  Cinder's "immortalize the heap before fork": before every fork, collect, freeze,
 *                          and make every object reachable from a tracked container immortal (implies
 *                          immortalObjects).
 */
export interface WhatIf {
  immortalObjects?: boolean;
  immortalizeBeforeFork?: boolean;
}

export interface Scenario {
  name: string;
  python: PythonProfile;
  pageSize: PageSize;
  steps: Step[];
  whatIf?: WhatIf;
  /** Where it was read from, for error messages (if known). */
  file?: string;
}

const NAME_RE = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

/*
 * The rules of a scenario document are the zod schemas below; their first issue is the message.
 * Importing zod and building the schemas costs ~45 ms, more than the rest of a small run, so both
 * happen only for a document that breaks a rule: `checkTop` and `checkStep` accept the well-formed
 * ones without zod. They accept nothing the schemas reject and return what the schemas would
 * (an object in the schema's key order); anything they do not accept goes to the schemas, which
 * either accept it too or say what is wrong.
 */
export type Zod = typeof import("zod").z;
export type Schemas = ReturnType<typeof buildSchemas>;

export function buildSchemas(z: Zod) {
  const processName = z
    .string()
    .regex(NAME_RE, "a process name is letters, digits, _ . - (starting with a letter or _)");
  const steps = {
    run: z.strictObject({ run: z.string(), in: processName.optional() }),
    fork: z.strictObject({ fork: processName, from: processName.optional() }),
    snapshot: z.strictObject({ snapshot: z.string().min(1, "a snapshot needs a label") }),
    exit: z.strictObject({ exit: processName }),
  };
  const top = z.strictObject({
    name: z.string().min(1).optional(),
    python: z.union([z.string(), z.number()]),
    pageSize: z.number().optional(),
    whatIf: z.strictObject({ immortalObjects: z.boolean().optional(), immortalizeBeforeFork: z.boolean().optional() }).optional(),
    steps: z.array(z.unknown()).min(1, "steps: at least one step is needed"),
  });
  return { top, steps };
}

export function zodMessage(err: import("zod").ZodError): string {
  const issue = err.issues[0];
  const path = issue.path.length ? issue.path.join(".") + ": " : "";
  if (issue.code === "unrecognized_keys") return `${path}unknown key${issue.keys.length > 1 ? "s" : ""} ${issue.keys.map((k) => JSON.stringify(k)).join(", ")}`;
  if (issue.code === "invalid_type") return `${path}expected ${issue.expected}`;
  return path + issue.message;
}

interface TopData {
  name?: string;
  python: string | number;
  pageSize?: number;
  whatIf?: WhatIf;
  steps: unknown[];
}
type StepData = {
  run: { run: string; in?: string };
  fork: { fork: string; from?: string };
  snapshot: { snapshot: string };
  exit: { exit: string };
};
export type StepKind = keyof StepData;
const STEP_KINDS: Record<StepKind, readonly string[]> = {
  run: ["run", "in"],
  fork: ["fork", "from"],
  snapshot: ["snapshot"],
  exit: ["exit"],
};
const TOP_KEYS: readonly string[] = ["name", "python", "pageSize", "whatIf", "steps"];
const WHAT_IF_KEYS: readonly string[] = ["immortalObjects", "immortalizeBeforeFork"];

function isRecord(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
/** Only keys of `allowed`, in any order (what a strict object accepts). */
function onlyKeys(o: Record<string, unknown>, allowed: readonly string[]): boolean {
  for (const k of Object.keys(o)) if (!allowed.includes(k)) return false;
  return true;
}
/** z.number() accepts finite numbers only. */
function isNumber(v: unknown): v is number {
  return typeof v === "number" && Number.isFinite(v);
}
function isProcessName(v: unknown): v is string {
  return typeof v === "string" && NAME_RE.test(v);
}

/** The top level without zod, or undefined when the schema has to judge it (exported for the tests). */
export function checkTop(raw: Record<string, unknown>): TopData | undefined {
  if (!onlyKeys(raw, TOP_KEYS)) return undefined;
  const { name, python, pageSize, whatIf, steps } = raw;
  if (name !== undefined && (typeof name !== "string" || name.length < 1)) return undefined;
  if (typeof python !== "string" && !isNumber(python)) return undefined;
  if (pageSize !== undefined && !isNumber(pageSize)) return undefined;
  if (!Array.isArray(steps) || steps.length < 1) return undefined;
  let w: WhatIf | undefined;
  if (whatIf !== undefined) {
    if (!isRecord(whatIf) || !onlyKeys(whatIf, WHAT_IF_KEYS)) return undefined;
    const { immortalObjects: io, immortalizeBeforeFork: ib } = whatIf;
    if ((io !== undefined && typeof io !== "boolean") || (ib !== undefined && typeof ib !== "boolean")) return undefined;
    w = { ...(io !== undefined ? { immortalObjects: io } : {}), ...(ib !== undefined ? { immortalizeBeforeFork: ib } : {}) };
  }
  return {
    ...(name !== undefined ? { name } : {}),
    python,
    ...(pageSize !== undefined ? { pageSize } : {}),
    ...(w ? { whatIf: w } : {}),
    steps,
  };
}

/** One step of a known kind without zod, or undefined when the schema has to judge it (exported for the tests). */
export function checkStep<K extends StepKind>(kind: K, raw: Record<string, unknown>): StepData[K] | undefined {
  if (!onlyKeys(raw, STEP_KINDS[kind])) return undefined;
  switch (kind) {
    case "run": {
      const { run, in: where } = raw;
      if (typeof run !== "string" || (where !== undefined && !isProcessName(where))) return undefined;
      return { run, ...(where !== undefined ? { in: where } : {}) } as StepData[K];
    }
    case "fork": {
      const { fork, from } = raw;
      if (!isProcessName(fork) || (from !== undefined && !isProcessName(from))) return undefined;
      return { fork, ...(from !== undefined ? { from } : {}) } as StepData[K];
    }
    case "snapshot": {
      const { snapshot } = raw;
      return typeof snapshot === "string" && snapshot.length >= 1 ? ({ snapshot } as StepData[K]) : undefined;
    }
    case "exit": {
      const { exit } = raw;
      return isProcessName(exit) ? ({ exit } as StepData[K]) : undefined;
    }
  }
  return undefined;
}

const STEP_SHAPES: Record<StepKind, string> = {
  run: "{run: CODE, in?: PROCESS}",
  fork: "{fork: PROCESS, from?: PROCESS}",
  snapshot: "{snapshot: LABEL}",
  exit: "{exit: PROCESS}",
};

export interface FromDataOptions {
  /** Where the document was read from, for messages and the report. */
  file?: string;
  /** The name when the document has none. */
  defaultName?: string;
  /** The zod schemas, which say what is wrong with a document the quick checks do not accept (absent: a shorter message). */
  schemas?: () => Schemas;
}

/** A scenario from its parsed document (what YAML or JSON text parses to). */
export function scenarioFromData(raw: unknown, o: FromDataOptions = {}): Scenario {
  const where = o.file ? { file: o.file } : {};
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) {
    throw new CowsimError("a scenario is a mapping with python and steps", where);
  }
  for (const k of ["python", "steps"]) {
    if (!(k in raw)) throw new CowsimError(`missing "${k}"`, where);
  }
  let t = checkTop(raw as Record<string, unknown>);
  if (!t) {
    const top = o.schemas ? o.schemas().top.safeParse(raw) : undefined;
    if (!top) throw new CowsimError(`expected {name?, python, pageSize?, whatIf?, steps: [...]}`, where);
    if (!top.success) throw new CowsimError(zodMessage(top.error), where);
    t = top.data;
  }

  const python = String(t.python);
  if (!(PYTHON_PROFILES as readonly string[]).includes(python)) {
    const hint = typeof t.python === "number" ? ` (write the version in quotes, e.g. python: "3.10")` : "";
    throw new CowsimError(`unknown python profile "${python}"${hint}; known: ${PYTHON_PROFILES.join(", ")}`, where);
  }
  const pageSize = t.pageSize ?? 4096;
  if (!(PAGE_SIZES as readonly number[]).includes(pageSize)) {
    throw new CowsimError(`bad pageSize ${pageSize}; use one of ${PAGE_SIZES.join(", ")}`, where);
  }

  const name = t.name ?? o.defaultName ?? "scenario";
  const live = new Set<string>([MAIN_PROCESS]);
  const ended = new Set<string>();
  const labels = new Set<string>();
  const steps: Step[] = [];

  t.steps.forEach((rawStep, i) => {
    const index = i + 1;
    const at = { ...where, step: index };
    if (rawStep === null || typeof rawStep !== "object" || Array.isArray(rawStep)) {
      throw new CowsimError(`a step is a mapping such as {run: "..."}, {fork: NAME}, {snapshot: LABEL} or {exit: NAME}`, at);
    }
    const kinds = Object.keys(rawStep).filter((k): k is StepKind => Object.hasOwn(STEP_KINDS, k));
    if (kinds.length === 0) {
      const keys = Object.keys(rawStep);
      throw new CowsimError(
        `unknown step kind ${keys.length ? JSON.stringify(keys[0]) : "(empty step)"}; expected run, fork, snapshot or exit`,
        at,
      );
    }
    if (kinds.length > 1) throw new CowsimError(`one step, one kind: found ${kinds.join(" and ")}`, at);
    const kind = kinds[0];
    let parsed = checkStep(kind, rawStep as Record<string, unknown>);
    if (!parsed) {
      const r = o.schemas ? o.schemas().steps[kind].safeParse(rawStep) : undefined;
      if (!r) throw new CowsimError(`expected ${STEP_SHAPES[kind]}`, at);
      if (!r.success) throw new CowsimError(zodMessage(r.error), at);
      parsed = r.data;
    }
    const needLive = (p: string, role: string) => {
      if (live.has(p)) return;
      if (ended.has(p)) throw new CowsimError(`${role}process "${p}" has exited`, at);
      throw new CowsimError(`${role}process "${p}" does not exist`, at);
    };
    switch (kind) {
      case "run": {
        const s = parsed as StepData["run"];
        const process = s.in ?? MAIN_PROCESS;
        needLive(process, "");
        steps.push({ kind, index, code: s.run, process });
        break;
      }
      case "fork": {
        const s = parsed as StepData["fork"];
        const parent = s.from ?? MAIN_PROCESS;
        needLive(parent, "parent ");
        if (live.has(s.fork)) throw new CowsimError(`process "${s.fork}" already exists`, at);
        if (ended.has(s.fork)) throw new CowsimError(`process "${s.fork}" existed before; pick a new name`, at);
        live.add(s.fork);
        steps.push({ kind, index, child: s.fork, parent });
        break;
      }
      case "snapshot": {
        const s = parsed as StepData["snapshot"];
        if (labels.has(s.snapshot)) throw new CowsimError(`snapshot "${s.snapshot}" already exists`, at);
        labels.add(s.snapshot);
        steps.push({ kind, index, label: s.snapshot });
        break;
      }
      case "exit": {
        const s = parsed as StepData["exit"];
        needLive(s.exit, "");
        live.delete(s.exit);
        ended.add(s.exit);
        steps.push({ kind, index, process: s.exit });
        break;
      }
    }
  });
  return {
    name, python: python as PythonProfile, pageSize: pageSize as PageSize, steps,
    ...(t.whatIf ? { whatIf: t.whatIf } : {}),
    ...(o.file ? { file: o.file } : {}),
  };
}


/** What parseScenarioText needs of the `js-yaml` package (the same single-file build in Node and in a page). */
export interface YamlLib {
  load: typeof import("js-yaml").load;
  CORE_SCHEMA: typeof import("js-yaml").CORE_SCHEMA;
}

/**
 * A scenario from YAML or JSON text (JSON is YAML), read with YAML 1.2's core schema (no
 * timestamps, no merge keys: `2024-01-01` stays a string); errors in the text name their line
 * and column. An empty document (nothing but comments) reads as null, as the scenario rules expect.
 */
export function parseScenarioText(text: string, yaml: YamlLib, o: FromDataOptions = {}): Scenario {
  let data: unknown;
  try {
    data = yaml.load(text, { schema: yaml.CORE_SCHEMA });
  } catch (e) {
    // js-yaml throws YAMLException (reason, and mark: 0-based line and column); anything else
    // (a stack overflow on absurd nesting) is still a broken document, not a crash.
    const err = e as { reason?: unknown; mark?: { line: number; column: number }; message?: unknown };
    const reason = typeof err.reason === "string" ? err.reason : String(err.message ?? e);
    if (!err.mark && /input is empty/.test(reason)) {
      data = null;
    } else {
      throw new CowsimError(`invalid YAML: ${reason}`, {
        ...(o.file ? { file: o.file } : {}),
        ...(err.mark ? { line: err.mark.line + 1, column: err.mark.column + 1 } : {}),
      });
    }
  }
  return scenarioFromData(data, o);
}
