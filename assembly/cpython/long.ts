/**
 * Ints beyond one digit: PyLongObject arithmetic as Objects/longobject.c does
 * it, per version, on the digit arrays in the simulated heap (3.x int, 2.7
 * long). What each version allocates, and where cowsim simplifies, is in
 * docs/cpython/objects.md ("int beyond one digit").
 *
 * Layout (every version, 30-bit digits: sys.int_info / sys.long_info measured
 * 30/4 on the nine interpreters): header, the size word @16, uint32 digits
 * from @24. The size word is ob_size (signed digit count) up to 3.11 and in
 * 2.7 longs; 3.12+ lv_tag = ndigits << 3 | sign (0 positive, 1 zero, 2
 * negative). `lsize` / `setSize` hide the difference (a signed digit count).
 *
 * Every function returns a new reference (0 with an exception set, or a
 * simulated failure) and leaves its arguments' references alone, except
 * where it says it consumes one (as CPython's static helpers do).
 *
 * The one-digit paths of the evaluator (ops.ts binaryOp, numbers.ts newInt)
 * stay where they were: they are CPython's medium-value fast paths, and only
 * operands with more digits (or a result that no longer fits) come here.
 */
import { failed } from "../config";
import { ld32, st32, ld64, st64 } from "../kernel/memory";
import { P, param, PY2, VERSION, T, typeAddr, typeOf, objMalloc, INCREF, DECREF, Py_True } from "./runtime";
import { newInt, newFloat, floatValue } from "./numbers";
import { Exc, setExc, excKind } from "./interp";
import { textByte } from "./text";

// @ts-ignore: decorator
@inline const SHIFT: u64 = 30;
// @ts-ignore: decorator
@inline const MASK: u64 = (1 << 30) - 1;
// @ts-ignore: decorator
@inline const BASE: u64 = 1 << 30;
// @ts-ignore: decorator
@inline const KARATSUBA_CUTOFF: i64 = 70;
// @ts-ignore: decorator
@inline const FIVEARY_CUTOFF: i64 = 8;
// @ts-ignore: decorator
@inline const HUGE_EXP_DIGITS: i64 = 2; // HUGE_EXP_CUTOFF (60 bits) / PyLong_SHIFT, 3.11+
// @ts-ignore: decorator
@inline const DECIMAL_BASE: u64 = 1000000000;
// @ts-ignore: decorator
@inline const DECIMAL_SHIFT: i64 = 9;

/** Message ids (ops.ts Msg; the host has the texts). */
// @ts-ignore: decorator
@inline const MSG_INDEX_SIZED: i64 = 12;
// @ts-ignore: decorator
@inline const MSG_NOT_MODELLED: i64 = 14;
// @ts-ignore: decorator
@inline const MSG_TOO_LARGE_FLOAT: i64 = 21;
// @ts-ignore: decorator
@inline const MSG_NEGATIVE_SHIFT: i64 = 22;
// @ts-ignore: decorator
@inline const MSG_BIG_INT_OP: i64 = 23;
// @ts-ignore: decorator
@inline const MSG_DIV_TOO_LARGE: i64 = 24;
// @ts-ignore: decorator
@inline const MSG_STR_DIGITS: i64 = 25;

// --- layout ---------------------------------------------------------------------------------

// @ts-ignore: decorator
@inline function lvTag(): bool { return param(P.INT_LV_TAG) != 0; }

/** Py_SIZE (≤3.11, 2.7 long) or the signed digit count of lv_tag (3.12+). */
export function lsize(o: u64): i64 {
  let s = ld64(o + 16);
  if (lvTag()) {
    let n = <i64>(s >> 3);
    return (s & 3) == 2 ? -n : n;
  }
  return <i64>s;
}

/** Sets the signed digit count (3.12+: lv_tag with the sign bits). */
function setSize(o: u64, s: i64): void {
  if (lvTag()) {
    let n: u64 = <u64>(s < 0 ? -s : s);
    st64(o + 16, (n << 3) | (s == 0 ? 1 : s < 0 ? 2 : 0));
  } else {
    st64(o + 16, <u64>s);
  }
}

// @ts-ignore: decorator
@inline function absSize(o: u64): i64 {
  let s = lsize(o);
  return s < 0 ? -s : s;
}

// @ts-ignore: decorator
@inline function dg(o: u64, i: i64): u64 {
  return <u64>ld32(o + 24 + (<u64>i << 2));
}

// @ts-ignore: decorator
@inline function setDg(o: u64, i: i64, d: u64): void {
  st32(o + 24 + (<u64>i << 2), <u32>d);
}

/** The value of a long with at most one digit (MEDIUM_VALUE / medium_value). */
// @ts-ignore: decorator
@inline function medium(o: u64): i64 {
  let s = lsize(o);
  return s == 0 ? 0 : s * <i64>dg(o, 0);
}

/** bool operands are read as the ints 0 and 1 (their digits in CPython); cowsim's static bools keep ob_size only. */
// @ts-ignore: decorator
@inline function asLong(o: u64): u64 {
  if (typeOf(o) == T.BOOL) return smallObj(o == Py_True ? 1 : 0);
  return o;
}

/** The cached small int v (a borrowed reference): its digits are what a bool's are. */
function smallObj(v: i64): u64 {
  let o = newInt(v);
  DECREF(o);
  return o;
}

function bitLength(d: u64): i64 {
  return d == 0 ? 0 : 64 - <i64>clz(d);
}

// --- allocation -----------------------------------------------------------------------------

/**
 * _PyLong_New(n): refcount 1, the type, size n. Request: 2.7
 * _PyObject_VAR_SIZE = round_up(24 + 4n, 8) (PyObject_NEW_VAR); 3.6–3.10
 * offsetof(ob_digit) + 4n; 3.11+ 24 + 4·max(n, 1) (3.12+ also zeroes digit 0).
 */
export function longNew(n: i64): u64 {
  let v = VERSION();
  let req: u64;
  if (v < 30) req = (24 + 4 * <u64>n + 7) & ~(<u64>7);
  else if (v < 311) req = 24 + 4 * <u64>n;
  else req = 24 + 4 * <u64>max<i64>(n, 1);
  let o = objMalloc(req);
  if (o == 0) return 0;
  st64(o, 1);
  st64(o + 8, typeAddr(v < 30 ? T.LONG2 : T.INT));
  setSize(o, n);
  if (v >= 312) st32(o + 24, 0);
  return o;
}

/** PyLong_FromLong: 3.x newInt (small cache, medium, large); 2.7 a long of exactly its digits (no cache). */
export function longFromI64(v: i64): u64 {
  if (!PY2()) return newInt(v);
  let a: u64 = v < 0 ? <u64>(0 - v) : <u64>v;
  let n: i64 = 0;
  let t = a;
  while (t != 0) { n++; t >>= SHIFT; }
  let z = longNew(n);
  if (z == 0) return 0;
  setSize(z, v < 0 ? -n : n);
  for (let i: i64 = 0; i < n; i++) { setDg(z, i, a & MASK); a >>= SHIFT; }
  return z;
}

/** long_normalize: drops leading zero digits (the allocation stays). */
function normalize(v: u64): u64 {
  let j = absSize(v);
  let i = j;
  while (i > 0 && dg(v, i - 1) == 0) i--;
  if (i != j) setSize(v, lsize(v) < 0 ? -i : i);
  return v;
}

/** maybe_small_long (3.x): a fresh one-digit result in -5..256 is freed for the cached one. */
function maybeSmall(z: u64): u64 {
  if (z == 0 || PY2()) return z;
  let s = lsize(z);
  if (s >= -1 && s <= 1) {
    let iv = medium(z);
    if (iv >= -5 && iv < 257) {
      DECREF(z);
      return newInt(iv);
    }
  }
  return z;
}

