/**
 * Runs of ints kept as descriptions (kernel/lazy.ts), not as host pages.
 *
 * list(range(n)) on 3.x (iter.ts extendFromRangeIter) fills pool after pool
 * of one-digit ints, each pool carved from its first block to its last, and
 * the list's slots point at them in order. Once a pool is full, nothing the
 * run does writes it again, and within one arena every such pool is the same
 * bytes but for the ints' digits:
 *
 *   pool n (POOL_SIZE bytes, n pools after the run's first)
 *   ┌────────────┬───────────────────┬───────────────────┬─────┬──────┐
 *   │ pool header│ int: refcnt type  │ int               │ ... │ tail │
 *   │ (48 bytes) │ size digit        │                   │     │      │
 *   └────────────┴───────────────────┴───────────────────┴─────┴──────┘
 *                 digit = digit in pool 0 + n * nb * step   (nb ints per pool)
 *
 *   slots of pool n's ints: ob_item[k0 + n*nb + j] = pool 0's + n * POOL_SIZE
 *
 * So two records describe the run: the ints (period POOL_SIZE, a template
 * copied from the first full pool, lanes = the digits) and their slots
 * (period nb pointers, lanes = the pointers). Each pool that fills and
 * continues the run (the next pool in address order, its first int in the
 * next slot, the same header, its first and last ints where the law puts
 * them) extends both, and every page now wholly inside them is described
 * (memory.ts describePage: debug builds check the bytes) — its host page goes
 * back to be reused by the next pool's pages. What the simulated kernel and
 * CPython see does not change; the host keeps a few pages instead of one per
 * page of the run. A pool that does not continue the run starts new records
 * (a new arena: its pool headers name another arena index).
 */
import { PAGE_SIZE, PAGE_SHIFT, PAGE_MASK } from "../kernel/frames";
import { newRecord, recordExtend, recordTemplate } from "../kernel/lazy";
import { describePage, copyOut, ld32, ld64 } from "../kernel/memory";
import { bumpAlloc } from "../kernel/kmem";
import { poolSize, POOL_OVERHEAD, fullPoolBlocks, lastFreshPool } from "./obmalloc";

/** The list's ob_item while a run is followed (0: none), the ints' block size and the range's step. */
let runItems: u64 = 0;
let runBsize: u64 = 0;
let runStep: i64 = 0;
/** The pool the last ordinary int came from, and the slot of its first block (-1: not carved from its start here). */
let curPool: u64 = 0;
let curFirst: i64 = -1;
/** The records (0: none yet), the first pool and first slot they describe, and how many pools. */
let intRec: u32 = 0;
let slotRec: u32 = 0;
let recPool0: u64 = 0;
let recK0: i64 = 0;
let recPools: u64 = 0;
/** What the int record adds to each digit per pool. */
let recDigitInc: u32 = 0;
/** Described so far: int pages below intDone, slot pages below slotDone. */
let intDone: u64 = 0;
let slotDone: u64 = 0;
/** Where templates are read from memory before newRecord copies them. */
let scratch: usize = 0;

/** A run of one-digit ints of `bsize`-byte blocks (range step `step`) starts filling the list whose ob_item is `items`. */
export function runStart(items: u64, bsize: u64, step: i64): void {
  runItems = items;
  runBsize = bsize;
  runStep = step;
  curPool = 0;
  curFirst = -1;
  intRec = 0;
  slotRec = 0;
}

/**
 * The run made the int `o` (outside the small-int cache, one digit) the ordinary way and stored it at slot `index` of `items`. A new
 * pool means the previous one is done.
 */
export function runItem(o: u64, index: i64, items: u64): void {
  if (items != runItems) { runStart(items, runBsize, runStep); return; } // the list moved: start over
  let pool = o & ~(poolSize() - 1);
  if (pool == curPool) return;
  if (curPool != 0 && curFirst >= 0) poolDone(curPool, curFirst);
  curPool = pool;
  // Only a pool carved from never-used memory holds nothing but what the run wrote
  // (zeros elsewhere), its ints in address order: a reused one keeps old bytes and frees' order.
  curFirst = pool == lastFreshPool && o == pool + <u64>POOL_OVERHEAD ? index : -1;
}

