/**
 * CPython's cyclic garbage collector over the simulated heap, per version:
 * the passes of `collect()` / `gc_collect_main()` (update_refs, subtract_refs,
 * move_unreachable, tuple and dict untracking, merging into the older
 * generation, freeing unreachable cycles with tp_clear), automatic collection
 * (collect_generations with the long_lived_pending rule; 3.12+ scheduled via
 * the eval breaker), gc.freeze / unfreeze / get_freeze_count (3.7+), the
 * interpreter's start-up population of tracked objects, and the what-if
 * "immortalize the heap" (Cinder).
 *
 * Sources read (docs/cpython/gc.md has the per-version notes):
 *   3.12.5 Modules/gcmodule.c (pizlonator/pizlonated-cpython-3.12.5 @ 722994d0b1754cd2961bc586ca3060a0bd96d5e4),
 *   a 3.13-derived Python/gc.c (find_string id 53192090425: list functions, move_unreachable, delete_garbage),
 *   for ≤3.7 the 32-byte PyGC_Head with a separate gc_refs word (runtime.ts).
 * Every write the real collector makes to a PyGC_Head is made here with st64 on
 * simulated memory, so copy-on-write after fork sees the same pages written.
 *
 * PyGC_Head 3.8+ (16 bytes): _gc_next @0 (bit 0: NEXT_MASK_UNREACHABLE during a
 * collection), _gc_prev @8 (bit 0 FINALIZED, bit 1 COLLECTING, gc_refs << 2 during
 * a collection). ≤3.7 (32 bytes): gc_next @0, gc_prev @8, gc_refs @16 (2.7: the
 * value; 3.6/3.7: value << 1 | finalized bit), GC_UNTRACKED -2, GC_REACHABLE -3,
 * GC_TENTATIVELY_UNREACHABLE -4.
 */
import { clearPy2NumberFreeLists } from "./numbers";
import { DEBUG, failed } from "../config";
import { ld64, st64 } from "../kernel/memory";
import {
  P, param, PY2, VERSION, T, typeOf, INCREF, DECREF, XDECREF, GC_HEAD, genHead, genCount, genThreshold,
  GC_ENABLED, GC_COLLECTING, GC_PERMANENT, GC_LONG_LIVED_TOTAL, GC_LONG_LIVED_PENDING, RT_GC,
  RT_TUPLE_FREE, RT_TUPLE_NUMFREE, RT_LIST_FREE, RT_LIST_NUMFREE, RT_DICT_FREE, RT_DICT_NUMFREE,
  RT_FLOAT_FREE, RT_FLOAT_NUMFREE, objMalloc, objFree, memFree, gcFree, gcUntrack, gcIsTracked, gcMalloc,
  initObject, initVarObject, setGcAllocHook, DICT_DUMMY, Py_None,
} from "./runtime";
import { excKind, setExc, Exc } from "./interp";
import { kmemAlloc, kmemFree } from "../kernel/kmem";
import { newInt, isInt, intValue } from "./numbers";
import { dkEntries, entrySize } from "./dict";

// --- extra GC state words (after runtime.ts's, inside RT_GC's 0x200 bytes) -----------------------
// @ts-ignore: decorator
@inline export const GC_SCHEDULED: u64 = RT_GC + 224; // 3.12+: _Py_ScheduleGC set the eval breaker bit
// @ts-ignore: decorator
@inline const GC_UNREACHABLE: u64 = RT_GC + 256; // the `unreachable` list head (C stack in CPython)
// @ts-ignore: decorator
@inline const GC_SEEN: u64 = RT_GC + 288; // finalize_garbage's `seen` list head
// @ts-ignore: decorator
@inline const GC_LAST_COLLECTED: u64 = RT_GC + 320;

// @ts-ignore: decorator
@inline function NEW(): bool { return GC_HEAD() == 16; }
// @ts-ignore: decorator
@inline function AS_GC(o: u64): u64 { return o - GC_HEAD(); }
// @ts-ignore: decorator
@inline function FROM_GC(g: u64): u64 { return g + GC_HEAD(); }

// 3.8+ bits
// @ts-ignore: decorator
@inline const MASK_FINALIZED: u64 = 1;
// @ts-ignore: decorator
@inline const MASK_COLLECTING: u64 = 2;
// @ts-ignore: decorator
@inline const PREV_MASK: u64 = ~<u64>3;
// @ts-ignore: decorator
@inline const NEXT_MASK_UNREACHABLE: u64 = 1;

