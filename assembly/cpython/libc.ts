/**
 * A model of glibc's malloc (ptmalloc2, main arena only) as CPython meets it:
 * requests above pymalloc's threshold, PyMem_RawMalloc, and in 2.7 every
 * PyMem_MALLOC (list item arrays). It decides where each chunk lands and
 * writes the chunk headers and free-list links into simulated memory, so
 * those writes break copy-on-write like the real ones.
 *
 * Chunks (64-bit: SIZE_SZ 8, MALLOC_ALIGNMENT 16, MINSIZE 32):
 *
 *   chunk → ┌───────────────┐
 *           │ prev_size     │  only meaningful while the previous chunk is free
 *           │ size | A|M|P  │  P = PREV_INUSE, M = IS_MMAPPED
 *   mem   → ├───────────────┤  ← what malloc returns (chunk + 16)
 *           │ fd / tcache   │  free chunks: links
 *           │ bk / key      │
 *           │ …             │
 *           └───────────────┘
 *   request2size(n) = max(MINSIZE, (n + SIZE_SZ + 15) & ~15)
 *
 * Placement:
 *   - small chunks (≤ SMALL_MAX): reused LIFO from an exact-size list first
 *     (what tcache, fastbins and small bins do for a same-size request);
 *     with none there, split from a free large chunk (takeForSmall: the last
 *     remainder while it is alone in "unsorted", else the best fit), as
 *     _int_malloc's unsorted scan and bin search do before the top;
 *   - others: best fit from the free list of large chunks;
 *   - then split from the top chunk (tried before mmap, even for big sizes);
 *   - when the top is too small (sysmalloc): nb ≥ mmap_threshold (128 KiB,
 *     raised when an mmapped chunk is freed — the dynamic threshold, up to
 *     32 MiB) gets a mapping of its own, pageUp(nb + SIZE_SZ), chunk at its
 *     start, freed with munmap, grown with mremap; else the heap grows with
 *     brk by nb + top_pad (128 KiB) + MINSIZE - top, rounded to a page.
 *   - the first malloc takes the 0x290-byte tcache_perthread_struct; an
 *     interpreter process starts instead with the measured start-up heap
 *     (libcStartupHeap, src/profiles/startup-heap.ts, docs/glibc-malloc.md §8).
 *   - realloc of the chunk before the top: into the top if it fits, else
 *     sysmalloc grows brk by nb + top_pad and the chunk absorbs nb bytes of
 *     the old top, its old size freed back into the top (glibc's newp == next).
 *   A top chunk above trim_threshold is trimmed back to top_pad.
 *
 * Free chunks on the large list coalesce with free neighbours there, backward
 * and forward, or into the top (_int_free); realloc grows into a free next
 * chunk before it moves (_int_realloc).
 *
 * Simplifications (docs/glibc-malloc.md): one arena; chunks on the exact-size
 * lists (tcache, fastbins) never coalesce, and there is no 7-chunk tcache limit;
 * a small request that misses its exact-size list does not look at the
 * exact-size lists of larger sizes (glibc's larger small bins).
 *
 * State (in simulated memory at LIBC_DATA, like main_arena and mp_):
 */
import { DEBUG, Err, raise, failed } from "../config";
import { ld64, st64, copyRange, fillRange, isBacked } from "../kernel/memory";
import { PAGE_SIZE, PAGE_MASK, PAGE_SHIFT } from "../kernel/frames";
import { curPid } from "../kernel/memory";
import * as sys from "../kernel/syscalls";
import { LIBC_DATA } from "./image";

// @ts-ignore: decorator
@inline const SIZE_SZ: u64 = 8;
// @ts-ignore: decorator
@inline const MALLOC_ALIGN_MASK: u64 = 15;
// @ts-ignore: decorator
@inline const MINSIZE: u64 = 32;
// @ts-ignore: decorator
@inline const PREV_INUSE: u64 = 1;
// @ts-ignore: decorator
@inline const IS_MMAPPED: u64 = 2;
// @ts-ignore: decorator
@inline const SIZE_BITS: u64 = 7;
// @ts-ignore: decorator
@inline const DEFAULT_MMAP_THRESHOLD: u64 = 128 * 1024;
// @ts-ignore: decorator
@inline const DEFAULT_MMAP_THRESHOLD_MAX: u64 = 32 * 1024 * 1024;
// @ts-ignore: decorator
@inline const DEFAULT_TOP_PAD: u64 = 128 * 1024;
/** Largest chunk kept on an exact-size list (tcache's largest: 1032-byte requests). */
// @ts-ignore: decorator
@inline const SMALL_MAX: u64 = 1040;
// @ts-ignore: decorator
@inline const NSMALL: u64 = SMALL_MAX >> 4;