/** Negates z (consumed): 2.7 flips ob_size; 3.x _PyLong_Negate (a shared object is replaced). */
function negate(z: u64): u64 {
  if (z == 0) return 0;
  if (PY2() || REFCNT1(z)) {
    setSize(z, -lsize(z));
    return z;
  }
  let r = newInt(-medium(z));
  DECREF(z);
  return r;
}

// @ts-ignore: decorator
@inline function REFCNT1(o: u64): bool {
  return ld64(o) == 1;
}

/** _PyLong_Copy. */
function copyLong(src: u64): u64 {
  let s = lsize(src);
  let n = s < 0 ? -s : s;
  if (!PY2() && n < 2) {
    let iv = medium(src);
    if (iv >= -5 && iv < 257) return newInt(iv);
  }
  let z = longNew(n);
  if (z == 0) return 0;
  setSize(z, s);
  for (let i: i64 = 0; i < n; i++) setDg(z, i, dg(src, i));
  return z;
}

/** long_long: an exact int is returned itself; a bool becomes an int (3.x _PyLong_Copy: the cached 0 or 1). */
export function longLong(v: u64): u64 {
  if (typeOf(v) == T.BOOL) return newInt(v == Py_True ? 1 : 0);
  INCREF(v);
  return v;
}

// --- add, subtract, multiply ------------------------------------------------------------------

/** x_add: |a| + |b|, size_a + 1 digits allocated. */
function xAdd(a: u64, b: u64): u64 {
  let na = absSize(a), nb = absSize(b);
  if (na < nb) { let t = a; a = b; b = t; let u = na; na = nb; nb = u; }
  let z = longNew(na + 1);
  if (z == 0) return 0;
  let carry: u64 = 0;
  let i: i64 = 0;
  for (; i < nb; i++) {
    carry += dg(a, i) + dg(b, i);
    setDg(z, i, carry & MASK);
    carry >>= SHIFT;
  }
  for (; i < na; i++) {
    carry += dg(a, i);
    setDg(z, i, carry & MASK);
    carry >>= SHIFT;
  }
  setDg(z, i, carry);
  return normalize(z);
}

/** x_sub: |a| - |b| (sign set); equal values give 0 (2.7 a new zero long, 3.x the cached 0); 3.9+ maybe_small_long. */
function xSub(a: u64, b: u64): u64 {
  let na = absSize(a), nb = absSize(b);
  let sign = 1;
  if (na < nb) {
    sign = -1;
    let t = a; a = b; b = t; let u = na; na = nb; nb = u;
  } else if (na == nb) {
    let i = na;
    while (--i >= 0 && dg(a, i) == dg(b, i)) {}
    if (i < 0) return PY2() ? longNew(0) : newInt(0);
    if (dg(a, i) < dg(b, i)) {
      sign = -1;
      let t = a; a = b; b = t;
    }
    na = nb = i + 1;
  }
  let z = longNew(na);
  if (z == 0) return 0;
  let borrow: u64 = 0;
  let i: i64 = 0;
  for (; i < nb; i++) {
    borrow = dg(a, i) - dg(b, i) - borrow;
    setDg(z, i, borrow & MASK);
    borrow = (borrow >> SHIFT) & 1;
  }
  for (; i < na; i++) {
    borrow = dg(a, i) - borrow;
    setDg(z, i, borrow & MASK);
    borrow = (borrow >> SHIFT) & 1;
  }
  if (sign < 0) setSize(z, -lsize(z));
  z = normalize(z);
  return VERSION() >= 309 ? maybeSmall(z) : z;
}

/** long_add / _PyLong_Add on two longs (bools read as ints). */
export function longAdd(a: u64, b: u64): u64 {
  a = asLong(a); b = asLong(b);
  let sa = lsize(a), sb = lsize(b);
  if (!PY2() && sa >= -1 && sa <= 1 && sb >= -1 && sb <= 1) return newInt(medium(a) + medium(b));
  let z: u64;
  if (sa < 0) {
    if (sb < 0) {
      z = xAdd(a, b);
      if (z != 0) setSize(z, -lsize(z));
    } else {
      z = xSub(b, a);
    }
  } else {
    z = sb < 0 ? xSub(a, b) : xAdd(a, b);
  }
  return z;
}

/** long_sub / _PyLong_Subtract (≤3.8: -(x_sub(a, b)) for two negatives; 3.9+ x_sub(b, a)). */
export function longSub(a: u64, b: u64): u64 {
  a = asLong(a); b = asLong(b);
  let sa = lsize(a), sb = lsize(b);
  if (!PY2() && sa >= -1 && sa <= 1 && sb >= -1 && sb <= 1) return newInt(medium(a) - medium(b));
  let z: u64;
  if (sa < 0) {
    if (PY2() || VERSION() < 309) {
      z = sb < 0 ? xSub(a, b) : xAdd(a, b);
      if (z != 0) setSize(z, -lsize(z));
    } else if (sb < 0) {
      z = xSub(b, a);
    } else {
      z = xAdd(a, b);
      if (z != 0) setSize(z, -lsize(z));
    }
  } else {
    z = sb < 0 ? xAdd(a, b) : xSub(a, b);
  }
  return z;
}

/**
 * x_mul: the grade-school product, size_a + size_b digits allocated and
 * zeroed. (The squaring variant for a == b computes the same digits.)
 */
function xMul(a: u64, b: u64): u64 {
  let na = absSize(a), nb = absSize(b);
  let z = longNew(na + nb);
  if (z == 0) return 0;
  for (let i: i64 = 0; i < na + nb; i++) setDg(z, i, 0);
  for (let i: i64 = 0; i < na; i++) {
    let f = dg(a, i);
    let carry: u64 = 0;
    for (let j: i64 = 0; j < nb; j++) {
      carry += dg(z, i + j) + dg(b, j) * f;
      setDg(z, i + j, carry & MASK);
      carry >>= SHIFT;
    }
    if (carry != 0) setDg(z, i + nb, dg(z, i + nb) + (carry & MASK));
  }
  return normalize(z);
}

/**
 * k_mul: the smaller operand decides; zero → 0 (2.7 a new zero long); up to
 * KARATSUBA_CUTOFF digits (2× for squaring) x_mul. Above it CPython splits
 * the operands (Karatsuba, k_lopsided_mul): the result is allocated with the
 * same asize + bsize digits, the halves and partial products it also
 * allocates are not modelled.
 */
function kMul(a: u64, b: u64): u64 {
  let na = absSize(a), nb = absSize(b);
  if (na > nb) { let t = a; a = b; b = t; let u = na; na = nb; nb = u; }
  if (na == 0) return PY2() ? longNew(0) : newInt(0);
  return xMul(a, b);
}

/** long_mul / _PyLong_Multiply. */
export function longMul(a: u64, b: u64): u64 {
  a = asLong(a); b = asLong(b);
  let sa = lsize(a), sb = lsize(b);
  if (!PY2() && sa >= -1 && sa <= 1 && sb >= -1 && sb <= 1) return newInt(medium(a) * medium(b));
  let z = kMul(a, b);
  if ((sa ^ sb) < 0 && z != 0) z = negate(z);
  return z;
}

// --- division ---------------------------------------------------------------------------------

let gDiv: u64 = 0;
let gMod: u64 = 0;
let gRem: u64 = 0;

function zeroDivision(mod: bool): void {
  // 3.x: "integer division or modulo by zero" (long_divrem), "integer modulo by zero" (3.11+ long_rem); 2.7 "long ..."
  setExc(Exc.ZERO_DIVISION, mod && VERSION() >= 311 ? 1 : 0, 0, 0);
}

