/**
 * int and float objects, per version.
 *
 * 3.x int (PyLongObject): header, ob_size (3.12+: lv_tag = ndigits << 3 |
 * sign), 30-bit digits from offset 24. A one-digit int asks pymalloc for 28
 * bytes up to 3.10 (_PyLong_New(1)) and 32 from 3.11 (_PyLong_FromMedium:
 * sizeof(PyLongObject)). -5..256 are cached: static objects in 3.6–3.8 and
 * from 3.11 (in _PyRuntime), heap objects made at start-up in 3.9/3.10.
 *
 * 2.7 int (PyIntObject, 24 bytes: header + long ob_ival) comes from blocks
 * of 41 objects malloc'ed 992 bytes at a time (fill_free_list), handed out
 * from the highest address down; a freed int goes back on that free list,
 * linked through ob_type. Values beyond a C long become 2.7 longs.
 *
 * float (PyFloatObject, 24 bytes): 3.x keeps a free list of 100 freed floats
 * linked through ob_type; 2.7 uses blocks like its ints.
 */
import { Err, raise, failed } from "../config";
import { ld64, st64, ld32, st32, wr, wrSpan, slotMoves } from "../kernel/memory";
import { PAGE_SHIFT, PAGE_SIZE, PAGE_MASK } from "../kernel/frames";
import { libcMalloc, libcFree } from "./libc";
import { longValueSaturated, longFitsI64 } from "./long";
import {
  P, param, PY2, T, typeAddr, typeOf, initObject, initVarObject, objMalloc, objFree, INCREF,
  RT, RT_FLOAT_FREE, RT_FLOAT_NUMFREE, RT_INT_FREE, SMALL_INTS, SMALL_INT_PTRS, NSMALLNEG, NSMALLPOS, staticRefcnt, Py_True,
  NO_PAGE, bulkPaths, cursorsMoved,
} from "./runtime";

// @ts-ignore: decorator
@inline const DIGIT_BITS: u64 = 30;
// @ts-ignore: decorator
@inline const DIGIT_MASK: u64 = (1 << 30) - 1;
// @ts-ignore: decorator
@inline const SMALL_INT_STRIDE: u64 = 32;

// --- 2.7 int blocks ------------------------------------------------------------------------

/** 2.7's block_list heads (intobject.c, floatobject.c): every block ever filled, linked through its first word. */
// @ts-ignore: decorator
@inline const RT_INT_BLOCKS: u64 = RT + 0xd00;
// @ts-ignore: decorator
@inline const RT_FLOAT_BLOCKS: u64 = RT + 0xd08;

/**
 * fill_free_list (2.7 intobject.c and floatobject.c): a 992-byte malloc'ed
 * block of 41 24-byte objects after its `next` pointer (linked into
 * block_list), the objects linked from the last one down through ob_type;
 * returns the last (the first handed out).
 */
function fillBlockFreeList(blocks: u64): u64 {
  let block = libcMalloc(992);
  if (block == 0) {
    raise(Err.OOM, 992);
    return 0;
  }
  st64(block, ld64(blocks));
  st64(blocks, block);
  let p = block + 8; // after the block's `next` pointer
  let q = p + 40 * 24;
  // Written in this order through a page cursor (runtime.ts): the same faults as a store at a time.
  let page = NO_PAGE, base: usize = 0;
  while (!bulkPaths && q > p) {
    st64(q + 8, q - 24);
    q -= 24;
  }
  while (q > p) {
    let a = q + 8;
    if (a >> PAGE_SHIFT != page) {
      page = a >> PAGE_SHIFT;
      base = wr(a) - <usize>(a & PAGE_MASK);
    }
    store<u64>(base + <usize>(a & PAGE_MASK), q - 24);
    q -= 24;
  }
  st64(q + 8, 0);
  return p + 40 * 24;
}

