/**
 * str and bytes objects, and interning.
 *
 * 3.x str (PEP 393), compact forms only (what literals and operations make):
 *   compact ASCII: PyASCIIObject header (48 bytes, 40 from 3.12 — no wstr),
 *     then the characters and a NUL;
 *   compact UCS1/2/4: PyCompactUnicodeObject header (72; 56 from 3.12),
 *     then (len + 1) * kind bytes.
 *   fields: length @16, hash @24 (-1 until computed, then cached: a write),
 *   state @32 (bits: interned 0-1, kind 2-4, compact 5, ascii 6, ready 7).
 * 2.7 str (PyStringObject): var header, ob_shash @24, ob_sstate @32, chars
 * @36, request 37 + len. 3.x bytes: var header, ob_shash @24, chars @32,
 * request 33 + len.
 *
 * The hash is FNV-1a over the characters, not CPython's SipHash: str hashes
 * are randomized per process in CPython anyway, so no figure can depend on
 * their exact values (only where in the index table a key lands).
 */
import { DEBUG, Err, raise, failed } from "../config";
import { kmemAlloc, kmemFree } from "../kernel/kmem";
import { ld8, st8, ld16, st16, ld32, st32, ld64, st64, copyIn } from "../kernel/memory";
import {
  P, param, PY2, T, typeOf, initVarObject, objMalloc, objFree, INCREF, DECREF, RT_INTERNED, staticRefcnt,
  memMalloc, memFree,
} from "./runtime";
import { LIBPYTHON_DATA } from "./image";
import { dictDel } from "./dict";

// @ts-ignore: decorator
@inline function asciiHeader(): u64 { return <u64>param(P.STR_ASCII_HEADER); }
// @ts-ignore: decorator
@inline function compactHeader(): u64 { return <u64>param(P.STR_COMPACT_HEADER); }

/** Scratch buffer for decoding UTF-8 text handed in by the host (code points, u32 each). */
let cpBuf: usize = 0;
let cpCap: usize = 0;

function decodeUtf8(src: usize, n: usize): i32 {
  if (cpCap < n) {
    if (cpBuf != 0) kmemFree(cpBuf, cpCap << 2);
    cpBuf = kmemAlloc(n << 2);
    cpCap = n;
  }
  let i: usize = 0;
  let len: i32 = 0;
  while (i < n) {
    let b = <u32>load<u8>(src + i);
    let cp: u32;
    if (b < 0x80) { cp = b; i += 1; }
    else if (b < 0xE0) { cp = ((b & 0x1F) << 6) | (load<u8>(src + i + 1) & 0x3F); i += 2; }
    else if (b < 0xF0) { cp = ((b & 0x0F) << 12) | ((<u32>load<u8>(src + i + 1) & 0x3F) << 6) | (load<u8>(src + i + 2) & 0x3F); i += 3; }
    else { cp = ((b & 0x07) << 18) | ((<u32>load<u8>(src + i + 1) & 0x3F) << 12) | ((<u32>load<u8>(src + i + 2) & 0x3F) << 6) | (load<u8>(src + i + 3) & 0x3F); i += 4; }
    store<u32>(cpBuf + (<usize>len << 2), cp);
    len++;
  }
  return len;
}

/**
 * Allocates an uninitialised str of `len` characters of `kind` bytes (ascii: pure ASCII); in 3.x a
 * length of 0 is the empty str singleton (PyUnicode_New(0, …)), a new reference.
 */
export function allocStr(len: i64, kind: i32, ascii: bool): u64 {
  if (len == 0 && !PY2()) return emptyStr();
  return newStrObject(len, kind, ascii);
}

/** A new str object of `len` characters (its characters unset). */
function newStrObject(len: i64, kind: i32, ascii: bool): u64 {
  if (PY2()) {
    let o = objMalloc(37 + <u64>len);
    if (o == 0) return 0;
    initVarObject(o, T.STR, len);
    st64(o + 24, <u64>-1);
    st32(o + 32, 0);
    st8(o + 36 + <u64>len, 0);
    return o;
  }
  let header = ascii ? asciiHeader() : compactHeader();
  let o = objMalloc(header + <u64>(len + 1) * <u64>kind);
  if (o == 0) return 0;
  initCompactStr(o, 1, len, kind, ascii);
  return o;
}

