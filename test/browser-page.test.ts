/**
 * web/index.html in a real browser: Debian's Chromium, driven by playwright-core, loads the page from
 * a local server (scripts/serve-web.mjs), which compiles build/release.wasm, reads a scenario file's
 * YAML with js-yaml (its ES module) and runs it. The JSON it shows must be byte-identical to
 * what Node's simulate() gives for the same file, and a Python error must read as the command's.
 *
 * Skipped (saying so) when no Chromium is installed: `apt-get install chromium` (CI's .ci/run installs
 * it when it can), or CHROMIUM=/path/to/chrome.
 */
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import { existsSync, readFileSync } from "node:fs";
import { spawnSync } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { loadScenario } from "../src/scenario.js";
import { simulate } from "../src/sim/run.js";
import { CowsimError } from "../src/errors.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const executable = [process.env.CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"].find((p) => p && existsSync(p));
if (!executable) console.warn("browser-page.test.ts: no Chromium found (apt-get install chromium): skipped");

type Browser = import("playwright-core").Browser;

describe.skipIf(!executable)("web/index.html in Chromium", () => {
  let browser: Browser;
  let server: { url: string; close: () => Promise<void> };
  let module: WebAssembly.Module;

  beforeAll(async () => {
    const { serve } = await import(resolve(root, "scripts/serve-web.mjs"));
    server = await serve(root, 0);
    const { chromium } = await import("playwright-core");
    browser = await chromium.launch({ executablePath: executable, args: ["--no-sandbox"] });
    module = await WebAssembly.compile(readFileSync(resolve(root, "build/release.wasm")));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** Opens the page on a scenario file (relative to the package root) and runs it; what the page shows. */
  async function runInPage(file: string, how = "autorun"): Promise<{ state: string; json: string; error: string; report: string }> {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on("pageerror", (e) => problems.push(e.message));
    await page.goto(`${server.url}?example=../${file}&${how}`);
    await page.waitForFunction(() => ["done", "error"].includes(document.body.dataset.state ?? ""), null, { timeout: 60_000 });
    const out = await page.evaluate(() => ({
      state: document.body.dataset.state!,
      json: document.getElementById("json")!.textContent!,
      error: document.getElementById("error")!.hidden ? "" : document.getElementById("error")!.textContent!,
      report: document.getElementById("report")!.textContent!,
    }));
    await page.close();
    expect(problems).toEqual([]);
    return out;
  }

  for (const file of ["scenarios/seed-1m.yaml", "scenarios/list-tuple.yaml"]) {
    it(`${file}: the page's JSON is Node's, byte for byte`, async () => {
      const inPage = await runInPage(file);
      expect(inPage.error).toBe("");
      expect(inPage.state).toBe("done");
      const scenario = loadScenario(resolve(root, file));
      delete scenario.file;
      const report = await simulate(scenario, { module });
      expect(inPage.json).toBe(JSON.stringify(report, null, 2));
      expect(inPage.report).toContain("child");
      // the seed's point, seen in the page: the child's private memory grew by tens of MB
      const after = report.snapshots.at(-1)!.processes.find((p) => p.name === "child")!;
      expect(after.privateDirtyKiB).toBeGreaterThan(20_000);
    }, 60_000);
  }

  it("Compare versions: the page's JSON is cowsim compare --json's, byte for byte", async () => {
    const file = "test/fixtures/web/small.yaml";
    const inPage = await runInPage(file, "autocompare");
    expect(inPage.error).toBe("");
    expect(inPage.state).toBe("done");
    const cli = spawnSync(process.execPath, [resolve(root, "dist/src/cli.js"), "compare", file, "--json"], { cwd: root, encoding: "utf8" });
    expect(cli.status).toBe(0);
    expect(inPage.json + "\n").toBe(cli.stdout);
    expect(inPage.report.split("\n")[0]).toBe("small: snapshot after per CPython version (Δ: since snapshot forked); page size 4,096 B; sizes in KiB");
  }, 120_000);

  it("?python= runs another profile than the scenario's, as cowsim run --python", async () => {
    const page = await browser.newPage();
    await page.goto(`${server.url}?example=../test/fixtures/web/small.yaml&python=2.7&autorun`);
    await page.waitForFunction(() => ["done", "error"].includes(document.body.dataset.state ?? ""), null, { timeout: 60_000 });
    const json = await page.evaluate(() => document.getElementById("json")!.textContent!);
    await page.close();
    const cli = spawnSync(process.execPath, [resolve(root, "dist/src/cli.js"), "run", "test/fixtures/web/small.yaml", "--python", "2.7", "--json"], { cwd: root, encoding: "utf8" });
    expect(json + "\n").toBe(cli.stdout);
  }, 60_000);

  it("the 'where it is' box (?bykind) gives cowsim run --by-kind's JSON", async () => {
    const inPage = await runInPage("test/fixtures/web/small.yaml", "bykind&autorun");
    expect(inPage.state).toBe("done");
    const cli = spawnSync(process.execPath, [resolve(root, "dist/src/cli.js"), "run", "test/fixtures/web/small.yaml", "--by-kind", "--json"], { cwd: root, encoding: "utf8" });
    expect(cli.status).toBe(0);
    expect(inPage.json + "\n").toBe(cli.stdout);
    expect(inPage.json).toContain("pymallocArenas");
    expect(inPage.report).toContain("where it is");
  }, 60_000);

  it("a NameError reads as `cowsim run` prints it (step, line, column)", async () => {
    const file = "test/fixtures/web/name-error.yaml";
    const inPage = await runInPage(file);
    expect(inPage.state).toBe("error");
    const scenario = loadScenario(resolve(root, file));
    delete scenario.file;
    const err = await simulate(scenario, { module }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(CowsimError);
    expect(inPage.error).toBe((err as CowsimError).message);
    expect(inPage.error).toMatch(/^step 2: line 2, column \d+: NameError: name 'undefined_name' is not defined/);
  }, 60_000);
});