/** divrem1: |a| / n for a one-digit n; the remainder in gRem. */
function divrem1(a: u64, n: u64): u64 {
  let size = absSize(a);
  let z = longNew(size);
  if (z == 0) return 0;
  let rem: u64 = 0;
  for (let i = size - 1; i >= 0; i--) {
    rem = (rem << SHIFT) | dg(a, i);
    let hi = rem / n;
    setDg(z, i, hi);
    rem -= hi * n;
  }
  gRem = rem;
  return normalize(z);
}

function vLshift(z: u64, zoff: i64, a: u64, m: i64, d: u64): u64 {
  let carry: u64 = 0;
  for (let i: i64 = 0; i < m; i++) {
    let acc = (dg(a, i) << d) | carry;
    setDg(z, zoff + i, acc & MASK);
    carry = acc >> SHIFT;
  }
  return carry;
}

/**
 * x_divrem (Knuth D): temporaries v (size_v + 1 digits) and w (size_w), the
 * quotient (k digits); w becomes the remainder (gMod), v is freed.
 */
function xDivrem(v1: u64, w1: u64): u64 {
  let sizeV = absSize(v1), sizeW = absSize(w1);
  let v = longNew(sizeV + 1);
  if (v == 0) { gMod = 0; return 0; }
  let w = longNew(sizeW);
  if (w == 0) { DECREF(v); gMod = 0; return 0; }
  let d = SHIFT - <u64>bitLength(dg(w1, sizeW - 1));
  vLshift(w, 0, w1, sizeW, d);
  let carry = vLshift(v, 0, v1, sizeV, d);
  if (carry != 0 || dg(v, sizeV - 1) >= dg(w, sizeW - 1)) {
    setDg(v, sizeV, carry);
    sizeV++;
  }
  let k = sizeV - sizeW;
  let a = longNew(k);
  if (a == 0) { DECREF(w); DECREF(v); gMod = 0; return 0; }
  let wm1 = dg(w, sizeW - 1), wm2 = dg(w, sizeW - 2);
  let ak = k;
  for (let vk = k - 1; vk >= 0; vk--) {
    let vtop = dg(v, vk + sizeW);
    let vv = (vtop << SHIFT) | dg(v, vk + sizeW - 1);
    let q = vv / wm1;
    let r = vv - wm1 * q;
    while (wm2 * q > ((r << SHIFT) | dg(v, vk + sizeW - 2))) {
      q--;
      r += wm1;
      if (r >= BASE) break;
    }
    let zhi: i64 = 0;
    for (let i: i64 = 0; i < sizeW; i++) {
      let z: i64 = <i64>dg(v, vk + i) + zhi - <i64>q * <i64>dg(w, i);
      setDg(v, vk + i, <u64>z & MASK);
      zhi = z >> SHIFT;
    }
    if (<i64>vtop + zhi < 0) {
      let c: u64 = 0;
      for (let i: i64 = 0; i < sizeW; i++) {
        c += dg(v, vk + i) + dg(w, i);
        setDg(v, vk + i, c & MASK);
        c >>= SHIFT;
      }
      q--;
    }
    setDg(a, --ak, q);
  }
  // v_rshift(w0, v0, size_w, d): the remainder into w
  let mask: u64 = (<u64>1 << d) - 1;
  let c: u64 = 0;
  for (let i = sizeW - 1; i >= 0; i--) {
    let acc = (c << SHIFT) | dg(v, i);
    c = acc & mask;
    setDg(w, i, acc >> d);
  }
  DECREF(v);
  gMod = normalize(w);
  return normalize(a);
}

/** long_divrem: truncated quotient (gDiv) and remainder (gMod) with the signs of a*b and a. */
function longDivrem(a: u64, b: u64): bool {
  let na = absSize(a), nb = absSize(b);
  let v = VERSION();
  if (nb == 0) { zeroDivision(false); return false; }
  if (na < nb || (na == nb && dg(a, na - 1) < dg(b, nb - 1))) {
    if (v < 30) {
      gDiv = longNew(0);
      if (gDiv == 0) return false;
      INCREF(a);
      gMod = a;
    } else {
      gMod = longLong(a);
      gDiv = newInt(0);
    }
    return true;
  }
  let z: u64, rem: u64;
  if (nb == 1) {
    z = divrem1(a, dg(b, 0));
    if (z == 0) return false;
    rem = longFromI64(<i64>gRem);
    if (rem == 0) { DECREF(z); return false; }
  } else {
    z = xDivrem(a, b);
    rem = gMod;
    if (v >= 311) rem = maybeSmall(rem);
    if (z == 0) { if (rem != 0) DECREF(rem); return false; }
  }
  if ((lsize(a) < 0) != (lsize(b) < 0)) z = negate(z);
  if (lsize(a) < 0 && lsize(rem) != 0) rem = negate(rem);
  gDiv = v < 30 ? z : maybeSmall(z);
  gMod = rem;
  return !failed();
}

/** fast_floor_div / fast_mod (3.x, both operands exactly one digit). */
function fastFloorDiv(a: u64, b: u64): u64 {
  let left = <i64>dg(a, 0), right = <i64>dg(b, 0);
  let div = (lsize(a) < 0) == (lsize(b) < 0) ? left / right : -1 - (left - 1) / right;
  return newInt(div);
}
function fastMod(a: u64, b: u64): u64 {
  let left = <i64>dg(a, 0), right = <i64>dg(b, 0);
  let sb = lsize(b);
  let mod = (lsize(a) < 0) == (sb < 0) ? left % right : right - 1 - (left - 1) % right;
  return newInt(mod * sb);
}

/** l_divmod: floor quotient and modulo into gDiv / gMod (those not wanted are released). */
function lDivmod(v: u64, w: u64, wantDiv: bool, wantMod: bool): bool {
  let ver = VERSION();
  if (ver >= 30 && absSize(v) == 1 && absSize(w) == 1) {
    let div: u64 = 0;
    if (wantDiv) { div = fastFloorDiv(v, w); if (div == 0) return false; }
    if (wantMod) {
      let mod = fastMod(v, w);
      if (mod == 0) { if (div != 0) DECREF(div); return false; }
      gMod = mod;
    }
    gDiv = div;
    return true;
  }
  if (!longDivrem(v, w)) return false;
  let div = gDiv, mod = gMod;
  let sm = lsize(mod), sw = lsize(w);
  if ((sm < 0 && sw > 0) || (sm > 0 && sw < 0)) {
    let t = longAdd(mod, w);
    DECREF(mod);
    mod = t;
    if (mod == 0) { DECREF(div); return false; }
    // 2.7 and 3.6 make the 1 (2.7: a new long; 3.6: the cached 1); 3.7+ use _PyLong_One
    let one = longFromI64(1);
    t = longSub(div, one);
    DECREF(one);
    if (t == 0) { DECREF(mod); DECREF(div); return false; }
    DECREF(div);
    div = t;
  }
  if (wantDiv) gDiv = div; else DECREF(div);
  if (wantMod) gMod = mod; else DECREF(mod);
  return true;
}

/** long_rem (3.11+): only the remainder (rem1 for a one-digit divisor, else x_divrem's, the quotient dropped). */
function longRem(a: u64, b: u64): u64 {
  let na = absSize(a), nb = absSize(b);
  if (nb == 0) { zeroDivision(true); return 0; }
  if (na < nb || (na == nb && dg(a, na - 1) < dg(b, nb - 1))) return longLong(a);
  let rem: u64;
  if (nb == 1) {
    let n = dg(b, 0);
    let r: u64 = 0;
    for (let i = na - 1; i >= 0; i--) r = ((r << SHIFT) | dg(a, i)) % n;
    rem = newInt(<i64>r);
  } else {
    let q = xDivrem(a, b);
    if (q != 0) DECREF(q);
    rem = maybeSmall(gMod);
    if (rem == 0) return 0;
  }
  if (lsize(a) < 0 && lsize(rem) != 0) rem = negate(rem);
  return rem;
}

