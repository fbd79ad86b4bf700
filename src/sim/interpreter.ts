/**
 * The host side of the mini-CPython: compiles each `run` step, makes its
 * constants and names in the simulated process (as compile() would), runs
 * it in the evaluator, releases the code, and turns a Python exception into
 * a one-line CowsimError (or, for a simulated crash, a result).
 */
import { Machine, SimError } from "../machine.js";
import { CowsimError } from "../errors.js";
import { parse } from "../python/parser.js";
import { Compiler, type CodeUnit, type ConstSpec } from "../python/compiler.js";
import { OBJECTS } from "../profiles/objects.js";
import { BUILTIN_COUNT, BUILTIN_NAMES, GC_FREEZE_SINCE, METHODS } from "../python/builtins.js";
import { BINOP_SYMBOLS, Op } from "../python/bytecode.js";
import type { PyVersion } from "../profiles/obmalloc.js";
import { STARTUP_HEAP, type StartupHeap } from "../profiles/startup-heap.js";
import { PYTHON_NAMES } from "../profiles/python-names.js";

/**
 * The start-up heap as the table assembly/cpython/libc.ts `configureStartupHeap` reads: (kind, a, b) triples;
 * kind 0 = a free chunk's header (offset, size), in address order; 1 = put it on its free list (bin chunks,
 * then each tcache list last to first so that its head is taken first); 2 = resident pages (first, count).
 */
export function startupHeapTable(h: StartupHeap): bigint[] {
  const t: bigint[] = [];
  const chunks = [...h.free, ...h.tcache].sort((a, b) => a[0] - b[0]);
  for (const [off, size] of chunks) t.push(0n, BigInt(off), BigInt(size));
  for (const [off, size] of h.free) t.push(1n, BigInt(off), BigInt(size));
  for (const [off, size] of [...h.tcache].reverse()) t.push(1n, BigInt(off), BigInt(size));
  for (const [first, count] of h.present) t.push(2n, BigInt(first), BigInt(count));
  return t;
}

/** Version number as an int: "3.11" -> 311, "2.7" -> 27. */
export function versionNumber(v: PyVersion): number {
  const [a, b] = v.split(".").map(Number);
  return a === 2 ? 27 : a * 100 + b;
}

/** Object-model parameter ids (assembly/cpython/runtime.ts `P`). */
const P = {
  VERSION: 0, GC_HEAD: 1, IMMORTAL: 2, INT_ONE_DIGIT_REQUEST: 3, INT_LV_TAG: 4, SMALL_INT_STORAGE: 5,
  FLOAT_FREELIST: 6, STR_ASCII_HEADER: 7, STR_COMPACT_HEADER: 8, TUPLE_FREELIST_SIZES: 9, LIST_GROWTH: 10,
  LIST_PRESIZE: 11, DICT_KEYS_HEADER: 12, DICT_UNICODE_ENTRY: 13, DICT_GROWTH: 14, RANGE_BYTES: 15,
  RANGEITER_BYTES: 16, GC_THRESHOLD0: 17, GC_THRESHOLD1: 18, GC_THRESHOLD2: 19, BYTES_HEADER: 20,
  DICT_NEW_ALLOCATES_KEYS: 21, DICT_SKIP_SAME_VALUE: 22, GC_STARTUP_OBJECTS: 23, GC_STARTUP_PER_PAGE: 24,
} as const;

/**
 * The interpreter's start-up population of GC-tracked objects: how many a real interpreter has when
 * __main__'s first statement runs under the agent (len(gc.get_objects()) measured as the first step of a
 * scenario, docs/cpython/gc.md), and how many share a 4 KiB page (calibrated so that a child's gc.collect()
 * of a nearly empty program dirties what it dirties for real).
 */
const GC_STARTUP: Record<PyVersion, [objects: number, perPage: number]> = {
  "2.7": [4203, 17], "3.6": [7631, 17], "3.7": [6718, 17], "3.8": [6895, 19], "3.9": [7039, 18],
  "3.10": [7257, 18], "3.11": [11892, 17], "3.12": [8086, 19], "3.13": [8856, 15],
};