/** A 3.x compact str's header at `o` (refcount rc, len characters of `kind` bytes) and its terminating NUL. */
function initCompactStr(o: u64, rc: u64, len: i64, kind: i32, ascii: bool): void {
  let header = ascii ? asciiHeader() : compactHeader();
  st64(o, rc);
  st64(o + 8, typeAddr_(T.STR));
  st64(o + 16, <u64>len);
  st64(o + 24, <u64>-1);
  let state: u32 = (<u32>kind << 2) | (1 << 5) | (ascii ? 1 << 6 : 0) | (param(P.VERSION) < 312 ? 1 << 7 : 0);
  st32(o + 32, state);
  if (param(P.VERSION) < 312) st64(o + 40, 0); // wstr
  if (!ascii) {
    st64(o + 48 - (param(P.VERSION) < 312 ? 0 : 8), 0); // utf8_length
    st64(o + 56 - (param(P.VERSION) < 312 ? 0 : 8), 0); // utf8
    if (param(P.VERSION) < 312) st64(o + 64, 0); // wstr_length
  }
  // The terminating NUL.
  let data = o + header;
  if (kind == 1) st8(data + <u64>len, 0);
  else if (kind == 2) st16(data + (<u64>len << 1), 0);
  else st32(data + (<u64>len << 2), 0);
}

import { typeAddr } from "./runtime";
// @ts-ignore: decorator
@inline function typeAddr_(t: i32): u64 { return typeAddr(t); }

/** A str from UTF-8 text at linear address `src` (n bytes). */
export function newStrFromUtf8(src: usize, n: usize): u64 {
  let len = decodeUtf8(src, n);
  let maxc: u32 = 0;
  for (let i = 0; i < len; i++) maxc = max(maxc, load<u32>(cpBuf + (<usize>i << 2)));
  if (PY2()) {
    // 2.7 str holds bytes: the host passes latin-1/bytes for 2.7 literals; keep the low byte of each code point.
    let o = allocStr(len, 1, true);
    if (o == 0) return 0;
    for (let i = 0; i < len; i++) st8(o + 36 + <u64>i, <u8>load<u32>(cpBuf + (<usize>i << 2)));
    return o;
  }
  let kind = maxc < 0x100 ? 1 : maxc < 0x10000 ? 2 : 4;
  let ascii = maxc < 0x80;
  let o = allocStr(len, kind, ascii);
  if (o == 0) return 0;
  let data = strData(o);
  for (let i = 0; i < len; i++) {
    let c = load<u32>(cpBuf + (<usize>i << 2));
    if (kind == 1) st8(data + <u64>i, <u8>c);
    else if (kind == 2) st16(data + (<u64>i << 1), <u16>c);
    else st32(data + (<u64>i << 2), c);
  }
  return o;
}

// @ts-ignore: decorator
@inline export function strLen(o: u64): i64 {
  return <i64>ld64(o + 16);
}

// @ts-ignore: decorator
@inline export function strKind(o: u64): i32 {
  if (PY2()) return 1;
  return <i32>((ld32(o + 32) >> 2) & 7);
}

// @ts-ignore: decorator
@inline export function strData(o: u64): u64 {
  if (PY2()) return o + 36;
  return o + ((ld32(o + 32) & (1 << 6)) != 0 ? asciiHeader() : compactHeader());
}

export function strChar(o: u64, i: i64): u32 {
  let d = strData(o);
  let k = strKind(o);
  if (k == 1) return ld8(d + <u64>i);
  if (k == 2) return ld16(d + (<u64>i << 1));
  return ld32(d + (<u64>i << 2));
}

/** unicode_hash: computed once, then cached in the object (a write to its header). */
export function strHash(o: u64): i64 {
  let h = <i64>ld64(o + 24);
  if (h != -1) return h;
  let len = strLen(o);
  let x: u64 = 0xcbf29ce484222325;
  for (let i: i64 = 0; i < len; i++) {
    x ^= <u64>strChar(o, i);
    x *= 0x100000001b3;
  }
  h = <i64>(x >> 1);
  if (h == -1) h = -2;
  st64(o + 24, <u64>h);
  return h;
}

