/**
 * Interpreter state shared by the evaluator and the builtins: the error the
 * current step stopped with, static builtin and module objects, interning,
 * and the process start-up (the interpreter image).
 */
import { DEBUG, Err, raise, failed } from "../config";
import { ld32, st32, ld64, st64 } from "../kernel/memory";
import { LIBPYTHON_DATA } from "./image";
import {
  P, param, PY2, VERSION, T, typeAddr, typeOf, INCREF, DECREF, RT_GLOBALS, RT_INTERNED, RT_EMPTY_TUPLE,
  staticRefcnt, gcInitState, initStaticObjects, RT_MODULES,
} from "./runtime";
import { initSmallInts } from "./numbers";
import { newStrFromUtf8, strEqualsUtf8, initStaticStrs } from "./str";
import { newDict, dictGet, dictSet } from "./dict";
import { newTuple } from "./sequence";
import { installDealloc } from "./objects";
import { buildStartupHeap, gcInstall } from "./gc";

/** Python exceptions a step can end with (the host turns them into messages). */
export const enum Exc {
  NONE = 0,
  NAME = 1, // arg1 = name index
  TYPE = 2, // arg1 = message id, arg2 = type id (a), arg3 = type id (b)
  INDEX = 3,
  KEY = 4,
  ZERO_DIVISION = 5,
  VALUE = 6, // arg1 = message id
  MEMORY = 7,
  OVERFLOW = 8,
  UNSUPPORTED = 9, // arg1 = message id, arg2 = type id
  KILLED = 10, // the process died (simulated SIGSEGV / OOM kill)
  ATTRIBUTE = 11, // arg2 = type id, arg1 = name index
  IMPORT = 12,
  STOP = 13, // not an error: internal
}

export let excKind: i32 = 0;
export let excArg1: i64 = 0;
export let excArg2: i64 = 0;
export let excArg3: i64 = 0;

export function setExc(kind: i32, a1: i64, a2: i64, a3: i64): void {
  if (excKind != 0) return;
  excKind = kind;
  excArg1 = a1;
  excArg2 = a2;
  excArg3 = a3;
}

export function clearExc(): void {
  excKind = 0;
  excArg1 = 0;
  excArg2 = 0;
  excArg3 = 0;
}

// @ts-ignore: decorator
@inline export function excPending(): bool {
  return excKind != 0 || failed();
}

// --- static builtin functions and modules ------------------------------------------------------

/**
 * Builtin function objects (PyCFunctionObject in CPython, made at start-up)
 * are modelled as static objects: 32 bytes each, type BUILTIN, id at @16.
 * Calling one reads and writes its refcount like the real one.
 */
// @ts-ignore: decorator
@inline export const BUILTIN_OBJS: u64 = LIBPYTHON_DATA + 0x10000;
// @ts-ignore: decorator
@inline export const MAX_BUILTINS: i32 = 256;

export function builtinObj(id: i32): u64 {
  return BUILTIN_OBJS + (<u64>id << 5);
}

export function builtinId(o: u64): i32 {
  return <i32>ld64(o + 16);
}

/** Modules (gc, sys, array, multiprocessing.sharedctypes…): static objects, id at @16. */
export function moduleObj(id: i32): u64 {
  return RT_MODULES + (<u64>id << 5);
}

export function moduleId(o: u64): i32 {
  return <i32>ld64(o + 16);
}

// --- interning ----------------------------------------------------------------------------------------

/**
 * PyUnicode_InternFromString: the one str with this text in the interned
 * dict (made and inserted if new). Returns a new reference. Up to 3.11 the
 * dict's two references are not counted (refcnt -= 2); from 3.12 interned
 * strings are immortal.
 */

export function internUtf8(src: usize, n: usize): u64 {
  let s = newStrFromUtf8(src, n);
  if (s == 0) return 0;
  let interned = ld64(RT_INTERNED);
  let found = dictGet(interned, s);
  if (found != 0) {
    DECREF(s);
    INCREF(found);
    return found;
  }
  if (!dictSet(interned, s, s)) return 0;
  if (param(P.IMMORTAL) != 0) {
    st64(s, 0xFFFFFFFF);
  } else {
    st64(s, ld64(s) - 2);
    if (!PY2()) st32(s + 32, (ld32(s + 32) & ~<u32>3) | 1); // SSTATE_INTERNED_MORTAL
    else st32(s + 32, 1);
  }
  return s;
}

// --- start-up -------------------------------------------------------------------------------------

/**
 * What an interpreter has before the first statement of __main__: static
 * objects, the small ints, GC state, the interned dict, the empty tuple,
 * builtin and module objects, and the __main__ namespace (with
 * __builtins__, as exec() adds it).
 */
export function initInterpreter(nbuiltins: i32): void {
  installDealloc();
  initStaticObjects();
  gcInitState();
  let rc = staticRefcnt();
  for (let t = 1; t < <i32>T.COUNT; t++) {
    // A type object's header: refcount and its metatype (type); the rest is not modelled.
    st64(typeAddr(t), rc);
  }
  for (let i = 0; i < nbuiltins; i++) {
    let o = builtinObj(i);
    st64(o, rc);
    st64(o + 8, typeAddr(T.BUILTIN));
    st64(o + 16, <u64>i);
  }
  for (let i = 0; i < 8; i++) {
    let o = moduleObj(i);
    st64(o, rc);
    st64(o + 8, typeAddr(T.MODULE));
    st64(o + 16, <u64>i);
  }
  initSmallInts();
  initStaticStrs();
  let interned = newDict();
  st64(RT_INTERNED, interned);
  let empty = newTuple(0);
  DECREF(empty);
  let globals = newDict();
  st64(RT_GLOBALS, globals);
  buildStartupHeap(); // gc.ts: the interpreter's own tracked objects, in generation 2
  gcInstall();
}
