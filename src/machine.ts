/**
 * The host API over one simulated machine: a Linux-like kernel (frames, page
 * tables, fork, copy-on-write, /proc accounting) with CPython's allocators
 * (pymalloc, and a model of glibc malloc) for one CPython version.
 *
 *   const m = await Machine.create({ python: "3.11", module: loadModule() });
 *   const pid = m.spawn();                  // a process with CPython's static data mapped
 *   const p = m.malloc(pid, 28);            // PyObject_Malloc
 *   const child = m.fork(pid);
 *   m.write64(child, p, 2n);                // copy-on-write: the child copies the page
 *   m.smapsRollup(child).privateDirtyKiB;   // 4
 *
 * Addresses are BigInts (64-bit simulated pointers). Every call that fails
 * throws a `SimError` with a code; a simulated SIGSEGV or OOM kills the
 * simulated process (as the kernel would) and leaves the machine usable.
 * A trap inside WebAssembly (a bug, or an assertion in the debug build)
 * marks the machine dead: every later call throws.
 */
import { instantiateModule, type Exports, type Variant } from "./wasm.js";
import type { KindFigures, MemoryFigures, MemoryKind } from "./report.js";
import { OBMALLOC, type ObmallocParams, type PyVersion, PY_VERSIONS } from "./profiles/obmalloc.js";

export const ERROR_CODES = [
  "NONE", "SEGV", "OOM", "HOST_MEMORY", "INVALID", "DOUBLE_FREE", "BAD_FREE", "NO_PROCESS", "LIMIT",
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number] | "DEAD";

export class SimError extends Error {
  constructor(readonly code: ErrorCode, message: string, readonly value?: bigint, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "SimError";
  }
}

/** /proc/PID/smaps_rollup and /proc/PID/stat figures, in KiB and counts, and the process's state. */
export interface SmapsRollup extends MemoryFigures {
  anonymousKiB: number;
  shmemKiB: number;
  alive: boolean;
  /** Signal that killed the process (11 SIGSEGV, 9 by the OOM killer), 0 otherwise. */
  killedBy: number;
  /** Minor faults by kind; they add up to minflt. */
  faults: { zeroPage: number; anonymous: number; copyOnWrite: number; reuse: number; shared: number };
}

export interface MachineOptions {
  python: PyVersion;
  /** 4096 (default), 16384 or 65536. */
  pageSize?: number;
  /** Simulated RAM in bytes (default 64 GiB: a big server; WebAssembly's 4 GiB ceiling comes first). */
  ramBytes?: number;
  module: WebAssembly.Module;
  variant?: Variant;
  /** What-if: pymalloc parameters other than the version's (e.g. 8-byte alignment). */
  pymalloc?: Partial<Pick<ObmallocParams, "alignmentShift" | "poolSize" | "arenaSize" | "keepLastEmptyArena">>;
}

export const DEFAULT_RAM_BYTES = 64 * 2 ** 30;
const PAGE_SHIFTS: Record<number, number> = { 4096: 12, 16384: 14, 65536: 16 };

export class Machine {
  private dead: string | null = null;
  private constructor(
    private readonly x: Exports,
    readonly python: PyVersion,
    readonly pageSize: number,
    /** The pymalloc parameters in force (the version's, with any what-if applied). */
    readonly pymalloc: ObmallocParams,
  ) {}

  static async create(opts: MachineOptions): Promise<Machine> {
    const pageSize = opts.pageSize ?? 4096;
    const shift = PAGE_SHIFTS[pageSize];
    if (shift === undefined) throw new SimError("INVALID", `page size ${pageSize} is not one of 4096, 16384, 65536`);
    if (!PY_VERSIONS.includes(opts.python)) {
      throw new SimError("INVALID", `unknown CPython profile "${opts.python}" (known: ${PY_VERSIONS.join(", ")})`);
    }
    const ram = opts.ramBytes ?? DEFAULT_RAM_BYTES;
    if (!Number.isSafeInteger(ram) || ram < 16 * pageSize) throw new SimError("INVALID", `RAM size ${ram} is too small`);
    const x = await instantiateModule(opts.module, opts.variant ?? "release");
    const p: ObmallocParams = { ...OBMALLOC[opts.python], ...opts.pymalloc };
    p.alignment = (1 << p.alignmentShift) as 8 | 16;
    p.numSizeClasses = p.smallRequestThreshold >> p.alignmentShift;
    p.maxPoolsInArena = p.arenaSize / p.poolSize;
    const m = new Machine(x, opts.python, pageSize, p);
    m.call(() => x.machineInit(shift, BigInt(ram)));
    m.call(() =>
      x.configurePymalloc(
        p.smallRequestThreshold, p.alignmentShift, Math.log2(p.poolSize), Math.log2(p.arenaSize),
        p.poolOverhead, p.keepLastEmptyArena, p.radixTree?.interiorBits ?? 0, p.radixTree?.botBits ?? 0,
      ),
    );
    return m;
  }

