/**
 * Physical memory: page frames and their descriptors (Linux's `struct page`,
 * reduced to what copy-on-write and /proc accounting need).
 *
 * A *frame* is what the simulated kernel accounts: a page of simulated RAM
 * with a mapcount, mapped by PTEs. Its bytes live in a *slot*: a page of host
 * linear memory. Frame numbers and slots are two number spaces, each taken
 * from fresh memory in chunks of FRAMES_PER_CHUNK:
 *
 *   descDir[c]    ──▶ desc[256], 16 bytes per frame number:
 *                       +0 u32 mapcount (bits 0..29; bit 30 SHMEM)
 *                       +4 u32 slot holding the frame's bytes
 *                       +8 u32 next free frame number (while free)
 *   slotDir[c]    ──▶ ┌────────┬────────┬───┬──────────┐   (host-page aligned:
 *                     │ slot 0 │ slot 1 │ … │ slot 255 │    a slot straddling two
 *                     └────────┴────────┴───┴──────────┘    host pages would touch both)
 *   slotRefDir[c] ──▶ u32[256]: frames whose bytes are in each slot (0: free)
 *
 * A frame normally has a slot of its own. Two frames may share one slot
 * while their bytes are equal (KSM's idea, invisible to the simulated
 * kernel: counts, mapcounts and smaps still see two frames). The child of a
 * fork that only *reads* objects writes each refcount and puts it back: its
 * CoW copies end up equal to the parent's pages, and memory.ts
 * (reclaimOldestCopy) lets them share the parent's slots again, so the host
 * reuses one warm page instead of touching a fresh one per copy. Any write
 * into a shared slot first gives the frame a slot of its own (unshareSlot):
 * the software TLB never holds a write entry for a shared slot.
 *
 * A frame's bytes may also be *described* rather than stored (lazy.ts): its
 * slot is then a lazy slot (LAZY_SLOT | index), naming a record of lazy.ts
 * and a page of it, reference-counted like a host slot:
 *
 *   lazyDir[c]    ──▶ 16 bytes per lazy slot: +0 record (next free lazy slot while free),
 *                       +4 page of the record, +8 frames using it (0: free), +12 serial
 *
 * A lazy slot is shared by nature: its bytes are read through memory.ts's
 * cache of generated pages, and a write first gives the frame a host slot of
 * its own (unshareSlot, which fills it from the record).
 *
 * Frame 0 is the shared zero page: mapped read-only on the first read of an
 * untouched anonymous page, never written, never counted (vm_normal_page()
 * returns NULL for it, so smaps skips it). Free frame numbers and free slots
 * are two LIFO lists (threaded through the descriptor, and through a free
 * slot's first word), so the most recently freed host page is reused first.
 */
import { DEBUG, Err, raise } from "../config";
import { bumpAlloc } from "./kmem";
import { recordFill } from "./lazy";

// @ts-ignore: decorator
@inline export const FRAMES_PER_CHUNK_SHIFT: u32 = 8;
// @ts-ignore: decorator
@inline export const FRAMES_PER_CHUNK: u32 = 1 << FRAMES_PER_CHUNK_SHIFT;
// @ts-ignore: decorator
@inline const DESC_SHIFT: usize = 4;
// @ts-ignore: decorator
@inline const DESC_BYTES: usize = FRAMES_PER_CHUNK << DESC_SHIFT;
// @ts-ignore: decorator
@inline const MAX_CHUNKS: u32 = 16384;
// @ts-ignore: decorator
@inline export const MAPCOUNT_MASK: u32 = (1 << 30) - 1;
// @ts-ignore: decorator
@inline export const FRAME_SHMEM: u32 = 1 << 30;
/** The shared zero page (frame 0, in slot 0). */
// @ts-ignore: decorator
@inline export const ZERO_FRAME: u32 = 0;

/** log2 of the page size: 12 (4 KiB), 14 (16 KiB) or 16 (64 KiB). */
export let PAGE_SHIFT: u32 = 12;
export let PAGE_SIZE: u64 = 4096;
export let PAGE_MASK: u64 = 4095;

