/**
 * set and frozenset (Objects/setobject.c, Include/setobject.h).
 *
 * PySetObject is 200 bytes + the GC head, zero-filled by tp_alloc
 * (PyType_GenericAlloc: memset, then _PyObject_GC_TRACK):
 *   3.x: @16 fill @24 used @32 mask @40 table @48 hash @56 finger
 *        @64 smalltable[8] of setentry {key, hash} @192 weakreflist
 *   2.7: @16 fill @24 used @32 mask @40 table @48 lookup (a function)
 *        @56 smalltable[8] of setentry {hash, key} @184 hash @192 weakreflist
 * A table above 8 slots is PyMem_NEW(setentry, n): libc in 2.7, pymalloc
 * (<= 512 bytes) or libc in 3.x.
 *
 * Insertion (set_add_entry / 2.7 set_insert_key) increfs the key first, probes
 * (3.x: LINEAR_PROBES 9 consecutive entries, then i = i*5 + 1 + perturb;
 * 2.7: i = i*5 + perturb + 1), and after filling an unused slot resizes:
 *   2.7: used grew and fill*3 >= (mask+1)*2;  3.6: fill*3 >= mask*2;  3.7+: fill*5 >= mask*3
 * to (used > 50000 ? used*2 : used*4): the smallest power of two > that,
 * from 8 (set_table_resize). 2.7 keeps up to 80 freed sets (free_list).
 *
 * The set iterator (setiterobject, 48 + GC head): @16 si_set @24 si_used
 * @32 si_pos @40 len; next() skips empty and dummy entries, writes si_pos
 * and len, increfs the key.
 */
import { Err, raise } from "../config";
import { ld64, st64, fillRange, copyRange } from "../kernel/memory";
import { kmemAlloc, kmemFree } from "../kernel/kmem";
import {
  PY2, VERSION, T, typeOf, initObject, memMalloc, memFree, INCREF, DECREF, XDECREF, gcMalloc, gcFree, gcTrack,
  gcUntrack, DICT_DUMMY, GC_HEAD, RT,
} from "./runtime";
import { hashOf, equalObjects } from "./compare";

// @ts-ignore: decorator
@inline const MINSIZE: u64 = 8;
// @ts-ignore: decorator
@inline const LINEAR_PROBES: u64 = 9;
// @ts-ignore: decorator
@inline const PERTURB_SHIFT: u64 = 5;
/** 2.7 set free list: a count and 80 pointers (static data, RT + 0xa00). */
// @ts-ignore: decorator
@inline const RT_SET_NUMFREE: u64 = RT + 0xa00;
// @ts-ignore: decorator
@inline const RT_SET_FREE: u64 = RT + 0xa08;

// @ts-ignore: decorator
@inline function smalltable(s: u64): u64 { return s + (PY2() ? 56 : 64); }
// @ts-ignore: decorator
@inline function eKey(e: u64): u64 { return ld64(e + (PY2() ? 8 : 0)); }
// @ts-ignore: decorator
@inline function eHash(e: u64): i64 { return <i64>ld64(e + (PY2() ? 0 : 8)); }
// @ts-ignore: decorator
@inline function eSet(e: u64, key: u64, hash: i64): void {
  if (PY2()) { st64(e, <u64>hash); st64(e + 8, key); }
  else { st64(e, key); st64(e + 8, <u64>hash); }
}

// @ts-ignore: decorator
@inline export function setUsed(s: u64): i64 { return <i64>ld64(s + 24); }
// @ts-ignore: decorator
@inline export function setMask(s: u64): u64 { return ld64(s + 32); }
// @ts-ignore: decorator
@inline export function setTable(s: u64): u64 { return ld64(s + 40); }

export function isAnySet(o: u64): bool {
  let t = typeOf(o);
  return t == T.SET || t == T.FROZENSET;
}

