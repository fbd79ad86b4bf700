/**
 * The bytecode evaluator: runs one compiled step in the current process,
 * doing to the simulated heap what that version's ceval does — the same
 * increfs and decrefs, the same temporaries and iterator objects.
 *
 * Bytecode (made by src/python/compiler.ts): u32 words, opcode in the low
 * 8 bits, argument in the high 24. Jump arguments are instruction indices.
 * Constants are objects the host made in the heap before the run (the
 * code object's co_consts); names are interned strs (co_names).
 *
 * The value stack and fast locals live in the evaluator's own memory, not in
 * the simulated heap: the writes a real frame takes (a page or two per
 * process) are not modelled (docs/cpython/evaluator.md).
 *
 * The loop (interpret) is re-entrant: a generator's frame (gen.ts) runs in a
 * nested call, from FOR_ITER or from a builtin consuming it, until its
 * YIELD_VALUE returns the value; its pc, value stack and locals stay in the
 * generator's state. What is module-level here is either per step
 * (errPc, the comprehension zombie frames, topCode) or a stack each nested
 * run leaves as it found it (the comprehension calls in progress).
 */
import { DEBUG, Err, raise, failed, lastError, lastErrorValue } from "../config";
import { ld64, ld32, st64, rd, curPid, currentAlive, touchForWrite, slotMoves } from "../kernel/memory";
import { PAGE_SHIFT, PAGE_SIZE, PAGE_MASK } from "../kernel/frames";
import { kmemAlloc, kmemFree } from "../kernel/kmem";
import {
  P, param, PY2, VERSION, T, typeOf, INCREF, DECREF, XDECREF, Py_None, Py_True, Py_False, newBool, RT_GLOBALS,
  REFCNT,
} from "./runtime";
import { newInt, intValue, isInt, newFloat } from "./numbers";
import { newTuple, tupleSize, tupleItem, tupleSetItem, newList, listSize, listItem, listSetItem, listAppend, listAppendSteal } from "./sequence";
import { newDict, dictGet, dictSet, dictDel, dictGetCached, dictSetCached, dictCachedValueSlot } from "./dict";
import { iterNext, ITER_DONE } from "./iter";
import { binaryOp, compareOp, truthy, getItem, setItem, delItem, getIter, strOf, appendStr, Msg } from "./ops";
import { emptyStr, newStrFromUtf8 } from "./str";
import { textReset, textPtr, textLen } from "./text";
import { intUnary } from "./long";
import { Exc, setExc, excKind, excPending, builtinObj, moduleObj, moduleId, builtinId } from "./interp";
import { callObject, callMethod, callMethodKw } from "./builtins";
import { initObject, gcMalloc, gcTrack, gcIsTracked } from "./runtime";
import { mayBeContainer } from "./compare";
import { newSet, setAdd } from "./set";
import {
  newBoundMethod, boundMethodSelf, newComprehensionFunction, comprehensionHasFrame, newFrame, releaseFrame,
  freeZombieFrame,
} from "./funcs";
import { gcScheduled, runScheduledGc } from "./gc";
import {
  newGenerator, genMigrate, genDropDead, S_CODE, S_NCODE, S_CONSTS, S_NAMES, S_INFO, S_CACHE, S_BLOCK, S_PC, S_SP,
  S_LOCALS, S_STACK,
} from "./gen";

export const enum Op {
  NOP = 0,
  LOAD_CONST = 1,
  LOAD_NAME = 2,
  STORE_NAME = 3,
  DELETE_NAME = 4,
  POP_TOP = 5,
  DUP_TOP = 6,
  ROT_TWO = 7,
  ROT_THREE = 8,
  BINARY_OP = 9,
  UNARY_NEG = 10,
  UNARY_NOT = 11,
  UNARY_POS = 12,
  UNARY_INVERT = 13,
  COMPARE_OP = 14,
  BUILD_TUPLE = 15,
  BUILD_LIST = 16,
  BUILD_MAP = 17,
  BUILD_SET = 18,
  LIST_APPEND = 19,
  SET_ADD = 20,
  MAP_ADD = 21,
  BINARY_SUBSCR = 22,
  STORE_SUBSCR = 23,
  DELETE_SUBSCR = 24,
  BUILD_SLICE = 25,
  GET_ITER = 26,
  FOR_ITER = 27,
  JUMP = 28,
  POP_JUMP_IF_FALSE = 29,
  POP_JUMP_IF_TRUE = 30,
  JUMP_IF_FALSE_OR_POP = 31,
  JUMP_IF_TRUE_OR_POP = 32,
  CALL = 33, // arg: argc | nkw << 12 (kw names: a const tuple pushed last)
  LOAD_METHOD = 34, // arg: method id | name index << 8
  CALL_METHOD = 35, // arg: argc
  IMPORT_MODULE = 36, // arg: module id
  LOAD_ATTR = 37, // arg: name index (module attributes)
  UNPACK_SEQUENCE = 38,
  LOAD_FAST = 39,
  STORE_FAST = 40,
  RETURN = 41,
  INPLACE_OP = 42, // like BINARY_OP (ints/strs are immutable; lists extend in place)
  POP_ITER = 43, // end of a loop left with break: drop the iterator
  LOAD_BUILTIN = 44, // unused
  DUP_TOP_TWO = 45,
  COMP_ENTER = 46,
  COMP_CALL = 47, // arg: frame extras
  COMP_EXIT = 48, // arg: comprehension id
  GEN_FUNC = 49, // arg: generator expression id
  GEN_CALL = 50, // arg: pc of its body's GEN_HEADER
  GEN_HEADER = 51,
  YIELD_VALUE = 52,
  GEN_RETURN = 53,
  FORMAT_VALUE = 54, // arg: 1 for `!s` (PyObject_Str first), else 0: an f-string's replacement field
  BUILD_STRING = 55, // arg: pieces: _PyUnicode_JoinArray of the strs on the stack
  LOAD_METHOD_KW = 56, // LOAD_METHOD for a call with keyword arguments: up to 3.10 a bound method (LOAD_ATTR)
  CALL_METHOD_KW = 57, // arg: argc | nkw << 12, the names tuple on top: CALL_METHOD with keyword arguments
}

