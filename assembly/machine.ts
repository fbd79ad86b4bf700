/**
 * The machine-level exports: configure a machine, make and end processes,
 * shape their address spaces, touch their memory, and read /proc figures.
 * Addresses are u64 (BigInt on the host side).
 */
import { DEBUG, Err, raise, clearError, failed } from "./config";
import * as ob from "./cpython/obmalloc";
import * as libc from "./cpython/libc";
import * as rt from "./cpython/runtime";
import * as interp from "./cpython/interp";
import * as num from "./cpython/numbers";
import * as long from "./cpython/long";
import * as str from "./cpython/str";
import * as seq from "./cpython/sequence";
import * as dict from "./cpython/dict";
import * as ev from "./cpython/eval";
import * as gen from "./cpython/gen";
import * as ops from "./cpython/ops";
import * as text from "./cpython/text";
import * as kmem from "./kernel/kmem";
import * as gcmod from "./cpython/gc";
import { LIBPYTHON_DATA, LIBPYTHON_DATA_SIZE, LIBC_DATA, LIBC_DATA_SIZE } from "./cpython/image";
import { framesInit, framesUsed, framesReserved, slotsUsed, lazySlotsUsed, PAGE_SHIFT, mapcount } from "./kernel/frames";
import { ptePtr, pteFrame, PTE_PRESENT, PTE_WRITE, PTE_DIRTY } from "./kernel/pagetable";
import { kmemBytesUsed } from "./kernel/kmem";
import { isAlive, mmOf, vmaAt, pidCount } from "./kernel/mm";
import { switchTo, ld64, st64, ld8, st8, fillRange, wr, slotShares, lazyFills } from "./kernel/memory";
import * as sys from "./kernel/syscalls";
import * as check from "./kernel/check";
import { newRecord, recordExtend, recordCovers, recordFill } from "./kernel/lazy";
import { smapsRollup as rollupOf, smapsVma as vmaRollupOf, smapsRange as rangeRollupOf, rollupPtr as rollupAddr } from "./kernel/smaps";

let configured = false;

/**
 * Sets up the machine: page size (log2: 12, 14 or 16) and RAM in bytes.
 * Returns false (Err.INVALID) for a bad page size or a second call.
 */
export function machineInit(pageShift: u32, ramBytes: u64): bool {
  clearError();
  if (configured || (pageShift != 12 && pageShift != 14 && pageShift != 16) || ramBytes < (<u64>1 << pageShift) * 16) {
    raise(Err.INVALID, <u64>pageShift);
    return false;
  }
  framesInit(pageShift, ramBytes);
  configured = true;
  return true;
}

export function pageShift(): u32 {
  return PAGE_SHIFT;
}

export function spawn(): u32 {
  clearError();
  return sys.spawn();
}

export function fork(pid: u32): u32 {
  clearError();
  let child = sys.fork(pid);
  // The evaluator's per-process state outside simulated memory (suspended generators) is copied too.
  if (child != 0) gen.genFork(pid, child);
  return child;
}

export function exit(pid: u32): bool {
  clearError();
  let ok = sys.exitProcess(pid);
  switchTo(0);
  gen.genDropDead();
  return ok;
}

/** Suspended or unfinished generators' states kept for all processes (tests: none may leak). */
export function generatorStates(): i32 {
  return gen.genStateCount();
}

export function alive(pid: u32): bool {
  return isAlive(pid);
}

export function mmap(pid: u32, len: u64, shared: bool): u64 {
  clearError();
  return sys.mmap(pid, len, shared);
}

export function munmap(pid: u32, addr: u64, len: u64): bool {
  clearError();
  return sys.munmap(pid, addr, len);
}

export function brk(pid: u32, newBrk: u64): u64 {
  clearError();
  return sys.brk(pid, newBrk);
}

export function mremap(pid: u32, addr: u64, oldLen: u64, newLen: u64): u64 {
  clearError();
  return sys.mremap(pid, addr, oldLen, newLen);
}

export function madviseDontneed(pid: u32, addr: u64, len: u64): bool {
  clearError();
  return sys.madviseDontneed(pid, addr, len);
}

/** Reads a 64-bit word of `pid`'s memory, faulting like a load would. */
export function read64(pid: u32, va: u64): u64 {
  clearError();
  if (!isAlive(pid)) { raise(Err.NO_PROCESS, <u64>pid); return 0; }
  switchTo(pid);
  return ld64(va);
}

