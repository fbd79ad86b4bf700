/**
 * Page faults and the simulated MMU (after Linux's mm/memory.c: one function
 * per kind of fault), plus the software TLB every simulated load and store
 * goes through.
 *
 * A load or store names a virtual address of the *current* process. The TLB
 * answers most of them with the linear-memory address of the frame backing
 * the page; a miss walks the page table, and a missing or write-protected
 * entry is a fault:
 *
 *   not present, no VMA                  → SIGSEGV (the process is killed)
 *   not present, private, read           → doAnonymousRead: map the zero page
 *   not present, private, write          → doAnonymousPage: a zeroed frame
 *   not present, shared                  → doSharedFault: the shm object's page
 *   present, write-protected             → doWpPage:
 *        zero page or mapcount > 1       →   breakCow: copy into a new frame
 *        mapcount == 1                   →   reuse in place (wp_page_reuse)
 *
 * Each fault counts one minor fault (mm_account_fault), the copy too.
 *
 * The TLB is two direct-mapped arrays (reads, writes) of TLB_SIZE entries:
 * tag = vpn + 1, value = linear address of the frame. A write entry exists
 * only for a writable, dirty PTE, so a hit never needs the page table. It is
 * flushed whenever the current process changes, and whenever that process's
 * PTEs change under it (fork write-protects, munmap/madvise zap, mremap).
 */
import { DEBUG, Err, raise } from "../config";
import {
  PAGE_SHIFT, PAGE_SIZE, PAGE_MASK, ZERO_FRAME, FRAME_SHMEM,
  allocFrame, frameAddr, mapcount, mapcountInc, mapcountDec, setFrameFlags, frameFlags,
  frameSlot, slotAddr, slotRefs, shareSlot, unshareSlot, framesFreed, allocFrameSharing, zeroNewFrame,
  isLazySlot, lazyRecord, lazyPage, lazySerialOf, slotCopyOut, recordPageEquals, describeFrame, allocHostSlot,
} from "./frames";
import { recordFill } from "./lazy";
import { PTE_PRESENT, PTE_WRITE, PTE_DIRTY, LEVEL_ENTRIES, pteFrame, mkPte, ptePtr, ptePtrAlloc } from "./pagetable";
import { Mm, mmOf, findVma, vmaAt, VM_SHARED, VM_ANON_VMA, ProcState, SHM_HEADER } from "./mm";

// @ts-ignore: decorator
@inline const TLB_BITS: u32 = 10;
// @ts-ignore: decorator
@inline const TLB_SIZE: u32 = 1 << TLB_BITS;
// @ts-ignore: decorator
@inline const TLB_MASK: u64 = TLB_SIZE - 1;

const tlbReadTag = memory.data(<i32>TLB_SIZE * 8);
const tlbReadBase = memory.data(<i32>TLB_SIZE * 4);
const tlbWriteTag = memory.data(<i32>TLB_SIZE * 8);
const tlbWriteBase = memory.data(<i32>TLB_SIZE * 4);

/** Where loads and stores of a dead process land once it faulted: never read back. */
const scratchPage = memory.data(65536, 16);

/** The process whose address space loads and stores use. */
export let curPid: u32 = 0;
let cur: Mm = changetype<Mm>(0);

export function flushTlb(): void {
  memory.fill(tlbReadTag, 0, <usize>TLB_SIZE * 8);
  memory.fill(tlbWriteTag, 0, <usize>TLB_SIZE * 8);
  forgetCopies();
}

/** Makes `pid` the current process (0: none). */
export function switchTo(pid: u32): void {
  if (pid == curPid) return;
  curPid = pid;
  cur = mmOf(pid);
  flushTlb();
}

/** False once the current process has been killed by a fatal fault. */
export function currentAlive(): bool {
  return curPid != 0 && cur.state == ProcState.ALIVE;
}

/** Forgets the TLB entries of one page of the current process. */
// @ts-ignore: decorator
@inline function tlbEvict(vpn: u64): void {
  let s = <usize>(vpn & TLB_MASK);
  store<u64>(tlbReadTag + (s << 3), 0);
  store<u64>(tlbWriteTag + (s << 3), 0);
}

// --- the access fast path ----------------------------------------------------

