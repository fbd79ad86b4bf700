/**
 * The abstract object protocol the evaluator needs: arithmetic, comparison,
 * truth, len, subscripting and iteration, for the subset's types. Every
 * function returns a new reference (0 with an exception set on failure) and
 * leaves its arguments' references alone, as PyNumber_Add & co. do.
 */
import { ld64, st64 } from "../kernel/memory";
import { P, param, PY2, VERSION, T, typeOf, INCREF, DECREF, XDECREF, Py_None, Py_True, Py_False, newBool } from "./runtime";
import { newInt, intValue, intFits, isInt, newFloat, floatValue, smallValue, NOT_SMALL } from "./numbers";
import { strLen, strChar, strConcat, strRepeat, strEqual, newStrFromUtf8, charStr, strSubscriptSlice } from "./str";
import { textReset, textByte, textChar, textInt, textFloat, textPtr, textLen } from "./text";
import {
  newTuple, tupleSize, tupleItem, tupleSetItem, newList, listSize, listItem, listSetItem, listSlice, listAppend,
  listDelSlice, listPop,
} from "./sequence";
import { newDict, dictGet, dictSet, dictDel, dictLen } from "./dict";
import { newRangeIter, newSeqIter, newDictIter, rangeLen, rangeStart, rangeStep } from "./iter";
import { equalObjects } from "./compare";
import { newSetIter, setContains, setUsed, isAnySet } from "./set";
import { arrayLen, arrayGetItem, arraySetItem, newArrayIter } from "./array";
import { Exc, setExc, excKind } from "./interp";
import {
  longBinaryOp, intAsDouble, intIsDoubleExact, intCompare, compareIntFloat, longDecimalScratch, appendLongHex,
} from "./long";

/** Binary operator ids (the compiler's numbering). */
export const enum Op {
  ADD = 0, SUB, MUL, TRUEDIV, FLOORDIV, MOD, POW, LSHIFT, RSHIFT, AND, OR, XOR,
}
/** Comparison ids. */
export const enum Cmp {
  LT = 0, LE, EQ, NE, GT, GE, IN, NOT_IN, IS, IS_NOT,
}
/** TypeError / ValueError message ids (the host has the texts). */
export const enum Msg {
  UNSUPPORTED_OPERAND = 1, NOT_ITERABLE, NOT_SUBSCRIPTABLE, NO_LEN, INDICES_MUST_BE_INT, NOT_CALLABLE,
  BAD_ARGS, UNHASHABLE, CANT_COMPARE, DOES_NOT_SUPPORT_ITEM_ASSIGNMENT, UNPACK_COUNT, INT_TOO_BIG,
  EMPTY_SEQUENCE, NOT_IMPLEMENTED, BAD_INT_LITERAL, BAD_FORMAT, NEGATIVE_COUNT, NOT_IN_LIST, GENERATOR_RUNNING,
  DICT_UPDATE_LENGTH, INT_TOO_LARGE_FLOAT, NEGATIVE_SHIFT, BIG_INT_OP, DIVISION_TOO_LARGE, STR_DIGITS_LIMIT,
  FLOAT_TO_INT_INF, FLOAT_TO_INT_NAN, EMPTY_SEPARATOR, FSTRING_FORMAT, KEYWORD_ARGS,
}

function typeError(msg: i32, a: u64, b: u64): u64 {
  setExc(Exc.TYPE, msg, a != 0 ? typeOf(a) : 0, b != 0 ? typeOf(b) : 0);
  return 0;
}

// @ts-ignore: decorator
@inline function isNum(o: u64): bool {
  let t = typeOf(o);
  return t == T.INT || t == T.BOOL || t == T.LONG2 || t == T.FLOAT;
}

// @ts-ignore: decorator
@inline function asF64(o: u64): f64 {
  return typeOf(o) == T.FLOAT ? floatValue(o) : intAsDouble(o);
}

/** Python's floor division and modulo on C longs. */
function floorDiv(a: i64, b: i64): i64 {
  let q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
  return q;
}
function floorMod(a: i64, b: i64): i64 {
  let m = a % b;
  if (m != 0 && ((m < 0) != (b < 0))) m += b;
  return m;
}

