/**
 * Builtin functions, module functions (gc, sys) and methods of the subset's
 * types, as CPython implements them where memory is concerned: which objects
 * they allocate, which references they take and drop.
 *
 * Ids are shared with the host (src/python/builtins.ts).
 */
import { DEBUG, Err, raise, failed } from "../config";
import { ld64, st64, ld32, st8 } from "../kernel/memory";
import {
  P, param, PY2, VERSION, T, typeOf, INCREF, DECREF, XDECREF, Py_None, Py_True, Py_False, newBool, REFCNT,
  genThreshold, genCount, GC_ENABLED, memMalloc, memFree, typeAddr, initObject, gcMalloc, gcTrack, gcUntrack, gcFree,
} from "./runtime";
import { newInt, intValue, intFits, isInt, newFloat, floatValue, smallValue, NOT_SMALL } from "./numbers";
import {
  intUnary, intAsDouble, intHash, longFromDouble, longFromDecimal, longLong, longFitsI64, longValueSaturated,
  indexOverflow,
} from "./long";
import { newTuple, tupleSize, tupleItem, tupleSetItem, newList, listSize, listItem, listSetItem, listItems, listAppend,
  listAppendSteal, listResize, listPreallocate, listAllocated, listPop, listDelSlice, copyItemsIncref } from "./sequence";
import { newDict, dictGet, dictSet, dictLen } from "./dict";
import { newRange, newDictIter, iterNext, ITER_DONE, rangeLen, listExtendFromIter } from "./iter";
import { getIter, objLen, hasLen, lessThan, strOf, binaryOp, Msg } from "./ops";
import { kmemAlloc } from "../kernel/kmem";
import { Exc, setExc, builtinId, excPending } from "./interp";
import {
  newStrFromUtf8, strLen, strChar, newBytesZeroed, newBytes, emptyStr, charStr, strSlice, strSubscriptSlice, allocStr, strData,
} from "./str";
import { textReset, textChar, textPtr, textLen } from "./text";
import { newSet, setAdd, setDiscard, isAnySet } from "./set";
import { newEnumerate, newZip, zipList27, newListRevIter } from "./iter";
import { newByteArray, newArray, arrayAppend, newRawArray, itemSize } from "./array";
import { getsizeof } from "./sizes";
import { newBoundMethod } from "./funcs";
import { listInsert, listReverse, listClear, tupleResize } from "./sequence";
import { dictDel } from "./dict";
import { equalObjects, hashOf } from "./compare";
import { gcBuiltin } from "./gc";

export const enum B {
  RANGE = 0, LIST, TUPLE, DICT, SET, STR, INT, FLOAT, BYTES, BYTEARRAY, LEN, SUM, MIN, MAX, SORTED, REVERSED,
  ENUMERATE, ZIP, ISINSTANCE, ID, BOOL, XRANGE, FROZENSET, ANY, ALL, ABS, HASH, ITER,
  GC_DISABLE = 32, GC_ENABLE, GC_ISENABLED, GC_COLLECT, GC_FREEZE, GC_UNFREEZE, GC_GET_FREEZE_COUNT, GC_SET_THRESHOLD,
  GC_GET_THRESHOLD, GC_GET_COUNT,
  SYS_GETREFCOUNT = 48, SYS_GETSIZEOF,
  ARRAY_ARRAY = 56,
  RAW_ARRAY = 64, SHARED_ARRAY,
  COUNT = 80,
}

/** Method ids (LOAD_METHOD). */
export const enum M {
  APPEND = 1, POP, EXTEND, INSERT, INDEX, COUNT, SORT, REVERSE, REMOVE, CLEAR,
  GET = 16, KEYS, ITEMS, VALUES, DICT_POP, SETDEFAULT, UPDATE,
  ADD = 32, DISCARD,
  JOIN = 48, ENCODE, SPLIT, STRIP, STARTSWITH, ENDSWITH, UPPER, LOWER,
}

function unsupported(id: i32, t: i32): u64 {
  setExc(Exc.UNSUPPORTED, 1000 + id, t, 0);
  return 0;
}

function badArgs(id: i32): u64 {
  setExc(Exc.TYPE, Msg.BAD_ARGS, id, 0);
  return 0;
}

// @ts-ignore: decorator
@inline function arg(args: usize, i: i32): u64 {
  return load<u64>(args + (<usize>i << 3));
}

function none(): u64 {
  INCREF(Py_None);
  return Py_None;
}

