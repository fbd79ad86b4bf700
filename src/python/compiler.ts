/**
 * The compiler: a parsed step (src/python/parser.ts) to the evaluator's
 * bytecode (src/python/bytecode.ts), following what CPython's compiler emits
 * where it matters for memory:
 *
 *   - module-level names are LOAD_NAME / STORE_NAME on the __main__ dict;
 *   - constants are made once per step (co_consts), tuples of constants are
 *     folded into constant tuples, `-1` is a constant, int arithmetic on
 *     constants is folded as each version's optimiser does it (2.7 and 3.6
 *     peephole, 3.7+ AST optimiser; 3.x with the safe_* size limits, so
 *     `2**70` stays a runtime long_pow on 3.x while 2.7 folds it to a long);
 *   - `for` creates an iterator (GET_ITER) and stores each item (FOR_ITER,
 *     STORE_NAME: the previous value is decref'd);
 *   - comprehensions keep their loop variables in fast locals (a function's
 *     locals up to 3.11, hidden fast locals of 3.12's inlined comprehensions),
 *     except 2.7 list comprehensions, which use the enclosing scope's names;
 *   - `a, b = b, a` swaps on the stack without a tuple (the compiler's
 *     optimisation since 2.x);
 *   - method calls use LOAD_METHOD / CALL_METHOD (no bound method object);
 *   - a generator expression is a function (GEN_FUNC = MAKE_FUNCTION) called
 *     with its first iterable's iterator (GET_ITER in the enclosing scope,
 *     GEN_CALL), returning a generator; its body is compiled after the
 *     step's RETURN, with a header (GEN_HEADER) giving its fast locals, its
 *     length and CPython's co_stacksize / co_nlocals for it (frame and
 *     generator sizes), and runs in the generator's own frame (YIELD_VALUE
 *     suspends it, GEN_RETURN ends it).
 *
 * Errors are CowsimErrors with the line and column of the construct.
 */
import type * as A from "./ast.js";
import { CowsimError } from "../errors.js";
import { Op, BINOPS, CMPOPS, GEN_HEADER_WORDS } from "./bytecode.js";
import { BUILTINS, BUILTINS_27, MODULES, MODULE_FUNCTIONS, METHODS, SUBMODULES } from "./builtins.js";

export type ConstSpec =
  | { kind: "none" }
  | { kind: "bool"; value: boolean }
  /** `long`: a 2.7 long (its value may fit an int: `2**63 - 1`). */
  | { kind: "int"; value: bigint; long?: boolean }
  | { kind: "float"; value: number }
  | { kind: "str"; value: string }
  | { kind: "bytes"; value: Uint8Array }
  | { kind: "tuple"; items: ConstSpec[] };

export interface CodeUnit {
  code: Uint32Array;
  /** Source position of each instruction (1-based line, column). */
  positions: { line: number; column: number }[];
  consts: ConstSpec[];
  names: string[];
  /** Per name: [builtin id or -1, module attribute (module << 8 | builtin) or -1, method id or 0]. */
  nameInfo: Int32Array;
  stackSize: number;
  nlocals: number;
  /** Names of fast locals (comprehension variables), for messages. */
  localNames: string[];
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

class Label {
  target = -1;
  refs: number[] = [];
}

/** A generator expression whose body is compiled after the step's code. */
interface PendingGen {
  e: A.GeneratorExp;
  id: number;
  /** The GEN_CALL to point at the body. */
  callAt: number;
  /** Fast locals of the enclosing function scopes (a reference to one would be a closure). */
  outer: Set<string>;
}

/** Instructions [start, end) during which CPython's stack holds `delta` more slots than ours (see stackDepth). */
interface StackRange {
  start: number;
  end: number;
  delta: number;
}

interface LoopCtx {
  breakLabel: Label;
  continueLabel: Label;
  /** true for `for` loops: break must drop the iterator. */
  hasIter: boolean;
}

export class Compiler {
  private code: number[] = [];
  private positions: { line: number; column: number }[] = [];
  private consts: ConstSpec[] = [];
  private constKeys = new Map<string, number>();
  private names: string[] = [];
  private nameIndex = new Map<string, number>();
  private locals: string[] = [];
  /** Comprehension variable scopes: name -> fast local index. */
  private scopes: Map<string, number>[] = [];
  private loops: LoopCtx[] = [];
  private compCount = 0;
  private pos = { line: 1, column: 1 };
  /** Generator expression bodies still to compile. */
  private pending: PendingGen[] = [];
  /** Compiling a generator expression's body (a function scope of its own). */
  private inFunction = false;
  /** Names that are fast locals of an enclosing function scope (while inFunction). */
  private outerLocals = new Set<string>();
  /** While inFunction: the names CPython counts in the function's co_nlocals besides `.0`. */
  private coNames = new Set<string>();
  private stackRanges: StackRange[] = [];

  constructor(private readonly version: number) {}

  static compile(module: A.Module, version: number): CodeUnit {
    const c = new Compiler(version);
    for (const s of module.body) c.stmt(s);
    c.emit(Op.RETURN, 0);
    const nlocals = c.locals.length;
    const localNames = c.locals;
    // Generator expression bodies (a body may hold further generator expressions).
    while (c.pending.length) c.genexpBody(c.pending.shift()!);
    return { ...c.finish(), nlocals, localNames };
  }

