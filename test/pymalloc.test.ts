/**
 * pymalloc and the glibc model on the simulated machine: facts from the seeds
 * and from obmalloc.c (docs/cpython/obmalloc.md), and randomized runs that
 * check the allocator and kernel invariants after every kind of operation.
 */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { debugMachine } from "./helpers/machine.js";
import { SimError, type Machine } from "../src/machine.js";
import { OBMALLOC, PY_VERSIONS } from "../src/profiles/obmalloc.js";

describe("size classes (seed 002)", () => {
  it("a 28-byte request is size class 3 with 8-byte alignment (32-byte blocks)", async () => {
    const m = await debugMachine("3.7", { pymalloc: { alignmentShift: 3 } });
    const pid = m.spawn();
    const a = m.malloc(pid, 28);
    expect(m.blockSize(pid, a)).toBe(32);
    expect(m.mallocStats(pid)).toMatch(/^\s+3\s+32\s+1\s+1\s+/m);
    expect(m.mallocStats(pid)).toMatch(/in 64 size classes/);
  });

  it("with the measured 16-byte alignment of every installed version it is class 1", async () => {
    for (const v of PY_VERSIONS) expect(OBMALLOC[v].alignment).toBe(16);
    const m = await debugMachine("3.11");
    const pid = m.spawn();
    const a = m.malloc(pid, 28);
    expect(m.blockSize(pid, a)).toBe(32);
    expect(m.mallocStats(pid)).toMatch(/^\s+1\s+32\s+1\s+1\s+/m);
  });

  it("blocks are aligned, consecutive in a fresh pool, first block after the 48-byte header", async () => {
    const m = await debugMachine("3.11");
    const pid = m.spawn();
    const blocks = Array.from({ length: 10 }, () => m.malloc(pid, 30));
    const pool = blocks[0] & ~16383n;
    expect(blocks[0] - pool).toBe(48n);
    for (let i = 1; i < 10; i++) expect(blocks[i] - blocks[i - 1]).toBe(32n);
    for (const b of blocks) expect(b % 16n).toBe(0n);
  });

  it("requests above 512 bytes and of 0 bytes go to the C library", async () => {
    const m = await debugMachine("3.11");
    const pid = m.spawn();
    expect(m.blockSize(pid, m.malloc(pid, 513))).toBe(0);
    expect(m.blockSize(pid, m.malloc(pid, 0))).toBe(0);
    expect(m.blockSize(pid, m.malloc(pid, 512))).toBe(512);
  });
});

describe("reuse order", () => {
  it("freed blocks come back last-in first-out from the pool's free list", async () => {
    const m = await debugMachine("3.11");
    const pid = m.spawn();
    const [a, b, c] = [m.malloc(pid, 20), m.malloc(pid, 20), m.malloc(pid, 20)];
    m.free(pid, a);
    m.free(pid, c);
    expect(m.malloc(pid, 20)).toBe(c);
    expect(m.malloc(pid, 20)).toBe(a);
    // The free list link is written inside the freed block itself (seed 004).
    m.free(pid, b);
    m.free(pid, a);
    expect(m.read64(pid, a)).toBe(b);
  });

  it("an empty pool is reused for another size class; a full pool that gets a block back is used first", async () => {
    const m = await debugMachine("3.11");
    const pid = m.spawn();
    const per = Math.floor((16384 - 48) / 64);
    const first = Array.from({ length: per }, () => m.malloc(pid, 64));
    const second = m.malloc(pid, 64); // the first pool is full: a new pool
    expect(second & ~16383n).not.toBe(first[0] & ~16383n);
    m.free(pid, first[5]);
    expect(m.malloc(pid, 64)).toBe(first[5]);
  });
});

function arenasCurrent(m: Machine, pid: number): number {
  const line = m.mallocStats(pid).split("\n").find((l) => l.startsWith("# arenas allocated current"))!;
  return Number(line.split("=")[1].replace(/[ ,]/g, ""));
}

describe("arenas given back to the system", () => {
  for (const v of ["3.7", "3.8", "3.9", "3.11"] as const) {
    it(`${v}: ${OBMALLOC[v].keepLastEmptyArena ? "keeps the last wholly free arena" : "unmaps every wholly free arena"}`, async () => {
      const m = await debugMachine(v);
      const pid = m.spawn();
      const p = OBMALLOC[v];
      const n = Math.ceil((3 * p.arenaSize) / 512);
      const blocks = Array.from({ length: n }, () => m.malloc(pid, 500));
      expect(arenasCurrent(m, pid)).toBeGreaterThanOrEqual(3);
      const rss = m.smapsRollup(pid).rssKiB;
      for (const b of blocks) m.free(pid, b);
      expect(arenasCurrent(m, pid)).toBe(p.keepLastEmptyArena ? 1 : 0);
      expect(m.smapsRollup(pid).rssKiB).toBeLessThan(rss);
      expect(m.checkInvariants()).toBeNull();
    });
  }
});

describe("bad frees", () => {
  it("double free and foreign pointers are typed errors; the machine stays usable", async () => {
    const m = await debugMachine("3.11");
    const pid = m.spawn();
    const a = m.malloc(pid, 40);
    m.free(pid, a);
    expect(() => m.free(pid, a)).toThrow(/double free/);
    expect(() => m.free(pid, a + 8n)).toThrow(/never handed out/);
    expect(() => m.free(pid, 0x123450n)).toThrow(/never handed out/);
    const big = m.malloc(pid, 100000);
    m.free(pid, big);
    expect(() => m.free(pid, big)).toThrow(SimError);
    expect(m.malloc(pid, 40)).toBe(a);
  });
});

