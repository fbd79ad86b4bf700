/**
 * Generator objects of generator expressions, as each version makes, runs
 * and frees them (docs/cpython/evaluator.md "Generator expressions" has the
 * sources read and what they say):
 *
 * - creation (GEN_CALL, the genexpr function called with its first iterator):
 *   up to 3.10 a frame (PyFrameObject: the code's zombie frame, the free
 *   list or a new one; tracked at once by 2.7/3.6's PyFrame_New, after the
 *   generator from 3.7) holding `.0`, then the PyGenObject (GC, tracked)
 *   owning it; the call then drops its argument and the function object
 *   (freed). 3.11+: the frame is pushed on the thread's data stack (it takes
 *   the function and the argument), RETURN_GENERATOR makes the generator
 *   (PyObject_GC_NewVar: basicsize + co_nlocalsplus + co_stacksize slots)
 *   and copies the frame into it: the function object lives as long as
 *   that frame (f_func / f_funcobj).
 * - each next() (gen_send_ex / gen_iternext): the generator (and its frame
 *   up to 3.10) are written (gi_running / frame state, f_back), the sent
 *   None pushed (not on the first resume before 3.10), the frame resumed
 *   until YIELD_VALUE hands the value (a new reference) to the consumer.
 * - exhaustion: no StopIteration object; the frame is released at once:
 *   up to 3.10 frame_dealloc (untrack, locals, then the code's zombie frame
 *   or the free list), 3.11+ _PyFrame_Clear (locals, then the function).
 * - dealloc while unfinished: gen_dealloc's untrack / track / finalizer /
 *   untrack; up to 3.11 gen_close throws GeneratorExit in: the error path
 *   makes a traceback object (3.11: and a frame object first, which takes
 *   the frame over), the value stack is popped, then clearing the exception
 *   frees the traceback, which releases the frame. 3.12+ gen_close returns
 *   without throwing for a generator expression (only the implicit
 *   StopIteration handler around the yield); 3.13 clears the locals there;
 *   gen_dealloc clears the frame.
 *
 * The resumable state (pc, value stack, fast locals, where the code is) is
 * kept in host memory (kmem), one block per generator per process, found
 * from the generator object (the slot of its code object, gi_code / f_code,
 * holds it) and checked against (process, generator address): after a fork
 * each process has its own copy (genFork), made when the kernel copies the
 * process. A generator made by a step refers to that step's code, constants
 * and names while the step runs; when the step ends, its surviving
 * generators move to a code block of their own (genMigrate), which keeps
 * references to the constants and names their bodies use (as the genexpr
 * code object does in CPython) until the last of them is freed.
 */
import { DEBUG, failed } from "../config";
import { ld64, st64, st8, fillRange, curPid } from "../kernel/memory";
import { kmemAlloc, kmemFree } from "../kernel/kmem";
import { isAlive } from "../kernel/mm";
import {
  VERSION, T, initObject, initVarObject, INCREF, DECREF, XDECREF, Py_None, gcMalloc, gcFree, gcTrack, gcUntrack,
  GC_HEAD,
} from "./runtime";
import { newFrame, releaseFrame } from "./funcs";
import { Exc, setExc } from "./interp";
import { Msg } from "./ops";
import { runGenFrame, takeZombie, offerZombie } from "./eval";

// --- the per-process state (kmem) ----------------------------------------------------------------