/** Calls a callable object with positional args (borrowed) and optional kw names (a tuple of str). */
export function callObject(fn: u64, args: usize, argc: i32, kwnames: u64): u64 {
  if (typeOf(fn) != T.BUILTIN) {
    setExc(Exc.TYPE, Msg.NOT_CALLABLE, typeOf(fn), 0);
    return 0;
  }
  let nkw: i32 = kwnames != 0 ? <i32>tupleSize(kwnames) : 0;
  let npos = argc - nkw;
  let id = builtinId(fn);
  if (nkw > 0 && id != B.SORTED && id != B.ENUMERATE && id != B.SUM && id != B.SHARED_ARRAY) return badArgs(id);
  switch (id) {
    case B.RANGE:
    case B.XRANGE: {
      for (let i = 0; i < npos; i++) if (!isInt(arg(args, i))) { setExc(Exc.TYPE, Msg.INDICES_MUST_BE_INT, typeOf(arg(args, i)), 0); return 0; }
      // 3.x ranges of ints beyond 64 bits (longrangeobject) are not modelled; 2.7 range/xrange raise OverflowError
      for (let i = 0; i < npos; i++) if (!intFits(arg(args, i))) return PY2() ? indexOverflowed() : unsupported(id, T.INT);
      if (npos == 1) return newRange(0, intValue(arg(args, 0)), 1);
      if (npos == 2) return newRange(intValue(arg(args, 0)), intValue(arg(args, 1)), 1);
      if (npos == 3) {
        let step = intValue(arg(args, 2));
        if (step == 0) { setExc(Exc.VALUE, 100, 0, 0); return 0; }
        return newRange(intValue(arg(args, 0)), intValue(arg(args, 1)), step);
      }
      return badArgs(id);
    }
    case B.LIST: {
      if (npos == 0) return newList(0);
      if (npos != 1) return badArgs(id);
      return listFromIterable(arg(args, 0));
    }
    case B.TUPLE: {
      if (npos == 0) return newTuple(0);
      if (npos != 1) return badArgs(id);
      return tupleFromIterable(arg(args, 0));
    }
    case B.DICT: {
      if (npos == 0) return newDict();
      if (npos != 1) return badArgs(id);
      let src = arg(args, 0);
      if (typeOf(src) == T.DICT) return unsupported(id, T.DICT);
      let d = newDict();
      if (d == 0) return 0;
      if (!dictMergeFromSeq2(d, src)) { DECREF(d); return 0; }
      return d;
    }
    case B.STR: {
      if (npos == 0) return newStrFromUtf8(0, 0);
      if (npos > 3) return badArgs(id);
      if (npos > 1) return PY2() ? badArgs(id) : unsupported(id, typeOf(arg(args, 0))); // 3.x str(object, encoding, errors): decoding
      return strOf(arg(args, 0));
    }
    case B.INT: {
      if (npos == 0) return newInt(0);
      if (npos > 2) return badArgs(id);
      let a = arg(args, 0);
      if (npos == 2) return unsupported(id, typeOf(a)); // int(x, base)
      if (isInt(a)) return intOfInt(a);
      if (typeOf(a) == T.FLOAT) return intOfFloat(floatValue(a));
      if (typeOf(a) == T.STR) return intFromStr(a);
      return badArgs(id);
    }
    case B.FLOAT: {
      if (npos == 0) return newFloat(0);
      if (npos > 1) return badArgs(id);
      let a = arg(args, 0);
      if (isInt(a)) {
        let f = intAsDouble(a);
        return excPending() ? 0 : newFloat(f);
      }
      if (typeOf(a) == T.FLOAT) { INCREF(a); return a; }
      let t = typeOf(a);
      if (t == T.STR || t == T.BYTES || t == T.BYTEARRAY) return unsupported(id, t); // parsing a number
      return badArgs(id);
    }
    case B.BOOL: {
      if (npos == 0) return newBool(false);
      if (npos > 1) return badArgs(id);
      return newBool(truthyOf(arg(args, 0)));
    }
    case B.BYTES: {
      if (npos == 1 && isInt(arg(args, 0))) {
        if (!intFits(arg(args, 0))) return indexOverflowed();
        return newBytesZeroed(intValue(arg(args, 0)));
      }
      return unsupported(id, npos > 0 ? typeOf(arg(args, 0)) : 0);
    }
    case B.SET:
    case B.FROZENSET: {
      if (npos > 1) return badArgs(id);
      // frozenset_new: a frozenset argument is returned as it is.
      if (id == B.FROZENSET && npos == 1 && typeOf(arg(args, 0)) == T.FROZENSET) { INCREF(arg(args, 0)); return arg(args, 0); }
      let s = newSet(id == B.FROZENSET);
      if (s == 0 || npos == 0) return s;
      if (!setUpdate(s, arg(args, 0))) { DECREF(s); return 0; }
      return s;
    }
    case B.ENUMERATE: {
      if (npos != 1 || nkw > 0) return npos == 1 ? unsupported(id, 0) : badArgs(id);
      return newEnumerate(arg(args, 0), 0);
    }
    case B.ZIP: {
      if (PY2()) return zipList27(args, npos);
      return newZip(args, npos);
    }
    case B.REVERSED: {
      if (npos != 1) return badArgs(id);
      let seq = arg(args, 0);
      if (typeOf(seq) != T.LIST) return unsupported(id, typeOf(seq));
      // reversed_new: _PyObject_LookupSpecial(seq, "__reversed__") makes a bound method, called, then released.
      let m = newBoundMethod(seq);
      if (m == 0) return 0;
      let r = newListRevIter(seq);
      DECREF(m);
      return r;
    }
    case B.BYTEARRAY: {
      if (npos == 0) return newByteArray(0, 0);
      let a = arg(args, 0);
      if (npos == 1 && isInt(a)) {
        if (!intFits(a)) return indexOverflowed();
        return newByteArray(intValue(a), 0);
      }
      if (npos == 1 && typeOf(a) == (PY2() ? T.STR : T.BYTES)) return newByteArray(<i64>ld64(a + 16), a);
      return unsupported(id, typeOf(a));
    }
    case B.ARRAY_ARRAY: return arrayArray(args, npos);
    case B.RAW_ARRAY:
    case B.SHARED_ARRAY: {
      if (npos != 2) return badArgs(id);
      if (id == B.SHARED_ARRAY) {
        // Array(..., lock=False) is the raw ctypes array; with a lock it is a SynchronizedArray (Python code).
        let lockFalse = nkw == 1 && arg(args, 2) == Py_False;
        if (!lockFalse) return unsupported(id, 0);
      }
      let tc = arg(args, 0), n = arg(args, 1);
      if (typeOf(tc) != T.STR || strLen(tc) != 1 || !isInt(n)) return unsupported(id, typeOf(n));
      let code = <i32>strChar(tc, 0);
      if (itemSize(code) == 0) return badArgs(id);
      if (!intFits(n)) return indexOverflowed();
      return newRawArray(code, intValue(n));
    }
    case B.SYS_GETSIZEOF: {
      if (npos != 1) return badArgs(id);
      let o = arg(args, 0);
      let size = getsizeof(o);
      if (size < 0) return unsupported(id, typeOf(o));
      // _PyObject_LookupSpecial(o, "__sizeof__"): a bound method, called, released.
      let m = newBoundMethod(o);
      if (m == 0) return 0;
      let inner = newInt(size - <i64>(size >= 0 ? gcPart(o) : 0));
      DECREF(m);
      if (inner == 0) return 0;
      DECREF(inner);
      return newInt(size);
    }
    case B.LEN: {
      if (npos != 1) return badArgs(id);
      let n = objLen(arg(args, 0));
      return n < 0 ? 0 : newInt(n);
    }
    case B.SUM: return sum(args, npos, nkw);
    case B.ANY:
    case B.ALL: {
      if (npos != 1) return badArgs(id);
      return anyAll(arg(args, 0), id == B.ANY);
    }
    case B.MIN:
    case B.MAX: return minMax(args, npos, id == B.MAX);
    case B.SORTED: {
      if (npos != 1) return badArgs(id);
      let reverse = sortKeywords(args, npos, kwnames, id);
      if (reverse < 0) return 0;
      let l = listFromIterable(arg(args, 0));
      if (l == 0) return 0;
      sortList(l, reverse == 1);
      return l;
    }
    case B.ISINSTANCE: {
      if (npos != 2) return badArgs(id);
      let o = arg(args, 0), cls = arg(args, 1);
      if (typeOf(cls) != T.BUILTIN) return badArgs(id);
      let want = typeForBuiltin(builtinId(cls));
      let t = typeOf(o);
      return newBool(t == want || (want == T.INT && t == T.BOOL)); // 2.7: a long is not an int
    }
    case B.ABS: {
      if (npos != 1) return badArgs(id);
      let a = arg(args, 0);
      if (isInt(a)) return intUnary(3, a);
      if (typeOf(a) == T.FLOAT) return newFloat(Math.abs(floatValue(a)));
      return unsupported(id, typeOf(a));
    }
    case B.ITER: {
      // PyObject_GetIter (iter(callable, sentinel) is not modelled).
      if (npos == 2) return unsupported(id, typeOf(arg(args, 0)));
      if (npos != 1) return badArgs(id);
      return getIter(arg(args, 0));
    }
    case B.HASH: {
      if (npos != 1) return badArgs(id);
      let a = arg(args, 0);
      let t = typeOf(a);
      if (t == T.LIST || t == T.DICT || t == T.SET || t == T.BYTEARRAY) { setExc(Exc.TYPE, Msg.UNHASHABLE, t, 0); return 0; }
      if (t == T.INT || t == T.BOOL || t == T.LONG2) return newInt(intHash(a));
      return newInt(hashOf(a));
    }
    case B.ID: {
      if (npos != 1) return badArgs(id);
      return newInt(<i64>arg(args, 0));
    }
    case B.GC_COLLECT:
    case B.GC_FREEZE:
    case B.GC_UNFREEZE:
    case B.GC_GET_FREEZE_COUNT: return gcBuiltin(id, args, npos);
    case B.GC_DISABLE: if (npos != 0) return badArgs(id); st64(GC_ENABLED, 0); return none();
    case B.GC_ENABLE: if (npos != 0) return badArgs(id); st64(GC_ENABLED, 1); return none();
    case B.GC_ISENABLED: if (npos != 0) return badArgs(id); return newBool(ld64(GC_ENABLED) != 0);
    case B.GC_SET_THRESHOLD: {
      if (npos < 1 || npos > 3) return badArgs(id);
      for (let i = 0; i < npos; i++) {
        if (!isInt(arg(args, i))) return badArgs(id);
        st64(genThreshold(i), <u64>intValue(arg(args, i)));
      }
      return none();
    }
    case B.GC_GET_THRESHOLD:
    case B.GC_GET_COUNT: {
      if (npos != 0) return badArgs(id);
      let t = newTuple(3);
      if (t == 0) return 0;
      for (let g = 0; g < 3; g++) {
        tupleSetItem(t, g, newInt(<i64>ld64(id == B.GC_GET_THRESHOLD ? genThreshold(g) : genCount(g))));
      }
      return t;
    }
    case B.SYS_GETREFCOUNT: {
      if (npos != 1) return badArgs(id);
      let o = arg(args, 0);
      if (param(P.IMMORTAL) != 0 && <i32>ld32(o) < 0) return newInt(<i64>ld32(o));
      return newInt(REFCNT(o));
    }
  }
  return unsupported(id, 0);
}