/** Comprehension calls in progress: (function, frame) pairs; zombie frames per comprehension id of the step. */
const compStack = memory.data(64 * 16);
let compDepth: i32 = 0;
const MAX_COMPS: i32 = 1024;
const zombies = memory.data(1024 * 8);
let zombieMax: i32 = 0;

/** Comprehension calls left by an exception, down to depth `base`: their frames freed, their functions released. */
function releaseComprehensionsAbove(base: i32): void {
  while (compDepth > base) {
    compDepth--;
    let f = load<u64>(compStack + (<usize>compDepth << 4));
    let fr = load<u64>(compStack + (<usize>compDepth << 4) + 8);
    if (fr != 0) freeZombieFrame(releaseFrame(fr, true));
    if (f != 0) DECREF(f);
  }
}

function releaseComprehensions(): void {
  releaseComprehensionsAbove(0);
  for (let i = 0; i < zombieMax; i++) {
    let z = load<u64>(zombies + (<usize>i << 3));
    if (z != 0) freeZombieFrame(z);
    store<u64>(zombies + (<usize>i << 3), 0);
  }
  zombieMax = 0;
}

/** Marks a method-call tag on the value stack (never an object address). */
// @ts-ignore: decorator
@inline const METHOD_TAG: u64 = <u64>1 << 63;
/** With METHOD_TAG: the callee slot holds a bound method object (2.7/3.6), not self. */
// @ts-ignore: decorator
@inline const BOUND_TAG: u64 = <u64>1 << 62;

/** A module's function attribute (a new reference), or 0 with AttributeError. nameInfo[3i+1] = module << 8 | builtin. */
function moduleAttr(m: u64, nameInfo: usize, nameIndex: i32): u64 {
  let attr = load<i32>(nameInfo + (<usize>(3 * nameIndex + 1) << 2));
  if (attr < 0 || (attr >> 8) != moduleId(m)) {
    setExc(Exc.ATTRIBUTE, nameIndex, T.MODULE, moduleId(m));
    return 0;
  }
  let f = (attr & 0x80) != 0 ? moduleObj(attr & 0x7f) : builtinObj(attr & 0xff); // a submodule, or a function
  INCREF(f);
  return f;
}

/**
 * `for NAME in LIST: pass` at module level, in bulk.
 *
 * Each step of that loop is FOR_ITER (listiter_next: it_index++, Py_INCREF(item)),
 * STORE_NAME (PyDict_SetItem on the globals: Py_INCREF(key), Py_INCREF(item), the
 * value slot rewritten, ma_version bumped, MAINTAIN_TRACKING, Py_DECREF(previous
 * item), Py_DECREF(key)), Py_DECREF(item), JUMP. Once one step has run in this
 * process, every page it writes besides the items' is private and dirty here
 * (the iterator, the key, the dict and its entry), so the steps that follow
 * change memory only in this: each item's refcount goes up by one and, a step
 * later, back down — one write access to the item's header (none for an
 * immortal object, 3.12+: a read). This runs items i … n-2 that way and leaves
 * the same end state as the steps would: the name bound to item n-2 (its
 * reference), the previous value released, it_index = n-1, ma_version advanced
 * once per changed value. The last item and the exhaustion take the normal path.
 * Stops early before an item that would make an untracked globals dict tracked.
 */
export let bulkLoops: bool = true;

function bulkEmptyListLoop(it: u64, d: u64, va: u64): void {
  let seq = ld64(it + 24);
  if (seq == 0) return;
  let i = <i64>ld64(it + 16);
  let n = listSize(seq);
  if (i < 1 || n - i < 3) return;
  let items = ld64(seq + 24);
  let old = ld64(va);
  bulkTracked = gcIsTracked(d);
  bulkImmortal = param(P.IMMORTAL) != 0;
  bulkSkipSame = param(P.DICT_SKIP_SAME_VALUE) != 0;
  bulkPrev = old;
  bulkChanges = 0;
  bulkLastVpn = u64.MAX_VALUE;
  bulkStopped = false;
  let k = i;
  let end = n - 1;
  // In slices: each is a new call, so once the engine has optimized bulkListSlice
  // (it starts in baseline code and is tiered up while it runs) the rest of a long
  // list runs in the optimized code (as the step's code does: see PAUSED).
  while (k < end && !bulkStopped) {
    let stop = min<i64>(end, k + BULK_SLICE);
    k = bulkListSlice(items, k, stop);
  }
  if (!currentAlive()) return; // a simulated OOM killed the process on a copy
  if (k == i) return;
  let prev = bulkPrev;
  INCREF(prev);
  if (bulkChanges > 0) st64(va, prev);
  st64(d + 24, ld64(d + 24) + bulkChanges);
  st64(it + 16, <u64>k);
  DECREF(old);
}

