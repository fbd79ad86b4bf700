/**
 * AST of cowsim's Python subset. Node kinds and field names are those of
 * CPython's `ast` module (Parser/Python.asdl, 3.9+ shapes: `Subscript.slice`
 * is the index expression itself, literals are `Constant`), so a compiler can
 * follow CPython's `Python/compile.c` closely.
 *
 * Differences from CPython's `ast`:
 * - the node class is the `kind` field; operators and contexts are strings
 *   ("Add", "Load", ...) instead of singleton nodes;
 * - positions: `line`/`endLine` are CPython's `lineno`/`end_lineno`;
 *   `column`/`endColumn` are 1-based code-point columns, i.e. CPython's
 *   `col_offset + 1` / `end_col_offset + 1` for ASCII source (CPython counts
 *   UTF-8 bytes); `endColumn` points just past the node's last character;
 * - `Constant.value`: ints are always `bigint` and floats always `number`
 *   (so `1` and `1.0` stay distinct), str is `string`, bytes `Uint8Array`,
 *   None `null`, True/False `boolean`; `Constant.prefix` keeps the literal's
 *   prefix of the first string piece ("u" gives CPython's `kind='u'`).
 */

export interface Located {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export type ExprContext = "Load" | "Store" | "Del";
export type Operator =
  | "Add" | "Sub" | "Mult" | "MatMult" | "Div" | "Mod" | "Pow" | "LShift" | "RShift" | "BitOr" | "BitXor" | "BitAnd" | "FloorDiv";
export type UnaryOperator = "Invert" | "Not" | "UAdd" | "USub";
export type BoolOperator = "And" | "Or";
export type CmpOperator = "Eq" | "NotEq" | "Lt" | "LtE" | "Gt" | "GtE" | "Is" | "IsNot" | "In" | "NotIn";
export type ConstantValue = null | boolean | bigint | number | string | Uint8Array;

// ---------------------------------------------------------------- module

export interface Module {
  kind: "Module";
  body: Stmt[];
}

// ---------------------------------------------------------------- statements

export interface Assign extends Located {
  kind: "Assign";
  /** Several targets for chained assignment `a = b = value` (left to right). */
  targets: Expr[];
  value: Expr;
}
export interface AugAssign extends Located {
  kind: "AugAssign";
  target: Name | Attribute | Subscript;
  op: Operator;
  value: Expr;
}
export interface Delete extends Located {
  kind: "Delete";
  targets: Expr[];
}
export interface ExprStmt extends Located {
  kind: "Expr";
  value: Expr;
}
export interface For extends Located {
  kind: "For";
  target: Expr;
  iter: Expr;
  body: Stmt[];
  orelse: Stmt[];
}
export interface While extends Located {
  kind: "While";
  test: Expr;
  body: Stmt[];
  orelse: Stmt[];
}
export interface If extends Located {
  kind: "If";
  test: Expr;
  body: Stmt[];
  /** `elif` is a nested If as the only statement of `orelse`, as in CPython. */
  orelse: Stmt[];
}
export interface Pass extends Located {
  kind: "Pass";
}
export interface Break extends Located {
  kind: "Break";
}
export interface Continue extends Located {
  kind: "Continue";
}
export interface Alias extends Located {
  kind: "alias";
  /** Dotted name for `import a.b`; "*" for `from m import *`. */
  name: string;
  asname: string | null;
}
export interface Import extends Located {
  kind: "Import";
  names: Alias[];
}
export interface ImportFrom extends Located {
  kind: "ImportFrom";
  /** null for `from . import x`. */
  module: string | null;
  names: Alias[];
  /** Number of leading dots (relative import level). */
  level: number;
}

export type Stmt = Assign | AugAssign | Delete | ExprStmt | For | While | If | Pass | Break | Continue | Import | ImportFrom;

// ---------------------------------------------------------------- expressions

export interface BoolOp extends Located {
  kind: "BoolOp";
  op: BoolOperator;
  /** `a or b or c` is one BoolOp with three values. */
  values: Expr[];
}
export interface BinOp extends Located {
  kind: "BinOp";
  left: Expr;
  op: Operator;
  right: Expr;
}
export interface UnaryOp extends Located {
  kind: "UnaryOp";
  op: UnaryOperator;
  operand: Expr;
}
export interface IfExp extends Located {
  kind: "IfExp";
  test: Expr;
  body: Expr;
  orelse: Expr;
}
export interface Dict extends Located {
  kind: "Dict";
  keys: Expr[];
  values: Expr[];
}
export interface SetExpr extends Located {
  kind: "Set";
  elts: Expr[];
}
export interface Comprehension {
  kind: "comprehension";
  target: Expr;
  iter: Expr;
  ifs: Expr[];
  is_async: 0;
}
export interface ListComp extends Located {
  kind: "ListComp";
  elt: Expr;
  generators: Comprehension[];
}
export interface SetComp extends Located {
  kind: "SetComp";
  elt: Expr;
  generators: Comprehension[];
}
export interface DictComp extends Located {
  kind: "DictComp";
  key: Expr;
  value: Expr;
  generators: Comprehension[];
}
export interface GeneratorExp extends Located {
  kind: "GeneratorExp";
  elt: Expr;
  generators: Comprehension[];
}
export interface Compare extends Located {
  kind: "Compare";
  left: Expr;
  ops: CmpOperator[];
  comparators: Expr[];
}
export interface Keyword extends Located {
  kind: "keyword";
  arg: string;
  value: Expr;
}
export interface Call extends Located {
  kind: "Call";
  func: Expr;
  args: Expr[];
  keywords: Keyword[];
}
export interface Constant extends Located {
  kind: "Constant";
  value: ConstantValue;
  /** String literals only: the prefix of the first piece exactly as written ("", "u", "U", "r", "b", "Rb", ...). */
  prefix?: string;
}
/** An f-string: literal runs (Constant str) and replacement fields, in order (CPython's JoinedStr). */
export interface JoinedStr extends Located {
  kind: "JoinedStr";
  values: (Constant | FormattedValue)[];
}
/** `{value!conversion}` in an f-string; conversion -1 (none), 115 `!s`, 114 `!r`, 97 `!a`. */
export interface FormattedValue extends Located {
  kind: "FormattedValue";
  value: Expr;
  conversion: number;
  format_spec: null;
}
export interface Attribute extends Located {
  kind: "Attribute";
  value: Expr;
  attr: string;
  ctx: ExprContext;
}
export interface Subscript extends Located {
  kind: "Subscript";
  value: Expr;
  /** The index: an expression, a Slice, or a Tuple (possibly containing Slices) for `a[i, j:k]`. */
  slice: Expr;
  ctx: ExprContext;
}
export interface Name extends Located {
  kind: "Name";
  id: string;
  ctx: ExprContext;
}
export interface List extends Located {
  kind: "List";
  elts: Expr[];
  ctx: ExprContext;
}
export interface Tuple extends Located {
  kind: "Tuple";
  elts: Expr[];
  ctx: ExprContext;
}
export interface Slice extends Located {
  kind: "Slice";
  lower: Expr | null;
  upper: Expr | null;
  step: Expr | null;
}

export type Expr =
  | BoolOp | BinOp | UnaryOp | IfExp | Dict | SetExpr | ListComp | SetComp | DictComp | GeneratorExp | Compare | Call
  | Constant | JoinedStr | FormattedValue | Attribute | Subscript | Name | List | Tuple | Slice;

export type Node = Module | Stmt | Expr | Alias | Keyword | Comprehension;

// ---------------------------------------------------------------- dump

/** Field order of each node kind, as in CPython's `_fields`. */
const FIELDS: Record<string, readonly string[]> = {
  Module: ["body", "type_ignores"],
  Assign: ["targets", "value", "type_comment"],
  AugAssign: ["target", "op", "value"],
  Delete: ["targets"],
  Expr: ["value"],
  For: ["target", "iter", "body", "orelse", "type_comment"],
  While: ["test", "body", "orelse"],
  If: ["test", "body", "orelse"],
  Pass: [],
  Break: [],
  Continue: [],
  alias: ["name", "asname"],
  Import: ["names"],
  ImportFrom: ["module", "names", "level"],
  BoolOp: ["op", "values"],
  BinOp: ["left", "op", "right"],
  UnaryOp: ["op", "operand"],
  IfExp: ["test", "body", "orelse"],
  Dict: ["keys", "values"],
  Set: ["elts"],
  comprehension: ["target", "iter", "ifs", "is_async"],
  ListComp: ["elt", "generators"],
  SetComp: ["elt", "generators"],
  DictComp: ["key", "value", "generators"],
  GeneratorExp: ["elt", "generators"],
  Compare: ["left", "ops", "comparators"],
  keyword: ["arg", "value"],
  Call: ["func", "args", "keywords"],
  Constant: ["value", "kind"],
  JoinedStr: ["values"],
  FormattedValue: ["value", "conversion", "format_spec"],
  Attribute: ["value", "attr", "ctx"],
  Subscript: ["value", "slice", "ctx"],
  Name: ["id", "ctx"],
  List: ["elts", "ctx"],
  Tuple: ["elts", "ctx"],
  Slice: ["lower", "upper", "step"],
};

/** Fields CPython's `ast.dump` leaves out when they are None (optional `?` fields). */
const OPTIONAL = new Set(["type_comment", "asname", "module", "kind", "lower", "upper", "step", "format_spec"]);

/**
 * Render a node like CPython 3.9-3.12's `ast.dump(node)` (or with
 * `include_attributes=True`), e.g. `Module(body=[Expr(value=Name(id='x', ctx=Load()))], type_ignores=[])`.
 * Useful to compare with the real interpreter.
 */
export function dump(node: Node, includeAttributes = false): string {
  return dumpValue(node, "", includeAttributes);
}

function dumpValue(v: unknown, field: string, attrs: boolean): string {
  if (Array.isArray(v)) {
    if (field === "ops") return "[" + v.map((o) => `${o}()`).join(", ") + "]";
    return "[" + v.map((x) => dumpValue(x, "", attrs)).join(", ") + "]";
  }
  if (v !== null && typeof v === "object" && !(v instanceof Uint8Array) && "kind" in v) {
    const n = v as unknown as Record<string, unknown>;
    const kind = n.kind as string;
    const parts: string[] = [];
    for (const f of FIELDS[kind] ?? []) {
      let fv: unknown = f === "kind" ? (n.prefix === "u" ? "u" : null) : n[f];
      if (f === "type_ignores") fv = [];
      if (fv === undefined || (fv === null && OPTIONAL.has(f))) continue;
      if (f === "op" || f === "ctx") parts.push(`${f}=${fv}()`);
      else if (kind === "Constant" && f === "value") parts.push(`value=${pyRepr(fv)}`);
      else parts.push(`${f}=${dumpValue(fv, f, attrs)}`);
    }
    if (attrs && "line" in n && kind !== "comprehension") {
      parts.push(`lineno=${n.line}`, `col_offset=${(n.column as number) - 1}`);
      parts.push(`end_lineno=${n.endLine}`, `end_col_offset=${(n.endColumn as number) - 1}`);
    }
    return `${kind}(${parts.join(", ")})`;
  }
  if (typeof v === "number") return String(v);
  return pyRepr(v);
}

const PY_PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u;

/** Python's `repr()` of a constant value (str, bytes, int, float, bool, None). */
export function pyRepr(v: unknown): string {
  if (v === null || v === undefined) return "None";
  if (v === true) return "True";
  if (v === false) return "False";
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number") return floatRepr(v);
  if (typeof v === "string") return strRepr(v);
  if (v instanceof Uint8Array) return bytesRepr(v);
  return String(v);
}

/** Python's `float.__repr__` (shortest round-trip digits, exponent if exp < -4 or >= 16). */
export function floatRepr(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  const [mant, expStr] = Math.abs(x).toExponential().split("e");
  const digits = mant.replace(".", "");
  const exp = Number(expStr);
  if (exp < -4 || exp >= 16) {
    const m = digits.length > 1 ? digits[0] + "." + digits.slice(1) : digits;
    return `${sign}${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
  }
  if (exp < 0) return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  if (digits.length <= exp + 1) return `${sign}${digits}${"0".repeat(exp + 1 - digits.length)}.0`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

function strRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === "\\") out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (cp < 0x20 || cp === 0x7f) out += "\\x" + cp.toString(16).padStart(2, "0");
    else if (cp < 0x7f) out += ch;
    else if (cp >= 0xd800 && cp <= 0xdfff) out += "\\u" + cp.toString(16).padStart(4, "0");
    else if (PY_PRINTABLE.test(ch)) out += ch;
    else if (cp <= 0xff) out += "\\x" + cp.toString(16).padStart(2, "0");
    else if (cp <= 0xffff) out += "\\u" + cp.toString(16).padStart(4, "0");
    else out += "\\U" + cp.toString(16).padStart(8, "0");
  }
  return out + quote;
}

function bytesRepr(b: Uint8Array): string {
  let hasSingle = false;
  let hasDouble = false;
  for (const c of b) {
    if (c === 0x27) hasSingle = true;
    if (c === 0x22) hasDouble = true;
  }
  const quote = hasSingle && !hasDouble ? '"' : "'";
  let out = "b" + quote;
  for (const c of b) {
    const ch = String.fromCharCode(c);
    if (ch === quote || ch === "\\") out += "\\" + ch;
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || c >= 0x7f) out += "\\x" + c.toString(16).padStart(2, "0");
    else out += ch;
  }
  return out + quote;
}