export function strEqual(a: u64, b: u64): bool {
  if (a == b) return true;
  let n = strLen(a);
  if (n != strLen(b)) return false;
  for (let i: i64 = 0; i < n; i++) if (strChar(a, i) != strChar(b, i)) return false;
  return true;
}

/** Compares a str with UTF-8 text in linear memory (for name lookups from the host). */
export function strEqualsUtf8(o: u64, src: usize, n: usize): bool {
  let len = decodeUtf8(src, n);
  if (<i64>len != strLen(o)) return false;
  for (let i = 0; i < len; i++) if (strChar(o, i) != load<u32>(cpBuf + (<usize>i << 2))) return false;
  return true;
}

/**
 * unicode_dealloc / string_dealloc: an interned (mortal) string leaves the
 * interned dict first — its refcount is set to 3 for the dict's key and value
 * references and the caller's, PyDict_DelItem drops two.
 */
export function strDealloc(o: u64): void {
  if (typeOf(o) == T.STR && (ld32(o + 32) & 3) == 1) {
    st64(o, 3);
    dictDel(ld64(RT_INTERNED), o);
    if (DEBUG && !failed()) assert(ld64(o) == 1);
  }
  objFree(o);
}

// --- the one-character and empty strings ---------------------------------------------------------
//
// What s[i] and one-character slices return is never a new object for a character below 256:
//
//   2.7     string_item / PyString_FromStringAndSize(p, 1): characters[c], a str made on first use
//           and kept (Objects/stringobject.c); the empty str is `nullstring`, made the same way.
//   3.6-3.10 unicode_char → get_latin1_char: unicode_latin1[c] (3.10: the interpreter's
//           state->latin1[c]), made on first use with PyUnicode_New(1, c) and kept
//           (Objects/unicodeobject.c); the empty str is made at start-up (unicode_empty).
//   3.11+   get_latin1_char → LATIN1(c): static objects of the interpreter image
//           (_Py_SINGLETON(strings).ascii / .latin1); the empty str is static too (&_Py_STR(empty)).
//           3.12+: immortal (Py_INCREF writes nothing).
//
// Characters from 256 up are a new str each time (PyUnicode_New(1, c)).
// The made-on-first-use ones (and the ≤3.10 empty str, which the real interpreter already has when a
// scenario starts) are made here when first needed: a process that had one before (CPython's own
// start-up code makes some) differs by one small object. The 3.11+ static objects are written at
// start-up (initStaticStrs), as part of the image.

/** ≤3.10 / 2.7: 256 pointers to the cached one-character strs (0: not made yet), then the empty str's. */
// @ts-ignore: decorator
@inline const LATIN1_CACHE: u64 = LIBPYTHON_DATA + 0x30000;
// @ts-ignore: decorator
@inline const EMPTY_STR_PTR: u64 = LATIN1_CACHE + 256 * 8;
/** 3.11+: the static one-character strs, 128 compact ASCII then 128 compact UCS1, then the empty str. */
// @ts-ignore: decorator
@inline const LATIN1_STATIC: u64 = LIBPYTHON_DATA + 0x31000;

// @ts-ignore: decorator
@inline function staticStride(ascii: bool): u64 {
  return ((ascii ? asciiHeader() : compactHeader()) + 2 + 7) & ~7;
}

/** The address of the 3.11+ static str for character c (< 256), or the empty str (c = 256). */
function staticCharAddr(c: u32): u64 {
  if (c < 128) return LATIN1_STATIC + <u64>c * staticStride(true);
  let latin1 = LATIN1_STATIC + 128 * staticStride(true);
  if (c < 256) return latin1 + <u64>(c - 128) * staticStride(false);
  return latin1 + 128 * staticStride(false);
}

/**
 * 3.11+: writes the static one-character strs and the empty str, as the interpreter image holds them
 * (at start-up, before any scenario step: their pages are part of every process, shared after fork).
 */
export function initStaticStrs(): void {
  if (PY2() || param(P.VERSION) < 311) return;
  for (let c: u32 = 0; c < 256; c++) writeStaticStr(c, 1);
  writeStaticStr(0, 0);
}

function writeStaticStr(c: u32, n: i64): void {
  let o = staticCharAddr(n == 0 ? 256 : c);
  let ascii = n == 0 || c < 128;
  initCompactStr(o, staticRefcnt(), n, 1, ascii);
  if (n == 1) st8(o + (ascii ? asciiHeader() : compactHeader()), <u8>c);
}