// @ts-ignore: decorator
@inline const BULK_SLICE: i64 = 1 << 16;
/** bulkEmptyListLoop's state across its slices. */
let bulkTracked = false;
let bulkImmortal = false;
let bulkSkipSame = false;
let bulkStopped = false;
let bulkPrev: u64 = 0;
let bulkChanges: u64 = 0;
/** The page of the last item written (no other translation runs here to move it). */
let bulkLastVpn: u64 = u64.MAX_VALUE;

/**
 * Items k … stop-1 of bulkEmptyListLoop; returns where it stopped (bulkStopped: for good).
 * The item pointers are read straight from the linear page of the list's ob_item (one
 * translation per page): the loop only reads it, and the items' writes it simulates
 * cannot move it to another slot unless slotMoves changes (then it translates again).
 */
function bulkListSlice(items: u64, k: i64, stop: i64): i64 {
  let prev = bulkPrev;
  let changes = bulkChanges;
  let lastVpn = bulkLastVpn;
  let tracked = bulkTracked;
  let immortal = bulkImmortal;
  let skipSame = bulkSkipSame;
  let shift = PAGE_SHIFT;
  while (k < stop && !bulkStopped) {
    let va = items + (<u64>k << 3);
    let p = rd(va);
    let pageEnd = min<i64>(stop, k + <i64>((PAGE_SIZE - (va & PAGE_MASK)) >> 3));
    let moves = slotMoves;
    while (k < pageEnd) {
      let item = load<u64>(p);
      if (!tracked && mayBeContainer(item)) { bulkStopped = true; break; }
      let vpn = item >> shift;
      let touched = false;
      if (vpn != lastVpn) {
        if (immortal) {
          if (ld32(item) == 0xFFFFFFFF) { lastVpn = u64.MAX_VALUE; } else { touchForWrite(item); lastVpn = vpn; }
        } else {
          touchForWrite(item);
          lastVpn = vpn;
        }
        if (!currentAlive()) { bulkStopped = true; break; }
        touched = true;
      } // else: on the page just written, nothing more to fault

      if (item != prev || !skipSame) changes++;
      prev = item;
      k++;
      p += 8;
      if (touched && slotMoves != moves) break; // ob_item's page moved: translate again
    }
  }
  bulkPrev = prev;
  bulkChanges = changes;
  bulkLastVpn = lastVpn;
  return k;
}

/** Where the last run stopped (the failing instruction) for the host's error message. */
export let errPc: i32 = -1;

/** The running step's code (a frame running it may record errPc and use the step's zombie frames). */
let topCode: usize = 0;

/** The zombie frame of comprehension / generator expression `id` of the running step, taken (0: none). */
export function takeZombie(id: i32): u64 {
  if (id < 0 || id >= MAX_COMPS) return 0;
  let z = load<u64>(zombies + (<usize>id << 3));
  store<u64>(zombies + (<usize>id << 3), 0);
  return z;
}

/** A released frame becomes the zombie frame of `id` if it has none (true), else the caller frees it. */
export function offerZombie(id: i32, f: u64): bool {
  if (id < 0 || id >= MAX_COMPS || topCode == 0 || load<u64>(zombies + (<usize>id << 3)) != 0) return false;
  store<u64>(zombies + (<usize>id << 3), f);
  if (id + 1 > zombieMax) zombieMax = id + 1;
  return true;
}

/** Resumes a generator's frame (gen.ts state `s`): the next yielded value (a new reference), or 0. */
export function runGenFrame(s: usize): u64 {
  let code = load<usize>(s + S_CODE);
  return interpret(
    s, code, load<i32>(s + S_NCODE), load<usize>(s + S_CONSTS), load<usize>(s + S_NAMES), load<usize>(s + S_INFO),
    load<usize>(s + S_STACK), load<usize>(s + S_LOCALS), load<usize>(s + S_CACHE), load<usize>(s + S_BLOCK),
    load<i32>(s + S_PC), load<i32>(s + S_SP), code == topCode,
  );
}

/** Builtin ids for attribute lookups on modules (set by the host per name): moduleAttr[module][name] -> builtin id. */

/**
 * Runs `ncode` instructions. nameInfo holds three i32 per name: the builtin
 * id a LOAD_NAME falls back to (-1: none), the module function it names as
 * an attribute (module << 8 | builtin id, -1: none), and the method id.
 */
