/**
 * Processes and their address spaces (Linux's task + mm_struct + VMAs).
 *
 * A process is a slot in a fixed table, indexed by pid:
 *
 *   procTable ┌─────┬─────┬─────┬───┐  each slot: an `Mm`
 *             │  0  │ pid1│ pid2│ … │  (pid 0 is never used)
 *             └─────┴─────┴─────┴───┘
 *
 * Its VMAs are a sorted array of non-overlapping `Vma` records, kept in
 * kernel memory and grown by doubling. Private anonymous neighbours with the
 * same flags are merged, as vma_merge() does, so a heap of adjacent arenas is
 * one mapping.
 *
 * A MAP_SHARED anonymous mapping points to a `ShmObject` (the shmem file
 * behind it): the pages live there, whoever maps them, until the last VMA
 * referring to the object goes away.
 */
import { DEBUG, Err, raise } from "../config";
import { kmemAlloc, kmemFree, kmemGrow } from "./kmem";
import { PAGE_SHIFT, freeFrame, mapcount, setFrameFlags } from "./frames";

// @ts-ignore: decorator
@inline export const MAX_PROCS: u32 = 4096;

export const enum ProcState {
  FREE = 0,
  ALIVE = 1,
  /** Exited or killed; its counters stay readable until the slot is reused (never, pids are not recycled). */
  DEAD = 2,
}

/** VMA flags. */
// @ts-ignore: decorator
@inline export const VM_SHARED: u32 = 1;
/** The brk heap (the "[heap]" line of /proc/PID/maps). */
// @ts-ignore: decorator
@inline export const VM_HEAP: u32 = 2;
/**
 * The VMA has an anon_vma: a write fault happened in it. fork() copies the
 * page tables of such VMAs only; a VMA that was only read (zero page) starts
 * empty in the child (copy_page_range → vma_needs_copy).
 */
// @ts-ignore: decorator
@inline export const VM_ANON_VMA: u32 = 4;
/** Flags that must match for two neighbours to merge. */
// @ts-ignore: decorator
@inline const VM_MERGE_MASK: u32 = VM_SHARED | VM_HEAP;

@unmanaged export class Vma {
  start: u64;
  end: u64;
  flags: u32;
  /** ShmObject address for VM_SHARED, else 0. */
  shm: u32;
  /** Page offset of `start` within the shm object. */
  pgoff: u64;
}
// @ts-ignore: decorator
@inline export const VMA_BYTES: usize = 32;

@unmanaged export class Mm {
  state: u32;
  /** Signal that killed it (11 SIGSEGV, 9 OOM kill), 0 if it exited or lives. */
  killedBy: u32;
  pgd: u32;
  vmas: u32;
  nvma: u32;
  capvma: u32;
  parent: u32;
  _pad: u32;
  minflt: u64;
  majflt: u64;
  startBrk: u64;
  brk: u64;
  /** Top of the area mmap() places mappings in, top-down. */
  mmapBase: u64;
  /** Lowest address mmap() may use. */
  mmapMin: u64;
  /** Minor faults by kind (they add up to minflt): the zero page mapped by a read, */
  zeroFaults: u32;
  /** a fresh zeroed page for a first write, */
  anonFaults: u32;
  /** a copy-on-write copy, */
  cowFaults: u32;
  /** a write-protected page taken over in place (wp_page_reuse), */
  reuseFaults: u32;
  /** a shared (shmem) page mapped. */
  sharedFaults: u32;
  _pad2: u32;
}
// @ts-ignore: decorator
@inline const MM_BYTES: usize = 104;

/** ShmObject layout: refs u32, npages u32, then npages frame numbers (u32, 0 = not yet allocated). */
// @ts-ignore: decorator
@inline export const SHM_HEADER: usize = 8;

const procTable = memory.data(<i32>(MAX_PROCS * <u32>MM_BYTES), 16);
let nextPid: u32 = 1;

// @ts-ignore: decorator
@inline export function mmOf(pid: u32): Mm {
  return changetype<Mm>(procTable + <usize>pid * MM_BYTES);
}

/** The live process `pid`, or null with Err.NO_PROCESS. */
export function liveMm(pid: u32): Mm | null {
  if (pid == 0 || pid >= nextPid || pid >= MAX_PROCS || mmOf(pid).state != ProcState.ALIVE) {
    raise(Err.NO_PROCESS, <u64>pid);
    return null;
  }
  return mmOf(pid);
}