// Offsets of the state fields in LIBC_DATA.
// @ts-ignore: decorator
@inline const S_TOP: u64 = LIBC_DATA + 0;
// @ts-ignore: decorator
@inline const S_HEAP_START: u64 = LIBC_DATA + 8;
// @ts-ignore: decorator
@inline const S_MMAP_THRESHOLD: u64 = LIBC_DATA + 16;
// @ts-ignore: decorator
@inline const S_TRIM_THRESHOLD: u64 = LIBC_DATA + 24;
// @ts-ignore: decorator
@inline const S_N_MMAPS: u64 = LIBC_DATA + 32;
// @ts-ignore: decorator
@inline const S_MMAPPED_MEM: u64 = LIBC_DATA + 40;
// @ts-ignore: decorator
@inline const S_SYSTEM_MEM: u64 = LIBC_DATA + 48;
// @ts-ignore: decorator
@inline const S_LARGE_FREE: u64 = LIBC_DATA + 56;
// @ts-ignore: decorator
@inline const S_INITIALIZED: u64 = LIBC_DATA + 64;
// @ts-ignore: decorator
@inline const S_TCACHE: u64 = LIBC_DATA + 72;
/** av->last_remainder: the remainder of the last split made for a small request (0: none). */
// @ts-ignore: decorator
@inline const S_LAST_REMAINDER: u64 = LIBC_DATA + 80;
/** 1 while the last remainder is the only chunk glibc's unsorted bin would hold (nothing freed or sorted since). */
// @ts-ignore: decorator
@inline const S_LR_ALONE: u64 = LIBC_DATA + 88;
/** sizeof(tcache_perthread_struct) as a chunk: 0x290 bytes. */
// @ts-ignore: decorator
@inline const TCACHE_STRUCT_CHUNK: u64 = 0x290;
/** MIN_LARGE_SIZE: chunks below it are in glibc's small-bin range (in_smallbin_range, L1574). */
// @ts-ignore: decorator
@inline const MIN_LARGE_SIZE: u64 = 1024;
/** Heads of the exact-size lists, one per 16-byte chunk size up to SMALL_MAX. */
// @ts-ignore: decorator
@inline const S_SMALL_BINS: u64 = LIBC_DATA + 128;

// @ts-ignore: decorator
@inline function request2size(n: u64): u64 {
  let nb = (n + SIZE_SZ + MALLOC_ALIGN_MASK) & ~MALLOC_ALIGN_MASK;
  return nb < MINSIZE ? MINSIZE : nb;
}

// @ts-ignore: decorator
@inline function chunksize(c: u64): u64 {
  return ld64(c + 8) & ~SIZE_BITS;
}

// @ts-ignore: decorator
@inline function pageUp(x: u64): u64 {
  return (x + PAGE_MASK) & ~PAGE_MASK;
}

// @ts-ignore: decorator
@inline function smallBin(nb: u64): u64 {
  return S_SMALL_BINS + ((nb >> 4) << 3);
}

/** ptmalloc_init: the tunables' defaults (written once per process, in the parent before any fork). */
function ensureInit(): void {
  if (ld64(S_INITIALIZED) != 0) return;
  st64(S_INITIALIZED, 1);
  st64(S_MMAP_THRESHOLD, DEFAULT_MMAP_THRESHOLD);
  st64(S_TRIM_THRESHOLD, DEFAULT_MMAP_THRESHOLD);
}

