/**
 * Pages whose bytes are described, not stored.
 *
 * A process that builds a long run of like objects (list(range(n)): pool after
 * pool of ints, and the list's slots pointing at them) fills page after page
 * whose bytes follow one law: a *period* of bytes repeats, and a few regularly
 * spaced *lanes* in it count up by the same amount from one period to the next.
 * Such a page need not keep a host page of its own: once written (and as long
 * as nobody writes it again), its bytes are page `i` of a record
 *
 *   run offset x (bytes from the run's base address) ──▶ period n = x / P, byte off = x % P
 *
 *   template T (P bytes: period 0, copied from memory when the record is made)
 *   ┌──────────────────────────────────────────────────────────────┐
 *   │ ... │lane 0│ ... │lane 1│ ...          ... │lane count-1│ ... │
 *   └──────────────────────────────────────────────────────────────┘
 *          ▲ laneFirst  ◀─ laneStride ─▶              (each laneWidth bytes, 4 or 8)
 *
 *   byte x = T[off], except in a lane: lane value = T's lane + n * laneInc (modulo 2^(8*width))
 *
 * For the ints of a run of full pymalloc pools, P is the pool size and the
 * lanes are the ints' digits (the pool header, refcounts, types and sizes are
 * the same in every pool of an arena); for the list's slots, P is one pool's
 * worth of pointers and the lanes are the pointers (each pool lies POOL_SIZE
 * after the previous). The kernel knows nothing of either: the caller hands it
 * a template read from memory and the law, and says which written pages now
 * follow it (memory.ts describePage, which checks it in debug builds).
 *
 * What the simulated kernel sees does not change: such a page is still a
 * frame, counted, mapped and copied on write like any other; only where its
 * bytes live does (frames.ts: a *lazy slot* names the record and the page).
 * Reading it generates the bytes into a small cache of host pages; writing it
 * gives it a host slot of its own again, filled from the record.
 *
 * Record layout (kmem, 48 bytes; a record is named by its linear address):
 *   +0  u32 period P           +4  u32 base & PAGE_MASK (page 0 starts -that bytes into the run)
 *   +8  u32 template address   +12 u32 laneFirst
 *   +16 u32 laneStride         +20 u32 laneCount
 *   +24 u32 laneWidth          +28 u32 (unused)
 *   +32 u64 laneInc            +40 u64 run length described so far (bytes)
 */
import { DEBUG } from "../config";
import { bumpAlloc } from "./kmem";
import { PAGE_SIZE, PAGE_MASK, PAGE_SHIFT } from "./frames";

// @ts-ignore: decorator
@inline const R_PERIOD: usize = 0;
// @ts-ignore: decorator
@inline const R_BASE_OFF: usize = 4;
// @ts-ignore: decorator
@inline const R_TEMPLATE: usize = 8;
// @ts-ignore: decorator
@inline const R_LANE_FIRST: usize = 12;
// @ts-ignore: decorator
@inline const R_LANE_STRIDE: usize = 16;
// @ts-ignore: decorator
@inline const R_LANE_COUNT: usize = 20;
// @ts-ignore: decorator
@inline const R_LANE_WIDTH: usize = 24;
// @ts-ignore: decorator
@inline const R_LANE_INC: usize = 32;
// @ts-ignore: decorator
@inline const R_LENGTH: usize = 40;
// @ts-ignore: decorator
@inline const RECORD_BYTES: usize = 48;

/**
 * A record whose run starts at virtual address `base`, with the `period`
 * bytes at linear address `template` (copied) as period 0 and the lanes as
 * described above; it describes nothing until recordExtend. Returns 0 when
 * the law is malformed or the host has no memory.
 */
export function newRecord(base: u64, period: u32, template: usize,
                          laneFirst: u32, laneStride: u32, laneCount: u32, laneWidth: u32, laneInc: u64): u32 {
  if (period == 0 || (laneWidth != 4 && laneWidth != 8) || laneStride < laneWidth) return 0;
  if (laneCount != 0 && <u64>laneFirst + <u64>(laneCount - 1) * laneStride + laneWidth > <u64>period) return 0;
  let r = bumpAlloc(RECORD_BYTES + <usize>period);
  if (r == 0) return 0;
  let t = r + RECORD_BYTES;
  memory.copy(t, template, <usize>period);
  store<u32>(r + R_PERIOD, period);
  store<u32>(r + R_BASE_OFF, <u32>(base & PAGE_MASK));
  store<u32>(r + R_TEMPLATE, <u32>t);
  store<u32>(r + R_LANE_FIRST, laneFirst);
  store<u32>(r + R_LANE_STRIDE, laneStride);
  store<u32>(r + R_LANE_COUNT, laneCount);
  store<u32>(r + R_LANE_WIDTH, laneWidth);
  store<u64>(r + R_LANE_INC, laneInc);
  store<u64>(r + R_LENGTH, 0);
  return <u32>r;
}