/** int ** negative int: float_pow on the values as doubles (2.7 int_pow hands it over). */
function powNegative(x: i64, y: i64): u64 {
  if (x == 0) { setExc(Exc.ZERO_DIVISION, 3, 0, 0); return 0; }
  return newFloat(Math.pow(<f64>x, <f64>y));
}

export function binaryOp(op: i32, a: u64, b: u64): u64 {
  if (isNum(a) && isNum(b)) {
    let ta = typeOf(a), tb = typeOf(b);
    if (ta != T.FLOAT && tb != T.FLOAT && op != Op.TRUEDIV) {
      let x = smallValue(a, ta), y = smallValue(b, tb);
      // Operands beyond one digit (2.7: longs) take longobject.c's algorithms; so does ** on 3.x (long_pow).
      if (x == NOT_SMALL || y == NOT_SMALL || (op == Op.POW && !PY2())) return longBinaryOp(op, a, b);
      let r: i64 = 0;
      switch (op) {
        // 3.x one-digit operands cannot overflow here; 2.7 ints hand an overflow to the long slot.
        case Op.ADD: r = x + y; if (((x ^ r) & (y ^ r)) < 0) return longBinaryOp(op, a, b); break;
        case Op.SUB: r = x - y; if (((x ^ y) & (x ^ r)) < 0) return longBinaryOp(op, a, b); break;
        case Op.MUL: {
          r = x * y;
          if (x != 0 && (r / x != y || (x == -1 && y == i64.MIN_VALUE))) return longBinaryOp(op, a, b);
          break;
        }
        case Op.FLOORDIV:
          if (y == 0) { setExc(Exc.ZERO_DIVISION, 0, 0, 0); return 0; }
          if (y == -1 && x == i64.MIN_VALUE) return longBinaryOp(op, a, b);
          r = floorDiv(x, y);
          break;
        case Op.MOD:
          if (y == 0) { setExc(Exc.ZERO_DIVISION, 1, 0, 0); return 0; }
          if (y == -1 && x == i64.MIN_VALUE) return longBinaryOp(op, a, b);
          r = floorMod(x, y);
          break;
        case Op.POW: {
          // 2.7 int_pow: C long arithmetic, an overflow goes to long_pow
          if (y < 0) return powNegative(x, y);
          r = 1;
          for (let i: i64 = 0; i < y; i++) {
            let n = r * x;
            if (x != 0 && (n / x != r || (x == -1 && r == i64.MIN_VALUE))) return longBinaryOp(op, a, b);
            r = n;
          }
          break;
        }
        case Op.LSHIFT:
          if (y < 0) { setExc(Exc.VALUE, Msg.NEGATIVE_SHIFT, 0, 0); return 0; }
          if (x == 0) { r = 0; break; }
          if (y >= 63 || (x << y) >> y != x) return longBinaryOp(op, a, b);
          r = x << y;
          break;
        case Op.RSHIFT:
          if (y < 0) { setExc(Exc.VALUE, Msg.NEGATIVE_SHIFT, 0, 0); return 0; }
          r = y >= 64 ? (x < 0 ? -1 : 0) : x >> y;
          break;
        case Op.AND: r = x & y; break;
        case Op.OR: r = x | y; break;
        case Op.XOR: r = x ^ y; break;
        default: return typeError(Msg.UNSUPPORTED_OPERAND, a, b);
      }
      if (PY2() && ta == T.BOOL && tb == T.BOOL && (op == Op.AND || op == Op.OR || op == Op.XOR)) return newBool(r != 0);
      return newInt(r);
    }
    if (op == Op.TRUEDIV && ta != T.FLOAT && tb != T.FLOAT) {
      // int / int: 2.7 classic division (floor), 3.x long_true_divide (exact for |a|, |b| <= 2**53)
      if (PY2()) {
        if (ta == T.LONG2 || tb == T.LONG2) return longBinaryOp(Op.TRUEDIV, a, b);
        let x = intValue(a), y = intValue(b);
        if (y == 0) { setExc(Exc.ZERO_DIVISION, 0, 0, 0); return 0; }
        if (y == -1 && x == i64.MIN_VALUE) return longBinaryOp(Op.TRUEDIV, a, b);
        return newInt(floorDiv(x, y));
      }
      if (!intIsDoubleExact(a) || !intIsDoubleExact(b)) return longBinaryOp(Op.TRUEDIV, a, b);
    }
    let x = asF64(a), y = asF64(b);
    if (excKind != 0) return 0;
    switch (op) {
      case Op.ADD: return newFloat(x + y);
      case Op.SUB: return newFloat(x - y);
      case Op.MUL: return newFloat(x * y);
      case Op.TRUEDIV:
        if (y == 0) { setExc(Exc.ZERO_DIVISION, 2, 0, 0); return 0; }
        return newFloat(x / y);
      case Op.FLOORDIV: if (y == 0) { setExc(Exc.ZERO_DIVISION, 0, 0, 0); return 0; } return newFloat(Math.floor(x / y));
      case Op.MOD: {
        if (y == 0) { setExc(Exc.ZERO_DIVISION, 1, 0, 0); return 0; }
        let m = x % y;
        if (m != 0 && ((m < 0) != (y < 0))) m += y;
        return newFloat(m);
      }
      case Op.POW:
        if (x == 0 && y < 0) { setExc(Exc.ZERO_DIVISION, 3, 0, 0); return 0; }
        return newFloat(Math.pow(x, y));
      default: return typeError(Msg.UNSUPPORTED_OPERAND, a, b);
    }
  }
  let ta = typeOf(a), tb = typeOf(b);
  if (op == Op.ADD) {
    if (ta == T.STR && tb == T.STR) return strConcat(a, b);
    if (ta == T.LIST && tb == T.LIST) {
      let na = listSize(a), nb = listSize(b);
      let r = newList(na + nb);
      if (r == 0) return 0;
      for (let i: i64 = 0; i < na; i++) { let v = listItem(a, i); INCREF(v); listSetItem(r, i, v); }
      for (let i: i64 = 0; i < nb; i++) { let v = listItem(b, i); INCREF(v); listSetItem(r, na + i, v); }
      return r;
    }
    if (ta == T.TUPLE && tb == T.TUPLE) {
      let na = tupleSize(a), nb = tupleSize(b);
      // tupleconcat (3.7+): an empty operand → the other tuple itself.
      if (VERSION() >= 307 && nb == 0) { INCREF(a); return a; }
      if (VERSION() >= 307 && na == 0) { INCREF(b); return b; }
      let r = newTuple(na + nb);
      if (r == 0) return 0;
      for (let i: i64 = 0; i < na; i++) { let v = tupleItem(a, i); INCREF(v); tupleSetItem(r, i, v); }
      for (let i: i64 = 0; i < nb; i++) { let v = tupleItem(b, i); INCREF(v); tupleSetItem(r, na + i, v); }
      return r;
    }
  }
  if (op == Op.MUL) {
    let seq = a, cnt = b;
    if (isInt(a) && !isInt(b)) { seq = b; cnt = a; }
    if (isInt(cnt) && typeOf(cnt) != T.FLOAT) {
      if (!intFits(cnt)) { setExc(Exc.OVERFLOW, Msg.INT_TOO_BIG, 0, 0); return 0; }
      let n = intValue(cnt);
      if (n < 0) n = 0;
      let ts = typeOf(seq);
      if (ts == T.STR) return strRepeat(seq, n);
      if (ts == T.LIST || ts == T.TUPLE) {
        let m = ts == T.LIST ? listSize(seq) : tupleSize(seq);
        // tuplerepeat: an empty tuple or n == 1 → the tuple itself.
        if (ts == T.TUPLE && (m == 0 || n == 1)) { INCREF(seq); return seq; }
        let r = ts == T.LIST ? newList(m * n) : newTuple(m * n);
        if (r == 0) return 0;
        for (let k: i64 = 0; k < n; k++) {
          for (let i: i64 = 0; i < m; i++) {
            let v = ts == T.LIST ? listItem(seq, i) : tupleItem(seq, i);
            INCREF(v);
            if (ts == T.LIST) listSetItem(r, k * m + i, v);
            else tupleSetItem(r, k * m + i, v);
          }
        }
        return r;
      }
    }
  }
  if (op == Op.MOD && ta == T.STR) return strFormat(a, b);
  return typeError(Msg.UNSUPPORTED_OPERAND, a, b);
}