/** malloc(n) in the current process: the user pointer, 0 when memory is exhausted. */
export function libcMalloc(n: u64): u64 {
  ensureInit();
  if (n > (<u64>1 << 46)) {
    raise(Err.OOM, n);
    return 0;
  }
  if (ld64(S_TCACHE) == 0) tcacheInit();
  let nb = request2size(n);
  if (nb <= SMALL_MAX) {
    let bin = smallBin(nb);
    let c = ld64(bin);
    if (c != 0) {
      st64(bin, ld64(c + 16));
      st64(c + 24, 0); // tcache_get clears the key
      return c + 16;
    }
    // No chunk of this exact size: glibc goes on to the unsorted bin and the larger bins before the
    // top (_int_malloc L3990-4346), so free large chunks are split for small requests too.
    let c2 = nb < MIN_LARGE_SIZE ? takeForSmall(nb) : takeLarge(nb);
    if (c2 != 0) return c2 + 16;
  } else {
    let c = takeLarge(nb);
    if (c != 0) return c + 16;
  }
  return fromTop(nb);
}

/**
 * tcache_init: the first malloc of a thread takes a tcache_perthread_struct
 * (a 0x290-byte chunk at the start of the heap) and zeroes it.
 */
function tcacheInit(): void {
  let mem = fromTop(TCACHE_STRUCT_CHUNK);
  if (mem == 0) return;
  fillRange(mem, 0, TCACHE_STRUCT_CHUNK - 16);
  st64(S_TCACHE, mem);
}

/** sysmalloc's mmap path: a chunk in a mapping of its own. */
function mmapChunk(nb: u64): u64 {
  let size = pageUp(nb + SIZE_SZ);
  let mm = sys.mmap(curPid, size, false);
  if (mm == 0) return 0;
  st64(mm, 0);
  st64(mm + 8, size | IS_MMAPPED);
  st64(S_N_MMAPS, ld64(S_N_MMAPS) + 1);
  st64(S_MMAPPED_MEM, ld64(S_MMAPPED_MEM) + size);
  return mm + 16;
}

/**
 * Splits nb bytes off the top chunk. When the top is too small, sysmalloc
 * maps a chunk of its own if nb reaches the mmap threshold, else grows the
 * heap with brk.
 */
function fromTop(nb: u64): u64 {
  let top = ld64(S_TOP);
  let topSize: u64 = top != 0 ? chunksize(top) : 0;
  if (top == 0 || topSize < nb + MINSIZE) {
    if (nb >= ld64(S_MMAP_THRESHOLD)) {
      let mem = mmapChunk(nb);
      if (mem != 0) return mem;
    }
    if (!growTop(nb)) {
      // brk refused: glibc falls back to mmap as a non-contiguous region; the model reports no memory.
      let mem = mmapChunk(nb);
      if (mem == 0) raise(Err.OOM, nb);
      return mem;
    }
    top = ld64(S_TOP);
    topSize = chunksize(top);
  }
  let rem = top + nb;
  st64(top + 8, nb | PREV_INUSE);
  st64(rem + 8, (topSize - nb) | PREV_INUSE);
  st64(S_TOP, rem);
  return top + 16;
}

/**
 * sysmalloc's brk path: make the top chunk hold nb + MINSIZE, growing the
 * heap by nb + top_pad + MINSIZE - top, rounded up to a page.
 */
function growTop(nb: u64): bool {
  let top = ld64(S_TOP);
  let topSize: u64 = top != 0 ? chunksize(top) : 0;
  let size = nb + DEFAULT_TOP_PAD + MINSIZE;
  if (top != 0) size -= topSize;
  size = pageUp(size);
  let mm = sys.mmOfPid(curPid);
  let oldBrk = mm.brk;
  let newBrk = sys.brk(curPid, oldBrk + size);
  if (newBrk != oldBrk + size) return false;
  if (top == 0) {
    top = oldBrk;
    st64(S_HEAP_START, oldBrk);
    st64(S_TOP, top);
    topSize = size;
  } else {
    topSize += size;
  }
  st64(S_SYSTEM_MEM, ld64(S_SYSTEM_MEM) + size);
  st64(top + 8, topSize | PREV_INUSE);
  return true;
}

