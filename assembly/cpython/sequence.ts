/**
 * tuple and list objects.
 *
 * tuple (PyTupleObject): var header (24 bytes) + n item pointers, a GC
 * object tracked from creation. Freed tuples of 1..19 items (1..20 from
 * 3.11) go to per-size free lists of up to 2000, linked through item 0.
 * The empty tuple is a singleton.
 *
 * list (PyListObject, 40 bytes + GC head): @24 ob_item, @32 allocated. The
 * item array is PyMem memory: pymalloc in 3.x (so small arrays share pools
 * with objects), malloc in 2.7. list_resize over-allocates:
 *   up to 3.8: newsize + newsize/8 + (newsize < 9 ? 3 : 6)
 *   3.9+:      (newsize + newsize/8 + 6) & ~3, or (newsize + 3) & ~3 when
 *              growing by more than that margin
 * and keeps the array when allocated/2 <= newsize <= allocated.
 * Freed list objects go to a free list of 80.
 */
import { DEBUG, Err, raise, failed } from "../config";
import { ld32, ld64, st64, fillRange, copyRange, rd, wr, wrSpan, slotMoves } from "../kernel/memory";
import { PAGE_SHIFT, PAGE_MASK } from "../kernel/frames";
import {
  P, param, PY2, VERSION, T, typeOf, initObject, initVarObject, objMalloc, objFree, memMalloc, memRealloc, memFree,
  INCREF, DECREF, XDECREF, gcMalloc, gcFree, gcTrack, gcUntrack, GC_HEAD,
  RT_LIST_FREE, RT_LIST_NUMFREE, RT_TUPLE_FREE, RT_TUPLE_NUMFREE, RT_EMPTY_TUPLE, staticRefcnt, NO_PAGE, deallocObject, bulkPaths, cursorsMoved,
} from "./runtime";
import { pyObjectMalloc, pyObjectRealloc } from "./obmalloc";
import { libcCalloc } from "./libc";

// --- tuple --------------------------------------------------------------------------------------

// @ts-ignore: decorator
@inline export function tupleSize(t: u64): i64 { return <i64>ld64(t + 16); }
// @ts-ignore: decorator
@inline export function tupleItem(t: u64, i: i64): u64 { return ld64(t + 24 + (<u64>i << 3)); }
// @ts-ignore: decorator
@inline export function tupleSetItem(t: u64, i: i64, v: u64): void { st64(t + 24 + (<u64>i << 3), v); }

/** PyTuple_New(n): items NULL; the caller fills them (stealing references). */
export function newTuple(n: i64): u64 {
  if (n == 0) {
    let e = ld64(RT_EMPTY_TUPLE);
    if (e != 0) {
      INCREF(e);
      return e;
    }
  }
  let t: u64 = 0;
  let maxSizes = param(P.TUPLE_FREELIST_SIZES);
  // Free list index: size (<= 3.10, sizes 1..19) or size-1 (3.11+, sizes 1..20).
  let fl: i64 = VERSION() >= 311 ? n - 1 : n;
  let useFree = n > 0 && n <= maxSizes;
  if (useFree) {
    let head = RT_TUPLE_FREE + (<u64>fl << 3);
    t = ld64(head);
    if (t != 0) {
      st64(head, ld64(t + 24));
      let cnt = RT_TUPLE_NUMFREE + (<u64>fl << 3);
      st64(cnt, ld64(cnt) - 1);
      initVarObject(t, T.TUPLE, n);
    }
  }
  if (t == 0) {
    t = gcMalloc(24 + (<u64>n << 3));
    if (t == 0) return 0;
    initVarObject(t, T.TUPLE, n);
  }
  for (let i: i64 = 0; i < n; i++) tupleSetItem(t, i, 0);
  gcTrack(t);
  if (n == 0) {
    st64(RT_EMPTY_TUPLE, t);
    INCREF(t);
  }
  return t;
}