/** make_new_set(type, NULL): an empty set (2.7: from the free list when it has one). */
export function newSet(frozen: bool): u64 {
  let s: u64 = 0;
  if (PY2() && !frozen) {
    let n = ld64(RT_SET_NUMFREE);
    if (n > 0) {
      n--;
      st64(RT_SET_NUMFREE, n);
      s = ld64(RT_SET_FREE + (n << 3));
      initObject(s, T.SET);
      // EMPTY_TO_MINSIZE: memset(smalltable), used = fill = 0, table = smalltable, mask = 7, hash = -1.
      fillRange(smalltable(s), 0, 8 * 16);
      st64(s + 24, 0);
      st64(s + 16, 0);
      st64(s + 40, smalltable(s));
      st64(s + 32, MINSIZE - 1);
      st64(s + 184, <u64>-1);
      st64(s + 48, 0); // lookup = set_lookkey_string
      gcTrack(s);
      return s;
    }
  }
  s = gcMalloc(200);
  if (s == 0) return 0;
  fillRange(s, 0, 200);
  initObject(s, frozen ? T.FROZENSET : T.SET);
  gcTrack(s);
  st64(s + 32, MINSIZE - 1);
  st64(s + 40, smalltable(s));
  if (PY2()) {
    st64(s + 184, <u64>-1);
    st64(s + 48, 0);
  } else {
    st64(s + 48, <u64>-1);
  }
  return s;
}

/** The entry holding key (or 0), as set_lookkey does (reads only). */
function lookup(s: u64, key: u64, hash: i64): u64 {
  let mask = setMask(s);
  let table = setTable(s);
  let perturb = <u64>hash;
  let i = <u64>hash & mask;
  if (PY2()) {
    while (true) {
      let e = table + ((i & mask) << 4);
      let k = eKey(e);
      if (k == 0) return 0;
      if (k == key || (k != DICT_DUMMY && eHash(e) == hash && equalObjects(k, key))) return e;
      i = (i << 2) + i + perturb + 1;
      perturb >>= PERTURB_SHIFT;
    }
  }
  while (true) {
    let e = table + (i << 4);
    let probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
    while (true) {
      let k = eKey(e);
      if (k == 0 && eHash(e) == 0) return 0;
      if (k == key || (k != DICT_DUMMY && eHash(e) == hash && equalObjects(k, key))) return e;
      if (probes == 0) break;
      probes--;
      e += 16;
    }
    perturb >>= PERTURB_SHIFT;
    i = (i * 5 + 1 + perturb) & mask;
  }
  return 0;
}

/** set_insert_clean: into a table with no dummies and no equal key. */
function insertClean(table: u64, mask: u64, key: u64, hash: i64): void {
  let perturb = <u64>hash;
  let i = <u64>hash & mask;
  if (PY2()) {
    while (true) {
      let e = table + ((i & mask) << 4);
      if (eKey(e) == 0) { eSet(e, key, hash); return; }
      i = (i << 2) + i + perturb + 1;
      perturb >>= PERTURB_SHIFT;
    }
  }
  while (true) {
    let e = table + (i << 4);
    if (eKey(e) == 0) { eSet(e, key, hash); return; }
    if (i + LINEAR_PROBES <= mask) {
      for (let j: u64 = 0; j < LINEAR_PROBES; j++) {
        e += 16;
        if (eKey(e) == 0) { eSet(e, key, hash); return; }
      }
    }
    perturb >>= PERTURB_SHIFT;
    i = (i * 5 + 1 + perturb) & mask;
  }
}