export function evalCode(code: usize, ncode: i32, consts: usize, names: usize, nameInfo: usize, stackCap: i32, nlocals: i32): i32 {
  genDropDead(); // generators of processes that have died since
  let stack = kmemAlloc(<usize>(stackCap + 4) << 3);
  let cache = kmemAlloc(<usize>ncode << 4); // inline caches of LOAD_NAME / STORE_NAME (zeroed)
  let locals = kmemAlloc(<usize>(nlocals + 1) << 3);
  errPc = -1;
  topCode = code;
  // The step's code runs in slices (see PAUSED): each slice is a new call, so once the engine has
  // optimized `interpret` the rest of a long loop runs in the optimized code.
  let pc = 0, sp = 0, compBase = -1, storeSeen = -1;
  while (interpret(0, code, ncode, consts, names, nameInfo, stack, locals, cache, 0, pc, sp, true, compBase, storeSeen) == PAUSED) {
    pc = pausedPc;
    sp = pausedSp;
    compBase = pausedCompBase;
    storeSeen = pausedStoreSeen;
  }
  // Frame teardown: what is left on the stack and in the locals is released.
  if (!failed()) {
    // interpret left the stack empty; the locals (comprehension variables) go.
    for (let i = 0; i < nlocals; i++) XDECREF(load<u64>(locals + (<usize>i << 3)));
    releaseComprehensions();
  } else {
    compDepth = 0;
    zombieMax = 0;
  }
  // Generators made by this step that outlive it keep its code (and the constants and names they use).
  if (currentAlive()) genMigrate(code, ncode, consts, names, nameInfo, cache);
  topCode = 0;
  kmemFree(stack, <usize>(stackCap + 4) << 3);
  kmemFree(cache, <usize>ncode << 4);
  kmemFree(locals, <usize>(nlocals + 1) << 3);
  return errPc;
}

/**
 * What `interpret` returns when the step's code stops at a backward jump after
 * SLICE_JUMPS of them, to be called again from pausedPc (never an object
 * address). WebAssembly engines tier a function up between calls, never inside
 * a running call (V8 has no on-stack replacement for wasm): a step that is one
 * long loop would otherwise run to its end in the baseline code (measured:
 * 3M iterations of `t += x` in one step, 700 ms instead of 420 ms).
 */
// @ts-ignore: decorator
@inline const PAUSED: u64 = 1;
// @ts-ignore: decorator
@inline const SLICE_JUMPS: i32 = 4096;
let pausedPc: i32 = 0;
let pausedSp: i32 = 0;
let pausedCompBase: i32 = 0;
let pausedStoreSeen: i32 = -1;

/**
 * The evaluation loop over one frame: the step's module code (s = 0), or a
 * generator's body (s: its state), from `pc` with `sp` values on `stack`.
 * Returns, for a generator, the value its YIELD_VALUE hands out (a new
 * reference; pc and sp saved in s), or 0 when it returned or raised (its
 * value stack released). `own`: the frame runs the current step's code.
 */
