/**
 * Short-lived callables the evaluator makes as CPython does:
 *
 * - bound builtin methods (PyCFunctionObject: @16 m_ml @24 m_self
 *   @32 m_module, 3.x @40 m_weakreflist, 3.8+ @48 vectorcall): 40 bytes
 *   (2.7), 48 (3.6/3.7), 56 (3.8+) + GC head (measured basicsize,
 *   test/fixtures/probe-sizes.txt). Up to 3.7 freed ones go to a free list
 *   of 256 linked through m_self (methodobject.c PyCFunction_MAXFREELIST).
 *   2.7/3.6 make one per `L.append` (LOAD_ATTR); every version makes one
 *   for reversed()'s __reversed__ lookup.
 * - comprehension and generator expression function objects (MAKE_FUNCTION:
 *   comprehensions in 3.x up to 3.11 and 2.7 set/dict comprehensions,
 *   generator expressions in every version): PyFunctionObject, basicsize 88
 *   (2.7), 112 (3.6/3.7), 120 (3.8/3.9), 128 (3.10), 136 (3.11), 144
 *   (3.12/3.13: + func_typeparams, func_version) + GC head, tracked; it holds
 *   globals and the doc (None).
 * - their frames up to 3.10 (PyFrameObject, a GC var-object of basicsize
 *   384 (2.7/3.6), 368 (3.7–3.9), 360 (3.10) + 8 per local/stack slot):
 *   the code object's zombie frame is reused, else the frame free list
 *   (200, linked through f_back), else a new one; on return the frame
 *   becomes the zombie frame (or goes to the free list).
 */
import { ld64, st64, fillRange } from "../kernel/memory";
import {
  PY2, VERSION, T, initObject, initVarObject, INCREF, DECREF, XDECREF, gcMalloc, gcFree, gcTrack, gcUntrack, RT,
  Py_None, RT_GLOBALS,
} from "./runtime";
import { pyObjectRealloc } from "./obmalloc";

// @ts-ignore: decorator
@inline const RT_METH_NUMFREE: u64 = RT + 0xc90;
// @ts-ignore: decorator
@inline const RT_METH_FREE: u64 = RT + 0xc98;
// @ts-ignore: decorator
@inline const RT_FRAME_NUMFREE: u64 = RT + 0xca0;
// @ts-ignore: decorator
@inline const RT_FRAME_FREE: u64 = RT + 0xca8;

function methodBasicsize(): u64 {
  let v = VERSION();
  return v < 30 ? 40 : v < 308 ? 48 : 56;
}

/** PyCFunction_NewEx(ml, self, NULL): a new reference; self is increfed. */
export function newBoundMethod(self: u64): u64 {
  let m: u64 = 0;
  if (VERSION() < 308) {
    m = ld64(RT_METH_FREE);
    if (m != 0) {
      st64(RT_METH_FREE, ld64(m + 24));
      st64(RT_METH_NUMFREE, ld64(RT_METH_NUMFREE) - 1);
    }
  }
  if (m == 0) {
    m = gcMalloc(methodBasicsize());
    if (m == 0) return 0;
  }
  initObject(m, T.METHOD);
  if (!PY2()) st64(m + 40, 0);
  st64(m + 16, 1); // m_ml: the method's PyMethodDef (static)
  INCREF(self);
  st64(m + 24, self);
  st64(m + 32, 0);
  if (VERSION() >= 308) st64(m + 48, 1); // vectorcall
  gcTrack(m);
  return m;
}

export function boundMethodSelf(m: u64): u64 {
  return ld64(m + 24);
}

export function boundMethodDealloc(m: u64): void {
  gcUntrack(m);
  XDECREF(ld64(m + 24));
  if (VERSION() < 308) {
    let n = ld64(RT_METH_NUMFREE);
    if (n < 256) {
      st64(m + 24, ld64(RT_METH_FREE));
      st64(RT_METH_FREE, m);
      st64(RT_METH_NUMFREE, n + 1);
      return;
    }
  }
  gcFree(m);
}