/**
 * A small request (nb < 1024) that found no chunk of its exact size (_int_malloc, glibc 2.36):
 *   - L4018-4048: "If a small request, try to use last remainder if it is the only chunk in unsorted
 *     bin" and it is larger than nb + MINSIZE: split nb off its front; the rest stays the last remainder;
 *   - otherwise the unsorted chunks are sorted into bins (L4051-4142) and the bitmap search takes the
 *     smallest chunk of the next non-empty larger bin (L4242-4346, "strictly by best-fit"): split it,
 *     the rest goes to unsorted and, the request being small, "advertise as last remainder" (L4322).
 * The model's large free list stands for unsorted + the large bins; the exact-size lists (tcache,
 * fastbins and small bins together) are not searched for a larger chunk. Returns the chunk, or 0 (top).
 */
function takeForSmall(nb: u64): u64 {
  let lr = ld64(S_LAST_REMAINDER);
  if (lr != 0 && ld64(S_LR_ALONE) != 0) {
    // Nothing was freed into the large list since lr was put there, so it is the list's head.
    if (DEBUG) assert(ld64(S_LARGE_FREE) == lr);
    let size = chunksize(lr);
    if (size > nb + MINSIZE) {
      st64(S_LARGE_FREE, ld64(lr + 16));
      st64(lr + 8, nb | (ld64(lr + 8) & PREV_INUSE));
      pushRemainder(lr + nb, size - nb);
      return lr;
    }
  }
  if (ld64(S_LR_ALONE) != 0) st64(S_LR_ALONE, 0);
  let best = unlinkBestFit(nb);
  if (best == 0) return 0;
  let bestSize = chunksize(best);
  if (bestSize - nb >= MINSIZE) {
    st64(best + 8, nb | (ld64(best + 8) & PREV_INUSE));
    pushRemainder(best + nb, bestSize - nb);
  } else {
    setPrevInuse(best + bestSize); // exhaust (L4286)
  }
  return best;
}

/**
 * The remainder of a split for a small request: set_head / set_foot (L4034-4036, L4330-4331), fd/bk
 * into unsorted (user+0, user+8), and it becomes av->last_remainder, alone in unsorted. It stays on
 * the large list whatever its size (glibc keeps splitting it down to nb + MINSIZE).
 */
function pushRemainder(rem: u64, size: u64): void {
  st64(rem + 8, size | PREV_INUSE);
  st64(rem + size, size); // set_foot: prev_size of the next chunk
  // The split chunk was free, so its next chunk's PREV_INUSE is normally clear already; the model,
  // which does not coalesce backwards into the top, can have set it since.
  let nh = ld64(rem + size + 8);
  if (nh & PREV_INUSE) st64(rem + size + 8, nh & ~PREV_INUSE);
  st64(rem + 16, ld64(S_LARGE_FREE)); // fd
  st64(rem + 24, S_LARGE_FREE); // bk (a pointer into main_arena; never 1, the model's tcache key)
  if (size >= MIN_LARGE_SIZE) {
    st64(rem + 32, 0); // fd_nextsize = NULL (L4031-4035, L4323-4327)
    st64(rem + 40, 0); // bk_nextsize = NULL
  }
  st64(S_LARGE_FREE, rem);
  st64(S_LAST_REMAINDER, rem);
  st64(S_LR_ALONE, 1);
}

/**
 * The smallest chunk of at least nb bytes on the large free list (singly linked through fd; the
 * first of an exact size ends the search), taken off the list; 0 if none.
 */
function unlinkBestFit(nb: u64): u64 {
  let prevLink = S_LARGE_FREE;
  let c = ld64(prevLink);
  let bestLink: u64 = 0;
  let best: u64 = 0;
  let bestSize: u64 = u64.MAX_VALUE;
  // After a fatal fault every access reads the scratch page: stop (the process is dead).
  while (c != 0 && !failed()) {
    let sz = chunksize(c);
    if (sz >= nb && sz < bestSize) {
      best = c;
      bestLink = prevLink;
      bestSize = sz;
      if (sz == nb) break;
    }
    prevLink = c + 16;
    c = ld64(prevLink);
  }
  if (best == 0 || failed()) return 0;
  st64(bestLink, ld64(best + 16));
  return best;
}