/**
 * PyInt_ClearFreeList / PyFloat_ClearFreeList (2.7, called by full
 * collections): every block is relinked into block_list (a write to each
 * block's header) and its free objects rethreaded onto a new free list;
 * blocks with no live object go back to malloc.
 */
function clearBlockFreeList(blocks: u64, freeHead: u64, t: i32): void {
  let list = ld64(blocks);
  st64(blocks, 0);
  st64(freeHead, 0);
  let type = typeAddr(t);
  while (list != 0) {
    let live = 0;
    let objects = list + 8;
    for (let i: u64 = 0; i < 41; i++) {
      let p = objects + i * 24;
      if (ld64(p + 8) == type && ld64(p) != 0) live++;
    }
    let next = ld64(list);
    if (live != 0) {
      st64(list, ld64(blocks));
      st64(blocks, list);
      for (let i: u64 = 0; i < 41; i++) {
        let p = objects + i * 24;
        if (ld64(p + 8) != type || ld64(p) == 0) {
          st64(p + 8, ld64(freeHead));
          st64(freeHead, p);
        }
      }
    } else {
      libcFree(list);
    }
    list = next;
  }
}

/** 2.7's clear_freelists part for ints and floats. */
export function clearPy2NumberFreeLists(): void {
  if (!PY2()) return;
  clearBlockFreeList(RT_INT_BLOCKS, RT_INT_FREE, T.INT);
  clearBlockFreeList(RT_FLOAT_BLOCKS, RT_FLOAT_FREE, T.FLOAT);
}

function py2IntAlloc(): u64 {
  let v = ld64(RT_INT_FREE);
  if (v == 0) {
    v = fillBlockFreeList(RT_INT_BLOCKS);
    if (v == 0) return 0;
  }
  st64(RT_INT_FREE, ld64(v + 8));
  return v;
}

/** How many of v, v + step, … (at most max) are outside the small-int cache. */
function nonSmallCount(v: i64, step: i64, max: i64): i64 {
  if (step == i64.MIN_VALUE) return 1;
  if (v >= NSMALLPOS) return step > 0 ? max : min<i64>(max, (v - NSMALLPOS) / -step + 1);
  if (v < -NSMALLNEG) return step < 0 ? max : min<i64>(max, (-NSMALLNEG - 1 - v) / step + 1);
  return 0;
}

/**
 * 2.7 range(): PyInt_FromLong(v), v + step, … stored in n list slots
 * (PyList_SET_ITEM), as CPython does item by item. A small int, an int from
 * a page this loop has not written yet and each fill_free_list go the
 * ordinary way. Otherwise the free list is taken a run at a time where it
 * goes down a block as fill_free_list (or freeing ints in that order) links
 * it: o, o - 24, … on one page already written, its links read before the
 * ints are written (reads that do not wait for each other). The free list's
 * head stays in a register until the next ordinary call; ints and slots go
 * through page cursors (runtime.ts). Returns false if an int could not be made.
 */
