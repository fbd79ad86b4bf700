/**
 * Objects that hold raw items in a buffer of their own: bytearray,
 * array.array, and the ctypes array multiprocessing.sharedctypes.RawArray
 * makes in shared memory; and the iterators over them.
 *
 * bytearray (Include/bytearrayobject.h; not GC), buffer ob_alloc bytes:
 *   3.x: VAR_HEAD, @24 ob_alloc @32 ob_bytes @40 ob_start @48 ob_exports = 56;
 *        buffer PyObject_Malloc.  2.7: VAR_HEAD, @24 ob_exports @32 ob_alloc
 *        @40 ob_bytes = 48; buffer PyMem_Malloc (libc).
 *   PyByteArray_Resize from empty: alloc = size + 1 (a major upsize).
 * array.array (Modules/arraymodule.c): VAR_HEAD, @24 ob_item @32 allocated
 *   @40 ob_descr @48 weakreflist (3.x @56 ob_exports) = 56 (2.7) / 64 (3.x);
 *   a GC type from 3.10. Items PyMem_NEW/RESIZE (libc in 2.7, pymalloc or
 *   libc in 3.x). array_resize: kept while allocated >= newsize and
 *   size < newsize + 16, else allocated = (newsize >> 4) + (size < 8 ? 3 : 7) + newsize.
 * ctypes array (Modules/_ctypes/ctypes.h CDataObject, GC): @16 b_ptr
 *   @24 b_needsfree @32 b_base @40 b_size @48 b_length @56 b_index
 *   @64 b_objects; basicsize measured 112 (2.7–3.10), 104 (3.11), 96 (3.12+),
 *   3.11+ with the 2-word managed-dict pre-header
 *   (test/fixtures/probe-sizes.txt). RawArray's buffer is a
 *   multiprocessing.heap Arena: an mmap of roundup(max(8192... , size), PAGESIZE)
 *   shared with the children (measured arena 8,003,584 bytes for 10^6 doubles).
 *
 * The typecode is kept where ob_descr points: ARRAY_DESCRS + code (a static
 * address standing for the arraydescr of that typecode).
 */
import { Err, raise, failed } from "../config";
import { ld8, st8, ld16, st16, ld32, st32, ld64, st64, fillRange, copyRange, curPid } from "../kernel/memory";
import { mmap } from "../kernel/syscalls";
import {
  PY2, VERSION, T, typeOf, initObject, initVarObject, objMalloc, objFree, memMalloc, memRealloc, memFree, INCREF,
  DECREF, XDECREF, gcMalloc, gcFree, gcTrack, gcUntrack, genCount, GC_HEAD, Py_None,
} from "./runtime";
import { LIBPYTHON_DATA } from "./image";
import { newInt, intValue, intFits, isInt, newFloat, floatValue } from "./numbers";
import { intAsDouble } from "./long";
import { pyObjectMalloc } from "./obmalloc";
import { Exc, setExc, excPending } from "./interp";
import { Msg } from "./ops";

// @ts-ignore: decorator
@inline const ARRAY_DESCRS: u64 = LIBPYTHON_DATA + 0x3f000;

export function itemSize(code: i32): i64 {
  switch (code) {
    case 98: case 66: case 99: return 1; // b B c
    case 104: case 72: return 2; // h H
    case 105: case 73: case 102: return 4; // i I f
    case 108: case 76: case 113: case 81: case 100: return 8; // l L q Q d
  }
  return 0;
}

// @ts-ignore: decorator
@inline function codeOf(o: u64): i32 {
  let t = typeOf(o);
  if (t == T.BYTEARRAY) return 66; // 'B'
  if (t == T.ARRAY) return <i32>(ld64(o + 40) - ARRAY_DESCRS);
  return <i32>(ld64(o + 80) - ARRAY_DESCRS);
}

/** The item buffer. */
function bufferOf(o: u64): u64 {
  let t = typeOf(o);
  if (t == T.BYTEARRAY) return PY2() ? ld64(o + 40) : ld64(o + 40);
  if (t == T.ARRAY) return ld64(o + 24);
  return ld64(o + 16);
}

export function arrayLen(o: u64): i64 {
  if (typeOf(o) == T.CTYPES_ARRAY) return <i64>ld64(o + 48);
  return <i64>ld64(o + 16);
}

function loadItem(buf: u64, code: i32, i: i64): u64 {
  let n = itemSize(code);
  let p = buf + <u64>(i * n);
  switch (code) {
    case 98: return newInt(<i64><i8>ld8(p));
    case 66: case 99: return newInt(<i64>ld8(p));
    case 104: return newInt(<i64><i16>ld16(p));
    case 72: return newInt(<i64>ld16(p));
    case 105: return newInt(<i64><i32>ld32(p));
    case 73: return newInt(<i64>ld32(p));
    case 102: return newFloat(<f64>reinterpret<f32>(ld32(p)));
    case 100: return newFloat(reinterpret<f64>(ld64(p)));
  }
  return newInt(<i64>ld64(p));
}