/** str % args for %s %d %i %r %x %f (no widths or flags). */
function strFormat(fmt: u64, args: u64): u64 {
  let n = strLen(fmt);
  // 3.x PyUnicode_Format: "%s" of one exact str writes it first and last into an empty writer, which
  // then hands back that str itself (_PyUnicodeWriter_WriteStr's readonly buffer). 2.7 copies.
  if (!PY2() && n == 2 && strChar(fmt, 0) == 37 && strChar(fmt, 1) == 115) {
    let a = typeOf(args) == T.TUPLE ? (tupleSize(args) == 1 ? tupleItem(args, 0) : 0) : args;
    if (a != 0 && typeOf(a) == T.STR) { INCREF(a); return a; }
  }
  textReset();
  let argi: i64 = 0;
  let isTuple = typeOf(args) == T.TUPLE;
  let nargs: i64 = isTuple ? tupleSize(args) : 1;
  for (let i: i64 = 0; i < n; i++) {
    let c = strChar(fmt, i);
    if (c != 37 /* % */) { textChar(c); continue; }
    i++;
    if (i >= n) { setExc(Exc.VALUE, Msg.BAD_FORMAT, 0, 0); return 0; }
    let spec = strChar(fmt, i);
    if (spec == 37) { textByte(37); continue; }
    if (argi >= nargs) { setExc(Exc.TYPE, Msg.BAD_FORMAT, 0, 0); return 0; }
    let a = isTuple ? tupleItem(args, argi) : args;
    argi++;
    if (spec == 100 || spec == 105) {
      if (!isNum(a)) return typeError(Msg.BAD_FORMAT, a, 0);
      if (typeOf(a) == T.FLOAT) textInt(<i64>floatValue(a), 10);
      else if (typeOf(a) == T.BOOL) textInt(intValue(a), 10);
      else appendIntText(a);
    } else if (spec == 120) {
      if (!isInt(a)) return typeError(Msg.BAD_FORMAT, a, 0);
      if (intFits(a)) textInt(intValue(a), 16);
      else appendLongHex(a);
    } else if (spec == 102) {
      if (!isNum(a)) return typeError(Msg.BAD_FORMAT, a, 0);
      textFixed(asF64(a));
    } else if (spec == 115 || spec == 114) {
      if (!appendStr(a)) return typeError(Msg.NOT_IMPLEMENTED, a, 0);
      if (spec == 114 && typeOf(a) == T.LONG2) textByte(76); // 2.7 repr(long): the L suffix
    } else { setExc(Exc.VALUE, Msg.BAD_FORMAT, 0, 0); return 0; }
    if (excKind != 0) return 0;
  }
  if (argi < nargs) { setExc(Exc.TYPE, Msg.BAD_FORMAT, 1, 0); return 0; }
  return newStrFromUtf8(textPtr(), textLen);
}

