/**
 * sys.getsizeof: the object's __sizeof__ plus, for GC types, the GC head
 * (2.7–3.10) or _PyType_PreHeaderSize (3.11+: the GC head, and 16 more for
 * types with a managed dict — here only the ctypes array). Sizes per type
 * and version from docs/cpython/objects.md, test/fixtures/getsizeof.json and
 * test/fixtures/probe-sizes.txt.
 */
import { ld8, ld32, ld64 } from "../kernel/memory";
import { P, param, PY2, VERSION, T, typeOf, GC_HEAD, Py_True } from "./runtime";
import { intValue } from "./numbers";
import { strLen, strKind } from "./str";
import { setSizeof } from "./set";
import { arraySizeof } from "./array";
import { dkSize, entrySize } from "./dict";
import { genSizeof } from "./gen";

function gcHead(): u64 { return GC_HEAD(); }

function ndigits(o: u64): u64 {
  if (param(P.INT_LV_TAG) != 0) return ld64(o + 16) >> 3;
  let n = <i64>ld64(o + 16);
  return <u64>(n < 0 ? -n : n);
}

function dictSizeof(d: u64): u64 {
  if (PY2()) {
    let table = ld64(d + 40);
    return 248 + (table != d + 56 ? (ld64(d + 32) + 1) * 24 : 0);
  }
  let n: u64 = 48;
  let k = ld64(d + 32);
  if (k != 0 && ld64(k) == 1) {
    let size = dkSize(k);
    let ix: u64 = size <= 0xff ? 1 : size <= 0xffff ? 2 : size <= 0xffffffff ? 4 : 8;
    let usable = (size << 1) / 3;
    n += <u64>param(P.DICT_KEYS_HEADER) + ix * size + entrySize(k) * usable;
  }
  return n;
}

function methodBasicsize(): u64 {
  let v = VERSION();
  return v < 30 ? 40 : v < 308 ? 48 : 56;
}

/** sys.getsizeof(o), or -1 for a type whose size is not modelled. */
export function getsizeof(o: u64): i64 {
  let t = typeOf(o);
  let v = VERSION();
  let gc = gcHead();
  switch (t) {
    case T.NONE: return 16;
    case T.BOOL:
      if (PY2()) return 24;
      return v >= 311 || o == Py_True ? 28 : 24;
    case T.INT:
      if (PY2()) return 24;
      return <i64>(24 + 4 * max<u64>(ndigits(o), v >= 311 ? 1 : 0));
    case T.LONG2: return <i64>(24 + 4 * ndigits(o));
    case T.FLOAT: return 24;
    case T.STR: {
      let n = strLen(o);
      if (PY2()) return 37 + n;
      let ascii = (ld32(o + 32) & (1 << 6)) != 0;
      if (ascii) return param(P.STR_ASCII_HEADER) + n + 1;
      return param(P.STR_COMPACT_HEADER) + (n + 1) * <i64>strKind(o);
    }
    case T.BYTES: return 33 + <i64>ld64(o + 16);
    case T.TUPLE: return <i64>(24 + (ld64(o + 16) << 3) + gc);
    case T.LIST: return <i64>(40 + (ld64(o + 32) << 3) + gc);
    case T.DICT: return <i64>(dictSizeof(o) + gc);
    case T.SET: case T.FROZENSET: return <i64>(setSizeof(o) + gc);
    case T.RANGE: return param(P.RANGE_BYTES);
    case T.RANGEITER: return param(P.RANGEITER_BYTES);
    case T.LISTITER: case T.TUPLEITER: case T.STRITER: case T.BYTESITER: case T.REVERSED: return <i64>(32 + gc);
    case T.DICTKEYITER: case T.DICTVALUEITER: case T.DICTITEMITER: return <i64>(56 + gc);
    case T.SETITER: return <i64>(48 + gc);
    case T.ENUMERATE: return <i64>((v >= 311 ? 56 : 48) + gc);
    case T.ZIP: return <i64>((v >= 310 ? 48 : 40) + gc);
    case T.DICTKEYS: case T.DICTVALUES: case T.DICTITEMS: return <i64>(24 + gc);
    case T.SLICE: return <i64>(40 + gc);
    case T.BYTEARRAY: return <i64>arraySizeof(o);
    case T.ARRAY: return <i64>(arraySizeof(o) + (v >= 310 ? gc : 0));
    case T.CTYPES_ARRAY: return <i64>(arraySizeof(o) + gc + (v >= 311 ? 16 : 0));
    case T.ARRAYITER: return <i64>((typeOf(ld64(o + 24)) == T.ARRAY ? 40 : 32) + gc);
    case T.BUILTIN: case T.METHOD: return <i64>(methodBasicsize() + gc);
    case T.MODULE: return <i64>((PY2() ? 24 : 56) + gc);
    case T.GENERATOR: return genSizeof(o);
  }
  return -1;
}
