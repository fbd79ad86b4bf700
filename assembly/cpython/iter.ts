/**
 * range objects and the iterators the subset's `for` loops create.
 *
 * range (3.x rangeobject, 48 bytes, not GC): @16 start @24 stop @32 step
 * @40 length, each an int object. Its iterator for C-long ranges
 * (rangeiterobject, PyObject_New): index, start, step, len as C longs (48
 * bytes); 3.12+ drops index and counts start/len down (40 bytes). Each
 * next() makes the int with PyLong_FromLong. In 2.7, range() is a list.
 *
 * Sequence iterators (GC objects, tracked): listiterobject and
 * tupleiterobject {it_index @16, it_seq @24} (32 bytes); next() reads the
 * item, bumps it_index (a write to the iterator), increfs the item.
 *
 * dict iterators (dictiterobject, GC): @16 di_dict @24 di_used @32 di_pos
 * @40 di_result (a 2-tuple reused by items() while only the iterator holds
 * it) @48 len.
 */
import { DEBUG, Err, raise, failed } from "../config";
import { ld64, st64, wr, wrSpan, slotMoves } from "../kernel/memory";
import { PAGE_SIZE, PAGE_MASK } from "../kernel/frames";
import { pymallocMarkPool, pymallocCarveRun, carvedBlocks, ALIGNMENT_SHIFT } from "./obmalloc";
import {
  P, param, PY2, VERSION, T, typeOf, typeAddr, NSMALLNEG, NSMALLPOS, bulkPaths, initObject, objMalloc, objFree, INCREF, DECREF, XDECREF,
  gcMalloc, gcFree, gcTrack, gcUntrack, REFCNT, Py_None, gcIsTracked,
} from "./runtime";
import { newInt, intValue, py2IntsIntoSlots } from "./numbers";
import { newList, listSize, listItem, listItems, listSetItem, tupleSize, tupleItem, newTuple, tupleSetItem, listAppendSteal } from "./sequence";
import { dictEntryAt, dictEntryKey, dictEntryValue, dictLen } from "./dict";
import { setIterNext } from "./set";
import { arrayIterNext } from "./array";
import { getIter } from "./ops";
import { listDelSlice, listAppend } from "./sequence";
import { genNext } from "./gen";
import { runStart, runItem } from "./runs";
import { strLen, strChar, charStr, bytesByte } from "./str";

// --- range ----------------------------------------------------------------------------------------

/** range(start, stop, step) as the version builds it (2.7: a list of ints). */
export function newRange(start: i64, stop: i64, step: i64): u64 {
  let len: i64 = 0;
  if (step > 0 && start < stop) len = (stop - start - 1) / step + 1;
  else if (step < 0 && start > stop) len = (start - stop - 1) / (-step) + 1;
  if (PY2()) {
    let l = newList(len);
    if (l == 0) return 0;
    if (len > 0 && !py2IntsIntoSlots(listItems(l), start, step, len)) return 0;
    return l;
  }
  let r = objMalloc(<u64>param(P.RANGE_BYTES));
  if (r == 0) return 0;
  initObject(r, T.RANGE);
  st64(r + 16, newInt(start));
  st64(r + 24, newInt(stop));
  st64(r + 32, newInt(step));
  st64(r + 40, newInt(len));
  return r;
}

export function rangeLen(r: u64): i64 { return intValue(ld64(r + 40)); }
export function rangeStart(r: u64): i64 { return intValue(ld64(r + 16)); }
export function rangeStep(r: u64): i64 { return intValue(ld64(r + 32)); }
export function rangeStop(r: u64): i64 { return intValue(ld64(r + 24)); }

export function rangeDealloc(r: u64): void {
  DECREF(ld64(r + 16));
  DECREF(ld64(r + 24));
  DECREF(ld64(r + 32));
  DECREF(ld64(r + 40));
  objFree(r);
}

/** range_iter → fast_range_iter. */
export function newRangeIter(r: u64): u64 {
  let it = objMalloc(<u64>param(P.RANGEITER_BYTES));
  if (it == 0) return 0;
  initObject(it, T.RANGEITER);
  let start = rangeStart(r), step = rangeStep(r), len = rangeLen(r);
  if (VERSION() >= 312) {
    st64(it + 16, <u64>start);
    st64(it + 24, <u64>step);
    st64(it + 32, <u64>len);
  } else {
    st64(it + 16, 0);
    st64(it + 24, <u64>start);
    st64(it + 32, <u64>step);
    st64(it + 40, <u64>len);
  }
  return it;
}