// ≤3.7 gc_refs values
// @ts-ignore: decorator
@inline const GC_UNTRACKED: i64 = -2;
// @ts-ignore: decorator
@inline const GC_REACHABLE: i64 = -3;
// @ts-ignore: decorator
@inline const GC_TENTATIVELY_UNREACHABLE: i64 = -4;

// --- PyGC_Head access -------------------------------------------------------------------------------

// @ts-ignore: decorator
@inline function NEXT(g: u64): u64 { return ld64(g); }
// @ts-ignore: decorator
@inline function PREV(g: u64): u64 { return NEW() ? ld64(g + 8) & PREV_MASK : ld64(g + 8); }
// @ts-ignore: decorator
@inline function SET_NEXT(g: u64, n: u64): void { st64(g, n); }
// @ts-ignore: decorator
@inline function SET_PREV(g: u64, p: u64): void {
  if (NEW()) st64(g + 8, (ld64(g + 8) & ~PREV_MASK) | p);
  else st64(g + 8, p);
}

/** ≤3.7 _PyGCHead_REFS / _PyGCHead_SET_REFS (3.6/3.7 keep the value shifted left by one, bit 0 = finalized). */
// @ts-ignore: decorator
@inline function OLD_REFS(g: u64): i64 {
  let r = <i64>ld64(g + 16);
  return PY2() ? r : r >> 1;
}
// @ts-ignore: decorator
@inline function OLD_SET_REFS(g: u64, v: i64): void {
  if (PY2()) st64(g + 16, <u64>v);
  else st64(g + 16, (ld64(g + 16) & 1) | (<u64>v << 1));
}

// 3.8+: gc_get_refs / gc_set_refs / gc_reset_refs / gc_decref / gc_is_collecting / gc_clear_collecting
// @ts-ignore: decorator
@inline function getRefs(g: u64): i64 { return <i64>(ld64(g + 8) >> 2); }
// @ts-ignore: decorator
@inline function setRefs(g: u64, r: i64): void { st64(g + 8, (ld64(g + 8) & 3) | (<u64>r << 2)); }
// @ts-ignore: decorator
@inline function resetRefs(g: u64, r: i64): void {
  st64(g + 8, (ld64(g + 8) & MASK_FINALIZED) | MASK_COLLECTING | (<u64>r << 2));
}
// @ts-ignore: decorator
@inline function isCollecting(g: u64): bool { return (ld64(g + 8) & MASK_COLLECTING) != 0; }
// @ts-ignore: decorator
@inline function clearCollecting(g: u64): void { st64(g + 8, ld64(g + 8) & ~MASK_COLLECTING); }

// --- list functions (gc_list_*) ----------------------------------------------------------------------

function listInit(l: u64): void {
  st64(l, l);
  st64(l + 8, l);
  if (!NEW()) st64(l + 16, 0);
}

// @ts-ignore: decorator
@inline function listIsEmpty(l: u64): bool { return ld64(l) == l; }

function listAppend(node: u64, l: u64): void {
  let last = ld64(l + 8);
  SET_PREV(node, last);
  SET_NEXT(last, node);
  SET_NEXT(node, l);
  st64(l + 8, node);
}

function listRemove(node: u64): void {
  let prev = PREV(node);
  let next = NEXT(node);
  SET_NEXT(prev, next);
  SET_PREV(next, prev);
  st64(node, 0);
}

function listMove(node: u64, l: u64): void {
  let fromPrev = PREV(node);
  let fromNext = NEXT(node);
  SET_NEXT(fromPrev, fromNext);
  SET_PREV(fromNext, fromPrev);
  let toPrev = ld64(l + 8);
  SET_PREV(node, toPrev);
  SET_NEXT(toPrev, node);
  st64(l + 8, node);
  SET_NEXT(node, l);
}

/** gc_list_merge: append `from` onto `to`; `from` becomes empty. */
export function listMerge(from: u64, to: u64): void {
  if (!listIsEmpty(from)) {
    let toTail = PREV(to);
    let fromHead = NEXT(from);
    let fromTail = PREV(from);
    SET_NEXT(toTail, fromHead);
    SET_PREV(fromHead, toTail);
    SET_NEXT(fromTail, to);
    SET_PREV(to, fromTail);
  }
  st64(from, from);
  st64(from + 8, from);
}