// @ts-ignore: decorator
@inline export const S_PID: usize = 0; // u32
// @ts-ignore: decorator
@inline export const S_STATUS: usize = 4; // u32: CREATED, SUSPENDED, RUNNING, DONE
// @ts-ignore: decorator
@inline export const S_GEN: usize = 8; // the generator object
// @ts-ignore: decorator
@inline export const S_FRAME: usize = 16; // ≤3.10: its frame object (0 once released)
// @ts-ignore: decorator
@inline export const S_FUNC: usize = 24; // 3.11+: the function object the frame holds (0 once cleared)
// @ts-ignore: decorator
@inline export const S_CODE: usize = 32; // code words (the step's, or its code block's)
// @ts-ignore: decorator
@inline export const S_NCODE: usize = 40; // i32
// @ts-ignore: decorator
@inline export const S_HDR: usize = 44; // i32: pc of the body's GEN_HEADER
// @ts-ignore: decorator
@inline export const S_CONSTS: usize = 48;
// @ts-ignore: decorator
@inline export const S_NAMES: usize = 56;
// @ts-ignore: decorator
@inline export const S_INFO: usize = 64;
// @ts-ignore: decorator
@inline export const S_CACHE: usize = 72; // inline caches, indexed by pc (shared with the code's other frames)
// @ts-ignore: decorator
@inline export const S_BLOCK: usize = 80; // its code block, 0 while the step that made it runs
// @ts-ignore: decorator
@inline export const S_PC: usize = 88; // i32
// @ts-ignore: decorator
@inline export const S_SP: usize = 92; // i32
// @ts-ignore: decorator
@inline export const S_NLOCALS: usize = 96; // i32
// @ts-ignore: decorator
@inline const S_STACKCAP: usize = 100; // i32
// @ts-ignore: decorator
@inline const S_SLOTS: usize = 104; // i32: co_nlocals + co_stacksize
// @ts-ignore: decorator
@inline const S_ID: usize = 108; // i32: the generator expression's id in its step
// @ts-ignore: decorator
@inline const S_NEXT: usize = 112;
// @ts-ignore: decorator
@inline const S_PREV: usize = 120;
// @ts-ignore: decorator
@inline const S_BYTES: usize = 128; // u32: size of the block
// @ts-ignore: decorator
@inline export const S_LOCALS: usize = 136;
// @ts-ignore: decorator
@inline export const S_STACK: usize = 144;
// @ts-ignore: decorator
@inline const S_HEADER: usize = 160;

export const enum GenStatus { CREATED = 0, SUSPENDED = 1, RUNNING = 2, DONE = 3 }

/** Every generator state of every process: a doubly linked list. */
let states: usize = 0;

// --- code blocks: a step's code, constants and names kept for its surviving generators ------------

// @ts-ignore: decorator
@inline const B_PID: usize = 0; // u32
// @ts-ignore: decorator
@inline const B_REFS: usize = 4; // u32: states using it
// @ts-ignore: decorator
@inline const B_NCODE: usize = 8; // i32
// @ts-ignore: decorator
@inline const B_NCONSTS: usize = 12; // i32
// @ts-ignore: decorator
@inline const B_NNAMES: usize = 16; // i32
// @ts-ignore: decorator
@inline const B_BYTES: usize = 20; // u32
// @ts-ignore: decorator
@inline const B_CODE: usize = 24;
// @ts-ignore: decorator
@inline const B_CONSTS: usize = 32;
// @ts-ignore: decorator
@inline const B_NAMES: usize = 40;
// @ts-ignore: decorator
@inline const B_INFO: usize = 48;
// @ts-ignore: decorator
@inline const B_CACHE: usize = 56;
// @ts-ignore: decorator
@inline const B_CLONE: usize = 64; // while forking: the child's copy
// @ts-ignore: decorator
@inline const B_HEADER: usize = 80;

// --- per-version layout ------------------------------------------------------------------------

/**
 * PyGenObject's basicsize (measured __basicsize__, test/fixtures/getsizeof.json): 48 (2.7: gi_frame,
 * gi_running, gi_code, gi_weakreflist), 64 (3.6: + gi_name, gi_qualname), 96 (3.7–3.9: + gi_exc_state),
 * 88 (3.10: gi_running gone), 152 (3.11: the _PyInterpreterFrame inside, up to localsplus), 144 (3.12+).
 */
export function genBasicsize(): u64 {
  let v = VERSION();
  return v < 30 ? 48 : v < 307 ? 64 : v < 310 ? 96 : v < 311 ? 88 : v < 312 ? 152 : 144;
}

/** The generator's code-object slot, where the state is found: gi_code (≤3.11), gi_iframe.f_code (3.12+). */
function stateSlot(): u64 {
  let v = VERSION();
  return v < 310 ? 32 : v < 311 ? 24 : v < 312 ? 16 : 72;
}