// --- comprehension functions and frames ------------------------------------------------------------

function functionBasicsize(): u64 {
  let v = VERSION();
  return v < 30 ? 88 : v < 308 ? 112 : v < 310 ? 120 : v < 311 ? 128 : v < 312 ? 136 : 144;
}

/** PyFunction_NewWithQualName for a comprehension's code (MAKE_FUNCTION). */
export function newComprehensionFunction(): u64 {
  let bs = functionBasicsize();
  let f = gcMalloc(bs);
  if (f == 0) return 0;
  fillRange(f + 16, 0, bs - 16);
  initObject(f, T.FUNCTION);
  let globals = ld64(RT_GLOBALS);
  INCREF(globals);
  st64(f + 24, globals);
  INCREF(Py_None);
  st64(f + 56, Py_None); // func_doc
  gcTrack(f);
  return f;
}

export function functionDealloc(f: u64): void {
  gcUntrack(f);
  XDECREF(ld64(f + 24));
  XDECREF(ld64(f + 56));
  gcFree(f);
}

function frameBasicsize(): u64 {
  let v = VERSION();
  return v < 307 ? 384 : v < 310 ? 368 : 360;
}

/** Frames exist per comprehension call up to 3.10 (3.11+: the thread's data stack, not the heap). */
export function comprehensionHasFrame(): bool {
  return VERSION() < 311;
}

/**
 * _PyFrame_New_NoTrack (+ track): the zombie frame (if any), else the free
 * list (resized when too small), else a new GC var-object of `extras` slots.
 */
export function newFrame(zombie: u64, extras: i64, track: bool = true): u64 {
  let f: u64 = zombie;
  if (f != 0) {
    st64(f, 1); // _Py_NewReference
  } else {
    let n = ld64(RT_FRAME_NUMFREE);
    if (n > 0) {
      f = ld64(RT_FRAME_FREE);
      st64(RT_FRAME_FREE, ld64(f + 24));
      st64(RT_FRAME_NUMFREE, n - 1);
      if (<i64>ld64(f + 16) < extras) {
        // PyObject_GC_Resize
        let g = pyObjectRealloc(f - gcHeadSize(), gcHeadSize() + frameBasicsize() + (<u64>extras << 3));
        if (g == 0) return 0;
        f = g + gcHeadSize();
        st64(f + 16, <u64>extras);
      }
      st64(f, 1);
    } else {
      f = gcMalloc(frameBasicsize() + (<u64>extras << 3));
      if (f == 0) return 0;
      initVarObject(f, T.FRAME, extras);
    }
    // f_localsplus NULLed (the locals part), f_locals/f_trace… cleared.
    fillRange(f + frameBasicsize() - 8, 0, 8 * 3);
  }
  st64(f + 8, ld64(f + 8)); // type kept
  let globals = ld64(RT_GLOBALS);
  INCREF(globals);
  st64(f + 40, globals); // f_globals
  if (track) gcTrack(f);
  return f;
}

/** frame_dealloc: untrack, release globals; becomes the zombie (returned) or goes to the free list. */
export function releaseFrame(f: u64, keepAsZombie: bool): u64 {
  gcUntrack(f);
  DECREF(ld64(f + 40));
  if (keepAsZombie) return f;
  freeFrame(f);
  return 0;
}

function freeFrame(f: u64): void {
  let n = ld64(RT_FRAME_NUMFREE);
  if (n < 200) {
    st64(f + 24, ld64(RT_FRAME_FREE)); // f_back
    st64(RT_FRAME_FREE, f);
    st64(RT_FRAME_NUMFREE, n + 1);
  } else {
    gcFree(f);
  }
}

/** code_dealloc of the comprehension's code: its zombie frame is PyObject_GC_Del'ed. */
export function freeZombieFrame(f: u64): void {
  if (f != 0) gcFree(f);
}

import { GC_HEAD } from "./runtime";
function gcHeadSize(): u64 { return GC_HEAD(); }