// --- list.extend(iterator) ----------------------------------------------------------------------

/**
 * list_extend's loop for an iterator: iternext, append the new reference
 * (list(iterable), list.extend). A range iterator feeding a list goes
 * through extendFromRangeIter, which leaves the same memory and faults.
 */
export function listExtendFromIter(l: u64, it: u64): void {
  if (typeOf(it) == T.RANGEITER) {
    extendFromRangeIter(l, it);
    return;
  }
  appendAll(l, it);
}

function appendAll(l: u64, it: u64): void {
  while (true) {
    let v = iterNext(it);
    if (v == ITER_DONE) break;
    listAppendSteal(l, v);
  }
}

// @ts-ignore: decorator
@inline const ONE_DIGIT_LIMIT: i64 = 1 << 30;

/**
 * How many of v, v + step, v + 2*step, … (at most max) PyLong_FromLong makes
 * as fresh one-digit ints: outside the small-int cache, |x| < 2**30.
 */
function freshOneDigitCount(v: i64, step: i64, max: u64): u64 {
  let m: i64;
  if (step >= ONE_DIGIT_LIMIT << 1 || step <= -(ONE_DIGIT_LIMIT << 1)) m = 1; // the next value is out
  else if (v >= NSMALLPOS && v < ONE_DIGIT_LIMIT) m = step > 0 ? (ONE_DIGIT_LIMIT - 1 - v) / step + 1 : (v - NSMALLPOS) / -step + 1;
  else if (v < -NSMALLNEG && v > -ONE_DIGIT_LIMIT) m = step > 0 ? (-NSMALLNEG - 1 - v) / step + 1 : (v + ONE_DIGIT_LIMIT - 1) / -step + 1;
  else return 0;
  return min<u64>(<u64>m, max);
}

/**
 * list.extend(range iterator), 3.x: rangeiter_next makes each int with
 * PyLong_FromLong (a fresh PyLongObject from pymalloc outside the small-int
 * cache) and list_extend stores it at ob_item[ob_size++]. Item by item, the
 * only memory seen for the first time is the int's block, the block pymalloc
 * carves after it and the next ob_item slot; the iterator, the list header
 * and the pool header are written every time.
 *
 * So each round makes one item the ordinary way (every fault it can take,
 * in CPython's order), then, while that item's int was carved from a pool
 * page and more fresh one-digit ints would follow in the same page with
 * their slots in the same ob_item page, makes them at once: pymallocCarveRun
 * does the allocations, the ints and slots are stored through one
 * translation each, and the iterator and list counters are written once.
 * None of those writes can fault (each page was written by the ordinary
 * item), and the memory ends as the item-by-item loop leaves it.
 */
function extendFromRangeIter(l: u64, it: u64): void {
  if (PY2() || !bulkPaths) { appendAll(l, it); return; } // (2.7 range() is a list: no range iterator)
  let req: u32 = param(P.INT_ONE_DIGIT_REQUEST) == 32 ? 32 : 28;
  let bsize = <u64>((((req - 1) >> ALIGNMENT_SHIFT) + 1) << ALIGNMENT_SHIFT);
  runStart(ld64(l + 24), bsize, <i64>ld64(it + (VERSION() >= 312 ? 24 : 32)));
  // One call per round: the engine optimizes a function between calls, not while a call runs,
  // so a loop over millions of items in one call would run in baseline code to its end.
  while (true) {
    let r = rangeRound(l, it, req, bsize);
    if (r == ROUND_DONE) return;
    if (r == ROUND_FAILED) { appendAll(l, it); return; }
  }
}

// @ts-ignore: decorator
@inline const ROUND_MORE: i32 = 0;
// @ts-ignore: decorator
@inline const ROUND_DONE: i32 = 1;
// @ts-ignore: decorator
@inline const ROUND_FAILED: i32 = 2;

