/**
 * Physical memory: page frames and their descriptors (Linux's `struct page`,
 * reduced to what copy-on-write and /proc accounting need).
 *
 * Frames are taken from linear memory in chunks of FRAMES_PER_CHUNK, aligned
 * to the host's 4 KiB pages (a frame that straddled two host pages would make
 * every copy touch — and fault in — two of them); each chunk's descriptors
 * are a separate small array:
 *
 *   chunkDir[c] ──▶ ┌─────────┬─────────┬───┬───────────┐   (4 KiB-aligned)
 *                   │ frame 0 │ frame 1 │ … │ frame 255 │
 *                   └─────────┴─────────┴───┴───────────┘
 *   metaDir[c]  ──▶ meta[FRAMES_PER_CHUNK] (u32)
 *   meta:  bits 0..29  mapcount — page-table entries that map this frame
 *          bit  30     SHMEM    — belongs to a shared (MAP_SHARED) object
 *
 * A frame number is (chunk << FRAMES_PER_CHUNK_SHIFT) | index. Frame 0 is the
 * shared zero page: mapped read-only on the first read of an untouched
 * anonymous page, never written, never counted (vm_normal_page() returns NULL
 * for it, so smaps skips it). Free frames are kept on a LIFO list threaded
 * through their first word, so the most recently freed frame is reused first.
 */
import { DEBUG, Err, raise } from "../config";
import { bumpAlloc } from "./kmem";

// @ts-ignore: decorator
@inline export const FRAMES_PER_CHUNK_SHIFT: u32 = 8;
// @ts-ignore: decorator
@inline export const FRAMES_PER_CHUNK: u32 = 1 << FRAMES_PER_CHUNK_SHIFT;
// @ts-ignore: decorator
@inline const META_BYTES: usize = FRAMES_PER_CHUNK << 2;
// @ts-ignore: decorator
@inline const MAX_CHUNKS: u32 = 16384;
// @ts-ignore: decorator
@inline export const MAPCOUNT_MASK: u32 = (1 << 30) - 1;
// @ts-ignore: decorator
@inline export const FRAME_SHMEM: u32 = 1 << 30;
/** The shared zero page. */
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
/** Frame numbers handed out so far from fresh chunks (the next fresh one). */
let nextFresh: u32 = 0;
let freeHead: u32 = 0;
let numChunks: u32 = 0;
const chunkDir = memory.data(<i32>MAX_CHUNKS * 4);
const metaDir = memory.data(<i32>MAX_CHUNKS * 4);
// @ts-ignore: decorator
@inline const HOST_PAGE: usize = 4096;

export function framesInit(pageShift: u32, ramBytes: u64): void {
  PAGE_SHIFT = pageShift;
  PAGE_SIZE = <u64>1 << pageShift;
  PAGE_MASK = PAGE_SIZE - 1;
  ramFrames = <u32>min<u64>(ramBytes >> pageShift, <u64>MAPCOUNT_MASK);
  // Frame 0, the zero page, comes from the first chunk and is never handed out.
  nextFresh = 0;
  let zero = takeFresh();
  if (DEBUG) assert(zero == ZERO_FRAME);
}

function takeFresh(): u32 {
  let f = nextFresh;
  if ((f & (FRAMES_PER_CHUNK - 1)) == 0) {
    let chunk = f >> FRAMES_PER_CHUNK_SHIFT;
    if (chunk >= MAX_CHUNKS) {
      raise(Err.HOST_MEMORY, 0);
      return u32.MAX_VALUE;
    }
    let meta = bumpAlloc(META_BYTES);
    let base = bumpAlloc(<usize>FRAMES_PER_CHUNK << PAGE_SHIFT, HOST_PAGE);
    if (base == 0 || meta == 0) return u32.MAX_VALUE;
    store<u32>(chunkDir + (<usize>chunk << 2), <u32>base);
    store<u32>(metaDir + (<usize>chunk << 2), <u32>meta);
    numChunks = chunk + 1;
  }
  nextFresh = f + 1;
  return f;
}

// @ts-ignore: decorator
@inline function chunkBase(f: u32): usize {
  return <usize>load<u32>(chunkDir + (<usize>(f >> FRAMES_PER_CHUNK_SHIFT) << 2));
}

/** Linear-memory address of a frame's first byte. */
// @ts-ignore: decorator
@inline export function frameAddr(f: u32): usize {
  return chunkBase(f) + (<usize>(f & (FRAMES_PER_CHUNK - 1)) << PAGE_SHIFT);
}

// @ts-ignore: decorator
@inline function metaAddr(f: u32): usize {
  return <usize>load<u32>(metaDir + (<usize>(f >> FRAMES_PER_CHUNK_SHIFT) << 2)) + (<usize>(f & (FRAMES_PER_CHUNK - 1)) << 2);
}

// @ts-ignore: decorator
@inline export function mapcount(f: u32): u32 {
  return load<u32>(metaAddr(f)) & MAPCOUNT_MASK;
}

// @ts-ignore: decorator
@inline export function frameFlags(f: u32): u32 {
  return load<u32>(metaAddr(f)) & ~MAPCOUNT_MASK;
}

// @ts-ignore: decorator
@inline export function setFrameFlags(f: u32, flags: u32): void {
  let m = metaAddr(f);
  store<u32>(m, (load<u32>(m) & MAPCOUNT_MASK) | flags);
}

// @ts-ignore: decorator
@inline export function mapcountInc(f: u32): void {
  if (f == ZERO_FRAME) return;
  let m = metaAddr(f);
  store<u32>(m, load<u32>(m) + 1);
}

/** Drops one mapping; returns the mapcount left. */
// @ts-ignore: decorator
@inline export function mapcountDec(f: u32): u32 {
  if (f == ZERO_FRAME) return 1;
  let m = metaAddr(f);
  let v = load<u32>(m);
  if (DEBUG) assert((v & MAPCOUNT_MASK) > 0);
  store<u32>(m, v - 1);
  return (v - 1) & MAPCOUNT_MASK;
}

/**
 * A new frame with mapcount 0 and no flags, its contents undefined (callers
 * zero it or copy into it). u32.MAX_VALUE and an error when none can be had.
 */
export function allocFrame(): u32 {
  if (framesInUse >= ramFrames) {
    raise(Err.OOM, <u64>framesInUse << PAGE_SHIFT);
    return u32.MAX_VALUE;
  }
  let f = freeHead;
  if (f != 0) {
    freeHead = load<u32>(frameAddr(f));
  } else {
    f = takeFresh();
    if (f == u32.MAX_VALUE) return f;
  }
  store<u32>(metaAddr(f), 0);
  framesInUse++;
  return f;
}

export function freeFrame(f: u32): void {
  if (DEBUG) assert(f != ZERO_FRAME && mapcount(f) == 0);
  store<u32>(metaAddr(f), 0);
  store<u32>(frameAddr(f), freeHead);
  freeHead = f;
  framesInUse--;
}

export function framesUsed(): u32 {
  return framesInUse;
}

/** Frames ever taken from linear memory (the high-water mark of simulated RAM). */
export function framesReserved(): u32 {
  return nextFresh;
}