export function write64(pid: u32, va: u64, v: u64): void {
  clearError();
  if (!isAlive(pid)) { raise(Err.NO_PROCESS, <u64>pid); return; }
  switchTo(pid);
  st64(va, v);
}

export function read8(pid: u32, va: u64): u32 {
  clearError();
  if (!isAlive(pid)) { raise(Err.NO_PROCESS, <u64>pid); return 0; }
  switchTo(pid);
  return ld8(va);
}

export function write8(pid: u32, va: u64, v: u32): void {
  clearError();
  if (!isAlive(pid)) { raise(Err.NO_PROCESS, <u64>pid); return; }
  switchTo(pid);
  st8(va, <u8>v);
}

/** Writes `len` bytes of `value` at `va` (a memset in the process). */
export function fill(pid: u32, va: u64, value: u32, len: u64): void {
  clearError();
  if (!isAlive(pid)) { raise(Err.NO_PROCESS, <u64>pid); return; }
  switchTo(pid);
  fillRange(va, <u8>value, len);
}

/**
 * The copy-on-write storm of the benchmarks: writes (increments then
 * decrements) the 64-bit word at each of `n` addresses read from `pid`'s memory
 * at `table` (an array of u64 addresses), the way a child touching every
 * object's refcount does.
 */
export function touchWords(pid: u32, table: u64, n: u64): void {
  clearError();
  if (!isAlive(pid)) { raise(Err.NO_PROCESS, <u64>pid); return; }
  switchTo(pid);
  for (let i: u64 = 0; i < n; i++) {
    let a = ld64(table + (i << 3));
    // Py_INCREF then Py_DECREF: read-modify-writes of the same word, one write access.
    let p = wr(a);
    store<u64>(p, load<u64>(p) + 1);
    store<u64>(p, load<u64>(p) - 1);
  }
}

/** Computes pid's smaps_rollup; the host reads it at rollupPtr(). */
export function smapsRollup(pid: u32): bool {
  clearError();
  return rollupOf(pid);
}

/** The counts of the pages pid maps in [start, end) in the rollup record. */
export function smapsRange(pid: u32, start: u64, end: u64): bool {
  clearError();
  return rangeRollupOf(pid, start, end);
}

/** Where arenaBasesOf(pid) writes (room for 65,536 arenas: 64 GiB of 1 MiB arenas). */
let arenaBuf: usize = 0;
export function arenaBasesPtr(): usize {
  if (arenaBuf == 0) arenaBuf = kmem.bumpAlloc(65536 * 8);
  return arenaBuf;
}
/** pymalloc's arenas in pid: their base addresses at arenaBasesPtr(); returns the count (ARENA_SIZE each: arenaSize()). */
export function arenaBasesOf(pid: u32): u32 {
  clearError();
  if (!isAlive(pid)) { raise(Err.NO_PROCESS, <u64>pid); return 0; }
  switchTo(pid);
  return ob.arenaBases(arenaBasesPtr(), 65536);
}
export function arenaSize(): u64 {
  return ob.arenaSize();
}
/** The interpreter's own data (libpython's .data/.bss and glibc's malloc state): [LIBPYTHON_DATA, LIBC_DATA + LIBC_DATA_SIZE). */
export function imageDataStart(): u64 {
  return LIBPYTHON_DATA;
}
export function imageDataEnd(): u64 {
  return LIBC_DATA + LIBC_DATA_SIZE;
}

/** The counts of one mapping (the i-th of maps(pid)) in the rollup record, as /proc/PID/smaps has them. */
export function smapsVma(pid: u32, i: u32): bool {
  clearError();
  return vmaRollupOf(pid, i);
}

export function rollupPtr(): usize {
  return rollupAddr();
}

export function framesInUse(): u32 {
  return framesUsed();
}

export function framesHighWater(): u32 {
  return framesReserved();
}

/** Host pages holding frame bytes (frames with equal bytes may share one: kernel/frames.ts). */
export function slotsInUse(): u32 {
  return slotsUsed();
}

/** Frames whose bytes are described by a record, not stored (kernel/lazy.ts). */
export function lazySlotsInUse(): u32 {
  return lazySlotsUsed();
}

/** Described pages generated for reading so far (kernel/memory.ts). */
export function lazyPagesFilled(): u64 {
  return lazyFills;
}