/**
 * _PyTuple_Resize (Objects/tupleobject.c, 2.7 – 3.13): t, which the caller owns alone, resized to
 * `newsize` items; returns the tuple that takes its place (0 on failure). An empty tuple is never
 * resized in place (a new one is made); 3.11+ resizing to 0 gives the empty tuple. Otherwise: untrack,
 * drop the items cut off, PyObject_GC_Resize (PyObject_Realloc of GC head + object), zero the added
 * slots, track again.
 */
export function tupleResize(t: u64, newsize: i64): u64 {
  let oldsize = tupleSize(t);
  if (oldsize == newsize) return t;
  if (newsize == 0 && VERSION() >= 311) { DECREF(t); return newTuple(0); } // 3.11+ (earlier: a 0-item tuple object)
  if (oldsize == 0) { DECREF(t); return newTuple(newsize); }
  gcUntrack(t);
  for (let i = newsize; i < oldsize; i++) {
    let v = tupleItem(t, i);
    tupleSetItem(t, i, 0);
    XDECREF(v);
  }
  let h = GC_HEAD();
  let g = pyObjectRealloc(t - h, h + 24 + (<u64>newsize << 3));
  if (g == 0) return 0;
  let r = g + h;
  st64(r + 16, <u64>newsize);
  if (newsize > oldsize) fillRange(r + 24 + (<u64>oldsize << 3), 0, <u64>(newsize - oldsize) << 3);
  gcTrack(r);
  return r;
}

export function tupleDealloc(t: u64): void {
  let n = tupleSize(t);
  gcUntrack(t);
  for (let i = n - 1; i >= 0; i--) XDECREF(tupleItem(t, i));
  let maxSizes = param(P.TUPLE_FREELIST_SIZES);
  let fl: i64 = VERSION() >= 311 ? n - 1 : n;
  if (n > 0 && n <= maxSizes) {
    let cnt = RT_TUPLE_NUMFREE + (<u64>fl << 3);
    if (ld64(cnt) < 2000) {
      let head = RT_TUPLE_FREE + (<u64>fl << 3);
      tupleSetItem(t, 0, ld64(head));
      st64(head, t);
      st64(cnt, ld64(cnt) + 1);
      return;
    }
  }
  gcFree(t);
}

// --- list ----------------------------------------------------------------------------------------

// @ts-ignore: decorator
@inline export function listSize(l: u64): i64 { return <i64>ld64(l + 16); }
// @ts-ignore: decorator
@inline export function listItems(l: u64): u64 { return ld64(l + 24); }
// @ts-ignore: decorator
@inline export function listAllocated(l: u64): i64 { return <i64>ld64(l + 32); }
// @ts-ignore: decorator
@inline export function listItem(l: u64, i: i64): u64 { return ld64(ld64(l + 24) + (<u64>i << 3)); }
// @ts-ignore: decorator
@inline export function listSetItem(l: u64, i: i64, v: u64): void { st64(ld64(l + 24) + (<u64>i << 3), v); }

/** PyMem_Calloc: pymalloc + memset for small arrays (3.x), calloc otherwise. */
function memCalloc(n: u64): u64 {
  if (PY2()) {
    let p = memMalloc(n);
    if (p != 0) fillRange(p, 0, n);
    return p;
  }
  if (n - 1 < 512) {
    let p = pyObjectMalloc(n);
    if (p == 0) { raise(Err.OOM, n); return 0; }
    fillRange(p, 0, n);
    return p;
  }
  let p = libcCalloc(n);
  if (p == 0) raise(Err.OOM, n);
  return p;
}

/** PyList_New(n): n NULL items (the caller fills them), tracked. */
export function newList(n: i64): u64 {
  let l: u64;
  let numfree = ld64(RT_LIST_NUMFREE);
  if (numfree > 0) {
    numfree--;
    st64(RT_LIST_NUMFREE, numfree);
    l = ld64(RT_LIST_FREE + (numfree << 3));
  } else {
    l = gcMalloc(40);
    if (l == 0) return 0;
  }
  initVarObject(l, T.LIST, n);
  if (n <= 0) {
    st64(l + 24, 0);
  } else {
    let items = memCalloc(<u64>n << 3);
    if (items == 0) return 0;
    st64(l + 24, items);
  }
  st64(l + 32, <u64>max<i64>(n, 0));
  gcTrack(l);
  return l;
}