/**
 * What gen_send_ex writes in the generator on each resume: gi_running (≤3.9, @24),
 * gi_exc_state.previous_item (3.10, @80), gi_frame_state (3.11 @75, 3.12+ @67).
 */
function resumeWrite(gen: u64, on: bool): void {
  let v = VERSION();
  if (v < 310) st64(gen + 24, on ? 1 : 0);
  else if (v < 311) st64(gen + 80, 0);
  else st8(gen + (v < 312 ? 75 : 67), on ? 2 : 1);
}

/** gi_frame_state (3.11+): FRAME_CLEARED. */
function markCleared(gen: u64): void {
  let v = VERSION();
  st8(gen + (v < 312 ? 75 : 67), 4);
}

/** The _PyInterpreterFrame's f_func / f_funcobj slot inside a 3.11+ generator. */
function funcSlot(): u64 {
  return VERSION() < 312 ? 80 : 88;
}

/** PyFrameObject's basicsize in 3.11+ (frame objects made for tracebacks): 120, 136 in 3.13. */
function frameObjectBasicsize(): u64 {
  return VERSION() < 313 ? 120 : 136;
}

// --- states ------------------------------------------------------------------------------------

function link(s: usize): void {
  store<usize>(s + S_NEXT, states);
  store<usize>(s + S_PREV, 0);
  if (states != 0) store<usize>(states + S_PREV, s);
  states = s;
}

function unlink(s: usize): void {
  let next = load<usize>(s + S_NEXT), prev = load<usize>(s + S_PREV);
  if (prev != 0) store<usize>(prev + S_NEXT, next);
  else states = next;
  if (next != 0) store<usize>(next + S_PREV, prev);
}

/** Frees a state's host memory (and its code block's share); drop: the process is gone, release no object. */
function freeState(s: usize, drop: bool): void {
  unlink(s);
  let b = load<usize>(s + S_BLOCK);
  if (b != 0) blockRelease(b, drop);
  kmemFree(s, <usize>load<u32>(s + S_BYTES));
}

/**
 * The state of generator `gen` in the current process (0: none). After a fork the generator's slot
 * still names the parent's state: this process's copy is looked up, and with `claim` written back
 * (only where CPython writes the generator anyway).
 */
export function genState(gen: u64, claim: bool): usize {
  let s = <usize>ld64(gen + stateSlot());
  if (s != 0 && load<u32>(s + S_PID) == curPid && load<u64>(s + S_GEN) == gen) return s;
  for (let p = states; p != 0; p = load<usize>(p + S_NEXT)) {
    if (load<u32>(p + S_PID) == curPid && load<u64>(p + S_GEN) == gen) {
      if (claim) st64(gen + stateSlot(), <u64>p);
      return p;
    }
  }
  return 0;
}

// @ts-ignore: decorator
@inline function hdrArg(code: usize, hdr: i32, i: i32): i32 {
  return <i32>(load<u32>(code + (<usize>(hdr + i) << 2)) >> 8);
}

/**
 * GEN_CALL: the generator of the body at `hdr` (GEN_HEADER: id, nlocals, body length,
 * co_stacksize, co_nlocals), called with `iter`; takes the references to `fn` and `iter`.
 * Returns the generator (a new reference) or 0.
 */
