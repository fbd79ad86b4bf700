/**
 * `npm run bench`: how fast and how lean the simulator is, beside native baselines.
 *
 *   1. CoW storm — 5,000,000 PyObject_Malloc(32) blocks (3.11 geometry: 16 KiB pools, 1 MiB
 *      arenas), fork, the child increfs+decrefs each object once — on the simulator (release
 *      build) and with ../shared/yardstick/cowlimit.c (gcc -O2), interleaved, several rounds.
 *   2. Host memory — a fresh `node` child runs the storm once and reports its peak RSS
 *      (VmHWM), beside the simulated total RSS (parent + child).
 *   3. Scenario slot — the mini-CPython running list(range(5000000)) / fork / iterate and a
 *      gc.collect() in the child, on profile 3.12, beside real CPython 3.12.1 doing the same.
 *      Skipped with a message until dist/src/sim/run.js exports `simulate`.
 *
 * Figures are printed and written to bench/results.json (not committed).
 * Options: --rounds N (default 4), --per-round N (default 2), --n BLOCKS (default 5000000),
 * --skip-scenario, --scenario-timeout SECONDS (default 60), --storm-once / --scenario-once I
 * (internal: the child processes of parts 2 and 3).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir, cpus, totalmem, release, loadavg } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { Bench } from "tinybench";
import type { Machine as MachineT, SmapsRollup } from "../src/machine.js";

// --- paths and the compiled bindings ------------------------------------------------------

const HERE = dirname(fileURLToPath(import.meta.url)); // dist/bench
const DIST = dirname(HERE);
const ROOT = dirname(DIST);
const YARDSTICK = join(ROOT, "..", "shared", "yardstick", "cowlimit.c");
const PYTHON312 = "/root/.pyenv/versions/3.12.1/bin/python3.12";
const RESULTS = join(ROOT, "bench", "results.json");

/**
 * dist/src/wasm.js imports ../build/release.js, but tsc does not emit build/*.js (a .d.ts of
 * the same name sits beside each). Until the build does, put the asc bindings where dist expects them.
 */
function ensureBindings(): string | null {
  let note: string | null = null;
  for (const v of ["release", "debug"]) {
    const src = join(ROOT, "build", `${v}.js`);
    const dst = join(DIST, "build", `${v}.js`);
    if (existsSync(src) && (!existsSync(dst) || !readFileSync(src).equals(readFileSync(dst)))) {
      mkdirSync(dirname(dst), { recursive: true });
      copyFileSync(src, dst);
      note = "copied build/{release,debug}.js to dist/build/ (tsc does not emit them)";
    }
  }
  return note;
}

interface Api {
  Machine: typeof MachineT;
  loadModule: (v?: "release" | "debug") => WebAssembly.Module;
}

async function loadApi(): Promise<Api> {
  const { Machine } = await import(pathToFileURL(join(DIST, "src", "machine.js")).href);
  const { loadModule } = await import(pathToFileURL(join(DIST, "src", "node", "load.js")).href);
  return { Machine, loadModule };
}

// --- options ----------------------------------------------------------------------------

function argValue(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return dflt;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v <= 0) throw new Error(`${name} needs a positive integer`);
  return v;
}
const N = argValue("--n", 5_000_000);
const ROUNDS = argValue("--rounds", 4);
const PER_ROUND = argValue("--per-round", 2);

// --- statistics ---------------------------------------------------------------------------

interface Summary { n: number; median: number; min: number; max: number; p25: number; p75: number; mean: number }

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos), hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

function summarize(xs: number[]): Summary {
  const s = [...xs].sort((a, b) => a - b);
  return {
    n: s.length, median: quantile(s, 0.5), min: s[0], max: s[s.length - 1],
    p25: quantile(s, 0.25), p75: quantile(s, 0.75), mean: s.reduce((a, b) => a + b, 0) / (s.length || 1),
  };
}

const ms = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "-");
const spread = (s: Summary) => `${ms(s.min)}–${ms(s.max)}`;

function table(head: string[], rows: (string | number)[][]): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const w = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(w[i]) : c.padStart(w[i]))).join("  ");
  return [line(cells[0]), w.map((x) => "-".repeat(x)).join("  "), ...cells.slice(1).map(line)].join("\n");
}