  private finish(): CodeUnit {
    const info = new Int32Array(this.names.length * 3);
    this.names.forEach((n, i) => {
      const b = BUILTINS[n] ?? (this.version < 300 ? BUILTINS_27[n] : undefined);
      info[3 * i] = b ?? -1;
      let attr = -1;
      for (const [mod, fns] of Object.entries(MODULE_FUNCTIONS)) {
        if (fns[n] !== undefined) { attr = (MODULES[mod] << 8) | fns[n]; break; }
      }
      if (attr < 0 && SUBMODULES[n] !== undefined) attr = SUBMODULES[n];
      info[3 * i + 1] = attr;
      info[3 * i + 2] = METHODS[n] ?? 0;
    });
    return {
      code: Uint32Array.from(this.code),
      positions: this.positions,
      consts: this.consts,
      names: this.names,
      nameInfo: info,
      stackSize: this.code.length + 8,
      nlocals: this.locals.length,
      localNames: this.locals,
    };
  }

  // --- emission ------------------------------------------------------------------------------------

  private emit(op: Op, arg = 0): number {
    if (arg < 0 || arg >= 1 << 24) throw this.error("too large to compile (argument out of range)");
    this.code.push((op | (arg << 8)) >>> 0);
    this.positions.push({ ...this.pos });
    return this.code.length - 1;
  }

  private emitJump(op: Op, label: Label): void {
    const at = this.emit(op, 0);
    if (label.target >= 0) this.code[at] = (op | (label.target << 8)) >>> 0;
    else label.refs.push(at);
  }

  private place(label: Label): void {
    label.target = this.code.length;
    for (const at of label.refs) this.code[at] = ((this.code[at] & 0xff) | (label.target << 8)) >>> 0;
    label.refs = [];
  }

  private at(node: A.Located): void {
    this.pos = { line: node.line, column: node.column };
  }

  private error(what: string, node?: A.Located): CowsimError {
    const where = node ? { line: node.line, column: node.column } : { line: this.pos.line, column: this.pos.column };
    return new CowsimError(what, where);
  }

  private unsupported(what: string, node: A.Located): CowsimError {
    return this.error(`unsupported construct: ${what}`, node);
  }

  private name(n: string): number {
    let i = this.nameIndex.get(n);
    if (i === undefined) {
      i = this.names.length;
      this.names.push(n);
      this.nameIndex.set(n, i);
    }
    return i;
  }

  private constIndex(c: ConstSpec): number {
    const key = constKey(c);
    let i = this.constKeys.get(key);
    if (i === undefined) {
      i = this.consts.length;
      this.consts.push(c);
      this.constKeys.set(key, i);
    }
    return i;
  }

  private loadConst(c: ConstSpec): void {
    this.emit(Op.LOAD_CONST, this.constIndex(c));
  }

  // --- statements ----------------------------------------------------------------------------------

  private stmt(s: A.Stmt): void {
    this.at(s);
    switch (s.kind) {
      case "Expr":
        this.expr(s.value);
        this.emit(Op.POP_TOP);
        return;
      case "Assign":
        return this.assign(s);
      case "AugAssign":
        return this.augAssign(s);
      case "Delete":
        for (const t of s.targets) this.del(t);
        return;
      case "Pass":
        return;
      case "If": {
        const orelse = new Label(), end = new Label();
        this.test(s.test, orelse);
        for (const b of s.body) this.stmt(b);
        if (s.orelse.length) {
          this.emitJump(Op.JUMP, end);
          this.place(orelse);
          for (const b of s.orelse) this.stmt(b);
        } else {
          this.place(orelse);
        }
        this.place(end);
        return;
      }
      case "While": {
        const top = new Label(), orelse = new Label(), end = new Label();
        this.place(top);
        this.test(s.test, orelse);
        this.loops.push({ breakLabel: end, continueLabel: top, hasIter: false });
        for (const b of s.body) this.stmt(b);
        this.loops.pop();
        this.emitJump(Op.JUMP, top);
        this.place(orelse);
        for (const b of s.orelse) this.stmt(b);
        this.place(end);
        return;
      }
      case "For": {
        const top = new Label(), done = new Label(), end = new Label();
        this.expr(s.iter);
        this.at(s);
        this.emit(Op.GET_ITER);
        this.place(top);
        this.emitJump(Op.FOR_ITER, done);
        this.store(s.target);
        this.loops.push({ breakLabel: end, continueLabel: top, hasIter: true });
        for (const b of s.body) this.stmt(b);
        this.loops.pop();
        this.emitJump(Op.JUMP, top);
        this.place(done);
        for (const b of s.orelse) this.stmt(b);
        this.place(end);
        return;
      }
      case "Break": {
        const loop = this.loops[this.loops.length - 1];
        if (!loop) throw this.error("SyntaxError: 'break' outside loop", s);
        if (loop.hasIter) this.emit(Op.POP_ITER);
        this.emitJump(Op.JUMP, loop.breakLabel);
        return;
      }
      case "Continue": {
        const loop = this.loops[this.loops.length - 1];
        if (!loop) throw this.error("SyntaxError: 'continue' not properly in loop", s);
        this.emitJump(Op.JUMP, loop.continueLabel);
        return;
      }
      case "Import":
        for (const a of s.names) {
          const id = MODULES[a.name];
          if (id === undefined) throw this.unsupported(`import of module '${a.name}' (cowsim knows gc, sys, array, multiprocessing.sharedctypes)`, a);
          // `import a.b` binds `a`; `import a.b as c` binds the submodule.
          const top = a.asname ? a.name : a.name.split(".")[0];
          this.emit(Op.IMPORT_MODULE, MODULES[top]);
          this.emit(Op.STORE_NAME, this.name(a.asname ?? top));
        }
        return;
      case "ImportFrom": {
        const mod = s.module ?? "";
        const fns = MODULE_FUNCTIONS[mod];
        // A submodule (`from multiprocessing import sharedctypes`): the module object, as `import a.b as b`.
        const isSub = (n: string) => SUBMODULES[n] !== undefined && SUBMODULES[n] >> 8 === MODULES[mod];
        if (s.level !== 0 || (!fns && !s.names.some((a) => isSub(a.name)))) throw this.unsupported(`import from module '${mod}'`, s);
        for (const a of s.names) {
          if (a.name === "*" || (fns?.[a.name] === undefined && !isSub(a.name))) throw this.unsupported(`'${a.name}' from '${mod}'`, a);
          this.emit(Op.IMPORT_MODULE, MODULES[mod]);
          this.emit(Op.LOAD_ATTR, this.name(a.name));
          this.emit(Op.STORE_NAME, this.name(a.asname ?? a.name));
        }
        return;
      }
    }
  }