/** l_mod (3.11+). */
function lMod(v: u64, w: u64): u64 {
  if (absSize(v) == 1 && absSize(w) == 1) return fastMod(v, w);
  let mod = longRem(v, w);
  if (mod == 0) return 0;
  let sm = lsize(mod), sw = lsize(w);
  if ((sm < 0 && sw > 0) || (sm > 0 && sw < 0)) {
    let t = longAdd(mod, w);
    DECREF(mod);
    mod = t;
  }
  return mod;
}

/** long_div (floor division). */
export function longFloorDiv(a: u64, b: u64): u64 {
  a = asLong(a); b = asLong(b);
  if (!PY2() && absSize(a) == 1 && absSize(b) == 1) return fastFloorDiv(a, b);
  if (!lDivmod(a, b, true, false)) return 0;
  return gDiv;
}

/** long_mod (3.11+ l_mod). */
export function longMod(a: u64, b: u64): u64 {
  a = asLong(a); b = asLong(b);
  if (VERSION() >= 311) return lMod(a, b);
  if (!PY2() && absSize(a) == 1 && absSize(b) == 1) return fastMod(a, b);
  if (!lDivmod(a, b, false, true)) return 0;
  return gMod;
}

// --- power ------------------------------------------------------------------------------------

/** MULT(X, Y, result) without a modulus: result = X*Y, the old result released. */
// @ts-ignore: decorator
@inline function mult(x: u64, y: u64, result: u64): u64 {
  let t = longMul(x, y);
  if (result != 0) DECREF(result);
  return t;
}

/**
 * long_pow(a, b, None) for b >= 0: z starts as PyLong_FromLong(1); ≤3.10 and
 * 2.7 scan all 30 bits of each exponent digit from the top (MULT(z, z) then
 * MULT(z, a) for set bits); 3.11+ handle b ≤ 3 directly and otherwise start
 * from a at the top bit (exponents up to 60 bits). Larger exponents (5-ary /
 * sliding window with a table) are not modelled.
 */
export function longPow(a: u64, b: u64): u64 {
  a = asLong(a); b = asLong(b);
  let v = VERSION();
  let sb = lsize(b);
  if (sb < 0) return floatPowOfInts(a, b);
  INCREF(a);
  INCREF(b);
  let z = longFromI64(1);
  if (v < 311) {
    if (sb > FIVEARY_CUTOFF) return powNotModelled(a, b, z);
    for (let i = sb - 1; i >= 0 && z != 0; i--) {
      let bi = dg(b, i);
      for (let j: u64 = <u64>1 << (SHIFT - 1); j != 0 && z != 0; j >>= 1) {
        z = mult(z, z, z);
        if (z != 0 && (bi & j) != 0) z = mult(z, a, z);
      }
    }
  } else {
    let i = sb;
    let bi: u64 = i != 0 ? dg(b, i - 1) : 0;
    if (i <= 1 && bi <= 3) {
      if (bi >= 2) {
        z = mult(a, a, z);
        if (z != 0 && bi == 3) z = mult(z, a, z);
      } else if (bi == 1) {
        z = mult(a, z, z);
      }
    } else if (i <= HUGE_EXP_DIGITS) {
      INCREF(a);
      DECREF(z);
      z = a;
      let bit: u64 = 2;
      while (bit <= bi) bit <<= 1;
      bit >>= 1;
      i--;
      bit >>= 1;
      while (z != 0) {
        for (; bit != 0 && z != 0; bit >>= 1) {
          z = mult(z, z, z);
          if (z != 0 && (bi & bit) != 0) z = mult(z, a, z);
        }
        if (--i < 0) break;
        bi = dg(b, i);
        bit = <u64>1 << (SHIFT - 1);
      }
    } else {
      return powNotModelled(a, b, z);
    }
  }
  DECREF(a);
  DECREF(b);
  return z;
}

function powNotModelled(a: u64, b: u64, z: u64): u64 {
  if (z != 0) DECREF(z);
  DECREF(a);
  DECREF(b);
  setExc(Exc.UNSUPPORTED, MSG_BIG_INT_OP, T.INT, 0);
  return 0;
}

/** int ** negative int: float_pow on the operands converted to double (0 ** -n is a ZeroDivisionError). */
function floatPowOfInts(a: u64, b: u64): u64 {
  let x = longAsDouble(a);
  if (failed() || excPendingLocal()) return 0;
  let y = longAsDouble(b);
  if (failed() || excPendingLocal()) return 0;
  if (x == 0) { setExc(Exc.ZERO_DIVISION, 3, 0, 0); return 0; }
  return newFloat(Math.pow(x, y));
}

// @ts-ignore: decorator
@inline function excPendingLocal(): bool { return excKind != 0; }

// --- unary ------------------------------------------------------------------------------------

/** long_neg. */
export function longNeg(v: u64): u64 {
  v = asLong(v);
  let s = lsize(v);
  if (PY2()) {
    if (s == 0) { INCREF(v); return v; }
  } else if (s >= -1 && s <= 1) {
    return newInt(-medium(v));
  }
  let z = copyLong(v);
  if (z != 0) setSize(z, -s);
  return z;
}

/** long_invert: -(v + 1). */
export function longInvert(v: u64): u64 {
  v = asLong(v);
  let s = lsize(v);
  if (!PY2() && s >= -1 && s <= 1) return newInt(~medium(v));
  let one = longFromI64(1);
  let x = longAdd(v, one);
  DECREF(one);
  if (x == 0) return 0;
  return negate(x);
}

/** long_abs. */
export function longAbs(v: u64): u64 {
  if (lsize(asLong(v)) < 0) return longNeg(v);
  return longLong(v);
}

// --- shifts -----------------------------------------------------------------------------------

/**
 * long_lshift / long_rshift for operands or results beyond one digit, as
 * 3.8's long_lshift1 / long_rshift1 do it (on every version: the allocation
 * is oldsize + wordshift (+1) digits, then normalized; a negative number
 * shifted right is ~(~a >> n)).
 */
export function longShift(a: u64, b: u64, left: bool): u64 {
  a = asLong(a); b = asLong(b);
  if (lsize(b) < 0) { setExc(Exc.VALUE, MSG_NEGATIVE_SHIFT, 0, 0); return 0; }
  if (lsize(a) == 0) return longFromI64(0);
  if (absSize(b) > 2) {
    if (!left) return longFromI64(lsize(a) < 0 ? -1 : 0);
    setExc(Exc.UNSUPPORTED, MSG_BIG_INT_OP, T.INT, 0);
    return 0;
  }
  let n = absSize(b) == 1 ? <i64>dg(b, 0) : (<i64>dg(b, 1) << 30) | <i64>dg(b, 0);
  let wordshift = n / 30;
  let remshift = <u64>(n % 30);
  return left ? lshift1(a, wordshift, remshift) : rshift1(a, wordshift, remshift);
}

function lshift1(a: u64, wordshift: i64, remshift: u64): u64 {
  let oldsize = absSize(a);
  let newsize = oldsize + wordshift + (remshift != 0 ? 1 : 0);
  if (newsize > (1 << 26)) { setExc(Exc.UNSUPPORTED, MSG_BIG_INT_OP, T.INT, 0); return 0; }
  let z = longNew(newsize);
  if (z == 0) return 0;
  if (lsize(a) < 0) setSize(z, -newsize);
  for (let i: i64 = 0; i < wordshift; i++) setDg(z, i, 0);
  let accum: u64 = 0;
  let i = wordshift;
  for (let j: i64 = 0; j < oldsize; i++, j++) {
    accum |= dg(a, j) << remshift;
    setDg(z, i, accum & MASK);
    accum >>= SHIFT;
  }
  if (remshift != 0) setDg(z, newsize - 1, accum);
  return maybeSmall(normalize(z));
}