  /** Runs one export, turning traps into a dead machine and recorded errors into SimErrors. */
  private call<T>(f: () => T): T {
    if (this.dead) throw new SimError("DEAD", `the simulated machine is dead: ${this.dead}`);
    let r: T;
    try {
      this.x.clearError();
      r = f();
    } catch (e) {
      this.dead = e instanceof Error ? e.message : String(e);
      // The trap's own error (with the WebAssembly stack) stays reachable as the cause.
      throw new SimError("DEAD", `the simulated machine stopped: ${this.dead}`, undefined, e);
    }
    const code = this.x.lastError();
    if (code !== 0) {
      const value = this.x.lastErrorValue();
      throw new SimError(ERROR_CODES[code] ?? "INVALID", describe(code, value), value);
    }
    return r;
  }

  /** Runs a raw export through the same error handling (for the interpreter glue). */
  guard<T>(f: () => T): T {
    return this.call(f);
  }

  /** The instance's raw exports (for src/sim: the interpreter talks to the evaluator directly). */
  raw(): Exports {
    return this.x;
  }

  get isDead(): boolean {
    return this.dead !== null;
  }

  /** A new process with CPython's static data mapped (the first one is pid 1). */
  spawn(): number {
    const pid = this.call(() => this.x.spawn());
    this.call(() => this.x.initProcessImage(pid));
    return pid;
  }

  /** A bare process: an empty address space, no CPython image. */
  spawnBare(): number {
    return this.call(() => this.x.spawn());
  }

  fork(pid: number): number {
    return this.call(() => this.x.fork(pid));
  }

  exit(pid: number): void {
    this.call(() => this.x.exit(pid));
  }

  isAlive(pid: number): boolean {
    return this.call(() => this.x.alive(pid));
  }

  /** PyObject_Malloc. */
  malloc(pid: number, n: number | bigint): bigint {
    return this.call(() => this.x.pyMalloc(pid, BigInt(n)));
  }

  /** PyObject_Free. Throws DOUBLE_FREE / BAD_FREE for pointers that are not live blocks. */
  free(pid: number, p: bigint): void {
    this.call(() => this.x.pyFree(pid, p));
  }

  /** PyObject_Realloc. */
  realloc(pid: number, p: bigint, n: number | bigint): bigint {
    return this.call(() => this.x.pyRealloc(pid, p, BigInt(n)));
  }

  /** The pymalloc block size behind p (0 for a glibc chunk). */
  blockSize(pid: number, p: bigint): number {
    return Number(this.call(() => this.x.pyBlockSize(pid, p)));
  }

  /** malloc(3) (the glibc model). */
  cMalloc(pid: number, n: number | bigint): bigint {
    return this.call(() => this.x.cMalloc(pid, BigInt(n)));
  }

  /** realloc(3) (the glibc model). */
  cRealloc(pid: number, p: bigint, n: number | bigint): bigint {
    return this.call(() => this.x.cRealloc(pid, p, BigInt(n)));
  }

  cFree(pid: number, p: bigint): void {
    this.call(() => this.x.cFree(pid, p));
  }

  mmap(pid: number, len: number | bigint, opts: { shared?: boolean } = {}): bigint {
    return this.call(() => this.x.mmap(pid, BigInt(len), !!opts.shared));
  }

  munmap(pid: number, addr: bigint, len: number | bigint): void {
    this.call(() => this.x.munmap(pid, addr, BigInt(len)));
  }

  brk(pid: number, newBrk: bigint): bigint {
    return this.call(() => this.x.brk(pid, newBrk));
  }

  mremap(pid: number, addr: bigint, oldLen: number | bigint, newLen: number | bigint): bigint {
    return this.call(() => this.x.mremap(pid, addr, BigInt(oldLen), BigInt(newLen)));
  }

  madviseDontneed(pid: number, addr: bigint, len: number | bigint): void {
    this.call(() => this.x.madviseDontneed(pid, addr, BigInt(len)));
  }

  read64(pid: number, addr: bigint): bigint {
    return this.call(() => this.x.read64(pid, addr));
  }

