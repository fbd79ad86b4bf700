#!/usr/bin/env node
/**
 * Run a scenario file on the real interpreter and kernel and print JSON (used to make fixtures).
 *
 *   node dist/src/real/measure.js scenarios/seed-1m.yaml                 # one run: the report
 *   node dist/src/real/measure.js scenarios/seed-1m.yaml --profile 3.12 --runs 3 --fixture
 *
 * --fixture prints a fixture document: the command, date, kernel (uname -r), machine facts, the
 * interpreter, and for each run the report and the raw /proc readings.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { Command } from "commander";
import { CowsimError } from "../errors.js";
import { loadScenario, PYTHON_PROFILES, type PythonProfile } from "../scenario.js";
import { formatReport } from "../report.js";
import { machinePageSize, runRealDetailed, type RealRun } from "./runner.js";

function readOr(path: string, fallback = ""): string {
  try {
    return readFileSync(path, "utf8").trim();
  } catch {
    return fallback;
  }
}

async function main(): Promise<void> {
  const program = new Command()
    .name("measure")
    .argument("<scenario>", "scenario file (YAML or JSON)")
    .option("--profile <X.Y>", "run under this CPython version instead of the scenario's")
    .option("--python <path>", "explicit interpreter")
    .option("--runs <n>", "number of runs", "1")
    .option("--fixture", "print a fixture document (command, date, kernel, runs)")
    .option("--text", "print the human table instead of JSON")
    .option("--no-warmup", "do not run an empty step in each new process right after its fork")
    .parse();
  const [file] = program.args;
  const o = program.opts<{ profile?: string; python?: string; runs: string; fixture?: boolean; text?: boolean; warmup: boolean }>();
  const scenario = loadScenario(file);
  if (o.profile) {
    if (!(PYTHON_PROFILES as readonly string[]).includes(o.profile)) throw new CowsimError(`unknown python profile "${o.profile}"`);
    scenario.python = o.profile as PythonProfile;
  }
  const runs = parseInt(o.runs, 10);
  const results: RealRun[] = [];
  for (let i = 0; i < runs; i++) {
    results.push(await runRealDetailed(scenario, { python: o.python, warmup: o.warmup, onOutput: (t) => process.stderr.write(t) }));
  }
  if (o.text) {
    for (const r of results) process.stdout.write(formatReport(r.report) + "\n");
    return;
  }
  if (!o.fixture) {
    process.stdout.write(JSON.stringify(runs === 1 ? results[0].report : results.map((r) => r.report), null, 2) + "\n");
    return;
  }
  const doc = {
    scenario: file,
    command: ["node", ...process.argv.slice(1)].join(" "),
    date: new Date().toISOString(),
    kernel: execFileSync("uname", ["-r"], { encoding: "utf8" }).trim(),
    machine: {
      pageSize: machinePageSize(),
      transparentHugepage: readOr("/sys/kernel/mm/transparent_hugepage/enabled"),
    },
    python: results[0]?.python,
    warmup: o.warmup,
    runs: results.map((r) => ({ report: r.report, raw: r.raw })),
  };
  process.stdout.write(JSON.stringify(doc, null, 1) + "\n");
}

main().catch((e: unknown) => {
  if (e instanceof CowsimError) {
    process.stderr.write(`measure: ${e.message}\n`);
    process.exit(e.exitCode);
  }
  throw e;
});