function rshift1(a: u64, wordshift: i64, remshift: u64): u64 {
  if (lsize(a) < 0) {
    let a1 = longInvert(a);
    if (a1 == 0) return 0;
    let a2 = rshift1(a1, wordshift, remshift);
    DECREF(a1);
    if (a2 == 0) return 0;
    let z = longInvert(a2);
    DECREF(a2);
    return z;
  }
  let newsize = lsize(a) - wordshift;
  if (newsize <= 0) return longFromI64(0);
  let hishift = SHIFT - remshift;
  let lomask: u64 = (<u64>1 << hishift) - 1;
  let himask: u64 = MASK ^ lomask;
  let z = longNew(newsize);
  if (z == 0) return 0;
  for (let i: i64 = 0, j = wordshift; i < newsize; i++, j++) {
    let d = (dg(a, j) >> remshift) & lomask;
    if (i + 1 < newsize) d |= (dg(a, j + 1) << hishift) & himask;
    setDg(z, i, d);
  }
  return maybeSmall(normalize(z));
}

// --- comparison and hashing ---------------------------------------------------------------------

/** long_compare: -1, 0, 1. */
export function longCompare(a: u64, b: u64): i32 {
  a = asLong(a); b = asLong(b);
  let sa = lsize(a), sb = lsize(b);
  if (sa != sb) return sa < sb ? -1 : 1;
  let i = sa < 0 ? -sa : sa;
  while (--i >= 0) {
    let x = dg(a, i), y = dg(b, i);
    if (x != y) {
      let c = x < y ? -1 : 1;
      return sa < 0 ? -c : c;
    }
  }
  return 0;
}

/**
 * long_hash. 3.x: |v| mod 2**61 - 1 (digits folded from the top, the
 * modulus as a rotation), with the sign; -1 → -2. 2.7: |v| mod ULONG_MAX
 * (a 64-bit rotation by 30 with end-around carry), with the sign.
 */
export function longHash(o: u64): i64 {
  o = asLong(o);
  let s = lsize(o);
  let n = s < 0 ? -s : s;
  let x: u64 = 0;
  if (PY2()) {
    for (let i = n - 1; i >= 0; i--) {
      x = (x >> (64 - SHIFT)) | (x << SHIFT);
      let d = dg(o, i);
      x += d;
      if (x < d) x++;
    }
  } else {
    const M: u64 = (<u64>1 << 61) - 1;
    for (let i = n - 1; i >= 0; i--) {
      x = ((x << SHIFT) & M) | (x >> (61 - SHIFT));
      x += dg(o, i);
      if (x >= M) x -= M;
    }
  }
  if (s < 0) x = 0 - x;
  let h = <i64>x;
  return h == -1 ? -2 : h;
}

/** Hash of an integral float beyond 64 bits: the hash of the int it equals (3.x _Py_HashDouble; 2.7 hashes PyLong_FromDouble). */
export function hashIntegralDouble(f: f64): i64 {
  let bits = reinterpret<u64>(f);
  let e = <i64>((bits >> 52) & 0x7ff) - 1075; // |f| = m * 2**e
  let m: u64 = (bits & ((<u64>1 << 52) - 1)) | (<u64>1 << 52);
  let x: u64 = 0;
  if (PY2()) {
    // fold the 30-bit digits of m << e from the top, as long_hash does
    let nbits = 53 + e;
    let ndig = (nbits + 29) / 30;
    for (let i = ndig - 1; i >= 0; i--) {
      let d = digitOfShifted(m, e, i);
      x = (x >> (64 - SHIFT)) | (x << SHIFT);
      x += d;
      if (x < d) x++;
    }
  } else {
    const M: u64 = (<u64>1 << 61) - 1;
    x = m % M;
    let k = e % 61;
    x = ((x << <u64>k) & M) | (x >> <u64>(61 - k));
  }
  if (f < 0) x = 0 - x;
  let h = <i64>x;
  return h == -1 ? -2 : h;
}

/** Digit i (30 bits) of m << e, e >= 0. */
function digitOfShifted(m: u64, e: i64, i: i64): u64 {
  let lo = i * 30 - e; // bit of m at the digit's bit 0
  let d: u64;
  if (lo >= 0) d = lo >= 64 ? 0 : m >> <u64>lo;
  else d = -lo >= 64 ? 0 : m << <u64>(-lo);
  return d & MASK;
}

// --- conversions ------------------------------------------------------------------------------

/** Whether the int fits in a C long (PyLong_AsLongAndOverflow without overflow). */
export function longFitsI64(o: u64): bool {
  let n = absSize(o);
  if (n <= 2) return true;
  if (n > 3) return false;
  let top = dg(o, 2);
  if (top < 8) return true;
  // exactly -2**63
  return lsize(o) < 0 && top == 8 && dg(o, 1) == 0 && dg(o, 0) == 0;
}

/** The value of an int beyond two digits, saturated to the i64 range. */
export function longValueSaturated(o: u64): i64 {
  let s = lsize(o);
  if (!longFitsI64(o)) return s < 0 ? i64.MIN_VALUE : i64.MAX_VALUE;
  let n = s < 0 ? -s : s;
  let v: u64 = 0;
  for (let i = n - 1; i >= 0; i--) v = (v << SHIFT) | dg(o, i);
  return s < 0 ? <i64>(0 - v) : <i64>v;
}

/**
 * PyLong_AsDouble: exact for one digit; else _PyLong_Frexp's correctly
 * rounded (half to even) top 53 bits; OverflowError beyond the double range.
 */
export function longAsDouble(o: u64): f64 {
  o = asLong(o);
  if (typeOf(o) == T.INT && PY2()) return <f64><i64>ld64(o + 16);
  let s = lsize(o);
  let n = s < 0 ? -s : s;
  if (n <= 1) return <f64>medium(o);
  let topBits = bitLength(dg(o, n - 1));
  let nbits = (n - 1) * 30 + topBits;
  if (nbits > 1024) { setExc(Exc.OVERFLOW, MSG_TOO_LARGE_FLOAT, 0, 0); return 0; }
  // the top 64 bits (as far as there are), and whether any bit below them is set
  let m: u64 = 0;
  let got: i64 = 0; // bits in m
  let i = n - 1;
  let sticky = false;
  for (; i >= 0; i--) {
    let d = dg(o, i);
    let w: i64 = i == n - 1 ? topBits : 30;
    if (got + w <= 64) {
      m = (m << <u64>w) | d;
      got += w;
    } else {
      let take = 64 - got;
      m = take > 0 ? (m << <u64>take) | (d >> <u64>(w - take)) : m;
      if ((d & ((<u64>1 << <u64>(w - take)) - 1)) != 0) sticky = true;
      got = 64;
      i--;
      break;
    }
  }
  for (; i >= 0 && !sticky; i--) if (dg(o, i) != 0) sticky = true;
  // m has `got` bits (got = min(64, nbits)); the value is m * 2**(nbits - got) (+ sticky)
  let r = roundToDouble(m, got, sticky);
  let e = nbits - got;
  let f = r * Math.pow(2, <f64>e);
  if (!isFinite(f)) { setExc(Exc.OVERFLOW, MSG_TOO_LARGE_FLOAT, 0, 0); return 0; }
  return s < 0 ? -f : f;
}