/** The machine's RAM in frames; allocation beyond it is a simulated OOM. */
let ramFrames: u32 = 0;
/** Frames in use (the zero page excluded). */
let framesInUse: u32 = 0;
/** The next frame number never handed out (frame descriptors exist below it). */
let nextFreshFrame: u32 = 0;
/** The next slot never handed out (host pages exist below it). */
let nextFreshSlot: u32 = 0;
/** Free frame numbers (0: none; frame 0 is never free). */
let freeHead: u32 = 0;
/** Free storage slots (0: none; slot 0 holds the zero page). */
let slotFreeHead: u32 = 0;
/** Slots in use (each holds the bytes of one or more frames). */
let slotsInUse: u32 = 0;
/** Per chunk of 256 frame numbers: their descriptors. */
const descDir = memory.data(<i32>MAX_CHUNKS * 4);
/** Per chunk of 256 slots: their host pages, and their u32 reference counts. */
const slotDir = memory.data(<i32>MAX_CHUNKS * 4);
const slotRefDir = memory.data(<i32>MAX_CHUNKS * 4);
/** Per chunk of 256 lazy slots: their 16-byte entries. */
const lazyDir = memory.data(<i32>MAX_CHUNKS * 4);
/** A slot number with this bit set is a lazy slot (its bytes described by a record of lazy.ts). */
// @ts-ignore: decorator
@inline export const LAZY_SLOT: u32 = 1 << 31;
/** The next lazy slot never handed out, the head of the free ones (0: none; lazy slot 0 is never used). */
let nextFreshLazy: u32 = 0;
let lazyFreeHead: u32 = 0;
/** Lazy slots in use, and a serial number per lazy slot handed out (so a cache can tell reuse apart). */
let lazyInUse: u32 = 0;
let lazySerial: u32 = 0;
// @ts-ignore: decorator
@inline const HOST_PAGE: usize = 4096;

export function framesInit(pageShift: u32, ramBytes: u64): void {
  PAGE_SHIFT = pageShift;
  PAGE_SIZE = <u64>1 << pageShift;
  PAGE_MASK = PAGE_SIZE - 1;
  ramFrames = <u32>min<u64>(ramBytes >> pageShift, <u64>MAPCOUNT_MASK);
  // Frame 0, the zero page, in slot 0: never handed out, never freed.
  nextFreshFrame = 0;
  nextFreshSlot = 0;
  freeHead = 0;
  slotFreeHead = 0;
  framesInUse = 0;
  nextFreshLazy = 1;
  lazyFreeHead = 0;
  lazyInUse = 0;
  lazySerial = 0;
  let zero = freshFrame();
  let zslot = freshSlot();
  if (DEBUG) assert(zero == ZERO_FRAME && zslot == 0);
  store<u32>(descAddr(ZERO_FRAME) + 4, zslot);
  store<u32>(slotRefAddr(zslot), 1);
  slotsInUse = 1;
}

/** A frame number never used before (its descriptor zeroed), or u32.MAX_VALUE. */
function freshFrame(): u32 {
  let f = nextFreshFrame;
  if ((f & (FRAMES_PER_CHUNK - 1)) == 0) {
    let chunk = f >> FRAMES_PER_CHUNK_SHIFT;
    if (chunk >= MAX_CHUNKS) {
      raise(Err.HOST_MEMORY, 0);
      return u32.MAX_VALUE;
    }
    let desc = bumpAlloc(DESC_BYTES);
    if (desc == 0) return u32.MAX_VALUE;
    store<u32>(descDir + (<usize>chunk << 2), <u32>desc);
  }
  nextFreshFrame = f + 1;
  return f;
}

/** A slot never used before (its host page not yet touched), or u32.MAX_VALUE. */
function freshSlot(): u32 {
  let s = nextFreshSlot;
  if ((s & (FRAMES_PER_CHUNK - 1)) == 0) {
    let chunk = s >> FRAMES_PER_CHUNK_SHIFT;
    if (chunk >= MAX_CHUNKS) {
      raise(Err.HOST_MEMORY, 0);
      return u32.MAX_VALUE;
    }
    let refs = bumpAlloc(<usize>FRAMES_PER_CHUNK << 2);
    let base = bumpAlloc(<usize>FRAMES_PER_CHUNK << PAGE_SHIFT, HOST_PAGE);
    if (base == 0 || refs == 0) return u32.MAX_VALUE;
    store<u32>(slotDir + (<usize>chunk << 2), <u32>base);
    store<u32>(slotRefDir + (<usize>chunk << 2), <u32>refs);
  }
  nextFreshSlot = s + 1;
  return s;
}