export function py2IntsIntoSlots(slots: u64, v: i64, step: i64, n: i64): bool {
  if (!bulkPaths) {
    for (let i: i64 = 0; i < n; i++, v += step) {
      let o = newInt(v);
      if (o == 0) return false;
      st64(slots + (<u64>i << 3), o);
    }
    return true;
  }
  let type = typeAddr(T.INT);
  let head: u64 = 0;
  let held = false; // head is RT_INT_FREE's value, not written back yet
  let shares = slotMoves;
  let oPage = NO_PAGE, oBase: usize = 0;
  let sPage = NO_PAGE, sBase: usize = 0;
  let i: i64 = 0;
  while (i < n) {
    let o = head;
    let small = v >= -NSMALLNEG && v < NSMALLPOS;
    if (held && o != 0 && o >> PAGE_SHIFT == oPage && (o & PAGE_MASK) + 24 <= PAGE_SIZE && !small) {
      let off = o & PAGE_MASK;
      let p = oBase + <usize>off;
      let max = nonSmallCount(v, step, min<i64>(n - i, <i64>(off / 24) + 1));
      let k: i64 = 1;
      while (k < max && load<u64>(p - <usize>((k - 1) * 24) + 8) == o - <u64>(k * 24)) k++;
      head = load<u64>(p - <usize>((k - 1) * 24) + 8);
      for (let j: i64 = 0; j < k; j++, i++, v += step) {
        // py2IntAlloc, PyObject_INIT, ob_ival; PyList_SET_ITEM.
        let q = p - <usize>(j * 24);
        store<u64>(q, 1);
        store<u64>(q + 8, type);
        store<u64>(q + 16, <u64>v);
        let sa = slots + (<u64>i << 3);
        if (sa >> PAGE_SHIFT != sPage) {
          sPage = sa >> PAGE_SHIFT;
          sBase = wr(sa) - <usize>(sa & PAGE_MASK);
          if (cursorsMoved(shares)) {
            // The ints' page may have been given another slot: translate it again (written: no fault).
            shares = slotMoves;
            oBase = wr(o) - <usize>(o & PAGE_MASK);
            p = oBase + <usize>(o & PAGE_MASK);
            if (failed()) oPage = sPage = NO_PAGE;
          }
        }
        store<u64>(sBase + <usize>(sa & PAGE_MASK), o - <u64>(j * 24));
      }
      continue;
    }
    if (held) st64(RT_INT_FREE, head);
    held = false;
    oPage = NO_PAGE;
    sPage = NO_PAGE;
    o = newInt(v);
    if (o == 0) return false;
    st64(slots + (<u64>i << 3), o);
    if (!small && !failed()) {
      // newPy2Int wrote RT_INT_FREE and the int.
      head = ld64(RT_INT_FREE);
      held = true;
      shares = slotMoves;
      if ((o & PAGE_MASK) + 24 <= PAGE_SIZE) {
        oPage = o >> PAGE_SHIFT;
        oBase = wr(o) - <usize>(o & PAGE_MASK);
      }
    }
    i++;
    v += step;
  }
  if (held) st64(RT_INT_FREE, head);
  return true;
}

/** 2.7 int_dealloc: back on the free list (never returned to malloc). */
export function py2IntFree(o: u64): void {
  st64(o + 8, ld64(RT_INT_FREE));
  st64(RT_INT_FREE, o);
}

// --- small ints ------------------------------------------------------------------------------

/** Where the cached small int v lives (address of the object). */
// @ts-ignore: decorator
@inline function smallInt(v: i64): u64 {
  let storage = param(P.SMALL_INT_STORAGE);
  if (storage == 1 || storage == 3) return SMALL_INTS + <u64>(v + NSMALLNEG) * SMALL_INT_STRIDE;
  return ld64(SMALL_INT_PTRS + (<u64>(v + NSMALLNEG) << 3));
}

/** Creates the small-int cache as the version's start-up does. */
export function initSmallInts(): void {
  let storage = param(P.SMALL_INT_STORAGE);
  for (let v: i64 = -NSMALLNEG; v < NSMALLPOS; v++) {
    let o: u64;
    if (storage == 1 || storage == 3) {
      o = SMALL_INTS + <u64>(v + NSMALLNEG) * SMALL_INT_STRIDE;
      writeLong(o, v);
      st64(o, staticRefcnt());
    } else {
      o = storage == 0 ? newPy2Int(v) : newLongObject(v);
      if (o == 0) return;
      st64(SMALL_INT_PTRS + (<u64>(v + NSMALLNEG) << 3), o);
    }
  }
}

// --- PyLongObject ----------------------------------------------------------------------------

// @ts-ignore: decorator
@inline function ndigitsOf(v: i64): i32 {
  let a: u64 = v < 0 ? <u64>(-v) : <u64>v;
  let n = 0;
  while (a != 0) {
    n++;
    a >>= DIGIT_BITS;
  }
  return n;
}