describe("the seed experiment at the allocator level (3.11 constants)", () => {
  it("1,000,000 32-byte blocks, fork, the child writes each once: ~7,800 pages copied", async () => {
    const m = await debugMachine("3.11");
    const parent = m.spawn();
    const table = m.mallocMany(parent, 32, 1_000_000);
    const child = m.fork(parent);
    const before = m.smapsRollup(child);
    m.touchWords(child, table, 1_000_000);
    const after = m.smapsRollup(child);
    const copied = after.minflt - before.minflt;
    // 1,000,000 / 510 blocks per 16 KiB pool = 1,961 pools = 7,844 pages of 4 KiB.
    expect(copied).toBe(7844);
    expect(after.privateDirtyKiB - before.privateDirtyKiB).toBe(7844 * 4);
    // The parent's originals are now private to it too (measured on the real kernel).
    expect(m.smapsRollup(parent).privateDirtyKiB).toBeGreaterThanOrEqual(7844 * 4);
    expect(m.checkInvariants()).toBeNull();
  });
});

/** A small deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("randomized alloc/free/realloc/fork/write/exit runs", () => {
  for (const v of ["2.7", "3.7", "3.11", "3.13"] as const) {
    it(`${v}: blocks never overlap or repeat, contents survive, mapcounts and Pss add up`, async () => {
      const m = await debugMachine(v);
      const rand = rng(v.length * 7919 + Number(v.replace(".", "")));
      type Live = Map<bigint, { size: number; tag: bigint }>;
      const procs = new Map<number, Live>();
      procs.set(m.spawn(), new Map());
      let tagSeq = 1n;
      const sizes = [1, 8, 16, 28, 32, 48, 100, 200, 256, 300, 511, 512, 513, 1000, 4000, 70000, 200000];
      for (let step = 0; step < 4000; step++) {
        const pids = [...procs.keys()];
        const pid = pids[Math.floor(rand() * pids.length)];
        const live = procs.get(pid)!;
        const r = rand();
        if (r < 0.45 || live.size === 0) {
          const size = sizes[Math.floor(rand() * sizes.length)];
          const p = m.malloc(pid, size);
          expect(p % 16n).toBe(0n);
          for (const [q, info] of live) {
            const overlap = p < q + BigInt(info.size) && q < p + BigInt(Math.max(size, 1));
            if (overlap) throw new Error(`block ${p} (${size}) overlaps live ${q} (${info.size}) in pid ${pid}`);
          }
          const tag = tagSeq++;
          if (size >= 8) m.write64(pid, p, tag);
          live.set(p, { size, tag });
        } else if (r < 0.8) {
          const keys = [...live.keys()];
          const p = keys[Math.floor(rand() * keys.length)];
          const info = live.get(p)!;
          if (info.size >= 8) expect(m.read64(pid, p)).toBe(info.tag);
          m.free(pid, p);
          live.delete(p);
        } else if (r < 0.9) {
          const keys = [...live.keys()];
          const p = keys[Math.floor(rand() * keys.length)];
          const info = live.get(p)!;
          const size = sizes[Math.floor(rand() * sizes.length)];
          const q = m.realloc(pid, p, size);
          live.delete(p);
          if (info.size >= 8 && size >= 8) expect(m.read64(pid, q)).toBe(info.tag);
          live.set(q, { size, tag: info.tag });
          if (size >= 8 && info.size < 8) m.write64(pid, q, info.tag);
        } else if (r < 0.95 && procs.size < 6) {
          const child = m.fork(pid);
          procs.set(child, new Map([...live].map(([k, x]) => [k, { ...x }])));
        } else if (procs.size > 1 && r >= 0.97) {
          m.exit(pid);
          procs.delete(pid);
        }
        if (step % 500 === 499) {
          expect(m.checkInvariants()).toBeNull();
          // Every live block still holds its tag in its own process.
          for (const [p2, l2] of procs) for (const [a, info] of l2) if (info.size >= 8) expect(m.read64(p2, a)).toBe(info.tag);
          // Pss over all processes adds up to the frames mapped (to rounding: < 1 KiB per process).
          let pss = 0;
          for (const p2 of procs.keys()) pss += m.smapsRollup(p2).pssKiB;
          const frames = m.hostMemory().framesInUse * 4;
          expect(frames - pss).toBeGreaterThanOrEqual(0);
          expect(frames - pss).toBeLessThanOrEqual(procs.size);
        }
      }
    });
  }
});

describe("sys._debugmallocstats layout", () => {
  it("matches the interpreter's text layout line for line (3.11 fixture, same shape)", async () => {
    const real = readFileSync(new URL("./fixtures/debugmallocstats/3.11-floats100k.txt", import.meta.url), "utf8");
    const m = await debugMachine("3.11");
    const pid = m.spawn();
    for (let i = 0; i < 100_000; i++) m.malloc(pid, 24);
    const sim = m.mallocStats(pid);
    const header = (t: string) => t.split("\n").slice(0, 4).join("\n");
    expect(header(sim)).toBe(header(real));
    const labels = (t: string) => t.split("\n").filter((l) => l.includes("=")).map((l) => l.split("=")[0].replace(/^\d+/, "N"));
    expect(labels(sim)).toEqual(labels(real).slice(0, labels(sim).length));
    expect(sim).toMatch(/^\s+1\s+32\s+197\s+100000\s+470$/m);
  });
});