/** Linear-memory address of storage slot `s`. */
// @ts-ignore: decorator
@inline export function slotAddr(s: u32): usize {
  return <usize>load<u32>(slotDir + (<usize>(s >> FRAMES_PER_CHUNK_SHIFT) << 2)) +
    (<usize>(s & (FRAMES_PER_CHUNK - 1)) << PAGE_SHIFT);
}

// @ts-ignore: decorator
@inline export function isLazySlot(s: u32): bool {
  return (s & LAZY_SLOT) != 0;
}

/** Entry of lazy slot `s` (LAZY_SLOT set). */
// @ts-ignore: decorator
@inline function lazyAddr(s: u32): usize {
  let i = s & ~LAZY_SLOT;
  return <usize>load<u32>(lazyDir + (<usize>(i >> FRAMES_PER_CHUNK_SHIFT) << 2)) +
    (<usize>(i & (FRAMES_PER_CHUNK - 1)) << 4);
}

// @ts-ignore: decorator
@inline function slotRefAddr(s: u32): usize {
  if (isLazySlot(s)) return lazyAddr(s) + 8;
  return <usize>load<u32>(slotRefDir + (<usize>(s >> FRAMES_PER_CHUNK_SHIFT) << 2)) +
    (<usize>(s & (FRAMES_PER_CHUNK - 1)) << 2);
}

/** Descriptor of frame `f`: +0 mapcount | flags, +4 slot, +8 next free frame number. */
// @ts-ignore: decorator
@inline function descAddr(f: u32): usize {
  return <usize>load<u32>(descDir + (<usize>(f >> FRAMES_PER_CHUNK_SHIFT) << 2)) +
    (<usize>(f & (FRAMES_PER_CHUNK - 1)) << DESC_SHIFT);
}

/** The storage slot holding frame `f`'s bytes. */
// @ts-ignore: decorator
@inline export function frameSlot(f: u32): u32 {
  return load<u32>(descAddr(f) + 4);
}

/** How many frames keep their bytes in slot `s`. */
// @ts-ignore: decorator
@inline export function slotRefs(s: u32): u32 {
  return load<u32>(slotRefAddr(s));
}

/** Linear-memory address of a frame's first byte (a frame whose bytes are stored: not a lazy slot). */
// @ts-ignore: decorator
@inline export function frameAddr(f: u32): usize {
  if (DEBUG) assert(!isLazySlot(frameSlot(f)));
  return slotAddr(frameSlot(f));
}

/** The record (lazy.ts) describing lazy slot `s`'s bytes, and its page there. */
export function lazyRecord(s: u32): u32 {
  return load<u32>(lazyAddr(s));
}
export function lazyPage(s: u32): u32 {
  return load<u32>(lazyAddr(s) + 4);
}
/** Tells apart successive uses of one lazy slot number. */
export function lazySerialOf(s: u32): u32 {
  return load<u32>(lazyAddr(s) + 12);
}

/** Writes the bytes of slot `s` (host or lazy) at linear address `dst`. */
export function slotCopyOut(s: u32, dst: usize): void {
  if (isLazySlot(s)) recordFill(lazyRecord(s), lazyPage(s), dst);
  else memory.copy(dst, slotAddr(s), <usize>PAGE_SIZE);
}

// @ts-ignore: decorator
@inline export function mapcount(f: u32): u32 {
  return load<u32>(descAddr(f)) & MAPCOUNT_MASK;
}

// @ts-ignore: decorator
@inline export function frameFlags(f: u32): u32 {
  return load<u32>(descAddr(f)) & ~MAPCOUNT_MASK;
}

// @ts-ignore: decorator
@inline export function setFrameFlags(f: u32, flags: u32): void {
  let m = descAddr(f);
  store<u32>(m, (load<u32>(m) & MAPCOUNT_MASK) | flags);
}

// @ts-ignore: decorator
@inline export function mapcountInc(f: u32): void {
  if (f == ZERO_FRAME) return;
  let m = descAddr(f);
  store<u32>(m, load<u32>(m) + 1);
}

/** Drops one mapping; returns the mapcount left. */
// @ts-ignore: decorator
@inline export function mapcountDec(f: u32): u32 {
  if (f == ZERO_FRAME) return 1;
  let m = descAddr(f);
  let v = load<u32>(m);
  if (DEBUG) assert((v & MAPCOUNT_MASK) > 0);
  store<u32>(m, v - 1);
  return (v - 1) & MAPCOUNT_MASK;
}