/** list_resize(self, newsize). */
export function listResize(l: u64, newsize: i64): bool {
  let allocated = listAllocated(l);
  if (allocated >= newsize && newsize >= (allocated >> 1)) {
    st64(l + 16, <u64>newsize);
    return true;
  }
  let na: i64;
  if (param(P.LIST_GROWTH) == 0) {
    na = newsize + (newsize >> 3) + (newsize < 9 ? 3 : 6);
  } else {
    na = (newsize + (newsize >> 3) + 6) & ~<i64>3;
    if (newsize - listSize(l) > na - newsize) na = (newsize + 3) & ~<i64>3;
  }
  if (newsize == 0) na = 0;
  let items = memRealloc(listItems(l), <u64>na << 3);
  if (items == 0 && na != 0) return false;
  st64(l + 24, items);
  st64(l + 16, <u64>newsize);
  st64(l + 32, <u64>na);
  return true;
}

/** list_preallocate_exact (3.8+ list(iterable of known length)): 3.10+ rounds up to even. */
export function listPreallocate(l: u64, n: i64): bool {
  if (n <= 0) return true;
  let alloc = param(P.LIST_PRESIZE) == 2 ? (n + 1) & ~<i64>1 : n;
  let items = memMalloc(<u64>alloc << 3);
  if (items == 0) return false;
  st64(l + 24, items);
  st64(l + 32, <u64>alloc);
  return true;
}

/** PyList_Append / app1: steals nothing, increfs v. */
export function listAppend(l: u64, v: u64): bool {
  let n = listSize(l);
  if (n < listAllocated(l)) {
    INCREF(v);
    listSetItem(l, n, v);
    st64(l + 16, <u64>(n + 1));
    return true;
  }
  if (!listResize(l, n + 1)) return false;
  INCREF(v);
  listSetItem(l, n, v);
  return true;
}

/** Appends a reference the caller owns (LIST_APPEND in 3.11+, list_extend's iterator items). */
export function listAppendSteal(l: u64, v: u64): bool {
  let h = wrSpan(l, 40);
  if (h != 0) {
    // The list header in one page: ob_size, ob_item and allocated through one translation.
    let n = load<i64>(h + 16);
    if (n < load<i64>(h + 32)) {
      st64(load<u64>(h + 24) + (<u64>n << 3), v);
      store<u64>(h + 16, <u64>(n + 1));
      return true;
    }
  }
  let n = listSize(l);
  if (n < listAllocated(l)) {
    listSetItem(l, n, v);
    st64(l + 16, <u64>(n + 1));
    return true;
  }
  if (!listResize(l, n + 1)) return false;
  listSetItem(l, n, v);
  return true;
}

/**
 * Py_INCREF of each of the n item pointers at `src`, stored at `dst` in order
 * (list(list or tuple): list_extend's copy loop), with a page cursor per
 * stream (runtime.ts): source slots, the items' refcounts, destination slots.
 */