function storeItem(buf: u64, code: i32, i: i64, v: u64): bool {
  let n = itemSize(code);
  let p = buf + <u64>(i * n);
  let isF = typeOf(v) == T.FLOAT;
  if (code == 100 || code == 102) {
    if (!isF && !isInt(v)) { setExc(Exc.TYPE, Msg.BAD_ARGS, 0, 0); return false; }
    let f = isF ? floatValue(v) : intAsDouble(v);
    if (excPending()) return false;
    if (code == 100) st64(p, reinterpret<u64>(f));
    else st32(p, reinterpret<u32>(<f32>f));
    return true;
  }
  if (!isInt(v)) { setExc(Exc.TYPE, Msg.INDICES_MUST_BE_INT, typeOf(v), 0); return false; }
  if (!intFits(v)) { setExc(Exc.OVERFLOW, Msg.INT_TOO_BIG, 0, 0); return false; }
  let x = intValue(v);
  if (n == 1) st8(p, <u8>x);
  else if (n == 2) st16(p, <u16>x);
  else if (n == 4) st32(p, <u32>x);
  else st64(p, <u64>x);
  return true;
}

export function arrayGetItem(o: u64, i: i64): u64 {
  return loadItem(bufferOf(o), codeOf(o), i);
}

export function arraySetItem(o: u64, i: i64, v: u64): bool {
  return storeItem(bufferOf(o), codeOf(o), i, v);
}

// --- bytearray --------------------------------------------------------------------------------------

/** bytearray(n) (zeroed), bytearray(b) (copied) or bytearray() (no buffer). src: a bytes object or 0. */
export function newByteArray(n: i64, src: u64): u64 {
  let o = objMalloc(PY2() ? 48 : 56);
  if (o == 0) return 0;
  fillRange(o, 0, PY2() ? 48 : 56);
  initVarObject(o, T.BYTEARRAY, 0);
  if (n <= 0) return o;
  // PyByteArray_Resize from empty: a major upsize, alloc = size + 1.
  let alloc = <u64>n + 1;
  let buf = PY2() ? memMalloc(alloc) : objMalloc(alloc);
  if (buf == 0) return 0;
  if (PY2()) {
    st64(o + 40, buf);
    st64(o + 32, alloc);
  } else {
    st64(o + 32, buf);
    st64(o + 40, buf);
    st64(o + 24, alloc);
  }
  st64(o + 16, <u64>n);
  st8(buf + <u64>n, 0);
  if (src != 0) copyRange(buf, src + (PY2() ? 36 : 32), <u64>n);
  else fillRange(buf, 0, <u64>n);
  return o;
}

function byteArrayBuf(o: u64): u64 { return PY2() ? ld64(o + 40) : ld64(o + 32); }
function byteArrayAlloc(o: u64): u64 { return PY2() ? ld64(o + 32) : ld64(o + 24); }

export function byteArrayDealloc(o: u64): void {
  let b = byteArrayBuf(o);
  if (b != 0) { if (PY2()) memFree(b); else objFree(b); }
  objFree(o);
}

// --- array.array --------------------------------------------------------------------------------------

/** newarrayobject(type, size, descr): the object (tracked from 3.10) and a PyMem buffer of size items. */
export function newArray(code: i32, size: i64): u64 {
  let bs: u64 = PY2() ? 56 : 64;
  let o: u64;
  if (VERSION() >= 310) {
    o = gcMalloc(bs);
    if (o == 0) return 0;
    fillRange(o, 0, bs);
    initObject(o, T.ARRAY);
    gcTrack(o);
  } else {
    o = objMalloc(bs);
    if (o == 0) return 0;
    fillRange(o, 0, bs);
    initObject(o, T.ARRAY);
  }
  st64(o + 40, ARRAY_DESCRS + <u64>code);
  st64(o + 32, <u64>size);
  st64(o + 48, 0);
  st64(o + 16, <u64>size);
  if (size <= 0) st64(o + 24, 0);
  else {
    let items = memMalloc(<u64>(size * itemSize(code)));
    if (items == 0) return 0;
    st64(o + 24, items);
  }
  if (!PY2()) st64(o + 56, 0);
  return o;
}

/** array_resize(self, newsize). */
function arrayResize(o: u64, newsize: i64): bool {
  let allocated = <i64>ld64(o + 32);
  let size = <i64>ld64(o + 16);
  let items = ld64(o + 24);
  if (allocated >= newsize && size < newsize + 16 && items != 0) {
    st64(o + 16, <u64>newsize);
    return true;
  }
  let n = (newsize >> 4) + (size < 8 ? 3 : 7) + newsize;
  let bytes = <u64>(n * itemSize(codeOf(o)));
  items = items == 0 ? memMalloc(bytes) : memRealloc(items, bytes);
  if (items == 0) return false;
  st64(o + 24, items);
  st64(o + 16, <u64>newsize);
  st64(o + 32, <u64>n);
  return true;
}

