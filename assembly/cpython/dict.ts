/**
 * dict objects: the compact dict of 3.6+ and 2.7's open-addressed table.
 *
 * 3.6+ (Objects/dictobject.c): PyDictObject (48 bytes + GC head)
 *   @16 ma_used  @24 ma_version_tag  @32 ma_keys  @40 ma_values (split tables: unused here)
 * PyDictKeysObject, one allocation:
 *   3.6–3.10: @0 dk_refcnt @8 dk_size @16 dk_lookup @24 dk_usable @32 dk_nentries @40 dk_indices
 *   3.11+:    @0 dk_refcnt @8 dk_log2_size(u8) @9 dk_log2_index_bytes(u8) @10 dk_kind(u8)
 *             @12 dk_version(u32) @16 dk_usable @24 dk_nentries @32 dk_indices
 *   then dk_indices (size slots of 1/2/4/8 bytes: -1 empty, -2 dummy, else an
 *   entry index), then entries in insertion order: {hash, key, value} (24
 *   bytes), or {key, value} (16 bytes) in 3.11+ tables whose keys are all str.
 *   usable = 2/3 of the slots; a full table is rebuilt at GROWTH_RATE
 *   (used*2 + size/2 in 3.6, used*3 from 3.7), rounded up to a power of 2.
 *
 * 2.7 (Objects/dictobject.c): PyDictObject of 248 bytes: @16 ma_fill @24
 * ma_used @32 ma_mask @40 ma_table @48 ma_lookup @56 ma_smalltable[8] of
 * {hash, key, value}; a bigger table is PyMem_MALLOC'ed; resized when
 * fill*3 >= (mask+1)*2 to (used > 50000 ? 2 : 4) * used.
 *
 * Dicts start untracked by the GC and become tracked when a value or key
 * that may be a container is stored (MAINTAIN_TRACKING).
 */
import { DEBUG, Err, raise, failed } from "../config";
import { ld8, st8, ld16, st16, ld32, st32, ld64, st64, fillRange } from "../kernel/memory";
import { libcMalloc, libcFree } from "./libc";
import {
  P, param, PY2, VERSION, T, typeOf, initObject, objMalloc, objFree, memMalloc, memFree, INCREF, DECREF, XDECREF,
  gcMalloc, gcFree, gcTrack, gcUntrack, gcIsTracked, RT_DICT_FREE, RT_DICT_NUMFREE, Py_None, DICT_DUMMY,
} from "./runtime";
import { hashOf, equalObjects, mayBeContainer } from "./compare";

// @ts-ignore: decorator
@inline const DKIX_EMPTY: i64 = -1;
// @ts-ignore: decorator
@inline const DKIX_DUMMY: i64 = -2;
// @ts-ignore: decorator
@inline const PERTURB_SHIFT: u64 = 5;
// @ts-ignore: decorator
@inline const MINSIZE: u64 = 8;

// @ts-ignore: decorator
@inline function compact(): bool { return !PY2(); }
// @ts-ignore: decorator
@inline function new311(): bool { return VERSION() >= 311; }

// --- keys objects (3.x) ------------------------------------------------------------------------

// @ts-ignore: decorator
@inline function ixsize(size: u64): u64 {
  return size <= 0xff ? 1 : size <= 0xffff ? 2 : size <= 0xffffffff ? 4 : 8;
}

// @ts-ignore: decorator
@inline function keysHeader(): u64 { return <u64>param(P.DICT_KEYS_HEADER); }

export function dkSize(k: u64): u64 {
  return new311() ? <u64>1 << <u64>ld8(k + 8) : ld64(k + 8);
}
// @ts-ignore: decorator
@inline function dkUsableAddr(k: u64): u64 { return new311() ? k + 16 : k + 24; }
// @ts-ignore: decorator
@inline function dkNentriesAddr(k: u64): u64 { return new311() ? k + 24 : k + 32; }
// @ts-ignore: decorator
@inline function isUnicodeKeys(k: u64): bool { return new311() && ld8(k + 10) == 1; }
// @ts-ignore: decorator
@inline export function entrySize(k: u64): u64 { return isUnicodeKeys(k) ? 16 : 24; }

export function dkEntries(k: u64): u64 {
  let size = dkSize(k);
  return k + keysHeader() + ixsize(size) * size;
}