/** set_table_resize(so, minused). */
function resize(s: u64, minused: u64): bool {
  let newsize = MINSIZE;
  while (newsize <= minused) newsize <<= 1;
  let oldtable = setTable(s);
  let oldmask = setMask(s);
  let small = smalltable(s);
  let mallocedOld = oldtable != small;
  let scratch: usize = 0;
  let newtable: u64;
  let fill = <i64>ld64(s + 16), used = setUsed(s);
  if (newsize == MINSIZE) {
    newtable = small;
    if (newtable == oldtable) {
      if (fill == used) return true;
      // A copy of the small table on the C stack (not simulated): entries are read from it.
      scratch = kmemAlloc(8 * 16);
      for (let k: u64 = 0; k < 8 * 16; k += 8) store<u64>(scratch + <usize>k, ld64(small + k));
    }
  } else {
    newtable = memMalloc(newsize << 4);
    if (newtable == 0) return false;
  }
  fillRange(newtable, 0, newsize << 4);
  st64(s + 32, newsize - 1);
  st64(s + 40, newtable);
  if (fill != used) st64(s + 16, <u64>used);
  else if (PY2()) st64(s + 16, <u64>used);
  for (let j: u64 = 0; j <= oldmask; j++) {
    let key: u64, hash: i64;
    if (scratch != 0) {
      key = load<u64>(scratch + <usize>(j << 4) + (PY2() ? 8 : 0));
      hash = load<i64>(scratch + <usize>(j << 4) + (PY2() ? 0 : 8));
    } else {
      let e = oldtable + (j << 4);
      key = eKey(e);
      hash = eHash(e);
    }
    if (key != 0 && key != DICT_DUMMY) insertClean(newtable, newsize - 1, key, hash);
  }
  if (scratch != 0) kmemFree(scratch, 8 * 16);
  if (mallocedOld) memFree(oldtable);
  return true;
}

/** set_add_key / PySet_Add: the set takes its own reference to key. Returns false on failure. */
export function setAdd(s: u64, key: u64): bool {
  let hash = hashOf(key);
  INCREF(key);
  if (PY2()) {
    let n_used = setUsed(s);
    let e = lookupFree(s, key, hash);
    let k = eKey(e);
    if (k == 0) {
      st64(s + 16, ld64(s + 16) + 1);
      eSet(e, key, hash);
      st64(s + 24, ld64(s + 24) + 1);
    } else if (k == DICT_DUMMY) {
      eSet(e, key, hash);
      st64(s + 24, ld64(s + 24) + 1);
      DECREF(DICT_DUMMY);
    } else {
      DECREF(key);
      return true;
    }
    let fill = ld64(s + 16), mask = setMask(s);
    if (!(setUsed(s) > n_used && fill * 3 >= (mask + 1) * 2)) return true;
    let used = <u64>setUsed(s);
    return resize(s, used > 50000 ? used * 2 : used * 4);
  }
  let mask = setMask(s);
  let table = setTable(s);
  let perturb = <u64>hash;
  let i = <u64>hash & mask;
  let freeslot: u64 = 0;
  while (true) {
    let e = table + (i << 4);
    let probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
    while (true) {
      let k = eKey(e);
      let h = eHash(e);
      if (k == 0 && h == 0) {
        if (freeslot != 0) {
          st64(s + 24, ld64(s + 24) + 1);
          eSet(freeslot, key, hash);
          return true;
        }
        let fill = ld64(s + 16) + 1;
        st64(s + 16, fill);
        st64(s + 24, ld64(s + 24) + 1);
        eSet(e, key, hash);
        let grow = VERSION() >= 307 ? fill * 5 >= mask * 3 : fill * 3 >= mask * 2;
        if (!grow) return true;
        let used = <u64>setUsed(s);
        return resize(s, used > 50000 ? used * 2 : used * 4);
      }
      if (h == hash && (k == key || (k != DICT_DUMMY && equalObjects(k, key)))) {
        DECREF(key);
        return true;
      }
      if (h == -1 && k == DICT_DUMMY && freeslot == 0) freeslot = e;
      if (probes == 0) break;
      probes--;
      e += 16;
    }
    perturb >>= PERTURB_SHIFT;
    i = (i * 5 + 1 + perturb) & mask;
  }
  return true;
}

