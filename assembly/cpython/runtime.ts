/**
 * The interpreter's runtime state and the object header operations every
 * object goes through: version parameters, where static objects live,
 * Py_INCREF / Py_DECREF, and the garbage collector's links written when a
 * container is created, tracked, untracked and freed.
 *
 * Static data of a simulated CPython process (LIBPYTHON_DATA + …):
 *
 *   +0x00000  obmalloc state (obmalloc.ts)
 *   +0x01000  RT_*: __main__ globals, interned dict, free lists, GC state
 *   +0x02000  singletons: None, False, True (static objects, 32 bytes each)
 *   +0x03000  small ints -5..256 when they are static (3.6–3.8 array, 3.11+ _PyRuntime)
 *   +0x06000  type objects: one 0x200-byte slot per type id (ob_type points here)
 *   +0x40000  arena map root (obmalloc.ts)
 *
 * Object header (64-bit): ob_refcnt @0 (8 bytes), ob_type @8, ob_size @16
 * for variable-size objects. GC-tracked objects have a PyGC_Head in front:
 * 32 bytes {gc_next, gc_prev, gc_refs} up to 3.7, 16 bytes {_gc_next,
 * _gc_prev} from 3.8.
 */
import { DEBUG, Err, raise, failed } from "../config";
import { ld32, st32, ld64, st64, fillRange, wr, slotMoves } from "../kernel/memory";
import { LIBPYTHON_DATA } from "./image";
import { pyObjectMalloc, pyObjectFree, pyObjectRealloc } from "./obmalloc";
import { libcMalloc, libcFree, libcRealloc } from "./libc";

// --- version parameters (set by the host from src/profiles/objects.ts) -------------
export const enum P {
  VERSION = 0, // 27, 36 … 313
  GC_HEAD = 1, // 32 or 16
  IMMORTAL = 2, // 3.12+: immortal objects, 32-bit incref
  INT_ONE_DIGIT_REQUEST = 3, // 28 or 32
  INT_LV_TAG = 4, // 3.12+
  SMALL_INT_STORAGE = 5, // 0 int-blocks (2.7), 1 static array, 2 heap per interpreter, 3 runtime static
  FLOAT_FREELIST = 6, // 100 (3.x), 0 = 2.7 blocks
  STR_ASCII_HEADER = 7,
  STR_COMPACT_HEADER = 8,
  TUPLE_FREELIST_SIZES = 9, // 19 or 20
  LIST_GROWTH = 10, // 0 py27-38, 1 py39+
  LIST_PRESIZE = 11, // 0 resize, 1 exact, 2 exact-even
  DICT_KEYS_HEADER = 12, // 40 or 32 (0: 2.7 dict)
  DICT_UNICODE_ENTRY = 13, // 16 in 3.11+, 0 before
  DICT_GROWTH = 14, // 0 py27, 1 used*2+size/2, 2 used*3
  RANGE_BYTES = 15,
  RANGEITER_BYTES = 16,
  GC_THRESHOLD0 = 17,
  GC_THRESHOLD1 = 18,
  GC_THRESHOLD2 = 19,
  BYTES_HEADER = 20, // 32 (3.x) or 36 (2.7 str)
  DICT_NEW_ALLOCATES_KEYS = 21, // PyDict_New gives a dict its own 8-slot keys object (else the shared empty keys)
  DICT_SKIP_SAME_VALUE = 22, // 3.8+: insertdict does not rewrite a slot with the same value
  GC_STARTUP_OBJECTS = 23, // tracked objects a real interpreter has when __main__ starts
  GC_STARTUP_PER_PAGE = 24, // how many of them share a 4 KiB page
  COUNT = 26,
}
const params = memory.data(<i32>P.COUNT * 8);

export function setParam(id: i32, value: i64): void {
  if (id < 0 || id >= P.COUNT) {
    raise(Err.INVALID, <u64>id);
    return;
  }
  store<i64>(params + (<usize>id << 3), value);
}