function typeForBuiltin(id: i32): i32 {
  switch (id) {
    case B.LIST: return T.LIST;
    case B.TUPLE: return T.TUPLE;
    case B.DICT: return T.DICT;
    case B.SET: return T.SET;
    case B.STR: return T.STR;
    case B.INT: return T.INT;
    case B.FLOAT: return T.FLOAT;
    case B.BYTES: return PY2() ? T.STR : T.BYTES;
    case B.BOOL: return T.BOOL;
    case B.RANGE: return T.RANGE;
    case B.FROZENSET: return T.FROZENSET;
    case B.BYTEARRAY: return T.BYTEARRAY;
  }
  return -1;
}

/** The GC head part of getsizeof (the __sizeof__ int is the rest). */
function gcPart(o: u64): i64 {
  let t = typeOf(o);
  if (t == T.INT || t == T.BOOL || t == T.LONG2 || t == T.FLOAT || t == T.STR || t == T.BYTES || t == T.NONE ||
      t == T.BYTEARRAY || t == T.RANGE || t == T.RANGEITER || (t == T.ARRAY && VERSION() < 310)) return 0;
  return <i64>param(P.GC_HEAD);
}

/** set_update_internal: another set is merged, anything else iterated (set_add_key per item). */
export function setUpdate(s: u64, src: u64): bool {
  let it = getIter(src);
  if (it == 0) return false;
  while (true) {
    let v = iterNext(it);
    if (v == ITER_DONE) break;
    let ok = setAdd(s, v);
    DECREF(v);
    if (!ok) { DECREF(it); return false; }
  }
  DECREF(it);
  return !failed();
}

/**
 * array.array(typecode, initializer): a list or tuple gives an array of that
 * length filled item by item; any other iterable (3.x range) an empty array
 * extended by ins1/array_resize per item.
 */
function arrayArray(args: usize, npos: i32): u64 {
  if (npos < 1 || npos > 2) return badArgs(B.ARRAY_ARRAY);
  let tc = arg(args, 0);
  if (typeOf(tc) != T.STR || strLen(tc) != 1) return badArgs(B.ARRAY_ARRAY);
  let code = <i32>strChar(tc, 0);
  if (itemSize(code) == 0) return unsupported(B.ARRAY_ARRAY, 0);
  if (npos == 1) return newArray(code, 0);
  let init = arg(args, 1);
  let t = typeOf(init);
  if (t == T.LIST || t == T.TUPLE) {
    let n: i64 = t == T.LIST ? listSize(init) : tupleSize(init);
    let a = newArray(code, n);
    if (a == 0) return 0;
    for (let i: i64 = 0; i < n; i++) {
      let v = t == T.LIST ? listItem(init, i) : tupleItem(init, i);
      INCREF(v);
      let ok = arraySetItemRaw(a, i, v);
      DECREF(v);
      if (!ok) { DECREF(a); return 0; }
    }
    return a;
  }
  if (t == T.STR || t == T.BYTES || t == T.BYTEARRAY || t == T.ARRAY) return unsupported(B.ARRAY_ARRAY, t);
  let it = getIter(init);
  if (it == 0) return 0;
  let a = newArray(code, 0);
  if (a == 0) return 0;
  while (true) {
    let v = iterNext(it);
    if (v == ITER_DONE) break;
    let ok = arrayAppend(a, v);
    DECREF(v);
    if (!ok) { DECREF(it); DECREF(a); return 0; }
  }
  DECREF(it);
  return a;
}

import { arraySetItem } from "./array";
function arraySetItemRaw(a: u64, i: i64, v: u64): bool {
  return arraySetItem(a, i, v);
}

import { truthy } from "./ops";
function truthyOf(o: u64): bool {
  return truthy(o);
}

/**
 * int(str) in base 10: PyLong_FromString (3.x: a long of size_z digits, the
 * estimate from the digit count, normalized, maybe_small_long); 2.7
 * PyInt_FromString: strtol, and PyLong_FromString when it overflows.
 */
function intFromStr(s: u64): u64 {
  let n = strLen(s);
  let i: i64 = 0;
  let neg = false;
  while (i < n && isSpace(strChar(s, i))) i++;
  if (i < n && (strChar(s, i) == 45 || strChar(s, i) == 43)) { neg = strChar(s, i) == 45; i++; }
  let start = i;
  let digits: i64 = 0;
  let prevUnderscore = false;
  let fits = true;
  let v: u64 = 0;
  while (i < n) {
    let c = strChar(s, i);
    if (c == 95 && digits > 0 && !prevUnderscore && !PY2()) { prevUnderscore = true; i++; continue; }
    if (c < 48 || c > 57) break;
    prevUnderscore = false;
    if (v > (u64.MAX_VALUE - 9) / 10) fits = false;
    v = v * 10 + <u64>(c - 48);
    digits++;
    i++;
  }
  let end = i;
  while (i < n && isSpace(strChar(s, i))) i++;
  if (digits == 0 || i != n || prevUnderscore) { setExc(Exc.VALUE, Msg.BAD_INT_LITERAL, 0, 0); return 0; }
  if (fits && (neg ? v > <u64>1 << 63 : v > <u64>i64.MAX_VALUE)) fits = false;
  if (PY2() && fits) return newInt(neg ? <i64>(0 - v) : <i64>v);
  // the digits (and underscores) as ASCII in the text buffer
  textReset();
  for (let k = start; k < end; k++) textChar(strChar(s, k));
  return longFromDecimal(textPtr(), textLen, digits, neg);
}

// @ts-ignore: decorator
@inline function isSpace(c: u32): bool {
  return c == 32 || (c >= 9 && c <= 13);
}

/** int(x) for an int: 3.x an exact int itself (PyNumber_Long), a bool the cached 0/1; 2.7 long_int: a long that fits becomes an int. */
function intOfInt(a: u64): u64 {
  if (typeOf(a) == T.LONG2 && longFitsI64(a)) return newInt(longValueSaturated(a));
  return longLong(a);
}

/** int(float): PyLong_FromLong of the truncated value when it fits in a C long (2.7 an int), else PyLong_FromDouble. */
function intOfFloat(f: f64): u64 {
  if (isNaN(f)) { setExc(Exc.VALUE, Msg.FLOAT_TO_INT_NAN, 0, 0); return 0; }
  if (!isFinite(f)) { setExc(Exc.OVERFLOW, Msg.FLOAT_TO_INT_INF, 0, 0); return 0; }
  let t = f < 0 ? Math.ceil(f) : Math.floor(f);
  if (t > -9223372036854775808.0 && t < 9223372036854775808.0) return newInt(<i64>t);
  return longFromDouble(t);
}

function indexOverflowed(): u64 {
  indexOverflow();
  return 0;
}

/**
 * list(iterable) as each version builds it:
 *   3.8+: list___init__ preallocates exactly (3.10+: rounded up to even) for sized iterables;
 *   up to 3.7: list_extend resizes to the length hint, appends, then trims (list_resize keeps
 *   the over-allocation when the size is at least half of it).
 * A list or tuple source is copied item by item (incref), without an iterator.
 */
export function listFromIterable(src: u64): u64 {
  let l = newList(0);
  if (l == 0) return 0;
  let t = typeOf(src);
  let sized = hasLen(t);
  let n: i64 = sized ? objLen(src) : 0;
  if (param(P.LIST_PRESIZE) != 0 && sized) {
    if (!listPreallocate(l, n)) return 0;
  }
  if (t == T.LIST || t == T.TUPLE) {
    // list_extend fast path: resize to m + n, copy with incref.
    if (!listResize(l, n)) return 0;
    copyItemsIncref(listItems(l), t == T.LIST ? listItems(src) : src + 24, n);
    return l;
  }
  let it = getIter(src);
  if (it == 0) { DECREF(l); return 0; }
  // _PyObject_LengthHint(…, 8) then list_resize(self, m + n) and Py_SIZE back to m.
  let hint: i64 = sized ? n : 8;
  if (hint > 0) {
    if (!listResize(l, hint)) return 0;
    st64(l + 16, 0);
  }
  listExtendFromIter(l, it);
  DECREF(it);
  if (failed()) return 0;
  if (listSize(l) < listAllocated(l)) listResize(l, listSize(l));
  return l;
}