/** A new reference to a 3.11+ static str (n: 0 or 1 characters). */
function staticStr(c: u32, n: i64): u64 {
  let o = staticCharAddr(n == 0 ? 256 : c);
  INCREF(o);
  return o;
}

/** The str of one character c as unicode_char() / 2.7 string_item give it: a new reference. */
export function charStr(c: u32): u64 {
  if (c >= 256) {
    let o = allocStr(1, c < 0x10000 ? 2 : 4, false);
    if (o == 0) return 0;
    if (c < 0x10000) st16(strData(o), <u16>c); else st32(strData(o), c);
    return o;
  }
  if (!PY2() && param(P.VERSION) >= 311) return staticStr(c, 1);
  let slot = LATIN1_CACHE + (<u64>c << 3);
  let o = ld64(slot);
  if (o == 0) {
    o = allocStr(1, 1, PY2() || c < 128);
    if (o == 0) return 0;
    st8(strData(o), <u8>c);
    st64(slot, o); // the cache's reference
  }
  INCREF(o);
  return o;
}

/** The empty str (_Py_RETURN_UNICODE_EMPTY, 2.7 nullstring): a new reference. */
export function emptyStr(): u64 {
  if (!PY2() && param(P.VERSION) >= 311) return staticStr(0, 0);
  let o = ld64(EMPTY_STR_PTR);
  if (o == 0) {
    o = newStrObject(0, 1, true);
    if (o == 0) return 0;
    st64(EMPTY_STR_PTR, o);
  }
  INCREF(o);
  return o;
}

/**
 * s[start:start+len*step:step] as unicode_subscript / 2.7 string_subscript make it: the empty str,
 * s itself when the slice is all of it, a one-character str from charStr when one character is taken
 * with step 1 (PyUnicode_Substring → _PyUnicode_FromASCII / _PyUnicode_FromUCS1/2/4 with size 1;
 * 2.7 PyString_FromStringAndSize(p, 1)), else a new str (the general case: always new, 2.7 through a
 * PyMem_Malloc'ed buffer of len bytes, freed again).
 */
export function strSubscriptSlice(src: u64, start: i64, len: i64, step: i64): u64 {
  if (len <= 0) return emptyStr();
  if (start == 0 && step == 1 && len == strLen(src)) {
    INCREF(src);
    return src;
  }
  if (step == 1) {
    if (len == 1) return charStr(strChar(src, start));
    return strSlice(src, start, len, 1);
  }
  if (PY2()) {
    let buf = memMalloc(<u64>len);
    if (buf == 0) return 0;
    let r = len == 1 ? charStr(strChar(src, start)) : strSlice(src, start, len, step);
    memFree(buf);
    return r;
  }
  return strSlice(src, start, len, step);
}

/** A new str of `len` characters copied from `src` starting at `start` with `step`. */
export function strSlice(src: u64, start: i64, len: i64, step: i64): u64 {
  let maxc: u32 = 0;
  for (let i: i64 = 0; i < len; i++) maxc = max(maxc, strChar(src, start + i * step));
  let kind = PY2() ? 1 : maxc < 0x100 ? 1 : maxc < 0x10000 ? 2 : 4;
  let o = allocStr(len, kind, PY2() || maxc < 0x80);
  if (o == 0) return 0;
  let d = strData(o);
  for (let i: i64 = 0; i < len; i++) {
    let c = strChar(src, start + i * step);
    if (kind == 1) st8(d + <u64>i, <u8>c);
    else if (kind == 2) st16(d + (<u64>i << 1), <u16>c);
    else st32(d + (<u64>i << 2), c);
  }
  return o;
}