/** Copies whose bytes came back equal to their source's and now share its host page. */
export function slotSharesDone(): u64 {
  return slotShares;
}

export function hostBytesUsed(): usize {
  return kmemBytesUsed();
}

// --- CPython's allocators ---------------------------------------------------------------

/**
 * Sets pymalloc's version parameters (once per machine, before any process
 * image). mapInteriorBits = 0: no arena map (before 3.10).
 */
export function configurePymalloc(threshold: u32, alignShift: u32, poolBits: u32, arenaBits: u32, poolOverhead: u32, keepLastEmpty: bool, mapInteriorBits: u32, mapBotBits: u32): bool {
  clearError();
  ob.arenaMapConfigure(mapInteriorBits, mapBotBits);
  return ob.pymallocConfigure(threshold, alignShift, poolBits, arenaBits, poolOverhead, keepLastEmpty);
}

/** Maps a process's static data (libpython and libc .data/.bss) and runs the allocators' static initialisers. */
export function initProcessImage(pid: u32): bool {
  clearError();
  if (!isAlive(pid)) { raise(Err.NO_PROCESS, <u64>pid); return false; }
  if (!sys.mmapFixed(pid, LIBPYTHON_DATA, LIBPYTHON_DATA_SIZE)) return false;
  if (!sys.mmapFixed(pid, LIBC_DATA, LIBC_DATA_SIZE)) return false;
  switchTo(pid);
  ob.pymallocInitState();
  return !failed();
}

/** PyObject_Malloc(n) in `pid`. */
export function pyMalloc(pid: u32, n: u64): u64 {
  clearError();
  if (!isAlive(pid)) { raise(Err.NO_PROCESS, <u64>pid); return 0; }
  switchTo(pid);
  return ob.pyObjectMalloc(n);
}

/** PyObject_Free(p) in `pid`, refusing double frees and foreign pointers. */
export function pyFree(pid: u32, p: u64): void {
  clearError();
  if (!isAlive(pid)) { raise(Err.NO_PROCESS, <u64>pid); return; }
  switchTo(pid);
  if (p == 0) return;
  let kind = ob.classifyPointer(p);
  if (kind == -1) { raise(Err.DOUBLE_FREE, p); return; }
  if (kind == -2) { raise(Err.BAD_FREE, p); return; }
  ob.pyObjectFree(p);
}

/** PyObject_Realloc(p, n) in `pid`. */
export function pyRealloc(pid: u32, p: u64, n: u64): u64 {
  clearError();
  if (!isAlive(pid)) { raise(Err.NO_PROCESS, <u64>pid); return 0; }
  switchTo(pid);
  if (p != 0) {
    let kind = ob.classifyPointer(p);
    if (kind == -1) { raise(Err.DOUBLE_FREE, p); return 0; }
    if (kind == -2) { raise(Err.BAD_FREE, p); return 0; }
  }
  return ob.pyObjectRealloc(p, n);
}

/** The size of the pymalloc block at p (0 for a C-library chunk). */
export function pyBlockSize(pid: u32, p: u64): u64 {
  clearError();
  if (!isAlive(pid)) { raise(Err.NO_PROCESS, <u64>pid); return 0; }
  switchTo(pid);
  return ob.pymallocBlockSize(p);
}

/** malloc(n) in `pid` (the glibc model). */
export function cMalloc(pid: u32, n: u64): u64 {
  clearError();
  if (!isAlive(pid)) { raise(Err.NO_PROCESS, <u64>pid); return 0; }
  switchTo(pid);
  return libc.libcMalloc(n);
}

/** realloc(p, n) in `pid` (the glibc model). */
export function cRealloc(pid: u32, p: u64, n: u64): u64 {
  clearError();
  if (!isAlive(pid)) { raise(Err.NO_PROCESS, <u64>pid); return 0; }
  switchTo(pid);
  if (p != 0 && !libc.libcOwns(p)) { raise(Err.BAD_FREE, p); return 0; }
  return libc.libcRealloc(p, n);
}

/** free(p) in `pid` (the glibc model). */
export function cFree(pid: u32, p: u64): void {
  clearError();
  if (!isAlive(pid)) { raise(Err.NO_PROCESS, <u64>pid); return; }
  switchTo(pid);
  if (p == 0) return;
  if (!libc.libcOwns(p)) { raise(Err.BAD_FREE, p); return; }
  libc.libcFree(p);
}