// @ts-ignore: decorator
@inline function getIndex(k: u64, i: u64): i64 {
  let size = dkSize(k);
  let base = k + keysHeader();
  let w = ixsize(size);
  if (w == 1) return <i64><i8>ld8(base + i);
  if (w == 2) return <i64><i16>ld16(base + (i << 1));
  if (w == 4) return <i64><i32>ld32(base + (i << 2));
  return <i64>ld64(base + (i << 3));
}

// @ts-ignore: decorator
@inline function setIndex(k: u64, i: u64, ix: i64): void {
  let size = dkSize(k);
  let base = k + keysHeader();
  let w = ixsize(size);
  if (w == 1) st8(base + i, <u8>ix);
  else if (w == 2) st16(base + (i << 1), <u16>ix);
  else if (w == 4) st32(base + (i << 2), <u32>ix);
  else st64(base + (i << 3), <u64>ix);
}

/** Entry fields: a 16-byte unicode entry has no hash (the key's own cached hash is used). */
// @ts-ignore: decorator
@inline function entryKey(k: u64, e: u64): u64 { return isUnicodeKeys(k) ? ld64(e) : ld64(e + 8); }
// @ts-ignore: decorator
@inline function entryValueAddr(k: u64, e: u64): u64 { return isUnicodeKeys(k) ? e + 8 : e + 16; }

/** new_keys_object: all indices empty, no entries. unicode: a 3.11+ str-only table. */
function newKeys(size: u64, unicode: bool): u64 {
  let usable = (size << 1) / 3;
  let es: u64 = unicode && new311() ? 16 : 24;
  let bytes = keysHeader() + ixsize(size) * size + es * usable;
  // Keys objects: PyObject_Malloc (3.13: PyMem_Malloc — pymalloc as well in the default build).
  let k = objMalloc(bytes);
  if (k == 0) return 0;
  st64(k, 1);
  if (new311()) {
    st8(k + 8, <u8>(63 - clz<u64>(size)));
    st8(k + 9, <u8>(63 - clz<u64>(ixsize(size) * size)));
    st8(k + 10, unicode ? 1 : 0);
    st32(k + 12, 0);
  } else {
    st64(k + 8, size);
    st64(k + 16, 0); // dk_lookup: a function pointer
  }
  st64(dkUsableAddr(k), usable);
  st64(dkNentriesAddr(k), 0);
  fillRange(k + keysHeader(), 0xff, ixsize(size) * size);
  fillRange(k + keysHeader() + ixsize(size) * size, 0, es * usable);
  return k;
}

function freeKeys(k: u64): void {
  objFree(k);
}

// --- dict objects ----------------------------------------------------------------------------------

/** PyDict_New (`{}` and dict displays): a dict from the free list or a fresh GC object, untracked. */
export function newDict(): u64 {
  let d: u64;
  let numfree = ld64(RT_DICT_NUMFREE);
  if (numfree > 0) {
    numfree--;
    st64(RT_DICT_NUMFREE, numfree);
    d = ld64(RT_DICT_FREE + (numfree << 3));
    initObject(d, T.DICT);
  } else {
    d = gcMalloc(PY2() ? 248 : 48);
    if (d == 0) return 0;
    initObject(d, T.DICT);
  }
  if (!compact()) {
    // 2.7 EMPTY_TO_MINSIZE: the small table, zeroed.
    fillRange(d + 56, 0, 8 * 24);
    st64(d + 16, 0); // fill
    st64(d + 24, 0); // used
    st64(d + 32, MINSIZE - 1); // mask
    st64(d + 40, d + 56); // table
    st64(d + 48, 0); // lookup function
    return d;
  }
  let keys: u64 = 0;
  if (param(P.DICT_NEW_ALLOCATES_KEYS) != 0) {
    keys = newKeys(MINSIZE, new311());
    if (keys == 0) return 0;
  }
  st64(d + 16, 0);
  st64(d + 24, 0);
  st64(d + 32, keys); // 0: Py_EMPTY_KEYS (static)
  st64(d + 40, 0);
  return d;
}

export function dictLen(d: u64): i64 {
  return <i64>ld64(d + (compact() ? 16 : 24));
}

