/**
 * The system calls that shape an address space: fork, exit, mmap, munmap,
 * brk, mremap, madvise(MADV_DONTNEED). Page-table work is done by range
 * walks over the leaves that exist (pagetable.nextLeaf).
 *
 * Placement follows Linux's defaults on x86-64 with ASLR off, so runs are
 * deterministic: the brk heap starts at START_BRK and grows up; mmap() takes
 * the highest free gap below MMAP_BASE (top-down, like
 * unmapped_area_topdown()).
 */
import { DEBUG, Err, raise, failed } from "../config";
import { PAGE_SHIFT, PAGE_SIZE, PAGE_MASK, ZERO_FRAME, FRAME_SHMEM, frameFlags, freeFrame, mapcountInc, mapcountDec } from "./frames";
import {
  PTE_PRESENT, PTE_WRITE, LEVEL_ENTRIES, VPN_LIMIT,
  pteFrame, nextLeaf, leafBase, leafFor, freeTree, newNode, ptePtr, ptePtrAlloc,
} from "./pagetable";
import {
  Mm, mmOf, liveMm, newProcess, vmaAt, findVma, insertVma, carveVmas, copyVmas, freeVmas, firstVmaEndingAbove,
  newShm, shmUnref, ProcState, VM_SHARED, VM_HEAP, VM_ANON_VMA,
} from "./mm";
import { curPid, flushTlb } from "./memory";

/** Where the brk heap starts (a PIE binary's heap with ASLR off). */
// @ts-ignore: decorator
@inline export const START_BRK: u64 = 0x555555559000;
/** Top of the mmap area (below the stack, ASLR off). */
// @ts-ignore: decorator
@inline export const MMAP_BASE: u64 = 0x7ffff7c00000;
/** Lowest address mmap() hands out (vm.mmap_min_addr is 64 KiB; we keep clear of the heap). */
// @ts-ignore: decorator
@inline export const MMAP_MIN: u64 = 0x100000000;
/** End of the 47-bit user address space. */
// @ts-ignore: decorator
@inline export const TASK_SIZE: u64 = 0x7ffffffff000;

// @ts-ignore: decorator
@inline function pageUp(x: u64): u64 {
  return (x + PAGE_MASK) & ~PAGE_MASK;
}

/** The first process: an empty address space with its brk at START_BRK. */
export function spawn(): u32 {
  let pid = newProcess();
  if (pid == 0) return 0;
  let mm = mmOf(pid);
  mm.startBrk = pageUp(START_BRK);
  mm.brk = mm.startBrk;
  mm.mmapBase = MMAP_BASE & ~PAGE_MASK;
  mm.mmapMin = MMAP_MIN;
  return pid;
}

// --- zap: drop the PTEs of a range -------------------------------------------------

/** Unmaps every PTE in [vpnStart, vpnEnd): mapcounts drop, frames nobody maps any more are freed. */
function zapRange(mm: Mm, vpnStart: u64, vpnEnd: u64): void {
  let pgd = <usize>mm.pgd;
  let vpn = vpnStart;
  while (vpn < vpnEnd) {
    let leaf = nextLeaf(pgd, vpn, vpnEnd);
    if (leaf == 0) break;
    let base = leafBase;
    let from = max<u64>(vpn, base);
    let to = min<u64>(vpnEnd, base + LEVEL_ENTRIES);
    for (let v = from; v < to; v++) {
      let slot = leaf + (<usize>(v - base) << 2);
      let pte = load<u32>(slot);
      if (pte == 0) continue;
      store<u32>(slot, 0);
      let f = pteFrame(pte);
      if (f == ZERO_FRAME) continue;
      if (mapcountDec(f) == 0 && (frameFlags(f) & FRAME_SHMEM) == 0) freeFrame(f);
    }
    vpn = to;
  }
}

// --- fork --------------------------------------------------------------------------

/**
 * fork(): the child gets a copy of the parent's VMAs and page tables.
 * Private memory that was written (VM_ANON_VMA) is not re-faulted: each
 * present PTE is copied, its frame's mapcount goes up, and both copies are
 * write-protected (copy_present_pte), so the first write on either side
 * faults. VMAs without an anon_vma (only read, or MAP_SHARED) are not copied
 * (vma_needs_copy): the child starts with no PTEs there. Returns the child's
 * pid (0 on failure).
 */