/** Carves `n` blocks of `size` bytes with PyObject_Malloc in `pid`, storing their addresses in an array taken with malloc; returns the array. */
export function pyMallocMany(pid: u32, size: u64, n: u64): u64 {
  clearError();
  if (!isAlive(pid)) { raise(Err.NO_PROCESS, <u64>pid); return 0; }
  switchTo(pid);
  let table = libc.libcMalloc(n << 3);
  if (table == 0) return 0;
  for (let i: u64 = 0; i < n; i++) {
    let p = ob.pyObjectMalloc(size);
    if (failed()) return 0;
    st64(p, 1); // ob_refcnt = 1, as an object's constructor writes it
    st64(table + (i << 3), p);
  }
  return table;
}

/** Walks pid's pymalloc arenas (as sys._debugmallocstats does) into the buffer at mallocStatsPtr(). */
export function mallocStats(pid: u32): usize {
  clearError();
  if (!isAlive(pid)) { raise(Err.NO_PROCESS, <u64>pid); return 0; }
  switchTo(pid);
  ob.collectMallocStats();
  return ob.mallocStats;
}

/** Whole-machine invariant check (see kernel/check.ts): the number of violations. */
/** FNV-1a digest of the pages `pid` has present (kernel/check.ts). */
export function digestMemory(pid: u32): u64 {
  return check.digestMemory(pid);
}

/** Turns the evaluator's bulk loops and the runtime's bulk paths (runtime.ts) on or off (tests compare both). */
export function setBulkLoops(on: bool): void {
  ev.bulkLoops = on;
  rt.setBulkPaths(on);
}

export function checkInvariants(): u32 {
  return check.checkMachine();
}

export function checkFirstViolation(): u32 {
  return (check.checkFirstKind << 28) | check.checkFirstFrame;
}

// --- the mini-CPython ----------------------------------------------------------------------------

/** Sets one object-model parameter (see cpython/runtime.ts P) for the machine's CPython version. */
export function setObjectParam(id: i32, value: i64): void {
  clearError();
  rt.setParam(id, value);
}

/** Starts a CPython process: its static data, allocators and interpreter state (before any user code). */
export function pythonStart(pid: u32, nbuiltins: i32): bool {
  if (!initProcessImage(pid)) return false;
  switchTo(pid);
  // The brk heap the real interpreter has built by then (configureStartupHeap; none when not configured).
  if (!libc.libcStartupHeap()) return false;
  interp.initInterpreter(nbuiltins);
  libc.libcStartupThresholds();
  return !failed();
}

/** The interpreter's start-up brk heap (see assembly/cpython/libc.ts); n = 0 turns it off. */
export function configureStartupHeap(table: usize, n: i32, brkSize: u64, top: u64, mmapThreshold: u64, trimThreshold: u64): void {
  libc.configureStartupHeap(table, n, brkSize, top, mmapThreshold, trimThreshold);
}

/** Memory for the host's buffers (code, constant tables): outside the simulated machine. */
export function hostAlloc(n: usize): usize {
  return kmem.kmemAlloc(n);
}

export function hostFree(p: usize, n: usize): void {
  kmem.kmemFree(p, n);
}

/**
 * Makes a constant object in `pid` (a new reference): kind 0 None, 1 True, 2 False, 3 int, 4 float, 5 str,
 * 6 bytes, 7 interned str, 8 a long from `len` 30-bit digits at ptr (negative when ival < 0; 2.7: a long even
 * when the value fits an int).
 */
export function makeConst(pid: u32, kind: i32, ival: i64, fval: f64, ptr: usize, len: usize): u64 {
  clearError();
  if (!isAlive(pid)) { raise(Err.NO_PROCESS, <u64>pid); return 0; }
  switchTo(pid);
  switch (kind) {
    case 0: rt.INCREF(rt.Py_None); return rt.Py_None;
    case 1: rt.INCREF(rt.Py_True); return rt.Py_True;
    case 2: rt.INCREF(rt.Py_False); return rt.Py_False;
    case 3: return num.newInt(ival);
    case 4: return num.newFloat(fval);
    case 5:
    case 7: {
      // The empty str and one-character latin-1 strs are CPython's singletons (str.ts charStr):
      // a code constant "" or "x" is that object (not interned again here).
      let c = oneLatin1Char(ptr, len);
      if (len == 0) return str.emptyStr();
      if (c >= 0) return str.charStr(<u32>c);
      return kind == 5 ? str.newStrFromUtf8(ptr, len) : interp.internUtf8(ptr, len);
    }
    case 6: return str.newBytes(ptr, len);
    case 8: return long.longFromDigits(ival < 0, ptr, <i32>len);
  }
  raise(Err.INVALID, <u64>kind);
  return 0;
}