/** %f: six decimals. */
function textFixed(f: f64): void {
  if (f < 0) { textByte(45); f = -f; }
  let ip = Math.floor(f);
  let frac = Math.round((f - ip) * 1e6);
  if (frac >= 1e6) { ip += 1; frac -= 1e6; }
  textInt(<i64>ip, 10);
  textByte(46);
  let fi = <i64>frac;
  let d: i64 = 100000;
  while (d > 0) { textByte(48 + <u32>((fi / d) % 10)); d /= 10; }
}

/** Whether an int's decimal text goes through CPython's scratch long (3.x ints beyond one digit, 2.7 longs). */
// @ts-ignore: decorator
@inline function textNeedsScratch(o: u64, t: i32): bool {
  if (PY2()) return t == T.LONG2;
  return t == T.INT && smallValue(o, t) == NOT_SMALL;
}

/**
 * Appends an int's decimal text. One-digit ints (and 2.7 ints) are written
 * directly; others by long_to_decimal_string's algorithm, whose scratch long
 * is allocated and released here (the writer paths: `%d`, str.join, … free
 * it before the final string). An error (the 4300-digit limit) is left set.
 */
function appendIntText(o: u64): void {
  let t = typeOf(o);
  if (!textNeedsScratch(o, t)) { textInt(intValue(o), 10); return; }
  let scratch = longDecimalScratch(o);
  if (scratch != 0) DECREF(scratch);
}