/** Writes type, size field and digits of an int with value v at o (refcount left to the caller). */
function writeLong(o: u64, v: i64): void {
  let n = ndigitsOf(v);
  st64(o + 8, typeAddr(PY2() ? T.LONG2 : T.INT));
  if (param(P.INT_LV_TAG) != 0) {
    // lv_tag: ndigits << 3 | sign (0 positive, 1 zero, 2 negative)
    let sign: u64 = v == 0 ? 1 : v < 0 ? 2 : 0;
    st64(o + 16, (<u64>n << 3) | sign);
  } else {
    st64(o + 16, <u64>(v < 0 ? -n : n));
  }
  let a: u64 = v < 0 ? <u64>(-v) : <u64>v;
  let minDigits = param(P.INT_ONE_DIGIT_REQUEST) == 32 ? 1 : 0;
  let count = max(n, minDigits);
  for (let i = 0; i < count; i++) {
    st32(o + 24 + (<u64>i << 2), <u32>(a & DIGIT_MASK));
    a >>= DIGIT_BITS;
  }
}

/** A fresh PyLongObject (not from the cache). */
function newLongObject(v: i64): u64 {
  let n = ndigitsOf(v);
  let size: u64;
  if (param(P.INT_ONE_DIGIT_REQUEST) == 32 && n <= 1) size = 32; // 3.11+ _PyLong_FromMedium
  else size = 24 + 4 * <u64>max(n, param(P.INT_ONE_DIGIT_REQUEST) == 32 ? 1 : 0);
  let o = objMalloc(size);
  if (o == 0) return 0;
  if (n <= 1) {
    // The common one-digit int, its 28 bytes in one page: written through one translation.
    let p = wrSpan(o, 28);
    if (p != 0) {
      let a: u64 = v < 0 ? <u64>(-v) : <u64>v;
      store<u64>(p, 1);
      store<u64>(p + 8, typeAddr(PY2() ? T.LONG2 : T.INT));
      if (param(P.INT_LV_TAG) != 0) store<u64>(p + 16, (<u64>n << 3) | (v == 0 ? 1 : v < 0 ? 2 : 0));
      else store<u64>(p + 16, <u64>(v < 0 ? -n : n));
      if (n == 1 || param(P.INT_ONE_DIGIT_REQUEST) == 32) store<u32>(p + 24, <u32>(a & DIGIT_MASK));
      return o;
    }
  }
  st64(o, 1);
  writeLong(o, v);
  return o;
}

function newPy2Int(v: i64): u64 {
  let o = py2IntAlloc();
  if (o == 0) return 0;
  initObject(o, T.INT);
  st64(o + 16, <u64>v);
  return o;
}

/** PyLong_FromLong (2.7: PyInt_FromLong): a new reference. */
export function newInt(v: i64): u64 {
  if (v >= -NSMALLNEG && v < NSMALLPOS) {
    let o = smallInt(v);
    INCREF(o);
    return o;
  }
  return PY2() ? newPy2Int(v) : newLongObject(v);
}

/** True for int objects (and bool, a subclass). */
export function isInt(o: u64): bool {
  let t = typeOf(o);
  return t == T.INT || t == T.BOOL || t == T.LONG2;
}

/**
 * The value of an int (bool is 0/1). An int beyond 64 bits gives
 * i64.MAX_VALUE or i64.MIN_VALUE by its sign (saturated: slices clamp, an
 * index is out of range); intFits tells them apart.
 */
export function intValue(o: u64): i64 {
  let t = typeOf(o);
  if (t == T.BOOL) return o == Py_True ? 1 : 0;
  if (t == T.INT && PY2()) return <i64>ld64(o + 16);
  let n: i64;
  let neg = false;
  if (param(P.INT_LV_TAG) != 0) {
    let tag = ld64(o + 16);
    n = <i64>(tag >> 3);
    neg = (tag & 3) == 2;
  } else {
    n = <i64>ld64(o + 16);
    if (n < 0) {
      neg = true;
      n = -n;
    }
  }
  if (n > 2) return longValueSaturated(o);
  let v: u64 = 0;
  for (let i = n - 1; i >= 0; i--) v = (v << DIGIT_BITS) | <u64>ld32(o + 24 + (<u64>i << 2));
  return neg ? -<i64>v : <i64>v;
}

