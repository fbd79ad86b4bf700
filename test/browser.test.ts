/**
 * The simulator core must run where there is no Node: a browser loads the
 * compiled module itself and calls simulate() with a Scenario object. This
 * walks the static and dynamic imports of the core's compiled JavaScript and
 * fails on any Node built-in, then runs a scenario the way a page would
 * (WebAssembly.compile on the bytes, no src/node/ helper).
 */
import { describe, it, expect } from "vitest";
import { readFileSync, existsSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { builtinModules } from "node:module";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const CORE = ["dist/src/browser.js", "dist/src/sim/run.js", "dist/src/machine.js", "dist/src/report.js"];
const NODE = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);

function importsOf(file: string): string[] {
  const text = readFileSync(file, "utf8");
  const out: string[] = [];
  // Specifiers have no spaces or commas (a keyword list holding "from", "…" is not an import).
  for (const m of text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?\bfrom\s*["']([^"'\s,]+)["']/g)) out.push(m[1]);
  for (const m of text.matchAll(/(?:^|\n)\s*import\s*["']([^"']+)["']/g)) out.push(m[1]);
  for (const m of text.matchAll(/\bimport\(\s*["']([^"']+)["']\s*\)/g)) out.push(m[1]);
  for (const m of text.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)) out.push(m[1]);
  return out;
}

describe("the core has no Node dependency (a browser can embed it)", () => {
  it("no Node built-in nor package is reachable from browser.js, sim/run.js, machine.js and report.js", () => {
    const seen = new Set<string>();
    const bad: string[] = [];
    const todo = CORE.map((f) => resolve(root, f));
    while (todo.length) {
      const f = todo.pop()!;
      if (seen.has(f)) continue;
      seen.add(f);
      expect(existsSync(f), `${f} (run npm run build)`).toBe(true);
      for (const spec of importsOf(f)) {
        if (NODE.has(spec)) bad.push(`${f.slice(root.length + 1)} imports ${spec}`);
        else if (spec.startsWith(".")) todo.push(resolve(dirname(f), spec));
        else bad.push(`${f.slice(root.length + 1)} imports package ${spec} (a page cannot resolve it)`);
      }
    }
    expect(bad).toEqual([]);
    expect(seen.size).toBeGreaterThan(5);
  });

  it("runs a scenario from a module compiled from bytes, as a page would", async () => {
    const { simulate } = await import("../src/sim/run.js");
    const bytes = readFileSync(resolve(root, "build/release.wasm"));
    const module = await WebAssembly.compile(bytes);
    const report = await simulate({
      name: "browser", python: "3.11", pageSize: 4096,
      steps: [
        { kind: "run", index: 1, process: "main", code: "import gc; gc.set_threshold(0)\nL = list(range(100000))" },
        { kind: "fork", index: 2, parent: "main", child: "child" },
        { kind: "snapshot", index: 3, label: "forked" },
        { kind: "run", index: 4, process: "child", code: "for x in L: pass" },
        { kind: "snapshot", index: 5, label: "after" },
      ],
    } as never, { module });
    const [forked, after] = report.snapshots;
    const c0 = forked.processes.find((p) => p.name === "child")!;
    const c1 = after.processes.find((p) => p.name === "child")!;
    // 100,000 ints of 32 bytes: about 3.2 MB of int pages copied by the child.
    expect(c1.privateDirtyKiB - c0.privateDirtyKiB).toBeGreaterThan(3000);
    expect(c1.privateDirtyKiB - c0.privateDirtyKiB).toBeLessThan(3400);
  });
});