/**
 * PySequence_Tuple (Objects/abstract.c, 2.7 – 3.13): a tuple as it is; a list copied into a tuple of
 * its size (PyList_AsTuple); anything else iterated into a tuple sized by the length hint (10 when the
 * iterable has none), grown by _PyTuple_Resize to n + 10 + (n + 10) / 4 each time it is full and cut
 * to its length at the end.
 */
function tupleFromIterable(src: u64): u64 {
  let t = typeOf(src);
  if (t == T.TUPLE) { INCREF(src); return src; }
  if (t == T.LIST) {
    let n = listSize(src);
    let r = newTuple(n);
    if (r == 0) return 0;
    for (let i: i64 = 0; i < n; i++) {
      let v = listItem(src, i);
      INCREF(v);
      tupleSetItem(r, i, v);
    }
    return r;
  }
  let it = getIter(src);
  if (it == 0) return 0;
  let n: i64 = hasLen(t) ? objLen(src) : 10;
  let r = newTuple(n);
  if (r == 0) { DECREF(it); return 0; }
  let j: i64 = 0;
  while (true) {
    let v = iterNext(it);
    if (v == ITER_DONE) break;
    if (j >= n) {
      let m = n + 10;
      n = m + (m >> 2);
      r = tupleResize(r, n);
      if (r == 0) { DECREF(v); DECREF(it); return 0; }
    }
    tupleSetItem(r, j, v);
    j++;
  }
  DECREF(it);
  if (failed()) { DECREF(r); return 0; }
  if (j < n) r = tupleResize(r, j);
  return r;
}

/**
 * builtin any / all: iterate until an item decides (PyObject_IsTrue of each
 * item, then its reference dropped); the iterator is released there, a
 * generator left suspended (closed when its last reference goes).
 */
function anyAll(src: u64, isAny: bool): u64 {
  let it = getIter(src);
  if (it == 0) return 0;
  while (true) {
    let v = iterNext(it);
    if (v == ITER_DONE) break;
    let t = truthy(v);
    DECREF(v);
    if (t == isAny) {
      DECREF(it);
      return newBool(isAny);
    }
  }
  DECREF(it);
  if (failed()) return 0;
  return newBool(!isAny);
}

/**
 * dict(iterable) (dict_update_arg → PyDict_MergeFromSeq2): each item made a
 * sequence (PySequence_Fast: a tuple or list is itself, increfed), its two
 * elements increfed, PyDict_SetItem, then key, value, the sequence and the
 * item released. Items that are not a tuple or a list are not modelled.
 */
function dictMergeFromSeq2(d: u64, src: u64): bool {
  let it = getIter(src);
  if (it == 0) return false;
  let i: i64 = 0;
  while (true) {
    let item = iterNext(it);
    if (item == ITER_DONE) break;
    let t = typeOf(item);
    if (t != T.TUPLE && t != T.LIST) {
      DECREF(item);
      DECREF(it);
      unsupported(B.DICT, t);
      return false;
    }
    INCREF(item); // PySequence_Fast
    let n: i64 = t == T.TUPLE ? tupleSize(item) : listSize(item);
    if (n != 2) {
      DECREF(item);
      DECREF(item);
      DECREF(it);
      setExc(Exc.VALUE, Msg.DICT_UPDATE_LENGTH, i, n);
      return false;
    }
    let key = t == T.TUPLE ? tupleItem(item, 0) : listItem(item, 0);
    let value = t == T.TUPLE ? tupleItem(item, 1) : listItem(item, 1);
    INCREF(key);
    INCREF(value);
    let ok = dictSet(d, key, value);
    DECREF(key);
    DECREF(value);
    DECREF(item);
    DECREF(item);
    if (!ok) { DECREF(it); return false; }
    i++;
  }
  DECREF(it);
  return !excPending();
}

/**
 * builtin sum (Python/bltinmodule.c builtin_sum_impl / builtin_sum, read for 2.7, 3.6, 3.8, 3.11–3.13).
 * While the running total and the items are exact ints it is kept in a C long, and while it is a float in a
 * C double: no object is made per item, each item is only increfed by the iterator and decrefed. An item of
 * another type (or an overflow) turns the total back into an object and continues with PyNumber_Add.
 * Items taken on the fast paths: ints (2.7: PyInt only; 3.11+: bool too); on the float path also ints
 * (3.11+: any int subclass, i.e. bool). 3.12+ adds Neumaier's compensation to the float total.
 */
/** sum()'s slow step: total + item by PyNumber_Add, both released; 0 (the iterator released too) on error. */
function addToTotal(total: u64, v: u64, it: u64): u64 {
  let r = binaryOp(0, total, v);
  DECREF(total);
  DECREF(v);
  if (r == 0) DECREF(it);
  return r;
}

function sum(args: usize, npos: i32, nkw: i32): u64 {
  if (npos < 1 || npos > 2) return badArgs(B.SUM);
  let start: u64 = npos == 2 ? arg(args, 1) : 0;
  let it = getIter(arg(args, 0));
  if (it == 0) return 0;
  let result: u64;
  if (start != 0) { INCREF(start); result = start; } else result = newInt(0);
  let v311 = VERSION() >= 311;
  let exactInt = T.INT; // 2.7: PyIntObject (its long is T.LONG2)
  if (typeOf(result) == exactInt && intFits(result)) {
    let acc = intValue(result);
    DECREF(result);
    result = 0;
    while (result == 0) {
      let v = iterNext(it);
      if (v == ITER_DONE) {
        DECREF(it);
        if (failed()) return 0;
        return newInt(acc);
      }
      let t = typeOf(v);
      if (t == exactInt || (v311 && t == T.BOOL)) {
        // one digit (2.7: an int) read directly; else PyLong_AsLongAndOverflow (an int beyond 64 bits overflows)
        let b = smallValue(v, t);
        let fits = true;
        if (b == NOT_SMALL) {
          fits = intFits(v);
          b = intValue(v);
        }
        let x = acc + b;
        if (fits && (((x ^ acc) >= 0) || ((x ^ b) >= 0))) {
          acc = x;
          DECREF(v);
          continue;
        }
      }
      // Not an int, or an overflow: the total becomes an object again.
      result = addToTotal(newInt(acc), v, it);
      if (result == 0) return 0;
    }
  }
  if (typeOf(result) == T.FLOAT) {
    let f = floatValue(result);
    let c: f64 = 0;
    let neumaier = VERSION() >= 312;
    DECREF(result);
    result = 0;
    while (result == 0) {
      let v = iterNext(it);
      if (v == ITER_DONE) {
        DECREF(it);
        if (failed()) return 0;
        if (neumaier && c != 0 && isFinite(c)) f += c;
        return newFloat(f);
      }
      let t = typeOf(v);
      if (t == T.FLOAT) {
        let x = floatValue(v);
        if (neumaier) {
          let s2 = f + x;
          if (Math.abs(f) >= Math.abs(x)) c += (f - s2) + x;
          else c += (x - s2) + f;
          f = s2;
        } else {
          f += x;
        }
        DECREF(v);
        continue;
      }
      if ((t == exactInt || (v311 && t == T.BOOL)) && intFits(v)) {
        // (an int beyond 64 bits overflows PyLong_AsLongAndOverflow: the generic addition below)
        f += <f64>intValue(v);
        DECREF(v);
        continue;
      }
      if (neumaier && c != 0 && isFinite(c)) f += c;
      result = addToTotal(newFloat(f), v, it);
      if (result == 0) return 0;
    }
  }
  while (true) {
    let v = iterNext(it);
    if (v == ITER_DONE) break;
    result = addToTotal(result, v, it);
    if (result == 0) return 0;
  }
  DECREF(it);
  if (failed()) { DECREF(result); return 0; }
  return result;
}