export function newGenerator(
  fn: u64, iter: u64, code: usize, ncode: i32, consts: usize, names: usize, info: usize, cache: usize,
  block: usize, hdr: i32,
): u64 {
  let id = <i32>(load<u32>(code + (<usize>hdr << 2)) >> 8);
  let nlocals = hdrArg(code, hdr, 1);
  let bodyLen = hdrArg(code, hdr, 2);
  let slots = hdrArg(code, hdr, 3) + hdrArg(code, hdr, 4);
  let stackCap = bodyLen + 8;
  let bytes = S_HEADER + (<usize>(nlocals + stackCap) << 3);
  let s = kmemAlloc(bytes);
  if (s == 0) return 0;
  store<u32>(s + S_PID, curPid);
  store<u32>(s + S_STATUS, GenStatus.CREATED);
  store<usize>(s + S_CODE, code);
  store<i32>(s + S_NCODE, ncode);
  store<i32>(s + S_HDR, hdr);
  store<usize>(s + S_CONSTS, consts);
  store<usize>(s + S_NAMES, names);
  store<usize>(s + S_INFO, info);
  store<usize>(s + S_CACHE, cache);
  store<usize>(s + S_BLOCK, block);
  store<i32>(s + S_PC, hdr + 5);
  store<i32>(s + S_SP, 0);
  store<i32>(s + S_NLOCALS, nlocals);
  store<i32>(s + S_STACKCAP, stackCap);
  store<i32>(s + S_SLOTS, slots);
  store<i32>(s + S_ID, id);
  store<u32>(s + S_BYTES, <u32>bytes);
  store<usize>(s + S_LOCALS, s + S_HEADER);
  store<usize>(s + S_STACK, s + S_HEADER + (<usize>nlocals << 3));
  let locals = s + S_HEADER;
  let gen: u64;
  if (VERSION() < 311) {
    // _PyFrame_New_NoTrack (2.7/3.6 PyFrame_New also tracks it); the argument goes to .0 with an incref.
    let z = block == 0 ? takeZombie(id) : 0;
    let f = newFrame(z, <i64>slots, VERSION() < 307);
    if (f == 0) { kmemFree(s, bytes); return 0; }
    INCREF(iter);
    store<u64>(locals, iter);
    gen = gcMalloc(genBasicsize());
    if (gen == 0) { kmemFree(s, bytes); return 0; }
    fillRange(gen + 16, 0, genBasicsize() - 16);
    initObject(gen, T.GENERATOR);
    st64(gen + 16, f); // gi_frame
    store<u64>(s + S_FRAME, f);
    st64(gen + stateSlot(), <u64>s);
    gcTrack(gen);
    if (VERSION() >= 307) gcTrack(f); // _PyObject_GC_TRACK(f) after the generator is made
    // CALL_FUNCTION drops its argument and the function (func_dealloc).
    DECREF(iter);
    DECREF(fn);
  } else {
    // _PyEvalFramePushAndInit takes the function and the argument; RETURN_GENERATOR copies the frame in.
    store<u64>(locals, iter);
    let size = genBasicsize() + (<u64>slots << 3);
    gen = gcMalloc(size);
    if (gen == 0) { kmemFree(s, bytes); return 0; }
    fillRange(gen + 16, 0, size - 16);
    initVarObject(gen, T.GENERATOR, slots);
    st64(gen + funcSlot(), fn);
    store<u64>(s + S_FUNC, fn);
    st64(gen + stateSlot(), <u64>s);
    st8(gen + (VERSION() < 312 ? 75 : 67), 0); // FRAME_CREATED
    gcTrack(gen);
  }
  store<u64>(s + S_GEN, gen);
  if (block != 0) store<u32>(block + B_REFS, load<u32>(block + B_REFS) + 1);
  link(s);
  return gen;
}

/** tp_iternext of a generator (gen_iternext → gen_send_ex): the next value (a new reference) or 0. */
export function genNext(gen: u64): u64 {
  let s = genState(gen, true);
  if (s == 0) return 0;
  let st = load<u32>(s + S_STATUS);
  if (st == GenStatus.DONE) return 0;
  if (st == GenStatus.RUNNING) {
    setExc(Exc.VALUE, Msg.GENERATOR_RUNNING, 0, 0);
    return 0;
  }
  // The sent value (None) is pushed and popped again by the body (not on the first resume up to 3.9).
  if (st == GenStatus.SUSPENDED || VERSION() >= 310) {
    INCREF(Py_None);
    DECREF(Py_None);
  }
  let f = load<u64>(s + S_FRAME);
  if (f != 0) st64(f + 24, 0); // f->f_back = the caller's frame (set, then cleared)
  resumeWrite(gen, true);
  store<u32>(s + S_STATUS, GenStatus.RUNNING);
  let v = runGenFrame(s);
  if (failed()) return 0;
  if (v != 0) {
    store<u32>(s + S_STATUS, GenStatus.SUSPENDED);
    resumeWrite(gen, false);
    return v;
  }
  // Returned or raised: the frame is released at once.
  store<u32>(s + S_STATUS, GenStatus.DONE);
  resumeWrite(gen, false);
  releaseGenFrame(gen, s);
  return 0;
}