/** 2.7 set_lookkey: the entry holding key, else the first dummy seen, else the unused entry. */
function lookupFree(s: u64, key: u64, hash: i64): u64 {
  let mask = setMask(s);
  let table = setTable(s);
  let perturb = <u64>hash;
  let i = <u64>hash;
  let freeslot: u64 = 0;
  while (true) {
    let e = table + ((i & mask) << 4);
    let k = eKey(e);
    if (k == 0) return freeslot != 0 ? freeslot : e;
    if (k == key || (k != DICT_DUMMY && eHash(e) == hash && equalObjects(k, key))) return e;
    if (k == DICT_DUMMY && freeslot == 0) freeslot = e;
    i = (i << 2) + i + perturb + 1;
    perturb >>= PERTURB_SHIFT;
  }
  return 0;
}

export function setContains(s: u64, key: u64): bool {
  return lookup(s, key, hashOf(key)) != 0;
}

/** set.discard / set_discard_key: the entry becomes a dummy, the key is released. */
export function setDiscard(s: u64, key: u64): bool {
  let e = lookup(s, key, hashOf(key));
  if (e == 0) return false;
  let old = eKey(e);
  if (PY2()) INCREF(DICT_DUMMY);
  eSet(e, DICT_DUMMY, -1);
  st64(s + 24, ld64(s + 24) - 1);
  DECREF(old);
  return true;
}

/** set_dealloc: untrack, decref the keys in table order, free the table, then the object (2.7: free list). */
export function setDealloc(s: u64): void {
  gcUntrack(s);
  let used = setUsed(s);
  let table = setTable(s);
  let e = table;
  while (used > 0) {
    let k = eKey(e);
    if (k != 0 && k != DICT_DUMMY) {
      used--;
      DECREF(k);
    } else if (k == DICT_DUMMY && PY2()) {
      DECREF(DICT_DUMMY);
    }
    e += 16;
  }
  if (table != smalltable(s)) memFree(table);
  if (PY2() && typeOf(s) == T.SET) {
    let n = ld64(RT_SET_NUMFREE);
    if (n < 80) {
      st64(RT_SET_FREE + (n << 3), s);
      st64(RT_SET_NUMFREE, n + 1);
      return;
    }
  }
  gcFree(s);
}

/** __sizeof__: the object, plus the table when it is not the small table. */
export function setSizeof(s: u64): u64 {
  let n: u64 = 200;
  if (setTable(s) != smalltable(s)) n += (setMask(s) + 1) << 4;
  return n;
}

// --- iterator ------------------------------------------------------------------------------------

/** set_iter: setiterobject {si_set @16, si_used @24, si_pos @32, len @40} (48 bytes + GC head), tracked. */
export function newSetIter(s: u64): u64 {
  let it = gcMalloc(48);
  if (it == 0) return 0;
  initObject(it, T.SETITER);
  INCREF(s);
  st64(it + 16, s);
  st64(it + 24, <u64>setUsed(s));
  st64(it + 32, 0);
  st64(it + 40, <u64>setUsed(s));
  gcTrack(it);
  return it;
}

export function setIterNext(it: u64): u64 {
  let s = ld64(it + 16);
  if (s == 0) return 0;
  let i = ld64(it + 32);
  let mask = setMask(s);
  let table = setTable(s);
  while (i <= mask) {
    let k = eKey(table + (i << 4));
    if (k != 0 && k != DICT_DUMMY) break;
    i++;
  }
  st64(it + 32, i + 1);
  if (i > mask) {
    st64(it + 16, 0);
    DECREF(s);
    return 0;
  }
  st64(it + 40, ld64(it + 40) - 1);
  let key = eKey(table + (i << 4));
  INCREF(key);
  return key;
}

export function setIterDealloc(it: u64): void {
  gcUntrack(it);
  XDECREF(ld64(it + 16));
  gcFree(it);
}

/** GC head size for getsizeof (exported for the sizes module). */
export function setGcHead(): u64 { return GC_HEAD(); }