/** The evaluator's object-model parameters for a version, from src/profiles/objects.ts. */
export function objectParams(v: PyVersion): [number, number][] {
  const o = OBJECTS[v];
  const n = versionNumber(v);
  const storage = { "int-blocks": 0, "static-array": 1, "heap-per-interpreter": 2, "runtime-static": 3 }[o.int.smallIntStorage];
  return [
    [P.VERSION, n],
    [P.GC_HEAD, o.gc.size],
    [P.IMMORTAL, o.header.immortalRefcnt !== null ? 1 : 0],
    [P.INT_ONE_DIGIT_REQUEST, o.int.oneDigitRequest],
    [P.INT_LV_TAG, o.int.sizeField === "lv_tag" ? 1 : 0],
    [P.SMALL_INT_STORAGE, storage],
    [P.FLOAT_FREELIST, o.float.scheme === "freelist" ? (o.float.freeListLimit ?? 0) : 0],
    [P.STR_ASCII_HEADER, o.str.asciiHeader],
    [P.STR_COMPACT_HEADER, o.str.compactHeader],
    [P.TUPLE_FREELIST_SIZES, o.tuple.freeListMaxSize],
    [P.LIST_GROWTH, o.list.growth === "py39+" ? 1 : 0],
    [P.LIST_PRESIZE, { resize: 0, exact: 1, "exact-even": 2 }[o.list.presize]],
    [P.DICT_KEYS_HEADER, o.dict.keysHeaderBytes ?? 0],
    [P.DICT_UNICODE_ENTRY, o.dict.unicodeEntryBytes ?? 0],
    [P.DICT_GROWTH, { py27: 0, "used*2+size/2": 1, "used*3": 2 }[o.dict.growth]],
    [P.RANGE_BYTES, o.small.rangeBytes],
    [P.RANGEITER_BYTES, o.small.rangeIterBytes],
    [P.GC_THRESHOLD0, o.gc.thresholds[0]],
    [P.GC_THRESHOLD1, o.gc.thresholds[1]],
    [P.GC_THRESHOLD2, o.gc.thresholds[2]],
    [P.BYTES_HEADER, o.bytes.headerBytes],
    [P.DICT_NEW_ALLOCATES_KEYS, o.dict.dictNewAllocatesKeys ? 1 : 0],
    [P.DICT_SKIP_SAME_VALUE, n >= 308 ? 1 : 0],
    [P.GC_STARTUP_OBJECTS, GC_STARTUP[v][0]],
    [P.GC_STARTUP_PER_PAGE, GC_STARTUP[v][1]],
  ];
}

const TYPE_NAMES = [
  "?", "NoneType", "bool", "int", "long", "float", "str", "bytes", "bytearray", "tuple", "list", "dict", "set", "frozenset",
  "range", "list_iterator", "tuple_iterator", "range_iterator", "str_iterator", "dict_keyiterator", "dict_valueiterator",
  "dict_itemiterator", "set_iterator", "enumerate", "zip", "reversed", "module", "builtin_function_or_method", "slice",
  "code", "function", "array.array", "c_array", "dict_keys", "dict_values", "dict_items", "unicode", "bytes_iterator",
  "iterator", "builtin_function_or_method", "frame", "generator", "traceback",
];

const MESSAGES: Record<number, string> = {
  1: "unsupported operand type(s)", 2: "object is not iterable", 3: "object is not subscriptable", 4: "object has no len()",
  5: "indices must be integers or slices", 6: "object is not callable", 7: "wrong arguments", 8: "unhashable type",
  9: "'<' not supported between these types", 10: "object does not support item assignment", 11: "wrong number of values to unpack",
  12: "cannot fit 'int' into an index-sized integer", 13: "empty sequence", 14: "not modelled by cowsim yet",
  15: "invalid literal for int()", 16: "bad format string", 17: "negative count", 18: "x not in list",
  19: "generator already executing", 21: "int too large to convert to float", 22: "negative shift count",
  23: "an int operation on values beyond 64 bits (bitwise &, |, ^; ** with an exponent beyond 2**240 (2.7-3.10) or 2**60 (3.11+); << beyond 2**60 bits)",
  24: "integer division result too large for a float",
  25: "Exceeds the limit (4300 digits) for integer string conversion; use sys.set_int_max_str_digits() to increase the limit",
  26: "cannot convert float infinity to integer", 27: "cannot convert float NaN to integer", 28: "empty separator",
  29: "formatting this type in an f-string (cowsim formats str and int)", 30: "keyword arguments in a call of this method",
};