export function copyItemsIncref(dst: u64, src: u64, n: i64): void {
  if (!bulkPaths) {
    for (let i: i64 = 0; i < n; i++) {
      let v = ld64(src + (<u64>i << 3));
      INCREF(v);
      st64(dst + (<u64>i << 3), v);
    }
    return;
  }
  let immortal = param(P.IMMORTAL) != 0;
  let shares = slotMoves;
  let sPage = NO_PAGE, sBase: usize = 0;
  let oPage = NO_PAGE, oBase: usize = 0;
  let dPage = NO_PAGE, dBase: usize = 0;
  for (let i: i64 = 0; i < n; i++) {
    let sa = src + (<u64>i << 3);
    let v: u64;
    if (sa >> PAGE_SHIFT == sPage) {
      v = load<u64>(sBase + <usize>(sa & PAGE_MASK));
    } else {
      let a = rd(sa);
      v = load<u64>(a);
      sPage = failed() ? NO_PAGE : sa >> PAGE_SHIFT;
      sBase = a - <usize>(sa & PAGE_MASK);
    }
    // Py_INCREF(v) (runtime.ts INCREF)
    if (v >> PAGE_SHIFT == oPage) {
      let p = oBase + <usize>(v & PAGE_MASK);
      if (immortal) {
        let r = load<u32>(p);
        if (r + 1 != 0) store<u32>(p, r + 1);
      } else {
        store<u64>(p, load<u64>(p) + 1);
      }
    } else {
      let r: u32 = immortal ? ld32(v) : 0;
      if (!immortal || r + 1 != 0) {
        let p = wr(v);
        if (immortal) store<u32>(p, r + 1);
        else store<u64>(p, load<u64>(p) + 1);
        oPage = v >> PAGE_SHIFT;
        oBase = p - <usize>(v & PAGE_MASK);
        if (oPage == sPage) sPage = NO_PAGE;
        if (cursorsMoved(shares)) {
          shares = slotMoves;
          sPage = dPage = NO_PAGE;
          if (failed()) oPage = NO_PAGE;
        }
      }
    }
    let da = dst + (<u64>i << 3);
    if (da >> PAGE_SHIFT == dPage) {
      store<u64>(dBase + <usize>(da & PAGE_MASK), v);
    } else {
      let a = wr(da);
      store<u64>(a, v);
      dPage = da >> PAGE_SHIFT;
      dBase = a - <usize>(da & PAGE_MASK);
      if (dPage == sPage) sPage = NO_PAGE;
      if (cursorsMoved(shares)) {
        shares = slotMoves;
        sPage = oPage = NO_PAGE;
        if (failed()) dPage = NO_PAGE;
      }
    }
  }
}

/**
 * XDECREF of the n item pointers at `items`, from the last (list_dealloc),
 * with page cursors (runtime.ts) for the slots and the items' refcounts.
 * After an item is freed, the following ones go the plain way until one
 * survives (around each free, cursors save nothing); the refcounts' cursor
 * then restarts on that item's page, the slots' one on their next page.
 */
function decrefItemsBackwards(items: u64, n: i64): void {
  if (!bulkPaths) {
    let i = n;
    while (--i >= 0) XDECREF(ld64(items + (<u64>i << 3)));
    return;
  }
  let immortal = param(P.IMMORTAL) != 0;
  let shares = slotMoves;
  let sPage = NO_PAGE, sBase: usize = 0;
  let oPage = NO_PAGE, oBase: usize = 0;
  let i = n;
  while (--i >= 0) {
    let sa = items + (<u64>i << 3);
    let o: u64;
    if (sa >> PAGE_SHIFT == sPage) {
      o = load<u64>(sBase + <usize>(sa & PAGE_MASK));
    } else {
      let a = rd(sa);
      o = load<u64>(a);
      sPage = failed() ? NO_PAGE : sa >> PAGE_SHIFT;
      sBase = a - <usize>(sa & PAGE_MASK);
    }
    if (o == 0) continue;
    // Py_DECREF(o) (runtime.ts DECREF)
    let p: usize;
    if (o >> PAGE_SHIFT == oPage) {
      p = oBase + <usize>(o & PAGE_MASK);
      if (immortal && <i32>load<u32>(p) < 0) continue;
    } else {
      if (immortal && <i32>ld32(o) < 0) continue;
      p = wr(o);
      oPage = o >> PAGE_SHIFT;
      oBase = p - <usize>(o & PAGE_MASK);
      if (oPage == sPage) sPage = NO_PAGE;
      if (cursorsMoved(shares)) {
        shares = slotMoves;
        sPage = NO_PAGE;
        if (failed()) oPage = NO_PAGE;
      }
    }
    let r = load<u64>(p) - 1;
    store<u64>(p, r);
    if (r == 0) {
      deallocObject(o);
      // While items keep being freed, the plain Py_XDECREF.
      sPage = oPage = NO_PAGE;
      while (--i >= 0) {
        let o2 = ld64(items + (<u64>i << 3));
        if (o2 == 0) continue;
        if (immortal && <i32>ld32(o2) < 0) continue;
        let p2 = wr(o2);
        let r2 = load<u64>(p2) - 1;
        store<u64>(p2, r2);
        if (r2 != 0) {
          if (!failed()) {
            oPage = o2 >> PAGE_SHIFT;
            oBase = p2 - <usize>(o2 & PAGE_MASK);
          }
          break;
        }
        deallocObject(o2);
      }
      shares = slotMoves;
    }
  }
}