/** Appends str(o) as UTF-8; false for types without a text form here (an int's error is left set). */
export function appendStr(o: u64): bool {
  let t = typeOf(o);
  if (t == T.INT || t == T.LONG2) { appendIntText(o); return true; }
  if (t == T.BOOL) { appendWord(o == Py_True ? 1 : 2); return true; }
  if (o == Py_None) { appendWord(0); return true; }
  if (t == T.FLOAT) { textFloat(floatValue(o)); return true; }
  if (t == T.STR) {
    let n = strLen(o);
    for (let i: i64 = 0; i < n; i++) textChar(strChar(o, i));
    return true;
  }
  return false;
}

function appendWord(w: i32): void {
  // None, True, False
  if (w == 0) { textByte(78); textByte(111); textByte(110); textByte(101); }
  else if (w == 1) { textByte(84); textByte(114); textByte(117); textByte(101); }
  else { textByte(70); textByte(97); textByte(108); textByte(115); textByte(101); }
}

/** str(o) as a new str object. */
export function strOf(o: u64): u64 {
  let t = typeOf(o);
  if (t == T.STR) { INCREF(o); return o; }
  textReset();
  if (t == T.INT) {
    // the one-digit (2.7: int) text written directly, with one read of the object
    let v = PY2() ? <i64>ld64(o + 16) : smallValue(o, t);
    if (PY2() || v != NOT_SMALL) {
      textInt(v, 10);
      return newStrFromUtf8(textPtr(), textLen);
    }
  }
  if ((t == T.INT || t == T.LONG2) && textNeedsScratch(o, t)) {
    // long_to_decimal_string: the scratch long lives until the str is made and filled
    let scratch = longDecimalScratch(o);
    if (scratch == 0) return 0;
    let r = newStrFromUtf8(textPtr(), textLen);
    DECREF(scratch);
    return r;
  }
  if (!appendStr(o)) return typeError(Msg.NOT_IMPLEMENTED, o, 0);
  return newStrFromUtf8(textPtr(), textLen);
}

export function truthy(o: u64): bool {
  if (o == Py_True) return true;
  if (o == Py_False || o == Py_None) return false;
  let t = typeOf(o);
  if (t == T.INT || t == T.LONG2) return intValue(o) != 0;
  if (t == T.FLOAT) return floatValue(o) != 0;
  if (t == T.STR || t == T.BYTES || t == T.LIST || t == T.TUPLE) return ld64(o + 16) != 0;
  if (t == T.DICT) return dictLen(o) != 0;
  if (t == T.RANGE) return rangeLen(o) != 0;
  if (t == T.SET || t == T.FROZENSET) return setUsed(o) != 0;
  if (t == T.BYTEARRAY || t == T.ARRAY || t == T.CTYPES_ARRAY) return arrayLen(o) != 0;
  return true;
}

/**
 * Types with __len__ (_PyObject_HasLen; PyObject_LengthHint asks them first), the ones objLen measures:
 * list(x) preallocates x's length (3.8 list___init__, 3.9+ list_extend; 3.6/3.7 and 2.7 resize to it),
 * tuple(x) starts at it.
 */
export function hasLen(t: i32): bool {
  return t == T.STR || t == T.BYTES || t == T.LIST || t == T.TUPLE || t == T.DICT || t == T.DICTKEYS ||
    t == T.DICTVALUES || t == T.DICTITEMS || t == T.RANGE || t == T.SET || t == T.FROZENSET ||
    t == T.BYTEARRAY || t == T.ARRAY || t == T.CTYPES_ARRAY;
}

export function objLen(o: u64): i64 {
  let t = typeOf(o);
  if (t == T.STR || t == T.BYTES || t == T.LIST || t == T.TUPLE) return <i64>ld64(o + 16);
  if (t == T.DICT) return dictLen(o);
  if (t == T.DICTKEYS || t == T.DICTVALUES || t == T.DICTITEMS) return dictLen(ld64(o + 16));
  if (t == T.RANGE) return rangeLen(o);
  if (t == T.SET || t == T.FROZENSET) return setUsed(o);
  if (t == T.BYTEARRAY || t == T.ARRAY || t == T.CTYPES_ARRAY) return arrayLen(o);
  typeError(Msg.NO_LEN, o, 0);
  return -1;
}