// --- the storm on the simulator --------------------------------------------------------------

interface SimStorm {
  /** Machine.create + spawn, spawnPyMalloc×N, fork, touchWords — milliseconds. */
  create: number; build: number; fork: number; iterate: number; total: number;
  parent: SmapsRollup; child: SmapsRollup;
  host: ReturnType<MachineT["hostMemory"]>;
}

async function simStorm(api: Api, n: number, measure = true): Promise<SimStorm> {
  const t0 = performance.now();
  const m = await api.Machine.create({ python: "3.11", module: api.loadModule("release") });
  const pid = m.spawn();
  const t1 = performance.now();
  const table = m.mallocMany(pid, 32, n);
  const t2 = performance.now();
  const child = m.fork(pid);
  const t3 = performance.now();
  m.touchWords(child, table, n);
  const t4 = performance.now();
  const none = {} as SmapsRollup;
  return {
    create: t1 - t0, build: t2 - t1, fork: t3 - t2, iterate: t4 - t3, total: t4 - t0,
    parent: measure ? m.smapsRollup(pid) : none, child: measure ? m.smapsRollup(child) : none,
    host: m.hostMemory(),
  };
}

// --- the yardstick ----------------------------------------------------------------------------

interface Native { build: number; fork: number; iterate: number; total: number; cow: number; frames: number; wall: number }

function compileYardstick(): { bin: string; dir: string } | { skip: string } {
  if (!existsSync(YARDSTICK)) return { skip: `${YARDSTICK} is missing` };
  const gcc = spawnSync("gcc", ["--version"], { encoding: "utf8" });
  if (gcc.error || gcc.status !== 0) return { skip: "gcc is not installed" };
  const dir = mkdtempSync(join(tmpdir(), "cowsim-bench-"));
  const bin = join(dir, "cowlimit");
  const r = spawnSync("gcc", ["-O2", "-o", bin, YARDSTICK], { encoding: "utf8" });
  if (r.status !== 0) return { skip: `gcc -O2 failed: ${r.stderr.trim()}` };
  return { bin, dir };
}

function runNative(bin: string, n: number): Native {
  const t0 = performance.now();
  const out = execFileSync(bin, [String(n)], { encoding: "utf8" });
  const wall = performance.now() - t0;
  const num = (k: string) => {
    const m = new RegExp(`${k}=([0-9.]+)`).exec(out);
    if (!m) throw new Error(`cowlimit output has no ${k}=: ${out}`);
    return Number(m[1]);
  };
  return { build: num("build"), fork: num("fork"), iterate: num("iterate"), total: num("total"), cow: num("cow"), frames: num("frames"), wall };
}

/** The yardstick's own peak RSS, with GNU time if present (context only). */
function nativeMaxRss(bin: string, n: number): number | null {
  if (!existsSync("/usr/bin/time")) return null;
  const r = spawnSync("/usr/bin/time", ["-f", "maxrss=%M", bin, String(n)], { encoding: "utf8" });
  const m = /maxrss=(\d+)/.exec(r.stderr ?? "");
  return m ? Number(m[1]) : null;
}

// --- part 1: CoW storm, interleaved rounds of tinybench --------------------------------------