function interpret(
  s: usize, code: usize, ncode: i32, consts: usize, names: usize, nameInfo: usize, stack: usize, locals: usize,
  cache: usize, block: usize, pc: i32, sp: i32, own: bool, resumeCompBase: i32 = -1, resumeStoreSeen: i32 = -1,
): u64 {
  let globals = ld64(RT_GLOBALS);
  let storeSeen: i32 = resumeStoreSeen; // the last STORE_NAME run (see bulkEmptyListLoop)
  let compBase = resumeCompBase >= 0 ? resumeCompBase : compDepth;
  let slice = SLICE_JUMPS;
  while (pc < ncode) {
    if (gcScheduled()) runScheduledGc(); // 3.12+: the eval breaker runs a scheduled collection
    let insn = load<u32>(code + (<usize>pc << 2));
    let op = insn & 0xff;
    let arg = <i32>(insn >> 8);
    let at = pc;
    pc++;
    switch (op) {
      case Op.NOP: break;
      case Op.LOAD_CONST: {
        let v = load<u64>(consts + (<usize>arg << 3));
        INCREF(v);
        push(stack, sp++, v);
        break;
      }
      case Op.LOAD_NAME: {
        let name = load<u64>(names + (<usize>arg << 3));
        let v = dictGetCached(globals, name, cache + (<usize>at << 4));
        if (v == 0) {
          let b = load<i32>(nameInfo + (<usize>(3 * arg) << 2));
          if (b < 0) { setExc(Exc.NAME, arg, 0, 0); break; }
          v = builtinObj(b);
        }
        INCREF(v);
        push(stack, sp++, v);
        break;
      }
      case Op.STORE_NAME: {
        let v = pop(stack, --sp);
        let name = load<u64>(names + (<usize>arg << 3));
        dictSetCached(globals, name, v, cache + (<usize>at << 4));
        DECREF(v);
        storeSeen = at;
        break;
      }
      case Op.DELETE_NAME: {
        let name = load<u64>(names + (<usize>arg << 3));
        if (!dictDel(globals, name)) setExc(Exc.NAME, arg, 0, 0);
        break;
      }
      case Op.LOAD_FAST: {
        let v = load<u64>(locals + (<usize>arg << 3));
        if (v == 0) { setExc(Exc.NAME, -1 - arg, 0, 0); break; }
        INCREF(v);
        push(stack, sp++, v);
        break;
      }
      case Op.STORE_FAST: {
        let v = pop(stack, --sp);
        let slot = locals + (<usize>arg << 3);
        let old = load<u64>(slot);
        store<u64>(slot, v);
        XDECREF(old);
        break;
      }
      case Op.POP_TOP: DECREF(pop(stack, --sp)); break;
      case Op.DUP_TOP: { let v = peek(stack, sp - 1); INCREF(v); push(stack, sp++, v); break; }
      case Op.ROT_TWO: {
        let a = peek(stack, sp - 1), b = peek(stack, sp - 2);
        push(stack, sp - 1, b);
        push(stack, sp - 2, a);
        break;
      }
      case Op.ROT_THREE: {
        let top = peek(stack, sp - 1), second = peek(stack, sp - 2), third = peek(stack, sp - 3);
        push(stack, sp - 1, second);
        push(stack, sp - 2, third);
        push(stack, sp - 3, top);
        break;
      }
      case Op.BINARY_OP:
      case Op.INPLACE_OP: {
        let b = pop(stack, --sp);
        let a = pop(stack, --sp);
        let r: u64;
        if (op == Op.INPLACE_OP && arg == 0 && typeOf(a) == T.LIST) {
          r = listExtendInPlace(a, b);
        } else {
          r = binaryOp(arg, a, b);
        }
        DECREF(a);
        DECREF(b);
        if (r != 0) push(stack, sp++, r);
        break;
      }
      case Op.UNARY_NEG:
      case Op.UNARY_POS:
      case Op.UNARY_INVERT: {
        let a = pop(stack, --sp);
        let r: u64 = 0;
        let t = typeOf(a);
        if (t == T.FLOAT) {
          if (op == Op.UNARY_INVERT) setExc(Exc.TYPE, Msg.UNSUPPORTED_OPERAND, t, 0);
          else r = newFloat(op == Op.UNARY_NEG ? -reinterpret<f64>(ld64(a + 16)) : reinterpret<f64>(ld64(a + 16)));
        } else if (isInt(a)) {
          r = intUnary(op == Op.UNARY_NEG ? 0 : op == Op.UNARY_POS ? 1 : 2, a);
        } else {
          setExc(Exc.TYPE, Msg.UNSUPPORTED_OPERAND, t, 0);
        }
        DECREF(a);
        if (r != 0) push(stack, sp++, r);
        break;
      }
      case Op.UNARY_NOT: {
        let a = pop(stack, --sp);
        let r = newBool(!truthy(a));
        DECREF(a);
        push(stack, sp++, r);
        break;
      }
      case Op.COMPARE_OP: {
        let b = pop(stack, --sp);
        let a = pop(stack, --sp);
        let r = compareOp(arg, a, b);
        DECREF(a);
        DECREF(b);
        if (r != 0) push(stack, sp++, r);
        break;
      }
      case Op.FORMAT_VALUE: {
        // FORMAT_VALUE without a format spec: `!s` is PyObject_Str (then the value is released);
        // an exact str is the result itself; anything else goes through PyObject_Format, whose fast
        // path (3.6+ Objects/abstract.c) makes an exact int PyObject_Str(value).
        let v = pop(stack, --sp);
        if (arg == 1) {
          let r = strOf(v);
          DECREF(v);
          if (r == 0) break;
          v = r;
        }
        let t = typeOf(v);
        if (t == T.STR) { push(stack, sp++, v); break; }
        if (t != T.INT) { setExc(Exc.UNSUPPORTED, Msg.FSTRING_FORMAT, t, 0); DECREF(v); break; }
        let r = strOf(v);
        DECREF(v);
        if (r != 0) push(stack, sp++, r);
        break;
      }
      case Op.BUILD_STRING: {
        let r = buildString(stack, sp, arg);
        for (let i = 0; i < arg; i++) DECREF(pop(stack, --sp)); // the pieces, from the top
        if (r != 0) push(stack, sp++, r);
        break;
      }
      case Op.BUILD_TUPLE: {
        let t = newTuple(arg);
        if (t == 0) break;
        for (let i = arg - 1; i >= 0; i--) tupleSetItem(t, i, pop(stack, --sp));
        push(stack, sp++, t);
        break;
      }
      case Op.BUILD_LIST: {
        let l = newList(arg);
        if (l == 0) break;
        for (let i = arg - 1; i >= 0; i--) listSetItem(l, i, pop(stack, --sp));
        push(stack, sp++, l);
        break;
      }
      case Op.BUILD_MAP: {
        let d = newDict();
        if (d == 0) break;
        let base = sp - 2 * arg;
        for (let i = 0; i < arg; i++) {
          let k = peek(stack, base + 2 * i), v = peek(stack, base + 2 * i + 1);
          dictSet(d, k, v);
        }
        for (let i = 0; i < 2 * arg; i++) DECREF(pop(stack, --sp));
        push(stack, sp++, d);
        break;
      }
      case Op.BUILD_SET: {
        // BUILD_SET: PySet_New(NULL), then PySet_Add of each item and its stack reference dropped
        // (3.x from the first item; 2.7 pops from the last).
        let st = newSet(false);
        if (st == 0) break;
        let base = sp - arg;
        for (let k = 0; k < arg; k++) {
          let i = PY2() ? arg - 1 - k : k;
          let v = peek(stack, base + i);
          if (!excPending()) setAdd(st, v);
        }
        for (let i = 0; i < arg; i++) DECREF(pop(stack, --sp));
        push(stack, sp++, st);
        break;
      }
      case Op.SET_ADD: {
        let v = pop(stack, --sp);
        let st = peek(stack, sp - arg);
        setAdd(st, v);
        DECREF(v);
        break;
      }
      case Op.COMP_ENTER: {
        let f = newComprehensionFunction();
        if (f == 0) break;
        if (compDepth >= 64) { DECREF(f); setExc(Exc.UNSUPPORTED, Msg.NOT_IMPLEMENTED, 0, 0); break; }
        store<u64>(compStack + (<usize>compDepth << 4), f);
        store<u64>(compStack + (<usize>compDepth << 4) + 8, 0);
        compDepth++;
        break;
      }
      case Op.COMP_CALL: {
        if (!comprehensionHasFrame() || compDepth == 0) break;
        let id = arg & 0xfff;
        let extras = arg >> 12;
        let z: u64 = own ? takeZombie(id) : 0;
        let fr = newFrame(z, extras);
        if (fr == 0) break;
        store<u64>(compStack + (<usize>(compDepth - 1) << 4) + 8, fr);
        break;
      }
      case Op.COMP_EXIT: {
        if (compDepth == 0) break;
        compDepth--;
        let f = load<u64>(compStack + (<usize>compDepth << 4));
        let fr = load<u64>(compStack + (<usize>compDepth << 4) + 8);
        if (fr != 0) {
          let keep = own && arg < MAX_COMPS && load<u64>(zombies + (<usize>arg << 3)) == 0;
          let z = releaseFrame(fr, keep);
          if (keep) {
            store<u64>(zombies + (<usize>arg << 3), z);
            if (arg + 1 > zombieMax) zombieMax = arg + 1;
          }
        }
        DECREF(f);
        break;
      }
      case Op.LIST_APPEND: {
        let v = pop(stack, --sp);
        let l = peek(stack, sp - arg);
        if (VERSION() >= 311) {
          listAppendSteal(l, v); // _PyList_AppendTakeRef
        } else {
          listAppend(l, v);
          DECREF(v);
        }
        break;
      }
      case Op.MAP_ADD: {
        let v = pop(stack, --sp);
        let k = pop(stack, --sp);
        let d = peek(stack, sp - arg);
        dictSet(d, k, v);
        DECREF(v);
        DECREF(k);
        break;
      }
      case Op.BINARY_SUBSCR: {
        let key = pop(stack, --sp);
        let c = pop(stack, --sp);
        let r = getItem(c, key);
        DECREF(c);
        DECREF(key);
        if (r != 0) push(stack, sp++, r);
        break;
      }
      case Op.STORE_SUBSCR: {
        let key = pop(stack, --sp);
        let c = pop(stack, --sp);
        let v = pop(stack, --sp);
        setItem(c, key, v);
        DECREF(v);
        DECREF(c);
        DECREF(key);
        break;
      }
      case Op.DELETE_SUBSCR: {
        let key = pop(stack, --sp);
        let c = pop(stack, --sp);
        delItem(c, key);
        DECREF(c);
        DECREF(key);
        break;
      }
      case Op.BUILD_SLICE: {
        // A slice object (PySlice_New: 40 bytes, cached in 3.x's slice_cache); modelled as a 3-tuple-shaped SLICE.
        let step = arg == 3 ? pop(stack, --sp) : Py_None;
        if (arg != 3) INCREF(step);
        let hi = pop(stack, --sp);
        let lo = pop(stack, --sp);
        let s = newSlice(lo, hi, step);
        if (s != 0) push(stack, sp++, s);
        break;
      }
      case Op.GET_ITER: {
        let o = pop(stack, --sp);
        let it = getIter(o);
        DECREF(o);
        if (it != 0) push(stack, sp++, it);
        break;
      }
      case Op.FOR_ITER: {
        let it = peek(stack, sp - 1);
        if (storeSeen == pc && bulkLoops) {
          // The STORE_NAME after this FOR_ITER has run: an empty body (JUMP back here) runs in bulk.
          let after = load<u32>(code + (<usize>(pc + 1) << 2));
          if ((after & 0xff) == Op.JUMP && <i32>(after >> 8) == at && typeOf(it) == T.LISTITER) {
            let name = load<u64>(names + (<usize>(load<u32>(code + (<usize>pc << 2)) >> 8) << 3));
            let va = dictCachedValueSlot(globals, name, cache + (<usize>pc << 4));
            if (va != 0) bulkEmptyListLoop(it, globals, va);
          }
        }
        let v = iterNext(it);
        if (v == ITER_DONE) {
          if (excPending()) break;
          DECREF(pop(stack, --sp));
          pc = arg;
        } else {
          push(stack, sp++, v);
        }
        break;
      }
      case Op.POP_ITER: DECREF(pop(stack, --sp)); break;
      case Op.JUMP: {
        pc = arg;
        if (arg < at && s == 0 && --slice == 0) {
          pausedPc = pc;
          pausedSp = sp;
          pausedCompBase = compBase;
          pausedStoreSeen = storeSeen;
          return PAUSED;
        }
        break;
      }
      case Op.POP_JUMP_IF_FALSE:
      case Op.POP_JUMP_IF_TRUE: {
        let v = pop(stack, --sp);
        let t = truthy(v);
        DECREF(v);
        if (t == (op == Op.POP_JUMP_IF_TRUE)) pc = arg;
        break;
      }
      case Op.JUMP_IF_FALSE_OR_POP:
      case Op.JUMP_IF_TRUE_OR_POP: {
        let v = peek(stack, sp - 1);
        if (truthy(v) == (op == Op.JUMP_IF_TRUE_OR_POP)) pc = arg;
        else DECREF(pop(stack, --sp));
        break;
      }
      case Op.CALL: {
        let argc = arg & 0xfff;
        let nkw = arg >> 12;
        let kwnames: u64 = 0;
        if (nkw > 0) kwnames = pop(stack, --sp);
        let base = sp - argc;
        let fn = peek(stack, base - 1);
        let r = callObject(fn, stack + (<usize>base << 3), argc, kwnames);
        for (let i = 0; i < argc; i++) DECREF(pop(stack, --sp));
        if (kwnames != 0) DECREF(kwnames);
        DECREF(pop(stack, --sp));
        if (r != 0) push(stack, sp++, r);
        break;
      }
      case Op.LOAD_METHOD_KW:
      case Op.LOAD_METHOD: {
        // 3.7+ LOAD_METHOD: a method of a builtin type is called without making a bound method object;
        // a module function is looked up and called as a plain function. The slot under the callable
        // holds a tag (not an object): 0 for a function, METHOD_TAG | name << 8 | method id for a method.
        let self = pop(stack, --sp);
        if (typeOf(self) == T.MODULE) {
          let f = moduleAttr(self, nameInfo, arg);
          DECREF(self);
          if (f == 0) break;
          push(stack, sp++, 0);
          push(stack, sp++, f);
        } else if (VERSION() < 307 || (op == Op.LOAD_METHOD_KW && VERSION() < 311)) {
          // 2.7/3.6 LOAD_ATTR (and up to 3.10 for a call with keyword arguments, which the compiler does
          // not turn into LOAD_METHOD): the method descriptor's __get__ makes a bound builtin method.
          let m = load<i32>(nameInfo + (<usize>(3 * arg + 2) << 2));
          let bm = newBoundMethod(self);
          DECREF(self);
          if (bm == 0) break;
          push(stack, sp++, METHOD_TAG | BOUND_TAG | (<u64>arg << 8) | <u64>m);
          push(stack, sp++, bm);
        } else {
          let m = load<i32>(nameInfo + (<usize>(3 * arg + 2) << 2));
          push(stack, sp++, METHOD_TAG | (<u64>arg << 8) | <u64>m);
          push(stack, sp++, self);
        }
        break;
      }
      case Op.CALL_METHOD: {
        let argc = arg;
        let base = sp - argc;
        let callee = peek(stack, base - 1);
        let tag = peek(stack, base - 2);
        let r: u64;
        if (tag == 0) r = callObject(callee, stack + (<usize>base << 3), argc, 0);
        else if ((tag & BOUND_TAG) != 0) r = callMethod(boundMethodSelf(callee), <i32>(tag & 0xff), <i32>((tag >> 8) & 0xffffff), stack + (<usize>base << 3), argc);
        else r = callMethod(callee, <i32>(tag & 0xff), <i32>((tag >> 8) & 0xffffff), stack + (<usize>base << 3), argc);
        for (let i = 0; i < argc; i++) DECREF(pop(stack, --sp));
        DECREF(pop(stack, --sp));
        sp--; // the tag
        if (r != 0) push(stack, sp++, r);
        break;
      }
      case Op.CALL_METHOD_KW: {
        // ≤3.10 CALL_FUNCTION_KW on the bound method, 3.11+ CALL with KW_NAMES (3.13 CALL_KW): the
        // keyword values follow the positional ones, their names in a tuple on top.
        let argc = arg & 0xfff;
        let kwnames = pop(stack, --sp);
        let base = sp - argc;
        let callee = peek(stack, base - 1);
        let tag = peek(stack, base - 2);
        let r: u64;
        if (tag == 0) r = callObject(callee, stack + (<usize>base << 3), argc, kwnames);
        else {
          let self = (tag & BOUND_TAG) != 0 ? boundMethodSelf(callee) : callee;
          r = callMethodKw(self, <i32>(tag & 0xff), <i32>((tag >> 8) & 0xffffff), stack + (<usize>base << 3), argc, kwnames);
        }
        for (let i = 0; i < argc; i++) DECREF(pop(stack, --sp));
        DECREF(kwnames);
        DECREF(pop(stack, --sp));
        sp--; // the tag
        if (r != 0) push(stack, sp++, r);
        break;
      }
      case Op.IMPORT_MODULE: {
        let m = moduleObj(arg);
        INCREF(m);
        push(stack, sp++, m);
        break;
      }
      case Op.LOAD_ATTR: {
        let o = pop(stack, --sp);
        if (typeOf(o) != T.MODULE) {
          setExc(Exc.ATTRIBUTE, arg, typeOf(o), 0);
          DECREF(o);
          break;
        }
        let f = moduleAttr(o, nameInfo, arg);
        DECREF(o);
        if (f != 0) push(stack, sp++, f);
        break;
      }
      case Op.DUP_TOP_TWO: {
        let a = peek(stack, sp - 2), b = peek(stack, sp - 1);
        INCREF(a);
        INCREF(b);
        push(stack, sp++, a);
        push(stack, sp++, b);
        break;
      }
      case Op.UNPACK_SEQUENCE: {
        let s = pop(stack, --sp);
        let t = typeOf(s);
        let n: i64 = t == T.TUPLE ? tupleSize(s) : t == T.LIST ? listSize(s) : -1;
        if (n < 0) {
          // Any other iterable: iterate it.
          let it = getIter(s);
          if (it == 0) { DECREF(s); break; }
          let got = 0;
          let tmp = kmemAlloc(<usize>(arg + 1) << 3);
          while (got <= arg) {
            let v = iterNext(it);
            if (v == ITER_DONE) break;
            store<u64>(tmp + (<usize>got << 3), v);
            got++;
          }
          DECREF(it);
          if (got != arg) {
            for (let i = 0; i < got; i++) DECREF(load<u64>(tmp + (<usize>i << 3)));
            setExc(Exc.VALUE, Msg.UNPACK_COUNT, arg, got);
          } else {
            for (let i = arg - 1; i >= 0; i--) push(stack, sp++, load<u64>(tmp + (<usize>i << 3)));
          }
          kmemFree(tmp, <usize>(arg + 1) << 3);
          DECREF(s);
          break;
        }
        if (n != <i64>arg) {
          setExc(Exc.VALUE, Msg.UNPACK_COUNT, arg, n);
          DECREF(s);
          break;
        }
        for (let i = arg - 1; i >= 0; i--) {
          let v = t == T.TUPLE ? tupleItem(s, i) : listItem(s, i);
          INCREF(v);
          push(stack, sp++, v);
        }
        DECREF(s);
        break;
      }
      case Op.RETURN: pc = ncode; break;
      case Op.GEN_FUNC: {
        // MAKE_FUNCTION of the <genexpr> code: the function object goes on the stack, under the iterator.
        let f = newComprehensionFunction();
        if (f != 0) push(stack, sp++, f);
        break;
      }
      case Op.GEN_CALL: {
        let it = pop(stack, --sp);
        let f = pop(stack, --sp);
        let g = newGenerator(f, it, code, ncode, consts, names, nameInfo, cache, block, arg);
        if (g != 0) push(stack, sp++, g);
        break;
      }
      case Op.YIELD_VALUE: {
        let v = pop(stack, --sp);
        if (DEBUG) assert(s != 0);
        store<i32>(s + S_PC, pc);
        store<i32>(s + S_SP, sp);
        return v;
      }
      case Op.GEN_RETURN: pc = ncode; break;
      default:
        setExc(Exc.UNSUPPORTED, Msg.NOT_IMPLEMENTED, 0, 0);
    }
    if (excPending()) {
      if (failed()) setExc(lastError() == Err.OOM ? Exc.MEMORY : Exc.KILLED, lastError(), <i64>lastErrorValue(), 0);
      // The innermost frame of the step's own code names the place (a generator made by an earlier step
      // leaves it to the instruction that resumed it).
      if (errPc < 0 && own) errPc = at;
      break;
    }
  }
  // What is left on the value stack is released (an exception; or a finished frame).
  if (!failed()) {
    while (sp > 0) {
      let v = pop(stack, --sp);
      if (v != 0 && (v & METHOD_TAG) == 0) DECREF(v); // tags and function markers are not objects
    }
    if (s != 0) releaseComprehensionsAbove(compBase);
  }
  if (s != 0) store<i32>(s + S_SP, 0);
  return 0;
}