/** Drops what is on the state's value stack (top first) and its fast locals (in order), if `locals`. */
function clearStack(s: usize): void {
  let stack = load<usize>(s + S_STACK);
  let sp = load<i32>(s + S_SP);
  while (sp > 0) {
    sp--;
    let v = load<u64>(stack + (<usize>sp << 3));
    store<u64>(stack + (<usize>sp << 3), 0);
    XDECREF(v);
  }
  store<i32>(s + S_SP, 0);
}

function clearLocals(s: usize): void {
  let locals = load<usize>(s + S_LOCALS);
  let n = load<i32>(s + S_NLOCALS);
  for (let i = 0; i < n; i++) {
    let v = load<u64>(locals + (<usize>i << 3));
    store<u64>(locals + (<usize>i << 3), 0);
    XDECREF(v);
  }
}

/**
 * The frame is let go of (gen_send_ex after a return, gen_dealloc): up to 3.10
 * gi_frame = NULL and frame_dealloc (untrack, locals, then the value stack, the
 * globals, the code's zombie frame or the free list); 3.11+ FRAME_CLEARED and
 * _PyFrame_Clear (locals and stack in order, then the function).
 */
function releaseGenFrame(gen: u64, s: usize): void {
  if (VERSION() < 311) {
    let f = load<u64>(s + S_FRAME);
    if (f == 0) return;
    store<u64>(s + S_FRAME, 0);
    st64(gen + 16, 0);
    frameDealloc(s, f);
  } else {
    let fn = load<u64>(s + S_FUNC);
    if (fn == 0) return;
    markCleared(gen);
    clearLocals(s);
    clearStack(s);
    store<u64>(s + S_FUNC, 0);
    DECREF(fn);
  }
}

/** frame_dealloc of a generator's frame (≤3.10). */
function frameDealloc(s: usize, f: u64): void {
  gcUntrack(f);
  clearLocals(s);
  clearStack(s);
  let keep = load<usize>(s + S_BLOCK) == 0 && offerZombie(load<i32>(s + S_ID), f);
  releaseFrame(f, keep);
}

/**
 * gen_dealloc. Up to 3.11 an unfinished generator is closed by throwing
 * GeneratorExit into its frame (a traceback object; 3.11: a frame object
 * first); 3.12+ clears the frame without running it.
 */
export function genDealloc(gen: u64): void {
  let s = genState(gen, true);
  let v = VERSION();
  gcUntrack(gen);
  gcTrack(gen); // _PyObject_GC_TRACK(self) before the finalizer (2.7: before tp_del)
  let st = s != 0 ? load<u32>(s + S_STATUS) : GenStatus.DONE;
  let unfinished = st == GenStatus.CREATED || st == GenStatus.SUSPENDED;
  // 3.x PyObject_CallFinalizerFromDealloc resurrects the object around _PyGen_Finalize (2.7's gen_del only
  // for a paused generator).
  if (v >= 30 || unfinished) st64(gen, 1);
  if (unfinished) {
    if (v < 312) closeByThrow(gen, s, st);
    else if (v >= 313 && st == GenStatus.SUSPENDED) {
      // gen_close: FRAME_COMPLETED and _PyFrame_ClearLocals
      clearLocals(s);
      clearStack(s);
    }
  }
  if (v >= 30 || unfinished) st64(gen, 0);
  gcUntrack(gen);
  if (s != 0) {
    releaseGenFrame(gen, s);
    freeState(s, false);
  }
  gcFree(gen);
}

/**
 * gen_close up to 3.11: GeneratorExit thrown in. gen_send_ex pushes the sent None
 * (not into a frame that never ran, ≤3.9); the eval loop's error path records a
 * traceback (3.11: after making the frame object it needs); the value stack is
 * unwound; the frame exits and gen_send_ex lets it go, but the traceback still
 * holds it (3.11: the frame object takes the frame over); PyErr_Clear frees the
 * traceback, which releases the frame (3.11: the frame object: the function,
 * then the locals).
 */