/** One item the ordinary way, then as many more at once as its page allows (extendFromRangeIter). */
function rangeRound(l: u64, it: u64, req: u32, bsize: u64): i32 {
  let v312 = VERSION() >= 312;
  pymallocMarkPool(req);
  let o = iterNext(it);
  if (o == ITER_DONE) return ROUND_DONE;
  listAppendSteal(l, o);
  if (failed()) return ROUND_FAILED;
  // Full pools behind the run keep their bytes as descriptions (runs.ts).
  let ov = intValue(o);
  if (ov >= NSMALLPOS || ov < -NSMALLNEG) {
    if (ov < ONE_DIGIT_LIMIT && ov > -ONE_DIGIT_LIMIT) runItem(o, listSize(l) - 1, ld64(l + 24));
  }
  let shares = slotMoves; // translations stay valid while no page moved host slot
  let ih = wrSpan(it, v312 ? 40 : 48);
  let lh = wrSpan(l, 40);
  if (ih == 0 || lh == 0) return ROUND_MORE;
  // The iterator's next value, step and remaining count.
  let v: i64, step: i64, left: i64;
  if (v312) {
    v = load<i64>(ih + 16); step = load<i64>(ih + 24); left = load<i64>(ih + 32);
  } else {
    let index = load<i64>(ih + 16);
    step = load<i64>(ih + 32);
    v = load<i64>(ih + 24) + index * step;
    left = load<i64>(ih + 40) - index;
  }
  let n = load<i64>(lh + 16);
  let items = load<u64>(lh + 24);
  let room = load<i64>(lh + 32) - n;
  if (left <= 0 || room <= 0 || n <= 0) return ROUND_MORE;
  // Slots n.. in the page of slot n - 1 (written by the append).
  let slot = items + (<u64>n << 3);
  let slotsInPage = (PAGE_SIZE - ((slot - 8) & PAGE_MASK) - 8) >> 3;
  let max = min<u64>(min<u64>(<u64>left, <u64>room), slotsInPage);
  max = freshOneDigitCount(v, step, max);
  let b = pymallocCarveRun(req, max);
  if (b == 0) return ROUND_MORE;
  let k = carvedBlocks;
  let p = wr(b); // pages written by the ordinary item: no fault
  let s = wr(slot);
  if (DEBUG) assert(slotMoves == shares); // (no copy-on-write fault moved a page since ih, lh)
  let type = typeAddr(T.INT);
  let tag: u64 = param(P.INT_LV_TAG) != 0 ? (v < 0 ? (1 << 3) | 2 : 1 << 3) : (v < 0 ? <u64>-1 : 1);
  for (let j: u64 = 0; j < k; j++) {
    // _PyLong_New(1) / _PyLong_FromMedium: refcount 1, type, size (3.12+ lv_tag), one digit.
    let q = p + <usize>(j * bsize);
    store<u64>(q, 1);
    store<u64>(q + 8, type);
    store<u64>(q + 16, tag);
    store<u32>(q + 24, <u32>(v < 0 ? -v : v));
    store<u64>(s + <usize>(j << 3), b + j * bsize);
    v += step;
  }
  store<u64>(lh + 16, <u64>(n + <i64>k));
  if (v312) {
    store<u64>(ih + 16, <u64>v);
    store<u64>(ih + 32, <u64>(left - <i64>k));
  } else {
    store<u64>(ih + 16, load<u64>(ih + 16) + k);
  }
  return ROUND_MORE;
}

// --- sequence iterators ---------------------------------------------------------------------------

export function newSeqIter(seq: u64, t: i32): u64 {
  let it = gcMalloc(32);
  if (it == 0) return 0;
  initObject(it, t);
  st64(it + 16, 0);
  INCREF(seq);
  st64(it + 24, seq);
  gcTrack(it);
  return it;
}

export function seqIterDealloc(it: u64): void {
  gcUntrack(it);
  XDECREF(ld64(it + 24));
  gcFree(it);
}

export function newDictIter(d: u64, t: i32): u64 {
  let it = gcMalloc(56);
  if (it == 0) return 0;
  initObject(it, t);
  INCREF(d);
  st64(it + 16, d);
  st64(it + 24, <u64>dictLen(d));
  st64(it + 32, 0);
  let result: u64 = 0;
  if (t == T.DICTITEMITER) {
    result = newTuple(2);
    if (result == 0) return 0;
    // PyTuple_Pack(2, Py_None, Py_None) in CPython; empty slots here are filled on first use.
  }
  st64(it + 40, result);
  st64(it + 48, <u64>dictLen(d));
  gcTrack(it);
  return it;
}

export function dictIterDealloc(it: u64): void {
  gcUntrack(it);
  XDECREF(ld64(it + 16));
  XDECREF(ld64(it + 40));
  gcFree(it);
}

/** Marks the end of iteration (iternext returned NULL without an error). */
// @ts-ignore: decorator
@inline export const ITER_DONE: u64 = 0;