/** The pool at `pool`, carved from its start with its first int at slot k0, is behind the run. */
function poolDone(pool: u64, k0: i64): void {
  let bsize = runBsize;
  let nb = fullPoolBlocks(pool, bsize);
  if (nb == 0) return;
  let first = pool + <u64>POOL_OVERHEAD;
  let last = first + <u64>(nb - 1) * bsize;
  let items = runItems;
  if (ld64(items + (<u64>k0 << 3)) != first || ld64(items + (<u64>(k0 + nb - 1) << 3)) != last) return;
  let psize = poolSize();
  if (!(intRec != 0 && continuesRun(pool, k0, nb))) {
    // Period 0 of both records: this pool, and its slots.
    if (scratch == 0) scratch = bumpAlloc(65536);
    if (scratch == 0 || psize > 65536) return;
    copyOut(scratch, pool, psize);
    // The digit is the value's magnitude: it moves against the values in a run of negative ints.
    // Bit 1 of the size word is the sign: 3.12+ lv_tag (2: negative), before 3.12 ob_size (-1 or 1).
    let negative = (ld64(first + 16) & 2) != 0;
    let inc = <u32>(<u64>nb * <u64>runStep);
    recDigitInc = negative ? 0 - inc : inc;
    intRec = newRecord(pool, <u32>psize, scratch, POOL_OVERHEAD + 24, <u32>bsize, nb, 4, recDigitInc);
    let slots = items + (<u64>k0 << 3);
    copyOut(scratch, slots, <u64>nb << 3);
    slotRec = newRecord(slots, nb << 3, scratch, 0, 8, nb, 8, psize);
    if (intRec == 0 || slotRec == 0) { intRec = 0; return; }
    recPool0 = pool;
    recK0 = k0;
    recPools = 0;
    intDone = pool;
    slotDone = slots;
  }
  recPools++;
  recordExtend(intRec, recPools * psize);
  recordExtend(slotRec, recPools * (<u64>nb << 3));
  intDone = describeUpTo(intRec, recPool0, intDone, recPool0 + recPools * psize);
  let slots0 = items + (<u64>recK0 << 3);
  slotDone = describeUpTo(slotRec, slots0, slotDone, slots0 + recPools * (<u64>nb << 3));
}

/**
 * True if the full pool at `pool` is pool recPools of the records: the next
 * pool in address order, its ints in the next nb slots, its header the
 * template's, its first and last ints the template's plus the digits' step.
 */
function continuesRun(pool: u64, k0: i64, nb: u32): bool {
  let n = recPools;
  if (pool != recPool0 + n * poolSize() || k0 != recK0 + <i64>(n * nb)) return false;
  let t = recordTemplate(intRec);
  for (let o: u64 = 0; o < <u64>POOL_OVERHEAD; o += 8) {
    if (ld64(pool + o) != load<u64>(t + <usize>o)) return false;
  }
  let add = <u32>n * recDigitInc;
  for (let j: u64 = 0; j < <u64>nb; j += <u64>(nb - 1)) {
    let b = <u64>POOL_OVERHEAD + j * runBsize;
    // Refcount, type and size as the template's, the digit as the law says.
    if (ld64(pool + b) != load<u64>(t + <usize>b) || ld64(pool + b + 8) != load<u64>(t + <usize>b + 8) ||
        ld64(pool + b + 16) != load<u64>(t + <usize>b + 16)) return false;
    if (ld32(pool + b + 24) != load<u32>(t + <usize>(b + 24)) + add) return false;
    if (nb == 1) break;
  }
  return true;
}

/** Describes the pages of record `rec` (run base `base`) wholly inside [from, to); returns where it stopped. */
function describeUpTo(rec: u32, base: u64, from: u64, to: u64): u64 {
  let va = (from + PAGE_MASK) & ~PAGE_MASK;
  while (va + PAGE_SIZE <= to) {
    describePage(va, rec, <u32>((va >> PAGE_SHIFT) - (base >> PAGE_SHIFT)));
    va += PAGE_SIZE;
  }
  return va;
}