function cmpOrder(a: u64, b: u64): i32 {
  // -1, 0, 1; 2 when not comparable.
  let ta = typeOf(a), tb = typeOf(b);
  if (isNum(a) && isNum(b)) {
    if (ta != T.FLOAT && tb != T.FLOAT) {
      let x = smallValue(a, ta), y = smallValue(b, tb);
      if (x == NOT_SMALL || y == NOT_SMALL) return intCompare(a, b);
      return x < y ? -1 : x > y ? 1 : 0;
    }
    if (ta != T.FLOAT && !intIsDoubleExact(a)) return compareIntFloat(a, floatValue(b)) % 2;
    if (tb != T.FLOAT && !intIsDoubleExact(b)) return -(compareIntFloat(b, floatValue(a)) % 2);
    let x = asF64(a), y = asF64(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (ta == T.STR && tb == T.STR) {
    let na = strLen(a), nb = strLen(b);
    let n = min(na, nb);
    for (let i: i64 = 0; i < n; i++) {
      let x = strChar(a, i), y = strChar(b, i);
      if (x != y) return x < y ? -1 : 1;
    }
    return na < nb ? -1 : na > nb ? 1 : 0;
  }
  if ((ta == T.TUPLE && tb == T.TUPLE) || (ta == T.LIST && tb == T.LIST)) {
    let na = ta == T.TUPLE ? tupleSize(a) : listSize(a);
    let nb = ta == T.TUPLE ? tupleSize(b) : listSize(b);
    let n = min(na, nb);
    for (let i: i64 = 0; i < n; i++) {
      let x = ta == T.TUPLE ? tupleItem(a, i) : listItem(a, i);
      let y = ta == T.TUPLE ? tupleItem(b, i) : listItem(b, i);
      if (!equalObjects(x, y)) return cmpOrder(x, y);
    }
    return na < nb ? -1 : na > nb ? 1 : 0;
  }
  return 2;
}

/** Rich comparison for sorting and min/max: a < b (an exception set when not comparable). */
export function lessThan(a: u64, b: u64): bool {
  let c = cmpOrder(a, b);
  if (c == 2) {
    typeError(Msg.CANT_COMPARE, a, b);
    return false;
  }
  return c < 0;
}

export function contains(container: u64, item: u64): i32 {
  let t = typeOf(container);
  if (t == T.LIST || t == T.TUPLE) {
    let n = t == T.LIST ? listSize(container) : tupleSize(container);
    for (let i: i64 = 0; i < n; i++) {
      let v = t == T.LIST ? listItem(container, i) : tupleItem(container, i);
      if (v == item || equalObjects(v, item)) return 1;
    }
    return 0;
  }
  if (t == T.DICT) return dictGet(container, item) != 0 ? 1 : 0;
  if (t == T.SET || t == T.FROZENSET) return setContains(container, item) ? 1 : 0;
  if (t == T.RANGE) {
    if (!isInt(item) || !intFits(item)) return 0;
    let v = intValue(item), start = rangeStart(container), step = rangeStep(container), n = rangeLen(container);
    if (n == 0) return 0;
    let off = v - start;
    if (off % step != 0) return 0;
    let k = off / step;
    return k >= 0 && k < n ? 1 : 0;
  }
  if (t == T.STR && typeOf(item) == T.STR) {
    let n = strLen(container), m = strLen(item);
    for (let i: i64 = 0; i + m <= n; i++) {
      let ok = true;
      for (let j: i64 = 0; j < m; j++) if (strChar(container, i + j) != strChar(item, j)) { ok = false; break; }
      if (ok) return 1;
    }
    return 0;
  }
  typeError(Msg.NOT_ITERABLE, container, 0);
  return -1;
}

export function compareOp(op: i32, a: u64, b: u64): u64 {
  switch (op) {
    case Cmp.IS: return newBool(a == b);
    case Cmp.IS_NOT: return newBool(a != b);
    case Cmp.IN: { let r = contains(b, a); return r < 0 ? 0 : newBool(r == 1); }
    case Cmp.NOT_IN: { let r = contains(b, a); return r < 0 ? 0 : newBool(r == 0); }
    case Cmp.EQ: return newBool(equalAny(a, b));
    case Cmp.NE: return newBool(!equalAny(a, b));
  }
  let c = cmpOrder(a, b);
  if (c == 2) return typeError(Msg.CANT_COMPARE, a, b);
  switch (op) {
    case Cmp.LT: return newBool(c < 0);
    case Cmp.LE: return newBool(c <= 0);
    case Cmp.GT: return newBool(c > 0);
    default: return newBool(c >= 0);
  }
}

function equalAny(a: u64, b: u64): bool {
  if (a == b) return true;
  let ta = typeOf(a), tb = typeOf(b);
  if (ta == T.LIST && tb == T.LIST) return cmpOrder(a, b) == 0;
  return equalObjects(a, b);
}

/** Normalises an index for a sequence of length n (negative from the end); -1 if out of range. */
function seqIndex(key: u64, n: i64): i64 {
  let i = intValue(key);
  if (i < 0) i += n;
  return i < 0 || i >= n ? -1 : i;
}

/** container[key]. */
export function getItem(c: u64, key: u64): u64 {
  let t = typeOf(c);
  if (t == T.DICT) {
    let v = dictGet(c, key);
    if (v == 0) { setExc(Exc.KEY, 0, typeOf(key), 0); return 0; }
    INCREF(v);
    return v;
  }
  if (t == T.LIST || t == T.TUPLE || t == T.STR || t == T.RANGE) {
    if (typeOf(key) == T.SLICE) return getSlice(c, key);
    if (!isInt(key)) return typeError(Msg.INDICES_MUST_BE_INT, c, key);
    let n = objLen(c);
    let i = seqIndex(key, n);
    if (i < 0) { setExc(Exc.INDEX, t, 0, 0); return 0; }
    if (t == T.LIST) { let v = listItem(c, i); INCREF(v); return v; }
    if (t == T.TUPLE) { let v = tupleItem(c, i); INCREF(v); return v; }
    if (t == T.RANGE) return newInt(rangeStart(c) + i * rangeStep(c));
    return charStr(strChar(c, i)); // unicode_getitem → unicode_char; 2.7 string_item
  }
  if (t == T.BYTEARRAY || t == T.ARRAY || t == T.CTYPES_ARRAY) {
    if (!isInt(key)) return typeError(Msg.INDICES_MUST_BE_INT, c, key);
    let i = seqIndex(key, arrayLen(c));
    if (i < 0) { setExc(Exc.INDEX, t, 0, 0); return 0; }
    return arrayGetItem(c, i);
  }
  return typeError(Msg.NOT_SUBSCRIPTABLE, c, 0);
}

/** Results of sliceBounds. */
export let sliceStart: i64 = 0;
export let sliceStep: i64 = 1;
export let sliceLen: i64 = 0;

/** PySlice_GetIndicesEx on a slice object (a 3-item tuple-shaped object of type SLICE). */
export function sliceBounds(s: u64, n: i64): void {
  let lo = tupleItem(s, 0), hi = tupleItem(s, 1), st = tupleItem(s, 2);
  let step: i64 = st == Py_None ? 1 : intValue(st);
  let start: i64, stop: i64;
  if (step > 0) {
    start = lo == Py_None ? 0 : intValue(lo);
    stop = hi == Py_None ? n : intValue(hi);
    if (start < 0) start = max<i64>(start + n, 0); else start = min(start, n);
    if (stop < 0) stop = max<i64>(stop + n, 0); else stop = min(stop, n);
  } else {
    start = lo == Py_None ? n - 1 : intValue(lo);
    stop = hi == Py_None ? -1 : intValue(hi);
    if (start < 0) start = max<i64>(start + n, -1); else start = min(start, n - 1);
    if (stop < 0 && hi != Py_None) stop = max<i64>(stop + n, -1);
  }
  sliceStart = start;
  sliceStep = step;
  let len: i64 = 0;
  if (step > 0 && stop > start) len = (stop - start - 1) / step + 1;
  else if (step < 0 && stop < start) len = (start - stop - 1) / (-step) + 1;
  sliceLen = len;
}

function getSlice(c: u64, s: u64): u64 {
  let t = typeOf(c);
  let n = objLen(c);
  sliceBounds(s, n);
  let start = sliceStart, step = sliceStep, len = sliceLen;
  if (t == T.LIST) return listSlice(c, start, len, step);
  if (t == T.STR) return strSubscriptSlice(c, start, len, step);
  if (t == T.TUPLE) {
    // tuplesubscript: all of it with step 1 → the tuple itself (empty → the empty tuple).
    if (start == 0 && step == 1 && len == tupleSize(c)) { INCREF(c); return c; }
    let r = newTuple(len);
    if (r == 0) return 0;
    for (let i: i64 = 0; i < len; i++) { let v = tupleItem(c, start + i * step); INCREF(v); tupleSetItem(r, i, v); }
    return r;
  }
  return typeError(Msg.NOT_SUBSCRIPTABLE, c, 0);
}

/** container[key] = value (STORE_SUBSCR). */
export function setItem(c: u64, key: u64, value: u64): bool {
  let t = typeOf(c);
  if (t == T.DICT) return dictSet(c, key, value);
  if (t == T.LIST) {
    if (!isInt(key)) { typeError(Msg.INDICES_MUST_BE_INT, c, key); return false; }
    let i = seqIndex(key, listSize(c));
    if (i < 0) { setExc(Exc.INDEX, t, 1, 0); return false; }
    INCREF(value);
    let old = listItem(c, i);
    listSetItem(c, i, value);
    DECREF(old);
    return true;
  }
  if (t == T.BYTEARRAY || t == T.ARRAY || t == T.CTYPES_ARRAY) {
    if (!isInt(key)) { typeError(Msg.INDICES_MUST_BE_INT, c, key); return false; }
    let i = seqIndex(key, arrayLen(c));
    if (i < 0) { setExc(Exc.INDEX, t, 1, 0); return false; }
    return arraySetItem(c, i, value);
  }
  typeError(Msg.DOES_NOT_SUPPORT_ITEM_ASSIGNMENT, c, 0);
  return false;
}

/** del container[key]. */
export function delItem(c: u64, key: u64): bool {
  let t = typeOf(c);
  if (t == T.DICT) {
    if (!dictDel(c, key)) { setExc(Exc.KEY, 0, typeOf(key), 0); return false; }
    return true;
  }
  if (t == T.LIST) {
    if (typeOf(key) == T.SLICE) {
      sliceBounds(key, listSize(c));
      if (sliceStep != 1) { setExc(Exc.UNSUPPORTED, Msg.NOT_IMPLEMENTED, T.SLICE, 0); return false; }
      return listDelSlice(c, sliceStart, sliceStart + sliceLen);
    }
    if (!isInt(key)) { typeError(Msg.INDICES_MUST_BE_INT, c, key); return false; }
    let i = seqIndex(key, listSize(c));
    if (i < 0) { setExc(Exc.INDEX, t, 2, 0); return false; }
    return listDelSlice(c, i, i + 1);
  }
  typeError(Msg.DOES_NOT_SUPPORT_ITEM_ASSIGNMENT, c, 0);
  return false;
}

/** PyObject_GetIter. */
export function getIter(o: u64): u64 {
  let t = typeOf(o);
  if (t == T.LIST) return newSeqIter(o, T.LISTITER);
  if (t == T.TUPLE) return newSeqIter(o, T.TUPLEITER);
  // unicodeiterobject / 3.12+ the ASCII one / striterobject (bytes) / 2.7 PySeqIter_New: the same
  // two fields (it_index, it_seq) as a list iterator, tracked.
  if (t == T.STR) return newSeqIter(o, T.STRITER);
  if (t == T.BYTES) return newSeqIter(o, T.BYTESITER);
  if (t == T.RANGE) return newRangeIter(o);
  if (t == T.DICT || t == T.DICTKEYS) return newDictIter(t == T.DICT ? o : ld64(o + 16), T.DICTKEYITER);
  if (t == T.DICTVALUES) return newDictIter(ld64(o + 16), T.DICTVALUEITER);
  if (t == T.DICTITEMS) return newDictIter(ld64(o + 16), T.DICTITEMITER);
  if (t == T.SET || t == T.FROZENSET) return newSetIter(o);
  if (t == T.BYTEARRAY || t == T.ARRAY || t == T.CTYPES_ARRAY) return newArrayIter(o);
  if (t == T.LISTITER || t == T.TUPLEITER || t == T.STRITER || t == T.BYTESITER || t == T.RANGEITER || t == T.DICTKEYITER || t == T.DICTVALUEITER ||
      t == T.DICTITEMITER || t == T.SETITER || t == T.ENUMERATE || t == T.ZIP || t == T.REVERSED || t == T.ARRAYITER ||
      t == T.GENERATOR) {
    INCREF(o);
    return o;
  }
  return typeError(Msg.NOT_ITERABLE, o, 0);
}
