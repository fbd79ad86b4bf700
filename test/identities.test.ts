/**
 * When CPython hands back an object it already has instead of making a new one (s[:] is s, t * 1 is t,
 * "%s" % s is s, "" + s is s, ''.join([s]) is s …): a new object is memory a forked child allocates.
 * test/fixtures/identities.json holds what the nine real interpreters answer for each expression
 * (tools/measure-identities.py; the command is in the file); the simulation must answer the same.
 */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { simulate } from "../src/sim/run.js";
import { parseScenario, PYTHON_PROFILES } from "../src/scenario.js";
import { loadModule } from "../src/node/load.js";
import { CowsimError } from "../src/errors.js";

const module = loadModule("debug");
const fixture = JSON.parse(readFileSync(new URL("./fixtures/identities.json", import.meta.url), "utf8")) as {
  command: string;
  setup: string;
  versions: Record<string, Record<string, boolean>>;
};

/** What the simulation answers: the expression's value, True or False (a NameError tells which). */
async function simulated(python: string, expr: string): Promise<boolean> {
  const text = `python: "${python}"\nsteps:\n  - run: |\n      ${fixture.setup}\n      r = ${expr}\n      if r: IS_TRUE\n      else: IS_FALSE\n`;
  try {
    await simulate(parseScenario(text, "identities.yaml"), { module, variant: "debug" });
  } catch (e) {
    if (e instanceof CowsimError && /name 'IS_TRUE'/.test(e.message)) return true;
    if (e instanceof CowsimError && /name 'IS_FALSE'/.test(e.message)) return false;
    throw e;
  }
  throw new Error("neither branch ran");
}

describe("shared or new: the simulation hands back the objects CPython hands back", () => {
  for (const python of PYTHON_PROFILES) {
    const expected = fixture.versions[python];
    it(`${python}`, async () => {
      expect(expected, `no fixture for ${python}`).toBeDefined();
      const got: Record<string, boolean> = {};
      for (const expr of Object.keys(expected)) got[expr] = await simulated(python, expr);
      expect(got).toEqual(expected);
    }, 60_000);
  }
});
