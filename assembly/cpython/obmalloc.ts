/**
 * pymalloc, CPython's small-object allocator (Objects/obmalloc.c), with every
 * piece of its bookkeeping in simulated memory.
 *
 * An arena (256 KiB before 3.10, 1 MiB from 3.10 on 64-bit) is taken with mmap
 * and cut into pools (4 KiB, 16 KiB from 3.10); a pool serves blocks of one
 * size class. Requests of 1..SMALL_REQUEST_THRESHOLD bytes are rounded up to
 * a multiple of ALIGNMENT; the size class index is (nbytes - 1) >> ALIGNMENT_SHIFT
 * (a 28-byte request with 8-byte alignment is class 3, 32-byte blocks).
 *
 *   pool ┌──────────────────────┬───────┬───────┬─────┬───────────────────┐
 *        │ pool_header (48 B)   │ block │ block │ ... │ never carved yet  │
 *        └──────────────────────┴───────┴───────┴─────┴───────────────────┘
 *          ^ POOL_OVERHEAD                         ^ nextoffset ≤ maxnextoffset
 *
 * struct pool_header (64-bit):
 *   +0  ref.count      blocks in use (a uint in a pointer-sized union)
 *   +8  freeblock      head of the free list, kept *inside* the free blocks
 *   +16 nextpool       usedpools ring (or an arena's freepools list)
 *   +24 prevpool
 *   +32 arenaindex     index into arenas[]
 *   +36 szidx          size class; DUMMY_SIZE_IDX before first use
 *   +40 nextoffset     next never-carved block
 *   +44 maxnextoffset  last offset a block may start at
 *
 * usedpools[2*i], usedpools[2*i+1] are the nextpool/prevpool of a fake pool
 * header that starts two pointers before them (PTA(i)): an empty list points
 * to itself, so no test for NULL is needed on the fast path.
 *
 * struct arena_object (48 bytes), in an array taken with PyMem_RawRealloc
 * (glibc), 16 at first, doubling:
 *   +0 address  +8 pool_address  +16 nfreepools  +20 ntotalpools
 *   +24 freepools  +32 nextarena  +40 prevarena
 *
 * usable_arenas is kept sorted by nfreepools, fullest first, so nearly empty
 * arenas can drain and be unmapped; nfp2lasta[n] is the rightmost arena with
 * n free pools (3.8+), which makes re-sorting O(1).
 */
import { DEBUG, Err, raise, failed } from "../config";
import { ld32, st32, ld64, st64, copyRange, isBacked, curPid, wr } from "../kernel/memory";
import { PAGE_SIZE, PAGE_MASK } from "../kernel/frames";
import * as sys from "../kernel/syscalls";
import { OBMALLOC_STATE, ARENA_MAP_ROOT } from "./image";
import { libcMalloc, libcFree, libcRealloc, libcCalloc, libcOwns } from "./libc";

// --- version parameters (set by pymallocConfigure) -----------------------------
export let SMALL_REQUEST_THRESHOLD: u32 = 512;
export let ALIGNMENT_SHIFT: u32 = 4;
export let POOL_BITS: u32 = 14;
export let ARENA_BITS: u32 = 20;
export let POOL_OVERHEAD: u32 = 48;
/** 3.8+ (bpo-37257): a wholly free arena is kept if it is the last usable one. */
export let KEEP_LAST_EMPTY_ARENA: bool = true;
let POOL_SIZE: u64 = 1 << 14;
let ARENA_SIZE: u64 = 1 << 20;
let MAX_POOLS_IN_ARENA: u32 = 64;

// @ts-ignore: decorator
@inline const DUMMY_SIZE_IDX: u32 = 0xffff;
// @ts-ignore: decorator
@inline const INITIAL_ARENA_OBJECTS: u32 = 16;
// @ts-ignore: decorator
@inline const ARENA_OBJECT_SIZE: u64 = 48;

// pool_header fields
// @ts-ignore: decorator
@inline const P_COUNT: u64 = 0;
// @ts-ignore: decorator
@inline const P_FREEBLOCK: u64 = 8;
// @ts-ignore: decorator
@inline const P_NEXTPOOL: u64 = 16;
// @ts-ignore: decorator
@inline const P_PREVPOOL: u64 = 24;
// @ts-ignore: decorator
@inline const P_ARENAINDEX: u64 = 32;
// @ts-ignore: decorator
@inline const P_SZIDX: u64 = 36;
// @ts-ignore: decorator
@inline const P_NEXTOFFSET: u64 = 40;
// @ts-ignore: decorator
@inline const P_MAXNEXTOFFSET: u64 = 44;

// arena_object fields
// @ts-ignore: decorator
@inline const A_ADDRESS: u64 = 0;
// @ts-ignore: decorator
@inline const A_POOL_ADDRESS: u64 = 8;
// @ts-ignore: decorator
@inline const A_NFREEPOOLS: u64 = 16;
// @ts-ignore: decorator
@inline const A_NTOTALPOOLS: u64 = 20;
// @ts-ignore: decorator
@inline const A_FREEPOOLS: u64 = 24;
// @ts-ignore: decorator
@inline const A_NEXTARENA: u64 = 32;
// @ts-ignore: decorator
@inline const A_PREVARENA: u64 = 40;