/** The record now describes its run's first `length` bytes. */
export function recordExtend(rec: u32, length: u64): void {
  if (DEBUG) assert(length >= load<u64>(<usize>rec + R_LENGTH));
  store<u64>(<usize>rec + R_LENGTH, length);
}

/** Linear address of the record's template (period 0). */
export function recordTemplate(rec: u32): usize {
  return <usize>load<u32>(<usize>rec + R_TEMPLATE);
}

/** True when page `page` of the record lies wholly inside the run it describes. */
export function recordCovers(rec: u32, page: u32): bool {
  let x0 = (<i64>page << PAGE_SHIFT) - <i64>load<u32>(<usize>rec + R_BASE_OFF);
  return x0 >= 0 && <u64>x0 + PAGE_SIZE <= load<u64>(<usize>rec + R_LENGTH);
}

/** Writes page `page` of record `rec` (PAGE_SIZE bytes) at linear address `dst`. */
export function recordFill(rec: u32, page: u32, dst: usize): void {
  let r = <usize>rec;
  if (DEBUG) assert(recordCovers(rec, page));
  let period = <u64>load<u32>(r + R_PERIOD);
  let t = <usize>load<u32>(r + R_TEMPLATE);
  let first = <u64>load<u32>(r + R_LANE_FIRST);
  let stride = <u64>load<u32>(r + R_LANE_STRIDE);
  let count = <u64>load<u32>(r + R_LANE_COUNT);
  let width = <u64>load<u32>(r + R_LANE_WIDTH);
  let inc = load<u64>(r + R_LANE_INC);
  let x0 = (<u64>page << PAGE_SHIFT) - <u64>load<u32>(r + R_BASE_OFF);
  let x = x0;
  let end = x0 + PAGE_SIZE;
  while (x < end) {
    let n = x / period;
    let off = x - n * period;
    let chunk = min<u64>(period - off, end - x);
    let d = dst + <usize>(x - x0); // where byte `off` of period n goes
    memory.copy(d, t + <usize>off, <usize>chunk);
    let add = n * inc;
    if (add != 0 && count != 0) addLanes(d, off, chunk, t, first, stride, count, width, add);
    x += chunk;
  }
}

/**
 * Adds `add` to the lanes of period bytes [off, off + chunk), which lie at
 * linear address d (template t): the lanes wholly inside in one tight loop,
 * a lane cut by either end byte by byte from its whole value.
 */
function addLanes(d: usize, off: u64, chunk: u64, t: usize,
                  first: u64, stride: u64, count: u64, width: u64, add: u64): void {
  let end = off + chunk;
  // The first lane that ends after off, and the first that starts at or after end.
  let k: u64 = off + 1 > first + width ? (off + 1 - first - width + stride - 1) / stride : 0;
  let kStop: u64 = end > first ? min<u64>(count, (end - first + stride - 1) / stride) : 0;
  if (k >= kStop) return;
  if (first + k * stride < off) addLaneCut(d, off, end, t, first + k++ * stride, width, add);
  if (k >= kStop) return;
  let cutAtEnd = first + (kStop - 1) * stride + width > end;
  let kWhole = cutAtEnd ? kStop - 1 : kStop;
  let a = d + <usize>(first + k * stride - off);
  let aEnd = d + <usize>(first + kWhole * stride - off);
  let step = <usize>stride;
  if (width == 4) {
    let add32 = <u32>add;
    for (; a < aEnd; a += step) store<u32>(a, load<u32>(a) + add32);
  } else {
    for (; a < aEnd; a += step) store<u64>(a, load<u64>(a) + add);
  }
  if (cutAtEnd && kWhole >= k) addLaneCut(d, off, end, t, first + kWhole * stride, width, add);
}

/** A lane (at period offset `lane`) cut by an edge of [off, end): its whole value, then the bytes inside. */
function addLaneCut(d: usize, off: u64, end: u64, t: usize, lane: u64, width: u64, add: u64): void {
  let v: u64 = width == 4 ? <u64>(load<u32>(t + <usize>lane) + <u32>add) : load<u64>(t + <usize>lane) + add;
  for (let b: u64 = 0; b < width; b++) {
    let at = lane + b;
    if (at >= off && at < end) store<u8>(d + <usize>(at - off), <u8>(v >> (b << 3)));
  }
}