async function stormBench(api: Api, y: ReturnType<typeof compileYardstick>) {
  const native = "bin" in y ? y : null;
  if (!native) console.log(`  yardstick skipped: ${(y as { skip: string }).skip}`);

  const simRuns: SimStorm[] = [];
  const natRuns: Native[] = [];
  const simTiny: number[] = [];
  const natTiny: number[] = [];
  const state: { check: { childPrivateDirtyKiB: number; childMinflt: number; parentRssKiB: number; childRssKiB: number } | null } = { check: null };

  for (let round = 0; round < ROUNDS; round++) {
    const bench = new Bench({ name: `storm round ${round + 1}`, iterations: PER_ROUND, time: 0, warmup: round === 0, warmupIterations: 1, warmupTime: 0, throws: true });
    // Only iterations of the measured ('run') phase are kept; warmup ones are dropped.
    let mode: "run" | "warmup" | undefined;
    const hooks = { beforeEach: (m?: "run" | "warmup") => { mode = m; }, afterEach: () => { mode = undefined; } };
    const addSim = () =>
      bench.add("sim", async () => {
        const r = await simStorm(api, N, state.check === null);
        if (state.check === null) {
          state.check = { childPrivateDirtyKiB: r.child.privateDirtyKiB, childMinflt: r.child.minflt, parentRssKiB: r.parent.rssKiB, childRssKiB: r.child.rssKiB };
        }
        if (mode === "run") simRuns.push(r);
        return { overriddenDuration: r.total };
      }, hooks);
    // async, so that tinybench does not call it once at add() time to find out.
    const addNat = () =>
      bench.add("native", async () => {
        const r = runNative(native!.bin, N);
        if (mode === "run") natRuns.push(r);
        return { overriddenDuration: r.total };
      }, hooks);
    // Alternate the order so neither side always runs on a warmer (or more fragmented) host.
    if (round % 2 === 0) { addSim(); if (native) addNat(); } else { if (native) addNat(); addSim(); }
    await bench.run();
    for (const t of bench.tasks) {
      const samples = t.result?.latency.samples ?? [];
      (t.name === "sim" ? simTiny : natTiny).push(...samples);
    }
    process.stdout.write(`  round ${round + 1}/${ROUNDS} done\n`);
  }

  const phases = ["build", "fork", "iterate", "total"] as const;
  const sim = Object.fromEntries([...phases, "create"].map((p) => [p, summarize(simRuns.map((r) => r[p as keyof SimStorm] as number))])) as Record<string, Summary>;
  const nat = native ? (Object.fromEntries([...phases, "wall"].map((p) => [p, summarize(natRuns.map((r) => r[p as keyof Native] as number))])) as Record<string, Summary>) : null;

  const rows: (string | number)[][] = [];
  rows.push(["create+spawn", ms(sim.create.median), spread(sim.create), "-", "-", "-"]);
  for (const p of phases) {
    const s = sim[p], n = nat?.[p];
    rows.push([p, ms(s.median), spread(s), n ? ms(n.median) : "-", n ? spread(n) : "-", n ? (s.median / n.median).toFixed(2) + "×" : "-"]);
  }
  if (nat) rows.push(["native wall (exec)", "-", "-", ms(nat.wall.median), spread(nat.wall), (sim.total.median / nat.wall.median).toFixed(2) + "×"]);
  console.log();
  console.log(table(["phase (ms)", "sim median", "sim min–max", "native median", "native min–max", "sim/native"], rows));
  const ratio = nat ? sim.total.median / nat.total.median : null;
  const tiny = { sim: summarize(simTiny), native: natTiny.length ? summarize(natTiny) : null };
  console.log(`\n  tinybench samples (ms): sim median ${ms(tiny.sim.median)} (n=${tiny.sim.n})` +
    (tiny.native ? `, native median ${ms(tiny.native.median)} (n=${tiny.native.n})` : ""));
  const c = state.check;
  if (c) {
    console.log(`  check: child Private_Dirty ${c.childPrivateDirtyKiB} KiB, child minflt ${c.childMinflt}` +
      (natRuns[0] ? `; yardstick cow=${natRuns[0].cow} frames=${natRuns[0].frames}` : ""));
  }
  if (ratio !== null) console.log(`  CoW storm sim/native (median totals): ${ratio.toFixed(2)}× (target ≤ 2×) ${ratio <= 2 ? "OK" : "ABOVE TARGET"}`);
  return {
    n: N, rounds: ROUNDS, perRound: PER_ROUND, sim, native: nat, ratio, tinybench: tiny, check: c,
    nativeSkipped: native ? null : (y as { skip: string }).skip,
  };
}

// --- part 2: host memory ------------------------------------------------------------------

function procStatus(key: string): number {
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, "m").exec(readFileSync("/proc/self/status", "utf8"));
  return m ? Number(m[1]) : NaN;
}