// Globals, at OBMALLOC_STATE in the process's static data.
// @ts-ignore: decorator
@inline const G_USABLE_ARENAS: u64 = OBMALLOC_STATE + 0;
// @ts-ignore: decorator
@inline const G_UNUSED_ARENA_OBJECTS: u64 = OBMALLOC_STATE + 8;
// @ts-ignore: decorator
@inline const G_ARENAS: u64 = OBMALLOC_STATE + 16;
// @ts-ignore: decorator
@inline const G_MAXARENAS: u64 = OBMALLOC_STATE + 24;
// @ts-ignore: decorator
@inline const G_NARENAS_CURRENTLY_ALLOCATED: u64 = OBMALLOC_STATE + 32;
// @ts-ignore: decorator
@inline const G_NTIMES_ARENA_ALLOCATED: u64 = OBMALLOC_STATE + 40;
// @ts-ignore: decorator
@inline const G_NARENAS_HIGHWATER: u64 = OBMALLOC_STATE + 48;
// @ts-ignore: decorator
@inline const G_RAW_ALLOCATED_BLOCKS: u64 = OBMALLOC_STATE + 56;
// @ts-ignore: decorator
@inline const G_USEDPOOLS: u64 = OBMALLOC_STATE + 64;
/** usedpools has room for 2 * 64 pointers (512 / 8 size classes at most). */
// @ts-ignore: decorator
@inline const G_NFP2LASTA: u64 = G_USEDPOOLS + 2 * 64 * 8;
/** nfp2lasta has MAX_POOLS_IN_ARENA + 1 <= 65 entries. */
// @ts-ignore: decorator
@inline const G_ARENA_MAP_MID_COUNT: u64 = G_NFP2LASTA + 66 * 8;
// @ts-ignore: decorator
@inline const G_ARENA_MAP_BOT_COUNT: u64 = G_ARENA_MAP_MID_COUNT + 8;

/*
 * The arena map (3.10+, WITH_PYMALLOC_RADIX_TREE): a three-level radix tree
 * over addresses, one leaf entry per ARENA_SIZE-aligned address range, that
 * says which ranges an arena covers. It replaces reading `arenaindex` from a
 * would-be pool header in address_in_range. The root is static; mid and
 * bottom nodes are PyMem_RawCalloc'ed on first use (sizes: 3.10 8 KiB/2 KiB,
 * 3.11+ 256 KiB/128 KiB — big enough to be mmapped by glibc).
 *
 *   address: │ ignored │ top │ mid │ bot │ ARENA_BITS │
 *   bottom entry (arena_coverage_t): int32 tail_hi, int32 tail_lo
 */
let RADIX_TREE: bool = true;
let MAP_TOP_BITS: u32 = 15;
let MAP_MID_BITS: u32 = 15;
let MAP_BOT_BITS: u32 = 14;

/** The arena map's geometry: interiorBits = 0 turns it off (before 3.10). */
export function arenaMapConfigure(interiorBits: u32, botBits: u32): void {
  RADIX_TREE = interiorBits != 0;
  MAP_TOP_BITS = interiorBits;
  MAP_MID_BITS = interiorBits;
  MAP_BOT_BITS = botBits;
}

export function pymallocConfigure(threshold: u32, alignShift: u32, poolBits: u32, arenaBits: u32, poolOverhead: u32, keepLastEmpty: bool): bool {
  if (threshold < 8 || threshold > 512 || alignShift < 3 || alignShift > 4 || poolBits < 12 || poolBits > 16 ||
      arenaBits <= poolBits || arenaBits > 24 || poolOverhead < 48 || (threshold >> alignShift) > 64) {
    raise(Err.INVALID, <u64>threshold);
    return false;
  }
  SMALL_REQUEST_THRESHOLD = threshold;
  ALIGNMENT_SHIFT = alignShift;
  POOL_BITS = poolBits;
  ARENA_BITS = arenaBits;
  POOL_OVERHEAD = poolOverhead;
  KEEP_LAST_EMPTY_ARENA = keepLastEmpty;
  POOL_SIZE = <u64>1 << poolBits;
  ARENA_SIZE = <u64>1 << arenaBits;
  MAX_POOLS_IN_ARENA = <u32>(ARENA_SIZE / POOL_SIZE);
  return true;
}

export function numSizeClasses(): u32 {
  return SMALL_REQUEST_THRESHOLD >> ALIGNMENT_SHIFT;
}

export function poolSize(): u64 { return POOL_SIZE; }
export function arenaSize(): u64 { return ARENA_SIZE; }

// @ts-ignore: decorator
@inline function INDEX2SIZE(i: u32): u32 {
  return (i + 1) << ALIGNMENT_SHIFT;
}

/** PTA(x): the fake pool header whose nextpool/prevpool are usedpools[2x], usedpools[2x+1]. */
// @ts-ignore: decorator
@inline function PTA(x: u32): u64 {
  return G_USEDPOOLS + (<u64>x << 4) - 16;
}

// @ts-ignore: decorator
@inline function POOL_ADDR(p: u64): u64 {
  return p & ~(POOL_SIZE - 1);
}

// @ts-ignore: decorator
@inline function arenaObj(i: u32): u64 {
  return ld64(G_ARENAS) + <u64>i * ARENA_OBJECT_SIZE;
}