/** Best fit from the list of free large chunks (singly linked through fd), split if worth it. */
function takeLarge(nb: u64): u64 {
  if (ld64(S_LR_ALONE) != 0) st64(S_LR_ALONE, 0); // a large request sorts the unsorted bin (L3990-4142)
  let best = unlinkBestFit(nb);
  if (best == 0) return 0;
  let bestSize = chunksize(best);
  let next = best + bestSize;
  if (bestSize - nb >= MINSIZE) {
    let rem = best + nb;
    st64(best + 8, nb | (ld64(best + 8) & PREV_INUSE));
    st64(rem + 8, (bestSize - nb) | PREV_INUSE);
    if (bestSize - nb <= SMALL_MAX) {
      // A small remainder goes to unsorted (L4300-4331), free, not to tcache: keep it on the large list
      // so that it stays free for coalescing (its next chunk's PREV_INUSE is already clear).
      st64(rem + 16, ld64(S_LARGE_FREE));
      st64(S_LARGE_FREE, rem);
      st64(next, bestSize - nb); // set_foot
    } else {
      releaseChunk(rem, bestSize - nb);
    }
  } else {
    setPrevInuse(next);
  }
  return best;
}

// @ts-ignore: decorator
@inline function setPrevInuse(c: u64): void {
  if (c != ld64(S_TOP)) st64(c + 8, ld64(c + 8) | PREV_INUSE);
  else st64(c + 8, ld64(c + 8) | PREV_INUSE);
}

/** Puts a free heap chunk where the next request of its size will find it. */
function releaseChunk(c: u64, size: u64): void {
  if (size <= SMALL_MAX) {
    let bin = smallBin(size);
    st64(c + 16, ld64(bin)); // tcache->entries / fd
    st64(c + 24, 1); // tcache key (marks the chunk as in tcache)
    st64(bin, c);
    return;
  }
  // _int_free (glibc 2.36 L4596-4651): consolidate backward with a free previous chunk (its PREV_INUSE
  // bit is clear), forward with a free next chunk, or into the top. Free chunks here are those on the
  // large list (their next chunk's PREV_INUSE is clear); the exact-size lists stand for tcache and
  // fastbins, whose chunks stay "in use" and are not merged.
  let merged = false;
  if ((ld64(c + 8) & PREV_INUSE) == 0) {
    let prevSize = ld64(c);
    c -= prevSize;
    size += prevSize;
    unlinkFree(c);
    merged = true;
  }
  let next = c + size;
  let top = ld64(S_TOP);
  if (next == top) {
    // Coalesce into top, then trim if the top is large.
    let topSize = chunksize(top) + size;
    st64(c + 8, topSize | PREV_INUSE);
    st64(S_TOP, c);
    maybeTrim();
    return;
  }
  let nextSize = chunksize(next);
  if ((ld64(next + nextSize + 8) & PREV_INUSE) == 0) {
    unlinkFree(next);
    size += nextSize;
    next = c + size;
    merged = true;
  }
  if (merged) st64(c + 8, size | PREV_INUSE); // set_head
  st64(c + 16, ld64(S_LARGE_FREE));
  st64(S_LARGE_FREE, c);
  if (ld64(S_LR_ALONE) != 0) st64(S_LR_ALONE, 0); // the unsorted bin holds another chunk now
  st64(next, size); // prev_size footer
  st64(next + 8, ld64(next + 8) & ~PREV_INUSE);
}

/** unlink_chunk: takes free chunk c off the large list (it is there: its next chunk's PREV_INUSE is clear). */
function unlinkFree(c: u64): void {
  let prevLink = S_LARGE_FREE;
  let f = ld64(prevLink);
  while (f != 0 && f != c && !failed()) {
    prevLink = f + 16;
    f = ld64(prevLink);
  }
  if (DEBUG) assert(f == c || failed());
  if (f == c) st64(prevLink, ld64(c + 16));
  // The last remainder merged into another chunk is no longer alone in unsorted as itself.
  if (c == ld64(S_LAST_REMAINDER) && ld64(S_LR_ALONE) != 0) st64(S_LR_ALONE, 0);
}

/** systrim: give back whole pages above top_pad when the top chunk exceeds the trim threshold. */
function maybeTrim(): void {
  let top = ld64(S_TOP);
  let topSize = chunksize(top);
  if (topSize < ld64(S_TRIM_THRESHOLD)) return;
  let extra = (topSize - DEFAULT_TOP_PAD - MINSIZE - 1) & ~PAGE_MASK;
  if (extra == 0 || extra > topSize) return;
  let mm = sys.mmOfPid(curPid);
  if (top + topSize != mm.brk) return;
  sys.brk(curPid, mm.brk - extra);
  st64(top + 8, (topSize - extra) | PREV_INUSE);
  st64(S_SYSTEM_MEM, ld64(S_SYSTEM_MEM) - extra);
}