/** m (with `bits` significant bits, the top one set) rounded half-even to 53 bits, `sticky` meaning more bits below. */
function roundToDouble(m: u64, bits: i64, sticky: bool): f64 {
  if (bits <= 53) return <f64>m;
  let drop = <u64>(bits - 53);
  let kept = m >> drop;
  let rest = m & ((<u64>1 << drop) - 1);
  let half = <u64>1 << (drop - 1);
  if (rest > half || (rest == half && (sticky || (kept & 1) != 0))) kept++;
  return <f64>kept * Math.pow(2, <f64>drop);
}

/**
 * PyLong_FromDouble for |f| >= 2**63 (smaller values are PyLong_FromLong of
 * the truncated value): ndig = (expo - 1) / 30 + 1 digits, filled from the
 * top. NaN and infinities are errors (the caller checks).
 */
export function longFromDouble(f: f64): u64 {
  let neg = f < 0;
  let a = neg ? -f : f;
  let bits = reinterpret<u64>(a);
  let expo = <i64>((bits >> 52) & 0x7ff) - 1022; // a = frac * 2**expo, 0.5 <= frac < 1
  let e = expo - 53;
  let m: u64 = (bits & ((<u64>1 << 52) - 1)) | (<u64>1 << 52);
  let ndig = (expo - 1) / 30 + 1;
  let z = longNew(ndig);
  if (z == 0) return 0;
  for (let i = ndig - 1; i >= 0; i--) setDg(z, i, digitOfShifted(m, e, i));
  if (neg) setSize(z, -ndig);
  return z;
}

// --- decimal text ------------------------------------------------------------------------------

/**
 * long_to_decimal_string_internal (3.x) / long_to_decimal_string (2.7): a
 * scratch long of 1 + size_a + size_a / 99 digits (2.7: 1 + size_a * 30 / 27)
 * holds the base-10**9 digits; the text is appended to the text buffer. The
 * scratch is returned (the caller releases it after making the str object,
 * as CPython frees it after filling the string), or 0 on failure.
 */
export function longDecimalScratch(o: u64): u64 {
  o = asLong(o);
  let s = lsize(o);
  let sizeA = s < 0 ? -s : s;
  let v = VERSION();
  if (v >= 307 && sizeA >= 10 * 640 / (3 * 30) + 2 && 4300 / (3 * 30) <= (sizeA - 11) / 10) {
    setExc(Exc.VALUE, MSG_STR_DIGITS, 0, 0);
    return 0;
  }
  let size: i64 = v < 30 ? 1 + sizeA * 30 / (3 * DECIMAL_SHIFT) : 1 + sizeA + sizeA / 99;
  let scratch = longNew(size);
  if (scratch == 0) return 0;
  size = 0;
  for (let i = sizeA - 1; i >= 0; i--) {
    let hi = dg(o, i);
    for (let j: i64 = 0; j < size; j++) {
      let z = (dg(scratch, j) << SHIFT) | hi;
      hi = z / DECIMAL_BASE;
      setDg(scratch, j, z - hi * DECIMAL_BASE);
    }
    while (hi != 0) {
      setDg(scratch, size++, hi % DECIMAL_BASE);
      hi /= DECIMAL_BASE;
    }
  }
  if (size == 0) setDg(scratch, size++, 0);
  if (v >= 307) {
    // the exact check against sys.get_int_max_str_digits() (4300), sign excluded
    let ndec = 1 + (size - 1) * DECIMAL_SHIFT;
    let tenpow: u64 = 10;
    let top = dg(scratch, size - 1);
    while (top >= tenpow) { tenpow *= 10; ndec++; }
    if (ndec > 4300) {
      DECREF(scratch);
      setExc(Exc.VALUE, MSG_STR_DIGITS, 0, 0);
      return 0;
    }
  }
  if (s < 0) textByte(45);
  // the top base-10**9 digit without leading zeros, then the others with 9 digits each
  appendDecimalDigit(dg(scratch, size - 1), false);
  for (let j = size - 2; j >= 0; j--) appendDecimalDigit(dg(scratch, j), true);
  return scratch;
}

function appendDecimalDigit(d: u64, pad: bool): void {
  let p: u64 = 100000000;
  let started = pad;
  while (p > 0) {
    let c = d / p;
    d -= c * p;
    if (c != 0) started = true;
    if (started || p == 1) textByte(48 + <u32>c);
    p /= 10;
  }
}

/** Hex digits (%x) of an int beyond one digit, lower case, with the sign. */
export function appendLongHex(o: u64): void {
  o = asLong(o);
  let s = lsize(o);
  let n = s < 0 ? -s : s;
  if (s < 0) textByte(45);
  let nbits = (n - 1) * 30 + bitLength(dg(o, n - 1));
  let started = false;
  for (let k = ((nbits + 3) / 4) - 1; k >= 0; k--) {
    let bit = k * 4;
    let i = bit / 30, off = <u64>(bit % 30);
    let d = dg(o, i) >> off;
    if (off > 26 && i + 1 < n) d |= dg(o, i + 1) << (30 - off);
    d &= 15;
    if (d != 0) started = true;
    if (started || k == 0) textByte(<u32>(d < 10 ? 48 + d : 87 + d));
  }
}

/**
 * PyLong_FromString (base 10) on ASCII digits at ptr[0:len] (no sign, no
 * spaces, underscores allowed between digits; `ndigits` of them): z =
 * _PyLong_New(size_z) with size_z = digits · log(10)/log(2**30) + 1 (2.7:
 * (int)(chars · log) + 1), filled 9 decimal digits at a time (z = z·10**9 +
 * chunk), a new z one digit larger in the rare case the estimate is short;
 * then the sign, long_normalize and (3.x) maybe_small_long.
 */
export function longFromDecimal(ptr: usize, len: usize, ndigits: i64, neg: bool): u64 {
  let v = VERSION();
  let logBase = Math.log(10) / Math.log(<f64>BASE);
  let sizeZ: i64 = v < 30 ? <i64>(<f64>len * logBase) + 1 : <i64>(<f64>ndigits * logBase + 1.0);
  let z = longNew(sizeZ);
  if (z == 0) return 0;
  setSize(z, 0);
  let size: i64 = 0;
  let k: usize = 0;
  while (k < len) {
    let c0 = load<u8>(ptr + k);
    if (c0 == 95) { k++; continue; }
    let c: u64 = <u64>(c0 - 48);
    k++;
    let i = 1;
    while (i < 9 && k < len) {
      let ch = load<u8>(ptr + k);
      k++;
      if (ch == 95) continue;
      i++;
      c = c * 10 + <u64>(ch - 48);
    }
    let convmult: u64 = DECIMAL_BASE;
    if (i != 9) { convmult = 10; for (; i > 1; i--) convmult *= 10; }
    for (let j: i64 = 0; j < size; j++) {
      c += dg(z, j) * convmult;
      setDg(z, j, c & MASK);
      c >>= SHIFT;
    }
    if (c != 0) {
      if (size < sizeZ) {
        setDg(z, size, c);
        size++;
        setSize(z, size);
      } else {
        let tmp = longNew(sizeZ + 1);
        if (tmp == 0) { DECREF(z); return 0; }
        for (let j: i64 = 0; j < sizeZ; j++) setDg(tmp, j, dg(z, j));
        DECREF(z);
        z = tmp;
        setDg(z, sizeZ, c);
        sizeZ++;
        size = sizeZ;
        setSize(z, size);
      }
    }
  }
  if (neg) setSize(z, -lsize(z));
  normalize(z);
  return maybeSmall(z);
}

/** A long with the given sign and 30-bit digits (a constant the host made: the compiler's folded or literal ints). */
export function longFromDigits(neg: bool, digits: usize, n: i32): u64 {
  let z = longNew(n);
  if (z == 0) return 0;
  for (let i = 0; i < n; i++) setDg(z, i, load<u32>(digits + (<usize>i << 2)));
  setSize(z, neg ? -n : n);
  return normalize(z);
}

