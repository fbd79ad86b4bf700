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
import { Err, raise } from "../config";
import { ld64, st64 } from "../kernel/memory";
import {
  P, param, PY2, VERSION, T, typeOf, initObject, objMalloc, objFree, INCREF, DECREF, XDECREF,
  gcMalloc, gcFree, gcTrack, gcUntrack, REFCNT,
} from "./runtime";
import { newInt, intValue } from "./numbers";
import { newList, listSize, listItem, listSetItem, tupleSize, tupleItem, newTuple, tupleSetItem } from "./sequence";
import { dictEntryAt, dictEntryKey, dictEntryValue, dictLen } from "./dict";

// --- range ----------------------------------------------------------------------------------------

/** range(start, stop, step) as the version builds it (2.7: a list of ints). */
export function newRange(start: i64, stop: i64, step: i64): u64 {
  let len: i64 = 0;
  if (step > 0 && start < stop) len = (stop - start - 1) / step + 1;
  else if (step < 0 && start > stop) len = (start - stop - 1) / (-step) + 1;
  if (PY2()) {
    let l = newList(len);
    if (l == 0) return 0;
    let v = start;
    for (let i: i64 = 0; i < len; i++) {
      let o = newInt(v);
      if (o == 0) return 0;
      listSetItem(l, i, o);
      v += step;
    }
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
  raise(Err.INVALID, <u64>t);
  return ITER_DONE;
}
