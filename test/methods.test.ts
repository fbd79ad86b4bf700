/**
 * Method calls beyond the first subset: list.clear() (3.3+), and keyword arguments in method calls (`L.sort(reverse=True)`, `sorted(x, reverse=True)`, a module
 * function's `Array(..., lock=False)`): the bytecode shape of each version (up to 3.10 a bound method
 * and CALL_FUNCTION_KW, from 3.11 the method call with KW_NAMES / CALL_KW; `dis` of each interpreter),
 * the results, and what each real interpreter accepts (measured: `reverse="x"` is a TypeError up to
 * 3.11 and a reverse sort on 3.12+). validation/sort-reverse.yaml checks the memory against real runs.
 */
import { describe, it, expect } from "vitest";
import { simulate } from "../src/sim/run.js";
import { parseScenario } from "../src/scenario.js";
import { loadModule } from "../src/node/load.js";
import { CowsimError } from "../src/errors.js";

const module = loadModule("debug");
const run = (python: string, code: string) =>
  simulate(parseScenario(`python: "${python}"\nsteps:\n  - run: ${JSON.stringify(code)}\n`, "kw.yaml"), { module, variant: "debug" });
const message = async (python: string, code: string) => {
  try { await run(python, code); } catch (e) { expect(e).toBeInstanceOf(CowsimError); return (e as Error).message; }
  return "";
};

describe("keyword arguments in method calls", () => {
  for (const python of ["2.7", "3.6", "3.10", "3.11", "3.12", "3.13"]) {
    it(`sort and sorted with reverse= and key=None (${python})`, async () => {
      // A wrong order stops the step with an IndexError.
      expect(await message(python, [
        "L = [3, 1, 2, 5, 4, 1]", "L.sort(reverse=True)", "M = sorted([5, 7, 6], reverse=True)",
        "N = sorted([2, 1], key=None, reverse=False)", "P = []", "P.sort(reverse=1)",
        "import multiprocessing.sharedctypes as sc", "A = sc.Array('d', 10, lock=False)",
        "if L != [5, 4, 3, 2, 1, 1] or M != [7, 6, 5] or N != [1, 2]: L[99]",
      ].join("\n"))).toBe("");
    });
  }
  it("reverse= takes an int up to 3.11, any object's truth value from 3.12 (as measured)", async () => {
    for (const python of ["2.7", "3.6", "3.11"]) {
      expect(await message(python, "L = [1, 2]\nL.sort(reverse='x')")).toMatch(/line 2, column 1: TypeError or not modelled by cowsim yet: sort\(\)/);
    }
    for (const python of ["3.12", "3.13"]) {
      expect(await message(python, "L = [1, 2]\nL.sort(reverse='x')\nif L != [2, 1]: L[9]")).toBe("");
    }
  });
  it("keywords other methods do not take, and key functions, are named", async () => {
    expect(await message("3.12", "L = [1]\nL.append(x=1)")).toMatch(/TypeError or not modelled by cowsim yet: append\(\)/);
    expect(await message("3.12", "L = [1]\nL.sort(foo=1)")).toMatch(/TypeError or not modelled by cowsim yet: sort\(\)/);
    expect(await message("3.12", "d = {}\nx = d.get('a', default=1)")).toMatch(/not modelled by cowsim yet: keyword arguments in a call of this method \('dict'\)/);
    expect(await message("3.12", "x = sorted([1], key=len)")).toMatch(/not modelled by cowsim yet: sorted\(\)/);
  });
});

describe("from multiprocessing import sharedctypes", () => {
  it("binds the submodule, as import multiprocessing.sharedctypes as sharedctypes does", async () => {
    for (const python of ["2.7", "3.12"]) {
      expect(await message(python, "from multiprocessing import sharedctypes\nA = sharedctypes.RawArray('d', 1000)\nA[1] = 2.0")).toBe("");
      expect(await message(python, "from multiprocessing import sharedctypes, foo")).toMatch(/unsupported construct: 'foo' from 'multiprocessing'/);
    }
  });
});

describe("list.clear()", () => {
  it("empties the list and releases its items (3.x); 2.7's list has no clear()", async () => {
    for (const python of ["3.6", "3.10", "3.12", "3.13"]) {
      expect(await message(python, "L = list(range(1000))\nK = L[::2]\nL.clear()\nif len(L) != 0 or len(K) != 500: L[9]\nL.append(1)\nif L != [1]: L[9]")).toBe("");
      expect(await message(python, "L = []\nL.clear(1)")).toMatch(/TypeError or not modelled by cowsim yet: clear\(\)/);
    }
    expect(await message("2.7", "L = [1]\nL.clear()")).toMatch(/line 2, column 1: AttributeError: 'list' object has no attribute 'clear'$/);
  });
});
