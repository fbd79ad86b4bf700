/**
 * The simulator as a function of a scenario, for the commands (`cowsim run`, the validation suite).
 * Apart from src/validate/ so that `cowsim run` loads none of the real side's modules.
 */
import { CowsimError } from "./errors.js";
import type { RunReport } from "./report.js";
import type { Scenario } from "./scenario.js";

export type SimulateFn = (scenario: Scenario) => Promise<RunReport>;

export interface SimulatorOptions {
  variant?: "release" | "debug";
  ramBytes?: number;
  onStep?: (done: number, total: number) => void;
  /** Each process's memory split by where it is (ProcessMeasure.byKind). */
  byKind?: boolean;
}

/**
 * Load the simulator lazily (src/sim/run.ts and the WebAssembly module), so that commands that
 * never simulate, and every error message about bad input, work even when it cannot load.
 */
export async function loadSimulator(opts: SimulatorOptions = {}): Promise<SimulateFn> {
  // Specifiers in variables: the simulator (src/sim/run.ts) is typed by its own module and may be
  // absent from a build; this module must compile and load without it.
  const runModule: string = "./sim/run.js";
  const loadModulePath: string = "./node/load.js";
  let simulate: (scenario: Scenario, o: { module: WebAssembly.Module; variant: string; ramBytes?: number; onStep?: SimulatorOptions["onStep"]; byKind?: boolean }) => Promise<RunReport>;
  let loadModule: (variant: string) => WebAssembly.Module;
  try {
    ({ simulate } = await import(runModule));
    ({ loadModule } = await import(loadModulePath));
    if (typeof simulate !== "function" || typeof loadModule !== "function") throw new Error("simulate() or loadModule() is missing");
  } catch (e) {
    // paths relative to the working directory, so that messages (and docs/fidelity.md) do not name this machine's
    const msg = (e as Error).message.split("\n")[0].split(process.cwd() + "/").join("");
    throw new CowsimError(`the simulator cannot be loaded: ${msg}`, {}, 1);
  }
  const variant = opts.variant ?? "release";
  const module = loadModule(variant);
  return (scenario) => simulate(scenario, { module, variant, ramBytes: opts.ramBytes, onStep: opts.onStep, ...(opts.byKind ? { byKind: true } : {}) });
}