// @ts-ignore: decorator
@inline function push(stack: usize, i: i32, v: u64): void {
  store<u64>(stack + (<usize>i << 3), v);
}
// @ts-ignore: decorator
@inline function pop(stack: usize, i: i32): u64 {
  return load<u64>(stack + (<usize>i << 3));
}
// @ts-ignore: decorator
@inline function peek(stack: usize, i: i32): u64 {
  return load<u64>(stack + (<usize>i << 3));
}

/**
 * BUILD_STRING n (3.6+): _PyUnicode_JoinArray(empty, pieces, n), Objects/unicodeobject.c. Up to
 * 3.10 ceval takes `empty = PyUnicode_New(0, 0)` first (a new reference to the empty str) and
 * drops it after; 3.11+ passes &_Py_STR(empty) (3.12+ immortal: no refcount write). The pieces
 * stay on the stack (the caller releases them, from the top).
 */
function buildString(stack: usize, sp: i32, n: i32): u64 {
  let taken = VERSION() <= 310;
  let empty: u64 = 0;
  if (taken) {
    empty = emptyStr();
    if (empty == 0) return 0;
  }
  let r = joinArray(stack, sp - n, n);
  if (taken) DECREF(empty);
  return r;
}

/**
 * _PyUnicode_JoinArray with the empty separator: no piece → the empty str; one exact str → that
 * str; else Py_INCREF(sep), the result (PyUnicode_New of the total length and widest character,
 * filled from the pieces, which are only read), Py_XDECREF(sep).
 */
