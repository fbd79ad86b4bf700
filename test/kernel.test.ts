/**
 * The simulated kernel against the rules measured on the real one
 * (docs/linux-accounting.md, test/fixtures/kernel-probes.json).
 */
import { describe, it, expect } from "vitest";
import { readFileSync } from "node:fs";
import { debugMachine } from "./helpers/machine.js";
import { SimError } from "../src/machine.js";

const PAGE = 4096n;
const probes = JSON.parse(readFileSync(new URL("./fixtures/kernel-probes.json", import.meta.url), "utf8"));

describe("faults and accounting of private anonymous memory", () => {
  it("a first read maps the zero page: one fault per page, nothing in Rss", async () => {
    const m = await debugMachine();
    const pid = m.spawnBare();
    const a = m.mmap(pid, 100n * PAGE);
    const before = m.smapsRollup(pid);
    for (let i = 0n; i < 100n; i++) m.read64(pid, a + i * PAGE);
    const after = m.smapsRollup(pid);
    expect(after.minflt - before.minflt).toBe(100);
    expect(after.rssKiB - before.rssKiB).toBe(0);
    // Writing a page that was only read is a second fault and a new page.
    for (let i = 0n; i < 100n; i++) m.write64(pid, a + i * PAGE, 1n);
    const written = m.smapsRollup(pid);
    expect(written.minflt - after.minflt).toBe(100);
    expect(written.privateDirtyKiB - after.privateDirtyKiB).toBe(400);
    expect(m.checkInvariants()).toBeNull();
  });

  it("fork shares written pages (Shared_Dirty, Pss halved); the child's write copies and both see it private", async () => {
    const m = await debugMachine();
    const parent = m.spawnBare();
    const a = m.mmap(parent, 100n * PAGE);
    for (let i = 0n; i < 100n; i++) m.write64(parent, a + i * PAGE, i);
    const child = m.fork(parent);
    let p = m.smapsRollup(parent), c = m.smapsRollup(child);
    expect(c.minflt).toBe(0);
    expect(p.sharedDirtyKiB).toBe(400);
    expect(c.sharedDirtyKiB).toBe(400);
    expect(p.pssKiB).toBe(200);
    // The child reads: nothing changes.
    for (let i = 0n; i < 100n; i++) expect(m.read64(child, a + i * PAGE)).toBe(i);
    expect(m.smapsRollup(child).minflt).toBe(0);
    // The child writes 60 pages: 60 faults, 60 copies.
    for (let i = 0n; i < 60n; i++) m.write64(child, a + i * PAGE, 1000n + i);
    c = m.smapsRollup(child);
    p = m.smapsRollup(parent);
    expect(c.minflt).toBe(60);
    expect(c.privateDirtyKiB).toBe(240);
    expect(c.sharedDirtyKiB).toBe(160);
    expect(p.privateDirtyKiB).toBe(240);
    expect(p.sharedDirtyKiB).toBe(160);
    expect(p.minflt).toBe(100); // no fault in the parent
    expect(m.read64(parent, a)).toBe(0n);
    expect(m.read64(child, a)).toBe(1000n);
    expect(m.checkInvariants()).toBeNull();
  });

  it("the last mapper reuses a write-protected page in place, still one fault each", async () => {
    const m = await debugMachine();
    const parent = m.spawnBare();
    const a = m.mmap(parent, 30n * PAGE);
    for (let i = 0n; i < 30n; i++) m.write64(parent, a + i * PAGE, i);
    const child = m.fork(parent);
    m.exit(child);
    const before = m.smapsRollup(parent);
    expect(before.privateDirtyKiB).toBe(120);
    const frames = m.hostMemory().framesInUse;
    for (let i = 0n; i < 30n; i++) m.write64(parent, a + i * PAGE, 7n);
    const after = m.smapsRollup(parent);
    expect(after.minflt - before.minflt).toBe(30);
    expect(m.hostMemory().framesInUse).toBe(frames);
    for (let i = 0n; i < 30n; i++) m.write64(parent, a + i * PAGE, 8n);
    expect(m.smapsRollup(parent).minflt).toBe(after.minflt);
  });

  it("Pss: each page adds floor((PAGE << 12) / mapcount), truncated once for the rollup (3 sharers)", async () => {
    // Measured: three sharers of 1..7 pages show Pss 1, 2, 3, 5, 6, 7, 9 kB.
    const expected = [1, 2, 3, 5, 6, 7, 9];
    for (let pages = 1; pages <= 7; pages++) {
      const m = await debugMachine();
      const p = m.spawnBare();
      const a = m.mmap(p, BigInt(pages) * PAGE);
      for (let i = 0n; i < BigInt(pages); i++) m.write64(p, a + i * PAGE, 1n);
      m.fork(p);
      m.fork(p);
      expect(m.smapsRollup(p).pssKiB).toBe(expected[pages - 1]);
    }
  });

  it("a region only read (zero page) is not copied by fork: the child faults it in", async () => {
    const m = await debugMachine();
    const p = m.spawnBare();
    const a = m.mmap(p, 10n * PAGE);
    for (let i = 0n; i < 10n; i++) m.read64(p, a + i * PAGE);
    const c = m.fork(p);
    for (let i = 0n; i < 10n; i++) m.read64(c, a + i * PAGE);
    expect(m.smapsRollup(c).minflt).toBe(10);
  });

  it("MAP_SHARED: a read allocates a page (counted), writes never copy, fork maps nothing up front", async () => {
    const m = await debugMachine();
    const p = m.spawnBare();
    const a = m.mmap(p, 64n * PAGE, { shared: true });
    for (let i = 0n; i < 64n; i++) m.read64(p, a + i * PAGE);
    let r = m.smapsRollup(p);
    expect(r.minflt).toBe(64);
    expect(r.privateCleanKiB).toBe(256);
    for (let i = 0n; i < 64n; i++) m.write64(p, a + i * PAGE, 5n);
    expect(m.smapsRollup(p).minflt).toBe(64);
    const c = m.fork(p);
    expect(m.smapsRollup(c).rssKiB).toBe(0);
    for (let i = 0n; i < 64n; i++) expect(m.read64(c, a + i * PAGE)).toBe(5n);
    // fault-around maps 16-page windows: 4 faults for 64 aligned pages (5 measured when the region is not 64 KiB-aligned)
    expect(m.smapsRollup(c).minflt).toBeLessThanOrEqual(5);
    m.write64(c, a, 9n);
    expect(m.read64(p, a)).toBe(9n);
    // Dirty is per PTE: the child wrote one page, the parent all 64.
    expect(m.smapsRollup(c).sharedDirtyKiB).toBe(4);
    expect(m.smapsRollup(c).sharedCleanKiB).toBe(252);
    expect(m.smapsRollup(p).sharedDirtyKiB).toBe(256);
    expect(m.checkInvariants()).toBeNull();
  });

  it("MADV_DONTNEED drops pages; munmap and mremap keep the rest intact", async () => {
    const m = await debugMachine();
    const p = m.spawnBare();
    const a = m.mmap(p, 100n * PAGE);
    for (let i = 0n; i < 100n; i++) m.write64(p, a + i * PAGE, i + 1n);
    m.madviseDontneed(p, a, 100n * PAGE);
    expect(m.smapsRollup(p).rssKiB).toBe(0);
    expect(m.read64(p, a + 5n * PAGE)).toBe(0n);
    for (let i = 0n; i < 60n; i++) m.write64(p, a + i * PAGE, i + 1n);
    m.munmap(p, a + 40n * PAGE, 20n * PAGE);
    expect(m.smapsRollup(p).rssKiB).toBe(160);
    const f0 = m.smapsRollup(p).minflt;
    const b = m.mremap(p, a, 40n * PAGE, 200n * PAGE);
    expect(m.smapsRollup(p).minflt).toBe(f0);
    for (let i = 0n; i < 40n; i++) expect(m.read64(p, b + i * PAGE)).toBe(i + 1n);
    expect(m.smapsRollup(p).minflt).toBe(f0);
    expect(() => m.read64(p, a + 45n * PAGE)).toThrow(SimError);
    expect(m.checkInvariants()).toBeNull();
  });

  it("the fixture's measured rules are the ones asserted above", () => {
    expect(probes.command).toBeTruthy();
  });
});