/** gc_list_size: a walk of the list (reads every head). */
export function listSize(l: u64): i64 {
  let n: i64 = 0;
  for (let g = NEXT(l); g != l; g = NEXT(g)) n++;
  return n;
}

// --- types -----------------------------------------------------------------------------------------

/**
 * _PyObject_IS_GC for the objects cowsim gives a PyGC_Head (tuples, lists, dicts,
 * their iterators and views). Other types are treated as not GC by the visitors
 * (conservative: their referents count as referenced from outside).
 */
// @ts-ignore: decorator
@inline const GC_TYPES: u64 = (<u64>1 << T.TUPLE) | (<u64>1 << T.SLICE) | (<u64>1 << T.LIST) | (<u64>1 << T.DICT) |
  (<u64>1 << T.LISTITER) | (<u64>1 << T.TUPLEITER) | (<u64>1 << T.STRITER) | (<u64>1 << T.BYTESITER) |
  (<u64>1 << T.DICTKEYITER) | (<u64>1 << T.DICTVALUEITER) |
  (<u64>1 << T.DICTITEMITER) | (<u64>1 << T.DICTKEYS) | (<u64>1 << T.DICTVALUES) | (<u64>1 << T.DICTITEMS);

function isGc(o: u64): bool {
  if (o == 0) return false;
  let t = typeOf(o);
  return t >= 0 && t < 64 && ((GC_TYPES >> <u64>t) & 1) != 0;
}

/** _PyObject_GC_MAY_BE_TRACKED: a GC object, and a tuple only while tracked. */
function mayBeTracked(o: u64): bool {
  if (!isGc(o)) return false;
  if (typeOf(o) == T.TUPLE) return gcIsTracked(o);
  return true;
}

// --- visitors (tp_traverse with one of the collector's visit functions) ----------------------------

const V_DECREF = 0;
const V_REACHABLE = 1;
const V_IMMORTALIZE = 2;

function visit(o: u64, mode: i32, arg: u64): void {
  if (mode == V_IMMORTALIZE) { immortalizeOne(o); return; }
  if (!isGc(o)) return;
  let g = AS_GC(o);
  if (NEW()) {
    if (mode == V_DECREF) {
      // visit_decref: only objects of the generation being collected
      if (isCollecting(g)) st64(g + 8, ld64(g + 8) - 4);
      return;
    }
    // visit_reachable
    if (!isCollecting(g)) return;
    let next = ld64(g);
    if ((next & NEXT_MASK_UNREACHABLE) != 0) {
      let prev = PREV(g);
      let nx = next & ~NEXT_MASK_UNREACHABLE;
      st64(prev, next); // copy NEXT_MASK_UNREACHABLE
      SET_PREV(nx, prev);
      listAppend(g, arg);
      setRefs(g, 1);
    } else if (getRefs(g) == 0) {
      setRefs(g, 1);
    }
    return;
  }
  if (mode == V_DECREF) {
    if (OLD_REFS(g) > 0) OLD_SET_REFS(g, OLD_REFS(g) - 1);
    return;
  }
  let refs = OLD_REFS(g);
  if (refs == 0) OLD_SET_REFS(g, 1);
  else if (refs == GC_TENTATIVELY_UNREACHABLE) {
    listMove(g, arg);
    OLD_SET_REFS(g, 1);
  }
}

/** tp_traverse of the modelled GC types. */
function traverse(o: u64, mode: i32, arg: u64): void {
  let t = typeOf(o);
  if (t == T.TUPLE || t == T.SLICE) {
    let n = <i64>ld64(o + 16);
    for (let i: i64 = 0; i < n; i++) {
      let v = ld64(o + 24 + (<u64>i << 3));
      if (v != 0) visit(v, mode, arg);
    }
  } else if (t == T.LIST) {
    let items = ld64(o + 24);
    if (items == 0) return;
    let i = <i64>ld64(o + 16) - 1;
    while (i >= 0) i = visitItemsDown(items, i, max<i64>(i - GC_SLICE, -1), mode, arg);
  } else if (t == T.DICT) {
    dictTraverse(o, mode, arg);
  } else if (t == T.LISTITER || t == T.TUPLEITER || t == T.STRITER || t == T.BYTESITER) {
    let s = ld64(o + 24);
    if (s != 0) visit(s, mode, arg);
  } else if (t == T.DICTKEYITER || t == T.DICTVALUEITER || t == T.DICTITEMITER) {
    let d = ld64(o + 16);
    if (d != 0) visit(d, mode, arg);
    let r = ld64(o + 40);
    if (r != 0) visit(r, mode, arg);
  } else if (t == T.DICTKEYS || t == T.DICTVALUES || t == T.DICTITEMS) {
    let d = ld64(o + 16);
    if (d != 0) visit(d, mode, arg);
  }
}

