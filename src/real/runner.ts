/**
 * Runs a scenario on a real CPython and the real kernel, and measures it.
 *
 * The host (this file) starts `python -u agent.py SOCKET` (the process `main`) and listens on a Unix
 * socket; every scenario process, main and each forked one, holds its own connection (its channel).
 * Steps go in lock-step: the host sends one command to one process and waits for its reply, so at a
 * snapshot every agent is idle, blocked in recv() on its channel; the host then reads
 * /proc/PID/smaps_rollup and /proc/PID/stat of every live process itself. See src/real/agent.py for
 * the wire format and docs/validate.md for what the agent itself costs.
 */
import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type Server, type Socket } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CowsimError } from "../errors.js";
import type { RunReport, ProcessMeasure } from "../report.js";
import type { Scenario } from "../scenario.js";
import { checkMachine, findPython, type FoundPython } from "./discover.js";

export interface RealOptions {
  /** An explicit interpreter (must be the scenario's version); found by discovery otherwise. */
  python?: string;
  /** Longest a single step may take (default 600 s). */
  stepTimeoutMs?: number;
  /** Receives what the Python processes print (stdout and stderr); dropped if not given. */
  onOutput?: (text: string) => void;
  /**
   * After each fork, run one empty step ("pass") in the new process before going on (default true),
   * so that the agent's own first-step cost after a fork (~100-200 KiB, 30-60 faults: docs/validate.md)
   * lands before the next snapshot instead of inside the user's first step.
   */
  warmup?: boolean;
}

/** One process as read from /proc at a snapshot, with everything smaps_rollup said. */
export interface RawMeasure {
  name: string;
  pid: number;
  osPid: number;
  /** Every "Key: N kB" line of /proc/PID/smaps_rollup, in KiB. */
  rollup: Record<string, number>;
  minflt: number;
  majflt: number;
}

export interface RealRun {
  report: RunReport;
  python: FoundPython;
  raw: { label: string; processes: RawMeasure[] }[];
}

/** Where agent.py is: next to this module (src/real) or, when compiled, back in the source tree. */
export function agentPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const tries = [join(here, "agent.py"), join(here, "..", "..", "..", "src", "real", "agent.py"), join(here, "..", "..", "src", "real", "agent.py")];
  for (const t of tries) if (existsSync(t)) return t;
  throw new CowsimError(`cannot find the agent (looked for ${tries.join(", ")})`);
}

export function machinePageSize(): number {
  try {
    return parseInt(execFileSync("getconf", ["PAGESIZE"], { encoding: "utf8" }).trim(), 10);
  } catch {
    // KernelPageSize of our own first mapping
    const m = /KernelPageSize:\s+(\d+) kB/.exec(readFileSync("/proc/self/smaps", "utf8"));
    return m ? parseInt(m[1], 10) * 1024 : 4096;
  }
}

type Msg = { kind: "H" | "F"; pid: number } | { kind: "K" } | { kind: "E"; text: string };

/** One process's channel: parses the agent's replies. */
class Channel {
  private buf: Buffer = Buffer.alloc(0);
  private waiter?: { resolve: (m: Msg) => void; reject: (e: Error) => void };
  private queue: Msg[] = [];
  closed = false;
  constructor(readonly sock: Socket) {
    sock.on("data", (d: Buffer) => {
      this.buf = this.buf.length ? Buffer.concat([this.buf, d]) : d;
      this.pump();
    });
    sock.on("error", () => {
      /* a close follows */
    });
    sock.on("close", () => {
      this.closed = true;
      this.pump();
    });
  }
  private parse(): Msg | undefined {
    const nl = this.buf.indexOf(10);
    if (nl < 0) return undefined;
    const head = this.buf.subarray(0, nl).toString("latin1").split(" ");
    if (head[0] === "E") {
      const n = parseInt(head[1], 10);
      if (this.buf.length < nl + 1 + n) return undefined;
      const text = this.buf.subarray(nl + 1, nl + 1 + n).toString("utf8");
      this.buf = this.buf.subarray(nl + 1 + n);
      return { kind: "E", text };
    }
    this.buf = this.buf.subarray(nl + 1);
    if (head[0] === "K") return { kind: "K" };
    if (head[0] === "H" || head[0] === "F") return { kind: head[0], pid: parseInt(head[1], 10) };
    throw new Error(`agent protocol: unexpected ${JSON.stringify(head.join(" "))}`);
  }
  private pump(): void {
    let m: Msg | undefined;
    while ((m = this.parse())) this.queue.push(m);
    if (!this.waiter) return;
    const w = this.waiter;
    if (this.queue.length) {
      this.waiter = undefined;
      w.resolve(this.queue.shift()!);
    } else if (this.closed) {
      this.waiter = undefined;
      w.reject(new Error("channel closed"));
    }
  }
  next(): Promise<Msg> {
    return new Promise((resolve, reject) => {
      this.waiter = { resolve, reject };
      this.pump();
    });
  }
  send(data: Buffer | string): void {
    this.sock.write(data);
  }
}