/**
 * The base address of every arena the current process has (arena_object.address != 0), written
 * as u64s at `out` (room for `max`); returns how many there are. Each spans ARENA_SIZE bytes.
 */
export function arenaBases(out: usize, max: u32): u32 {
  let arenas = ld64(G_ARENAS);
  if (arenas == 0) return 0;
  let n = <u32>ld64(G_MAXARENAS);
  let k: u32 = 0;
  for (let i: u32 = 0; i < n; i++) {
    let a = ld64(arenaObj(i) + A_ADDRESS);
    if (a == 0) continue;
    if (k < max) store<u64>(out + (<usize>k << 3), a);
    k++;
  }
  return k;
}

/** The static initialiser of usedpools (each list empty: pointing at its own fake header). */
export function pymallocInitState(): void {
  let n = numSizeClasses();
  for (let i: u32 = 0; i < n; i++) {
    let pta = PTA(i);
    st64(G_USEDPOOLS + (<u64>i << 4), pta);
    st64(G_USEDPOOLS + (<u64>i << 4) + 8, pta);
  }
}

// @ts-ignore: decorator
@inline function mapBotShift(): u32 { return ARENA_BITS; }
// @ts-ignore: decorator
@inline function mapMidShift(): u32 { return ARENA_BITS + MAP_BOT_BITS; }
// @ts-ignore: decorator
@inline function mapTopShift(): u32 { return ARENA_BITS + MAP_BOT_BITS + MAP_MID_BITS; }

/** arena_map_get: the bottom node covering p, created (calloc) on the way if asked; 0 if absent. */
function arenaMapGet(p: u64, create: bool): u64 {
  let slot1 = ARENA_MAP_ROOT + (((p >> mapTopShift()) & ((<u64>1 << MAP_TOP_BITS) - 1)) << 3);
  let mid = ld64(slot1);
  if (mid == 0) {
    if (!create) return 0;
    mid = libcCalloc(<u64>8 << MAP_MID_BITS);
    if (mid == 0) return 0;
    st64(slot1, mid);
    st64(G_ARENA_MAP_MID_COUNT, ld64(G_ARENA_MAP_MID_COUNT) + 1);
  }
  let slot2 = mid + (((p >> mapMidShift()) & ((<u64>1 << MAP_MID_BITS) - 1)) << 3);
  let bot = ld64(slot2);
  if (bot == 0) {
    if (!create) return 0;
    bot = libcCalloc(<u64>8 << MAP_BOT_BITS);
    if (bot == 0) return 0;
    st64(slot2, bot);
    st64(G_ARENA_MAP_BOT_COUNT, ld64(G_ARENA_MAP_BOT_COUNT) + 1);
  }
  return bot;
}

// @ts-ignore: decorator
@inline function mapBotEntry(bot: u64, p: u64): u64 {
  return bot + (((p >> mapBotShift()) & ((<u64>1 << MAP_BOT_BITS) - 1)) << 3);
}

/** arena_map_mark_used: an arena not aligned to ARENA_SIZE covers two bottom entries (tail_hi, then tail_lo of the next). */
function arenaMapMarkUsed(base: u64, used: bool): bool {
  let hi = arenaMapGet(base, true);
  if (hi == 0) return false;
  let tail = <u32>(base & (ARENA_SIZE - 1));
  if (tail == 0) {
    st32(mapBotEntry(hi, base), used ? 0xFFFFFFFF : 0);
    return true;
  }
  st32(mapBotEntry(hi, base), used ? tail : 0);
  let next = base + ARENA_SIZE;
  let lo = arenaMapGet(next, used);
  if (lo == 0) {
    st32(mapBotEntry(hi, base), 0);
    return false;
  }
  st32(mapBotEntry(lo, next) + 4, used ? tail : 0);
  return true;
}

/** arena_map_is_used. */
function arenaMapIsUsed(p: u64): bool {
  let bot = arenaMapGet(p, false);
  if (bot == 0) return false;
  let e = mapBotEntry(bot, p);
  let hi = <i32>ld32(e);
  let lo = <i32>ld32(e + 4);
  let tail = <i32>(p & (ARENA_SIZE - 1));
  return tail < lo || (tail >= hi && hi != 0);
}

// --- allocation ---------------------------------------------------------------

/** _PyObject_Malloc: pymalloc for small requests, the C library for the rest. */
export function pyObjectMalloc(nbytes: u64): u64 {
  if (nbytes - 1 < <u64>SMALL_REQUEST_THRESHOLD) {
    let p = pymallocAlloc(<u32>nbytes);
    if (p != 0) return p;
  }
  // _PyMem_RawMalloc: malloc(0) is made malloc(1).
  let p = libcMalloc(nbytes == 0 ? 1 : nbytes);
  if (p != 0) st64(G_RAW_ALLOCATED_BLOCKS, ld64(G_RAW_ALLOCATED_BLOCKS) + 1);
  return p;
}

/**
 * pymalloc_alloc: 1 <= nbytes <= SMALL_REQUEST_THRESHOLD. The pool header's
 * fields share one page, so it is translated once (a write access: ref.count
 * and freeblock are written) and used as raw linear memory.
 */