/** lookdict: the entry index of `key` (hash h) in keys k, or -1; sets lastSlot to its index slot. */
let lastSlot: u64 = 0;
function lookup(k: u64, key: u64, h: i64): i64 {
  if (k == 0) return DKIX_EMPTY;
  // The keys object's geometry, read once.
  let size = dkSize(k);
  let mask = size - 1;
  let w = ixsize(size);
  let base = k + keysHeader();
  let unicode = isUnicodeKeys(k);
  let es: u64 = unicode ? 16 : 24;
  let entries = base + w * size;
  let i = <u64>h & mask;
  let perturb = <u64>h;
  let guard: u64 = 0;
  while (true) {
    if (DEBUG && !failed()) assert(guard++ <= (mask + 1) * 8, "dict lookup does not terminate");
    let ix: i64;
    if (w == 1) ix = <i64><i8>ld8(base + i);
    else if (w == 2) ix = <i64><i16>ld16(base + (i << 1));
    else if (w == 4) ix = <i64><i32>ld32(base + (i << 2));
    else ix = <i64>ld64(base + (i << 3));
    if (ix == DKIX_EMPTY) {
      lastSlot = i;
      return DKIX_EMPTY;
    }
    if (ix >= 0) {
      let e = entries + <u64>ix * es;
      let ek = unicode ? ld64(e) : ld64(e + 8);
      if (ek == key) { lastSlot = i; return ix; }
      let eh = unicode ? hashOf(ek) : <i64>ld64(e);
      if (eh == h && equalObjects(ek, key)) { lastSlot = i; return ix; }
    }
    perturb >>= PERTURB_SHIFT;
    i = (i * 5 + perturb + 1) & mask;
  }
  return DKIX_EMPTY;
}

/** find_empty_slot: the first empty index slot for hash h. */
function findEmptySlot(k: u64, h: i64): u64 {
  let mask = dkSize(k) - 1;
  let i = <u64>h & mask;
  let perturb = <u64>h;
  let guard: u64 = 0;
  while (getIndex(k, i) >= 0 || getIndex(k, i) == DKIX_DUMMY) {
    if (DEBUG && !failed()) assert(guard++ <= (mask + 1) * 8, "no empty slot in the dict's index");
    perturb >>= PERTURB_SHIFT;
    i = (i * 5 + perturb + 1) & mask;
  }
  return i;
}

/** dict[key] (a borrowed reference) or 0. */
export function dictGet(d: u64, key: u64): u64 {
  let h = hashOf(key);
  if (!compact()) {
    let e = lookup27(d, key, h);
    return e == 0 ? 0 : ld64(e + 16);
  }
  let k = ld64(d + 32);
  let ix = lookup(k, key, h);
  if (ix < 0) return 0;
  let e = dkEntries(k) + <u64>ix * entrySize(k);
  return ld64(entryValueAddr(k, e));
}

/** Bumps ma_version_tag (3.6+): a static counter and a write to the dict. */
// @ts-ignore: decorator
@inline function bumpVersion(d: u64): void {
  st64(d + 24, ld64(d + 24) + 1);
}

/**
 * PyDict_SetItem(d, key, value): takes new references to key and value as
 * CPython does (Py_INCREF both, then insertdict drops the key's extra one
 * when the key was already present).
 */
export function dictSet(d: u64, key: u64, value: u64): bool {
  INCREF(key);
  INCREF(value);
  if (!compact()) return insert27(d, key, value);
  let h = hashOf(key);
  let k = ld64(d + 32);
  if (k == 0 || (new311() && isUnicodeKeys(k) && typeOf(key) != T.STR)) {
    // Py_EMPTY_KEYS or a str-only table getting another kind of key: rebuild.
    if (!resize(d, k == 0 ? MINSIZE : dkSize(k), typeOf(key) == T.STR)) return false;
    k = ld64(d + 32);
  }
  let ix = lookup(k, key, h);
  if (ix >= 0) {
    replaceValue(d, entryValueAddr(k, dkEntries(k) + <u64>ix * entrySize(k)), key, value);
    return true;
  }
  if (<i64>ld64(dkUsableAddr(k)) <= 0) {
    let used = ld64(d + 16);
    let target: u64 = param(P.DICT_GROWTH) == 1 ? used * 2 + (dkSize(k) >> 1) : used * 3;
    let ns = MINSIZE;
    while (ns < target) ns <<= 1;
    if (!resize(d, ns, isUnicodeKeys(k) || (new311() && dictAllStr(d)))) return false;
    k = ld64(d + 32);
  }
  let slot = findEmptySlot(k, h);
  let n = ld64(dkNentriesAddr(k));
  setIndex(k, slot, <i64>n);
  let e = dkEntries(k) + n * entrySize(k);
  if (isUnicodeKeys(k)) {
    st64(e, key);
    st64(e + 8, value);
  } else {
    st64(e, <u64>h);
    st64(e + 8, key);
    st64(e + 16, value);
  }
  maintainTracking(d, key, value);
  st64(d + 16, ld64(d + 16) + 1);
  bumpVersion(d);
  st64(dkUsableAddr(k), ld64(dkUsableAddr(k)) - 1);
  st64(dkNentriesAddr(k), n + 1);
  return true;
}