/**
 * Is `mem` something malloc handed out and has not taken back? Used by the
 * checked free path; reads only pages the allocator itself wrote.
 */
export function libcOwns(mem: u64): bool {
  if ((mem & MALLOC_ALIGN_MASK) != 0 || mem < 16) return false;
  let c = mem - 16;
  let heap = ld64(S_HEAP_START);
  let top = ld64(S_TOP);
  if (!isBacked(c + 8)) return false;
  let head = ld64(c + 8);
  if (head & IS_MMAPPED) return (c & PAGE_MASK) == 0 && sys.isMapped(curPid, c);
  if (heap == 0 || c < heap || c >= top) return false;
  // In use: a small chunk is not on its exact-size list (tcache key) nor, split off a large chunk for
  // a small request, on the large list; a large one has the next chunk's PREV_INUSE set.
  let size = head & ~SIZE_BITS;
  if (size < MINSIZE || c + size > top) return false;
  if (size <= SMALL_MAX) {
    if (isBacked(c + 24) && ld64(c + 24) == 1) return false;
    for (let f = ld64(S_LARGE_FREE); f != 0; f = ld64(f + 16)) if (f == c) return false;
    return true;
  }
  return (ld64(c + size + 8) & PREV_INUSE) != 0;
}

/** free(mem) in the current process. */
export function libcFree(mem: u64): void {
  if (mem == 0) return;
  let c = mem - 16;
  let head = ld64(c + 8);
  let size = head & ~SIZE_BITS;
  if (head & IS_MMAPPED) {
    // Dynamic mmap threshold: a freed mmapped chunk raises it.
    if (size > ld64(S_MMAP_THRESHOLD) && size <= DEFAULT_MMAP_THRESHOLD_MAX) {
      st64(S_MMAP_THRESHOLD, size);
      st64(S_TRIM_THRESHOLD, size << 1);
    }
    st64(S_N_MMAPS, ld64(S_N_MMAPS) - 1);
    st64(S_MMAPPED_MEM, ld64(S_MMAPPED_MEM) - size);
    sys.munmap(curPid, c, size);
    return;
  }
  releaseChunk(c, size);
}