/** ins1(self, size, v) as array_iter_extend calls it: type check, resize by one, store. */
export function arrayAppend(o: u64, v: u64): bool {
  let n = <i64>ld64(o + 16);
  let code = codeOf(o);
  if (!isInt(v) && !((code == 100 || code == 102) && typeOf(v) == T.FLOAT)) {
    setExc(Exc.TYPE, Msg.BAD_ARGS, 56, 0);
    return false;
  }
  if (!arrayResize(o, n + 1)) return false;
  return storeItem(ld64(o + 24), code, n, v);
}

export function arrayDealloc(o: u64): void {
  if (VERSION() >= 310) gcUntrack(o);
  let items = ld64(o + 24);
  if (items != 0) memFree(items);
  if (VERSION() >= 310) gcFree(o);
  else objFree(o);
}

// --- ctypes array in shared memory ----------------------------------------------------------------

function ctypesBasicsize(): u64 {
  let v = VERSION();
  return v >= 312 ? 96 : v >= 311 ? 104 : 112;
}

/**
 * RawArray(typecode, n): multiprocessing.heap takes an Arena of
 * roundup(max(heap._size, size rounded to 8), PAGESIZE) bytes (heap._size
 * starts at PAGESIZE and doubles; the first arena is the one here), an
 * mmap shared with every child, which ctypes.memset zeroes; the ctypes
 * array object points into it (from_buffer: no buffer of its own).
 */
export function newRawArray(code: i32, n: i64): u64 {
  let size = <u64>(n * itemSize(code));
  let rounded = (max<u64>(size, 1) + 7) & ~<u64>7;
  let len = (max<u64>(rounded, 4096) + 4095) & ~<u64>4095;
  let buf = mmap(curPid, len, true);
  if (buf == 0 || failed()) { raise(Err.OOM, len); return 0; }
  let bs = ctypesBasicsize();
  let o: u64;
  if (VERSION() >= 311) {
    // _PyType_PreHeaderSize: the managed-dict words, then the GC head, then the object.
    let pre = objMalloc(16 + GC_HEAD() + bs);
    if (pre == 0) return 0;
    st64(pre, 0);
    st64(pre + 8, 0);
    st64(pre + 16, 0);
    st64(pre + 24, 0);
    st64(genCount(0), ld64(genCount(0)) + 1);
    o = pre + 16 + GC_HEAD();
  } else {
    o = gcMalloc(bs);
    if (o == 0) return 0;
  }
  fillRange(o, 0, bs);
  initObject(o, T.CTYPES_ARRAY);
  gcTrack(o);
  st64(o + 16, buf);
  st64(o + 40, size);
  st64(o + 48, <u64>n);
  st64(o + 80, ARRAY_DESCRS + <u64>code);
  fillRange(buf, 0, size); // ctypes.memset(addressof(obj), 0, sizeof(obj))
  return o;
}

export function ctypesArrayDealloc(o: u64): void {
  gcUntrack(o);
  let c = ld64(genCount(0));
  if (c > 0) st64(genCount(0), c - 1);
  if (VERSION() >= 311) objFree(o - GC_HEAD() - 16);
  else objFree(o - GC_HEAD());
  // The arena stays mapped (multiprocessing.heap keeps it for reuse).
}

// --- iterators ---------------------------------------------------------------------------------------

/**
 * bytearrayiterobject / ctypes' seqiterobject {it_index @16, it_seq @24}:
 * 32 bytes + GC head; arrayiterobject {index @16, ao @24, getitem @32}: 40.
 */
export function newArrayIter(o: u64): u64 {
  let t = typeOf(o);
  let size: u64 = t == T.ARRAY ? 40 : 32;
  let it = gcMalloc(size);
  if (it == 0) return 0;
  initObject(it, T.ARRAYITER);
  st64(it + 16, 0);
  INCREF(o);
  st64(it + 24, o);
  if (t == T.ARRAY) st64(it + 32, ld64(o + 40));
  gcTrack(it);
  return it;
}

export function arrayIterNext(it: u64): u64 {
  let o = ld64(it + 24);
  if (o == 0) return 0;
  let i = <i64>ld64(it + 16);
  if (i < arrayLen(o)) {
    st64(it + 16, <u64>(i + 1));
    return arrayGetItem(o, i);
  }
  if (typeOf(o) == T.ARRAY && PY2()) return 0;
  st64(it + 24, 0);
  DECREF(o);
  return 0;
}

export function arrayIterDealloc(it: u64): void {
  gcUntrack(it);
  XDECREF(ld64(it + 24));
  gcFree(it);
}

/** __sizeof__ without the GC head. */
export function arraySizeof(o: u64): u64 {
  let t = typeOf(o);
  if (t == T.BYTEARRAY) return (PY2() ? 48 : 56) + byteArrayAlloc(o);
  if (t == T.ARRAY) return (PY2() ? 56 : 64) + ld64(o + 32) * <u64>itemSize(codeOf(o));
  return ctypesBasicsize();
}