function dictAllStr(d: u64): bool {
  let k = ld64(d + 32);
  if (k == 0) return true;
  let n = ld64(dkNentriesAddr(k));
  let es = entrySize(k);
  let entries = dkEntries(k);
  for (let i: u64 = 0; i < n; i++) {
    let key = entryKey(k, entries + i * es);
    if (key != 0 && typeOf(key) != T.STR) return false;
  }
  return true;
}

/**
 * insertdict for a key that is present (key and value already increfed): the
 * value slot is rewritten (3.8+: unless it holds the same object), the old
 * value and the extra key reference dropped.
 */
function replaceValue(d: u64, va: u64, key: u64, value: u64): void {
  let old = ld64(va);
  if (old != value || param(P.DICT_SKIP_SAME_VALUE) == 0) {
    st64(va, value);
    bumpVersion(d);
  }
  maintainTracking(d, key, value);
  DECREF(old);
  DECREF(key);
}

/** MAINTAIN_TRACKING: start tracking when a possible container goes in. */
// @ts-ignore: decorator
@inline function maintainTracking(d: u64, key: u64, value: u64): void {
  if (!gcIsTracked(d) && (mayBeContainer(key) || mayBeContainer(value))) gcTrack(d);
}

/** dictresize: a new keys object of newsize slots, live entries copied in order, the old keys freed. */
function resize(d: u64, newsize: u64, unicode: bool): bool {
  let old = ld64(d + 32);
  let nk = newKeys(newsize, unicode && new311());
  if (nk == 0) return false;
  if (old != 0) {
    let n = ld64(dkNentriesAddr(old));
    let oes = entrySize(old);
    let nes = entrySize(nk);
    let oe = dkEntries(old);
    let ne = dkEntries(nk);
    let j: u64 = 0;
    for (let i: u64 = 0; i < n; i++) {
      let e = oe + i * oes;
      let key = entryKey(old, e);
      if (key == 0) continue;
      let value = ld64(entryValueAddr(old, e));
      let h = oes == 16 ? hashOf(key) : <i64>ld64(e);
      let dst = ne + j * nes;
      if (nes == 16) {
        st64(dst, key);
        st64(dst + 8, value);
      } else {
        st64(dst, <u64>h);
        st64(dst + 8, key);
        st64(dst + 16, value);
      }
      setIndex(nk, findEmptySlot(nk, h), <i64>j);
      j++;
    }
    st64(dkUsableAddr(nk), ld64(dkUsableAddr(nk)) - j);
    st64(dkNentriesAddr(nk), j);
    freeKeys(old);
  }
  st64(d + 32, nk);
  return true;
}

/** del d[key]: false if missing. */
export function dictDel(d: u64, key: u64): bool {
  let h = hashOf(key);
  if (!compact()) return del27(d, key, h);
  let k = ld64(d + 32);
  let ix = lookup(k, key, h);
  if (ix < 0) return false;
  setIndex(k, lastSlot, DKIX_DUMMY);
  let e = dkEntries(k) + <u64>ix * entrySize(k);
  let oldKey = entryKey(k, e);
  let va = entryValueAddr(k, e);
  let oldValue = ld64(va);
  if (isUnicodeKeys(k)) st64(e, 0);
  else st64(e + 8, 0);
  st64(va, 0);
  st64(d + 16, ld64(d + 16) - 1);
  bumpVersion(d);
  DECREF(oldKey);
  DECREF(oldValue);
  return true;
}

/** The i-th live entry in insertion order (for iteration): its entry address, or 0 past the end. */
export function dictEntryAt(d: u64, pos: u64): u64 {
  if (!compact()) {
    let mask = ld64(d + 32);
    if (pos > mask) return 0;
    return ld64(d + 40) + pos * 24;
  }
  let k = ld64(d + 32);
  if (k == 0 || pos >= ld64(dkNentriesAddr(k))) return 0;
  return dkEntries(k) + pos * entrySize(k);
}