/** tp_iternext of the iterator types: a new reference, or 0 at the end. */
export function iterNext(it: u64): u64 {
  let t = typeOf(it);
  if (t == T.LISTITER) {
    let h = wrSpan(it, 32);
    if (h != 0) {
      // listiter_next with the iterator's fields through one translation.
      let seq = load<u64>(h + 24);
      if (seq == 0) return ITER_DONE;
      let i = load<i64>(h + 16);
      // The list itself is only read.
      if (i < listSize(seq)) {
        let item = listItem(seq, i);
        store<u64>(h + 16, <u64>(i + 1));
        INCREF(item);
        return item;
      }
    }
    let seq = ld64(it + 24);
    if (seq == 0) return ITER_DONE;
    let i = <i64>ld64(it + 16);
    if (i < listSize(seq)) {
      let item = listItem(seq, i);
      st64(it + 16, <u64>(i + 1));
      INCREF(item);
      return item;
    }
    st64(it + 24, 0);
    DECREF(seq);
    return ITER_DONE;
  }
  if (t == T.RANGEITER) {
    if (VERSION() >= 312) {
      let len = <i64>ld64(it + 32);
      if (len <= 0) return ITER_DONE;
      let v = <i64>ld64(it + 16);
      st64(it + 16, <u64>(v + <i64>ld64(it + 24)));
      st64(it + 32, <u64>(len - 1));
      return newInt(v);
    }
    let h = wrSpan(it, 48);
    if (h != 0) {
      let index = load<i64>(h + 16);
      if (index >= load<i64>(h + 40)) return ITER_DONE;
      store<u64>(h + 16, <u64>(index + 1));
      return newInt(load<i64>(h + 24) + index * load<i64>(h + 32));
    }
    let index = <i64>ld64(it + 16);
    if (index < <i64>ld64(it + 40)) {
      st64(it + 16, <u64>(index + 1));
      return newInt(<i64>ld64(it + 24) + index * <i64>ld64(it + 32));
    }
    return ITER_DONE;
  }
  if (t == T.TUPLEITER) {
    let seq = ld64(it + 24);
    if (seq == 0) return ITER_DONE;
    let i = <i64>ld64(it + 16);
    if (i < tupleSize(seq)) {
      let item = tupleItem(seq, i);
      st64(it + 16, <u64>(i + 1));
      INCREF(item);
      return item;
    }
    st64(it + 24, 0);
    DECREF(seq);
    return ITER_DONE;
  }
  if (t == T.STRITER || t == T.BYTESITER) {
    // unicodeiter_next: unicode_char() of the next character (cached below 256); striter_next (bytes):
    // PyLong_FromLong of the next byte (a small int); 2.7 iter_iternext → string_item. At the end
    // the sequence is dropped (2.7: after an IndexError that is cleared, not modelled).
    let seq = ld64(it + 24);
    if (seq == 0) return ITER_DONE;
    let i = <i64>ld64(it + 16);
    if (i < strLen(seq)) {
      st64(it + 16, <u64>(i + 1));
      return t == T.STRITER ? charStr(strChar(seq, i)) : newInt(<i64>bytesByte(seq, i));
    }
    st64(it + 24, 0);
    DECREF(seq);
    return ITER_DONE;
  }
  if (t == T.DICTKEYITER || t == T.DICTVALUEITER || t == T.DICTITEMITER) {
    let d = ld64(it + 16);
    if (d == 0) return ITER_DONE;
    let pos = ld64(it + 32);
    while (true) {
      let e = dictEntryAt(d, pos);
      if (e == 0) break;
      pos++;
      let key = dictEntryKey(d, e);
      if (key == 0) continue;
      st64(it + 32, pos);
      st64(it + 48, ld64(it + 48) - 1);
      let value = dictEntryValue(d, e);
      if (t == T.DICTKEYITER) { INCREF(key); return key; }
      if (t == T.DICTVALUEITER) { INCREF(value); return value; }
      let result = ld64(it + 40);
      if (REFCNT(result) == 1) {
        // Reuse the result tuple: only the iterator holds it.
        INCREF(result);
        let oldKey = tupleItem(result, 0), oldValue = tupleItem(result, 1);
        INCREF(key);
        INCREF(value);
        tupleSetItem(result, 0, key);
        tupleSetItem(result, 1, value);
        XDECREF(oldKey);
        XDECREF(oldValue);
        return result;
      }
      let r = newTuple(2);
      if (r == 0) return 0;
      INCREF(key);
      INCREF(value);
      tupleSetItem(r, 0, key);
      tupleSetItem(r, 1, value);
      return r;
    }
    st64(it + 16, 0);
    DECREF(d);
    return ITER_DONE;
  }
  if (t == T.SETITER) return setIterNext(it);
  if (t == T.ARRAYITER) return arrayIterNext(it);
  if (t == T.ENUMERATE) return enumNext(it);
  if (t == T.ZIP) return zipNext(it);
  if (t == T.REVERSED) return listRevNext(it);
  if (t == T.GENERATOR) return genNext(it);
  raise(Err.INVALID, <u64>t);
  return ITER_DONE;
}

