/**
 * Runs a scenario on the simulated machine and reports what /proc would say.
 *
 * One Machine per scenario; each scenario process is a simulated process
 * running the mini-CPython of the scenario's version. fork forks the
 * simulated process (its heap, namespace and interpreter state are in its
 * simulated memory, so the child gets them as fork gives them).
 */
import { Machine, SimError, type SmapsRollup } from "../machine.js";
import type { Variant } from "../wasm.js";
import type { Scenario } from "../scenario-data.js";
import type { RunReport, ProcessMeasure } from "../report.js";
import { CowsimError } from "../errors.js";
import { Interpreter } from "./interpreter.js";

export interface SimOptions {
  /** The compiled module (Node: loadModule(variant)). */
  module: WebAssembly.Module;
  variant?: Variant;
  /** Simulated RAM in bytes. */
  ramBytes?: number;
  /** Called after each step (for a progress bar). */
  onStep?: (done: number, total: number) => void;
  /** Each process's memory split by where it is (ProcessMeasure.byKind). */
  byKind?: boolean;
}

export async function simulate(scenario: Scenario, opts: SimOptions): Promise<RunReport> {
  const where = { ...(scenario.file ? { file: scenario.file } : {}) };
  let machine: Machine;
  try {
    machine = await Machine.create({
      python: scenario.python,
      pageSize: scenario.pageSize,
      module: opts.module,
      variant: opts.variant,
      ramBytes: opts.ramBytes,
    });
  } catch (e) {
    if (e instanceof SimError) throw new CowsimError(e.message, where);
    throw e;
  }
  const whatIf = scenario.whatIf ?? {};
  const interp = new Interpreter(machine, { immortalObjects: !!(whatIf.immortalObjects || whatIf.immortalizeBeforeFork) });
  const pids = new Map<string, number>();
  /** Scenario process number (main = 1, then fork order) for deterministic reports. */
  const numbers = new Map<string, number>();
  pids.set("main", interp.startProcess());
  numbers.set("main", 1);
  const report: RunReport = {
    name: scenario.name, python: scenario.python, pageSize: scenario.pageSize,
    ...(scenario.whatIf ? { whatIf: scenario.whatIf } : {}),
    snapshots: [],
  };
  const total = scenario.steps.length;
  for (const step of scenario.steps) {
    const at = { ...where, step: step.index };
    try {
      switch (step.kind) {
        case "run": {
          const pid = pids.get(step.process)!;
          if (!machine.isAlive(pid)) {
            throw new CowsimError(`process "${step.process}" was killed at an earlier step and cannot run`, at);
          }
          try {
            interp.run(pid, step.code);
          } catch (e) {
            // A simulated MemoryError or a killed process is a result to report, not a failure of cowsim.
            if (e instanceof CowsimError && isSimulatedOutcome(e.what)) {
              (report.events ??= []).push({ step: step.index, process: step.process, result: e.what });
              break;
            }
            throw e;
          }
          break;
        }
        case "fork": {
          if (whatIf.immortalizeBeforeFork) interp.immortalizeHeap(pids.get(step.parent)!);
          const child = machine.fork(pids.get(step.parent)!);
          pids.set(step.child, child);
          numbers.set(step.child, numbers.size + 1);
          break;
        }
        case "exit":
          machine.exit(pids.get(step.process)!);
          pids.delete(step.process);
          break;
        case "snapshot": {
          const processes: ProcessMeasure[] = [];
          for (const [name, pid] of pids) {
            if (!machine.isAlive(pid)) continue;
            const m = measure(name, numbers.get(name)!, machine.smapsRollup(pid));
            if (opts.byKind) m.byKind = machine.memoryByKind(pid);
            processes.push(m);
          }
          report.snapshots.push({ label: step.label, processes });
          break;
        }
      }
    } catch (e) {
      if (e instanceof CowsimError) throw e.at(at);
      if (e instanceof SimError) throw new CowsimError(e.message, at);
      throw e;
    }
    opts.onStep?.(step.index, total);
  }
  return report;
}

function isSimulatedOutcome(what: string): boolean {
  return what.startsWith("MemoryError") || what.startsWith("the simulated process was killed");
}

function measure(name: string, pid: number, r: SmapsRollup): ProcessMeasure {
  const { rssKiB, pssKiB, sharedCleanKiB, sharedDirtyKiB, privateCleanKiB, privateDirtyKiB, ussKiB, minflt, majflt } = r;
  return { name, pid, rssKiB, pssKiB, sharedCleanKiB, sharedDirtyKiB, privateCleanKiB, privateDirtyKiB, ussKiB, minflt, majflt };
}