interface Proc {
  name: string;
  pid: number;
  osPid: number;
  ch: Channel;
}

function withTimeout<T>(p: Promise<T>, ms: number, what: () => Error): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(what()), ms);
    }),
  ]);
}

function parseRollup(text: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const line of text.split("\n")) {
    const m = /^(\w+):\s+(\d+) kB$/.exec(line);
    if (m) out[m[1]] = parseInt(m[2], 10);
  }
  return out;
}

/** Fields of /proc/PID/stat after the command name: [0] = field 3 (state), [7] = minflt (10), [9] = majflt (12). */
function readStat(osPid: number): string[] {
  const s = readFileSync(`/proc/${osPid}/stat`, "latin1");
  return s.slice(s.lastIndexOf(")") + 2).split(" ");
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Wait until the process is asleep (blocked on its channel), so that nothing moves while we measure. */
async function waitIdle(osPid: number): Promise<void> {
  for (let i = 0; i < 2000; i++) {
    if (readStat(osPid)[0] !== "R") return;
    await sleep(1);
  }
}

function measure(p: Proc): RawMeasure {
  const rollup = parseRollup(readFileSync(`/proc/${p.osPid}/smaps_rollup`, "latin1"));
  const st = readStat(p.osPid);
  return { name: p.name, pid: p.pid, osPid: p.osPid, rollup, minflt: parseInt(st[7], 10), majflt: parseInt(st[9], 10) };
}

export function toMeasure(r: RawMeasure): ProcessMeasure {
  const k = (key: string) => {
    const v = r.rollup[key];
    if (v === undefined) throw new CowsimError(`/proc/${r.osPid}/smaps_rollup has no ${key} line`);
    return v;
  };
  return {
    name: r.name,
    pid: r.pid,
    rssKiB: k("Rss"),
    pssKiB: k("Pss"),
    sharedCleanKiB: k("Shared_Clean"),
    sharedDirtyKiB: k("Shared_Dirty"),
    privateCleanKiB: k("Private_Clean"),
    privateDirtyKiB: k("Private_Dirty"),
    ussKiB: k("Private_Clean") + k("Private_Dirty"),
    minflt: r.minflt,
    majflt: r.majflt,
  };
}

/** Run a scenario for real; returns the report and the raw /proc readings. */
export async function runRealDetailed(scenario: Scenario, opts: RealOptions = {}): Promise<RealRun> {
  checkMachine();
  const file = scenario.file;
  const where = file ? { file } : {};
  const pageSize = machinePageSize();
  if (pageSize !== scenario.pageSize) {
    throw new CowsimError(`this machine's page size is ${pageSize}, the scenario asks for ${scenario.pageSize}; a real run cannot change it`, where);
  }
  const python = findPython(scenario.python, opts.python);
  const agent = agentPath();
  const stepTimeout = opts.stepTimeoutMs ?? 600_000;

  const dir = mkdtempSync(join(tmpdir(), "cowsim-"));
  const sockPath = join(dir, "s");
  const procs = new Map<string, Proc>();
  const hellos = new Map<number, Channel>();
  const helloWaiters = new Map<number, (c: Channel) => void>();
  let child: ChildProcess | undefined;
  let server: Server | undefined;
  let output = "";
  let mainExit: string | undefined;

  const keepOutput = (d: Buffer) => {
    const t = d.toString("utf8");
    output = (output + t).slice(-2000);
    opts.onOutput?.(t);
  };
  const tail = () => {
    const t = output.trim().split("\n").slice(-1)[0];
    return t ? ` (last output: ${t.slice(0, 300)})` : "";
  };

  try {
    server = createServer((sock) => {
      const ch = new Channel(sock);
      ch.next().then(
        (m) => {
          if (m.kind !== "H") return;
          const w = helloWaiters.get(m.pid);
          if (w) {
            helloWaiters.delete(m.pid);
            w(ch);
          } else hellos.set(m.pid, ch);
        },
        () => undefined,
      );
    });
    await new Promise<void>((resolve, reject) => {
      server!.once("error", reject);
      server!.listen(sockPath, () => resolve());
    });
    const helloFrom = (osPid: number, step: number | undefined) => {
      const got = hellos.get(osPid);
      if (got) {
        hellos.delete(osPid);
        return Promise.resolve(got);
      }
      return withTimeout(
        new Promise<Channel>((resolve) => helloWaiters.set(osPid, resolve)),
        60_000,
        () => new CowsimError(`process ${osPid} did not connect to the host${mainExit ? ": " + mainExit : ""}${tail()}`, { ...where, ...(step ? { step } : {}) }),
      );
    };

    child = spawn(python.path, ["-u", agent, sockPath], { stdio: ["ignore", "pipe", "pipe"] });
    child.stdout!.on("data", keepOutput);
    child.stderr!.on("data", keepOutput);
    child.on("exit", (code, sig) => {
      mainExit = `main exited (${sig ?? "code " + code})`;
    });
    const spawned = await new Promise<number>((resolve, reject) => {
      child!.once("spawn", () => resolve(child!.pid!));
      child!.once("error", (e) => reject(new CowsimError(`cannot start ${python.path}: ${e.message}`, where)));
    });
    const mainCh = await helloFrom(spawned, undefined);
    let nextPid = 1;
    procs.set("main", { name: "main", pid: nextPid++, osPid: spawned, ch: mainCh });

    const reply = async (p: Proc, step: number): Promise<Msg> => {
      const at = { ...where, step };
      try {
        return await withTimeout(p.ch.next(), stepTimeout, () => new CowsimError(`process ${p.name} did not finish within ${stepTimeout / 1000} s`, at));
      } catch (e) {
        if (e instanceof CowsimError) throw e;
        throw new CowsimError(`process ${p.name} ended unexpectedly${tail()}`, at);
      }
    };

    const report: RunReport = { name: scenario.name, python: scenario.python, pageSize: scenario.pageSize, snapshots: [] };
    const raw: RealRun["raw"] = [];

    for (const step of scenario.steps) {
      const at = { ...where, step: step.index };
      switch (step.kind) {
        case "run": {
          const p = procs.get(step.process)!;
          const src = Buffer.from(step.code, "utf8");
          p.ch.send(Buffer.concat([Buffer.from(`R ${src.length} ${step.index}\n`, "latin1"), src]));
          const m = await reply(p, step.index);
          if (m.kind === "E") {
            const sp1 = m.text.indexOf(" ");
            const sp2 = m.text.indexOf(" ", sp1 + 1);
            const line = parseInt(m.text.slice(0, sp1), 10);
            const col = parseInt(m.text.slice(sp1 + 1, sp2), 10);
            throw new CowsimError(`Python error in process ${p.name}: ${m.text.slice(sp2 + 1)}`, {
              ...at,
              ...(line > 0 ? { line } : {}),
              ...(line > 0 && col > 0 ? { column: col } : {}),
            });
          }
          if (m.kind !== "K") throw new CowsimError(`agent protocol: unexpected ${m.kind} reply`, at);
          break;
        }
        case "fork": {
          const parent = procs.get(step.parent)!;
          parent.ch.send(`F 0 ${step.index}\n`);
          const m = await reply(parent, step.index);
          if (m.kind === "E") throw new CowsimError(`fork failed in process ${parent.name}: ${m.text.split(" ").slice(2).join(" ")}`, at);
          if (m.kind !== "F") throw new CowsimError(`agent protocol: unexpected ${m.kind} reply`, at);
          const ch = await helloFrom(m.pid, step.index);
          const p: Proc = { name: step.child, pid: nextPid++, osPid: m.pid, ch };
          procs.set(step.child, p);
          if (opts.warmup ?? true) {
            ch.send("R 4 0\npass");
            const w = await reply(p, step.index);
            if (w.kind !== "K") throw new CowsimError(`process ${p.name} failed its warm-up step`, at);
          }
          break;
        }
        case "exit": {
          const p = procs.get(step.process)!;
          p.ch.send(`X 0 ${step.index}\n`);
          await reply(p, step.index);
          // wait for the channel to close: the process is gone (or a zombie, with no memory)
          if (!p.ch.closed) await withTimeout(p.ch.next().catch(() => undefined), 10_000, () => new CowsimError(`process ${p.name} did not exit`, at));
          procs.delete(step.process);
          break;
        }
        case "snapshot": {
          const live = [...procs.values()].sort((a, b) => a.pid - b.pid);
          for (const p of live) await waitIdle(p.osPid);
          const measured = live.map(measure);
          raw.push({ label: step.label, processes: measured });
          report.snapshots.push({ label: step.label, processes: measured.map(toMeasure) });
          break;
        }
      }
    }
    return { report, python, raw };
  } finally {
    for (const p of procs.values()) {
      try {
        process.kill(p.osPid, "SIGKILL");
      } catch {
        /* already gone */
      }
      p.ch.sock.destroy();
    }
    for (const ch of hellos.values()) ch.sock.destroy();
    if (child && child.exitCode === null && child.signalCode === null) {
      await new Promise<void>((r) => {
        child!.once("exit", () => r());
        try {
          child!.kill("SIGKILL");
        } catch {
          r();
        }
      });
    }
    if (server) await new Promise<void>((r) => server!.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Run a scenario on the real interpreter and kernel; the report of its snapshots. */
export async function runReal(scenario: Scenario, opts: RealOptions = {}): Promise<RunReport> {
  return (await runRealDetailed(scenario, opts)).report;
}