/** Linear address for reading the byte at `va` in the current process. */
// @ts-ignore: decorator
@inline export function rd(va: u64): usize {
  let vpn = va >> PAGE_SHIFT;
  let s = <usize>(vpn & TLB_MASK);
  if (load<u64>(tlbReadTag + (s << 3)) == vpn + 1) {
    return <usize>load<u32>(tlbReadBase + (s << 2)) + <usize>(va & PAGE_MASK);
  }
  return translateSlow(va, false);
}

/**
 * Set while touchForWrite runs: the write access being simulated leaves the
 * bytes as they were, so a CoW break may give the new frame its source's slot.
 */
let touching = false;

/**
 * A write access to `va` whose bytes end as they were — a Py_INCREF and its
 * Py_DECREF, when the evaluator runs them in bulk: the same faults, copies
 * (as the simulated kernel counts them) and dirty bits as the writes, without
 * touching the bytes; a page copied for it shares its source's host slot.
 */
export function touchForWrite(va: u64): void {
  let vpn = va >> PAGE_SHIFT;
  let s = <usize>(vpn & TLB_MASK);
  if (load<u64>(tlbWriteTag + (s << 3)) == vpn + 1) return;
  touching = true;
  translateSlow(va, true);
  touching = false;
}

/** Linear address for writing the byte at `va` in the current process. */
// @ts-ignore: decorator
@inline export function wr(va: u64): usize {
  let vpn = va >> PAGE_SHIFT;
  let s = <usize>(vpn & TLB_MASK);
  if (load<u64>(tlbWriteTag + (s << 3)) == vpn + 1) {
    return <usize>load<u32>(tlbWriteBase + (s << 2)) + <usize>(va & PAGE_MASK);
  }
  return translateSlow(va, true);
}

/**
 * Linear address for writing the `n` bytes at `va` as one access, when they
 * lie in one page (an object's fields written together: one translation, and
 * the same faults a real store sequence takes); 0 when they cross a page,
 * and the caller writes field by field.
 */
// @ts-ignore: decorator
@inline export function wrSpan(va: u64, n: u64): usize {
  return (va & PAGE_MASK) + n <= PAGE_SIZE ? wr(va) : 0;
}

// @ts-ignore: decorator
@inline export function ld64(va: u64): u64 { return load<u64>(rd(va)); }
// @ts-ignore: decorator
@inline export function ld32(va: u64): u32 { return load<u32>(rd(va)); }
// @ts-ignore: decorator
@inline export function ld16(va: u64): u16 { return load<u16>(rd(va)); }
// @ts-ignore: decorator
@inline export function ld8(va: u64): u8 { return load<u8>(rd(va)); }
// @ts-ignore: decorator
@inline export function ldf64(va: u64): f64 { return load<f64>(rd(va)); }
// @ts-ignore: decorator
@inline export function st64(va: u64, v: u64): void { store<u64>(wr(va), v); }
// @ts-ignore: decorator
@inline export function st32(va: u64, v: u32): void { store<u32>(wr(va), v); }
// @ts-ignore: decorator
@inline export function st16(va: u64, v: u16): void { store<u16>(wr(va), v); }
// @ts-ignore: decorator
@inline export function st8(va: u64, v: u8): void { store<u8>(wr(va), v); }
// @ts-ignore: decorator
@inline export function stf64(va: u64, v: f64): void { store<f64>(wr(va), v); }

/**
 * TLB miss: walk the page table, fault if needed, refill the TLB.
 * Returns the linear address of `va`'s byte (the scratch page after a fatal fault).
 */