/** Runs in the child process: the storm once, then what the host and the simulation say. */
async function stormOnce(): Promise<void> {
  ensureBindings();
  const api = await loadApi();
  api.loadModule("release");
  const baseHwmKiB = procStatus("VmHWM");
  const r = await simStorm(api, N);
  const out = {
    vmHwmKiB: procStatus("VmHWM"),
    vmRssKiB: procStatus("VmRSS"),
    baseHwmKiB,
    memoryUsage: process.memoryUsage(),
    resourceMaxRssKiB: process.resourceUsage().maxRSS,
    simParentRssKiB: r.parent.rssKiB,
    simChildRssKiB: r.child.rssKiB,
    simChildPrivateDirtyKiB: r.child.privateDirtyKiB,
    host: r.host,
    stormMs: r.total,
  };
  process.stdout.write("STORM-ONCE " + JSON.stringify(out) + "\n");
}

function hostMemoryBench(nativeBin: string | null) {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--storm-once", "--n", String(N)], { encoding: "utf8", maxBuffer: 1 << 24 });
  const line = (r.stdout ?? "").split("\n").find((l) => l.startsWith("STORM-ONCE "));
  if (r.status !== 0 || !line) throw new Error(`the --storm-once child failed (${r.status}): ${r.stderr}`);
  const o = JSON.parse(line.slice("STORM-ONCE ".length));
  const simTotalKiB = o.simParentRssKiB + o.simChildRssKiB;
  const ratio = o.vmHwmKiB / simTotalKiB;
  const ratioAboveBase = (o.vmHwmKiB - o.baseHwmKiB) / simTotalKiB;
  const nativeRss = nativeBin ? nativeMaxRss(nativeBin, N) : null;
  const MiB = (k: number) => (k / 1024).toFixed(1);
  console.log();
  console.log(table(["host memory (MiB)", "value"], [
    ["node peak RSS (VmHWM, fresh process)", MiB(o.vmHwmKiB)],
    ["  of which before the storm (node + module)", MiB(o.baseHwmKiB)],
    ["wasm linear memory", MiB(o.host.wasmBytes / 1024)],
    ["simulated RSS parent + child", `${MiB(o.simParentRssKiB)} + ${MiB(o.simChildRssKiB)} = ${MiB(simTotalKiB)}`],
    ["simulated frames in use", MiB(o.host.framesInUse * 4)],
    ...(nativeRss ? [["yardstick peak RSS (GNU time, context)", MiB(nativeRss)]] : []),
  ]));
  console.log(`  host peak RSS / simulated total RSS: ${ratio.toFixed(3)}× (target ≤ 1.2×) ${ratio <= 1.2 ? "OK" : "ABOVE TARGET"}` +
    `; above node's own baseline: ${ratioAboveBase.toFixed(3)}×`);
  return { ...o, simTotalKiB, ratio, ratioAboveBase, nativeMaxRssKiB: nativeRss };
}

// --- part 3: the scenario slot (mini-CPython vs CPython 3.12) -------------------------------

const SCENARIO_ITERATE = `name: bench-5m-iterate
python: "3.12"
steps:
  - run: "import gc; gc.set_threshold(0)"
  - run: "long_list = list(range(5000000))"
  - fork: child
  - snapshot: forked
  - run: "for i in long_list: pass"
    in: child
  - snapshot: after
  - exit: child
`;
const SCENARIO_GC = `name: bench-5m-gc
python: "3.12"
steps:
  - run: "import gc; gc.set_threshold(0)"
  - run: "long_list = list(range(5000000))"
  - fork: child
  - run: "gc.collect()"
    in: child
  - snapshot: after
  - exit: child
`;
const REAL_ITERATE = `import gc, os
gc.set_threshold(0)
long_list = list(range(5000000))
pid = os.fork()
if pid == 0:
    for i in long_list: pass
    os._exit(0)
os.waitpid(pid, 0)
`;
const REAL_GC = REAL_ITERATE.replace("for i in long_list: pass", "gc.collect()");
/** A full collection over 1,000,000 tracked objects (one-tuples) in the child (issue 5's bench). */
const SCENARIO_GC_TRACKED = `name: bench-1m-tuples-gc
python: "3.12"
steps:
  - run: "import gc; gc.disable()"
  - run: "L = [(i,) for i in range(1000000)]"
  - fork: child
  - run: "gc.collect()"
    in: child
  - snapshot: after
  - exit: child
`;
const REAL_GC_TRACKED = `import gc, os
gc.disable()
L = [(i,) for i in range(1000000)]
pid = os.fork()
if pid == 0:
    gc.collect()
    os._exit(0)
os.waitpid(pid, 0)
`;