  write64(pid: number, addr: bigint, v: bigint): void {
    this.call(() => this.x.write64(pid, addr, BigInt.asUintN(64, v)));
  }

  read8(pid: number, addr: bigint): number {
    return this.call(() => this.x.read8(pid, addr));
  }

  write8(pid: number, addr: bigint, v: number): void {
    this.call(() => this.x.write8(pid, addr, v));
  }

  fill(pid: number, addr: bigint, value: number, len: number | bigint): void {
    this.call(() => this.x.fill(pid, addr, value, BigInt(len)));
  }

  /** `n` PyObject_Malloc(size) blocks with refcount 1 written; returns a malloc'ed array of their addresses. */
  mallocMany(pid: number, size: number, n: number): bigint {
    return this.call(() => this.x.pyMallocMany(pid, BigInt(size), BigInt(n)));
  }

  /** Increments and decrements the refcount word of each of the `n` objects listed at `table`. */
  touchWords(pid: number, table: bigint, n: number): void {
    this.call(() => this.x.touchWords(pid, table, BigInt(n)));
  }

  smapsRollup(pid: number): SmapsRollup {
    this.call(() => this.x.smapsRollup(pid));
    const ptr = this.call(() => this.x.rollupPtr());
    // A fresh view: memory may have grown since the last call.
    const w = new BigUint64Array(this.x.memory.buffer, ptr, 17);
    const kib = (i: number) => Number(w[i] / 1024n);
    const r: SmapsRollup = {
      rssKiB: kib(0),
      pssKiB: Number((w[1] >> 12n) / 1024n),
      sharedCleanKiB: kib(2),
      sharedDirtyKiB: kib(3),
      privateCleanKiB: kib(4),
      privateDirtyKiB: kib(5),
      ussKiB: kib(4) + kib(5),
      anonymousKiB: kib(6),
      shmemKiB: kib(7),
      minflt: Number(w[8]),
      majflt: Number(w[9]),
      alive: w[10] === 1n,
      killedBy: Number(w[11]),
      faults: {
        zeroPage: Number(w[12]), anonymous: Number(w[13]), copyOnWrite: Number(w[14]), reuse: Number(w[15]),
        shared: Number(w[16]),
      },
    };
    return r;
  }

  /** sys._debugmallocstats()'s pymalloc part, for a simulated process, in the interpreter's exact layout. */
  mallocStats(pid: number): string {
    const ptr = this.call(() => this.x.mallocStats(pid));
    const w = new BigUint64Array(this.x.memory.buffer, ptr, 200);
    return formatMallocStats(this.pymalloc, (i) => Number(w[i]));
  }

  /**
   * Checks the whole machine's invariants (every frame's mapcount equals the
   * PTEs mapping it, no writable PTE on a frame mapped twice in a private
   * mapping…). Returns a description of the first violation, or null.
   */
  /** A digest of the bytes of every page `pid` has present (faults nothing in). */
  digestMemory(pid: number): bigint {
    return BigInt.asUintN(64, this.call(() => this.x.digestMemory(pid)));
  }

  /**
   * Turns the evaluator's bulk loops and the runtime's bulk paths (list(range(n)) in runs, page-cursor
   * loops) off (or back on): tests check that both leave the same machine.
   */
  setBulkLoops(on: boolean): void {
    this.x.setBulkLoops(on);
  }

  checkInvariants(): string | null {
    const n = this.call(() => this.x.checkInvariants());
    if (n === 0) return null;
    const first = this.call(() => this.x.checkFirstViolation());
    const kinds = ["", "mapcount differs from the PTEs mapping the frame", "writable private PTE on a shared frame",
      "PTE not present or frame out of range", "zero page mapped writable", "PTE outside every VMA"];
    return `${n} violation(s); first: ${kinds[first >>> 28] ?? "?"} (frame ${first & 0xfffffff})`;
  }

  /**
   * A digest of a process's page tables (VMAs; each present page's PTE bits, frame and mapcount), beside
   * digestMemory's of the bytes: equal when the same faults were taken in the same order.
   */
  digestPageTables(pid: number): bigint {
    return BigInt.asUintN(64, this.call(() => this.x.digestPageTables(pid)));
  }