// @ts-ignore: decorator
@inline function pymallocAlloc(nbytes: u32): u64 {
  let size = (nbytes - 1) >> ALIGNMENT_SHIFT;
  let pool = ld64(G_USEDPOOLS + (<u64>size << 4));
  if (pool != ld64(pool + P_NEXTPOOL)) {
    // There is a used pool for this size class: take its first free block.
    let h = wr(pool);
    store<u32>(h + <usize>P_COUNT, load<u32>(h + <usize>P_COUNT) + 1);
    let bp = load<u64>(h + <usize>P_FREEBLOCK);
    if (DEBUG && !failed()) assert(bp != 0);
    let next = ld64(bp);
    store<u64>(h + <usize>P_FREEBLOCK, next);
    if (next == 0) {
      // pymalloc_pool_extend: carve the next never-used block, or unlink a full pool.
      let nextoffset = load<u32>(h + <usize>P_NEXTOFFSET);
      if (nextoffset <= load<u32>(h + <usize>P_MAXNEXTOFFSET)) {
        let fb = pool + <u64>nextoffset;
        store<u64>(h + <usize>P_FREEBLOCK, fb);
        store<u32>(h + <usize>P_NEXTOFFSET, nextoffset + INDEX2SIZE(size));
        st64(fb, 0); // *(block **)(pool->freeblock) = NULL
      } else {
        unlinkFullPool(pool);
      }
    }
    return bp;
  }
  return allocateFromNewPool(size);
}

// --- runs of carved blocks -------------------------------------------------------------

/*
 * A caller that makes many objects of one size in a row (list(range(n))) can
 * take a run of blocks at once, where that is exactly what as many
 * pymalloc_alloc calls would do. While a pool is being carved, its free list
 * is just the last block carved (its first word set to NULL), so each
 * allocation hands out that block and carves the next one: count + 1,
 * freeblock = pool + nextoffset, nextoffset + size, *(block **)freeblock = NULL.
 * k of them are the same header update by k blocks and k NULL words.
 *
 * Faults must be taken as item-by-item allocation takes them, so a run is
 * only taken right after an ordinary allocation carved a block of the same
 * pool (pymallocMarkPool before it, pymallocCarveRun after): that carve wrote
 * the pool header and the page of the pool's next block, so the run's writes,
 * kept to that page, cannot fault.
 */
let markPool: u64 = 0;
let markNextoffset: u32 = 0;
/** How many blocks the last pymallocCarveRun handed out. */
export let carvedBlocks: u64 = 0;

/** Notes the pool nbytes' size class allocates from now and its nextoffset (reads of present pages only). */
export function pymallocMarkPool(nbytes: u32): void {
  let size = (nbytes - 1) >> ALIGNMENT_SHIFT;
  let pool = ld64(G_USEDPOOLS + (<u64>size << 4));
  markPool = pool != PTA(size) ? pool : 0;
  markNextoffset = markPool != 0 ? ld32(pool + P_NEXTOFFSET) : 0;
}

/**
 * Up to `max` pymalloc_alloc(nbytes) at once, when the only change to the
 * size class's pool since pymallocMarkPool was one allocation that carved a
 * block (nextoffset one block further, freeblock that block), and while each
 * allocation still carves (the pool does not fill) within the page of the
 * first block. Returns the first block (the others follow it, `carvedBlocks`
 * in all), or 0 when no run can be taken (nothing changed then).
 */
export function pymallocCarveRun(nbytes: u32, max: u64): u64 {
  carvedBlocks = 0;
  let size = (nbytes - 1) >> ALIGNMENT_SHIFT;
  let pool = ld64(G_USEDPOOLS + (<u64>size << 4));
  if (pool != markPool || pool == 0 || max == 0) return 0;
  let h = wr(pool); // written by the carve: no fault
  let bsize = <u64>INDEX2SIZE(size);
  let nextoffset = load<u32>(h + <usize>P_NEXTOFFSET);
  if (<u64>nextoffset != <u64>markNextoffset + bsize) return 0;
  let fb = pool + <u64>nextoffset - bsize;
  if (load<u64>(h + <usize>P_FREEBLOCK) != fb) return 0;
  let maxnextoffset = load<u32>(h + <usize>P_MAXNEXTOFFSET);
  if (nextoffset > maxnextoffset) return 0;
  // Allocation j hands out fb + j*bsize and carves (NULLs) the block after it.
  let k = min<u64>(max, <u64>(maxnextoffset - nextoffset) / bsize + 1);
  let room = PAGE_SIZE - (fb & PAGE_MASK);
  if (room < bsize + 8) return 0;
  k = min<u64>(k, (room - 8) / bsize);
  let p = wr(fb); // written by the carve: no fault
  if (DEBUG) assert(load<u64>(p) == 0);
  for (let j: u64 = 1; j <= k; j++) store<u64>(p + <usize>(j * bsize), 0);
  store<u32>(h + <usize>P_COUNT, load<u32>(h + <usize>P_COUNT) + <u32>k);
  store<u64>(h + <usize>P_FREEBLOCK, fb + k * bsize);
  store<u32>(h + <usize>P_NEXTOFFSET, nextoffset + <u32>(k * bsize));
  carvedBlocks = k;
  return fb;
}