/**
 * True when the last allocFrame's slot had never been used: its host page has
 * never been written, so it reads as zeros (WebAssembly memory starts zeroed
 * and the bump region is never handed out twice) and a caller that wants a
 * zeroed frame need not write it — the first write then lands on an untouched
 * host page once instead of twice.
 */
export let slotIsFresh = false;

/** A free storage slot (refs 1), or u32.MAX_VALUE and an error when none can be had. */
function allocSlot(): u32 {
  let s = slotFreeHead;
  if (s != 0) {
    slotFreeHead = load<u32>(slotAddr(s));
    slotIsFresh = false;
  } else {
    s = freshSlot();
    if (s == u32.MAX_VALUE) return s;
    slotIsFresh = true;
  }
  if (DEBUG) assert(slotRefs(s) == 0);
  store<u32>(slotRefAddr(s), 1);
  slotsInUse++;
  return s;
}

/** A host slot for the kernel's own use (memory.ts's cache of generated pages), or u32.MAX_VALUE. */
export function allocHostSlot(): u32 {
  return allocSlot();
}

/** Drops one frame's use of slot `s`; the last one frees it. */
function releaseSlot(s: u32): void {
  let a = slotRefAddr(s);
  let r = load<u32>(a);
  if (DEBUG) assert(r > 0 && s != 0);
  store<u32>(a, r - 1);
  if (r == 1 && isLazySlot(s)) {
    store<u32>(lazyAddr(s), lazyFreeHead);
    lazyFreeHead = s;
    lazyInUse--;
  } else if (r == 1) {
    store<u32>(slotAddr(s), slotFreeHead);
    slotFreeHead = s;
    slotsInUse--;
  }
}

/** A frame number with mapcount 0 and no flags (no slot yet), or u32.MAX_VALUE and an error. */
function allocFrameNumber(): u32 {
  if (framesInUse >= ramFrames) {
    raise(Err.OOM, <u64>framesInUse << PAGE_SHIFT);
    return u32.MAX_VALUE;
  }
  let f = freeHead;
  if (f != 0) {
    freeHead = load<u32>(descAddr(f) + 8);
  } else {
    f = freshFrame();
    if (f == u32.MAX_VALUE) return f;
  }
  store<u32>(descAddr(f), 0);
  framesInUse++;
  return f;
}

/**
 * A new frame with mapcount 0 and no flags, in a slot of its own, its
 * contents undefined (callers zero it with zeroFrame or copy into it).
 * u32.MAX_VALUE and an error when none can be had.
 */
export function allocFrame(): u32 {
  let f = allocFrameNumber();
  if (f == u32.MAX_VALUE) return f;
  let s = allocSlot();
  if (s == u32.MAX_VALUE) return s;
  store<u32>(descAddr(f) + 4, s);
  return f;
}

/**
 * A new frame whose bytes are those of frame `g`, in g's slot (no host page
 * is touched): the copy of a page that will be written back unchanged.
 */
export function allocFrameSharing(g: u32): u32 {
  let f = allocFrameNumber();
  if (f == u32.MAX_VALUE) return f;
  let s = frameSlot(g);
  store<u32>(slotRefAddr(s), slotRefs(s) + 1);
  store<u32>(descAddr(f) + 4, s);
  return f;
}

/** Zeroes the frame allocFrame just returned (nothing to write when its slot is fresh). */
export function zeroNewFrame(f: u32): void {
  if (slotIsFresh) {
    if (DEBUG) {
      let a = frameAddr(f);
      for (let i: usize = 0; i < <usize>PAGE_SIZE; i += 8) assert(load<u64>(a + i) == 0);
    }
    return;
  }
  memory.fill(frameAddr(f), 0, <usize>PAGE_SIZE);
}

/** Frames freed so far (lets memory.ts know a frame number may have been reused). */
export let framesFreed: u64 = 0;

export function freeFrame(f: u32): void {
  if (DEBUG) assert(f != ZERO_FRAME && mapcount(f) == 0);
  framesFreed++;
  store<u32>(descAddr(f), 0);
  releaseSlot(frameSlot(f));
  store<u32>(descAddr(f) + 4, 0);
  store<u32>(descAddr(f) + 8, freeHead);
  freeHead = f;
  framesInUse--;
}