// @ts-ignore: decorator
@inline export function param(id: i32): i64 {
  return load<i64>(params + (<usize>id << 3));
}

// @ts-ignore: decorator
@inline export function PY2(): bool { return param(P.VERSION) < 30; }
// @ts-ignore: decorator
@inline export function VERSION(): i64 { return param(P.VERSION); }

// --- static data ------------------------------------------------------------------
// @ts-ignore: decorator
@inline export const RT: u64 = LIBPYTHON_DATA + 0x1000;
// @ts-ignore: decorator
@inline export const RT_GLOBALS: u64 = RT + 0x000;
// @ts-ignore: decorator
@inline export const RT_INTERNED: u64 = RT + 0x008;
// @ts-ignore: decorator
@inline export const RT_FLOAT_FREE: u64 = RT + 0x010;
// @ts-ignore: decorator
@inline export const RT_FLOAT_NUMFREE: u64 = RT + 0x018;
// @ts-ignore: decorator
@inline export const RT_INT_FREE: u64 = RT + 0x020; // 2.7 PyIntObject free list
// @ts-ignore: decorator
@inline export const RT_LIST_NUMFREE: u64 = RT + 0x028;
// @ts-ignore: decorator
@inline export const RT_LIST_FREE: u64 = RT + 0x030; // 80 pointers
// @ts-ignore: decorator
@inline export const RT_DICT_NUMFREE: u64 = RT + 0x2b0;
// @ts-ignore: decorator
@inline export const RT_DICT_FREE: u64 = RT + 0x2b8; // 80 pointers
// @ts-ignore: decorator
@inline export const RT_TUPLE_FREE: u64 = RT + 0x540; // 21 heads
// @ts-ignore: decorator
@inline export const RT_TUPLE_NUMFREE: u64 = RT + 0x5f0; // 21 counts
// @ts-ignore: decorator
@inline export const RT_EMPTY_TUPLE: u64 = RT + 0x6a0;
// @ts-ignore: decorator
@inline export const RT_GC: u64 = RT + 0x700;
// GC state: three generations {head (32 bytes), threshold, count}, then enabled, collecting, permanent generation.
// @ts-ignore: decorator
@inline export const GC_GEN_STRIDE: u64 = 48;
// @ts-ignore: decorator
@inline export const GC_ENABLED: u64 = RT_GC + 3 * GC_GEN_STRIDE;
// @ts-ignore: decorator
@inline export const GC_COLLECTING: u64 = GC_ENABLED + 8;
// @ts-ignore: decorator
@inline export const GC_PERMANENT: u64 = GC_ENABLED + 16; // a generation: head + threshold + count
// @ts-ignore: decorator
@inline export const GC_LONG_LIVED_TOTAL: u64 = GC_PERMANENT + GC_GEN_STRIDE;
// @ts-ignore: decorator
@inline export const GC_LONG_LIVED_PENDING: u64 = GC_LONG_LIVED_TOTAL + 8;
// @ts-ignore: decorator
@inline export const RT_MODULES: u64 = RT + 0x900; // module objects by id, 32 bytes each (8 written at start-up: 0x900-0xa00)
/** 2.7's `dummy` key marking deleted dict/set entries (a str in 2.7; a static object here). */
// @ts-ignore: decorator
@inline export const DICT_DUMMY: u64 = RT + 0xd40; // clear of the module objects (0x900-0xa00) and 2.7 set free list (0xa00-0xc88)
// @ts-ignore: decorator
@inline export const SINGLETONS: u64 = LIBPYTHON_DATA + 0x2000;
// @ts-ignore: decorator
@inline export const Py_None: u64 = SINGLETONS;
// @ts-ignore: decorator
@inline export const Py_False: u64 = SINGLETONS + 32;
// @ts-ignore: decorator
@inline export const Py_True: u64 = SINGLETONS + 64;
// @ts-ignore: decorator
@inline export const SMALL_INTS: u64 = LIBPYTHON_DATA + 0x3000;
// @ts-ignore: decorator
@inline export const SMALL_INT_PTRS: u64 = LIBPYTHON_DATA + 0x5800; // 262 pointers (heap or block storage)
// @ts-ignore: decorator
@inline export const NSMALLNEG: i64 = 5;
// @ts-ignore: decorator
@inline export const NSMALLPOS: i64 = 257;
// @ts-ignore: decorator
@inline export const TYPES: u64 = LIBPYTHON_DATA + 0x6000;
// @ts-ignore: decorator
@inline const TYPE_STRIDE_SHIFT: u64 = 9;