/** Whether an int's value fits in 64 bits (PyLong_AsLongAndOverflow without overflow). */
export function intFits(o: u64): bool {
  let t = typeOf(o);
  if (t == T.BOOL || (t == T.INT && PY2())) return true;
  return longFitsI64(o);
}

/** Marks an int operand the one-digit paths do not take (3.x: more than one digit; 2.7: a long). */
// @ts-ignore: decorator
@inline export const NOT_SMALL: i64 = i64.MIN_VALUE;

/**
 * The value of an int operand for CPython's one-digit fast paths: bool 0/1,
 * 2.7 PyInt's ob_ival (whose i64.MIN_VALUE also reads as NOT_SMALL: the long
 * path computes it), a 3.x int of at most one digit; else NOT_SMALL.
 */
// @ts-ignore: decorator
@inline export function smallValue(o: u64, t: i32): i64 {
  if (t == T.BOOL) return o == Py_True ? 1 : 0;
  if (PY2()) return t == T.INT ? <i64>ld64(o + 16) : NOT_SMALL;
  let s = ld64(o + 16);
  if (param(P.INT_LV_TAG) != 0) {
    if (s >= (2 << 3)) return NOT_SMALL;
    if ((s >> 3) == 0) return 0;
    let d = <i64>ld32(o + 24);
    return (s & 3) == 2 ? -d : d;
  }
  let n = <i64>s;
  if (n > 1 || n < -1) return NOT_SMALL;
  if (n == 0) return 0;
  return n * <i64>ld32(o + 24);
}

/** int_dealloc / long_dealloc. */
export function intDealloc(o: u64): void {
  if (typeOf(o) == T.INT && PY2()) py2IntFree(o);
  else objFree(o);
}

// --- float ------------------------------------------------------------------------------------

/** PyFloat_FromDouble. */
export function newFloat(v: f64): u64 {
  let o: u64;
  if (PY2()) {
    // 2.7: blocks of 41 floats, like ints (fill_free_list in floatobject.c), with their own free list.
    o = ld64(RT_FLOAT_FREE);
    if (o == 0) {
      o = fillBlockFreeList(RT_FLOAT_BLOCKS);
      if (o == 0) return 0;
    }
    st64(RT_FLOAT_FREE, ld64(o + 8));
  } else {
    o = ld64(RT_FLOAT_FREE);
    if (o != 0) {
      st64(RT_FLOAT_FREE, ld64(o + 8));
      st64(RT_FLOAT_NUMFREE, ld64(RT_FLOAT_NUMFREE) - 1);
    } else {
      o = objMalloc(24);
      if (o == 0) return 0;
    }
  }
  initObject(o, T.FLOAT);
  st64(o + 16, reinterpret<u64>(v));
  return o;
}

export function floatValue(o: u64): f64 {
  return reinterpret<f64>(ld64(o + 16));
}

/** float_dealloc: onto the free list (up to its limit in 3.x), else freed. */
export function floatDealloc(o: u64): void {
  if (PY2()) {
    st64(o + 8, ld64(RT_FLOAT_FREE));
    st64(RT_FLOAT_FREE, o);
    return;
  }
  let numfree = ld64(RT_FLOAT_NUMFREE);
  if (numfree >= <u64>param(P.FLOAT_FREELIST)) {
    objFree(o);
    return;
  }
  st64(RT_FLOAT_NUMFREE, numfree + 1);
  st64(o + 8, ld64(RT_FLOAT_FREE));
  st64(RT_FLOAT_FREE, o);
}