/**
 * How many blocks of `bsize` bytes the pool at `pool` holds, if it is full
 * (every block handed out: ref.count at the pool's capacity, no free block,
 * nothing left to carve); 0 otherwise. Reads the header only.
 */
export function fullPoolBlocks(pool: u64, bsize: u64): u32 {
  let nb = <u32>((POOL_SIZE - <u64>POOL_OVERHEAD) / bsize);
  if (ld32(pool + P_COUNT) != nb || ld64(pool + P_FREEBLOCK) != 0) return 0;
  if (ld32(pool + P_NEXTOFFSET) <= ld32(pool + P_MAXNEXTOFFSET)) return 0;
  return nb;
}

/** A pool with no free block left leaves its usedpools ring. */
function unlinkFullPool(pool: u64): void {
  let next = ld64(pool + P_NEXTPOOL);
  let prev = ld64(pool + P_PREVPOOL);
  st64(next + P_PREVPOOL, prev);
  st64(prev + P_NEXTPOOL, next);
}

/**
 * The pool the last new pool was, if it was carved off an arena's never-used
 * space (arenas are fresh mappings: every byte of it was zero until this
 * pool's first allocation); 0 if it came from an arena's free pools.
 */
export let lastFreshPool: u64 = 0;

function allocateFromNewPool(size: u32): u64 {
  let ua = ld64(G_USABLE_ARENAS);
  if (ua == 0) {
    ua = newArena();
    if (ua == 0) return 0;
    st64(G_USABLE_ARENAS, ua);
    st64(ua + A_NEXTARENA, 0);
    st64(ua + A_PREVARENA, 0);
    let nfp = ld32(ua + A_NFREEPOOLS);
    if (DEBUG && !failed()) assert(ld64(G_NFP2LASTA + (<u64>nfp << 3)) == 0);
    st64(G_NFP2LASTA + (<u64>nfp << 3), ua);
  }
  let nfp = ld32(ua + A_NFREEPOOLS);
  if (DEBUG && !failed()) assert(nfp > 0);
  if (ld64(G_NFP2LASTA + (<u64>nfp << 3)) == ua) st64(G_NFP2LASTA + (<u64>nfp << 3), 0);
  if (nfp > 1) {
    if (DEBUG && !failed()) assert(ld64(G_NFP2LASTA + (<u64>(nfp - 1) << 3)) == 0);
    st64(G_NFP2LASTA + (<u64>(nfp - 1) << 3), ua);
  }

  let pool = ld64(ua + A_FREEPOOLS);
  if (pool != 0) {
    // A cached free pool: unlink it.
    st64(ua + A_FREEPOOLS, ld64(pool + P_NEXTPOOL));
    st32(ua + A_NFREEPOOLS, nfp - 1);
    if (nfp - 1 == 0) unlinkFullArena(ua);
    lastFreshPool = 0;
  } else {
    // Carve a new pool off the arena.
    pool = ld64(ua + A_POOL_ADDRESS);
    if (DEBUG && !failed()) assert(pool <= ld64(ua + A_ADDRESS) + ARENA_SIZE - POOL_SIZE);
    st32(pool + P_ARENAINDEX, <u32>((ua - ld64(G_ARENAS)) / ARENA_OBJECT_SIZE));
    st32(pool + P_SZIDX, DUMMY_SIZE_IDX);
    st64(ua + A_POOL_ADDRESS, pool + POOL_SIZE);
    st32(ua + A_NFREEPOOLS, nfp - 1);
    if (nfp - 1 == 0) unlinkFullArena(ua);
    lastFreshPool = pool;
  }

  // Frontlink to used pools.
  let next = ld64(G_USEDPOOLS + (<u64>size << 4)); // == prev: the list is empty
  st64(pool + P_NEXTPOOL, next);
  st64(pool + P_PREVPOOL, next);
  st64(next + P_NEXTPOOL, pool);
  st64(next + P_PREVPOOL, pool);
  st32(pool + P_COUNT, 1);
  if (ld32(pool + P_SZIDX) == size) {
    // This pool last held blocks of this size class: header and free list are ready.
    let bp = ld64(pool + P_FREEBLOCK);
    if (DEBUG && !failed()) assert(bp != 0);
    st64(pool + P_FREEBLOCK, ld64(bp));
    return bp;
  }
  // Initialise the pool: the first block is returned, the second starts the free list.
  st32(pool + P_SZIDX, size);
  let bsize = INDEX2SIZE(size);
  let bp = pool + <u64>POOL_OVERHEAD;
  st32(pool + P_NEXTOFFSET, POOL_OVERHEAD + (bsize << 1));
  st32(pool + P_MAXNEXTOFFSET, <u32>POOL_SIZE - bsize);
  let fb = bp + <u64>bsize;
  st64(pool + P_FREEBLOCK, fb);
  st64(fb, 0);
  return bp;
}

/** The arena has no free pool left: take it off usable_arenas. */
function unlinkFullArena(ua: u64): void {
  let next = ld64(ua + A_NEXTARENA);
  st64(G_USABLE_ARENAS, next);
  if (next != 0) st64(next + A_PREVARENA, 0);
}

