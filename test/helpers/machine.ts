import { Machine, type MachineOptions } from "../../src/machine.js";
import { loadModule } from "../../src/node/load.js";
import type { PyVersion } from "../../src/profiles/obmalloc.js";

/** A machine on the debug build (assertions on), as every test uses. */
export function debugMachine(python: PyVersion = "3.11", opts: Partial<MachineOptions> = {}): Promise<Machine> {
  return Machine.create({ python, module: loadModule("debug"), variant: "debug", ...opts });
}