/**
 * The collector's long loops run in slices of GC_SLICE objects, each slice one call: V8
 * optimizes a WebAssembly function between calls, not during one, so a single call over
 * a million objects would run in baseline code to its end.
 */
// @ts-ignore: decorator
@inline const GC_SLICE: i64 = 1 << 14;

/** list_traverse's loop for items from … stop+1 (downwards); returns stop. */
function visitItemsDown(items: u64, from: i64, stop: i64, mode: i32, arg: u64): i64 {
  for (let i = from; i > stop; i--) {
    let v = ld64(items + (<u64>i << 3));
    if (v != 0) visit(v, mode, arg);
  }
  return stop;
}

function dictTraverse(d: u64, mode: i32, arg: u64): void {
  if (PY2()) {
    let table = ld64(d + 40);
    let mask = ld64(d + 32);
    for (let i: u64 = 0; i <= mask; i++) {
      let e = table + i * 24;
      let key = ld64(e + 8);
      if (key == 0 || key == DICT_DUMMY) continue;
      visit(key, mode, arg);
      let v = ld64(e + 16);
      if (v != 0) visit(v, mode, arg);
    }
    return;
  }
  let k = ld64(d + 32);
  if (k == 0) return;
  let n = ld64(k + (VERSION() >= 311 ? 24 : 32));
  let es = entrySize(k);
  let entries = dkEntries(k);
  let keyOff: u64 = es == 16 ? 0 : 8;
  for (let i: u64 = 0; i < n; i++) {
    let e = entries + i * es;
    let v = ld64(e + keyOff + 8);
    if (v == 0) continue;
    visit(v, mode, arg);
    if (es == 24 || mode == V_IMMORTALIZE) visit(ld64(e + keyOff), mode, arg);
  }
}

// --- untracking ------------------------------------------------------------------------------------

/** _PyTuple_MaybeUntrack. */
function tupleMaybeUntrack(o: u64): void {
  if (typeOf(o) != T.TUPLE || !gcIsTracked(o)) return;
  let n = <i64>ld64(o + 16);
  for (let i: i64 = 0; i < n; i++) {
    let v = ld64(o + 24 + (<u64>i << 3));
    if (v == 0 || mayBeTracked(v)) return;
  }
  gcUntrack(o);
}

/** _PyDict_MaybeUntrack. */
function dictMaybeUntrack(d: u64): void {
  if (typeOf(d) != T.DICT || !gcIsTracked(d)) return;
  if (PY2()) {
    let table = ld64(d + 40);
    let mask = ld64(d + 32);
    for (let i: u64 = 0; i <= mask; i++) {
      let e = table + i * 24;
      let key = ld64(e + 8);
      if (key == 0 || key == DICT_DUMMY) continue;
      let v = ld64(e + 16);
      if (mayBeTracked(v) || mayBeTracked(key)) return;
    }
    gcUntrack(d);
    return;
  }
  let k = ld64(d + 32);
  if (k != 0) {
    let n = ld64(k + (VERSION() >= 311 ? 24 : 32));
    let es = entrySize(k);
    let entries = dkEntries(k);
    let keyOff: u64 = es == 16 ? 0 : 8;
    for (let i: u64 = 0; i < n; i++) {
      let e = entries + i * es;
      let v = ld64(e + keyOff + 8);
      if (v == 0) continue;
      if (mayBeTracked(v)) return;
      if (es == 24 && mayBeTracked(ld64(e + keyOff))) return;
    }
  }
  gcUntrack(d);
}

/**
 * untrack_tuples (3.8+: after move_unreachable, over the young list) and
 * untrack_dicts (full collections only, issue #14775): objects of type `t`
 * holding only untracked objects leave the GC.
 */