/** realloc(mem, n) in the current process. */
export function libcRealloc(mem: u64, n: u64): u64 {
  if (mem == 0) return libcMalloc(n);
  let nb = request2size(n);
  let c = mem - 16;
  let head = ld64(c + 8);
  let size = head & ~SIZE_BITS;
  if (head & IS_MMAPPED) {
    // mremap_chunk: the mapping moves or grows; its pages are not copied.
    let newSize = pageUp(nb + SIZE_SZ);
    if (newSize == size) return mem;
    let nm = sys.mremap(curPid, c, size, newSize);
    if (nm == 0) return 0;
    st64(nm + 8, newSize | IS_MMAPPED);
    st64(S_MMAPPED_MEM, ld64(S_MMAPPED_MEM) - size + newSize);
    return nm + 16;
  }
  if (nb <= size) {
    if (size - nb >= MINSIZE) {
      st64(c + 8, nb | (head & PREV_INUSE));
      let rem = c + nb;
      st64(rem + 8, (size - nb) | PREV_INUSE);
      releaseChunk(rem, size - nb);
    }
    return mem;
  }
  let next = c + size;
  let top = ld64(S_TOP);
  if (next == top) {
    let topSize = chunksize(top);
    if (size + topSize >= nb + MINSIZE) {
      // Expand forward into the top (L4849).
      st64(c + 8, nb | (head & PREV_INUSE));
      let rem = c + nb;
      st64(rem + 8, (size + topSize - nb) | PREV_INUSE);
      st64(S_TOP, rem);
      return mem;
    }
    // "Allocate, copy, free" (L4868): _int_malloc(nb) finds no bin chunk (large best fit first), then the
    // top is too small, so sysmalloc maps the request (nb ≥ mmap_threshold) or grows the heap by
    // nb + top_pad + MINSIZE - top and carves nb from the old top, which starts right after the chunk:
    // "Avoid copy if newp is next chunk after oldp" — the chunk becomes size + nb bytes and its surplus
    // (`size` bytes at c + nb) is freed, back into the top (or tcache when small). So the top ends up
    // about size + top_pad, and the next growths fit in it without a brk call.
    if (nb > SMALL_MAX || nb >= ld64(S_MMAP_THRESHOLD)) {
      let b = nb > SMALL_MAX ? takeLarge(nb) : 0;
      if (b == 0 && nb >= ld64(S_MMAP_THRESHOLD)) b = mmapChunk(nb) - 16;
      if (b != 0 && b != <u64>-16) {
        copyRange(b + 16, mem, size - SIZE_SZ);
        libcFree(mem);
        return b + 16;
      }
    }
    if (!growTop(nb)) return 0;
    top = ld64(S_TOP);
    topSize = chunksize(top);
    // Split nb off the top (newp == next), then merge it into the old chunk.
    st64(top + nb + 8, (topSize - nb) | PREV_INUSE);
    st64(S_TOP, top + nb);
    st64(c + 8, nb | (head & PREV_INUSE));
    let rem = c + nb;
    st64(rem + 8, size | PREV_INUSE);
    releaseChunk(rem, size);
    return mem;
  }
  // Expand forward into a free next chunk (L4856-4864), splitting off what is left over (L4900-4912).
  let nextSize = chunksize(next);
  if ((ld64(next + nextSize + 8) & PREV_INUSE) == 0 && size + nextSize >= nb) {
    unlinkFree(next);
    let newSize = size + nextSize;
    if (newSize - nb >= MINSIZE) {
      st64(c + 8, nb | (head & PREV_INUSE));
      let rem = c + nb;
      st64(rem + 8, (newSize - nb) | PREV_INUSE);
      // glibc sets the remainder's next PREV_INUSE before _int_free clears it again when it is not tcache'd.
      setPrevInuse(c + newSize);
      releaseChunk(rem, newSize - nb);
    } else {
      st64(c + 8, newSize | (head & PREV_INUSE));
      setPrevInuse(c + newSize);
    }
    return mem;
  }
  let fresh = libcMalloc(n);
  if (fresh == 0) return 0;
  copyRange(fresh, mem, size - SIZE_SZ);
  libcFree(mem);
  return fresh;
}

/**
 * calloc(n, 1): a fresh mmapped chunk is already zero (the kernel's pages);
 * a chunk from the heap is cleared, which writes its pages.
 */
export function libcCalloc(n: u64): u64 {
  let mem = libcMalloc(n);
  if (mem == 0) return 0;
  if ((ld64(mem - 8) & IS_MMAPPED) == 0) fillRange(mem, 0, libcUsableSize(mem));
  return mem;
}

/** The usable size of a chunk (malloc_usable_size). */
export function libcUsableSize(mem: u64): u64 {
  let head = ld64(mem - 8);
  let size = head & ~SIZE_BITS;
  return (head & IS_MMAPPED) ? size - 2 * SIZE_SZ : size - SIZE_SZ;
}

// --- the interpreter's start-up heap ---------------------------------------------------------------

/**
 * The brk heap a real interpreter has when a scenario starts (src/profiles/startup-heap.ts, measured per
 * version): set by the host, built by libcStartupHeap in each new interpreter process. The table is host
 * memory of (kind, a, b) u64 triples:
 *   kind 0: a chunk at offset a of size b that is free (bins or tcache): its header is written; the
 *           space between such chunks is covered by in-use chunks (the interpreter's own allocations);
 *   kind 1: put the chunk at offset a (size b) on its free list (tcache entries last to first, so the
 *           list head comes out first, as tcache's LIFO does);
 *   kind 2: pages a .. a+b-1 of the heap are resident (written).
 */
let suTable: usize = 0;
let suCount: i32 = 0;
let suBrkSize: u64 = 0;
let suTop: u64 = 0;
let suMmapThreshold: u64 = 0;
let suTrimThreshold: u64 = 0;
/** The recv buffer's chunk in the start-up heap being built (0: none). */
let suRecv: u64 = 0;
/** request2size(65,536 + the str/bytes header: 37 in 2.7, 33 in 3.x) = 65,584: the agent's recv(65536) buffer. */
// @ts-ignore: decorator
@inline const RECV_BUFFER_CHUNK: u64 = 65584;