function closeByThrow(gen: u64, s: usize, st: u32): void {
  let v = VERSION();
  if (st == GenStatus.SUSPENDED || v >= 310) {
    INCREF(Py_None);
    let sp = load<i32>(s + S_SP);
    store<u64>(load<usize>(s + S_STACK) + (<usize>sp << 3), Py_None);
    store<i32>(s + S_SP, sp + 1);
  }
  resumeWrite(gen, true);
  let f = load<u64>(s + S_FRAME);
  let fo: u64 = f;
  if (v >= 311) {
    // _PyFrame_MakeAndSetFrameObject: _PyFrame_New_NoTrack(code), co_nlocalsplus + co_stacksize slots.
    let slots = load<i32>(s + S_SLOTS);
    fo = gcMalloc(frameObjectBasicsize() + (<u64>slots << 3));
    if (fo == 0) return;
    fillRange(fo + 16, 0, frameObjectBasicsize() - 16);
    initVarObject(fo, T.FRAME, slots);
  }
  // PyTraceBack_Here: tb_create_raw (PyObject_GC_New, 40 bytes: tb_next, tb_frame, tb_lasti, tb_lineno), tracked.
  let tb = gcMalloc(40);
  if (tb == 0) return;
  initObject(tb, T.TRACEBACK);
  st64(tb + 16, 0);
  INCREF(fo);
  st64(tb + 24, fo);
  st64(tb + 32, 0);
  gcTrack(tb);
  clearStack(s);
  store<u32>(s + S_STATUS, GenStatus.DONE);
  resumeWrite(gen, false);
  if (v < 311) {
    // gi_frame = NULL; Py_DECREF(f): the traceback's reference keeps it.
    st64(gen + 16, 0);
    store<u64>(s + S_FRAME, 0);
    st64(f, ld64(f) - 1);
  } else {
    // FRAME_CLEARED; _PyFrame_Clear: frame_obj shared → take_ownership (the frame is copied into it, tracked).
    markCleared(gen);
    fillRange(fo + 48, 0, frameObjectBasicsize() - 48 + (<u64>load<i32>(s + S_NLOCALS) << 3));
    gcTrack(fo);
    st64(fo, ld64(fo) - 1);
  }
  // PyErr_Clear → tb_dealloc: untrack, tb_frame released (frame_dealloc), PyObject_GC_Del.
  gcUntrack(tb);
  if (v < 311) {
    st64(f, 0);
    frameDealloc(s, f);
  } else {
    st64(fo, 0);
    gcUntrack(fo);
    let fn = load<u64>(s + S_FUNC);
    store<u64>(s + S_FUNC, 0);
    if (fn != 0) DECREF(fn);
    clearLocals(s);
    gcFree(fo);
  }
  gcFree(tb);
}

/** sys.getsizeof(generator): gen_sizeof (3.11+: the frame's slots too) plus the GC head; -1 if unknown. */
export function genSizeof(gen: u64): i64 {
  let n = <i64>genBasicsize() + <i64>GC_HEAD();
  if (VERSION() < 311) return n;
  let s = genState(gen, false);
  if (s == 0) return -1;
  return n + (<i64>load<i32>(s + S_SLOTS) << 3);
}

// --- steps, forks and exits ----------------------------------------------------------------------

function refIndexKind(op: u32): i32 {
  // 1: a constant index, 2: a name index, 0: neither (Op numbers of src/python/bytecode.ts).
  if (op == 1) return 1; // LOAD_CONST
  if (op == 2 || op == 3 || op == 4 || op == 34 || op == 37) return 2; // LOAD/STORE/DELETE_NAME, LOAD_METHOD, LOAD_ATTR
  return 0;
}

/**
 * The end of a step (its code at `code`): this process's generators still using
 * the step's code move to a code block holding copies of the code, the constant
 * and name tables, the name infos and the inline caches, and references to the
 * constants and names their bodies (and the bodies they create) use.
 */