/** True if `name` is one of the space-separated names of `list` (src/profiles/python-names.ts). */
function listed(list: string | undefined, name: string): boolean {
  return !!list && (" " + list + " ").includes(" " + name + " ");
}

const NOT_MODELLED = "not modelled by cowsim yet";
const METHOD_NAMES: Record<number, string> = Object.fromEntries(Object.entries(METHODS).map(([k, v]) => [v, k]));

export class Interpreter {
  private readonly version: number;
  private readonly x: ReturnType<Machine["raw"]>;

  constructor(readonly machine: Machine, opts: { immortalObjects?: boolean } = {}) {
    this.version = versionNumber(machine.python);
    this.x = machine.raw();
    for (const [id, value] of objectParams(machine.python)) this.x.setObjectParam(id, BigInt(value));
    // What-if: 3.12's immortal objects on this profile.
    if (opts.immortalObjects) this.x.setObjectParam(P.IMMORTAL, 1n);
    // The real interpreter's start-up brk heap (src/profiles/startup-heap.ts); kept for the machine's life.
    const h = STARTUP_HEAP[machine.python];
    const table = startupHeapTable(h);
    const ptr = this.check(() => this.x.hostAlloc(table.length * 8));
    new BigUint64Array(this.x.memory.buffer, ptr, table.length).set(table);
    this.x.configureStartupHeap(ptr, table.length / 3, BigInt(h.brkSize), BigInt(h.top), BigInt(h.mmapThreshold), BigInt(h.trimThreshold));
  }

  /** What-if (Cinder): collect, freeze and make every object reachable from a tracked container immortal. */
  immortalizeHeap(pid: number): void {
    this.check(() => this.x.immortalizeHeap(pid));
  }

  /** The first CPython process (pid 1), its interpreter started. */
  startProcess(): number {
    const pid = this.machine.spawnBare();
    this.check(() => this.x.pythonStart(pid, BUILTIN_COUNT));
    return pid;
  }

  private check<T>(f: () => T): T {
    return this.machine.guard(f);
  }

  /** Compiles and runs `source` in process `pid` (module-level code of __main__). */
  run(pid: number, source: string): void {
    const unit = Compiler.compile(parse(source), this.version);
    this.checkVersionSupport(unit);
    const x = this.x;
    // compile(): constants and interned names made in the process, then the code runs, then it is released.
    const consts = unit.consts.map((c) => this.makeConst(pid, c));
    const names = unit.names.map((n) => this.makeConst(pid, { kind: "str", value: n }, true));
    const codeBytes = unit.code.length * 4;
    const codePtr = this.check(() => x.hostAlloc(codeBytes));
    const constPtr = this.check(() => x.hostAlloc(Math.max(8, consts.length * 8)));
    const namePtr = this.check(() => x.hostAlloc(Math.max(8, names.length * 8)));
    const infoPtr = this.check(() => x.hostAlloc(Math.max(4, unit.nameInfo.length * 4)));
    // Views are made after the allocations (memory may have grown).
    new Uint32Array(x.memory.buffer, codePtr, unit.code.length).set(unit.code);
    new BigUint64Array(x.memory.buffer, constPtr, consts.length).set(consts);
    new BigUint64Array(x.memory.buffer, namePtr, names.length).set(names);
    new Int32Array(x.memory.buffer, infoPtr, unit.nameInfo.length).set(unit.nameInfo);
    let errPc = -1;
    try {
      errPc = this.check(() =>
        x.runCode(pid, codePtr, unit.code.length, constPtr, namePtr, infoPtr, unit.stackSize, unit.nlocals),
      );
    } catch (e) {
      if (!(e instanceof SimError)) throw e;
      errPc = -2;
      if (e.code === "DEAD") throw e;
    } finally {
      x.hostFree(codePtr, codeBytes);
      x.hostFree(constPtr, Math.max(8, consts.length * 8));
      x.hostFree(namePtr, Math.max(8, names.length * 8));
      x.hostFree(infoPtr, Math.max(4, unit.nameInfo.length * 4));
    }
    if (errPc !== -1) {
      const info = new BigInt64Array(x.memory.buffer, x.excInfoPtr(), 4);
      const [kind, a1, a2, a3] = Array.from(info, Number);
      const pos = unit.positions[Math.max(0, errPc)] ?? { line: 1, column: 1 };
      const alive = this.machine.isAlive(pid);
      if (alive) this.release(pid, consts, names);
      throw new CowsimError(this.describe(kind, a1, a2, a3, unit, errPc), pos);
    }
    this.release(pid, consts, names);
  }

