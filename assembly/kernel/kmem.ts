/**
 * The simulator's own memory: where it keeps frames, page tables, VMA arrays
 * and process descriptors inside WebAssembly's linear memory.
 *
 *   0 ──────────── __heap_base ─────────────────────────── memory.size()*64K
 *   │ static data │ bump region, grows upward with memory.grow ──▶ │
 *
 * Blocks are taken from a bump pointer and never returned to it; what can be
 * freed (page-table nodes, frame chunks never are) goes to a free list of its
 * own size (`kmemFree` / `kmemAlloc` keep one LIFO list per power-of-two size
 * class), so a long run reuses memory without a general-purpose allocator.
 * Every block is 16-byte aligned and zeroed when handed out.
 */
import { DEBUG, Err, raise } from "../config";

// @ts-ignore: decorator
@inline const WASM_PAGE: usize = 65536;
// @ts-ignore: decorator
@inline const ALIGN_MASK: usize = 15;
// @ts-ignore: decorator
@inline const NUM_CLASSES: i32 = 32;

let bumpPtr: usize = 0;
let bumpEnd: usize = 0;
/** Free-list heads, one per power-of-two size class (class c holds blocks of 1 << c bytes). */
const freeHeads = memory.data(NUM_CLASSES * 4);
/** Bytes handed out by the bump pointer (for the host's memory report). */
let bumpUsed: usize = 0;

function ensureInit(): void {
  if (bumpPtr == 0) {
    bumpPtr = (__heap_base + ALIGN_MASK) & ~ALIGN_MASK;
    bumpEnd = <usize>memory.size() * WASM_PAGE;
  }
}

/**
 * Takes `size` bytes from the bump region, aligned to `align` (a power of two,
 * at least 16); 0 (with Err.HOST_MEMORY) when memory cannot grow.
 */
export function bumpAlloc(size: usize, align: usize = 16): usize {
  ensureInit();
  size = (size + ALIGN_MASK) & ~ALIGN_MASK;
  let ptr = (bumpPtr + align - 1) & ~(align - 1);
  let end = ptr + size;
  if (end < ptr || end > 0xFFFF0000) {
    raise(Err.HOST_MEMORY, <u64>size);
    return 0;
  }
  if (end > bumpEnd) {
    let pages = <i32>((end - bumpEnd + WASM_PAGE - 1) / WASM_PAGE);
    // Grow by at least what we have (doubling), to keep grow calls rare: pages the
    // host never touches cost address space, not resident memory.
    let have = memory.size();
    let want = max(pages, have);
    if (memory.grow(want) < 0) {
      if (memory.grow(pages) < 0) {
        raise(Err.HOST_MEMORY, <u64>size);
        return 0;
      }
      want = pages;
    }
    bumpEnd = <usize>memory.size() * WASM_PAGE;
  }
  bumpUsed += end - bumpPtr;
  bumpPtr = end;
  return ptr;
}

// @ts-ignore: decorator
@inline function sizeClass(size: usize): i32 {
  return size <= 16 ? 4 : 32 - clz<u32>(<u32>size - 1);
}

/** A zeroed block of at least `size` bytes (rounded up to a power of two). */
export function kmemAlloc(size: usize): usize {
  let c = sizeClass(size);
  let head = freeHeads + (<usize>c << 2);
  let ptr = <usize>load<u32>(head);
  let bytes = <usize>1 << c;
  if (ptr != 0) {
    store<u32>(head, load<u32>(ptr));
  } else {
    ptr = bumpAlloc(bytes);
    if (ptr == 0) return 0;
  }
  memory.fill(ptr, 0, bytes);
  return ptr;
}

/** Returns a block from `kmemAlloc` of the same `size`. */
export function kmemFree(ptr: usize, size: usize): void {
  if (DEBUG) assert(ptr != 0 && (ptr & ALIGN_MASK) == 0);
  let head = freeHeads + (<usize>sizeClass(size) << 2);
  store<u32>(ptr, load<u32>(head));
  store<u32>(head, <u32>ptr);
}

/** Grows an array block: a new zeroed block of `newSize` with the old contents copied in. */
export function kmemGrow(ptr: usize, oldSize: usize, newSize: usize): usize {
  let fresh = kmemAlloc(newSize);
  if (fresh == 0) return 0;
  if (ptr != 0) {
    memory.copy(fresh, ptr, oldSize);
    kmemFree(ptr, oldSize);
  }
  return fresh;
}

/** Bytes of linear memory the simulator has taken for itself and for frames. */
export function kmemBytesUsed(): usize {
  return bumpUsed;
}