/** Key and value of an entry from dictEntryAt (0 key: a hole). */
export function dictEntryKey(d: u64, e: u64): u64 {
  if (!compact()) {
    let key = ld64(e + 8);
    return key == 0 || key == DICT_DUMMY ? 0 : key;
  }
  return entryKey(ld64(d + 32), e);
}

export function dictEntryValue(d: u64, e: u64): u64 {
  if (!compact()) return ld64(e + 16);
  return ld64(entryValueAddr(ld64(d + 32), e));
}

/** dict_dealloc: untrack, release keys and values, free the table, the object to the free list. */
export function dictDealloc(d: u64): void {
  gcUntrack(d);
  if (compact()) {
    let k = ld64(d + 32);
    if (k != 0) {
      let n = ld64(dkNentriesAddr(k));
      let es = entrySize(k);
      let entries = dkEntries(k);
      for (let i: u64 = 0; i < n; i++) {
        let e = entries + i * es;
        let key = entryKey(k, e);
        if (key == 0) continue;
        DECREF(key);
        XDECREF(ld64(entryValueAddr(k, e)));
      }
      freeKeys(k);
    }
  } else {
    let table = ld64(d + 40);
    let mask = ld64(d + 32);
    for (let i: u64 = 0; i <= mask; i++) {
      let e = table + i * 24;
      let key = ld64(e + 8);
      if (key != 0) {
        DECREF(key);
        XDECREF(ld64(e + 16));
      }
    }
    if (table != d + 56) memFree(table);
  }
  let numfree = ld64(RT_DICT_NUMFREE);
  if (numfree < 80) {
    st64(RT_DICT_FREE + (numfree << 3), d);
    st64(RT_DICT_NUMFREE, numfree + 1);
  } else {
    gcFree(d);
  }
}

// --- 2.7 -----------------------------------------------------------------------------------------

/** lookdict (2.7): the entry for key, or the slot to insert into (first dummy or empty); 0 never. */
let lookupFound: bool = false;
function lookup27(d: u64, key: u64, h: i64): u64 {
  let mask = ld64(d + 32);
  let table = ld64(d + 40);
  let i = <u64>h & mask;
  let perturb = <u64>h;
  let freeslot: u64 = 0;
  while (true) {
    let e = table + i * 24;
    let ek = ld64(e + 8);
    if (ek == 0) {
      lookupFound = false;
      return freeslot != 0 ? freeslot : e;
    }
    if (ek == DICT_DUMMY) {
      if (freeslot == 0) freeslot = e;
    } else if (ek == key || (<i64>ld64(e) == h && equalObjects(ek, key))) {
      lookupFound = true;
      return e;
    }
    i = (i << 2) + i + perturb + 1;
    perturb >>= PERTURB_SHIFT;
    i &= mask;
  }
  return 0;
}

function insert27(d: u64, key: u64, value: u64): bool {
  let h = hashOf(key);
  let e = lookup27(d, key, h);
  if (lookupFound) {
    let old = ld64(e + 16);
    st64(e + 16, value);
    maintainTracking(d, key, value);
    DECREF(old);
    DECREF(key);
    return true;
  }
  let wasDummy = ld64(e + 8) == DICT_DUMMY;
  if (wasDummy) DECREF(DICT_DUMMY);
  else st64(d + 16, ld64(d + 16) + 1); // fill
  st64(e, <u64>h);
  st64(e + 8, key);
  st64(e + 16, value);
  let used = ld64(d + 24) + 1;
  st64(d + 24, used);
  maintainTracking(d, key, value);
  let fill = ld64(d + 16);
  let mask = ld64(d + 32);
  if (fill * 3 >= (mask + 1) * 2) return resize27(d, (used > 50000 ? 2 : 4) * used);
  return true;
}