function joinArray(stack: usize, base: i32, n: i32): u64 {
  if (n == 0) return emptyStr();
  if (n == 1) {
    let v = peek(stack, base);
    if (typeOf(v) == T.STR) { INCREF(v); return v; }
  }
  let sep = emptyStr();
  if (sep == 0) return 0;
  textReset();
  for (let i = 0; i < n; i++) appendStr(peek(stack, base + i)); // (each piece is a str)
  let r = newStrFromUtf8(textPtr(), textLen);
  DECREF(sep);
  return r;
}

/** A slice object: PySlice_New (not GC; 3.x keeps one in a one-element cache). Steals lo, hi, step. */
function newSlice(lo: u64, hi: u64, step: u64): u64 {
  let s = newTuple(3);
  if (s == 0) return 0;
  st64(s + 8, typeAddrSlice());
  tupleSetItem(s, 0, lo);
  tupleSetItem(s, 1, hi);
  tupleSetItem(s, 2, step);
  return s;
}

import { typeAddr } from "./runtime";
function typeAddrSlice(): u64 {
  return typeAddr(T.SLICE);
}

/** list += iterable: list_extend in place; returns the list (a new reference). */
function listExtendInPlace(l: u64, b: u64): u64 {
  let it = getIter(b);
  if (it == 0) return 0;
  while (true) {
    let v = iterNext(it);
    if (v == ITER_DONE) break;
    listAppendSteal(l, v);
  }
  DECREF(it);
  INCREF(l);
  return l;
}