function translateSlow(va: u64, write: bool): usize {
  let mm = cur;
  if (curPid == 0 || mm.state != ProcState.ALIVE) {
    if (curPid == 0) raise(Err.NO_PROCESS, 0);
    return scratchPage + <usize>(va & 0xFFFF);
  }
  let vpn = va >> PAGE_SHIFT;
  let slot = ptePtr(<usize>mm.pgd, vpn);
  let pte: u32 = slot != 0 ? load<u32>(slot) : 0;
  if ((pte & PTE_PRESENT) == 0) {
    pte = handleMissing(mm, va, write);
  } else if (write && (pte & PTE_WRITE) == 0) {
    pte = doWpPage(mm, slot, vpn);
  } else if (write && (pte & PTE_DIRTY) == 0) {
    // Hardware sets the dirty bit on the first write through a writable PTE; no fault.
    pte |= PTE_DIRTY;
    store<u32>(slot, pte);
  }
  if (pte == 0) {
    return scratchPage + <usize>(va & 0xFFFF);
  }
  let f = pteFrame(pte);
  let fs = frameSlot(f);
  let lazy = isLazySlot(fs);
  let slotShared = lazy || slotRefs(fs) > 1;
  if (write && slotShared && !touching) {
    // The frame's bytes are in a slot shared with an equal frame, or described
    // (see frames.ts): give it its own before the write. Invisible to the simulated kernel.
    if (lazy) {
      redescribeOldest(mm);
      let rec = lazyRecord(fs), page = lazyPage(fs);
      if (unshareSlot(f) == u32.MAX_VALUE) return scratchPage + <usize>(va & 0xFFFF);
      rememberDescribed(vpn, f, rec, page);
    } else if (unshareSlot(f) == u32.MAX_VALUE) {
      return scratchPage + <usize>(va & 0xFFFF);
    }
    slotShared = false;
    lazy = false;
    slotMoves++;
  }
  let base: usize;
  if (lazy) {
    // touchForWrite leaves the bytes as they are: nothing to read or write.
    if (write) return scratchPage + <usize>(va & 0xFFFF);
    base = lazyBytes(fs, vpn);
  } else {
    base = frameAddr(f);
  }
  let s = <usize>(vpn & TLB_MASK);
  store<u64>(tlbReadTag + (s << 3), vpn + 1);
  store<u32>(tlbReadBase + (s << 2), <u32>base);
  if (slotShared) {
    store<u64>(tlbWriteTag + (s << 3), 0);
  } else if (write) {
    store<u64>(tlbWriteTag + (s << 3), vpn + 1);
    store<u32>(tlbWriteBase + (s << 2), <u32>base);
  } else if ((pte & (PTE_WRITE | PTE_DIRTY)) == (PTE_WRITE | PTE_DIRTY)) {
    store<u64>(tlbWriteTag + (s << 3), vpn + 1);
    store<u32>(tlbWriteBase + (s << 2), <u32>base);
  } else {
    store<u64>(tlbWriteTag + (s << 3), 0);
  }
  return base + <usize>(va & PAGE_MASK);
}

/** Kills the current process with `signal` after a fatal fault. */
function killCurrent(signal: u32, err: i32, value: u64): u32 {
  raise(err, value);
  cur.killedBy = signal;
  cur.state = ProcState.DEAD;
  // Its memory is released by the host-visible exit path (exitProcess) so counters stay readable.
  flushTlb();
  return 0;
}

/** A page with no PTE: find its VMA and fault it in. Returns the new PTE, 0 if the process died. */
function handleMissing(mm: Mm, va: u64, write: bool): u32 {
  let i = findVma(mm, va);
  if (i < 0) return killCurrent(11, Err.SEGV, va);
  let vma = vmaAt(mm, <u32>i);
  let vpn = va >> PAGE_SHIFT;
  let slot = ptePtrAlloc(<usize>mm.pgd, vpn);
  if (slot == 0) return killCurrent(9, Err.HOST_MEMORY, va);
  let pte: u32;
  if (vma.flags & VM_SHARED) {
    pte = doSharedFault(vma.shm, vma.pgoff + (vpn - (vma.start >> PAGE_SHIFT)), write);
    if (pte != 0 && !write) faultAround(mm, vma.start, vma.end, vma.shm, vma.pgoff, vpn);
    mm.sharedFaults++;
  } else if (write) {
    pte = doAnonymousPage();
    vma.flags |= VM_ANON_VMA; // anon_vma_prepare
    mm.anonFaults++;
  } else {
    pte = mkPte(ZERO_FRAME, PTE_PRESENT);
    mm.zeroFaults++;
  }
  if (pte == 0) return killCurrent(9, Err.OOM, va);
  store<u32>(slot, pte);
  mm.minflt++;
  return pte;
}

/** First write to an untouched private anonymous page: a zeroed frame of its own. */
function doAnonymousPage(): u32 {
  let f = allocFrame();
  if (f == u32.MAX_VALUE) return 0;
  zeroNewFrame(f);
  mapcountInc(f);
  return mkPte(f, PTE_PRESENT | PTE_WRITE | PTE_DIRTY);
}

/**
 * A fault in a MAP_SHARED anonymous mapping: the page of the shm object at
 * `pgoff`, allocated (zeroed) on first touch by anyone; never copied.
 */