function untrackAll(head: u64, t: i32): void {
  let g = NEXT(head);
  while (g != head) {
    let next = NEXT(g);
    let o = FROM_GC(g);
    if (typeOf(o) == t) {
      if (t == T.TUPLE) tupleMaybeUntrack(o);
      else dictMaybeUntrack(o);
    }
    g = next;
  }
}

// --- the passes --------------------------------------------------------------------------------------

/** update_refs: gc_refs = ob_refcnt for every object of the list (a write to each head); 3.8+ sets COLLECTING. */
function updateRefs(containers: u64): void {
  let g = NEXT(containers);
  while (g != containers) g = updateRefsSlice(g, containers);
}

function updateRefsSlice(g: u64, containers: u64): u64 {
  for (let k: i64 = 0; k < GC_SLICE && g != containers; k++) {
    let rc = <i64>ld64(FROM_GC(g));
    if (NEW()) resetRefs(g, rc);
    else OLD_SET_REFS(g, rc);
    g = NEXT(g);
  }
  return g;
}

/** subtract_refs: tp_traverse(visit_decref) of every object of the list. */
function subtractRefs(containers: u64): void {
  let g = NEXT(containers);
  while (g != containers) g = subtractRefsSlice(g, containers);
}

function subtractRefsSlice(g: u64, containers: u64): u64 {
  for (let k: i64 = 0; k < GC_SLICE && g != containers; k++) {
    traverse(FROM_GC(g), V_DECREF, 0);
    g = NEXT(g);
  }
  return g;
}

/** moveUnreachable's walk (3.8+) across its slices: the last object kept reachable. */
let walkPrev: u64 = 0;

function moveUnreachableSlice(g: u64, young: u64, unreachable: u64): u64 {
  let prev = walkPrev;
  for (let k: i64 = 0; k < GC_SLICE && g != young; k++) {
    if (getRefs(g) != 0) {
      traverse(FROM_GC(g), V_REACHABLE, young);
      SET_PREV(g, prev);
      clearCollecting(g);
      prev = g;
    } else {
      st64(prev, ld64(g)); // prev->_gc_next = gc->_gc_next
      let last = ld64(unreachable + 8);
      st64(last, NEXT_MASK_UNREACHABLE | g);
      SET_PREV(g, last);
      st64(g, NEXT_MASK_UNREACHABLE | unreachable);
      st64(unreachable + 8, g);
    }
    g = ld64(prev);
  }
  walkPrev = prev;
  return g;
}

/** move_unreachable (3.8+: the singly linked walk that restores _gc_prev; ≤3.7: gc_refs states, tuples untracked here). */
function moveUnreachable(young: u64, unreachable: u64): void {
  if (NEW()) {
    walkPrev = young;
    let g = ld64(young);
    while (g != young) g = moveUnreachableSlice(g, young, unreachable);
    let prev = walkPrev;
    st64(young + 8, prev);
    st64(unreachable, ld64(unreachable) & ~NEXT_MASK_UNREACHABLE);
    return;
  }
  let g = NEXT(young);
  while (g != young) {
    let next: u64;
    if (OLD_REFS(g) != 0) {
      let o = FROM_GC(g);
      OLD_SET_REFS(g, GC_REACHABLE);
      traverse(o, V_REACHABLE, young);
      next = NEXT(g);
      if (typeOf(o) == T.TUPLE) tupleMaybeUntrack(o);
    } else {
      next = NEXT(g);
      listMove(g, unreachable);
      OLD_SET_REFS(g, GC_TENTATIVELY_UNREACHABLE);
    }
    g = next;
  }
}

/** move_legacy_finalizers: none of the modelled types has tp_del; 3.8+ clears NEXT_MASK_UNREACHABLE on each. */
function moveLegacyFinalizers(unreachable: u64): void {
  if (!NEW()) {
    for (let g = NEXT(unreachable); g != unreachable; g = NEXT(g)) {}
    return;
  }
  let g = ld64(unreachable);
  while (g != unreachable) {
    let next = ld64(g) & ~NEXT_MASK_UNREACHABLE;
    st64(g, next);
    g = next;
  }
}

/** finalize_garbage (3.4+): every object is moved to `seen` and back (no tp_finalize among the modelled types). */
function finalizeGarbage(collectable: u64): void {
  if (PY2()) return;
  let seen = GC_SEEN;
  listInit(seen);
  while (!listIsEmpty(collectable)) listMove(NEXT(collectable), seen);
  listMerge(seen, collectable);
}