export function genMigrate(code: usize, ncode: i32, consts: usize, names: usize, info: usize, cache: usize): void {
  let any = false;
  for (let p = states; p != 0; p = load<usize>(p + S_NEXT)) {
    if (load<u32>(p + S_PID) == curPid && load<usize>(p + S_CODE) == code) { any = true; break; }
  }
  if (!any) return;
  // Table sizes: the highest index any instruction uses.
  let nconsts = 0, nnames = 0;
  for (let i = 0; i < ncode; i++) {
    let insn = load<u32>(code + (<usize>i << 2));
    let k = refIndexKind(insn & 0xff);
    let a = <i32>(insn >> 8);
    if (k == 1 && a + 1 > nconsts) nconsts = a + 1;
    else if (k == 2 && a + 1 > nnames) nnames = a + 1;
  }
  let cacheBytes = <usize>ncode << 4;
  let bytes = B_HEADER + cacheBytes + (<usize>nconsts << 3) + (<usize>nnames << 3) + (<usize>ncode << 2) + <usize>nnames * 12;
  let b = kmemAlloc(bytes);
  if (b == 0) return;
  store<u32>(b + B_PID, curPid);
  store<i32>(b + B_NCODE, ncode);
  store<i32>(b + B_NCONSTS, nconsts);
  store<i32>(b + B_NNAMES, nnames);
  store<u32>(b + B_BYTES, <u32>bytes);
  let bc = b + B_HEADER;
  store<usize>(b + B_CACHE, bc);
  memory.copy(bc, cache, cacheBytes);
  let bk = bc + cacheBytes;
  store<usize>(b + B_CONSTS, bk);
  let bn = bk + (<usize>nconsts << 3);
  store<usize>(b + B_NAMES, bn);
  let bcode = bn + (<usize>nnames << 3);
  store<usize>(b + B_CODE, bcode);
  memory.copy(bcode, code, <usize>ncode << 2);
  let binfo = bcode + (<usize>ncode << 2);
  store<usize>(b + B_INFO, binfo);
  memory.copy(binfo, info, <usize>nnames * 12);
  // The bodies reachable from the surviving generators (a body's GEN_CALLs name further bodies).
  let mark = kmemAlloc(<usize>ncode);
  if (mark == 0) { kmemFree(b, bytes); return; }
  let todo = kmemAlloc(<usize>ncode << 2);
  if (todo == 0) { kmemFree(mark, <usize>ncode); kmemFree(b, bytes); return; }
  let ntodo = 0;
  for (let p = states; p != 0; p = load<usize>(p + S_NEXT)) {
    if (load<u32>(p + S_PID) != curPid || load<usize>(p + S_CODE) != code) continue;
    let h = load<i32>(p + S_HDR);
    if (load<u8>(mark + <usize>h) == 0) { store<u8>(mark + <usize>h, 1); store<i32>(todo + (<usize>ntodo << 2), h); ntodo++; }
  }
  while (ntodo > 0) {
    ntodo--;
    let h = load<i32>(todo + (<usize>ntodo << 2));
    let len = hdrArg(code, h, 2);
    for (let i = h + 5; i < h + len; i++) {
      let insn = load<u32>(code + (<usize>i << 2));
      let op = insn & 0xff;
      let a = <i32>(insn >> 8);
      let k = refIndexKind(op);
      if (k == 1 && load<u64>(bk + (<usize>a << 3)) == 0) {
        let o = load<u64>(consts + (<usize>a << 3));
        INCREF(o);
        store<u64>(bk + (<usize>a << 3), o);
      } else if (k == 2 && load<u64>(bn + (<usize>a << 3)) == 0) {
        let o = load<u64>(names + (<usize>a << 3));
        INCREF(o);
        store<u64>(bn + (<usize>a << 3), o);
      } else if (op == 50 && load<u8>(mark + <usize>a) == 0) { // GEN_CALL
        store<u8>(mark + <usize>a, 1);
        store<i32>(todo + (<usize>ntodo << 2), a);
        ntodo++;
      }
    }
  }
  kmemFree(todo, <usize>ncode << 2);
  kmemFree(mark, <usize>ncode);
  let refs: u32 = 0;
  for (let p = states; p != 0; p = load<usize>(p + S_NEXT)) {
    if (load<u32>(p + S_PID) != curPid || load<usize>(p + S_CODE) != code) continue;
    store<usize>(p + S_CODE, bcode);
    store<usize>(p + S_CONSTS, bk);
    store<usize>(p + S_NAMES, bn);
    store<usize>(p + S_INFO, binfo);
    store<usize>(p + S_CACHE, bc);
    store<usize>(p + S_BLOCK, b);
    refs++;
  }
  store<u32>(b + B_REFS, refs);
}