function doSharedFault(shm: u32, pgoff: u64, write: bool): u32 {
  let slot = <usize>shm + SHM_HEADER + (<usize>pgoff << 2);
  let f = load<u32>(slot);
  if (f == 0) {
    f = allocFrame();
    if (f == u32.MAX_VALUE) return 0;
    zeroNewFrame(f);
    setFrameFlags(f, FRAME_SHMEM);
    store<u32>(slot, f);
  }
  mapcountInc(f);
  // Dirtiness stays in the PTE (measured: a shmem page reads as Shared_Dirty
  // in the writer and Shared_Clean in a process that only read it).
  if (write) return mkPte(f, PTE_PRESENT | PTE_WRITE | PTE_DIRTY);
  return mkPte(f, PTE_PRESENT | PTE_WRITE);
}

/** fault_around_bytes: a read fault in a file (shmem) mapping maps this much around it. */
// @ts-ignore: decorator
@inline const FAULT_AROUND_BYTES: u64 = 65536;

/**
 * do_fault_around: also map the shm pages already present in the aligned
 * window around a read fault (within the VMA and the same page-table leaf).
 */
function faultAround(mm: Mm, vstart: u64, vend: u64, shm: u32, pgoff: u64, vpn: u64): void {
  let n = FAULT_AROUND_BYTES >> PAGE_SHIFT;
  if (n <= 1) return;
  let from = vpn & ~(n - 1);
  let to = from + n;
  let lo = vstart >> PAGE_SHIFT;
  let hi = vend >> PAGE_SHIFT;
  let leafLo = vpn & ~<u64>(LEVEL_ENTRIES - 1);
  if (from < lo) from = lo;
  if (from < leafLo) from = leafLo;
  if (to > hi) to = hi;
  if (to > leafLo + LEVEL_ENTRIES) to = leafLo + LEVEL_ENTRIES;
  for (let v = from; v < to; v++) {
    if (v == vpn) continue;
    let f = load<u32>(<usize>shm + SHM_HEADER + (<usize>(pgoff + v - lo) << 2));
    if (f == 0) continue;
    let slot = ptePtrAlloc(<usize>mm.pgd, v);
    if (slot == 0 || load<u32>(slot) != 0) continue;
    mapcountInc(f);
    store<u32>(slot, mkPte(f, PTE_PRESENT | PTE_WRITE));
  }
}

/**
 * A write to a present, write-protected page (do_wp_page). Shared-mapping
 * pages are never write-protected, so this is a private page: the zero page,
 * or a frame fork left shared.
 */
function doWpPage(mm: Mm, slot: usize, vpn: u64): u32 {
  let pte = load<u32>(slot);
  let f = pteFrame(pte);
  if (f != ZERO_FRAME && mapcount(f) == 1) {
    // wp_page_reuse: we are the last mapper; take the page over in place.
    pte |= PTE_WRITE | PTE_DIRTY;
    store<u32>(slot, pte);
    mm.minflt++;
    mm.reuseFaults++;
    return pte;
  }
  return breakCow(mm, slot, vpn, f);
}

// --- host storage of copies ------------------------------------------------------
//
// A child that only reads objects still writes their refcounts (incref, then
// decref: the bytes come back as they were). Each such page costs the real
// kernel a copy, and the simulator models that copy: a new frame, counted as
// Private_Dirty. Its *bytes*, once equal to the original's again, need not
// occupy a host page of their own: breakCow remembers its last COPY_RING
// copies and, when a new copy is made, looks at the oldest one; if its bytes
// equal those of the frame it was copied from, the two frames share one slot
// (frames.ts) and the freed slot — a host page already touched — takes the new
// copy. On the 200 MB scenario this keeps the child's host memory to a few
// pages instead of 160 MB of fresh pages. What the simulated kernel sees is
// unchanged.

// @ts-ignore: decorator
@inline const COPY_RING: u32 = 8;
/**
 * Per entry: vpn + 1 (u64; 0: empty), the copy's frame (u32), the frame it was
 * copied from (u32). Forgotten on every TLB flush (fork, munmap, exit, a switch
 * of process) and when any frame has been freed since (framesFreed), so that
 * `src` is still the frame it was, mapped by other processes only.
 */
const copyRing = memory.data(<i32>COPY_RING * 16);
let ringFrees: u64 = 0;
let copyNext: u32 = 0;
/** Copies that came to share their source's slot so far (for tests and the bench). */
export let slotShares: u64 = 0;
/**
 * Bumped whenever a page's bytes move to another host slot (shared again by
 * reclaimOldestCopy, or unshared before a write). Code that keeps a linear
 * address across simulated accesses (a page cursor) must translate again
 * when this has changed.
 */