  /**
   * /proc/PID/smaps: each mapping of maps(pid) with its own counts (KiB; Pss of the mapping alone,
   * truncated per mapping as the kernel prints it).
   */
  smaps(pid: number): ({ start: bigint; end: bigint; shared: boolean; heap: boolean } & KindFigures)[] {
    return this.maps(pid).map((m, i) => {
      this.call(() => this.x.smapsVma(pid, i));
      return { ...m, ...kindFigures(this.rollupFixed()) };
    });
  }

  /** The first six fields of the rollup record (bytes; Pss in bytes << 12), read after a call fills it. */
  private rollupFixed(): bigint[] {
    // A fresh view: memory may have grown since the last call.
    return Array.from(new BigUint64Array(this.x.memory.buffer, this.x.rollupPtr(), 6));
  }

  /**
   * Where a process's memory is, by what the simulated interpreter keeps there (each page counted
   * once, as smaps_rollup counts it): pymalloc's arenas (small objects), glibc's brk heap, memory
   * shared between processes (RawArray, shared mappings), the interpreter's own static data
   * (libpython's .data/.bss and glibc's state), and the rest (glibc's mmapped chunks: big lists'
   * item arrays, big dicts' tables, buffers). KiB; Pss truncated per kind.
   */
  memoryByKind(pid: number): Record<MemoryKind, KindFigures> {
    const range = (start: bigint, end: bigint) => { this.call(() => this.x.smapsRange(pid, start, end)); return this.rollupFixed(); };
    const add = (a: bigint[], b: bigint[]) => a.map((v, i) => v + b[i]);
    const sub = (a: bigint[], b: bigint[]) => a.map((v, i) => v - b[i]);
    const zero = [0n, 0n, 0n, 0n, 0n, 0n];
    const total = range(0n, 1n << 62n);
    const n = this.call(() => this.x.arenaBasesOf(pid));
    const size = BigInt(this.x.arenaSize());
    const bases = Array.from(new BigUint64Array(this.x.memory.buffer, this.x.arenaBasesPtr(), n));
    let arenas = zero;
    for (const b of bases) arenas = add(arenas, range(b, b + size));
    const maps = this.maps(pid);
    let heap = zero, shared = zero;
    for (const m of maps) {
      if (m.heap) heap = add(heap, range(m.start, m.end));
      else if (m.shared) shared = add(shared, range(m.start, m.end));
    }
    const data = range(BigInt(this.x.imageDataStart()), BigInt(this.x.imageDataEnd()));
    const other = sub(sub(sub(sub(total, arenas), heap), shared), data);
    return {
      pymallocArenas: kindFigures(arenas), mallocHeap: kindFigures(heap), mallocMmap: kindFigures(other),
      sharedMemory: kindFigures(shared), interpreterData: kindFigures(data),
    };
  }

  /** The process's mappings (/proc/PID/maps): start, end, and whether shared / the brk heap. */
  maps(pid: number): { start: bigint; end: bigint; shared: boolean; heap: boolean }[] {
    const ptr = this.call(() => this.x.maps(pid));
    const n = this.x.mapsCount();
    const w = new BigUint64Array(this.x.memory.buffer, ptr, n * 3);
    const out = [];
    for (let i = 0; i < n; i++) {
      const f = Number(w[3 * i + 2]);
      out.push({ start: w[3 * i], end: w[3 * i + 1], shared: (f & 1) !== 0, heap: (f & 2) !== 0 });
    }
    return out;
  }

  /** Frames in use (simulated RAM in pages) and linear memory the instance holds, in bytes. */
  hostMemory(): {
    framesInUse: number; framesHighWater: number; slotsInUse: number; slotShares: number;
    describedFrames: number; describedFills: number; wasmBytes: number; kernelBytes: number;
  } {
    return {
      framesInUse: this.x.framesInUse(),
      framesHighWater: this.x.framesHighWater(),
      /** Host pages holding frame bytes: frames whose bytes are equal may share one. */
      slotsInUse: this.x.slotsInUse(),
      /** CoW copies that came back equal to their source and gave up their own host page. */
      slotShares: Number(this.x.slotSharesDone()),
      /** Frames whose bytes a record describes instead of a host page (kernel/lazy.ts). */
      describedFrames: this.x.lazySlotsInUse(),
      /** Described pages generated so far for reading. */
      describedFills: Number(this.x.lazyPagesFilled()),
      wasmBytes: this.x.memory.buffer.byteLength,
      kernelBytes: this.x.hostBytesUsed(),
    };
  }
}