function minMax(args: usize, npos: i32, isMax: bool): u64 {
  let it: u64;
  if (npos == 1) it = getIter(arg(args, 0));
  else if (npos > 1) {
    let t = newTuple(npos);
    if (t == 0) return 0;
    for (let i = 0; i < npos; i++) { let v = arg(args, i); INCREF(v); tupleSetItem(t, i, v); }
    it = getIter(t);
    DECREF(t);
  } else return badArgs(isMax ? B.MAX : B.MIN);
  if (it == 0) return 0;
  let best: u64 = 0;
  while (true) {
    let v = iterNext(it);
    if (v == ITER_DONE) break;
    if (best == 0) { best = v; continue; }
    let better = isMax ? lessThan(best, v) : lessThan(v, best);
    if (better) { DECREF(best); best = v; } else DECREF(v);
  }
  DECREF(it);
  if (best == 0 && !failed()) setExc(Exc.VALUE, Msg.EMPTY_SEQUENCE, 0, 0);
  return best;
}

// --- list.sort: timsort (Objects/listobject.c listsort / list_sort_impl, 2.7 – 3.13) ---------------
//
// What matters for memory is the merge memory: each merge of runs A and B first trims what is already
// in place (gallop_right of B[0] in A, gallop_left of A's last in B), then copies the smaller side into
// a temp array (merge_lo / merge_hi). merge_getmem keeps one such array: 256 slots on the C stack at
// first (MERGESTATE_TEMP_SIZE: no heap), then PyMem_Malloc(need * 8) — the old one freed first, never
// realloc'ed — freed at the end. Which merges happen depends on the runs (count_run, binary insertion
// up to minrun) and the merge policy: the stack invariants up to 3.10 (merge_collapse), powersort
// from 3.11 (found_new_run / powerloop). The sort writes the list's array in place; the list's header
// is written too (ob_item = NULL and allocated = -1 while it sorts, then restored).

// @ts-ignore: decorator
@inline const MERGESTATE_TEMP_SIZE: i64 = 256;
// @ts-ignore: decorator
@inline const MAX_MERGE_PENDING: i32 = 85;
let tsItems: u64 = 0;
let tsLen: i64 = 0;
/** The temp array: PyMem_Malloc'ed (simulated) once larger than MERGESTATE_TEMP_SIZE, else host scratch. */
let tsTemp: u64 = 0;
let tsAlloced: i64 = 0;
let tsStack: usize = 0; // host scratch for the C-stack temp (256 slots)
let tsPending: usize = 0; // runs: base (i64), len (i64), power (i64)
let tsN: i32 = 0;

// @ts-ignore: decorator
@inline function itemAt(i: i64): u64 { return ld64(tsItems + (<u64>i << 3)); }
// @ts-ignore: decorator
@inline function setItemAt(i: i64, v: u64): void { st64(tsItems + (<u64>i << 3), v); }
/** IFLT: items i < j. */
// @ts-ignore: decorator
@inline function ltAt(i: i64, j: i64): bool { return lessThan(itemAt(i), itemAt(j)); }

function tempGet(i: i64): u64 {
  return tsTemp != 0 ? ld64(tsTemp + (<u64>i << 3)) : load<u64>(tsStack + (<usize>i << 3));
}
function tempSet(i: i64, v: u64): void {
  if (tsTemp != 0) st64(tsTemp + (<u64>i << 3), v);
  else store<u64>(tsStack + (<usize>i << 3), v);
}

function merge_getmem(need: i64): bool {
  if (need <= tsAlloced) return true;
  if (tsTemp != 0) { memFree(tsTemp); tsTemp = 0; }
  tsTemp = memMalloc(<u64>need << 3);
  if (tsTemp == 0) return false;
  tsAlloced = need;
  return true;
}

function reverseRange(lo: i64, n: i64): void {
  for (let i = lo, j = lo + n - 1; i < j; i++, j--) {
    let a = itemAt(i);
    setItemAt(i, itemAt(j));
    setItemAt(j, a);
  }
}

/** binarysort: items [lo, start) sorted; insert the rest up to hi. */
function binarySort(lo: i64, hi: i64, start: i64): void {
  if (start == lo) start++;
  for (; start < hi; start++) {
    let pivot = itemAt(start);
    let l = lo, r = start;
    while (l < r) {
      let p = l + ((r - l) >> 1);
      if (lessThan(pivot, itemAt(p))) r = p; else l = p + 1;
      if (failed()) return;
    }
    for (let p = start; p > l; p--) setItemAt(p, itemAt(p - 1));
    setItemAt(l, pivot);
  }
}

/** count_run: the length of the run at lo, made ascending (≤3.12 classic; 3.13 with equal stretches). */
function countRun(lo: i64, nremaining: i64): i64 {
  if (nremaining == 1) return 1;
  if (VERSION() < 313) {
    let n: i64 = 2;
    if (ltAt(lo + 1, lo)) {
      while (n < nremaining && ltAt(lo + n, lo + n - 1)) n++;
      reverseRange(lo, n);
    } else {
      while (n < nremaining && !ltAt(lo + n, lo + n - 1)) n++;
    }
    return n;
  }
  let n: i64 = 1;
  for (; n < nremaining; n++) if (ltAt(lo + n, lo + n - 1)) break;
  if (n == nremaining) return n;
  if (n > 1) {
    if (ltAt(lo, lo + n - 1)) return n;
    reverseRange(lo, n);
  }
  n++;
  let neq: i64 = 0;
  for (; n < nremaining; n++) {
    if (ltAt(lo + n, lo + n - 1)) {
      if (neq != 0) { neq++; reverseRange(lo + n - neq, neq); neq = 0; }
    } else if (ltAt(lo + n - 1, lo + n)) {
      break;
    } else {
      neq++;
    }
  }
  if (neq != 0) { neq++; reverseRange(lo + n - neq, neq); neq = 0; }
  reverseRange(lo, n);
  for (; n < nremaining; n++) if (ltAt(lo + n, lo + n - 1)) break;
  return n;
}

/** gallop_right: how many of items [base, base+n) are <= key. gallop_left: how many are < key. */
function gallopRight(key: u64, base: i64, n: i64): i64 {
  let l: i64 = 0, r = n;
  while (l < r) { let m = l + ((r - l) >> 1); if (lessThan(key, itemAt(base + m))) r = m; else l = m + 1; }
  return l;
}
function gallopLeft(key: u64, base: i64, n: i64): i64 {
  let l: i64 = 0, r = n;
  while (l < r) { let m = l + ((r - l) >> 1); if (lessThan(itemAt(base + m), key)) l = m + 1; else r = m; }
  return l;
}

// @ts-ignore: decorator
@inline function runBase(i: i32): i64 { return load<i64>(tsPending + (<usize>i * 24)); }
// @ts-ignore: decorator
@inline function runLen(i: i32): i64 { return load<i64>(tsPending + (<usize>i * 24) + 8); }
// @ts-ignore: decorator
@inline function runPower(i: i32): i64 { return load<i64>(tsPending + (<usize>i * 24) + 16); }
function setRun(i: i32, base: i64, len: i64, power: i64): void {
  store<i64>(tsPending + (<usize>i * 24), base);
  store<i64>(tsPending + (<usize>i * 24) + 8, len);
  store<i64>(tsPending + (<usize>i * 24) + 16, power);
}