/** One state fewer uses the block; the last one releases its references (unless the process is gone). */
function blockRelease(b: usize, drop: bool): void {
  let refs = load<u32>(b + B_REFS) - 1;
  store<u32>(b + B_REFS, refs);
  if (refs > 0) return;
  if (!drop) {
    if (DEBUG) assert(load<u32>(b + B_PID) == curPid);
    let bk = load<usize>(b + B_CONSTS), bn = load<usize>(b + B_NAMES);
    let nk = load<i32>(b + B_NCONSTS), nn = load<i32>(b + B_NNAMES);
    for (let i = nn - 1; i >= 0; i--) XDECREF(load<u64>(bn + (<usize>i << 3)));
    for (let i = nk - 1; i >= 0; i--) XDECREF(load<u64>(bk + (<usize>i << 3)));
  }
  kmemFree(b, <usize>load<u32>(b + B_BYTES));
}

/** A fork: the child gets a copy of each of the parent's generator states (and code blocks). */
export function genFork(parent: u32, child: u32): void {
  let p = states;
  while (p != 0) {
    let next = load<usize>(p + S_NEXT);
    if (load<u32>(p + S_PID) == parent) {
      let bytes = <usize>load<u32>(p + S_BYTES);
      let c = kmemAlloc(bytes);
      if (c == 0) break; // out of host memory (Err.HOST_MEMORY is raised)
      memory.copy(c, p, bytes);
      store<u32>(c + S_PID, child);
      store<usize>(c + S_LOCALS, c + S_HEADER);
      store<usize>(c + S_STACK, c + S_HEADER + (<usize>load<i32>(p + S_NLOCALS) << 3));
      let b = load<usize>(p + S_BLOCK);
      if (b != 0) {
        let cb = load<usize>(b + B_CLONE);
        if (cb == 0) {
          let bb = <usize>load<u32>(b + B_BYTES);
          cb = kmemAlloc(bb);
          if (cb == 0) { kmemFree(c, bytes); break; }
          memory.copy(cb, b, bb);
          store<u32>(cb + B_PID, child);
          store<u32>(cb + B_REFS, 0);
          store<usize>(cb + B_CLONE, 0);
          let d = cb - b;
          for (let off: usize = B_CODE; off <= B_CACHE; off += 8) store<usize>(cb + off, load<usize>(b + off) + d);
          store<usize>(b + B_CLONE, cb);
        }
        let d = cb - b;
        for (let off: usize = S_CODE; off <= S_CACHE; off += 8) {
          if (off == S_NCODE) continue;
          store<usize>(c + off, load<usize>(p + off) + d);
        }
        store<usize>(c + S_BLOCK, cb);
        store<u32>(cb + B_REFS, load<u32>(cb + B_REFS) + 1);
      }
      link(c);
    }
    p = next;
  }
  for (let q = states; q != 0; q = load<usize>(q + S_NEXT)) {
    let b = load<usize>(q + S_BLOCK);
    if (b != 0) store<usize>(b + B_CLONE, 0);
  }
}

/** A process is gone: its states are freed without touching its memory (and any of a dead process). */
export function genDropDead(): void {
  let p = states;
  while (p != 0) {
    let next = load<usize>(p + S_NEXT);
    if (!isAlive(load<u32>(p + S_PID))) freeState(p, true);
    p = next;
  }
}

/** How many generator states exist (all processes); for tests. */
export function genStateCount(): i32 {
  let n = 0;
  for (let p = states; p != 0; p = load<usize>(p + S_NEXT)) n++;
  return n;
}