/** Type ids: the type object of id t is at TYPES + t * 0x200. */
export const enum T {
  NONE = 1, BOOL, INT, LONG2, FLOAT, STR, BYTES, BYTEARRAY, TUPLE, LIST, DICT, SET, FROZENSET, RANGE,
  LISTITER, TUPLEITER, RANGEITER, STRITER, DICTKEYITER, DICTVALUEITER, DICTITEMITER, SETITER,
  ENUMERATE, ZIP, REVERSED, MODULE, BUILTIN, SLICE, CODE, FUNCTION, ARRAY, CTYPES_ARRAY, DICTKEYS, DICTVALUES, DICTITEMS,
  UNICODE2, BYTESITER, ARRAYITER, METHOD, FRAME, GENERATOR, TRACEBACK, COUNT,
}

// @ts-ignore: decorator
@inline export function typeAddr(t: i32): u64 {
  return TYPES + (<u64>t << TYPE_STRIDE_SHIFT);
}

// @ts-ignore: decorator
@inline export function typeOf(o: u64): i32 {
  return <i32>((ld64(o + 8) - TYPES) >> TYPE_STRIDE_SHIFT);
}

// --- allocators -------------------------------------------------------------------------

/** PyObject_Malloc. */
// @ts-ignore: decorator
@inline export function objMalloc(n: u64): u64 {
  let p = pyObjectMalloc(n);
  if (p == 0) raise(Err.OOM, n);
  return p;
}

// @ts-ignore: decorator
@inline export function objFree(p: u64): void {
  pyObjectFree(p);
}

/** PyMem_Malloc: pymalloc in 3.x, the C library in 2.7. */
export function memMalloc(n: u64): u64 {
  let p = PY2() ? libcMalloc(n == 0 ? 1 : n) : pyObjectMalloc(n);
  if (p == 0) raise(Err.OOM, n);
  return p;
}

export function memRealloc(p: u64, n: u64): u64 {
  let q = PY2() ? libcRealloc(p, n == 0 ? 1 : n) : pyObjectRealloc(p, n);
  if (q == 0) raise(Err.OOM, n);
  return q;
}

export function memFree(p: u64): void {
  if (p == 0) return;
  if (PY2()) libcFree(p);
  else pyObjectFree(p);
}

/** _Py_NewReference + PyObject_INIT: refcount 1 and the type (static types are not increfed). */
// @ts-ignore: decorator
@inline export function initObject(o: u64, t: i32): void {
  st64(o, 1);
  st64(o + 8, typeAddr(t));
}

// @ts-ignore: decorator
@inline export function initVarObject(o: u64, t: i32, size: i64): void {
  st64(o, 1);
  st64(o + 8, typeAddr(t));
  st64(o + 16, <u64>size);
}

// --- reference counts -----------------------------------------------------------------

/** Py_INCREF. 3.12+: immortal objects are left alone, others get a 32-bit write. */
// @ts-ignore: decorator
@inline export function INCREF(o: u64): void {
  if (param(P.IMMORTAL) != 0) {
    let r = ld32(o);
    if (r + 1 == 0) return;
    st32(o, r + 1);
  } else {
    // One write access: the read-modify-write of `ob_refcnt++`.
    let p = wr(o);
    store<u64>(p, load<u64>(p) + 1);
  }
}