describe("bad input and simulated faults", () => {
  it("an unmapped access is a simulated SIGSEGV: the process dies, the machine lives", async () => {
    const m = await debugMachine();
    const p = m.spawn();
    const q = m.fork(p);
    let err: unknown;
    try { m.write64(q, 0x1000n, 1n); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(SimError);
    expect((err as SimError).code).toBe("SEGV");
    expect((err as SimError).message).toMatch(/segmentation fault.*0x1000/);
    expect(m.isAlive(q)).toBe(false);
    expect(m.smapsRollup(q).killedBy).toBe(11);
    const b = m.malloc(p, 100);
    m.write64(p, b, 5n);
    expect(m.read64(p, b)).toBe(5n);
    expect(() => m.malloc(q, 10)).toThrow(/no live process/);
  });

  it("running out of simulated RAM kills the process with an OOM error", async () => {
    const m = await debugMachine("3.11", { ramBytes: 64 * 4096 });
    const p = m.spawnBare();
    const a = m.mmap(p, 1000n * PAGE);
    let err: unknown;
    try { for (let i = 0n; i < 1000n; i++) m.write64(p, a + i * PAGE, 1n); } catch (e) { err = e; }
    expect((err as SimError).code).toBe("OOM");
    expect(m.isAlive(p)).toBe(false);
    const q = m.spawnBare();
    expect(m.isAlive(q)).toBe(true);
  });

  it("rejects a bad page size and an unknown profile", async () => {
    await expect(debugMachine("3.11", { pageSize: 8192 })).rejects.toThrow(/page size 8192/);
    // @ts-expect-error: not a profile
    await expect(debugMachine("3.5")).rejects.toThrow(/unknown CPython profile/);
  });

  it("16 KiB and 64 KiB pages: one fault and one copy per (bigger) page", async () => {
    for (const size of [16384n, 65536n]) {
      const m = await debugMachine("3.11", { pageSize: Number(size) });
      const p = m.spawnBare();
      const a = m.mmap(p, 10n * size);
      for (let i = 0n; i < 10n * size; i += 4096n) m.write64(p, a + i, 1n);
      expect(m.smapsRollup(p).minflt).toBe(10);
      const c = m.fork(p);
      m.write64(c, a, 2n);
      expect(m.smapsRollup(c).privateDirtyKiB).toBe(Number(size / 1024n));
    }
  });
});

describe("host storage: copies whose bytes come back equal share one host page (invisible to accounting)", () => {
  it("a child that writes and restores each page: counted as copies, stored once; later writes on either side stay private", async () => {
    const m = await debugMachine();
    const parent = m.spawnBare();
    const N = 300n;
    const a = m.mmap(parent, N * PAGE);
    for (let i = 0n; i < N; i++) for (let w = 0n; w < 4n; w++) m.write64(parent, a + i * PAGE + w * 1000n, i * 10n + w);
    const child = m.fork(parent);
    const before = m.hostMemory();
    // The child's "incref, decref" on every page: each page is copied (a CoW fault) and ends equal.
    for (let i = 0n; i < N; i++) {
      const v = m.read64(child, a + i * PAGE);
      m.write64(child, a + i * PAGE, v + 1n);
      m.write64(child, a + i * PAGE, v);
    }
    const after = m.hostMemory();
    const c = m.smapsRollup(child);
    expect(c.minflt).toBe(Number(N)); // the simulated kernel saw N copies
    expect(c.privateDirtyKiB).toBe(Number(N) * 4);
    expect(after.framesInUse - before.framesInUse).toBe(Number(N));
    expect(after.slotShares).toBeGreaterThan(Number(N) - 20); // all but the last few copies share
    expect(after.slotsInUse - before.slotsInUse).toBeLessThan(20);
    expect(m.checkInvariants()).toBeNull();
    // A grandchild shares the child's frames; then everybody writes its own values.
    const grand = m.fork(child);
    for (let i = 0n; i < N; i += 3n) m.write64(parent, a + i * PAGE + 8n, 7000n + i);
    for (let i = 0n; i < N; i += 2n) m.write64(child, a + i * PAGE + 16n, 8000n + i);
    for (let i = 0n; i < N; i += 5n) m.write64(grand, a + i * PAGE + 24n, 9000n + i);
    for (let i = 0n; i < N; i++) {
      const base = a + i * PAGE;
      expect(m.read64(parent, base)).toBe(i * 10n);
      expect(m.read64(parent, base + 8n)).toBe(i % 3n === 0n ? 7000n + i : 0n);
      expect(m.read64(child, base + 8n)).toBe(0n);
      expect(m.read64(child, base + 16n)).toBe(i % 2n === 0n ? 8000n + i : 0n);
      expect(m.read64(grand, base + 16n)).toBe(0n);
      expect(m.read64(grand, base + 24n)).toBe(i % 5n === 0n ? 9000n + i : 0n);
      expect(m.read64(parent, base + 24n)).toBe(0n);
      expect(m.read64(child, base + 1000n)).toBe(i * 10n + 1n);
    }
    expect(m.checkInvariants()).toBeNull();
    // Exits free frames and slots alike.
    m.exit(grand);
    m.exit(child);
    m.exit(parent);
    expect(m.hostMemory().framesInUse).toBe(0);
    expect(m.hostMemory().slotsInUse).toBe(1); // the zero page
  });

  it("a copy that stays different keeps a host page of its own", async () => {
    const m = await debugMachine();
    const parent = m.spawnBare();
    const N = 100n;
    const a = m.mmap(parent, N * PAGE);
    for (let i = 0n; i < N; i++) m.write64(parent, a + i * PAGE, i);
    const child = m.fork(parent);
    const before = m.hostMemory();
    for (let i = 0n; i < N; i++) m.write64(child, a + i * PAGE + 4088n, 1n);
    const after = m.hostMemory();
    expect(after.slotShares - before.slotShares).toBe(0);
    expect(after.slotsInUse - before.slotsInUse).toBe(Number(N));
  });
});

describe("described pages: a record's law, page by page (kernel/lazy.ts)", () => {
  /** The law, byte by byte: byte x of the run is the template's, lanes plus (x / period) * inc. */
  function reference(t: Uint8Array, x: number, law: { first: number; stride: number; count: number; width: number; inc: bigint }): number {
    const period = t.length;
    const n = Math.floor(x / period);
    const off = x % period;
    for (let k = 0; k < law.count; k++) {
      const lane = law.first + k * law.stride;
      if (off < lane || off >= lane + law.width) continue;
      let v = 0n;
      for (let b = law.width - 1; b >= 0; b--) v = (v << 8n) | BigInt(t[lane + b]);
      v = BigInt.asUintN(law.width * 8, v + BigInt(n) * law.inc);
      return Number((v >> BigInt((off - lane) * 8)) & 0xffn);
    }
    return t[off];
  }

  const laws = [
    // A period shorter than a page, lanes of 8 cut by the pages' edges, a run starting mid-page.
    { base: 0x10005, period: 100, first: 3, stride: 10, count: 9, width: 8, inc: 0xfffffff123n },
    // Lanes of 4 wrapping around 2^32, a period longer than a page.
    { base: 0x20000, period: 5000, first: 2, stride: 7, count: 700, width: 4, inc: 0x9e3779b9n },
    // No lanes: the template repeated.
    { base: 0x30ff8, period: 24, first: 0, stride: 8, count: 0, width: 8, inc: 5n },
  ];
  for (const law of laws) {
    it(`period ${law.period}, lanes of ${law.width} every ${law.stride} bytes from ${law.first}, run at 0x${law.base.toString(16)}`, async () => {
      const m = await debugMachine("3.12");
      const x = m.raw();
      const scratch = Number(x.lazyTestScratch());
      const t = new Uint8Array(law.period).map((_, i) => (i * 37 + 11) & 0xff);
      new Uint8Array(x.memory.buffer, scratch, law.period).set(t);
      const pages = 5;
      const rec = x.lazyTestRecord(BigInt(law.base), law.period, law.first, law.stride, law.count, law.width, law.inc, BigInt(pages * 4096));
      expect(rec).not.toBe(0);
      const page0 = law.base & 4095; // page 0 starts this many bytes before the run
      expect(x.lazyTestFill(rec, 0)).toBe(page0 === 0);
      expect(x.lazyTestFill(rec, pages + 1)).toBe(false);
      for (let p = page0 === 0 ? 0 : 1; p < pages; p++) {
        expect(x.lazyTestFill(rec, p)).toBe(true);
        const got = new Uint8Array(x.memory.buffer, scratch + 65536, 4096);
        const want = new Uint8Array(4096).map((_, i) => reference(t, p * 4096 - page0 + i, law));
        expect(Buffer.from(got).equals(Buffer.from(want))).toBe(true);
      }
    });
  }

  it("refuses a malformed law", async () => {
    const x = (await debugMachine("3.12")).raw();
    expect(x.lazyTestRecord(0n, 16, 12, 8, 2, 8, 1n, 4096n)).toBe(0); // the last lane leaves the period
    expect(x.lazyTestRecord(0n, 16, 0, 8, 2, 3, 1n, 4096n)).toBe(0); // a lane of 3 bytes
  });
});

describe("/proc/PID/smaps: each mapping's counts (Machine.smaps)", () => {
  it("sum to smaps_rollup's, and say where a child's memory went", async () => {
    const { Interpreter } = await import("../src/sim/interpreter.js");
    const m = await debugMachine("3.12");
    const interp = new Interpreter(m, {});
    const main = interp.startProcess();
    interp.run(main, "D = {i: i for i in range(100000)}; L = list(range(50000))");
    const child = m.fork(main);
    interp.run(child, "M = [str(i) for i in range(50000)]");
    for (const pid of [main, child]) {
      const maps = m.smaps(pid);
      const roll = m.smapsRollup(pid);
      const sum = (k: "rssKiB" | "privateDirtyKiB" | "sharedDirtyKiB" | "sharedCleanKiB" | "privateCleanKiB") => maps.reduce((a, x) => a + x[k], 0);
      expect(sum("rssKiB")).toBe(roll.rssKiB);
      expect(sum("privateDirtyKiB")).toBe(roll.privateDirtyKiB);
      expect(sum("sharedDirtyKiB")).toBe(roll.sharedDirtyKiB);
      expect(sum("sharedCleanKiB") + sum("privateCleanKiB")).toBe(roll.sharedCleanKiB + roll.privateCleanKiB);
      // Pss is truncated per mapping: the rollup (truncated once) is at least the sum.
      expect(maps.reduce((a, x) => a + x.pssKiB, 0)).toBeLessThanOrEqual(roll.pssKiB);
    }
    // The child's new strs are private memory in some mapping that was not all private before the fork.
    expect(m.smaps(child).some((x) => x.privateDirtyKiB > 1000)).toBe(true);
  });
});