/** tp_clear of the modelled types (list_clear, dict_clear); others have none. */
function tpClear(o: u64): void {
  let t = typeOf(o);
  if (t == T.LIST) {
    let items = ld64(o + 24);
    if (items == 0) return;
    let i = <i64>ld64(o + 16);
    st64(o + 16, 0);
    st64(o + 24, 0);
    st64(o + 32, 0);
    while (--i >= 0) XDECREF(ld64(items + (<u64>i << 3)));
    memFree(items);
  } else if (t == T.DICT) {
    if (PY2()) {
      let table = ld64(d27Table(o));
      let mask = ld64(o + 32);
      let small = o + 56;
      // dict_clear copies the table aside (small table) or takes it, then starts empty.
      let n = (mask + 1) * 24;
      let copy = kmemAlloc(<usize>n);
      for (let i: u64 = 0; i < n; i += 8) store<u64>(<usize>(copy + <usize>i), ld64(table + i));
      for (let i: u64 = 0; i < 8 * 24; i += 8) st64(small + i, 0);
      st64(o + 16, 0);
      st64(o + 24, 0);
      st64(o + 32, 7);
      st64(o + 40, small);
      for (let i: u64 = 0; i <= mask; i++) {
        let e = copy + <usize>(i * 24);
        let key = load<u64>(e + 8);
        if (key == 0) continue;
        DECREF(key);
        XDECREF(load<u64>(e + 16));
      }
      kmemFree(copy, <usize>n);
      if (table != small) memFree(table);
      return;
    }
    let k = ld64(o + 32);
    if (k == 0) return;
    st64(o + 32, 0); // Py_EMPTY_KEYS
    st64(o + 16, 0);
    st64(o + 24, ld64(o + 24) + 1);
    let n = ld64(k + (VERSION() >= 311 ? 24 : 32));
    let es = entrySize(k);
    let entries = dkEntries(k);
    let keyOff: u64 = es == 16 ? 0 : 8;
    for (let i: u64 = 0; i < n; i++) {
      let e = entries + i * es;
      let key = ld64(e + keyOff);
      if (key == 0) continue;
      DECREF(key);
      XDECREF(ld64(e + keyOff + 8));
    }
    objFree(k);
  }
}

// @ts-ignore: decorator
@inline function d27Table(d: u64): u64 { return d + 40; }

/** delete_garbage: tp_clear each unreachable object; survivors go to the old generation. */
function deleteGarbage(collectable: u64, old: u64): void {
  while (!listIsEmpty(collectable)) {
    let g = NEXT(collectable);
    let o = FROM_GC(g);
    INCREF(o);
    tpClear(o);
    DECREF(o);
    if (NEXT(collectable) == g) {
      if (NEW()) clearCollecting(g);
      else OLD_SET_REFS(g, GC_REACHABLE);
      listMove(g, old);
    }
    if (failed()) return;
  }
}

/** clear_freelists (full collections): the tuple, list, dict and float free lists go back to pymalloc. */
function clearFreeLists(): void {
  let sizes = <i32>param(P.TUPLE_FREELIST_SIZES);
  for (let s = 0; s <= sizes; s++) {
    let head = RT_TUPLE_FREE + (<u64>s << 3);
    let t = ld64(head);
    while (t != 0) {
      let next = ld64(t + 24);
      gcFree(t);
      t = next;
    }
    st64(head, 0);
    st64(RT_TUPLE_NUMFREE + (<u64>s << 3), 0);
  }
  let n = <i64>ld64(RT_LIST_NUMFREE);
  while (n > 0) {
    n--;
    gcFree(ld64(RT_LIST_FREE + (<u64>n << 3)));
  }
  st64(RT_LIST_NUMFREE, 0);
  n = <i64>ld64(RT_DICT_NUMFREE);
  while (n > 0) {
    n--;
    gcFree(ld64(RT_DICT_FREE + (<u64>n << 3)));
  }
  st64(RT_DICT_NUMFREE, 0);
  if (!PY2()) {
    let f = ld64(RT_FLOAT_FREE);
    while (f != 0) {
      let next = ld64(f + 8);
      objFree(f);
      f = next;
    }
    st64(RT_FLOAT_FREE, 0);
    st64(RT_FLOAT_NUMFREE, 0);
  }
  clearPy2NumberFreeLists();
}