export function isAlive(pid: u32): bool {
  return pid > 0 && pid < nextPid && pid < MAX_PROCS && mmOf(pid).state == ProcState.ALIVE;
}

/** A new process slot with an empty page table; 0 if the table is full. */
export function newProcess(): u32 {
  if (nextPid >= MAX_PROCS) {
    raise(Err.LIMIT, <u64>nextPid);
    return 0;
  }
  let pgd = kmemAlloc(2048);
  if (pgd == 0) return 0;
  let pid = nextPid++;
  let mm = mmOf(pid);
  memory.fill(changetype<usize>(mm), 0, MM_BYTES);
  mm.state = ProcState.ALIVE;
  mm.pgd = <u32>pgd;
  return pid;
}

export function pidCount(): u32 {
  return nextPid;
}

// --- VMAs -------------------------------------------------------------------

// @ts-ignore: decorator
@inline export function vmaAt(mm: Mm, i: u32): Vma {
  return changetype<Vma>(<usize>mm.vmas + <usize>i * VMA_BYTES);
}

/** Index of the VMA containing `addr`, or -1. */
export function findVma(mm: Mm, addr: u64): i32 {
  let lo: i32 = 0;
  let hi: i32 = <i32>mm.nvma - 1;
  while (lo <= hi) {
    let mid = (lo + hi) >>> 1;
    let v = vmaAt(mm, <u32>mid);
    if (addr < v.start) hi = mid - 1;
    else if (addr >= v.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/** Index of the first VMA ending above `addr` (nvma if none). */
export function firstVmaEndingAbove(mm: Mm, addr: u64): u32 {
  let lo: u32 = 0;
  let hi: u32 = mm.nvma;
  while (lo < hi) {
    let mid = (lo + hi) >>> 1;
    if (vmaAt(mm, mid).end <= addr) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function reserveVmas(mm: Mm, n: u32): bool {
  if (n <= mm.capvma) return true;
  let cap = max<u32>(8, mm.capvma * 2);
  while (cap < n) cap *= 2;
  let arr = kmemGrow(<usize>mm.vmas, <usize>mm.capvma * VMA_BYTES, <usize>cap * VMA_BYTES);
  if (arr == 0) return false;
  mm.vmas = <u32>arr;
  mm.capvma = cap;
  return true;
}

function shmRef(shm: u32): void {
  if (shm != 0) store<u32>(<usize>shm, load<u32>(<usize>shm) + 1);
}

/** Inserts [start, end) (which must not overlap any VMA), merging with private neighbours. */
export function insertVma(mm: Mm, start: u64, end: u64, flags: u32, shm: u32, pgoff: u64): bool {
  if (DEBUG) assert(start < end);
  let i = firstVmaEndingAbove(mm, start);
  if (DEBUG && i < mm.nvma) assert(vmaAt(mm, i).start >= end);
  if ((flags & VM_SHARED) == 0) {
    // An anon_vma is shared by merged neighbours (is_mergeable_anon_vma), so VM_ANON_VMA is OR-ed.
    let key = flags & VM_MERGE_MASK;
    let mergeLeft = i > 0 && vmaAt(mm, i - 1).end == start && (vmaAt(mm, i - 1).flags & VM_MERGE_MASK) == key;
    let mergeRight = i < mm.nvma && vmaAt(mm, i).start == end && (vmaAt(mm, i).flags & VM_MERGE_MASK) == key;
    if (mergeLeft && mergeRight) {
      let left = vmaAt(mm, i - 1);
      left.end = vmaAt(mm, i).end;
      left.flags |= vmaAt(mm, i).flags | flags;
      removeVmaAt(mm, i);
      return true;
    }
    if (mergeLeft) {
      vmaAt(mm, i - 1).end = end;
      vmaAt(mm, i - 1).flags |= flags;
      return true;
    }
    if (mergeRight) {
      vmaAt(mm, i).start = start;
      vmaAt(mm, i).flags |= flags;
      return true;
    }
  }
  if (!reserveVmas(mm, mm.nvma + 1)) return false;
  let at = <usize>mm.vmas + <usize>i * VMA_BYTES;
  memory.copy(at + VMA_BYTES, at, <usize>(mm.nvma - i) * VMA_BYTES);
  let v = changetype<Vma>(at);
  v.start = start;
  v.end = end;
  v.flags = flags;
  v.shm = shm;
  v.pgoff = pgoff;
  mm.nvma++;
  return true;
}

function removeVmaAt(mm: Mm, i: u32): void {
  let at = <usize>mm.vmas + <usize>i * VMA_BYTES;
  memory.copy(at, at + VMA_BYTES, <usize>(mm.nvma - i - 1) * VMA_BYTES);
  mm.nvma--;
}

/**
 * Drops one reference to a shm object; its pages go back when none is left
 * (by then no page table maps them: callers zap PTEs before dropping VMAs).
 */
export function shmUnref(shm: u32): void {
  if (shm == 0) return;
  let refs = load<u32>(<usize>shm) - 1;
  store<u32>(<usize>shm, refs);
  if (refs != 0) return;
  let n = load<u32>(<usize>shm + 4);
  for (let i: u32 = 0; i < n; i++) {
    let f = load<u32>(<usize>shm + SHM_HEADER + (<usize>i << 2));
    if (f != 0) {
      if (DEBUG) assert(mapcount(f) == 0);
      setFrameFlags(f, 0);
      freeFrame(f);
    }
  }
  kmemFree(<usize>shm, SHM_HEADER + (<usize>n << 2));
}

/** A new shm object of `npages`, one reference. */
export function newShm(npages: u64): u32 {
  if (npages > 0x3FFFFFFF) {
    raise(Err.INVALID, npages);
    return 0;
  }
  let shm = kmemAlloc(SHM_HEADER + (<usize>npages << 2));
  if (shm == 0) return 0;
  store<u32>(shm, 1);
  store<u32>(shm + 4, <u32>npages);
  return <u32>shm;
}

/**
 * Removes [start, end) from the VMA list, splitting VMAs that straddle the
 * edges (the pages themselves are zapped by the caller).
 */
export function carveVmas(mm: Mm, start: u64, end: u64): bool {
  let i = firstVmaEndingAbove(mm, start);
  while (i < mm.nvma) {
    let v = vmaAt(mm, i);
    if (v.start >= end) break;
    if (v.start < start && v.end > end) {
      // Split in three: keep [v.start,start), drop the middle, keep [end, v.end).
      if (!reserveVmas(mm, mm.nvma + 1)) return false;
      v = vmaAt(mm, i);
      let at = <usize>mm.vmas + <usize>(i + 1) * VMA_BYTES;
      memory.copy(at + VMA_BYTES, at, <usize>(mm.nvma - i - 1) * VMA_BYTES);
      let right = changetype<Vma>(at);
      right.start = end;
      right.end = v.end;
      right.flags = v.flags;
      right.shm = v.shm;
      right.pgoff = v.pgoff + ((end - v.start) >> PAGE_SHIFT);
      shmRef(v.shm);
      mm.nvma++;
      v.end = start;
      return true;
    }
    if (v.start < start) {
      v.end = start;
      i++;
    } else if (v.end > end) {
      v.pgoff += (end - v.start) >> PAGE_SHIFT;
      v.start = end;
      i++;
    } else {
      let shm = v.shm;
      removeVmaAt(mm, i);
      shmUnref(shm);
    }
  }
  return true;
}

/** Copies the VMA list of `src` into `dst` (fork), taking a reference on each shm object. */
export function copyVmas(src: Mm, dst: Mm): bool {
  if (!reserveVmas(dst, src.nvma)) return false;
  memory.copy(<usize>dst.vmas, <usize>src.vmas, <usize>src.nvma * VMA_BYTES);
  dst.nvma = src.nvma;
  for (let i: u32 = 0; i < dst.nvma; i++) shmRef(vmaAt(dst, i).shm);
  return true;
}

/** Drops every VMA (exit), releasing shm objects; PTEs must be zapped first. */
export function freeVmas(mm: Mm): void {
  for (let i: u32 = 0; i < mm.nvma; i++) shmUnref(vmaAt(mm, i).shm);
  if (mm.vmas != 0) kmemFree(<usize>mm.vmas, <usize>mm.capvma * VMA_BYTES);
  mm.vmas = 0;
  mm.nvma = 0;
  mm.capvma = 0;
}