/** merge_at(i): merge runs i and i+1 (merge_lo / merge_hi with a temp of the smaller side). */
function mergeAt(i: i32): bool {
  let sa = runBase(i), na = runLen(i);
  let sb = runBase(i + 1), nb = runLen(i + 1);
  setRun(i, sa, na + nb, runPower(i));
  if (i == tsN - 3) setRun(i + 1, runBase(i + 2), runLen(i + 2), runPower(i + 2));
  tsN--;
  let k = gallopRight(itemAt(sb), sa, na);
  sa += k;
  na -= k;
  if (na == 0 || failed()) return !failed();
  nb = gallopLeft(itemAt(sa + na - 1), sb, nb);
  if (nb <= 0 || failed()) return !failed();
  if (na <= nb) {
    // merge_lo: A to the temp, merged forward into A's place.
    if (!merge_getmem(na)) return false;
    for (let x: i64 = 0; x < na; x++) tempSet(x, itemAt(sa + x));
    let pa: i64 = 0, pb = sb, dest = sa, endb = sb + nb;
    while (pa < na && pb < endb) {
      let bv = itemAt(pb), av = tempGet(pa);
      if (lessThan(bv, av)) { setItemAt(dest, bv); pb++; } else { setItemAt(dest, av); pa++; }
      dest++;
      if (failed()) return false;
    }
    while (pa < na) { setItemAt(dest, tempGet(pa)); pa++; dest++; }
  } else {
    // merge_hi: B to the temp, merged backward into B's place.
    if (!merge_getmem(nb)) return false;
    for (let x: i64 = 0; x < nb; x++) tempSet(x, itemAt(sb + x));
    let pa = sa + na - 1, pb = nb - 1, dest = sb + nb - 1;
    while (pa >= sa && pb >= 0) {
      let av = itemAt(pa), bv = tempGet(pb);
      if (lessThan(bv, av)) { setItemAt(dest, av); pa--; } else { setItemAt(dest, bv); pb--; }
      dest--;
      if (failed()) return false;
    }
    while (pb >= 0) { setItemAt(dest, tempGet(pb)); pb--; dest--; }
  }
  return true;
}

/** merge_collapse (2.7 – 3.10): restore the stack invariants. */
function mergeCollapse(): bool {
  while (tsN > 1) {
    let n = tsN - 2;
    if ((n > 0 && runLen(n - 1) <= runLen(n) + runLen(n + 1)) || (n > 1 && runLen(n - 2) <= runLen(n - 1) + runLen(n))) {
      if (runLen(n - 1) < runLen(n + 1)) n--;
      if (!mergeAt(n)) return false;
    } else if (runLen(n) <= runLen(n + 1)) {
      if (!mergeAt(n)) return false;
    } else break;
  }
  return true;
}

/** powerloop (3.11+): the run boundary's "power" in the nearly-balanced merge tree. */
function powerloop(s1: i64, n1: i64, n2: i64, n: i64): i64 {
  let result: i64 = 0;
  let a = 2 * s1 + n1;
  let b = a + n1 + n2;
  while (true) {
    result++;
    if (a >= n) { a -= n; b -= n; }
    else if (b >= n) break;
    a <<= 1;
    b <<= 1;
  }
  return result;
}

/** found_new_run (3.11+): before pushing a run of n2, merge the runs of a larger power. */
function foundNewRun(n2: i64): bool {
  if (tsN == 0) return true;
  let s1 = runBase(tsN - 1), n1 = runLen(tsN - 1);
  let power = powerloop(s1, n1, n2, tsLen);
  while (tsN > 1 && runPower(tsN - 2) > power) {
    if (!mergeAt(tsN - 2)) return false;
  }
  setRun(tsN - 1, runBase(tsN - 1), runLen(tsN - 1), power);
  return true;
}

function mergeForceCollapse(): bool {
  while (tsN > 1) {
    let n = tsN - 2;
    if (n > 0 && runLen(n - 1) < runLen(n + 1)) n--;
    if (!mergeAt(n)) return false;
  }
  return true;
}

/** list.sort() / sorted()'s sort of a fresh list. */
export function sortList(l: u64, reverse: bool = false): void {
  let n = listSize(l);
  // list_sort_impl / 2.7 listsort: the list looks empty while it sorts (size 0, ob_item = NULL,
  // allocated = -1), then is restored. reverse=True: "reverse sort stability achieved by initially
  // reversing the list, applying a stable forward sort, then reversing the final result"
  // (reverse_slice before the sort, and after it when there are at least two items).
  let savedItems = ld64(l + 24), savedAllocated = ld64(l + 32);
  st64(l + 16, 0);
  st64(l + 24, 0);
  st64(l + 32, <u64>-1);
  if (reverse) reverseSlice(savedItems, n);
  if (n >= 2) timsort(savedItems, n);
  if (reverse && n > 1) reverseSlice(savedItems, n);
  st64(l + 16, <u64>n);
  st64(l + 24, savedItems);
  st64(l + 32, savedAllocated);
}

/** reverse_slice(lo, hi): swaps from both ends towards the middle. */
function reverseSlice(items: u64, n: i64): void {
  for (let i: i64 = 0, j = n - 1; i < j; i++, j--) {
    let a = ld64(items + (<u64>i << 3));
    st64(items + (<u64>i << 3), ld64(items + (<u64>j << 3)));
    st64(items + (<u64>j << 3), a);
  }
}

/** True if the str `o` is `name` (an ASCII literal). */
function strIs(o: u64, name: string): bool {
  if (typeOf(o) != T.STR || strLen(o) != <i64>name.length) return false;
  for (let i = 0; i < name.length; i++) if (strChar(o, i) != <u32>name.charCodeAt(i)) return false;
  return true;
}

/**
 * The keyword arguments list.sort and sorted() take (`key=None`, `reverse=`; a key function is
 * not modelled): 1 for reverse, 0 for forward, -1 after an error was set.
 */
function sortKeywords(args: usize, npos: i32, kwnames: u64, id: i32): i32 {
  let reverse = 0;
  let nkw = kwnames != 0 ? <i32>tupleSize(kwnames) : 0;
  for (let k = 0; k < nkw; k++) {
    let name = tupleItem(kwnames, k), v = arg(args, npos + k);
    if (strIs(name, "reverse")) {
      // Up to 3.11 an int (Argument Clinic's bool(accept={int}); 2.7's "i" format); 3.12+ any object's
      // truth value (measured: sort(reverse="x") is a TypeError on 2.7-3.11, a reverse sort on 3.12/3.13).
      if (VERSION() >= 312) reverse = truthy(v) ? 1 : 0;
      else if (!isInt(v)) { badArgs(id); return -1; }
      else reverse = intValue(v) != 0 ? 1 : 0;
    } else if (strIs(name, "key")) {
      if (v != Py_None) { unsupported(id, typeOf(v)); return -1; }
    } else {
      badArgs(id);
      return -1;
    }
  }
  return reverse;
}

function timsort(items: u64, n: i64): void {
  if (tsPending == 0) {
    tsPending = kmemAlloc(<usize>MAX_MERGE_PENDING * 24);
    tsStack = kmemAlloc(<usize>MERGESTATE_TEMP_SIZE << 3);
  }
  tsItems = items;
  tsLen = n;
  tsTemp = 0;
  tsAlloced = MERGESTATE_TEMP_SIZE;
  tsN = 0;
  let v311 = VERSION() >= 311;
  // merge_compute_minrun
  let m = n, r: i64 = 0;
  while (m >= 64) { r |= m & 1; m >>= 1; }
  let minrun = m + r;
  let lo: i64 = 0, nremaining = n;
  let ok = true;
  while (nremaining > 0 && ok) {
    let run = countRun(lo, nremaining);
    if (failed()) { ok = false; break; }
    if (run < minrun) {
      let force = nremaining <= minrun ? nremaining : minrun;
      binarySort(lo, lo + force, lo + run);
      run = force;
    }
    if (v311) {
      if (!foundNewRun(run)) { ok = false; break; }
      setRun(tsN, lo, run, 0);
      tsN++;
    } else {
      setRun(tsN, lo, run, 0);
      tsN++;
      if (!mergeCollapse()) { ok = false; break; }
    }
    lo += run;
    nremaining -= run;
  }
  if (ok) mergeForceCollapse();
  // merge_freemem
  if (tsTemp != 0) { memFree(tsTemp); tsTemp = 0; }
}

// --- methods ------------------------------------------------------------------------------------------

/**
 * A method call with keyword arguments (the last tupleSize(kwnames) of the argc values): list.sort's
 * `key=None` and `reverse=`; other methods' keywords are not modelled.
 */
export function callMethodKw(self: u64, method: i32, nameIndex: i32, args: usize, argc: i32, kwnames: u64): u64 {
  let npos = argc - <i32>tupleSize(kwnames);
  if (typeOf(self) == T.LIST) {
    // list.sort is the one list method with keyword parameters.
    if (method != M.SORT || npos != 0) return badArgs(200 + method);
    let reverse = sortKeywords(args, npos, kwnames, 200 + method);
    if (reverse < 0) return 0;
    sortList(self, reverse == 1);
    return none();
  }
  setExc(Exc.UNSUPPORTED, Msg.KEYWORD_ARGS, typeOf(self), 0);
  return 0;
}

