/**
 * The host and the WebAssembly module share numbering (opcodes, builtin and
 * method ids, object-model parameters): each side declares them in its own
 * language, so this test reads the AssemblyScript enums and checks the host's
 * tables against them.
 */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { OP_NAMES } from "../src/python/bytecode.js";
import { BUILTINS, BUILTINS_27, MODULE_FUNCTIONS, METHODS } from "../src/python/builtins.js";

/** NAME = value pairs of `export const enum <name> { … }` in an AssemblyScript file (implicit values counted). */
function asEnum(file: string, name: string): Map<string, number> {
  const text = readFileSync(file, "utf8");
  const m = new RegExp(`export const enum ${name} \\{([\\s\\S]*?)\\n\\}`).exec(text);
  if (!m) throw new Error(`enum ${name} not found in ${file}`);
  const out = new Map<string, number>();
  let next = 0;
  for (const raw of m[1].split("\n")) {
    const line = raw.replace(/\/\/.*$/, "").trim();
    for (const part of line.split(",")) {
      const p = part.trim();
      if (!p) continue;
      const [k, v] = p.split("=").map((s) => s.trim());
      next = v !== undefined ? Number(v) : next;
      out.set(k, next);
      next++;
    }
  }
  return out;
}

describe("host and module agree on numbering", () => {
  it("opcodes (src/python/bytecode.ts ↔ assembly/cpython/eval.ts Op)", () => {
    const as = asEnum("assembly/cpython/eval.ts", "Op");
    for (const [value, name] of Object.entries(OP_NAMES)) expect(as.get(name), name).toBe(Number(value));
  });

  it("builtin ids (src/python/builtins.ts ↔ assembly/cpython/builtins.ts B)", () => {
    const as = asEnum("assembly/cpython/builtins.ts", "B");
    const host: Record<string, number> = { ...BUILTINS, ...BUILTINS_27 };
    for (const [name, id] of Object.entries(host)) {
      const asName = name === "xrange" ? "XRANGE" : name.toUpperCase();
      expect(as.get(asName), name).toBe(id);
    }
    for (const [mod, fns] of Object.entries(MODULE_FUNCTIONS)) {
      const prefix = { gc: "GC_", sys: "SYS_", array: "ARRAY_", "multiprocessing.sharedctypes": "" }[mod];
      for (const [fn, id] of Object.entries(fns)) {
        const asName = mod === "multiprocessing.sharedctypes" ? { RawArray: "RAW_ARRAY", Array: "SHARED_ARRAY" }[fn]! : prefix + fn.toUpperCase();
        expect(as.get(asName), `${mod}.${fn}`).toBe(id);
      }
    }
  });

  it("method ids (src/python/builtins.ts METHODS ↔ assembly/cpython/builtins.ts M)", () => {
    const as = asEnum("assembly/cpython/builtins.ts", "M");
    const values = new Set(as.values());
    for (const [name, id] of Object.entries(METHODS)) expect(values.has(id), `${name} = ${id}`).toBe(true);
  });

  it("object-model parameters (src/sim/interpreter.ts ↔ assembly/cpython/runtime.ts P)", () => {
    const as = asEnum("assembly/cpython/runtime.ts", "P");
    const text = readFileSync("src/sim/interpreter.ts", "utf8");
    const block = /const P = \{([\s\S]*?)\} as const;/.exec(text)![1];
    for (const m of block.matchAll(/([A-Z_0-9]+): (\d+)/g)) expect(as.get(m[1]), m[1]).toBe(Number(m[2]));
  });
});