const SCENARIO_CASES = [
  { name: "list(range(5000000)), fork, child iterates", scenario: SCENARIO_ITERATE, real: REAL_ITERATE },
  { name: "… child runs gc.collect()", scenario: SCENARIO_GC, real: REAL_GC },
  { name: "1M one-tuples, fork, child gc.collect()", scenario: SCENARIO_GC_TRACKED, real: REAL_GC_TRACKED },
];
const SCENARIO_TIMEOUT_S = argValue("--scenario-timeout", 60);

/** Why the mini-CPython cannot be benchmarked yet, or null when dist/src/sim/run.js exports simulate. */
async function loadSimulate(): Promise<{ simulate: (s: unknown, o: { module: WebAssembly.Module }) => Promise<unknown>; parseScenario: (t: string, f?: string) => unknown } | string> {
  const runJs = join(DIST, "src", "sim", "run.js");
  if (!existsSync(runJs)) return "dist/src/sim/run.js does not exist yet";
  try {
    const mod = await import(pathToFileURL(runJs).href);
    const sc = await import(pathToFileURL(join(DIST, "src", "scenario.js")).href);
    if (typeof mod.simulate !== "function") return "dist/src/sim/run.js does not export simulate yet";
    return { simulate: mod.simulate, parseScenario: sc.parseScenario };
  } catch (e) {
    return `dist/src/sim/run.js cannot be loaded yet: ${(e as Error).message.split("\n")[0]}`;
  }
}

/** Runs in a child process: one scenario case on the simulator, timed in-process. */
async function scenarioOnce(i: number): Promise<void> {
  ensureBindings();
  const api = await loadApi();
  const sim = await loadSimulate();
  if (typeof sim === "string") throw new Error(sim);
  const module = api.loadModule("release");
  const t0 = performance.now();
  const report = await sim.simulate(sim.parseScenario(SCENARIO_CASES[i].scenario, `bench:${SCENARIO_CASES[i].name}`), { module });
  const ms = performance.now() - t0;
  process.stdout.write("SCENARIO-ONCE " + JSON.stringify({ ms, report }) + "\n");
}

/**
 * SLOT: the 200 MB mini-CPython scenario and a gc.collect() bench, on profile 3.12, beside real
 * CPython 3.12.1 doing the same experiment (subprocess, timed end to end). The simulator side
 * uses `simulate(scenario, {module})` from dist/src/sim/run.js; it runs in a child process
 * (timed end to end too, and in-process) with a time limit (--scenario-timeout, seconds). Until
 * simulate exists it is skipped with a message; real CPython is still timed, as the baseline.
 */