export let slotMoves: u64 = 0;

function forgetCopies(): void {
  memory.fill(copyRing, 0, <usize>COPY_RING * 16);
  memory.fill(describedRing, 0, <usize>COPY_RING * 24);
  ringFrees = framesFreed;
}

/** True if the PAGE_SIZE bytes at linear addresses a and b are equal. */
function pagesEqual(a: usize, b: usize): bool {
  let end = a + <usize>PAGE_SIZE;
  while (a < end) {
    if ((load<u64>(a) ^ load<u64>(b)) | (load<u64>(a, 8) ^ load<u64>(b, 8)) |
        (load<u64>(a, 16) ^ load<u64>(b, 16)) | (load<u64>(a, 24) ^ load<u64>(b, 24))) return false;
    a += 32;
    b += 32;
  }
  return true;
}

/**
 * Called before breakCow takes a frame: if the oldest remembered copy is
 * still this process's private page at its address and equals its source
 * again, share the source's slot and free its own.
 */
function reclaimOldestCopy(mm: Mm): void {
  let e = copyRing + (<usize>copyNext << 4);
  if (ringFrees != framesFreed) forgetCopies();
  let vpn1 = load<u64>(e); // vpn + 1; 0: empty
  if (vpn1 == 0) return;
  store<u64>(e, 0);
  let copy = load<u32>(e, 8);
  let src = load<u32>(e, 12);
  let slot = ptePtr(<usize>mm.pgd, vpn1 - 1);
  if (slot == 0) return;
  let pte = load<u32>(slot);
  // Still the same private copy here, and its source still mapped (by others:
  // a frame is mapped at most once per address space, and this one maps `copy`).
  if ((pte & PTE_PRESENT) == 0 || pteFrame(pte) != copy || mapcount(copy) != 1) return;
  if (mapcount(src) == 0 || (frameFlags(src) & FRAME_SHMEM) != 0) return;
  let cs = frameSlot(copy);
  let ss = frameSlot(src);
  if (isLazySlot(cs) || slotRefs(cs) != 1 || cs == ss) return;
  if (!pagesEqual(slotAddr(cs), isLazySlot(ss) ? lazyBytes(ss, u64.MAX_VALUE) : slotAddr(ss))) return;
  shareSlot(copy, src);
  tlbEvict(vpn1 - 1);
  slotShares++;
  slotMoves++;
}

function rememberCopy(vpn: u64, copy: u32, src: u32): void {
  let e = copyRing + (<usize>copyNext << 4);
  store<u64>(e, vpn + 1);
  store<u32>(e, copy, 8);
  store<u32>(e, src, 12);
  copyNext = (copyNext + 1) & (COPY_RING - 1);
}

/** wp_page_copy: give this process its own copy of frame `f` (a zeroed one for the zero page). */
function breakCow(mm: Mm, slot: usize, vpn: u64, f: u32): u32 {
  if (touching && f != ZERO_FRAME) return breakCowUnchanged(mm, slot, vpn, f);
  if (f != ZERO_FRAME) reclaimOldestCopy(mm);
  let nf = allocFrame();
  if (nf == u32.MAX_VALUE) return killCurrent(9, Err.OOM, vpn << PAGE_SHIFT);
  if (f == ZERO_FRAME) {
    zeroNewFrame(nf);
    let i = findVma(mm, vpn << PAGE_SHIFT);
    if (i >= 0) vmaAt(mm, <u32>i).flags |= VM_ANON_VMA; // anon_vma_prepare
  } else {
    slotCopyOut(frameSlot(f), frameAddr(nf));
    mapcountDec(f);
    rememberCopy(vpn, nf, f);
  }
  return installCowCopy(mm, slot, vpn, nf);
}

/** The end of a CoW break: the process maps its new frame nf, writable and dirty; one minor fault. */
function installCowCopy(mm: Mm, slot: usize, vpn: u64, nf: u32): u32 {
  mapcountInc(nf);
  let pte = mkPte(nf, PTE_PRESENT | PTE_WRITE | PTE_DIRTY);
  store<u32>(slot, pte);
  mm.minflt++;
  mm.cowFaults++;
  tlbEvict(vpn);
  return pte;
}