// --- enumerate, zip, reversed (Objects/enumobject.c, Python/bltinmodule.c, Objects/listobject.c) -----

/**
 * enum_new: tp_alloc (PyType_GenericAlloc: zeroed, tracked at once), then
 * the inner iterator and en_result = PyTuple_Pack(2, None, None).
 * enumobject: @16 en_index @24 en_sit @32 en_result @40 en_longindex
 * (3.11+: @48 `one`, a borrowed reference to the int 1): 48 bytes, 56 in 3.11+.
 */
export function newEnumerate(seq: u64, start: i64): u64 {
  let size: u64 = VERSION() >= 311 ? 56 : 48;
  let en = gcMalloc(size);
  if (en == 0) return 0;
  for (let k: u64 = 16; k < size; k += 8) st64(en + k, 0);
  initObject(en, T.ENUMERATE);
  gcTrack(en);
  st64(en + 16, <u64>start);
  let sit = getIter(seq);
  if (sit == 0) { DECREF(en); return 0; }
  st64(en + 24, sit);
  let r = newTuple(2);
  if (r == 0) return 0;
  INCREF(Py_None);
  tupleSetItem(r, 0, Py_None);
  INCREF(Py_None);
  tupleSetItem(r, 1, Py_None);
  st64(en + 32, r);
  return en;
}

export function enumDealloc(en: u64): void {
  gcUntrack(en);
  XDECREF(ld64(en + 24));
  XDECREF(ld64(en + 32));
  XDECREF(ld64(en + 40));
  gcFree(en);
}

/**
 * enum_next: the inner iterator's item, the index as an int; the result
 * tuple is reused while only the enumerate object holds it (2.7/3.6: the old
 * items are released before the new ones are stored; 3.7+: after; 3.8+
 * re-tracks the tuple if the collector untracked it).
 */
function enumNext(en: u64): u64 {
  let sit = ld64(en + 24);
  let item = iterNext(sit);
  if (item == ITER_DONE) return ITER_DONE;
  let index = <i64>ld64(en + 16);
  let ix = newInt(index);
  if (ix == 0) { DECREF(item); return 0; }
  st64(en + 16, <u64>(index + 1));
  let result = ld64(en + 32);
  if (REFCNT(result) == 1) {
    INCREF(result);
    if (VERSION() < 307) {
      DECREF(tupleItem(result, 0));
      DECREF(tupleItem(result, 1));
      tupleSetItem(result, 0, ix);
      tupleSetItem(result, 1, item);
    } else {
      let oldIndex = tupleItem(result, 0), oldItem = tupleItem(result, 1);
      tupleSetItem(result, 0, ix);
      tupleSetItem(result, 1, item);
      DECREF(oldIndex);
      DECREF(oldItem);
      if (VERSION() >= 308 && !gcIsTracked(result)) gcTrack(result);
    }
    return result;
  }
  let r = newTuple(2);
  if (r == 0) return 0;
  tupleSetItem(r, 0, ix);
  tupleSetItem(r, 1, item);
  return r;
}

/**
 * zip_new (3.x): a tuple of the iterators, a result tuple of Nones, then the
 * zipobject (tp_alloc, tracked): @16 tuplesize @24 ittuple @32 result
 * (3.10+ @40 strict): 40 bytes, 48 in 3.10+. Items are borrowed from args.
 */
export function newZip(args: usize, n: i32): u64 {
  let ittuple = newTuple(n);
  if (ittuple == 0) return 0;
  for (let i = 0; i < n; i++) {
    let it = getIter(load<u64>(args + (<usize>i << 3)));
    if (it == 0) { DECREF(ittuple); return 0; }
    tupleSetItem(ittuple, i, it);
  }
  let result = newTuple(n);
  if (result == 0) return 0;
  for (let i = 0; i < n; i++) { INCREF(Py_None); tupleSetItem(result, i, Py_None); }
  let size: u64 = VERSION() >= 310 ? 48 : 40;
  let z = gcMalloc(size);
  if (z == 0) return 0;
  for (let k: u64 = 16; k < size; k += 8) st64(z + k, 0);
  initObject(z, T.ZIP);
  gcTrack(z);
  st64(z + 24, ittuple);
  st64(z + 16, <u64>n);
  st64(z + 32, result);
  return z;
}