/** The character of UTF-8 text holding exactly one character below 256 (one byte, or 0xC2/0xC3 + one), else -1. */
function oneLatin1Char(ptr: usize, len: usize): i32 {
  if (len == 1) return load<u8>(ptr) < 0x80 || rt.PY2() ? <i32>load<u8>(ptr) : -1;
  let b0 = <i32>load<u8>(ptr);
  if (len == 2 && !rt.PY2() && (b0 == 0xC2 || b0 == 0xC3)) return ((b0 & 0x1F) << 6) | (<i32>load<u8>(ptr + 1) & 0x3F);
  return -1;
}

/** A constant tuple from `n` object addresses at ptr (references stolen). */
export function makeConstTuple(pid: u32, ptr: usize, n: i32): u64 {
  clearError();
  if (!isAlive(pid)) { raise(Err.NO_PROCESS, <u64>pid); return 0; }
  switchTo(pid);
  let t = seq.newTuple(n);
  if (t == 0) return 0;
  for (let i = 0; i < n; i++) seq.tupleSetItem(t, i, load<u64>(ptr + (<usize>i << 3)));
  return t;
}

/** Drops a reference the host holds (constants and names after a step). */
export function releaseObject(pid: u32, o: u64): void {
  clearError();
  if (!isAlive(pid) || o == 0) return;
  switchTo(pid);
  rt.DECREF(o);
}

/**
 * Runs compiled code in `pid`. Returns -1 when it completed, else the index
 * of the instruction that raised (the exception is at excInfoPtr()).
 */
export function runCode(pid: u32, code: usize, ncode: i32, consts: usize, names: usize, nameBuiltins: usize, stackCap: i32, nlocals: i32): i32 {
  clearError();
  interp.clearExc();
  if (!isAlive(pid)) { raise(Err.NO_PROCESS, <u64>pid); return 0; }
  switchTo(pid);
  return ev.evalCode(code, ncode, consts, names, nameBuiltins, stackCap, nlocals);
}

const excInfo = memory.data(32);
export function excInfoPtr(): usize {
  store<i64>(excInfo, interp.excKind);
  store<i64>(excInfo + 8, interp.excArg1);
  store<i64>(excInfo + 16, interp.excArg2);
  store<i64>(excInfo + 24, interp.excArg3);
  return excInfo;
}

/** Reads the str object `o` of `pid` into the text buffer (UTF-8); returns its length (text at textBufPtr()). */
export function strText(pid: u32, o: u64): usize {
  clearError();
  if (!isAlive(pid)) { raise(Err.NO_PROCESS, <u64>pid); return 0; }
  switchTo(pid);
  text.textReset();
  ops.appendStr(o);
  return text.textLen;
}

export function textBufPtr(): usize {
  return text.textPtr();
}

/** Looks up a name in pid's __main__ globals: the object (borrowed) or 0. */
export function globalsLookup(pid: u32, name: u64): u64 {
  clearError();
  if (!isAlive(pid)) { raise(Err.NO_PROCESS, <u64>pid); return 0; }
  switchTo(pid);
  return dict.dictGet(ld64(rt.RT_GLOBALS), name);
}

export function objectType(pid: u32, o: u64): i32 {
  clearError();
  if (!isAlive(pid)) { raise(Err.NO_PROCESS, <u64>pid); return 0; }
  switchTo(pid);
  return rt.typeOf(o);
}

export function objectRefcnt(pid: u32, o: u64): i64 {
  clearError();
  if (!isAlive(pid)) { raise(Err.NO_PROCESS, <u64>pid); return 0; }
  switchTo(pid);
  return <i64>ld64(o);
}