export function fork(parentPid: u32): u32 {
  let parent = liveMm(parentPid);
  if (parent == null) return 0;
  let pid = newProcess();
  if (pid == 0) return 0;
  let child = mmOf(pid);
  parent = mmOf(parentPid);
  child.parent = parentPid;
  child.startBrk = parent.startBrk;
  child.brk = parent.brk;
  child.mmapBase = parent.mmapBase;
  child.mmapMin = parent.mmapMin;
  if (!copyVmas(parent, child)) return 0;
  let ppgd = <usize>parent.pgd;
  let cpgd = <usize>child.pgd;
  for (let i: u32 = 0; i < parent.nvma; i++) {
    let v = vmaAt(parent, i);
    // Shared (shmem) mappings and private ones never written are not copied: the child faults them in.
    if ((v.flags & VM_ANON_VMA) == 0) continue;
    let vpn = v.start >> PAGE_SHIFT;
    let end = v.end >> PAGE_SHIFT;
    while (vpn < end) {
      let leaf = nextLeaf(ppgd, vpn, end);
      if (leaf == 0) break;
      let base = leafBase;
      let cleaf = leafFor(cpgd, base);
      if (cleaf == 0) return 0;
      let from = max<u64>(vpn, base);
      let to = min<u64>(end, base + LEVEL_ENTRIES);
      for (let v2 = from; v2 < to; v2++) {
        let off = <usize>(v2 - base) << 2;
        let pte = load<u32>(leaf + off);
        if (pte == 0) continue;
        mapcountInc(pteFrame(pte));
        pte &= ~PTE_WRITE;
        store<u32>(leaf + off, pte);
        store<u32>(cleaf + off, pte);
      }
      vpn = to;
    }
  }
  if (curPid == parentPid) flushTlb();
  return pid;
}

// --- exit ----------------------------------------------------------------------------

/**
 * exit(): unmaps everything. The process stays in the table as DEAD with its
 * fault counters, so a report can still name it.
 */
export function exitProcess(pid: u32): bool {
  if (pid == 0 || pid >= 4096) {
    raise(Err.NO_PROCESS, <u64>pid);
    return false;
  }
  let mm = mmOf(pid);
  if (mm.pgd == 0) {
    raise(Err.NO_PROCESS, <u64>pid);
    return false;
  }
  // A process killed by a fault still holds its memory until it is reaped here.
  zapRange(mm, 0, VPN_LIMIT);
  freeVmas(mm);
  freeTree(<usize>mm.pgd);
  mm.pgd = 0;
  mm.state = ProcState.DEAD;
  if (curPid == pid) flushTlb();
  return true;
}

// --- mmap / munmap -------------------------------------------------------------------

/** The highest gap of `len` bytes below the mmap base, or 0. */
function unmappedAreaTopdown(mm: Mm, len: u64): u64 {
  let high = mm.mmapBase;
  for (let i = <i32>mm.nvma - 1; i >= 0; i--) {
    let v = vmaAt(mm, <u32>i);
    if (v.start >= high) continue;
    let gapLow = max<u64>(v.end, mm.mmapMin);
    if (high >= gapLow + len) return high - len;
    high = v.start;
    if (high <= mm.mmapMin) return 0;
  }
  if (high >= mm.mmapMin + len) return high - len;
  return 0;
}

/** True if no VMA overlaps [start, end). */
function rangeFree(mm: Mm, start: u64, end: u64): bool {
  let i = firstVmaEndingAbove(mm, start);
  return i >= mm.nvma || vmaAt(mm, i).start >= end;
}

/**
 * mmap(NULL, len, PROT_READ|PROT_WRITE, MAP_ANONYMOUS|(shared ? MAP_SHARED : MAP_PRIVATE)).
 * Returns the address, or 0 with an error.
 */
export function mmap(pid: u32, len: u64, shared: bool): u64 {
  let mm = liveMm(pid);
  if (mm == null) return 0;
  if (len == 0 || len > TASK_SIZE) {
    raise(Err.INVALID, len);
    return 0;
  }
  len = pageUp(len);
  let addr = unmappedAreaTopdown(mm, len);
  if (addr == 0) {
    raise(Err.OOM, len); // ENOMEM: no room in the address space
    return 0;
  }
  let shm: u32 = 0;
  if (shared) {
    shm = newShm(len >> PAGE_SHIFT);
    if (shm == 0) return 0;
  }
  if (!insertVma(mm, addr, addr + len, shared ? VM_SHARED : 0, shm, 0)) return 0;
  return addr;
}

/**
 * mmap(addr, len, …, MAP_FIXED_NOREPLACE) of a private anonymous region: how
 * a process image's static data (.data/.bss of libpython and libc) is placed.
 */
export function mmapFixed(pid: u32, addr: u64, len: u64): bool {
  let mm = liveMm(pid);
  if (mm == null) return false;
  len = pageUp(len);
  if ((addr & PAGE_MASK) != 0 || len == 0 || addr + len > TASK_SIZE || !rangeFree(mm, addr, addr + len)) {
    raise(Err.INVALID, addr);
    return false;
  }
  return insertVma(mm, addr, addr + len, 0, 0, 0);
}

export function munmap(pid: u32, addr: u64, len: u64): bool {
  let mm = liveMm(pid);
  if (mm == null) return false;
  if ((addr & PAGE_MASK) != 0 || len == 0) {
    raise(Err.INVALID, addr);
    return false;
  }
  let end = addr + pageUp(len);
  zapRange(mm, addr >> PAGE_SHIFT, end >> PAGE_SHIFT);
  if (curPid == pid) flushTlb();
  return carveVmas(mm, addr, end);
}