/**
 * collect(generation) / gc_collect_main: returns the number of unreachable
 * objects found (gc.collect()'s result: collected + uncollectable).
 */
export function collect(generation: i32): i64 {
  // Counts: the next generation gets one more collection, these are reset.
  if (generation + 1 < 3) st64(genCount(generation + 1), ld64(genCount(generation + 1)) + 1);
  for (let i = 0; i <= generation; i++) st64(genCount(i), 0);
  // Merge the younger generations into this one.
  for (let i = 0; i < generation; i++) listMerge(genHead(i), genHead(generation));
  let young = genHead(generation);
  let old = generation < 2 ? genHead(generation + 1) : young;
  let unreachable = GC_UNREACHABLE;
  listInit(unreachable);

  updateRefs(young);
  subtractRefs(young);
  moveUnreachable(young, unreachable);
  if (NEW()) untrackAll(young, T.TUPLE);

  if (young != old) {
    if (generation == 1) st64(GC_LONG_LIVED_PENDING, ld64(GC_LONG_LIVED_PENDING) + <u64>listSize(young));
    listMerge(young, old);
  } else {
    untrackAll(young, T.DICT);
    st64(GC_LONG_LIVED_PENDING, 0);
    st64(GC_LONG_LIVED_TOTAL, <u64>listSize(young));
  }

  moveLegacyFinalizers(unreachable);
  let m = listSize(unreachable);
  if (m > 0) {
    finalizeGarbage(unreachable);
    if (VERSION() >= 309) {
      // handle_resurrected_objects / check_garbage: refs recomputed over the unreachable set.
      updateRefs(unreachable);
      subtractRefs(unreachable);
    }
    deleteGarbage(unreachable, old);
  }
  if (generation == 2) clearFreeLists();
  st64(GC_LAST_COLLECTED, <u64>m);
  return m;
}

/** collect_generations: the oldest generation over its threshold (a full one only when enough is pending). */
export function collectGenerations(): i64 {
  for (let i = 2; i >= 0; i--) {
    if (ld64(genCount(i)) > ld64(genThreshold(i))) {
      if (i == 2 && ld64(GC_LONG_LIVED_PENDING) < ld64(GC_LONG_LIVED_TOTAL) / 4) continue;
      return collect(i);
    }
  }
  return 0;
}

/**
 * Called by gcMalloc when generation 0's count went over threshold0 (runtime.ts hook):
 * ≤3.11 collects inside the allocation (_PyObject_GC_Alloc / gc_alloc); 3.12+ only
 * schedules it (_Py_ScheduleGC: the eval breaker runs it at the next check).
 */
function onAllocOverThreshold(): void {
  if (ld64(GC_ENABLED) == 0 || ld64(genThreshold(0)) == 0 || ld64(GC_COLLECTING) != 0 || excKind != 0) return;
  if (VERSION() >= 312) {
    st64(GC_SCHEDULED, 1);
    return;
  }
  st64(GC_COLLECTING, 1);
  collectGenerations();
  st64(GC_COLLECTING, 0);
}

/** _Py_RunGC (3.12+), from the evaluator's instruction boundary when GC_SCHEDULED is set. */
export function runScheduledGc(): void {
  st64(GC_SCHEDULED, 0);
  if (ld64(GC_ENABLED) == 0 || ld64(GC_COLLECTING) != 0) return;
  st64(GC_COLLECTING, 1);
  collectGenerations();
  st64(GC_COLLECTING, 0);
}

// @ts-ignore: decorator
@inline export function gcScheduled(): bool {
  return ld64(GC_SCHEDULED) != 0;
}

/** gc.collect(generation=2): -1 if a collection is already running (CPython returns 0 then). */
export function gcCollectBuiltin(generation: i32): i64 {
  if (ld64(GC_COLLECTING) != 0) return 0;
  st64(GC_COLLECTING, 1);
  let n = collect(generation);
  st64(GC_COLLECTING, 0);
  return n;
}

/** gc.freeze(): every generation merged into the permanent one; generation 0's count reset. */
export function gcFreeze(): void {
  for (let i = 0; i < 3; i++) {
    listMerge(genHead(i), GC_PERMANENT);
    st64(genCount(0), 0);
  }
}

/** gc.unfreeze(): the permanent generation merged into the oldest. */
export function gcUnfreeze(): void {
  listMerge(GC_PERMANENT, genHead(2));
}