// --- true division -----------------------------------------------------------------------------

/**
 * long_true_divide for operands beyond 2**53: the correctly rounded
 * quotient. Computed as CPython does (scale a so the integer quotient has
 * 55+ bits, divide, the remainder as a sticky bit), with cowsim's own long
 * temporaries (the shifted numerator, quotient, remainder) in the heap;
 * CPython's temporaries differ in detail. Subnormal results lose the
 * half-even tie rule.
 */
export function longTrueDivide(a: u64, b: u64): u64 {
  a = asLong(a); b = asLong(b);
  let sa = lsize(a), sb = lsize(b);
  if (sb == 0) { setExc(Exc.ZERO_DIVISION, 2, 0, 0); return 0; }
  if (sa == 0) return newFloat(sb < 0 ? -0.0 : 0.0);
  let na = sa < 0 ? -sa : sa, nb = sb < 0 ? -sb : sb;
  let abits = (na - 1) * 30 + bitLength(dg(a, na - 1));
  let bbits = (nb - 1) * 30 + bitLength(dg(b, nb - 1));
  if (abits <= 53 && bbits <= 53) return newFloat(longAsDouble(a) / longAsDouble(b));
  let diff = abits - bbits;
  if (diff > 1024 + 1) { setExc(Exc.OVERFLOW, MSG_DIV_TOO_LARGE, 0, 0); return 0; }
  // shift so that the quotient has at least 64 bits: q = floor(|a| * 2**shift / |b|)
  let shift: i64 = 65 - diff;
  let num: u64, den: u64;
  let absA = sa < 0 ? longNeg(a) : longLong(a);
  let absB = sb < 0 ? longNeg(b) : longLong(b);
  if (absA == 0 || absB == 0) { if (absA != 0) DECREF(absA); if (absB != 0) DECREF(absB); return 0; }
  if (shift >= 0) {
    num = lshift1(absA, shift / 30, <u64>(shift % 30));
    den = absB;
    INCREF(den);
  } else {
    num = absA;
    INCREF(num);
    den = lshift1(absB, (-shift) / 30, <u64>((-shift) % 30));
  }
  DECREF(absA);
  DECREF(absB);
  if (num == 0 || den == 0) { if (num != 0) DECREF(num); if (den != 0) DECREF(den); return 0; }
  if (!longDivrem(num, den)) { DECREF(num); DECREF(den); return 0; }
  let q = gDiv, r = gMod;
  DECREF(num);
  DECREF(den);
  let sticky = lsize(r) != 0;
  DECREF(r);
  // q has 64..66 bits: take its top 64 bits with the sticky rest
  let nq = absSize(q);
  let qbits = (nq - 1) * 30 + bitLength(dg(q, nq - 1));
  let m: u64 = 0;
  let got: i64 = 0;
  let i = nq - 1;
  for (; i >= 0; i--) {
    let d = dg(q, i);
    let w: i64 = i == nq - 1 ? bitLength(d) : 30;
    if (got + w <= 64) { m = (m << <u64>w) | d; got += w; }
    else {
      let take = 64 - got;
      if (take > 0) m = (m << <u64>take) | (d >> <u64>(w - take));
      if ((d & ((<u64>1 << <u64>(w - take)) - 1)) != 0) sticky = true;
      got = 64;
      i--;
      break;
    }
  }
  for (; i >= 0 && !sticky; i--) if (dg(q, i) != 0) sticky = true;
  DECREF(q);
  let e = (qbits - got) - shift; // value = m * 2**e
  let f: f64;
  if (got + e < -1021) {
    f = <f64>m * Math.pow(2, <f64>e); // subnormal: double rounding possible
  } else {
    f = roundToDouble(m, got, sticky);
    f = ldexp(f, e);
  }
  if (!isFinite(f)) { setExc(Exc.OVERFLOW, MSG_DIV_TOO_LARGE, 0, 0); return 0; }
  return newFloat((sa < 0) != (sb < 0) ? -f : f);
}

/** f * 2**e without intermediate overflow or underflow for the exponents used here. */
function ldexp(f: f64, e: i64): f64 {
  while (e > 1000) { f *= Math.pow(2, 1000); e -= 1000; }
  while (e < -1000) { f *= Math.pow(2, -1000); e += 1000; }
  return f * Math.pow(2, <f64>e);
}

// --- ints against floats -----------------------------------------------------------------------

/**
 * Compares an int (of any size) with a float exactly, as float_richcompare
 * does: -1 / 0 / 1, or 2 when the float is a NaN. (CPython's temporaries
 * for ints beyond 48 bits are not modelled.)
 */
export function compareIntFloat(i: u64, f: f64): i32 {
  if (isNaN(f)) return 2;
  if (!isFinite(f)) return f > 0 ? -1 : 1;
  i = asLong(i);
  let si = lsize(i);
  let sf = f > 0 ? 1 : f < 0 ? -1 : 0;
  let sI = si > 0 ? 1 : si < 0 ? -1 : 0;
  if (sI != sf) return sI < sf ? -1 : 1;
  if (sI == 0) return 0;
  let a = f < 0 ? -f : f;
  let t = Math.floor(a);
  let frac = a - t;
  // compare |i| with t (an integer-valued double)
  let c: i32;
  let ni = si < 0 ? -si : si;
  let ibits = (ni - 1) * 30 + bitLength(dg(i, ni - 1));
  if (t == 0) c = 1;
  else {
    let bits = reinterpret<u64>(t);
    let e = <i64>((bits >> 52) & 0x7ff) - 1075;
    let m: u64 = (bits & ((<u64>1 << 52) - 1)) | (<u64>1 << 52);
    let tbits = 53 + e;
    if (ibits != tbits) c = ibits < tbits ? -1 : 1;
    else {
      c = 0;
      for (let k = ni - 1; k >= 0 && c == 0; k--) {
        let x = dg(i, k), y = digitOfShifted(m, e, k);
        if (x != y) c = x < y ? -1 : 1;
      }
    }
  }
  if (c == 0 && frac > 0) c = -1;
  return sI < 0 ? -c : c;
}

/** The ints' own error for an index or size that does not fit: OverflowError (PyNumber_AsSsize_t). */
export function indexOverflow(): void {
  setExc(Exc.OVERFLOW, MSG_INDEX_SIZED, 0, 0);
}

/** Reports an int operation with operands beyond 64 bits that cowsim does not model. */
export function bigOpNotModelled(): u64 {
  setExc(Exc.UNSUPPORTED, MSG_BIG_INT_OP, T.INT, 0);
  return 0;
}

export { MSG_NOT_MODELLED };

// --- the evaluator's entry points ---------------------------------------------------------------

/** Binary operator ids (ops.ts Op). */
// @ts-ignore: decorator
@inline const OP_ADD: i32 = 0;
// @ts-ignore: decorator
@inline const OP_SUB: i32 = 1;
// @ts-ignore: decorator
@inline const OP_MUL: i32 = 2;
// @ts-ignore: decorator
@inline const OP_TRUEDIV: i32 = 3;
// @ts-ignore: decorator
@inline const OP_FLOORDIV: i32 = 4;
// @ts-ignore: decorator
@inline const OP_MOD: i32 = 5;
// @ts-ignore: decorator
@inline const OP_POW: i32 = 6;
// @ts-ignore: decorator
@inline const OP_LSHIFT: i32 = 7;
// @ts-ignore: decorator
@inline const OP_RSHIFT: i32 = 8;
// @ts-ignore: decorator
@inline const OP_AND: i32 = 9;
// @ts-ignore: decorator
@inline const OP_OR: i32 = 10;
// @ts-ignore: decorator
@inline const OP_XOR: i32 = 11;