/** pid's VMAs as u64 triples (start, end, flags) at the returned address; count in mapsCount(). */
let mapsN: u32 = 0;
let mapsBuf: usize = 0;
let mapsCap: u32 = 0;
export function maps(pid: u32): usize {
  clearError();
  mapsN = 0;
  if (pid == 0 || pid >= pidCount()) { raise(Err.NO_PROCESS, <u64>pid); return 0; }
  let mm = mmOf(pid);
  if (mapsCap < mm.nvma) {
    if (mapsBuf != 0) kmem.kmemFree(mapsBuf, <usize>mapsCap * 24);
    mapsCap = mm.nvma * 2 + 8;
    mapsBuf = kmem.kmemAlloc(<usize>mapsCap * 24);
  }
  for (let i: u32 = 0; i < mm.nvma; i++) {
    let v = vmaAt(mm, i);
    store<u64>(mapsBuf + <usize>i * 24, v.start);
    store<u64>(mapsBuf + <usize>i * 24 + 8, v.end);
    store<u64>(mapsBuf + <usize>i * 24 + 16, <u64>v.flags);
  }
  mapsN = mm.nvma;
  return mapsBuf;
}

export function mapsCount(): u32 {
  return mapsN;
}

/** What-if (Cinder): gc.collect(), gc.freeze(), then every object reachable from a frozen container becomes immortal. */
export function immortalizeHeap(pid: u32): void {
  clearError();
  if (!isAlive(pid)) { raise(Err.NO_PROCESS, <u64>pid); return; }
  switchTo(pid);
  gcmod.immortalizeHeap();
}

// --- checking the bulk paths -------------------------------------------------------------

/**
 * A digest (FNV-1a) of pid's page tables, beside digestMemory's of the bytes:
 * each VMA's bounds and flags, and for each present page its number, PTE
 * bits, the frame mapping it and that frame's mapcount. Equal digests mean
 * the same faults were taken, in the same order (frames are handed out in
 * fault order). Reads the tables directly: faults nothing in.
 */
export function digestPageTables(pid: u32): u64 {
  clearError();
  if (pid == 0 || pid >= pidCount()) { raise(Err.NO_PROCESS, <u64>pid); return 0; }
  let mm = mmOf(pid);
  let h: u64 = 0xcbf29ce484222325;
  for (let i: u32 = 0; i < mm.nvma; i++) {
    let v = vmaAt(mm, i);
    h = fnv(fnv(fnv(h, v.start), v.end), <u64>v.flags);
    if (mm.pgd == 0) continue;
    for (let vpn = v.start >> PAGE_SHIFT; vpn < v.end >> PAGE_SHIFT; vpn++) {
      let slot = ptePtr(<usize>mm.pgd, vpn);
      if (slot == 0) continue;
      let pte = load<u32>(slot);
      if ((pte & PTE_PRESENT) == 0) continue;
      let f = pteFrame(pte);
      h = fnv(fnv(fnv(fnv(h, vpn), <u64>(pte & (PTE_PRESENT | PTE_WRITE | PTE_DIRTY))), <u64>f), <u64>mapcount(f));
    }
  }
  return h;
}

// @ts-ignore: decorator
@inline function fnv(h: u64, w: u64): u64 {
  return (h ^ w) * 0x100000001b3;
}

// --- described pages (kernel/lazy.ts), for tests ----------------------------------

/** 128 KiB of linear memory for lazyTestRecord's template (first 64 KiB) and lazyTestFill's page (the rest). */
let lazyScratch: usize = 0;
export function lazyTestScratch(): usize {
  if (lazyScratch == 0) lazyScratch = kmem.bumpAlloc(131072);
  return lazyScratch;
}

/** A record of `period` template bytes at lazyTestScratch() describing `length` bytes of a run at `base` (0: malformed). */
export function lazyTestRecord(base: u64, period: u32, laneFirst: u32, laneStride: u32, laneCount: u32,
                               laneWidth: u32, laneInc: u64, length: u64): u32 {
  let rec = newRecord(base, period, lazyTestScratch(), laneFirst, laneStride, laneCount, laneWidth, laneInc);
  if (rec != 0) recordExtend(rec, length);
  return rec;
}

/** Page `page` of record `rec` written at lazyTestScratch() + 65536 (false: the run does not cover it). */
export function lazyTestFill(rec: u32, page: u32): bool {
  if (!recordCovers(rec, page)) return false;
  recordFill(rec, page, lazyTestScratch() + 65536);
  return true;
}