/** list_dealloc: untrack, decref items from the last, free the array, the object to the free list. */
/**
 * list.clear() (3.3+): _list_clear (3.13 list_clear_impl) — the list is made empty first (size 0,
 * ob_item NULL, allocated 0), then its items are released from the last and the item array freed.
 */
export function listClear(l: u64): void {
  let items = listItems(l);
  if (items == 0) return;
  let n = listSize(l);
  st64(l + 16, 0);
  st64(l + 24, 0);
  st64(l + 32, 0);
  decrefItemsBackwards(items, n);
  memFree(items);
}

export function listDealloc(l: u64): void {
  gcUntrack(l);
  let items = listItems(l);
  if (items != 0) {
    decrefItemsBackwards(items, listSize(l));
    memFree(items);
  }
  let numfree = ld64(RT_LIST_NUMFREE);
  if (numfree < 80) {
    st64(RT_LIST_FREE + (numfree << 3), l);
    st64(RT_LIST_NUMFREE, numfree + 1);
  } else {
    gcFree(l);
  }
}

/** list[lo:hi:step] as a new list. */
export function listSlice(l: u64, lo: i64, n: i64, step: i64): u64 {
  let r = newList(n);
  if (r == 0) return 0;
  for (let i: i64 = 0; i < n; i++) {
    let v = listItem(l, lo + i * step);
    INCREF(v);
    listSetItem(r, i, v);
  }
  return r;
}

/** del list[lo:hi] (step 1): list_ass_slice with no replacement. */
export function listDelSlice(l: u64, lo: i64, hi: i64): bool {
  let n = listSize(l);
  if (lo < 0) lo = 0;
  if (hi > n) hi = n;
  if (hi <= lo) return true;
  let d = hi - lo;
  let items = listItems(l);
  // The removed items are kept aside (recycle), then the tail moves down, then the array shrinks.
  let saved = memMalloc(<u64>d << 3);
  if (saved == 0) return false;
  copyRange(saved, items + (<u64>lo << 3), <u64>d << 3);
  copyRange(items + (<u64>lo << 3), items + (<u64>hi << 3), <u64>(n - hi) << 3);
  if (!listResize(l, n - d)) return false;
  for (let i = d - 1; i >= 0; i--) XDECREF(ld64(saved + (<u64>i << 3)));
  memFree(saved);
  return true;
}

/** list.pop(i). Returns the item (a reference the caller owns). */
export function listPop(l: u64, i: i64): u64 {
  let n = listSize(l);
  let v = listItem(l, i);
  let items = listItems(l);
  if (i < n - 1) copyRange(items + (<u64>i << 3), items + (<u64>(i + 1) << 3), <u64>(n - 1 - i) << 3);
  listResize(l, n - 1);
  return v;
}

/** list.insert(where, v) (ins1): resize by one, move the tail up, store v (increfed). */
export function listInsert(l: u64, where: i64, v: u64): bool {
  let n = listSize(l);
  if (!listResize(l, n + 1)) return false;
  if (where < 0) { where += n; if (where < 0) where = 0; }
  if (where > n) where = n;
  let items = listItems(l);
  for (let i = n; --i >= where; ) st64(items + (<u64>(i + 1) << 3), ld64(items + (<u64>i << 3)));
  INCREF(v);
  st64(items + (<u64>where << 3), v);
  return true;
}

/** list.reverse (reverse_slice): swaps pointers in the item array; no refcount writes. */
export function listReverse(l: u64): void {
  let n = listSize(l);
  let items = listItems(l);
  for (let i: i64 = 0, j = n - 1; i < j; i++, j--) {
    let a = ld64(items + (<u64>i << 3));
    st64(items + (<u64>i << 3), ld64(items + (<u64>j << 3)));
    st64(items + (<u64>j << 3), a);
  }
}