/** Py_DECREF: frees the object when the count reaches zero. */
// @ts-ignore: decorator
@inline export function DECREF(o: u64): void {
  if (param(P.IMMORTAL) != 0 && <i32>ld32(o) < 0) return;
  let p = wr(o);
  let r = load<u64>(p) - 1;
  store<u64>(p, r);
  if (r == 0) deallocHook(o);
}

// @ts-ignore: decorator
@inline export function XDECREF(o: u64): void {
  if (o != 0) DECREF(o);
}

// @ts-ignore: decorator
@inline export function REFCNT(o: u64): i64 {
  return <i64>ld64(o);
}

/** The refcount a static (immortal or not) object starts with. */
export function staticRefcnt(): u64 {
  return param(P.IMMORTAL) != 0 ? 0xFFFFFFFF : 1;
}

/** Set by objects.ts: the per-type deallocator dispatch (breaks an import cycle). */
let deallocHook: (o: u64) => void = (o: u64): void => {};
export function setDeallocHook(f: (o: u64) => void): void {
  deallocHook = f;
}

/** _Py_Dealloc: what Py_DECREF calls when the count reaches zero. */
export function deallocObject(o: u64): void {
  deallocHook(o);
}

/*
 * Page cursors. A loop over many objects or item pointers can keep, for each
 * stream of its accesses, the page it last translated and that page's
 * linear base, and call rd()/wr() only when the stream enters another page.
 * The first access to each page is then still an ordinary one, made in
 * CPython's order, and takes the fault it takes; a later access to a page
 * already written cannot fault, so going around the TLB changes nothing.
 * A cursor must be dropped when the bytes behind it may have moved:
 *   - a page only read may be shared (or the zero page): a write translated
 *     to it (copy-on-write) gives it another frame;
 *   - a copy-on-write fault on any page may let an older copy share its
 *     source's slot and hand its own slot on (memory.ts reclaimOldestCopy),
 *     a read of a described page may evict another from the cache of
 *     generated pages, a write may give a page a host slot of its own: the
 *     kernel's slotMoves count then moves (cursorsMoved, given slotMoves as
 *     it was when the cursors were set);
 *   - after a fatal fault every access goes to the scratch page (failed());
 *   - calls that may change page tables (frees: munmap, brk trim).
 */
// @ts-ignore: decorator
@inline export function cursorsMoved(moves: u64): bool {
  return slotMoves != moves || failed();
}
// @ts-ignore: decorator
@inline export const NO_PAGE: u64 = u64.MAX_VALUE;

/**
 * The loops above, and the runs of list(range(n)) (iter.ts), can be turned
 * off (tests check that memory, page tables and frames end identical).
 */
export let bulkPaths: bool = true;
export function setBulkPaths(on: bool): void {
  bulkPaths = on;
}

// --- the garbage collector's links ----------------------------------------------------

// @ts-ignore: decorator
@inline export function GC_HEAD(): u64 {
  return <u64>param(P.GC_HEAD);
}

// @ts-ignore: decorator
@inline export function genHead(g: i32): u64 {
  return RT_GC + <u64>g * GC_GEN_STRIDE;
}

// @ts-ignore: decorator
@inline export function genThreshold(g: i32): u64 {
  return genHead(g) + 32;
}

// @ts-ignore: decorator
@inline export function genCount(g: i32): u64 {
  return genHead(g) + 40;
}

/** Makes each generation's list empty (a head pointing at itself), thresholds from the version. */
export function gcInitState(): void {
  for (let g = 0; g < 3; g++) {
    let h = genHead(g);
    st64(h, h);
    st64(h + 8, h);
    st64(genThreshold(g), <u64>param(P.GC_THRESHOLD0 + g));
    st64(genCount(g), 0);
  }
  st64(GC_PERMANENT, GC_PERMANENT);
  st64(GC_PERMANENT + 8, GC_PERMANENT);
  st64(GC_ENABLED, 1);
}