async function scenarioSlot() {
  const iterations = 3;
  const loaded = await loadSimulate();
  const skip = typeof loaded === "string" ? loaded : null;
  if (skip) console.log(`  mini-CPython part skipped: ${skip}`);
  const haveReal = existsSync(PYTHON312);
  if (!haveReal) console.log(`  real CPython part skipped: ${PYTHON312} is missing`);

  const out: Record<string, { sim: Summary | null; simInProcess: Summary | null; simError: string | null; real: Summary | null; lastReport?: unknown }> = {};
  const rows: (string | number)[][] = [];
  for (const [ci, c] of SCENARIO_CASES.entries()) {
    const simT: number[] = [], simIn: number[] = [], realT: number[] = [];
    let simError: string | null = null;
    let lastReport: unknown;
    for (let i = 0; i < iterations; i++) {
      if (!skip && !simError) {
        const t0 = performance.now();
        const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--scenario-once", String(ci)],
          { encoding: "utf8", timeout: SCENARIO_TIMEOUT_S * 1000, maxBuffer: 1 << 26 });
        const wall = performance.now() - t0;
        const line = (r.stdout ?? "").split("\n").find((l) => l.startsWith("SCENARIO-ONCE "));
        if (r.error && (r.error as NodeJS.ErrnoException).code === "ETIMEDOUT") simError = `timed out after ${SCENARIO_TIMEOUT_S} s`;
        else if (r.status !== 0 || !line) simError = `failed: ${(r.stderr ?? "").trim().split("\n").filter((l) => /Error/.test(l))[0] ?? `exit ${r.status}`}`;
        else {
          const o = JSON.parse(line.slice("SCENARIO-ONCE ".length));
          simT.push(wall);
          simIn.push(o.ms);
          lastReport = o.report;
        }
      }
      if (haveReal) {
        const t0 = performance.now();
        const r = spawnSync(PYTHON312, ["-c", c.real], { encoding: "utf8" });
        if (r.status !== 0) throw new Error(`python3.12 failed: ${r.stderr}`);
        realT.push(performance.now() - t0);
      }
    }
    if (simError) console.log(`  mini-CPython "${c.name}": ${simError}`);
    const s = simT.length ? summarize(simT) : null, si = simIn.length ? summarize(simIn) : null, r = realT.length ? summarize(realT) : null;
    out[c.name] = { sim: s, simInProcess: si, simError, real: r, lastReport };
    rows.push([c.name, s ? ms(s.median) : simError ? "error" : "skipped", s ? spread(s) : "-", si ? ms(si.median) : "-",
      r ? ms(r.median) : "-", r ? spread(r) : "-", s && r ? (s.median / r.median).toFixed(2) + "×" : "-"]);
  }
  console.log();
  console.log(table(["scenario (ms)", "sim wall", "sim min–max", "sim in-process", "CPython 3.12 wall", "min–max", "sim/real"], rows));
  return { skipped: skip, iterations, timeoutSeconds: SCENARIO_TIMEOUT_S, cases: out };
}

// --- main -------------------------------------------------------------------------------------

async function main() {
  if (process.argv.includes("--storm-once")) return stormOnce();
  const so = process.argv.indexOf("--scenario-once");
  if (so >= 0) return scenarioOnce(Number(process.argv[so + 1]));
  const note = ensureBindings();
  if (note) console.log(`note: ${note}`);
  const api = await loadApi();
  const machine = { cpu: cpus()[0]?.model ?? "?", cores: cpus().length, memGiB: +(totalmem() / 2 ** 30).toFixed(1), kernel: release(), node: process.version, loadavg1: +loadavg()[0].toFixed(2) };
  console.log(`cowsim bench — ${new Date().toISOString()} — ${machine.cpu}, ${machine.cores} cores, ${machine.memGiB} GiB, Linux ${machine.kernel}, Node ${machine.node}, load average ${machine.loadavg1}`);
  if (machine.loadavg1 > 0.5) console.log("warning: the host is busy (load average above 0.5): timings are noisy; re-run on a quiet machine");

  console.log(`\n[1] CoW storm: ${N.toLocaleString("en-US")} × PyObject_Malloc(32) (3.11: 16 KiB pools, 1 MiB arenas), fork, child incref+decref each; ${ROUNDS} interleaved rounds × ${PER_ROUND}`);
  const y = compileYardstick();
  const storm = await stormBench(api, y);

  console.log(`\n[2] Host memory: a fresh node process runs the storm once`);
  const memory = hostMemoryBench("bin" in y ? y.bin : null);
  if ("dir" in y) rmSync(y.dir, { recursive: true, force: true });

  let scenarios: unknown = "skipped (--skip-scenario)";
  if (!process.argv.includes("--skip-scenario")) {
    console.log(`\n[3] Scenario slot: mini-CPython (profile 3.12) vs CPython 3.12.1, ${3} runs each, interleaved`);
    scenarios = await scenarioSlot();
  }

  const results = { date: new Date().toISOString(), machine, storm, memory, scenarios };
  writeFileSync(RESULTS, JSON.stringify(results, null, 2) + "\n");
  console.log(`\nfigures written to ${RESULTS}`);
}

await main();