/** KiB figures of rollup fields (bytes; Pss in bytes << 12, truncated once here as the kernel does). */
function kindFigures(f: bigint[]): KindFigures {
  return {
    rssKiB: Number(f[0] / 1024n), pssKiB: Number((f[1] >> 12n) / 1024n), sharedCleanKiB: Number(f[2] / 1024n),
    sharedDirtyKiB: Number(f[3] / 1024n), privateCleanKiB: Number(f[4] / 1024n), privateDirtyKiB: Number(f[5] / 1024n),
  };
}

function hex(v: bigint): string {
  return "0x" + v.toString(16);
}

function describe(code: number, value: bigint): string {
  switch (ERROR_CODES[code]) {
    case "SEGV": return `segmentation fault: access to unmapped address ${hex(value)} (the process was killed with SIGSEGV)`;
    case "OOM": return `out of memory: the simulated RAM is exhausted (${value} bytes in use or requested; the process was killed)`;
    case "HOST_MEMORY": return `the simulation needs more memory than WebAssembly can address (4 GiB ceiling; request of ${value} bytes)`;
    case "INVALID": return `invalid argument (${value})`;
    case "DOUBLE_FREE": return `double free of ${hex(value)}`;
    case "BAD_FREE": return `free of ${hex(value)}, which the allocator never handed out`;
    case "NO_PROCESS": return `no live process with pid ${value}`;
    case "LIMIT": return `too many processes (${value})`;
    default: return `error ${code} (${value})`;
  }
}

// --- sys._debugmallocstats ------------------------------------------------------------

/** printone(): the message, '=' at column 35, the value with thousands commas right-aligned in 21 characters. */
function printone(msg: string, value: number): string {
  const digits = value.toLocaleString("en-US");
  return msg.padEnd(35, " ") + "=" + digits.padStart(21, " ") + "\n";
}

export function formatMallocStats(p: ObmallocParams, word: (i: number) => number): string {
  const classes = p.numSizeClasses;
  let out = `Small block threshold = ${p.smallRequestThreshold}, in ${classes} size classes.\n\n`;
  out += "class   size   num pools   blocks in use  avail blocks\n";
  out += "-----   ----   ---------   -------------  ------------\n";
  let allocatedBytes = 0, availableBytes = 0, poolHeaderBytes = 0, quantization = 0;
  for (let i = 0; i < classes; i++) {
    const size = (i + 1) * p.alignment;
    const numpools = word(i), numblocks = word(64 + i), numfree = word(128 + i);
    if (numpools === 0) continue;
    out += `${String(i).padStart(5)} ${String(size).padStart(6)} ${String(numpools).padStart(11)} ${String(numblocks).padStart(15)} ${String(numfree).padStart(13)}\n`;
    allocatedBytes += numblocks * size;
    availableBytes += numfree * size;
    poolHeaderBytes += numpools * p.poolOverhead;
    quantization += numpools * ((p.poolSize - p.poolOverhead) % size);
  }
  const narenas = word(192), ntimes = word(193), highwater = word(194), unusedPools = word(195), misaligned = word(196);
  out += "\n";
  out += printone("# arenas allocated total", ntimes);
  out += printone("# arenas reclaimed", ntimes - narenas);
  out += printone("# arenas highwater mark", highwater);
  out += printone("# arenas allocated current", narenas);
  out += printone(`${narenas} arenas * ${p.arenaSize} bytes/arena`, narenas * p.arenaSize);
  out += "\n";
  out += printone("# bytes in allocated blocks", allocatedBytes);
  out += printone("# bytes in available blocks", availableBytes);
  out += printone(`${unusedPools} unused pools * ${p.poolSize} bytes`, unusedPools * p.poolSize);
  out += printone("# bytes lost to pool headers", poolHeaderBytes);
  out += printone("# bytes lost to quantization", quantization);
  out += printone("# bytes lost to arena alignment", misaligned * p.poolSize);
  out += printone("Total", allocatedBytes + availableBytes + unusedPools * p.poolSize + poolHeaderBytes + quantization + misaligned * p.poolSize);
  if (p.radixTree) {
    const mid = word(197), bot = word(198), t = p.radixTree;
    out += "\narena map counts\n";
    out += printone("# arena map mid nodes", mid);
    out += printone("# arena map bot nodes", bot);
    out += "\n";
    out += printone("# bytes lost to arena map root", t.rootBytes);
    out += printone("# bytes lost to arena map mid", mid * t.midNodeBytes);
    out += printone("# bytes lost to arena map bot", bot * t.botNodeBytes);
    out += printone("Total", t.rootBytes + mid * t.midNodeBytes + bot * t.botNodeBytes);
  }
  return out;
}