  private assign(s: A.Assign): void {
    // a, b = b, a: evaluate the right side on the stack, rotate, store (no tuple is built).
    const t0 = s.targets[0];
    if (s.targets.length === 1 && (t0.kind === "Tuple" || t0.kind === "List") && s.value.kind === "Tuple" &&
        t0.elts.length === s.value.elts.length && t0.elts.length >= 2 && t0.elts.length <= 3 &&
        !isConstTuple(s.value)) {
      for (const e of s.value.elts) this.expr(e);
      this.at(s);
      if (t0.elts.length === 2) this.emit(Op.ROT_TWO);
      else { this.emit(Op.ROT_THREE); this.emit(Op.ROT_TWO); }
      for (const t of t0.elts) this.store(t);
      return;
    }
    this.expr(s.value);
    s.targets.forEach((t, i) => {
      if (i < s.targets.length - 1) this.emit(Op.DUP_TOP);
      this.store(t);
    });
  }

  private augAssign(s: A.AugAssign): void {
    const op = BINOPS[s.op];
    if (op === undefined) throw this.unsupported(`operator ${s.op}=`, s);
    const t = s.target;
    if (t.kind === "Name") {
      this.load(t.id, t);
      this.expr(s.value);
      this.at(s);
      this.emit(Op.INPLACE_OP, op);
      this.storeName(t.id, t);
    } else if (t.kind === "Subscript") {
      this.expr(t.value);
      this.subscriptKey(t.slice);
      this.emit(Op.DUP_TOP_TWO);
      this.emit(Op.BINARY_SUBSCR);
      this.expr(s.value);
      this.at(s);
      this.emit(Op.INPLACE_OP, op);
      this.emit(Op.ROT_THREE);
      this.emit(Op.STORE_SUBSCR);
    } else {
      throw this.unsupported("assignment to an attribute", t);
    }
  }

  private del(t: A.Expr): void {
    this.at(t);
    if (t.kind === "Name") {
      const local = this.lookupLocal(t.id);
      if (local !== undefined) throw this.unsupported("del of a comprehension variable", t);
      this.emit(Op.DELETE_NAME, this.name(t.id));
    } else if (t.kind === "Subscript") {
      this.expr(t.value);
      this.subscriptKey(t.slice);
      this.at(t);
      this.emit(Op.DELETE_SUBSCR);
    } else if (t.kind === "Tuple" || t.kind === "List") {
      for (const e of t.elts) this.del(e);
    } else {
      throw this.unsupported(`del of ${describe(t)}`, t);
    }
  }

  /** Stores TOS into a target. */
  private store(t: A.Expr): void {
    this.at(t);
    switch (t.kind) {
      case "Name":
        return this.storeName(t.id, t);
      case "Subscript":
        this.expr(t.value);
        this.subscriptKey(t.slice);
        this.at(t);
        this.emit(Op.STORE_SUBSCR);
        return;
      case "Tuple":
      case "List":
        this.emit(Op.UNPACK_SEQUENCE, t.elts.length);
        for (const e of t.elts) this.store(e);
        return;
      case "Attribute":
        throw this.unsupported("assignment to an attribute", t);
      default:
        throw this.unsupported(`assignment to ${describe(t)}`, t);
    }
  }

  private storeName(id: string, node: A.Located): void {
    const local = this.lookupLocal(id);
    this.at(node);
    if (local !== undefined) this.emit(Op.STORE_FAST, local);
    else this.emit(Op.STORE_NAME, this.name(id));
  }

