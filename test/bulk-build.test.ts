/**
 * The runtime's bulk paths (runs of list(range(n)), page-cursor loops over item pointers) must leave
 * every process exactly as the item-by-item paths do: the same bytes, page tables and frames (so the
 * same faults, taken in the same order) and /proc figures.
 */
import { describe, it, expect } from "vitest";
import { debugMachine } from "./helpers/machine.js";
import { Interpreter } from "../src/sim/interpreter.js";
import type { PyVersion } from "../src/profiles/obmalloc.js";

type Step = [process: string, code: string] | ["fork", string];
interface Program { steps: Step[]; pageSize?: 4096 | 16384 | 65536; ramBytes?: number; immortalObjects?: boolean }

async function outcome(python: PyVersion, prog: Program, bulk: boolean) {
  const machine = await debugMachine(python, { pageSize: prog.pageSize, ramBytes: prog.ramBytes });
  machine.setBulkLoops(bulk);
  const interp = new Interpreter(machine, { immortalObjects: !!prog.immortalObjects });
  const pids = new Map([["main", interp.startProcess()]]);
  const errors: string[] = [];
  for (const [who, what] of prog.steps) {
    if (who === "fork") { pids.set(what, machine.fork(pids.get("main")!)); continue; }
    try { interp.run(pids.get(who)!, what); } catch (e) { errors.push(`${who}: ${(e as Error).message}`); }
  }
  const processes = [...pids].map(([name, pid]) => ({
    name, smaps: machine.smapsRollup(pid),
    memory: machine.isAlive(pid) ? machine.digestMemory(pid) : null,
    pageTables: machine.isAlive(pid) ? machine.digestPageTables(pid) : null,
  }));
  return { errors, processes, invariants: machine.checkInvariants() };
}

const programs: Record<string, Program> = {
  "ranges, copies, deletions, fork": {
    steps: [
      ["main", "L = list(range(-300, 60000, 3)); M = list(L); T = tuple(range(2**30 - 2000, 2**30 + 2000))"],
      ["main", "del L[100:5000]"],
      ["main", "R = list(range(60000, 0, -1)); S = sorted(range(9000, 300, -7)); W = list(range(100000, 100003))"],
      ["fork", "child"],
      ["child", "N = list(M); U = list(T)"],
      ["child", "del M; del W; del R"],
      ["child", "P = list(range(50000)); Q = [1, 2]"],
      ["child", "Q.extend(range(1000, 30000)); Q.extend(range(-30000, -2000, 9))"],
      ["main", "del R"],
      ["main", "V = list(range(40000))"],
    ],
  },
  "a copy loop while copy-on-write faults let older copies share their source's bytes again": {
    // L[0] = L[0] copies the page of L's first slots, and its bytes come back equal to the parent's;
    // list(L)'s increfs then copy an int page per few items (L holds every 16th int of B), and a few
    // copies later the kernel lets that slot page share its source's slot again and hands its own
    // on to the next copy (memory.ts reclaimOldestCopy) while the loop is reading it.
    steps: [
      ["main", "B = list(range(100000, 300000)); L = B[::16]; P = [B[::64] for k in range(4)]"],
      ["fork", "c"],
      ["c", "L[0] = L[0]; M = list(L)"],
      ["c", "L[0] = L[0]; P[0][0] = P[0][0]; P[1][0] = P[1][0]; N = list(L); del M"],
    ],
  },
  "a decref loop while copy-on-write faults let older copies share their source's bytes again": {
    // The same with list_dealloc's loop, which starts at the page of L's last slots.
    steps: [
      ["main", "B = list(range(100000, 300000)); L = B[::16]"],
      ["fork", "c"],
      ["c", "L[12499] = L[12499]; del L"],
    ],
  },
  "16 KiB pages": {
    pageSize: 16384,
    steps: [["main", "L = list(range(80000)); M = list(L)"], ["fork", "c"], ["c", "N = list(L); del L; del M"], ["c", "P = list(range(90000))"]],
  },
  "immortal objects": {
    immortalObjects: true,
    steps: [["main", "L = list(range(-100, 50000)); M = list(L)"], ["fork", "c"], ["c", "N = list(M); del N; del M"], ["c", "P = list(range(50000))"]],
  },
  "out of memory part-way": {
    ramBytes: 20 * 2 ** 20,
    steps: [["main", "L = list(range(40000))"], ["fork", "c"], ["c", "M = list(range(1000000))"]],
  },
};

describe("the runtime's bulk paths leave the same machine as item-by-item", () => {
  for (const v of ["2.7", "3.6", "3.8", "3.10", "3.11", "3.12", "3.13"] as PyVersion[]) {
    for (const [name, prog] of Object.entries(programs)) {
      it(`${v}: ${name}`, async () => {
        const bulk = await outcome(v, prog, true);
        const plain = await outcome(v, prog, false);
        expect(bulk.invariants).toBeNull();
        expect(bulk).toEqual(plain);
        if (name === "out of memory part-way") expect(bulk.processes[1].smaps.alive).toBe(false);
      });
    }
  }
});

describe("full pools of a list(range(n)) run are described, not stored (kernel/lazy.ts, cpython/runs.ts)", () => {
  // 300,000 + 98,667 one-digit ints: 12.8 MB of pools and 3.2 MB of slots, about 3,890 pages of 4 KiB.
  for (const v of ["3.6", "3.11", "3.12", "3.13"] as PyVersion[]) {
    it(`${v}: host pages stay few, and the bytes read back, are copied and written as stored ones`, async () => {
      const m = await debugMachine(v);
      m.setBulkLoops(true);
      const interp = new Interpreter(m, {});
      const main = interp.startProcess();
      const before = m.hostMemory();
      interp.run(main, "L = list(range(1000, 301000)); N = list(range(-5000, -301000, -3))");
      const built = m.hostMemory();
      expect(built.describedFrames).toBeGreaterThan(3800);
      expect(built.slotsInUse - before.slotsInUse).toBeLessThan(400);
      // Reading every item generates the pages (a wrong byte would make a wrong sum: IndexError);
      // sum's increfs give the ints' pages host pages of their own, and once each decref has put
      // their bytes back, they go back to their description (memory.ts redescribeOldest).
      interp.run(main, "if sum(L) != 45299850000 or sum(N) != -15095952333: L[len(L)]");
      const summed = m.hostMemory();
      expect(summed.describedFills).toBeGreaterThan(500);
      expect(summed.describedFrames).toBeGreaterThan(3800);
      expect(summed.slotsInUse - before.slotsInUse).toBeLessThan(400);
      const child = m.fork(main);
      interp.run(child, "for x in L: pass");
      interp.run(child, "L[7] = 0; del N[100:90000]");
      interp.run(main, "L[300] = 1; M = L[::2]");
      interp.run(child, "if sum(L) != 45299850000 - 1007 or len(N) != 8767: L[len(L)]");
      interp.run(main, "if sum(L) != 45299850000 - 1300 + 1: L[len(L)]");
      expect(m.checkInvariants()).toBeNull();
    });
  }
});