/** A 2.7 operand as a long: convert_binop's PyLong_FromLong for an int or bool (a temporary), else the long itself. */
function toLong27(o: u64): u64 {
  let t = typeOf(o);
  if (t == T.LONG2) return o;
  return longFromI64(t == T.BOOL ? (o == Py_True ? 1 : 0) : <i64>ld64(o + 16));
}

/**
 * An int operation CPython does on PyLongObjects: 3.x operands beyond one
 * digit (or a power, always long_pow), 2.7 longs and the int operations
 * that overflow a C long (int_add & co. hand both operands to the long
 * slot, whose convert_binop makes them longs: temporaries, created left
 * then right and released after the operation).
 */
export function longBinaryOp(op: i32, a: u64, b: u64): u64 {
  let ca = a, cb = b;
  let py2 = PY2();
  if (py2) {
    ca = toLong27(a);
    if (ca == 0) return 0;
    cb = toLong27(b);
    if (cb == 0) { if (ca != a) DECREF(ca); return 0; }
  }
  let r: u64 = 0;
  switch (op) {
    case OP_ADD: r = longAdd(ca, cb); break;
    case OP_SUB: r = longSub(ca, cb); break;
    case OP_MUL: r = longMul(ca, cb); break;
    case OP_TRUEDIV: r = py2 ? longFloorDiv(ca, cb) : longTrueDivide(ca, cb); break; // 2.7 `/` is long_classic_div
    case OP_FLOORDIV: r = longFloorDiv(ca, cb); break;
    case OP_MOD: r = longMod(ca, cb); break;
    case OP_POW: r = longPow(ca, cb); break;
    case OP_LSHIFT: r = longShift(ca, cb, true); break;
    case OP_RSHIFT: r = longShift(ca, cb, false); break;
    default: {
      // &, |, ^ within 64 bits (the result allocated as PyLong_FromLong would); beyond: not modelled
      if (!longFitsI64(asLong(ca)) || !longFitsI64(asLong(cb))) { r = bigOpNotModelled(); break; }
      let x = intAnyValue(ca), y = intAnyValue(cb);
      r = longFromI64(op == OP_AND ? x & y : op == OP_OR ? x | y : x ^ y);
    }
  }
  if (py2) {
    if (ca != a) DECREF(ca);
    if (cb != b) DECREF(cb);
  }
  return r;
}

/** The value of any int object that fits in 64 bits. */
function intAnyValue(o: u64): i64 {
  let t = typeOf(o);
  if (t == T.BOOL) return o == Py_True ? 1 : 0;
  if (t == T.INT && PY2()) return <i64>ld64(o + 16);
  return longValueSaturated(o);
}

/** float(i) for any int object (PyLong_AsDouble; OverflowError set beyond the double range). */
export function intAsDouble(o: u64): f64 {
  let t = typeOf(o);
  if (t == T.BOOL) return o == Py_True ? 1 : 0;
  if (t == T.INT && PY2()) return <f64><i64>ld64(o + 16);
  return longAsDouble(o);
}

/** Whether an int object's value is exactly representable as a double by plain conversion (|v| <= 2**53). */
export function intIsDoubleExact(o: u64): bool {
  let t = typeOf(o);
  if (t == T.BOOL) return true;
  if (t == T.INT && PY2()) {
    let v = <i64>ld64(o + 16);
    return v >= -(1 << 53) && v <= (1 << 53);
  }
  let n = absSize(o);
  if (n <= 1) return true;
  return n == 2 && dg(o, 1) < (1 << 23);
}

/** Compares two int objects of any size and kind (2.7 int against long by value): -1, 0, 1. */
export function intCompare(a: u64, b: u64): i32 {
  if (PY2()) {
    let ta = typeOf(a), tb = typeOf(b);
    if (ta != T.LONG2 && tb != T.LONG2) {
      let x = intAnyValue(a), y = intAnyValue(b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    if (ta != T.LONG2 || tb != T.LONG2) {
      // an int against a long: the long's value if it fits, else its sign decides
      let l = ta == T.LONG2 ? a : b, i = ta == T.LONG2 ? b : a;
      let c: i32;
      if (longFitsI64(l)) {
        let x = longValueSaturated(l), y = intAnyValue(i);
        c = x < y ? -1 : x > y ? 1 : 0;
      } else {
        c = lsize(l) < 0 ? -1 : 1;
      }
      return ta == T.LONG2 ? c : -c;
    }
  }
  return longCompare(a, b);
}

/** hash() of any int object: 2.7 int_hash (the value, -1 → -2), else long_hash. */
export function intHash(o: u64): i64 {
  let t = typeOf(o);
  if (t == T.BOOL) return o == Py_True ? 1 : 0;
  if (t == T.INT && PY2()) {
    let v = <i64>ld64(o + 16);
    return v == -1 ? -2 : v;
  }
  return longHash(o);
}

/**
 * Unary -, +, ~ and abs() on any int object (ids: 0 neg, 1 pos, 2 invert,
 * 3 abs). 2.7 ints: PyInt_FromLong of the result (-LONG_MIN goes through a
 * temporary long, as int_neg does); else the long functions.
 */
export function intUnary(kind: i32, a: u64): u64 {
  let t = typeOf(a);
  if (PY2() && t != T.LONG2) {
    let v: i64 = t == T.BOOL ? (a == Py_True ? 1 : 0) : <i64>ld64(a + 16);
    if (kind == 1 || (kind == 3 && v >= 0)) return longLong(a); // int_int / int_pos
    if (kind == 2) return newInt(~v);
    if (v == i64.MIN_VALUE) {
      let o = longFromI64(v);
      if (o == 0) return 0;
      let r = longNeg(o);
      DECREF(o);
      return r;
    }
    return newInt(-v);
  }
  switch (kind) {
    case 0: return longNeg(a);
    case 1: return longLong(a);
    case 2: return longInvert(a);
  }
  return longAbs(a);
}

/**
 * _Py_HashDouble for a finite non-integral double. 3.x: the value mod
 * 2**61 - 1 (frexp, 28 bits at a time, then the exponent as a rotation);
 * 2.7: hipart + lowpart of the mantissa scaled by 2**31 twice, + expo << 15.
 */
export function hashNonIntegralDouble(v: f64): i64 {
  // frexp: v = m * 2**e, 0.5 <= |m| < 1
  let a = Math.abs(v);
  let scale: i64 = 0;
  if (a < 2.2250738585072014e-308) { a *= 18014398509481984.0; scale = -54; } // subnormal: 2**54
  let bits = reinterpret<u64>(a);
  let e = <i64>((bits >> 52) & 0x7ff) - 1022;
  let m = reinterpret<f64>((bits & ~(<u64>0x7ff << 52)) | (<u64>1022 << 52));
  e += scale;
  if (v < 0) m = -m;
  if (PY2()) {
    let w = m * 2147483648.0;
    let hipart = <i64>w;
    w = (w - <f64>hipart) * 2147483648.0;
    let x = hipart + <i64>w + (e << 15);
    return x == -1 ? -2 : x;
  }
  const M: u64 = (<u64>1 << 61) - 1;
  let sign: i64 = 1;
  if (m < 0) { sign = -1; m = -m; }
  let x: u64 = 0;
  while (m != 0) {
    x = ((x << 28) & M) | (x >> (61 - 28));
    m *= 268435456.0;
    e -= 28;
    let y = <u64>m;
    m -= <f64>y;
    x += y;
    if (x >= M) x -= M;
  }
  let k: i64 = e >= 0 ? e % 61 : 61 - 1 - ((-1 - e) % 61);
  x = ((x << <u64>k) & M) | (x >> <u64>(61 - k));
  if (sign < 0) x = 0 - x;
  let h = <i64>x;
  return h == -1 ? -2 : h;
}