/** new_arena: an arena_object (growing the array if needed) and ARENA_SIZE bytes from mmap. */
function newArena(): u64 {
  if (ld64(G_UNUSED_ARENA_OBJECTS) == 0) {
    let maxarenas = ld32(G_MAXARENAS);
    let numarenas = maxarenas != 0 ? maxarenas << 1 : INITIAL_ARENA_OBJECTS;
    if (numarenas <= maxarenas) return 0;
    let arenas = libcRealloc(ld64(G_ARENAS), <u64>numarenas * ARENA_OBJECT_SIZE);
    if (arenas == 0) return 0;
    st64(G_ARENAS, arenas);
    for (let i = maxarenas; i < numarenas; i++) {
      let ao = arenas + <u64>i * ARENA_OBJECT_SIZE;
      st64(ao + A_ADDRESS, 0);
      st64(ao + A_NEXTARENA, i < numarenas - 1 ? ao + ARENA_OBJECT_SIZE : 0);
    }
    st64(G_UNUSED_ARENA_OBJECTS, arenas + <u64>maxarenas * ARENA_OBJECT_SIZE);
    st32(G_MAXARENAS, numarenas);
  }
  let ao = ld64(G_UNUSED_ARENA_OBJECTS);
  st64(G_UNUSED_ARENA_OBJECTS, ld64(ao + A_NEXTARENA));
  let address = sys.mmap(curPid, ARENA_SIZE, false);
  if (address == 0) {
    st64(ao + A_NEXTARENA, ld64(G_UNUSED_ARENA_OBJECTS));
    st64(G_UNUSED_ARENA_OBJECTS, ao);
    return 0;
  }
  if (RADIX_TREE && !arenaMapMarkUsed(address, true)) {
    sys.munmap(curPid, address, ARENA_SIZE);
    st64(ao + A_NEXTARENA, ld64(G_UNUSED_ARENA_OBJECTS));
    st64(G_UNUSED_ARENA_OBJECTS, ao);
    return 0;
  }
  st64(ao + A_ADDRESS, address);
  let cur = ld64(G_NARENAS_CURRENTLY_ALLOCATED) + 1;
  st64(G_NARENAS_CURRENTLY_ALLOCATED, cur);
  st64(G_NTIMES_ARENA_ALLOCATED, ld64(G_NTIMES_ARENA_ALLOCATED) + 1);
  if (cur > ld64(G_NARENAS_HIGHWATER)) st64(G_NARENAS_HIGHWATER, cur);
  st64(ao + A_FREEPOOLS, 0);
  // pool_address: the first pool-aligned address; one pool is lost if the arena is not aligned.
  let poolAddress = address;
  let nfreepools = MAX_POOLS_IN_ARENA;
  let excess = address & (POOL_SIZE - 1);
  if (excess != 0) {
    nfreepools--;
    poolAddress += POOL_SIZE - excess;
  }
  st64(ao + A_POOL_ADDRESS, poolAddress);
  st32(ao + A_NFREEPOOLS, nfreepools);
  st32(ao + A_NTOTALPOOLS, nfreepools);
  return ao;
}

// --- free -----------------------------------------------------------------------

/**
 * address_in_range: did pymalloc hand out `p`? 3.10+ asks the arena map;
 * before, it reads the would-be pool header's arenaindex (a 4 KiB pool is
 * in p's own page, so the read is always of mapped memory).
 */
// @ts-ignore: decorator
@inline function addressInRange(p: u64, pool: u64): bool {
  if (RADIX_TREE) return arenaMapIsUsed(p);
  let arenaindex = ld32(pool + P_ARENAINDEX);
  if (arenaindex >= ld32(G_MAXARENAS)) return false;
  let base = ld64(arenaObj(arenaindex) + A_ADDRESS);
  return p - base < ARENA_SIZE && base != 0;
}

/** _PyObject_Free. */
export function pyObjectFree(p: u64): void {
  if (p == 0) return;
  let pool = POOL_ADDR(p);
  if (!addressInRange(p, pool)) {
    st64(G_RAW_ALLOCATED_BLOCKS, ld64(G_RAW_ALLOCATED_BLOCKS) - 1);
    libcFree(p);
    return;
  }
  pymallocFree(p, pool);
}

function pymallocFree(p: u64, pool: u64): void {
  if (DEBUG && !failed()) assert(ld32(pool + P_COUNT) > 0);
  let lastfree = ld64(pool + P_FREEBLOCK);
  st64(p, lastfree);
  st64(pool + P_FREEBLOCK, p);
  let count = ld32(pool + P_COUNT) - 1;
  st32(pool + P_COUNT, count);
  if (lastfree == 0) {
    // The pool was full: link it to the front of its usedpools list.
    insertToUsedpool(pool);
    return;
  }
  if (count != 0) return;
  insertToFreepool(pool);
}

function insertToUsedpool(pool: u64): void {
  let size = ld32(pool + P_SZIDX);
  let next = ld64(G_USEDPOOLS + (<u64>size << 4));
  let prev = ld64(next + P_PREVPOOL);
  st64(pool + P_NEXTPOOL, next);
  st64(pool + P_PREVPOOL, prev);
  st64(next + P_PREVPOOL, pool);
  st64(prev + P_NEXTPOOL, pool);
}