function resize27(d: u64, minused: u64): bool {
  let newsize = MINSIZE;
  while (newsize <= minused) newsize <<= 1;
  let oldtable = ld64(d + 40);
  let oldmask = ld64(d + 32);
  let small = d + 56;
  let newtable: u64;
  let tmp: u64 = 0;
  if (newsize == MINSIZE) {
    newtable = small;
    if (oldtable == small) {
      // Rebuilding in place: copy the small table aside first (a malloc'ed scratch in the model).
      tmp = libcMalloc(8 * 24);
      for (let i: u64 = 0; i < 8 * 24; i += 8) st64(tmp + i, ld64(small + i));
      oldtable = tmp;
    }
  } else {
    newtable = memMalloc(newsize * 24);
    if (newtable == 0) return false;
  }
  fillRange(newtable, 0, newsize * 24);
  st64(d + 40, newtable);
  st64(d + 32, newsize - 1);
  st64(d + 24, 0);
  st64(d + 16, 0);
  for (let i: u64 = 0; i <= oldmask; i++) {
    let e = oldtable + i * 24;
    let key = ld64(e + 8);
    if (key == 0) continue;
    let value = ld64(e + 16);
    if (key == DICT_DUMMY) {
      DECREF(key);
      continue;
    }
    let h = <i64>ld64(e);
    let mask = newsize - 1;
    let j = <u64>h & mask;
    let perturb = <u64>h;
    while (ld64(newtable + j * 24 + 8) != 0) {
      j = (j << 2) + j + perturb + 1;
      perturb >>= PERTURB_SHIFT;
      j &= mask;
    }
    let ne = newtable + j * 24;
    st64(ne, <u64>h);
    st64(ne + 8, key);
    st64(ne + 16, value);
    st64(d + 16, ld64(d + 16) + 1);
    st64(d + 24, ld64(d + 24) + 1);
  }
  if (tmp != 0) libcFree(tmp);
  else if (oldtable != small) memFree(oldtable);
  return true;
}

function del27(d: u64, key: u64, h: i64): bool {
  let e = lookup27(d, key, h);
  if (!lookupFound) return false;
  let oldKey = ld64(e + 8);
  let oldValue = ld64(e + 16);
  INCREF(DICT_DUMMY);
  st64(e + 8, DICT_DUMMY);
  st64(e + 16, 0);
  st64(d + 24, ld64(d + 24) - 1);
  DECREF(oldValue);
  DECREF(oldKey);
  return true;
}

/*
 * Inline caches for the evaluator's LOAD_NAME / STORE_NAME (like CPython's
 * own caches for globals): per instruction, the keys object and the value slot
 * where the name was last found. A hit skips the hash and the probe — which
 * only read memory — and then writes exactly what dictSet writes for a key
 * that is present. Any resize makes a new keys object (a miss); a deletion
 * clears the entry's key (a miss).
 *
 *   cache: u64 keys, u64 address of the entry's value slot (the key is the
 *   word just before it in both entry layouts: {hash, key, value}, {key, value})
 */
// @ts-ignore: decorator
@inline function cachedValueSlot(d: u64, key: u64, cache: usize): u64 {
  let k = ld64(d + 32);
  if (k == 0 || load<u64>(cache) != k) return 0;
  let va = load<u64>(cache + 8);
  return ld64(va - 8) == key ? va : 0;
}

function remember(d: u64, key: u64, cache: usize): void {
  let k = ld64(d + 32);
  let ix = lookup(k, key, hashOf(key));
  if (ix >= 0) {
    store<u64>(cache, k);
    store<u64>(cache + 8, entryValueAddr(k, dkEntries(k) + <u64>ix * entrySize(k)));
  }
}

/**
 * The simulated address of `key`'s value slot when the inline cache still
 * holds it (3.x dicts), else 0. Lets the evaluator run a loop's stores in bulk.
 */
export function dictCachedValueSlot(d: u64, key: u64, cache: usize): u64 {
  return compact() ? cachedValueSlot(d, key, cache) : 0;
}

/** dict[key] (borrowed) through an inline cache (3.x dicts; 2.7 falls back). */
export function dictGetCached(d: u64, key: u64, cache: usize): u64 {
  if (!compact()) return dictGet(d, key);
  let va = cachedValueSlot(d, key, cache);
  if (va != 0) return ld64(va);
  let v = dictGet(d, key);
  if (v != 0) remember(d, key, cache);
  return v;
}

/** PyDict_SetItem through an inline cache: a hit does the present-key writes of insertdict. */
export function dictSetCached(d: u64, key: u64, value: u64, cache: usize): bool {
  if (!compact()) return dictSet(d, key, value);
  let va = cachedValueSlot(d, key, cache);
  if (va == 0) {
    let ok = dictSet(d, key, value);
    if (ok) remember(d, key, cache);
    return ok;
  }
  INCREF(key);
  INCREF(value);
  replaceValue(d, va, key, value);
  return true;
}