export function zipDealloc(z: u64): void {
  gcUntrack(z);
  XDECREF(ld64(z + 24));
  XDECREF(ld64(z + 32));
  gcFree(z);
}

/** zip_next: refills the result tuple in place while only the zip object holds it, else a new tuple. */
function zipNext(z: u64): u64 {
  let n = <i64>ld64(z + 16);
  if (n == 0) return ITER_DONE;
  let ittuple = ld64(z + 24);
  let result = ld64(z + 32);
  if (REFCNT(result) == 1) {
    INCREF(result);
    for (let i: i64 = 0; i < n; i++) {
      let item = iterNext(tupleItem(ittuple, i));
      if (item == ITER_DONE) { DECREF(result); return ITER_DONE; }
      let old = tupleItem(result, i);
      tupleSetItem(result, i, item);
      DECREF(old);
    }
    if (VERSION() >= 308 && !gcIsTracked(result)) gcTrack(result);
    return result;
  }
  let r = newTuple(n);
  if (r == 0) return 0;
  for (let i: i64 = 0; i < n; i++) {
    let item = iterNext(tupleItem(ittuple, i));
    if (item == ITER_DONE) { DECREF(r); return ITER_DONE; }
    tupleSetItem(r, i, item);
  }
  return r;
}

/**
 * 2.7 zip(): a list of tuples. PyList_New(shortest length hint), the
 * iterators in a tuple, one new tuple per step (the last, incomplete one is
 * freed), then the list is cut to the count made.
 */
export function zipList27(args: usize, n: i32): u64 {
  if (n == 0) return newList(0);
  let len: i64 = -1;
  for (let i = 0; i < n; i++) {
    let a = load<u64>(args + (<usize>i << 3));
    let t = typeOf(a);
    let h: i64 = t == T.LIST ? listSize(a) : t == T.TUPLE ? tupleSize(a) : -1;
    if (h >= 0 && (len < 0 || h < len)) len = h;
  }
  if (len < 0) len = 10;
  let ret = newList(len);
  if (ret == 0) return 0;
  let itlist = newTuple(n);
  if (itlist == 0) return 0;
  for (let i = 0; i < n; i++) {
    let it = getIter(load<u64>(args + (<usize>i << 3)));
    if (it == 0) { DECREF(itlist); DECREF(ret); return 0; }
    tupleSetItem(itlist, i, it);
  }
  let i: i64 = 0;
  let done = false;
  while (!done) {
    let next = newTuple(n);
    if (next == 0) return 0;
    for (let j = 0; j < n; j++) {
      let item = iterNext(tupleItem(itlist, j));
      if (item == ITER_DONE) { DECREF(next); done = true; break; }
      tupleSetItem(next, j, item);
    }
    if (done) break;
    if (i < len) listSetItem(ret, i, next);
    else { listAppend(ret, next); DECREF(next); }
    i++;
  }
  if (i < len) listDelSlice(ret, i, len);
  DECREF(itlist);
  return ret;
}

/** list.__reversed__: listreviterobject {it_index @16 = len - 1, it_seq @24} (32 bytes + GC head), tracked. */
export function newListRevIter(l: u64): u64 {
  let it = gcMalloc(32);
  if (it == 0) return 0;
  initObject(it, T.REVERSED);
  st64(it + 16, <u64>(listSize(l) - 1));
  INCREF(l);
  st64(it + 24, l);
  gcTrack(it);
  return it;
}

/** listreviter_next: reads ob_item[index], index-- (a write to the iterator), incref. */
function listRevNext(it: u64): u64 {
  let seq = ld64(it + 24);
  if (seq == 0) return ITER_DONE;
  let index = <i64>ld64(it + 16);
  if (index >= 0 && index < listSize(seq)) {
    let item = listItem(seq, index);
    st64(it + 16, <u64>(index - 1));
    INCREF(item);
    return item;
  }
  st64(it + 16, <u64>-1);
  st64(it + 24, 0);
  DECREF(seq);
  return ITER_DONE;
}