/** The pool became empty: move it to its arena's freepools and keep usable_arenas sorted. */
function insertToFreepool(pool: u64): void {
  let next = ld64(pool + P_NEXTPOOL);
  let prev = ld64(pool + P_PREVPOOL);
  st64(next + P_PREVPOOL, prev);
  st64(prev + P_NEXTPOOL, next);

  let ao = arenaObj(ld32(pool + P_ARENAINDEX));
  st64(pool + P_NEXTPOOL, ld64(ao + A_FREEPOOLS));
  st64(ao + A_FREEPOOLS, pool);
  let nf = ld32(ao + A_NFREEPOOLS);
  let lastnf = ld64(G_NFP2LASTA + (<u64>nf << 3));
  if (lastnf == ao) {
    let p = ld64(ao + A_PREVARENA);
    st64(G_NFP2LASTA + (<u64>nf << 3), p != 0 && ld32(p + A_NFREEPOOLS) == nf ? p : 0);
  }
  nf++;
  st32(ao + A_NFREEPOOLS, nf);

  let aoNext = ld64(ao + A_NEXTARENA);
  if (nf == ld32(ao + A_NTOTALPOOLS) && (!KEEP_LAST_EMPTY_ARENA || aoNext != 0)) {
    // Case 1: the arena is wholly free: unlink it and give it back to the OS.
    let aoPrev = ld64(ao + A_PREVARENA);
    if (aoPrev == 0) st64(G_USABLE_ARENAS, aoNext);
    else st64(aoPrev + A_NEXTARENA, aoNext);
    if (aoNext != 0) st64(aoNext + A_PREVARENA, aoPrev);
    if (!KEEP_LAST_EMPTY_ARENA && ld64(G_NFP2LASTA + (<u64>nf << 3)) == ao) {
      // Before 3.8 there is no nfp2lasta; keep ours consistent.
      st64(G_NFP2LASTA + (<u64>nf << 3), aoPrev != 0 && ld32(aoPrev + A_NFREEPOOLS) == nf ? aoPrev : 0);
    }
    st64(ao + A_NEXTARENA, ld64(G_UNUSED_ARENA_OBJECTS));
    st64(G_UNUSED_ARENA_OBJECTS, ao);
    if (RADIX_TREE) arenaMapMarkUsed(ld64(ao + A_ADDRESS), false);
    sys.munmap(curPid, ld64(ao + A_ADDRESS), ARENA_SIZE);
    st64(ao + A_ADDRESS, 0);
    st64(G_NARENAS_CURRENTLY_ALLOCATED, ld64(G_NARENAS_CURRENTLY_ALLOCATED) - 1);
    return;
  }
  if (nf == 1) {
    // Case 2: the arena was full; put it at the head of usable_arenas.
    let ua = ld64(G_USABLE_ARENAS);
    st64(ao + A_NEXTARENA, ua);
    st64(ao + A_PREVARENA, 0);
    if (ua != 0) st64(ua + A_PREVARENA, ao);
    st64(G_USABLE_ARENAS, ao);
    if (ld64(G_NFP2LASTA + 8) == 0) st64(G_NFP2LASTA + 8, ao);
    return;
  }
  if (ld64(G_NFP2LASTA + (<u64>nf << 3)) == 0) st64(G_NFP2LASTA + (<u64>nf << 3), ao);
  if (ao == lastnf) return; // Case 4: still in order.
  // Case 3: slide the arena right, to just after lastnf.
  if (DEBUG && !failed()) assert(aoNext != 0 && lastnf != 0);
  let aoPrev = ld64(ao + A_PREVARENA);
  if (aoPrev != 0) st64(aoPrev + A_NEXTARENA, aoNext);
  else st64(G_USABLE_ARENAS, aoNext);
  st64(aoNext + A_PREVARENA, aoPrev);
  st64(ao + A_PREVARENA, lastnf);
  let after = ld64(lastnf + A_NEXTARENA);
  st64(ao + A_NEXTARENA, after);
  if (after != 0) st64(after + A_PREVARENA, ao);
  st64(lastnf + A_NEXTARENA, ao);
}

// --- realloc ----------------------------------------------------------------------

/** _PyObject_Realloc. */
export function pyObjectRealloc(p: u64, nbytes: u64): u64 {
  if (p == 0) return pyObjectMalloc(nbytes);
  let pool = POOL_ADDR(p);
  if (!addressInRange(p, pool)) {
    // Not ours: the C library's realloc (which also takes care of growing it).
    return libcRealloc(p, nbytes == 0 ? 1 : nbytes);
  }
  let size = <u64>INDEX2SIZE(ld32(pool + P_SZIDX));
  if (nbytes <= size) {
    // Shrinking to more than 3/4 of the block, or the same: stay.
    if (4 * nbytes > 3 * size) return p;
    size = nbytes;
  }
  let bp = pyObjectMalloc(nbytes);
  if (bp != 0) {
    copyRange(bp, p, size);
    pyObjectFree(p);
  }
  return bp;
}

// --- checks for the host API ----------------------------------------------------------

/**
 * What free(p) would do to a pointer: 0 = a live pymalloc block, 1 = a live
 * C-library chunk, -1 = a pymalloc block that is already free,
 * -2 = a pointer nobody handed out. Reads only memory the allocators wrote.
 */