/** gc.get_freeze_count(): gc_list_size of the permanent generation. */
export function gcFreezeCount(): i64 {
  return listSize(GC_PERMANENT);
}

// --- what-if: Cinder's immortalize-the-heap ---------------------------------------------------------

function immortalizeOne(o: u64): void {
  if (o == 0) return;
  // 3.12-style immortal refcount (the profile's INCREF/DECREF leave it alone when P.IMMORTAL is set).
  st64(o, 0xFFFFFFFF);
}

/** collect, freeze, then every tracked object and everything it refers to made immortal. */
export function immortalizeHeap(): void {
  gcCollectBuiltin(2);
  gcFreeze();
  let head = GC_PERMANENT;
  for (let g = NEXT(head); g != head; g = NEXT(g)) {
    let o = FROM_GC(g);
    immortalizeOne(o);
    traverse(o, V_IMMORTALIZE, 0);
  }
}

// --- the interpreter's start-up population ----------------------------------------------------------

/**
 * Builds the start-up population: empty lists (tracked for good, like the
 * interpreter's module-level containers) in runs of `perPage`, each run followed
 * by untracked blocks of the same size class up to a page, so the tracked heads
 * spread over pages as the real ones do; then generation 2 holds them all.
 */
export function buildStartupHeap(): void {
  st64(GC_COLLECTING, 1);
  // Measured per version (src/sim/interpreter.ts objectParams, docs/cpython/gc.md).
  let n = <i32>param(P.GC_STARTUP_OBJECTS);
  let perPage = <i32>param(P.GC_STARTUP_PER_PAGE);
  let h = GC_HEAD();
  let req: u64 = h + 40; // list object + GC head
  let block: u64 = (req + 15) & ~<u64>15;
  let blocksPerPage = <i32>(4096 / block);
  let made = 0;
  while (made < n) {
    let k = min(perPage, n - made);
    for (let i = 0; i < k; i++) {
      let o = gcMalloc(40);
      if (o == 0) return;
      initVarObject(o, T.LIST, 0);
      st64(o + 24, 0);
      st64(o + 32, 0);
      // link at the end of generation 2 (as start-up collections left them)
      let g = AS_GC(o);
      listAppend(g, genHead(2));
      if (!NEW()) OLD_SET_REFS(g, GC_REACHABLE);
    }
    made += k;
    for (let i = k; i < blocksPerPage; i++) {
      let f = objMalloc(req);
      if (f == 0) return;
      initObject(f, T.BYTES);
    }
  }
  st64(GC_COLLECTING, 0);
  st64(genCount(0), 0);
  st64(GC_LONG_LIVED_TOTAL, <u64>n);
  st64(GC_LONG_LIVED_PENDING, 0);
}

/** Installs the allocation hook (interpreter start-up). */
export function gcInstall(): void {
  setGcAllocHook(onAllocOverThreshold);
}

// --- the gc module's functions (ids as assembly/cpython/builtins.ts B) ------------------------------
const B_GC_COLLECT = 35;
const B_GC_FREEZE = 36;
const B_GC_UNFREEZE = 37;
const B_GC_GET_FREEZE_COUNT = 38;

/** gc.collect([generation]), gc.freeze(), gc.unfreeze(), gc.get_freeze_count(). args: borrowed. */
export function gcBuiltin(id: i32, args: usize, npos: i32): u64 {
  if (id == B_GC_COLLECT) {
    let gen: i64 = 2;
    if (npos > 1) { setExc(Exc.TYPE, 7, id, 0); return 0; }
    if (npos == 1) {
      let a = load<u64>(args);
      if (!isInt(a)) { setExc(Exc.TYPE, 7, id, 0); return 0; }
      gen = intValue(a);
      if (gen < 0 || gen > 2) { setExc(Exc.VALUE, 0, 0, 0); return 0; } // "invalid generation"
    }
    let n = gcCollectBuiltin(<i32>gen);
    if (failed()) return 0;
    return newInt(n);
  }
  if (npos != 0) { setExc(Exc.TYPE, 7, id, 0); return 0; }
  if (id == B_GC_GET_FREEZE_COUNT) return newInt(gcFreezeCount());
  if (id == B_GC_FREEZE) gcFreeze();
  else gcUnfreeze();
  INCREF(Py_None);
  return Py_None;
}
