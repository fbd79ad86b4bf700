/**
 * Scenario files: what a user asks cowsim to run (YAML or JSON).
 *
 * ```yaml
 * name: seed-1m            # optional (defaults to the file's base name)
 * python: "3.11"           # CPython profile: "2.7", "3.6" … "3.13"
 * pageSize: 4096           # optional: 4096 (default), 16384, 65536
 * steps:
 *   - run: "import gc; gc.set_threshold(0)"   # Python source, run in process main
 *   - fork: child                             # main forks a process named child
 *   - fork: grandchild                        # …or another one forks it:
 *     from: child
 *   - snapshot: forked                        # measure every live process
 *   - run: "for i in long_list: pass"
 *     in: child                               # run in that process
 *   - exit: child                             # that process ends
 * ```
 *
 * Process `main` exists at the start. Each process has its own namespace; a fork copies it.
 * Every problem is reported as a one-line `CowsimError` naming the file and the step.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { basename, extname } from "node:path";
import { CowsimError } from "./errors.js";
import { buildSchemas, parseScenarioText, type Scenario, type Schemas } from "./scenario-data.js";

export * from "./scenario-data.js";

// js-yaml's ES module is one file: ~4 ms to load, where the `yaml` package's 74 took ~20 ms of
// every run's start-up (docs/benchmarks.md).
import { load, CORE_SCHEMA } from "js-yaml";

const require = createRequire(import.meta.url);

let schemas: Schemas | undefined;
/**
 * The schemas, zod loaded synchronously (its CommonJS build) and only for a document that breaks
 * a rule (see scenario-data.ts): parseScenario is synchronous.
 */
export function zodSchemas(): Schemas {
  return (schemas ??= buildSchemas((require("zod") as typeof import("zod")).z));
}

/** Parse a scenario from YAML or JSON text. `file` is only used in messages. */
export function parseScenario(text: string, file?: string): Scenario {
  return parseScenarioText(text, { load, CORE_SCHEMA }, {
    ...(file ? { file, defaultName: basename(file, extname(file)) } : {}),
    schemas: zodSchemas,
  });
}

/** Read and parse a scenario file. */
export function loadScenario(path: string): Scenario {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new CowsimError(code === "ENOENT" ? "no such file" : `cannot read: ${(e as Error).message}`, { file: path });
  }
  return parseScenario(text, path);
}