export function callMethod(self: u64, method: i32, nameIndex: i32, args: usize, argc: i32): u64 {
  let t = typeOf(self);
  if (t == T.LIST) {
    switch (method) {
      case M.APPEND: {
        if (argc != 1) return badArgs(200 + method);
        if (!listAppend(self, arg(args, 0))) return 0;
        return none();
      }
      case M.POP: {
        if (argc > 1 || (argc == 1 && !isInt(arg(args, 0)))) return badArgs(200 + method);
        let n = listSize(self);
        let i: i64 = argc == 0 ? n - 1 : intValue(arg(args, 0)); // beyond 64 bits: saturated, out of range
        if (i < 0) i += n;
        if (i < 0 || i >= n) { setExc(Exc.INDEX, T.LIST, 3, 0); return 0; }
        return listPop(self, i);
      }
      case M.EXTEND: {
        if (argc != 1) return badArgs(200 + method);
        let it = getIter(arg(args, 0));
        if (it == 0) return 0;
        listExtendFromIter(self, it);
        DECREF(it);
        return none();
      }
      case M.SORT: if (argc != 0) return badArgs(200 + method); sortList(self); return none();
      case M.INSERT: {
        if (argc != 2 || !isInt(arg(args, 0))) return badArgs(200 + method);
        if (!listInsert(self, intValue(arg(args, 0)), arg(args, 1))) return 0;
        return none();
      }
      case M.REVERSE: if (argc != 0) return badArgs(200 + method); listReverse(self); return none();
      case M.CLEAR: {
        if (PY2()) break; // 2.7's list has no clear(): the AttributeError below
        if (argc != 0) return badArgs(200 + method);
        listClear(self);
        return none();
      }
      case M.INDEX:
      case M.COUNT:
      case M.REMOVE: {
        if (argc != 1) return badArgs(200 + method);
        let x = arg(args, 0);
        let n: i64 = 0;
        for (let i: i64 = 0; i < listSize(self); i++) {
          let v = listItem(self, i);
          // list_index/list_count/list_remove: PyObject_RichCompare(item, x, Py_EQ) holds a reference to item.
          INCREF(v);
          let eq = v == x || equalObjects(v, x);
          DECREF(v);
          if (!eq) continue;
          if (method == M.INDEX) return newInt(i);
          if (method == M.REMOVE) {
            let l = listDelSliceOk(self, i);
            return l ? none() : 0;
          }
          n++;
        }
        if (method == M.COUNT) return newInt(n);
        setExc(Exc.VALUE, Msg.NOT_IN_LIST, 0, 0);
        return 0;
      }
    }
  } else if (t == T.SET) {
    switch (method) {
      case M.ADD: {
        if (argc != 1) return badArgs(200 + method);
        return setAdd(self, arg(args, 0)) ? none() : 0;
      }
      case M.DISCARD: {
        if (argc != 1) return badArgs(200 + method);
        setDiscard(self, arg(args, 0));
        return failed() ? 0 : none();
      }
    }
  } else if (t == T.STR && method == M.ENCODE) {
    // str.encode() (UTF-8): PyBytes_FromStringAndSize of the UTF-8 form (an ASCII str's own data); 2.7: a new str.
    if (argc != 0) return unsupported(B.STR, t);
    textReset();
    let n = strLen(self);
    for (let i: i64 = 0; i < n; i++) textChar(strChar(self, i));
    return newBytes(textPtr(), textLen);
  } else if (t == T.STR && method == M.SPLIT) {
    if (argc == 0) return strSplit(self, 0);
    if (argc == 1 && arg(args, 0) == Py_None) return strSplit(self, 0);
    if (argc == 1 && typeOf(arg(args, 0)) == T.STR) {
      if (strLen(arg(args, 0)) == 0) { setExc(Exc.VALUE, Msg.EMPTY_SEPARATOR, 0, 0); return 0; }
      return strSplit(self, arg(args, 0));
    }
    return unsupported(B.STR, t); // maxsplit, or a separator of another type
  } else if (t == T.STR && method == M.STRIP) {
    if (argc != 0) return unsupported(B.STR, t);
    // do_strip(self, BOTHSTRIP): the whitespace-free middle, as PyUnicode_Substring / 2.7
    // PyString_FromStringAndSize give it (self when nothing is stripped).
    let n = strLen(self);
    let i: i64 = 0, j = n;
    while (i < n && isSpaceChar(strChar(self, i))) i++;
    while (j > i && isSpaceChar(strChar(self, j - 1))) j--;
    return strSubscriptSlice(self, i, j - i, 1);
  } else if (t == T.STR && (method == M.STARTSWITH || method == M.ENDSWITH)) {
    // tailmatch: a bool, nothing allocated; a tuple of candidates is tried in order.
    if (argc != 1) return argc > 1 ? unsupported(B.STR, t) : badArgs(200 + method);
    let a = arg(args, 0);
    if (typeOf(a) == T.STR) return newBool(tailMatch(self, a, method == M.ENDSWITH));
    if (typeOf(a) == T.TUPLE) {
      let k = tupleSize(a);
      for (let i: i64 = 0; i < k; i++) {
        let c = tupleItem(a, i);
        if (typeOf(c) != T.STR) return badArgs(200 + method);
        if (tailMatch(self, c, method == M.ENDSWITH)) return newBool(true);
      }
      return newBool(false);
    }
    return badArgs(200 + method);
  } else if (t == T.STR && (method == M.UPPER || method == M.LOWER)) {
    // 3.x ascii_upper_or_lower: PyUnicode_New(len, 127) — always a new str (no character cache), the
    // empty str for len 0; a non-ASCII str goes through case_operation (not modelled). 2.7 string_upper /
    // string_lower: PyString_FromStringAndSize(NULL, n) (nullstring for n == 0), filled.
    if (argc != 0) return badArgs(200 + method);
    let n = strLen(self);
    if (!PY2() && (ld32(self + 32) & (1 << 6)) == 0) return unsupported(B.STR, t);
    if (n == 0) return emptyStr();
    let o = allocStr(n, 1, true);
    if (o == 0) return 0;
    let d = strData(o);
    for (let i: i64 = 0; i < n; i++) {
      let c = strChar(self, i);
      if (method == M.UPPER && c >= 97 && c <= 122) c -= 32;
      else if (method == M.LOWER && c >= 65 && c <= 90) c += 32;
      st8(d + <u64>i, <u8>c);
    }
    return o;
  } else if (t == T.STR && method == M.JOIN) {
    if (argc != 1) return badArgs(200 + method);
    return strJoin(self, arg(args, 0));
  } else if (t == T.DICT) {
    switch (method) {
      case M.POP:
      case M.DICT_POP: {
        if (argc < 1 || argc > 2) return badArgs(200 + method);
        let v = dictGet(self, arg(args, 0));
        if (v == 0) {
          if (argc == 2) { INCREF(arg(args, 1)); return arg(args, 1); }
          setExc(Exc.KEY, 0, typeOf(arg(args, 0)), 0);
          return 0;
        }
        INCREF(v);
        dictDel(self, arg(args, 0));
        return v;
      }
      case M.SETDEFAULT: {
        if (argc < 1 || argc > 2) return badArgs(200 + method);
        let v = dictGet(self, arg(args, 0));
        if (v == 0) {
          v = argc == 2 ? arg(args, 1) : Py_None;
          if (!dictSet(self, arg(args, 0), v)) return 0;
        }
        INCREF(v);
        return v;
      }
      case M.UPDATE: {
        if (argc != 1 || typeOf(arg(args, 0)) != T.DICT) return badArgs(200 + method);
        let it = newDictIter(arg(args, 0), T.DICTITEMITER);
        if (it == 0) return 0;
        while (true) {
          let kv = iterNext(it);
          if (kv == ITER_DONE) break;
          dictSet(self, tupleItem(kv, 0), tupleItem(kv, 1));
          DECREF(kv);
        }
        DECREF(it);
        return failed() ? 0 : none();
      }
      case M.GET: {
        if (argc < 1 || argc > 2) return badArgs(200 + method);
        let v = dictGet(self, arg(args, 0));
        if (v == 0) v = argc == 2 ? arg(args, 1) : Py_None;
        INCREF(v);
        return v;
      }
      case M.KEYS:
      case M.VALUES:
      case M.ITEMS: {
        if (argc != 0) return badArgs(200 + method);
        if (PY2()) return dictList(self, method);
        // A view object (dictviewobject: 32 bytes, GC): iterating it makes a dict iterator.
        let v = gcMalloc(24);
        if (v == 0) return 0;
        initObject(v, method == M.KEYS ? T.DICTKEYS : method == M.VALUES ? T.DICTVALUES : T.DICTITEMS);
        INCREF(self);
        st64(v + 16, self);
        gcTrack(v);
        return v;
      }
    }
  }
  setExc(Exc.ATTRIBUTE, nameIndex, t, 0);
  return 0;
}