/** breakCow for touchForWrite: a new frame (counted like any copy) whose bytes stay in f's slot. */
function breakCowUnchanged(mm: Mm, slot: usize, vpn: u64, f: u32): u32 {
  let nf = allocFrameSharing(f);
  if (nf == u32.MAX_VALUE) return killCurrent(9, Err.OOM, vpn << PAGE_SHIFT);
  mapcountDec(f);
  let pte = installCowCopy(mm, slot, vpn, nf);
  slotShares++;
  return pte;
}

// --- pages described, not stored ------------------------------------------------
//
// A page whose bytes a record of lazy.ts describes (frames.ts: a lazy slot)
// is read through this cache: LAZY_CACHE host pages, direct-mapped by lazy
// slot number, each holding the generated bytes of one lazy slot (named by
// its number and serial, so a freed and reused number never hits). A read
// TLB entry may point into a cache page; evicting the page drops that entry
// (the one page it was filled for in the current process: a lazy slot is
// mapped at one address per process) and counts as a slot move (cursors
// translate again).

// @ts-ignore: decorator
@inline const LAZY_CACHE: u32 = 64;
/** Per entry: lazy slot (u32, 0: empty), its serial (u32), the host slot (u32), vpn + 1 of its read TLB entry (u64, 0: none). */
const lazyCache = memory.data(<i32>LAZY_CACHE * 24);

/** Linear address of lazy slot `s`'s bytes; `vpn` (u64.MAX_VALUE: none) is the page a read TLB entry will map to them. */
function lazyBytes(s: u32, vpn: u64): usize {
  let e = lazyCache + <usize>((s & (LAZY_CACHE - 1)) * 24);
  let serial = lazySerialOf(s);
  let host = load<u32>(e, 8);
  if (load<u32>(e) != s || load<u32>(e, 4) != serial || host == 0) {
    // The page this one replaces may be mapped by a read TLB entry, and a cursor taken from it:
    // drop the entry and count a move (nobody else keeps a cache page's address).
    let old = load<u64>(e, 16);
    if (old != 0) {
      tlbEvict(old - 1);
      slotMoves++;
    }
    store<u64>(e, 0, 16);
    if (host == 0) {
      host = allocHostSlot();
      if (host == u32.MAX_VALUE) return scratchPage;
      store<u32>(e, host, 8);
    }
    recordFill(lazyRecord(s), lazyPage(s), slotAddr(host));
    store<u32>(e, s);
    store<u32>(e, serial, 4);
    lazyFills++;
  }
  if (vpn != u64.MAX_VALUE) {
    let old = load<u64>(e, 16);
    if (old != 0 && old != vpn + 1) tlbEvict(old - 1);
    store<u64>(e, vpn + 1, 16);
  }
  return slotAddr(host);
}

/*
 * A write to a described page gives it a host page of its own (unshareSlot). Often the write
 * is a Py_INCREF whose Py_DECREF follows (the parent's own `sum(L)`): the bytes come back to
 * the record's. As breakCow does for copies, the last COPY_RING such pages are remembered, and
 * when another is given a host page the oldest, if its bytes are the record's again, goes back
 * to its description and frees its host page for the next.
 *
 * Per entry: vpn + 1 (u64; 0: empty), the frame (u32), the record and page it was (u32, u32).
 * Forgotten with the copies (any TLB flush, any frame freed since).
 */
const describedRing = memory.data(<i32>COPY_RING * 24);
let describedNext: u32 = 0;

function rememberDescribed(vpn: u64, f: u32, rec: u32, page: u32): void {
  let e = describedRing + <usize>(describedNext * 24);
  store<u64>(e, vpn + 1);
  store<u32>(e, f, 8);
  store<u32>(e, rec, 12);
  store<u32>(e, page, 16);
  describedNext = (describedNext + 1) & (COPY_RING - 1);
}

function redescribeOldest(mm: Mm): void {
  if (ringFrees != framesFreed) forgetCopies();
  let e = describedRing + <usize>(describedNext * 24);
  let vpn1 = load<u64>(e);
  if (vpn1 == 0) return;
  store<u64>(e, 0);
  let f = load<u32>(e, 8);
  let slot = ptePtr(<usize>mm.pgd, vpn1 - 1);
  if (slot == 0) return;
  let pte = load<u32>(slot);
  // Still this process's own page here, in a host page of its own.
  if ((pte & PTE_PRESENT) == 0 || pteFrame(pte) != f || mapcount(f) != 1) return;
  let fs = frameSlot(f);
  if (isLazySlot(fs) || slotRefs(fs) != 1) return;
  let rec = load<u32>(e, 12), page = load<u32>(e, 16);
  if (!recordPageEquals(rec, page, slotAddr(fs))) return;
  if (!describeFrame(f, rec, page)) return;
  tlbEvict(vpn1 - 1);
  slotMoves++;
}