/**
 * _PyObject_GC_Malloc / gc_alloc: a GC head plus `basicsize` bytes; the head
 * marks the object untracked (3.8+: zeroed; before: gc_refs = GC_UNTRACKED);
 * generation 0's count goes up. Returns the object (after the head).
 */
export function gcMalloc(basicsize: u64): u64 {
  let h = GC_HEAD();
  let g = objMalloc(h + basicsize);
  if (g == 0) return 0;
  if (h == 16) {
    st64(g, 0);
    st64(g + 8, 0);
  } else {
    // _PyGC_REFS_UNTRACKED: -2 (2.7), stored shifted as -4 in 3.6/3.7.
    st64(g + 16, <u64>(VERSION() < 36 ? -2 : -4));
  }
  let c = ld64(genCount(0)) + 1;
  st64(genCount(0), c);
  if (c > ld64(genThreshold(0))) gcAllocHook(); // gc.ts: collect (≤3.11) or schedule (3.12+)
  return g + h;
}

/** Set by gc.ts: what an allocation does when generation 0's count is over threshold0. */
let gcAllocHook: () => void = (): void => {};
export function setGcAllocHook(f: () => void): void {
  gcAllocHook = f;
}

/** PyObject_GC_Del: the count of generation 0 goes down, the memory back to pymalloc. */
export function gcFree(o: u64): void {
  let c = ld64(genCount(0));
  if (c > 0) st64(genCount(0), c - 1);
  objFree(o - GC_HEAD());
}

/** _PyObject_GC_TRACK: link at the end of generation 0 (writes the last object's head and the list head). */
export function gcTrack(o: u64): void {
  let g = o - GC_HEAD();
  let gen0 = genHead(0);
  let last = ld64(gen0 + 8) & ~<u64>3;
  st64(last, g); // last->next = g
  st64(g + 8, last); // g->prev = last
  st64(g, gen0); // g->next = gen0
  st64(gen0 + 8, g); // gen0->prev = g
  if (GC_HEAD() == 32) st64(g + 16, <u64>(VERSION() < 36 ? -3 : -6)); // _PyGC_REFS_REACHABLE
}

/** _PyObject_GC_UNTRACK: unlink from its list (writes both neighbours' heads). */
export function gcUntrack(o: u64): void {
  let g = o - GC_HEAD();
  if (!gcIsTracked(o)) return;
  let next = ld64(g);
  let prev = ld64(g + 8) & ~<u64>3;
  st64(prev, next);
  st64(next + 8, (ld64(next + 8) & 3) | prev);
  st64(g, 0);
  if (GC_HEAD() == 32) st64(g + 16, <u64>(VERSION() < 36 ? -2 : -4));
  else st64(g + 8, ld64(g + 8) & 1);
}

export function gcIsTracked(o: u64): bool {
  let g = o - GC_HEAD();
  if (GC_HEAD() == 32) {
    let refs = <i64>ld64(g + 16);
    return refs != (VERSION() < 36 ? -2 : -4);
  }
  return ld64(g) != 0;
}

// --- singletons and static objects ---------------------------------------------------------

/** Writes the static objects of the interpreter image (at start-up, before any fork). */
export function initStaticObjects(): void {
  let rc = staticRefcnt();
  st64(Py_None, rc);
  st64(Py_None + 8, typeAddr(T.NONE));
  st64(Py_False, rc);
  st64(Py_False + 8, typeAddr(T.BOOL));
  st64(Py_False + 16, 0); // ob_size 0 (bool is an int subclass)
  st64(Py_True, rc);
  st64(Py_True + 8, typeAddr(T.BOOL));
  st64(Py_True + 16, 1);
  st32(Py_True + 24, 1);
  st64(DICT_DUMMY, 1);
  st64(DICT_DUMMY + 8, typeAddr(T.STR));
}

// @ts-ignore: decorator
@inline export function newBool(b: bool): u64 {
  let o = b ? Py_True : Py_False;
  INCREF(o);
  return o;
}

export function zeroFill(p: u64, n: u64): void {
  fillRange(p, 0, n);
}