export function configureStartupHeap(table: usize, n: i32, brkSize: u64, top: u64, mmapThreshold: u64, trimThreshold: u64): void {
  suTable = table;
  suCount = n;
  suBrkSize = brkSize;
  suTop = top;
  suMmapThreshold = mmapThreshold;
  suTrimThreshold = trimThreshold;
}

/** Builds the start-up heap in the current process (before any other malloc); false when brk fails. */
export function libcStartupHeap(): bool {
  if (suCount == 0 || suBrkSize == 0) return true;
  ensureInit();
  if (DEBUG) assert(ld64(S_TOP) == 0);
  let mm = sys.mmOfPid(curPid);
  let base = mm.brk;
  if (sys.brk(curPid, base + suBrkSize) != base + suBrkSize) return false;
  st64(S_HEAP_START, base);
  st64(S_SYSTEM_MEM, ld64(S_SYSTEM_MEM) + suBrkSize);
  // tcache_perthread_struct at the heap start, then chunk headers, in-use chunks over the gaps, the top.
  st64(base + 8, TCACHE_STRUCT_CHUNK | PREV_INUSE);
  st64(S_TCACHE, base + 16);
  let pos = TCACHE_STRUCT_CHUNK;
  for (let i = 0; i < suCount; i++) {
    let e = suTable + (<usize>i) * 24;
    if (load<u64>(e) != 0) continue;
    let off = load<u64>(e + 8);
    let size = load<u64>(e + 16);
    if (off > pos) st64(base + pos + 8, (off - pos) | PREV_INUSE);
    st64(base + off + 8, size | PREV_INUSE);
    pos = off + size;
  }
  // The agent's recv buffer: the in-use chunk just below the measured top (RECV_BUFFER_CHUNK).
  let recv: u64 = suTop >= pos + RECV_BUFFER_CHUNK ? suTop - RECV_BUFFER_CHUNK : 0;
  if (recv != 0) {
    if (recv > pos) st64(base + pos + 8, (recv - pos) | PREV_INUSE);
    st64(base + recv + 8, RECV_BUFFER_CHUNK | PREV_INUSE);
    suRecv = base + recv;
  } else if (suTop > pos) st64(base + pos + 8, (suTop - pos) | PREV_INUSE);
  st64(base + suTop + 8, (suBrkSize - suTop) | PREV_INUSE);
  st64(S_TOP, base + suTop);
  for (let i = 0; i < suCount; i++) {
    let e = suTable + (<usize>i) * 24;
    let kind = load<u64>(e);
    let a = load<u64>(e + 8);
    let b = load<u64>(e + 16);
    if (kind == 1) {
      releaseChunk(base + a, b);
    } else if (kind == 2) {
      for (let p = a; p < a + b; p++) {
        let addr = base + (p << 12); // measured 4 KiB pages, whatever the simulated page size
        st64(addr, ld64(addr));
      }
    }
  }
  return !failed();
}

/**
 * The dynamic thresholds as measured at the end of start-up (3.11's start-up frees a 163,840-byte mmapped
 * chunk, which raises them). Set after the interpreter's own start-up allocations: the arena map's nodes
 * (3.10+), callocated with the first arena, are mmapped in the real process, before that free.
 */
export function libcStartupThresholds(): void {
  if (suCount == 0) return;
  // The measurement saw the agent (src/real/agent.py) blocked in s.recv(65536), whose 65,536-byte str/bytes
  // buffer is the chunk just below the top (3.13: the last free chunk ends exactly there). While a step runs,
  // recv has returned and shrunk it with realloc, and _int_free merged the rest back into the top.
  if (suRecv != 0) {
    releaseChunk(suRecv, RECV_BUFFER_CHUNK);
    suRecv = 0;
  }
  if (suMmapThreshold > ld64(S_MMAP_THRESHOLD)) st64(S_MMAP_THRESHOLD, suMmapThreshold);
  if (suTrimThreshold > ld64(S_TRIM_THRESHOLD)) st64(S_TRIM_THRESHOLD, suTrimThreshold);
}