  private release(pid: number, consts: bigint[], names: bigint[]): void {
    for (const o of [...consts, ...names].reverse()) this.check(() => this.x.releaseObject(pid, o));
  }

  private checkVersionSupport(unit: CodeUnit): void {
    if (this.version < GC_FREEZE_SINCE) {
      for (const n of ["freeze", "unfreeze", "get_freeze_count"]) {
        if (unit.names.includes(n)) {
          const i = unit.names.indexOf(n);
          unit.nameInfo[3 * i + 1] = -1; // AttributeError at run time, as the real module has no such function
        }
      }
    }
  }

  private makeConst(pid: number, c: ConstSpec, intern = false): bigint {
    const x = this.x;
    switch (c.kind) {
      case "none": return this.check(() => x.makeConst(pid, 0, 0n, 0, 0, 0));
      case "bool": return this.check(() => x.makeConst(pid, c.value ? 1 : 2, 0n, 0, 0, 0));
      case "int": {
        if (!c.long && c.value >= -(2n ** 63n) && c.value < 2n ** 63n) return this.check(() => x.makeConst(pid, 3, c.value, 0, 0, 0));
        // beyond 64 bits, or a 2.7 long: its 30-bit digits
        const digits: number[] = [];
        for (let v = c.value < 0n ? -c.value : c.value; v > 0n; v >>= 30n) digits.push(Number(v & 0x3fffffffn));
        const n = Math.max(4, digits.length * 4);
        const ptr = this.check(() => x.hostAlloc(n));
        new Uint32Array(x.memory.buffer, ptr, digits.length).set(digits);
        const o = this.check(() => x.makeConst(pid, 8, c.value < 0n ? -1n : 0n, 0, ptr, digits.length));
        x.hostFree(ptr, n);
        return o;
      }
      case "float": return this.check(() => x.makeConst(pid, 4, 0n, c.value, 0, 0));
      case "str":
      case "bytes": {
        const bytes = c.kind === "str" ? new TextEncoder().encode(c.value) : c.value;
        const n = Math.max(1, bytes.length);
        const ptr = this.check(() => x.hostAlloc(n));
        new Uint8Array(x.memory.buffer, ptr, bytes.length).set(bytes);
        const kind = c.kind === "bytes" ? 6 : intern ? 7 : 5;
        const o = this.check(() => x.makeConst(pid, kind, 0n, 0, ptr, bytes.length));
        x.hostFree(ptr, n);
        return o;
      }
      case "tuple": {
        const items = c.items.map((i) => this.makeConst(pid, i));
        const ptr = this.check(() => x.hostAlloc(Math.max(8, items.length * 8)));
        new BigUint64Array(x.memory.buffer, ptr, items.length).set(items);
        const o = this.check(() => x.makeConstTuple(pid, ptr, items.length));
        x.hostFree(ptr, Math.max(8, items.length * 8));
        return o;
      }
    }
  }

