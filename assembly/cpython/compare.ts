/**
 * Hashing and equality of the keys dicts and sets meet, and the test that
 * decides GC tracking of dicts (MAINTAIN_TRACKING / _PyObject_GC_MAY_BE_TRACKED).
 */
import { ld64 } from "../kernel/memory";
import { T, typeOf, gcIsTracked, Py_None, Py_True } from "./runtime";
import { intValue, floatValue, isInt, smallValue, NOT_SMALL } from "./numbers";
import { intHash, intCompare, intIsDoubleExact, compareIntFloat, hashIntegralDouble, hashNonIntegralDouble } from "./long";
import { PY2 } from "./runtime";
import { strHash, strEqual, bytesHash, bytesEqual } from "./str";
import { tupleSize, tupleItem } from "./sequence";

/** Python's numeric hash of an int: value mod (2^61 - 1), -1 → -2 (Python/pyhash.c, longobject.c). */
export function hashInt(v: i64): i64 {
  const M: u64 = (<u64>1 << 61) - 1;
  let a: u64 = v < 0 ? <u64>(-v) : <u64>v;
  let h = <i64>(a % M);
  if (v < 0) h = -h;
  return h == -1 ? -2 : h;
}

export function hashOf(o: u64): i64 {
  let t = typeOf(o);
  if (t == T.STR) return strHash(o);
  if (t == T.INT || t == T.BOOL || t == T.LONG2) return intHash(o);
  if (t == T.BYTES) return bytesHash(o);
  if (t == T.FLOAT) {
    let f = floatValue(o);
    if (f == Math.floor(f) && isFinite(f) && Math.abs(f) >= 9223372036854775808.0) return hashIntegralDouble(f);
    let i = <i64>f;
    if (<f64>i == f) return PY2() ? (i == -1 ? -2 : i) : hashInt(i);
    if (isFinite(f)) return hashNonIntegralDouble(f);
    if (!isNaN(f)) return f > 0 ? 314159 : (PY2() ? -271828 : -314159);
    let h = <i64>(reinterpret<u64>(f) >> 1);
    return h == -1 ? -2 : h;
  }
  if (t == T.TUPLE) {
    // tuplehash (3.8+ xxHash-style accumulation of the items' hashes).
    let acc: u64 = 2870177450012600261;
    let n = tupleSize(o);
    for (let i: i64 = 0; i < n; i++) {
      acc += <u64>hashOf(tupleItem(o, i)) * 14029467366897019727;
      acc = (acc << 31) | (acc >> 33);
      acc *= 11400714785074694791;
    }
    acc += <u64>n ^ (2870177450012600261 ^ 3527539);
    let h = <i64>acc;
    return h == -1 ? 1546275796 : h;
  }
  // Identity hash: the address, rotated by 4 (_Py_HashPointer).
  let h = <i64>((o >> 4) | (o << 60));
  return h == -1 ? -2 : h;
}

/** a == b for the types that can be keys. */
export function equalObjects(a: u64, b: u64): bool {
  if (a == b) return true;
  let ta = typeOf(a), tb = typeOf(b);
  let na = ta == T.INT || ta == T.BOOL || ta == T.LONG2 || ta == T.FLOAT;
  let nb = tb == T.INT || tb == T.BOOL || tb == T.LONG2 || tb == T.FLOAT;
  if (na && nb) {
    if (ta == T.FLOAT || tb == T.FLOAT) {
      if (ta != T.FLOAT && !intIsDoubleExact(a)) return compareIntFloat(a, floatValue(b)) == 0;
      if (tb != T.FLOAT && !intIsDoubleExact(b)) return compareIntFloat(b, floatValue(a)) == 0;
      let fa = ta == T.FLOAT ? floatValue(a) : <f64>intValue(a);
      let fb = tb == T.FLOAT ? floatValue(b) : <f64>intValue(b);
      return fa == fb;
    }
    let x = smallValue(a, ta), y = smallValue(b, tb);
    if (x == NOT_SMALL || y == NOT_SMALL) return intCompare(a, b) == 0;
    return x == y;
  }
  if (ta != tb) return false;
  if (ta == T.STR) return strEqual(a, b);
  if (ta == T.BYTES) return bytesEqual(a, b);
  if (ta == T.TUPLE) {
    let n = tupleSize(a);
    if (n != tupleSize(b)) return false;
    for (let i: i64 = 0; i < n; i++) if (!equalObjects(tupleItem(a, i), tupleItem(b, i))) return false;
    return true;
  }
  return false;
}

/**
 * _PyObject_GC_MAY_BE_TRACKED: a GC type whose object is tracked (tuples
 * are untracked lazily by the collector, so a new tuple counts).
 */
export function mayBeContainer(o: u64): bool {
  let t = typeOf(o);
  if (t == T.LIST || t == T.DICT || t == T.SET || t == T.TUPLE || t == T.FROZENSET || t == T.LISTITER ||
      t == T.MODULE || t == T.FUNCTION || t == T.ENUMERATE || t == T.ZIP || t == T.REVERSED || t == T.TUPLEITER || t == T.STRITER || t == T.BYTESITER ||
      t == T.DICTKEYITER || t == T.DICTVALUEITER || t == T.DICTITEMITER || t == T.SETITER || t == T.GENERATOR) {
    return gcIsTracked(o);
  }
  return false;
}
