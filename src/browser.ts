/**
 * cowsim in a web page (or any JavaScript host without Node): the same simulator as `cowsim run`,
 * fed a scenario *document* — the object a YAML or JSON scenario file parses to — instead of a file.
 *
 * ```js
 * import { compileModule, runScenario } from "./dist/src/browser.js";
 * const module = await compileModule(new URL("./build/release.wasm", import.meta.url));
 * const { report, text } = await runScenario({ python: "3.11", steps: [...] }, module);
 * ```
 *
 * `report` is the document `cowsim run --json` prints (byte-identical once JSON.stringify'd the same
 * way), `text` the report `cowsim run` prints. A bad scenario or a Python error rejects with a
 * `CowsimError` whose message is the one line the command would print (without "cowsim: ").
 * Nothing here, nor in what it imports, uses a Node built-in (test/browser.test.ts walks the imports;
 * test/browser-page.test.ts runs web/index.html in Chromium when one is installed).
 */
import { simulate } from "./sim/run.js";
import { scenarioFromData, parseScenarioText, type YamlLib } from "./scenario-data.js";
import { formatReport, type RunReport } from "./report.js";
import { comparisonDocument, formatComparison, type ComparisonDocument, type VersionRun } from "./compare.js";
import { CowsimError } from "./errors.js";
import type { PythonProfile, Scenario } from "./scenario-data.js";

export { CowsimError };
export { PYTHON_PROFILES, PAGE_SIZES } from "./scenario-data.js";
import { PYTHON_PROFILES } from "./scenario-data.js";
export type { RunReport } from "./report.js";

/** Compiles the simulator's WebAssembly module (build/release.wasm) from a URL, a Response or its bytes. */
export async function compileModule(source: URL | string | Response | BufferSource): Promise<WebAssembly.Module> {
  if (typeof source === "string" || source instanceof URL) source = await fetch(source);
  if (source instanceof Response) {
    if (!source.ok) throw new Error(`cannot load the simulator module: HTTP ${source.status} for ${source.url}`);
    return WebAssembly.compile(await source.arrayBuffer());
  }
  return WebAssembly.compile(source);
}

export interface RunOptions {
  /** Simulated RAM in bytes (default: as `cowsim run`). */
  ramBytes?: number;
  /** Called after each step (for a progress bar). */
  onStep?: (done: number, total: number) => void;
  /** The scenario's name when the document has none. */
  name?: string;
  /** Simulate this CPython profile instead of the scenario's (as `cowsim run --python`). */
  python?: PythonProfile;
  /** Also split each process's memory by where it is (as `cowsim run --by-kind`). */
  byKind?: boolean;
}

/** The checked scenario from a document or scenario text, with o.python instead of its own if given. */
function toScenario(scenarioOrText: unknown, o: RunOptions & { yaml?: YamlLib }): Scenario {
  const from = { defaultName: o.name ?? "scenario" };
  let scenario: Scenario;
  if (typeof scenarioOrText === "string") {
    if (!o.yaml) throw new TypeError("runScenario: pass the js-yaml package (o.yaml) to read scenario text");
    scenario = parseScenarioText(scenarioOrText, o.yaml, from);
  } else {
    scenario = scenarioFromData(scenarioOrText, from);
  }
  if (o.python) {
    if (!(PYTHON_PROFILES as readonly string[]).includes(o.python)) {
      throw new CowsimError(`unknown python profile "${o.python}"; known: ${PYTHON_PROFILES.join(", ")}`);
    }
    scenario = { ...scenario, python: o.python };
  }
  return scenario;
}

/**
 * Checks the scenario by the rules of scenario files, simulates it, and reports. `scenario` is a
 * document (the object a scenario file parses to) or, with `yaml` (the `js-yaml` package, its ES
 * module: `import * as yaml from "js-yaml"`), the text of a YAML or JSON scenario file.
 */
export async function runScenario(
  scenarioOrText: unknown,
  module: WebAssembly.Module,
  o: RunOptions & { yaml?: YamlLib } = {},
): Promise<{ report: RunReport; text: string }> {
  const scenario = toScenario(scenarioOrText, o);
  const report = await simulate(scenario, {
    module,
    variant: "release",
    ...(o.ramBytes !== undefined ? { ramBytes: o.ramBytes } : {}),
    ...(o.onStep ? { onStep: o.onStep } : {}),
    ...(o.byKind ? { byKind: true } : {}),
  });
  return { report, text: formatReport(report) };
}

/**
 * The same scenario on several profiles (default: all), as `cowsim compare`: each version's report or
 * the error that stopped it, the document `cowsim compare --json` prints, and the side-by-side text.
 */
export async function compareVersions(
  scenarioOrText: unknown,
  module: WebAssembly.Module,
  o: Omit<RunOptions, "python"> & { yaml?: YamlLib; versions?: readonly PythonProfile[] } = {},
): Promise<{ runs: VersionRun[]; document: ComparisonDocument; text: string }> {
  const versions = o.versions ?? PYTHON_PROFILES;
  const scenario = toScenario(scenarioOrText, o); // a bad scenario is an error, not a result per version
  const runs: VersionRun[] = [];
  for (const [i, python] of versions.entries()) {
    try {
      const report = await simulate({ ...scenario, python }, {
        module,
        variant: "release",
        ...(o.ramBytes !== undefined ? { ramBytes: o.ramBytes } : {}),
        ...(o.onStep ? { onStep: (done: number, total: number) => o.onStep!(i * total + done, versions.length * total) } : {}),
      });
      runs.push({ python, report });
    } catch (e) {
      if (!(e instanceof CowsimError)) throw e;
      runs.push({ python, error: e.message });
    }
  }
  return {
    runs,
    document: comparisonDocument(scenario.name, scenario.pageSize, runs),
    text: formatComparison(scenario.name, scenario.pageSize, runs),
  };
}