  private describe(kind: number, a1: number, a2: number, a3: number, unit: CodeUnit, pc = -1): string {
    const tn = (t: number) => TYPE_NAMES[t] ?? "object";
    const name = (i: number) => (i >= 0 ? unit.names[i] : unit.localNames[-1 - i]) ?? "?";
    // What real CPython of this version has (tools/measure-names.py): valid Python that cowsim does not
    // model must not read as an error in the user's code.
    const real = PYTHON_NAMES[this.machine.python];
    switch (kind) {
      case 1:
        if (listed(real?.builtins, name(a1))) return `${NOT_MODELLED}: the builtin '${name(a1)}'`;
        return `NameError: name '${name(a1)}' is not defined`;
      case 2:
        if (a1 === 7) {
          // ids 200 + n are methods (src/python/builtins.ts METHODS), below 200 builtins
          const fn = a2 >= 200 ? METHOD_NAMES[a2 - 200] ?? "method" : BUILTIN_NAMES[a2] ?? "call";
          return `TypeError or ${NOT_MODELLED}: ${fn}() with these arguments (cowsim models some of what CPython's ${fn}() accepts)`;
        }
        if ((a1 === 2 && listed(real?.iterable, tn(a2))) || (a1 === 3 && listed(real?.subscriptable, tn(a2))) || (a1 === 4 && listed(real?.sized, tn(a2)))) {
          return `${NOT_MODELLED}: ${a1 === 2 ? "iterating" : a1 === 3 ? "subscripting" : "len() of"} a '${tn(a2)}'`;
        }
        if (a1 === 1) {
          // CPython names the operator ("for +:", "for +=:") when a binary operator failed.
          const insn = pc >= 0 ? unit.code[pc] : undefined;
          const op = insn !== undefined && ((insn & 0xff) === Op.BINARY_OP || (insn & 0xff) === Op.INPLACE_OP) ? BINOP_SYMBOLS[insn >>> 8] : undefined;
          // In place: "-=" …; "**=" is named so since 3.0 (2.7 says "** or pow()" for both).
          const inplace = (insn! & 0xff) === Op.INPLACE_OP && (op !== "** or pow()" || this.version >= 300);
          const sym = op === undefined ? "" : ` for ${inplace ? (op === "** or pow()" ? "**" : op) + "=" : op}`;
          // An operator CPython has for these types (tools/measure-names.py tried every pair) is not an error.
          const bare = op === "** or pow()" ? "**" : op;
          if (bare !== undefined && a3 && listed(real?.binops, `${bare},${tn(a2)},${tn(a3)}`)) {
            return `${NOT_MODELLED}: '${tn(a2)}' ${bare}${(insn! & 0xff) === Op.INPLACE_OP ? "=" : ""} '${tn(a3)}'`;
          }
          return `TypeError: unsupported operand type(s)${sym}: '${tn(a2)}'${a3 ? ` and '${tn(a3)}'` : ""}`;
        }
        if (a1 === 6) return `TypeError: '${tn(a2)}' object is not callable`;
        if (a1 === 4) return `TypeError: object of type '${tn(a2)}' has no len()`;
        if (a1 === 3 && this.version < 300) return `TypeError: '${tn(a2)}' object has no attribute '__getitem__'`;
        return `TypeError: '${tn(a2)}' ${MESSAGES[a1] ?? "object"}${a3 ? ` (with '${tn(a3)}')` : ""}`;
      case 3: return `IndexError: ${tn(a1)} index out of range`;
      case 4: return `KeyError: a ${tn(a2)} key that is not in the dict`;
      case 5:
        if (a1 === 3) return "ZeroDivisionError: 0.0 cannot be raised to a negative power";
        return a1 === 2 ? "ZeroDivisionError: division by zero" : a1 === 1 ? "ZeroDivisionError: integer modulo by zero" : "ZeroDivisionError: integer division or modulo by zero";
      case 6:
        if (a1 === 11) return `ValueError: expected ${a2} values to unpack, got ${a3}`;
        if (a1 === 20) return `ValueError: dictionary update sequence element #${a2} has length ${a3}; 2 is required`;
        if (a1 === 100) return "ValueError: range() arg 3 must not be zero";
        return `ValueError: ${MESSAGES[a1] ?? "bad value"}`;
      case 7: return "MemoryError: the simulated machine ran out of memory (the process was killed)";
      case 8: return `OverflowError: ${MESSAGES[a1] ?? "overflow"}`;
      case 9:
        if (a1 >= 1000) return `not modelled by cowsim yet: ${BUILTIN_NAMES[a1 - 1000] ?? "builtin"}()${a2 ? ` on '${tn(a2)}'` : ""}`;
        return `not modelled by cowsim yet: ${MESSAGES[a1] ?? "this operation"}${a2 ? ` ('${tn(a2)}')` : ""}`;
      case 10: return a1 === 1 ? `the simulated process was killed by SIGSEGV: access to unmapped address 0x${a2.toString(16)}` : `the simulated process was killed (kernel error ${a1})`;
      case 11: {
        const attr = name(a1);
        if (a2 === 26) {
          const mods = Object.entries(real?.modules ?? {}).filter(([, names]) => listed(names, attr)).map(([m]) => m);
          if (mods.length) return `${NOT_MODELLED}: ${mods.join(" / ")}.${attr}`;
          return `AttributeError: module has no attribute '${attr}'`;
        }
        if (listed(real?.types[tn(a2)], attr)) return `${NOT_MODELLED}: ${tn(a2)}.${attr}`;
        return `AttributeError: '${tn(a2)}' object has no attribute '${attr}'`;
      }
      default: return `error ${kind}`;
    }
  }
}

export { BINOP_SYMBOLS };