/** Pages generated from their records so far (for tests and the bench). */
export let lazyFills: u64 = 0;

/**
 * The current process's page at `va` keeps its bytes as page `page` of record
 * `rec` (lazy.ts) instead of in a host page: the caller knows they are equal
 * (debug builds compare). Only a present private page with a host slot of its
 * own qualifies; returns false (nothing changes) otherwise.
 */
export function describePage(va: u64, rec: u32, page: u32): bool {
  if (!currentAlive()) return false;
  let vpn = va >> PAGE_SHIFT;
  let slot = ptePtr(<usize>cur.pgd, vpn);
  if (slot == 0) return false;
  let pte = load<u32>(slot);
  if ((pte & PTE_PRESENT) == 0) return false;
  let f = pteFrame(pte);
  if (f == ZERO_FRAME || mapcount(f) != 1 || (frameFlags(f) & FRAME_SHMEM) != 0) return false;
  let fs = frameSlot(f);
  if (isLazySlot(fs) || slotRefs(fs) != 1) return false;
  if (!describeFrame(f, rec, page)) return false;
  tlbEvict(vpn);
  slotMoves++;
  return true;
}

// --- ranges --------------------------------------------------------------------

/** Sets `len` bytes at `va` to `value` in the current process, page by page. */
export function fillRange(va: u64, value: u8, len: u64): void {
  while (len > 0) {
    let n = min<u64>(len, PAGE_SIZE - (va & PAGE_MASK));
    memory.fill(wr(va), value, <usize>n);
    va += n;
    len -= n;
  }
}

/** Copies `len` bytes from `src` to `dst` within the current process (memmove semantics). */
export function copyRange(dst: u64, src: u64, len: u64): void {
  if (len == 0) return;
  if (dst <= src || dst >= src + len) {
    while (len > 0) {
      let n = min<u64>(len, min<u64>(PAGE_SIZE - (dst & PAGE_MASK), PAGE_SIZE - (src & PAGE_MASK)));
      let d = wr(dst);
      memory.copy(d, rd(src), <usize>n);
      dst += n; src += n; len -= n;
    }
  } else {
    // Overlapping with dst above src: copy backwards.
    let de = dst + len;
    let se = src + len;
    while (len > 0) {
      let dOff = ((de - 1) & PAGE_MASK) + 1;
      let sOff = ((se - 1) & PAGE_MASK) + 1;
      let n = min<u64>(len, min<u64>(dOff, sOff));
      let d = wr(de - n);
      memory.copy(d, rd(se - n), <usize>n);
      de -= n; se -= n; len -= n;
    }
  }
}

/** Copies `len` bytes from linear memory `src` into the current process at `va`. */
export function copyIn(va: u64, src: usize, len: u64): void {
  while (len > 0) {
    let n = min<u64>(len, PAGE_SIZE - (va & PAGE_MASK));
    memory.copy(wr(va), src, <usize>n);
    va += n; src += <usize>n; len -= n;
  }
}

/** Copies `len` bytes from the current process at `va` into linear memory `dst`. */
export function copyOut(dst: usize, va: u64, len: u64): void {
  while (len > 0) {
    let n = min<u64>(len, PAGE_SIZE - (va & PAGE_MASK));
    memory.copy(dst, rd(va), <usize>n);
    va += n; dst += <usize>n; len -= n;
  }
}

/** Marks the current process's PTE for `vpn` gone from the TLB (callers changed it). */
export function tlbInvalidate(vpn: u64): void {
  tlbEvict(vpn);
}

/**
 * True if `va` is backed by a written (non-zero-page) frame in the current
 * process: lets checking code look at memory without faulting anything in.
 */
export function isBacked(va: u64): bool {
  if (!currentAlive()) return false;
  let slot = ptePtr(<usize>cur.pgd, va >> PAGE_SHIFT);
  if (slot == 0) return false;
  let pte = load<u32>(slot);
  return (pte & PTE_PRESENT) != 0 && pteFrame(pte) != ZERO_FRAME;
}