export function classifyPointer(p: u64): i32 {
  if (p == 0) return -2;
  let pool = POOL_ADDR(p);
  if (RADIX_TREE ? arenaMapIsUsed(p) : isBacked(pool) && ld32(G_MAXARENAS) != 0) {
    let arenaindex = ld32(pool + P_ARENAINDEX);
    if (arenaindex < ld32(G_MAXARENAS)) {
      let base = ld64(arenaObj(arenaindex) + A_ADDRESS);
      if (base != 0 && p - base < ARENA_SIZE) {
        let szidx = ld32(pool + P_SZIDX);
        if (szidx >= numSizeClasses()) return -2;
        let bsize = <u64>INDEX2SIZE(szidx);
        let off = p - pool;
        if (off < <u64>POOL_OVERHEAD || (off - POOL_OVERHEAD) % bsize != 0 || off >= <u64>ld32(pool + P_NEXTOFFSET)) return -2;
        if (ld32(pool + P_COUNT) == 0) return -1;
        // On the pool's free list? (walk it: at most POOL_SIZE / 16 blocks)
        let fb = ld64(pool + P_FREEBLOCK);
        while (fb != 0) {
          if (fb == p) return -1;
          fb = ld64(fb);
        }
        return 0;
      }
    }
  }
  return libcOwns(p) ? 1 : -2;
}

/** The block size pymalloc gave `p` (0 if it is not a pymalloc block). */
export function pymallocBlockSize(p: u64): u64 {
  let pool = POOL_ADDR(p);
  if (!addressInRange(p, pool)) return 0;
  return <u64>INDEX2SIZE(ld32(pool + P_SZIDX));
}

// --- statistics (sys._debugmallocstats) -----------------------------------------------------

export function statUsableArenas(): u64 { return ld64(G_USABLE_ARENAS); }
export function statMaxArenas(): u32 { return ld32(G_MAXARENAS); }
export function statArenas(): u64 { return ld64(G_ARENAS); }
export function statNtimesArenaAllocated(): u64 { return ld64(G_NTIMES_ARENA_ALLOCATED); }
export function statNarenasHighwater(): u64 { return ld64(G_NARENAS_HIGHWATER); }
export function statNarenasCurrentlyAllocated(): u64 { return ld64(G_NARENAS_CURRENTLY_ALLOCATED); }

/*
 * _PyObject_DebugMallocStats's walk (pymalloc_print_stats): every allocated
 * arena in arenas[] order, every carved pool; pools with ref.count == 0 are
 * on a freepools list and not counted. Results go to `mallocStats`:
 *
 *   u64[0..63]     numpools per size class
 *   u64[64..127]   numblocks (in use) per size class
 *   u64[128..191]  numfreeblocks per size class (free + never carved)
 *   u64[192]       narenas (allocated now)   u64[193] ntimes_arena_allocated
 *   u64[194]       narenas_highwater         u64[195] unused pools (Σ nfreepools)
 *   u64[196]       arenas not pool-aligned   (POOL_SIZE lost to alignment each)
 *   u64[197]       arena map mid nodes       u64[198] arena map bottom nodes
 */
// @ts-ignore: decorator
@inline export const STATS_WORDS: i32 = 200;
export const mallocStats = memory.data(STATS_WORDS * 8);

export function collectMallocStats(): void {
  memory.fill(mallocStats, 0, <usize>STATS_WORDS * 8);
  let maxarenas = ld32(G_MAXARENAS);
  let narenas: u64 = 0;
  let unused: u64 = 0;
  let misaligned: u64 = 0;
  for (let i: u32 = 0; i < maxarenas; i++) {
    let ao = arenaObj(i);
    let base = ld64(ao + A_ADDRESS);
    if (base == 0) continue;
    narenas++;
    unused += <u64>ld32(ao + A_NFREEPOOLS);
    let pool = base;
    if ((base & (POOL_SIZE - 1)) != 0) {
      misaligned++;
      pool = (base + POOL_SIZE) & ~(POOL_SIZE - 1);
    }
    let end = ld64(ao + A_POOL_ADDRESS);
    for (; pool < end; pool += POOL_SIZE) {
      let count = ld32(pool + P_COUNT);
      if (count == 0) continue;
      let sz = ld32(pool + P_SZIDX);
      let nblocks = (<u64>POOL_SIZE - POOL_OVERHEAD) / <u64>INDEX2SIZE(sz);
      statAdd(sz, 1);
      statAdd(64 + sz, <u64>count);
      statAdd(128 + sz, nblocks - <u64>count);
    }
  }
  store<u64>(mallocStats + 192 * 8, narenas);
  store<u64>(mallocStats + 193 * 8, ld64(G_NTIMES_ARENA_ALLOCATED));
  store<u64>(mallocStats + 194 * 8, ld64(G_NARENAS_HIGHWATER));
  store<u64>(mallocStats + 195 * 8, unused);
  store<u64>(mallocStats + 196 * 8, misaligned);
  store<u64>(mallocStats + 197 * 8, ld64(G_ARENA_MAP_MID_COUNT));
  store<u64>(mallocStats + 198 * 8, ld64(G_ARENA_MAP_BOT_COUNT));
}

// @ts-ignore: decorator
@inline function statAdd(word: u32, v: u64): void {
  let p = mallocStats + (<usize>word << 3);
  store<u64>(p, load<u64>(p) + v);
}