/** a + b for two str (or 2.7 str) objects. */
export function strConcat(a: u64, b: u64): u64 {
  let la = strLen(a), lb = strLen(b);
  // PyUnicode_Concat: left or right the empty str → the other (3.x compares with the singleton, which
  // every empty str here is); 2.7 string_concat: either of size 0 → the other.
  if (la == 0) { INCREF(b); return b; }
  if (lb == 0) { INCREF(a); return a; }
  let ka = strKind(a), kb = strKind(b);
  let kind = max(ka, kb);
  let ascii = PY2() || ((ld32(a + 32) & (1 << 6)) != 0 && (ld32(b + 32) & (1 << 6)) != 0);
  let o = allocStr(la + lb, kind, ascii);
  if (o == 0) return 0;
  let d = strData(o);
  for (let i: i64 = 0; i < la + lb; i++) {
    let c = i < la ? strChar(a, i) : strChar(b, i - la);
    if (kind == 1) st8(d + <u64>i, <u8>c);
    else if (kind == 2) st16(d + (<u64>i << 1), <u16>c);
    else st32(d + (<u64>i << 2), c);
  }
  return o;
}

/** s * n. */
export function strRepeat(a: u64, n: i64): u64 {
  if (n < 0) n = 0;
  let la = strLen(a);
  // 3.x unicode_repeat: n < 1 → the empty str, n == 1 → a itself. 2.7 string_repeat: a itself when
  // the result has a's size (n == 1, or a empty); a * 0 of a non-empty str is a new empty str.
  if (PY2() ? la * n == la : n == 1) { INCREF(a); return a; }
  let kind = strKind(a);
  let ascii = PY2() || (ld32(a + 32) & (1 << 6)) != 0;
  let o = allocStr(la * n, kind, ascii);
  if (o == 0) return 0;
  let d = strData(o);
  for (let r: i64 = 0; r < n; r++) {
    for (let i: i64 = 0; i < la; i++) {
      let c = strChar(a, i);
      let at = r * la + i;
      if (kind == 1) st8(d + <u64>at, <u8>c);
      else if (kind == 2) st16(d + (<u64>at << 1), <u16>c);
      else st32(d + (<u64>at << 2), c);
    }
  }
  return o;
}

/** A str from ASCII bytes in linear memory (repr of numbers and the like). */
export function newStrAscii(src: usize, n: usize): u64 {
  let o = allocStr(<i64>n, 1, true);
  if (o == 0) return 0;
  copyIn(strData(o), src, <u64>n);
  return o;
}

// --- bytes -------------------------------------------------------------------------------------

/** A bytes object (2.7: a str) from raw bytes in linear memory. */
/** Byte i of a 3.x bytes object (its characters start at @32). */
export function bytesByte(o: u64, i: i64): u8 {
  return ld8(o + 32 + <u64>i);
}

export function newBytes(src: usize, n: usize): u64 {
  if (PY2()) {
    let o = allocStr(<i64>n, 1, true);
    if (o == 0) return 0;
    if (n > 0) copyIn(o + 36, src, <u64>n);
    return o;
  }
  let o = objMalloc(33 + <u64>n);
  if (o == 0) return 0;
  initVarObject(o, T.BYTES, <i64>n);
  st64(o + 24, <u64>-1);
  if (n > 0) copyIn(o + 32, src, <u64>n);
  st8(o + 32 + <u64>n, 0);
  return o;
}

/** bytes(n): n zero bytes. */
export function newBytesZeroed(n: i64): u64 {
  let hdr: u64 = PY2() ? 36 : 32;
  let o = objMalloc(hdr + 1 + <u64>n);
  if (o == 0) return 0;
  initVarObject(o, PY2() ? T.STR : T.BYTES, n);
  st64(o + 24, <u64>-1);
  if (PY2()) st32(o + 32, 0);
  for (let i: i64 = 0; i <= n; i++) st8(o + hdr + <u64>i, 0);
  return o;
}

export function bytesHash(o: u64): i64 {
  let h = <i64>ld64(o + 24);
  if (h != -1) return h;
  let len = <i64>ld64(o + 16);
  let d = o + 32;
  let x: u64 = 0xcbf29ce484222325;
  for (let i: i64 = 0; i < len; i++) {
    x ^= <u64>ld8(d + <u64>i);
    x *= 0x100000001b3;
  }
  h = <i64>(x >> 1);
  if (h == -1) h = -2;
  st64(o + 24, <u64>h);
  return h;
}

export function bytesEqual(a: u64, b: u64): bool {
  if (a == b) return true;
  let n = ld64(a + 16);
  if (n != ld64(b + 16)) return false;
  for (let i: u64 = 0; i < n; i++) if (ld8(a + 32 + i) != ld8(b + 32 + i)) return false;
  return true;
}