/** 2.7 dict.keys()/values()/items(): new lists. */
function dictList(d: u64, method: i32): u64 {
  let kind = method == M.KEYS ? T.DICTKEYITER : method == M.VALUES ? T.DICTVALUEITER : T.DICTITEMITER;
  let it = newDictIter(d, kind);
  if (it == 0) return 0;
  let l = newList(dictLen(d));
  if (l == 0) return 0;
  let i: i64 = 0;
  while (true) {
    let v = iterNext(it);
    if (v == ITER_DONE) break;
    if (kind == T.DICTITEMITER) {
      // 2.7 builds a fresh tuple per item.
      let tpl = newTuple(2);
      let a = tupleItem(v, 0), b = tupleItem(v, 1);
      INCREF(a); INCREF(b);
      tupleSetItem(tpl, 0, a);
      tupleSetItem(tpl, 1, b);
      DECREF(v);
      v = tpl;
    }
    listSetItem(l, i++, v);
  }
  DECREF(it);
  return l;
}

function listDelSliceOk(l: u64, i: i64): bool {
  return listDelSlice(l, i, i + 1);
}

/** str.startswith / endswith of one candidate. */
function tailMatch(s: u64, p: u64, end: bool): bool {
  let n = strLen(s), m = strLen(p);
  if (m > n) return false;
  let off = end ? n - m : 0;
  for (let i: i64 = 0; i < m; i++) if (strChar(s, off + i) != strChar(p, i)) return false;
  return true;
}

/** Py_UNICODE_ISSPACE (3.x) / isspace in the C locale (2.7 str). */
function isSpaceChar(c: u32): bool {
  if (c == 32 || (c >= 9 && c <= 13)) return true;
  if (PY2()) return false;
  return (c >= 0x1c && c <= 0x1f) || c == 0x85 || c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) ||
    c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}

// @ts-ignore: decorator
@inline const MAX_PREALLOC: i64 = 12;

/**
 * str.split() and str.split(sep) (Objects/stringlib/split.h split_whitespace / split_char / split, 2.7 –
 * 3.13): PyList_New(PREALLOC_SIZE(maxcount)) — 12 slots for an unbounded split — the first 12 parts put
 * in place, the rest appended; the list's size then set to the count (FIX_PREALLOC_SIZE: 12 slots stay
 * allocated). Each part as STRINGLIB_NEW makes it (one character: the cached str; none: the empty str);
 * a string with nothing to split at is the list's only item itself.
 */
function strSplit(self: u64, sep: u64): u64 {
  let n = strLen(self);
  // 3.x: a separator longer than the string (or of a wider kind) → [self] in a list of 1.
  if (!PY2() && sep != 0 && strLen(sep) > n) {
    let one = newList(1);
    if (one == 0) return 0;
    INCREF(self);
    listSetItem(one, 0, self);
    return one;
  }
  // PREALLOC_SIZE(maxcount): maxcount is unbounded up to 3.11; 3.12+ bounds it by what the string can
  // hold ((n - 1) / 2 + 1 words, n / len(sep) + 1 parts), so short strings get smaller lists.
  let prealloc = MAX_PREALLOC;
  if (VERSION() >= 312) {
    let maxcount: i64 = sep == 0 ? (n - 1) / 2 + 1 : n / strLen(sep) + 1;
    prealloc = maxcount >= MAX_PREALLOC ? MAX_PREALLOC : maxcount + 1;
  }
  let l = newList(prealloc);
  if (l == 0) return 0;
  let count: i64 = 0;
  let i: i64 = 0, j: i64 = 0;
  if (sep == 0) {
    while (true) {
      while (i < n && isSpaceChar(strChar(self, i))) i++;
      if (i == n) break;
      j = i;
      i++;
      while (i < n && !isSpaceChar(strChar(self, i))) i++;
      if (j == 0 && i == n) {
        INCREF(self);
        listSetItem(l, 0, self);
        count++;
        break;
      }
      if (!splitAdd(l, self, j, i, count)) return 0;
      count++;
    }
  } else {
    let m = strLen(sep);
    let c0 = strChar(sep, 0);
    while (j + m <= n) {
      let hit = strChar(self, j) == c0;
      for (let k: i64 = 1; hit && k < m; k++) hit = strChar(self, j + k) == strChar(sep, k);
      if (hit) {
        if (!splitAdd(l, self, i, j, count)) return 0;
        count++;
        i = j = j + m;
      } else {
        j++;
      }
    }
    if (count == 0) {
      INCREF(self);
      listSetItem(l, 0, self);
      count++;
    } else {
      if (!splitAdd(l, self, i, n, count)) return 0;
      count++;
    }
  }
  st64(l + 16, <u64>count); // FIX_PREALLOC_SIZE (the list's size; its allocated slots stay)
  return l;
}

/** SPLIT_ADD: part [i, j) of s as the count-th item. */
function splitAdd(l: u64, s: u64, i: i64, j: i64, count: i64): bool {
  let sub = j - i == 0 ? emptyStr() : j - i == 1 ? charStr(strChar(s, i)) : strSlice(s, i, j - i, 1);
  if (sub == 0) return false;
  if (count < MAX_PREALLOC) { listSetItem(l, count, sub); return true; }
  // Past the preallocated slots: _PyList_AppendTakeRef / PyList_Append at the list's size.
  let ok = listAppend(l, sub);
  DECREF(sub);
  return ok;
}

/** str.join(iterable of str): PySequence_Fast (the list itself, or a list made from the iterable), one result str. */
function strJoin(sep: u64, src: u64): u64 {
  let seq = typeOf(src) == T.LIST || typeOf(src) == T.TUPLE ? src : listFromIterable(src);
  if (seq == 0) return 0;
  if (seq == src) INCREF(seq);
  let t = typeOf(seq);
  let n: i64 = t == T.LIST ? listSize(seq) : tupleSize(seq);
  // PyUnicode_Join / 2.7 string_join: no item → the empty str; one exact str item → that str itself.
  if (n == 0) { DECREF(seq); return emptyStr(); }
  if (n == 1) {
    let v = t == T.LIST ? listItem(seq, 0) : tupleItem(seq, 0);
    if (typeOf(v) == T.STR) { INCREF(v); DECREF(seq); return v; }
  }
  textReset();
  for (let i: i64 = 0; i < n; i++) {
    let v = t == T.LIST ? listItem(seq, i) : tupleItem(seq, i);
    if (typeOf(v) != T.STR) { DECREF(seq); setExc(Exc.TYPE, Msg.BAD_ARGS, 248, 0); return 0; }
    if (i > 0) { let m = strLen(sep); for (let j: i64 = 0; j < m; j++) textChar(strChar(sep, j)); }
    let m = strLen(v);
    for (let j: i64 = 0; j < m; j++) textChar(strChar(v, j));
  }
  DECREF(seq);
  return newStrFromUtf8(textPtr(), textLen);
}