/** madvise(addr, len, MADV_DONTNEED): drop the pages, keep the mapping. */
export function madviseDontneed(pid: u32, addr: u64, len: u64): bool {
  let mm = liveMm(pid);
  if (mm == null) return false;
  if ((addr & PAGE_MASK) != 0) {
    raise(Err.INVALID, addr);
    return false;
  }
  zapRange(mm, addr >> PAGE_SHIFT, (addr + pageUp(len)) >> PAGE_SHIFT);
  if (curPid == pid) flushTlb();
  return true;
}

/**
 * brk(newBrk): moves the end of the heap; returns the new break (the old one
 * if the request is refused, as the syscall does).
 */
export function brk(pid: u32, newBrk: u64): u64 {
  let mm = liveMm(pid);
  if (mm == null) return 0;
  if (newBrk < mm.startBrk) return mm.brk;
  let oldEnd = pageUp(mm.brk);
  let newEnd = pageUp(newBrk);
  if (newEnd > oldEnd) {
    if (!rangeFree(mm, oldEnd, newEnd)) return mm.brk;
    if (!insertVma(mm, oldEnd, newEnd, VM_HEAP, 0, 0)) return mm.brk;
  } else if (newEnd < oldEnd) {
    zapRange(mm, newEnd >> PAGE_SHIFT, oldEnd >> PAGE_SHIFT);
    if (curPid == pid) flushTlb();
    if (!carveVmas(mm, newEnd, oldEnd)) return mm.brk;
  }
  mm.brk = newBrk;
  return newBrk;
}

/** Moves the PTEs of [oldVpn, oldVpn+n) to [newVpn, …) without faulting (move_page_tables). */
function movePtes(mm: Mm, oldVpn: u64, newVpn: u64, n: u64): bool {
  let pgd = <usize>mm.pgd;
  let vpn = oldVpn;
  let end = oldVpn + n;
  while (vpn < end) {
    let leaf = nextLeaf(pgd, vpn, end);
    if (leaf == 0) break;
    let base = leafBase;
    let from = max<u64>(vpn, base);
    let to = min<u64>(end, base + LEVEL_ENTRIES);
    for (let v = from; v < to; v++) {
      let slot = leaf + (<usize>(v - base) << 2);
      let pte = load<u32>(slot);
      if (pte == 0) continue;
      let dst = ptePtrAlloc(pgd, v - oldVpn + newVpn);
      if (dst == 0) return false;
      store<u32>(dst, pte);
      store<u32>(slot, 0);
    }
    vpn = to;
  }
  return true;
}

/**
 * mremap(old, oldLen, newLen, MREMAP_MAYMOVE) on a private anonymous mapping:
 * shrink in place, grow in place when the pages above are free, else move
 * the page tables to a new area (no data is copied, no fault is taken).
 */
export function mremap(pid: u32, addr: u64, oldLen: u64, newLen: u64): u64 {
  let mm = liveMm(pid);
  if (mm == null) return 0;
  let i = findVma(mm, addr);
  if ((addr & PAGE_MASK) != 0 || newLen == 0 || i < 0) {
    raise(Err.INVALID, addr);
    return 0;
  }
  let v = vmaAt(mm, <u32>i);
  let flags = v.flags;
  if ((flags & VM_SHARED) != 0 || addr + pageUp(oldLen) > v.end) {
    raise(Err.INVALID, addr);
    return 0;
  }
  oldLen = pageUp(oldLen);
  newLen = pageUp(newLen);
  if (newLen <= oldLen) {
    if (newLen < oldLen && !munmap(pid, addr + newLen, oldLen - newLen)) return 0;
    return addr;
  }
  if (rangeFree(mm, addr + oldLen, addr + newLen) && addr + newLen <= mm.mmapBase) {
    if (!insertVma(mm, addr + oldLen, addr + newLen, flags, 0, 0)) return 0;
    return addr;
  }
  let dst = unmappedAreaTopdown(mm, newLen);
  if (dst == 0) {
    raise(Err.OOM, newLen);
    return 0;
  }
  if (!insertVma(mm, dst, dst + newLen, flags, 0, 0)) return 0;
  if (!movePtes(mm, addr >> PAGE_SHIFT, dst >> PAGE_SHIFT, oldLen >> PAGE_SHIFT)) return 0;
  if (!carveVmas(mm, addr, addr + oldLen)) return 0;
  if (curPid == pid) flushTlb();
  return dst;
}

/** The mm of a pid (no liveness check). */
export function mmOfPid(pid: u32): Mm {
  return mmOf(pid);
}

/** True if a VMA of `pid` covers `addr`. */
export function isMapped(pid: u32, addr: u64): bool {
  return findVma(mmOf(pid), addr) >= 0;
}