  private load(id: string, node: A.Located): void {
    this.at(node);
    const local = this.lookupLocal(id);
    if (local !== undefined) {
      this.emit(Op.LOAD_FAST, local);
      return;
    }
    if (this.inFunction && this.outerLocals.has(id)) {
      // CPython makes the variable a cell and the generator a closure over it (LOAD_CLOSURE, a cell
      // object, MAKE_FUNCTION with a closure tuple, LOAD_DEREF): not modelled.
      throw this.unsupported(`a generator expression using '${id}' of an enclosing comprehension or generator expression (a closure)`, node);
    }
    if (this.version < 300 && (id === "True" || id === "False" || id === "None")) {
      // 2.7: True/False are builtins; None is a constant of the compiler.
      this.loadConst(id === "None" ? { kind: "none" } : { kind: "bool", value: id === "True" });
      return;
    }
    this.emit(Op.LOAD_NAME, this.name(id));
  }

  private lookupLocal(id: string): number | undefined {
    for (let i = this.scopes.length - 1; i >= 0; i--) {
      const v = this.scopes[i].get(id);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** Jumps to `orelse` when the test is false. */
  private test(e: A.Expr, orelse: Label): void {
    this.expr(e);
    this.at(e);
    this.emitJump(Op.POP_JUMP_IF_FALSE, orelse);
  }

  // --- expressions ---------------------------------------------------------------------------------

  private expr(e: A.Expr): void {
    this.at(e);
    const folded = this.fold(e);
    if (folded) {
      this.loadConst(folded);
      return;
    }
    switch (e.kind) {
      case "Constant":
        this.loadConst(constOf(e.value, this, e));
        return;
      case "Name":
        return this.load(e.id, e);
      case "BinOp": {
        const op = BINOPS[e.op];
        if (op === undefined) throw this.unsupported(`operator ${e.op}`, e);
        this.expr(e.left);
        this.expr(e.right);
        this.at(e);
        this.emit(Op.BINARY_OP, op);
        return;
      }
      case "UnaryOp":
        this.expr(e.operand);
        this.at(e);
        this.emit({ USub: Op.UNARY_NEG, UAdd: Op.UNARY_POS, Not: Op.UNARY_NOT, Invert: Op.UNARY_INVERT }[e.op]);
        return;
      case "BoolOp": {
        const end = new Label();
        e.values.forEach((v, i) => {
          this.expr(v);
          if (i < e.values.length - 1) {
            this.at(e);
            this.emitJump(e.op === "And" ? Op.JUMP_IF_FALSE_OR_POP : Op.JUMP_IF_TRUE_OR_POP, end);
          }
        });
        this.place(end);
        return;
      }
      case "Compare":
        return this.compare(e);
      case "IfExp": {
        const orelse = new Label(), end = new Label();
        this.test(e.test, orelse);
        this.expr(e.body);
        this.emitJump(Op.JUMP, end);
        this.place(orelse);
        this.expr(e.orelse);
        this.place(end);
        return;
      }
      case "Tuple":
        for (const x of e.elts) this.expr(x);
        this.at(e);
        this.emit(Op.BUILD_TUPLE, e.elts.length);
        return;
      case "List":
        for (const x of e.elts) this.expr(x);
        this.at(e);
        this.emit(Op.BUILD_LIST, e.elts.length);
        return;
      case "Set":
        for (const x of e.elts) this.expr(x);
        this.at(e);
        this.emit(Op.BUILD_SET, e.elts.length);
        return;
      case "Dict":
        e.keys.forEach((k, i) => {
          this.expr(k);
          this.expr(e.values[i]);
        });
        this.at(e);
        this.emit(Op.BUILD_MAP, e.keys.length);
        return;
      case "Subscript":
        this.expr(e.value);
        this.subscriptKey(e.slice);
        this.at(e);
        this.emit(Op.BINARY_SUBSCR);
        return;
      case "Slice":
        throw this.unsupported("a slice outside of a subscript", e);
      case "Attribute":
        this.expr(e.value);
        this.at(e);
        this.emit(Op.LOAD_ATTR, this.name(e.attr));
        return;
      case "Call":
        return this.call(e);
      case "ListComp":
        return this.comprehension(e, "list");
      case "SetComp":
        return this.comprehension(e, "set");
      case "DictComp":
        return this.comprehension(e, "dict");
      case "GeneratorExp":
        return this.genexp(e);
      case "JoinedStr": {
        // compiler_joined_str (3.6+): each piece, then BUILD_STRING unless there is exactly one.
        // 2.7 has no f-strings: its tokenizer reads `f` as a name before a string.
        if (this.version < 300) throw this.error("SyntaxError: invalid syntax", { line: e.endLine, column: Math.max(1, e.endColumn - 1) } as A.Located);
        // 3.10+ joins more than 30 pieces with ''.join([...]) instead (STACK_USE_GUIDELINE).
        if (e.values.length > 30) throw this.unsupported("an f-string of more than 30 parts", e);
        for (const v of e.values) this.expr(v);
        this.at(e);
        if (e.values.length !== 1) this.emit(Op.BUILD_STRING, e.values.length);
        return;
      }
      case "FormattedValue": {
        if (e.conversion === 114 || e.conversion === 97) {
          throw this.error(`not modelled by cowsim yet: the !${e.conversion === 114 ? "r" : "a"} conversion in an f-string`, e.value);
        }
        this.expr(e.value);
        this.at(e);
        this.emit(Op.FORMAT_VALUE, e.conversion === 115 ? 1 : 0);
        return;
      }
    }
  }

  private subscriptKey(s: A.Expr): void {
    if (s.kind === "Slice") {
      const none = (x: A.Expr | null) => (x ? this.expr(x) : this.loadConst({ kind: "none" }));
      none(s.lower);
      none(s.upper);
      if (s.step) this.expr(s.step);
      this.at(s);
      this.emit(Op.BUILD_SLICE, s.step ? 3 : 2);
    } else {
      this.expr(s);
    }
  }

  private compare(e: A.Compare): void {
    this.expr(e.left);
    if (e.ops.length === 1) {
      this.expr(e.comparators[0]);
      this.at(e);
      this.emit(Op.COMPARE_OP, CMPOPS[e.ops[0]]);
      return;
    }
    const cleanup = new Label(), end = new Label();
    e.ops.forEach((op, i) => {
      this.expr(e.comparators[i]);
      this.at(e);
      if (i < e.ops.length - 1) {
        this.emit(Op.DUP_TOP);
        this.emit(Op.ROT_THREE);
        this.emit(Op.COMPARE_OP, CMPOPS[op]);
        this.emitJump(Op.JUMP_IF_FALSE_OR_POP, cleanup);
      } else {
        this.emit(Op.COMPARE_OP, CMPOPS[op]);
      }
    });
    this.emitJump(Op.JUMP, end);
    this.place(cleanup);
    this.emit(Op.ROT_TWO);
    this.emit(Op.POP_TOP);
    this.place(end);
  }

  private call(e: A.Call): void {
    if (e.func.kind === "Attribute" && e.keywords.length) {
      // 2.7-3.10: LOAD_ATTR (a bound method) and CALL_FUNCTION(_KW); 3.11+: LOAD_METHOD/LOAD_ATTR and
      // CALL with KW_NAMES (3.13 CALL_KW). Our names tuple is one stack slot in every version (2.7
      // pushes each name before its value; 3.11/3.12 keep the names out of the stack).
      this.expr(e.func.value);
      this.at(e.func);
      const lm = this.emit(Op.LOAD_METHOD_KW, this.name(e.func.attr));
      for (const a of e.args) this.expr(a);
      for (const k of e.keywords) this.expr(k.value);
      this.at(e);
      this.loadConst({ kind: "tuple", items: e.keywords.map((k) => ({ kind: "str", value: k.arg })) });
      if (e.args.length + e.keywords.length >= 0xfff) throw this.unsupported("a call with that many arguments", e);
      const cm = this.emit(Op.CALL_METHOD_KW, (e.args.length + e.keywords.length) | (e.keywords.length << 12));
      if (this.version < 311) this.stackRanges.push({ start: lm, end: cm, delta: -1 });
      return;
    }
    if (e.func.kind === "Attribute") {
      this.expr(e.func.value);
      this.at(e.func);
      const lm = this.emit(Op.LOAD_METHOD, this.name(e.func.attr));
      for (const a of e.args) this.expr(a);
      this.at(e);
      const cm = this.emit(Op.CALL_METHOD, e.args.length);
      // 2.7/3.6: LOAD_ATTR leaves one slot (a bound method) where LOAD_METHOD leaves two.
      if (this.version < 307) this.stackRanges.push({ start: lm, end: cm, delta: -1 });
      return;
    }
    const start = this.code.length;
    this.expr(e.func);
    for (const a of e.args) this.expr(a);
    for (const k of e.keywords) this.expr(k.value);
    this.at(e);
    if (e.keywords.length) {
      this.loadConst({ kind: "tuple", items: e.keywords.map((k) => ({ kind: "str", value: k.arg })) });
    }
    if (e.args.length + e.keywords.length >= 0xfff) throw this.unsupported("a call with that many arguments", e);
    const at = this.emit(Op.CALL, (e.args.length + e.keywords.length) | (e.keywords.length << 12));
    // 3.11+: PUSH_NULL before the callable (one more slot until the call).
    if (this.version >= 311) this.stackRanges.push({ start, end: at, delta: 1 });
  }

  /**
   * (elt for x in it …): MAKE_FUNCTION (GEN_FUNC), the first iterable and
   * GET_ITER here, the call (GEN_CALL) makes the generator. The body is
   * compiled later (genexpBody), in a function scope of its own, as CPython
   * compiles a <genexpr> code object (2.7 to 3.13: never inlined).
   */
  private genexp(e: A.GeneratorExp): void {
    this.at(e);
    const id = this.compCount++;
    const outer = new Set<string>(this.outerLocals);
    for (const sc of this.scopes) for (const k of sc.keys()) outer.add(k);
    this.emit(Op.GEN_FUNC, id);
    this.expr(e.generators[0].iter);
    this.at(e);
    this.emit(Op.GET_ITER);
    const callAt = this.emit(Op.GEN_CALL, 0);
    this.pending.push({ e, id, callAt, outer });
  }

  /**
   * A generator expression's body: GEN_HEADER (+4 argument words), then
   * LOAD_FAST .0, the loops (FOR_ITER, STORE_FAST, the conditions), the
   * element, YIELD_VALUE, the jumps back, GEN_RETURN. Fast locals: .0 and
   * the targets (and those of comprehensions inside, flattened).
   */
  private genexpBody(p: PendingGen): void {
    const saved = {
      locals: this.locals, scopes: this.scopes, loops: this.loops, inFunction: this.inFunction,
      outerLocals: this.outerLocals, coNames: this.coNames,
    };
    const e = p.e;
    const base = new Map<string, number>();
    this.locals = [".0"];
    this.scopes = [base];
    this.loops = [];
    this.inFunction = true;
    this.outerLocals = p.outer;
    this.coNames = new Set();
    this.at(e);
    const hdr = this.emit(Op.GEN_HEADER, p.id);
    for (let i = 1; i < GEN_HEADER_WORDS; i++) this.emit(Op.NOP, 0);
    const entry = this.code.length;
    this.emit(Op.LOAD_FAST, 0);
    const declare = (t: A.Expr) => {
      if (t.kind === "Name") {
        if (!base.has(t.id)) {
          base.set(t.id, this.locals.length);
          this.locals.push(t.id);
        }
        this.coNames.add(t.id);
      } else if (t.kind === "Tuple" || t.kind === "List") t.elts.forEach(declare);
      else throw this.unsupported(`a generator expression target of ${describe(t)}`, t);
    };
    const ends: Label[] = [];
    e.generators.forEach((g, depth) => {
      if (depth > 0) {
        this.expr(g.iter);
        this.at(e);
        this.emit(Op.GET_ITER);
      }
      declare(g.target);
      const top = new Label(), done = new Label();
      this.place(top);
      this.at(e);
      this.emitJump(Op.FOR_ITER, done);
      this.store(g.target);
      for (const c of g.ifs) this.test(c, top);
      ends.push(top, done);
    });
    this.expr(e.elt);
    this.at(e);
    this.emit(Op.YIELD_VALUE);
    for (let i = ends.length - 2; i >= 0; i -= 2) {
      this.emitJump(Op.JUMP, ends[i]);
      this.place(ends[i + 1]);
    }
    this.at(e);
    this.emit(Op.GEN_RETURN);
    const end = this.code.length;
    const words = [this.locals.length, end - hdr, this.stackDepth(entry, end), 1 + this.coNames.size];
    for (const [i, w] of words.entries()) {
      if (w >= 1 << 24) throw this.error("too large to compile (a generator expression)");
      this.code[hdr + 1 + i] = (Op.NOP | (w << 8)) >>> 0;
    }
    this.code[p.callAt] = (Op.GEN_CALL | (hdr << 8)) >>> 0;
    Object.assign(this, saved);
  }

  /**
   * CPython's co_stacksize for a generator expression body [entry, end): the
   * deepest value stack of our bytecode over every path, plus the slots
   * CPython holds and we do not (3.11+: the NULL under a called function)
   * or minus those we hold and it does not (2.7/3.6: a bound method is one
   * slot, our LOAD_METHOD two). 3.12+ also reserves 2 for the implicit
   * StopIteration handler. Exact for the forms in test/fixtures/getsizeof.json;
   * approximate around keyword arguments and comprehensions inside the body
   * (a separate frame up to 3.11, inlined with its own stack shuffles after).
   */
  private stackDepth(entry: number, end: number): number {
    const depth = new Array<number>(end - entry).fill(-1);
    const extra = (i: number) => {
      let d = 0;
      for (const r of this.stackRanges) if (r.start <= i && i < r.end) d += r.delta;
      return d;
    };
    let max = 0;
    const work: [number, number][] = [[entry, 0]];
    while (work.length) {
      let [pc, d] = work.pop()!;
      while (pc >= entry && pc < end && depth[pc - entry] < 0) {
        depth[pc - entry] = d;
        const insn = this.code[pc];
        const op = insn & 0xff, arg = insn >>> 8;
        let next = d, jump = -1, jumpDepth = d, stop = false;
        switch (op) {
          case Op.LOAD_CONST: case Op.LOAD_NAME: case Op.LOAD_FAST: case Op.DUP_TOP: case Op.IMPORT_MODULE:
          case Op.GEN_FUNC: case Op.LOAD_METHOD: case Op.LOAD_METHOD_KW:
            next = d + 1; break;
          case Op.DUP_TOP_TWO: next = d + 2; break;
          case Op.STORE_NAME: case Op.STORE_FAST: case Op.POP_TOP: case Op.BINARY_OP: case Op.INPLACE_OP:
          case Op.COMPARE_OP: case Op.LIST_APPEND: case Op.SET_ADD: case Op.BINARY_SUBSCR: case Op.POP_ITER:
          case Op.GEN_CALL: case Op.YIELD_VALUE:
            next = d - 1; break;
          case Op.MAP_ADD: case Op.DELETE_SUBSCR: next = d - 2; break;
          case Op.STORE_SUBSCR: next = d - 3; break;
          case Op.BUILD_TUPLE: case Op.BUILD_LIST: case Op.BUILD_SET: case Op.BUILD_SLICE: case Op.BUILD_STRING:
            next = d - arg + 1; break;
          case Op.BUILD_MAP: next = d - 2 * arg + 1; break;
          case Op.UNPACK_SEQUENCE: next = d - 1 + arg; break;
          case Op.CALL: next = d - (arg & 0xfff) - ((arg >> 12) > 0 ? 1 : 0); break;
          case Op.CALL_METHOD: next = d - arg - 1; break;
          case Op.CALL_METHOD_KW: next = d - (arg & 0xfff) - 2; break;
          case Op.FOR_ITER: next = d + 1; jump = arg; jumpDepth = d - 1; break;
          case Op.JUMP: jump = arg; stop = true; break;
          case Op.POP_JUMP_IF_FALSE: case Op.POP_JUMP_IF_TRUE: next = d - 1; jump = arg; jumpDepth = d - 1; break;
          case Op.JUMP_IF_FALSE_OR_POP: case Op.JUMP_IF_TRUE_OR_POP: next = d - 1; jump = arg; break;
          case Op.GEN_RETURN: case Op.RETURN: stop = true; break;
          default: break; // NOP, ROT_*, UNARY_*, GET_ITER, LOAD_ATTR, COMP_*, DELETE_NAME, FORMAT_VALUE: no change
        }
        max = Math.max(max, next + extra(pc), jump >= 0 ? jumpDepth + extra(pc) : 0);
        if (jump >= 0) work.push([jump, jumpDepth]);
        if (stop) break;
        pc++;
        d = next;
      }
    }
    return this.version >= 312 ? Math.max(max, 2) : max;
  }

  /**
   * [elt for x in it if c …]: BUILD_LIST 0, then nested loops appending
   * (LIST_APPEND reaches the list under the iterators). Loop variables are
   * fast locals, except in 2.7 list comprehensions (enclosing scope names).
   */
  private comprehension(e: A.ListComp | A.SetComp | A.DictComp, kind: "list" | "set" | "dict"): void {
    this.at(e);
    const buildOp = kind === "list" ? Op.BUILD_LIST : kind === "set" ? Op.BUILD_SET : Op.BUILD_MAP;
    // 2.7 list comprehensions run inline in the enclosing code (BUILD_LIST first, loop names in the
    // namespace). Everywhere else up to 3.11 a comprehension is a function: MAKE_FUNCTION, the first
    // iterable and GET_ITER in the enclosing code, a call (a frame up to 3.10), BUILD_* inside it.
    // 3.12+ inlines it (PEP 709): GET_ITER, then BUILD_*, no function and no frame.
    const inline27 = this.version < 300 && kind === "list";
    const isFunction = !inline27 && this.version < 312;
    const id = this.compCount++;
    if (inline27) this.emit(buildOp, 0);
    else if (isFunction) this.emit(Op.COMP_ENTER, id);
    // Inside a generator expression, a 2.7 list comprehension's names are the function's own fast locals.
    const scope = inline27 && this.inFunction ? this.scopes[0] : new Map<string, number>();
    const declare = (t: A.Expr) => {
      if (inline27 && !this.inFunction) return;
      if (t.kind === "Name") {
        if (!scope.has(t.id)) {
          scope.set(t.id, this.locals.length);
          this.locals.push(t.id);
        }
        // Names CPython counts in the enclosing generator expression's co_nlocals: 2.7 list comprehensions
        // (inline) and 3.12+ inlined comprehensions (PEP 709); up to 3.11 others are functions of their own.
        if (this.inFunction && !isFunction) this.coNames.add(t.id);
      } else if (t.kind === "Tuple" || t.kind === "List") t.elts.forEach(declare);
      else throw this.unsupported(`a comprehension target of ${describe(t)}`, t);
    };
    const ends: Label[] = [];
    e.generators.forEach((g, depth) => {
      // The first iterable is evaluated in the enclosing scope.
      this.expr(g.iter);
      if (depth === 0 && !inline27) this.scopes.push(scope);
      declare(g.target);
      this.at(e);
      this.emit(Op.GET_ITER);
      if (depth === 0 && !inline27) {
        if (isFunction) {
          // Frame slots: co_nlocals (.0 and the loop names) + co_stacksize (estimated: the result, the
          // iterators and a few operands).
          const nvars = countNames(e.generators.map((x) => x.target));
          const extras = Math.min(0xfff, 1 + nvars + 2 + e.generators.length + 3);
          this.emit(Op.COMP_CALL, (id & 0xfff) | (extras << 12));
        }
        this.emit(buildOp, 0);
        this.emit(Op.ROT_TWO);
      }
      const top = new Label(), done = new Label();
      this.place(top);
      this.emitJump(Op.FOR_ITER, done);
      this.store(g.target);
      for (const c of g.ifs) this.test(c, top);
      ends.push(top, done);
    });
    if (kind === "dict") {
      const d = e as A.DictComp;
      this.expr(d.key);
      this.expr(d.value);
      this.at(e);
      this.emit(Op.MAP_ADD, e.generators.length + 1);
    } else {
      this.expr((e as A.ListComp).elt);
      this.at(e);
      this.emit(kind === "set" ? Op.SET_ADD : Op.LIST_APPEND, e.generators.length + 1);
    }
    for (let i = ends.length - 2; i >= 0; i -= 2) {
      this.emitJump(Op.JUMP, ends[i]);
      this.place(ends[i + 1]);
    }
    if (!inline27) this.scopes.pop();
    if (isFunction) this.emit(Op.COMP_EXIT, id);
  }

  // --- constant folding (CPython's AST optimiser) ---------------------------------------------------------

  private fold(e: A.Expr): ConstSpec | null {
    if (e.kind === "UnaryOp" && e.op === "USub" && e.operand.kind === "Constant") {
      const v = e.operand.value;
      if (typeof v === "bigint") return this.intConst(-v, e);
      if (typeof v === "number") return { kind: "float", value: -v };
    }
    if (e.kind === "BinOp" || e.kind === "UnaryOp") {
      const r = this.foldInt(e);
      if (r) return { kind: "int", value: r.value, long: this.version < 300 && r.long ? true : undefined };
    }
    if (e.kind === "Tuple" && e.ctx === "Load" && e.elts.length > 0) {
      const items = e.elts.map((x) => this.fold(x) ?? (x.kind === "Constant" ? constOf(x.value, this, x) : null));
      if (items.every((x) => x !== null)) return { kind: "tuple", items: items as ConstSpec[] };
    }
    return null;
  }

  /**
   * Int arithmetic on int constants, folded as CPython's optimiser does:
   * every operator but `/`; an error (division by zero, a negative shift, a
   * negative power: a float) leaves the operation to run time; 3.x refuses
   * results that could be big (safe_multiply: bits(a) + bits(b) > 128;
   * safe_power: bits(a) > 128 / b; safe_lshift: b > 128 or bits(a) > 128 - b).
   * 2.7: the result is a long when an operand is one or it overflows a C long.
   */
  private foldInt(e: A.Expr): { value: bigint; long: boolean } | null {
    if (e.kind === "Constant") return typeof e.value === "bigint" ? { value: e.value, long: e.value < INT64_MIN || e.value > INT64_MAX } : null;
    if (e.kind === "UnaryOp") {
      if (e.op !== "USub" && e.op !== "Invert" && !(e.op === "UAdd" && this.version >= 300)) return null;
      const a = this.foldInt(e.operand);
      if (!a) return null;
      if (e.op === "USub" && this.version < 300 && a.value === 0n && e.operand.kind !== "Constant") return null; // 2.7 folds -x only for a true x
      const value = e.op === "USub" ? -a.value : e.op === "Invert" ? -a.value - 1n : a.value;
      return { value, long: a.long || value < INT64_MIN || value > INT64_MAX };
    }
    if (e.kind !== "BinOp") return null;
    const a = this.foldInt(e.left);
    if (!a) return null;
    const b = this.foldInt(e.right);
    if (!b) return null;
    const x = a.value, y = b.value;
    const bits = (v: bigint) => (v < 0n ? -v : v).toString(2).length - (v === 0n ? 1 : 0);
    const py3 = this.version >= 300;
    let r: bigint;
    switch (e.op) {
      case "Add": r = x + y; break;
      case "Sub": r = x - y; break;
      case "Mult":
        if (py3 && x !== 0n && y !== 0n && bits(x) + bits(y) > 128) return null;
        r = x * y;
        break;
      case "FloorDiv": case "Mod": {
        if (y === 0n) return null;
        let q = x / y;
        if ((x % y !== 0n) && ((x < 0n) !== (y < 0n))) q -= 1n;
        r = e.op === "FloorDiv" ? q : x - q * y;
        break;
      }
      case "Pow":
        if (y < 0n) return null;
        if (py3 && x !== 0n && y > 0n && bits(x) > Math.floor(128 / Number(y))) return null;
        if (!py3 && y > 100000n) return null;
        r = x ** y;
        break;
      case "LShift":
        if (y < 0n) return null;
        if (py3 && x !== 0n && y !== 0n && (y > 128n || bits(x) > 128 - Number(y))) return null;
        if (!py3 && y > 100000n) return null;
        r = x << y;
        break;
      case "RShift": if (y < 0n) return null; r = x >> y; break;
      case "BitAnd": r = x & y; break;
      case "BitOr": r = x | y; break;
      case "BitXor": r = x ^ y; break;
      default: return null;
    }
    return { value: r, long: a.long || b.long || r < INT64_MIN || r > INT64_MAX };
  }

  intConst(v: bigint, node: A.Located): ConstSpec {
    void node;
    return { kind: "int", value: v };
  }
}

function isConstTuple(t: A.Tuple): boolean {
  return t.elts.every((x) => x.kind === "Constant");
}

function constOf(v: A.ConstantValue, c: Compiler, node: A.Located): ConstSpec {
  if (v === null) return { kind: "none" };
  if (typeof v === "boolean") return { kind: "bool", value: v };
  if (typeof v === "bigint") return c.intConst(v, node);
  if (typeof v === "number") return { kind: "float", value: v };
  if (typeof v === "string") return { kind: "str", value: v };
  return { kind: "bytes", value: v };
}

function constKey(c: ConstSpec): string {
  switch (c.kind) {
    case "none": return "N";
    case "bool": return c.value ? "T" : "F";
    case "int": return "i" + c.value.toString() + (c.long ? "L" : "");
    case "float": return "f" + (Object.is(c.value, -0) ? "-0" : String(c.value));
    case "str": return "s" + JSON.stringify(c.value);
    case "bytes": return "b" + Array.from(c.value).join(",");
    case "tuple": return "(" + c.items.map(constKey).join(";") + ")";
  }
}

function describe(e: A.Expr): string {
  switch (e.kind) {
    case "Call": return "a function call";
    case "Constant": return "a literal";
    case "Attribute": return "an attribute";
    default: return `a ${e.kind} expression`;
  }
}

function countNames(targets: A.Expr[]): number {
  let n = 0;
  const walk = (t: A.Expr) => {
    if (t.kind === "Name") n++;
    else if (t.kind === "Tuple" || t.kind === "List") t.elts.forEach(walk);
  };
  targets.forEach(walk);
  return n;
}