/**
 * Frame `f` (in a shared or lazy slot) gets a slot of its own holding the same bytes,
 * before a write. Returns the new slot (u32.MAX_VALUE if the host has no memory).
 */
export function unshareSlot(f: u32): u32 {
  let old = frameSlot(f);
  if (DEBUG) assert(slotRefs(old) > 1 || isLazySlot(old));
  let s = allocSlot();
  if (s == u32.MAX_VALUE) return s;
  slotCopyOut(old, slotAddr(s));
  releaseSlot(old);
  store<u32>(descAddr(f) + 4, s);
  return s;
}

/**
 * Lets frame `f` keep its bytes in the slot of frame `g`, whose bytes are
 * equal (the caller compared them), and frees f's own slot.
 */
export function shareSlot(f: u32, g: u32): void {
  let s = frameSlot(g);
  let old = frameSlot(f);
  if (DEBUG) assert(s != old && f != ZERO_FRAME && g != ZERO_FRAME && !isLazySlot(old));
  if (DEBUG) assert(slotEquals(s, slotAddr(old)));
  store<u32>(slotRefAddr(s), slotRefs(s) + 1);
  store<u32>(descAddr(f) + 4, s);
  releaseSlot(old);
}

/** Where recordPageEquals generates a record's page. */
let checkPage: usize = 0;

/** True if page `page` of record `rec` (lazy.ts) equals the PAGE_SIZE bytes at linear address `a`. */
export function recordPageEquals(rec: u32, page: u32, a: usize): bool {
  if (checkPage == 0) checkPage = bumpAlloc(65536);
  if (checkPage == 0) return false;
  recordFill(rec, page, checkPage);
  return memory.compare(checkPage, a, <usize>PAGE_SIZE) == 0;
}

/** True if slot `s`'s bytes (host or lazy) equal the PAGE_SIZE bytes at linear address `a`. */
export function slotEquals(s: u32, a: usize): bool {
  if (!isLazySlot(s)) return memory.compare(slotAddr(s), a, <usize>PAGE_SIZE) == 0;
  return recordPageEquals(lazyRecord(s), lazyPage(s), a);
}

/**
 * Frame `f`, which has a host slot of its own, keeps its bytes as page
 * `page` of record `rec` instead (the caller knows they are equal; debug
 * builds compare) and frees the host slot. Returns false when no lazy slot
 * can be had (nothing changes then).
 */
export function describeFrame(f: u32, rec: u32, page: u32): bool {
  let old = frameSlot(f);
  if (DEBUG) assert(!isLazySlot(old) && slotRefs(old) == 1 && f != ZERO_FRAME);
  let s = lazyFreeHead;
  if (s != 0) {
    lazyFreeHead = load<u32>(lazyAddr(s));
  } else {
    let i = nextFreshLazy;
    let chunk = i >> FRAMES_PER_CHUNK_SHIFT;
    if (chunk >= MAX_CHUNKS) return false;
    if (load<u32>(lazyDir + (<usize>chunk << 2)) == 0) {
      let entries = bumpAlloc(<usize>FRAMES_PER_CHUNK << 4);
      if (entries == 0) return false;
      store<u32>(lazyDir + (<usize>chunk << 2), <u32>entries);
    }
    nextFreshLazy = i + 1;
    s = LAZY_SLOT | i;
  }
  let e = lazyAddr(s);
  store<u32>(e, rec);
  store<u32>(e + 4, page);
  store<u32>(e + 8, 1);
  store<u32>(e + 12, ++lazySerial);
  lazyInUse++;
  if (DEBUG) assert(slotEquals(s, slotAddr(old)));
  store<u32>(descAddr(f) + 4, s);
  releaseSlot(old);
  return true;
}

/** Lazy slots in use (frames' bytes described, not stored). */
export function lazySlotsUsed(): u32 {
  return lazyInUse;
}

/** Storage slots in use (host pages holding frame bytes; ≤ frames in use + 1). */
export function slotsUsed(): u32 {
  return slotsInUse;
}

export function framesUsed(): u32 {
  return framesInUse;
}

/** Frames ever taken from linear memory (the high-water mark of simulated RAM). */
export function framesReserved(): u32 {
  return nextFreshFrame;
}
