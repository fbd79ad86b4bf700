/**
 * Recursive-descent parser for cowsim's Python subset, producing the AST of
 * `ast.ts`. It follows the structure and precedence of CPython 3.11's PEG
 * grammar (Grammar/python.gram): statements, star_expressions, expression
 * (conditional), disjunction, conjunction, inversion, comparison, bitwise_or,
 * bitwise_xor, bitwise_and, shift_expr, sum, term, factor, power, primary, atom.
 *
 * Valid Python outside the subset raises CowsimError
 * "unsupported construct: ..."; invalid Python raises "SyntaxError: ..."
 * (or IndentationError/TabError) with CPython 3.11's wording where practical.
 * Nesting is bounded (MAX_NESTING parse recursion, MAX_AST_DEPTH tree depth)
 * so adversarial input gets an error, never a stack overflow.
 */
import { CowsimError } from "../errors.js";
import type * as A from "./ast.js";
import { Lexer, syntaxError, unsupported } from "./lexer.js";
import { KEYWORDS, type Token } from "./tokens.js";

/** Maximum nesting of recursive constructs (brackets, unary operators, `not`, `**`, `if`-`else`) while parsing. */
export const MAX_NESTING = 200;
/** Maximum depth of the produced tree (e.g. a chain `1+1+...+1` of 500 operators), so later recursive passes are safe. */
export const MAX_AST_DEPTH = 500;

/**
 * A replacement field's expression, parsed as `(expr)` placed where it stands in the source (so
 * positions and errors name the real line and column).
 */
function fieldExpression(text: string, line: number, column: number): A.Expr {
  const m = parse("\n".repeat(line - 1) + "(" + " ".repeat(Math.max(0, column - 2)) + text + ")");
  const s = m.body[0];
  if (m.body.length !== 1 || s.kind !== "Expr") throw syntaxError("f-string: invalid syntax", line, column);
  return s.value;
}

export function parse(source: string): A.Module {
  return new Parser(source).parseModule();
}

interface Pos {
  line: number;
  column: number;
}

const AUG_OPS: Record<string, A.Operator> = {
  "+=": "Add", "-=": "Sub", "*=": "Mult", "/=": "Div", "//=": "FloorDiv", "%=": "Mod", "**=": "Pow",
  "<<=": "LShift", ">>=": "RShift", "&=": "BitAnd", "|=": "BitOr", "^=": "BitXor",
};

/** Binary operator levels from loosest (bitwise_or) to tightest (term). */
const BIN_LEVELS: ReadonlyArray<Record<string, A.Operator>> = [
  { "|": "BitOr" },
  { "^": "BitXor" },
  { "&": "BitAnd" },
  { "<<": "LShift", ">>": "RShift" },
  { "+": "Add", "-": "Sub" },
  { "*": "Mult", "/": "Div", "//": "FloorDiv", "%": "Mod", "@": "MatMult" },
];

const CMP_OPS: Record<string, A.CmpOperator> = { "==": "Eq", "!=": "NotEq", "<": "Lt", "<=": "LtE", ">": "Gt", ">=": "GtE" };

/** Statements that are valid Python but not part of the subset (keyword -> description). */
const UNSUPPORTED_STMTS: Record<string, string> = {
  def: "'def' statement", class: "'class' statement", with: "'with' statement", try: "'try' statement",
  async: "'async' statement", global: "'global' statement", nonlocal: "'nonlocal' statement",
  assert: "'assert' statement", raise: "'raise' statement", return: "'return' statement",
};

/** CPython `_PyPegen_get_expr_name`: how error messages name an expression. */
function exprName(e: A.Expr): string {
  switch (e.kind) {
    case "Constant":
      if (e.value === null) return "None";
      if (e.value === true) return "True";
      if (e.value === false) return "False";
      return "literal";
    case "BoolOp": case "BinOp": case "UnaryOp": return "expression";
    case "Compare": return "comparison";
    case "Call": return "function call";
    case "IfExp": return "conditional expression";
    case "ListComp": return "list comprehension";
    case "SetComp": return "set comprehension";
    case "DictComp": return "dict comprehension";
    case "GeneratorExp": return "generator expression";
    case "Dict": return "dict literal";
    case "Set": return "set display";
    case "Tuple": return "tuple";
    case "List": return "list";
    case "Name": return "name";
    case "Attribute": return "attribute";
    case "Subscript": return "subscript";
    case "Slice": return "slice";
    case "JoinedStr": return "f-string expression";
    case "FormattedValue": return "f-string expression";
  }
}

class Parser {
  private readonly lexer: Lexer;
  private readonly buf: Token[] = [];
  /** End position of the last consumed token. */
  private lastEnd: Pos = { line: 1, column: 1 };
  private nesting = 0;
  /** How many brackets the parser is inside. */
  private bracketDepth = 0;
  /** The last disjunction parsed, for "Perhaps you forgot a comma?". */
  private lastDisjunction: A.Expr | undefined;
  private loopDepth = 0;
  /** Span including the parentheses of expressions written as `( expr )`. */
  private readonly parenSpan = new WeakMap<object, A.Located>();
  /** End of the last simple statement line (before its NEWLINE, including a trailing ';'): compound statements end there. */
  private stmtEnd: Pos = { line: 1, column: 1 };

  constructor(source: string) {
    this.lexer = new Lexer(source);
  }

  // ------------------------------------------------------------ token helpers

  private peek(k = 0): Token {
    while (this.buf.length <= k) {
      const last = this.buf[this.buf.length - 1];
      if (last && last.type === "ENDMARKER") return last;
      this.buf.push(this.lexer.next());
    }
    return this.buf[k];
  }

  private advance(): Token {
    const t = this.peek();
    if (t.type !== "ENDMARKER") this.buf.shift();
    this.lastEnd = { line: t.endLine, column: t.endColumn };
    return t;
  }

  private isOp(op: string, k = 0): boolean {
    const t = this.peek(k);
    return t.type === "OP" && t.text === op;
  }

  private isKw(kw: string, k = 0): boolean {
    const t = this.peek(k);
    return t.type === "NAME" && t.text === kw;
  }

  private acceptOp(op: string): Token | undefined {
    return this.isOp(op) ? this.advance() : undefined;
  }

  private acceptKw(kw: string): Token | undefined {
    return this.isKw(kw) ? this.advance() : undefined;
  }

  /** Error for an unexpected token: unsupported construct when it starts one, otherwise "invalid syntax". */
  private fail(t: Token = this.peek(), msg = "invalid syntax"): never {
    if (t.type === "INDENT") throw syntaxError("unexpected indent", t.line, t.endColumn, "IndentationError");
    if (t.type === "OP") {
      if (t.text === ":=") throw unsupported("assignment expression (':=')", t.line, t.column);
      if (t.text === "<>") throw unsupported("'<>' operator", t.line, t.column);
      if (t.text === "...") throw unsupported("Ellipsis ('...')", t.line, t.column);
    }
    if (t.type === "NAME") {
      if (t.text === "lambda") throw unsupported("'lambda' expression", t.line, t.column);
      if (t.text === "yield") throw unsupported("'yield' expression", t.line, t.column);
      if (t.text === "await") throw unsupported("'await' expression", t.line, t.column);
    }
    const d = this.lastDisjunction;
    if (
      msg === "invalid syntax" && this.bracketDepth > 0 && d && this.startsExpression(t) && !this.isKw("yield") &&
      !(t.type === "OP" && ["-", "+", "*"].includes(t.text))
    ) {
      const e = this.parenSpan.get(d) ?? d;
      if (e.endLine === this.lastEnd.line && e.endColumn === this.lastEnd.column) {
        throw syntaxError("invalid syntax. Perhaps you forgot a comma?", e.line, e.column);
      }
    }
    throw syntaxError(msg, t.line, t.column);
  }

  private expectOp(op: string, msg?: string): Token {
    if (!this.isOp(op)) this.fail(this.peek(), msg);
    return this.advance();
  }

  private expectKw(kw: string, msg?: string): Token {
    if (!this.isKw(kw)) this.fail(this.peek(), msg);
    return this.advance();
  }

  private expectName(): Token {
    const t = this.peek();
    if (t.type !== "NAME" || KEYWORDS.has(t.text)) this.fail(t);
    return this.advance();
  }

  /** Fill in a node's position from `start` to the end of the last consumed token. */
  private fin<T extends object>(node: T, start: Pos, end: Pos = this.lastEnd): T & A.Located {
    return Object.assign(node, { line: start.line, column: start.column, endLine: end.line, endColumn: end.column });
  }

  /** Position from the start of `from` to the end of `to`, both including any parentheses around them. */
  private span<T extends object>(node: T, from: A.Located | Pos, to: A.Located): T & A.Located {
    const f = this.parenSpan.get(from as A.Expr) ?? from;
    const e = this.parenSpan.get(to as A.Expr) ?? to;
    return Object.assign(node, { line: f.line, column: f.column, endLine: e.endLine, endColumn: e.endColumn });
  }

  /** Start of a node or token; for a parenthesized expression, the '(' (CPython positions are token based). */
  private start(n: A.Located | Pos): Pos {
    const p = this.parenSpan.get(n as A.Expr) ?? n;
    return { line: p.line, column: p.column };
  }

  private enter(t: Token, bracket = false): void {
    if (bracket) this.bracketDepth++;
    if (++this.nesting > MAX_NESTING) {
      throw syntaxError(`too many nested expressions (more than ${MAX_NESTING} levels)`, t.line, t.column);
    }
  }

  private leave(bracket = false): void {
    if (bracket) this.bracketDepth--;
    this.nesting--;
  }

  /** Can `t` begin an expression? */
  private startsExpression(t: Token): boolean {
    if (t.type === "NUMBER" || t.type === "STRING") return true;
    if (t.type === "NAME") {
      return !KEYWORDS.has(t.text) || ["None", "True", "False", "not", "lambda", "await", "yield"].includes(t.text);
    }
    if (t.type === "OP") return ["(", "[", "{", "-", "+", "~", "*", "..."].includes(t.text);
    return false;
  }

  // ------------------------------------------------------------ statements

  parseModule(): A.Module {
    const body: A.Stmt[] = [];
    while (this.peek().type !== "ENDMARKER") body.push(...this.parseStatement());
    return { kind: "Module", body };
  }

  private parseStatement(): A.Stmt[] {
    const t = this.peek();
    let out: A.Stmt[];
    if (t.type === "NAME") {
      if (t.text === "if") out = [this.parseIf()];
      else if (t.text === "while") out = [this.parseWhile()];
      else if (t.text === "for") out = [this.parseFor()];
      else out = this.parseSimpleStatements();
    } else if (t.type === "OP" && t.text === "@") {
      throw unsupported("decorator", t.line, t.column);
    } else {
      out = this.parseSimpleStatements();
    }
    for (const s of out) checkDepth(s);
    return out;
  }

  private parseSimpleStatements(): A.Stmt[] {
    const out: A.Stmt[] = [];
    for (;;) {
      out.push(this.parseSimpleStatement());
      if (this.acceptOp(";")) {
        if (this.peek().type === "NEWLINE") break;
        continue;
      }
      break;
    }
    if (this.peek().type !== "NEWLINE") this.fail();
    this.stmtEnd = this.lastEnd;
    this.advance();
    return out;
  }

  private parseSimpleStatement(): A.Stmt {
    const t = this.peek();
    const start = this.start(t);
    if (t.type === "NAME") {
      const kw = t.text;
      if (kw in UNSUPPORTED_STMTS) throw unsupported(UNSUPPORTED_STMTS[kw], t.line, t.column);
      switch (kw) {
        case "pass":
          this.advance();
          return this.fin({ kind: "Pass" as const }, start);
        case "break":
        case "continue":
          this.advance();
          if (this.loopDepth === 0) throw syntaxError(`'${kw}' ${kw === "break" ? "outside loop" : "not properly in loop"}`, t.line, t.column);
          return this.fin({ kind: kw === "break" ? ("Break" as const) : ("Continue" as const) }, start);
        case "del":
          return this.parseDel();
        case "import":
          return this.parseImport();
        case "from":
          return this.parseFromImport();
        case "if": case "while": case "for": case "else": case "elif": case "except": case "finally": case "in": case "is":
        case "and": case "or": case "as":
          this.fail(t);
          break;
        case "print":
        case "exec": {
          const n = this.peek(1);
          if ((n.type === "NAME" && (!KEYWORDS.has(n.text) || ["None", "True", "False"].includes(n.text))) || n.type === "NUMBER" || n.type === "STRING") {
            throw unsupported(`'${kw}' statement (Python 2; use ${kw}(...))`, t.line, t.column);
          }
          break;
        }
        case "match":
        case "case":
          if (this.looksLikeSoftKeywordBlock()) throw unsupported(`'${kw}' statement`, t.line, t.column);
          break;
        case "type": {
          const n = this.peek(1);
          if (n.type === "NAME" && !KEYWORDS.has(n.text) && (this.isOp("=", 2) || this.isOp("[", 2))) {
            throw unsupported("'type' statement", t.line, t.column);
          }
          break;
        }
      }
    }
    return this.parseExprOrAssign(start);
  }

  /** `match x:` / `case 1:` : the soft keyword is followed by an expression and the logical line ends with ':'. */
  private looksLikeSoftKeywordBlock(): boolean {
    const n = this.peek(1);
    if (!this.startsExpression(n)) return false;
    let k = 1;
    for (;;) {
      const t = this.peek(k);
      if (t.type === "NEWLINE" || t.type === "ENDMARKER") return this.isOp(":", k - 1);
      k++;
    }
  }

  private parseExprOrAssign(start: Pos): A.Stmt {
    const first = this.parseStarExpressions();
    const t = this.peek();
    if (t.type === "OP") {
      if (t.text === "=") {
        const targets: A.Expr[] = [first];
        let value: A.Expr;
        for (;;) {
          this.advance();
          const v = this.parseAssignValue();
          if (this.isOp("=")) { targets.push(v); continue; }
          value = v;
          break;
        }
        // CPython 3.11 adds "here. Maybe you meant '==' ..." when a single target's invalid part ends at the '='
        const eq = targets.length === 1 ? { line: first.endLine, column: first.endColumn } : undefined;
        for (const tg of targets) setContext(tg, "Store", eq);
        return this.fin({ kind: "Assign" as const, targets, value }, start);
      }
      if (t.text in AUG_OPS) {
        if (first.kind !== "Name" && first.kind !== "Attribute" && first.kind !== "Subscript") {
          throw syntaxError(`'${exprName(first)}' is an illegal expression for augmented assignment`, first.line, first.column);
        }
        this.advance();
        setContext(first, "Store");
        const value = this.parseAssignValue();
        return this.fin({ kind: "AugAssign" as const, target: first, op: AUG_OPS[t.text], value }, start);
      }
      if (t.text === "@=") throw unsupported("'@=' operator", t.line, t.column);
      if (t.text === ":") throw unsupported("annotated assignment", first.line, first.column);
    }
    return this.fin({ kind: "Expr" as const, value: first }, start);
  }

  private parseAssignValue(): A.Expr {
    if (this.isKw("yield")) this.fail();
    return this.parseStarExpressions();
  }

  private parseDel(): A.Delete {
    const start = this.start(this.advance());
    const targets: A.Expr[] = [];
    for (;;) {
      const t = this.peek();
      if (t.type === "OP" && t.text === "*") throw unsupported("starred expression ('*')", t.line, t.column);
      const e = this.parseExpression();
      setContext(e, "Del");
      targets.push(e);
      if (!this.acceptOp(",")) break;
      if (!this.startsExpression(this.peek())) break;
    }
    return this.fin({ kind: "Delete" as const, targets }, start);
  }

  /** A single target (for/del/comprehension): parsed at bitwise_or level so that `in` is not consumed. */
  private parseBitwiseOrTarget(): A.Expr {
    const t = this.peek();
    if (t.type === "OP" && t.text === "*") throw unsupported("starred assignment target", t.line, t.column);
    return this.parseBinary(0);
  }

  /** star_targets: `a`, `a, b`, `(a, b), c,` ... as one expression with Store context. */
  private parseTargetList(): A.Expr {
    const first = this.parseBitwiseOrTarget();
    if (!this.isOp(",")) {
      setContext(first, "Store");
      return first;
    }
    const elts: A.Expr[] = [first];
    while (this.acceptOp(",")) {
      if (!this.startsExpression(this.peek())) break;
      elts.push(this.parseBitwiseOrTarget());
    }
    const tuple = this.fin({ kind: "Tuple" as const, elts, ctx: "Load" as A.ExprContext }, this.start(first));
    setContext(tuple, "Store");
    return tuple;
  }

  private parseImport(): A.Import {
    const start = this.start(this.advance());
    const names: A.Alias[] = [];
    do {
      const first = this.expectName();
      let name = first.text;
      while (this.acceptOp(".")) name += "." + this.expectName().text;
      let asname: string | null = null;
      if (this.acceptKw("as")) asname = this.expectName().text;
      names.push(this.fin({ kind: "alias" as const, name, asname }, this.start(first)));
    } while (this.acceptOp(","));
    return this.fin({ kind: "Import" as const, names }, start);
  }

  private parseFromImport(): A.ImportFrom {
    const start = this.start(this.advance());
    let level = 0;
    for (;;) {
      if (this.acceptOp(".")) level += 1;
      else if (this.acceptOp("...")) level += 3;
      else break;
    }
    let module: string | null = null;
    if (level === 0 || !this.isKw("import")) {
      module = this.expectName().text;
      while (this.acceptOp(".")) module += "." + this.expectName().text;
    }
    this.expectKw("import");
    const names: A.Alias[] = [];
    const star = this.acceptOp("*");
    if (star) {
      names.push(this.fin({ kind: "alias" as const, name: "*", asname: null }, this.start(star)));
    } else {
      const paren = this.acceptOp("(");
      for (;;) {
        const first = this.expectName();
        let asname: string | null = null;
        if (this.acceptKw("as")) asname = this.expectName().text;
        names.push(this.fin({ kind: "alias" as const, name: first.text, asname }, this.start(first)));
        const comma = this.acceptOp(",");
        if (!comma) break;
        if (paren && this.isOp(")")) break;
        if (!paren && this.peek().type !== "NAME") {
          const n = this.peek();
          throw syntaxError("trailing comma not allowed without surrounding parentheses", n.line, n.column);
        }
      }
      if (paren) this.expectOp(")");
    }
    return this.fin({ kind: "ImportFrom" as const, module, names, level }, start);
  }

  /** Body after ':' : an indented block or simple statements on the same line. */
  private parseBlock(what: string, header: Token): A.Stmt[] {
    this.expectOp(":", "expected ':'");
    if (this.peek().type !== "NEWLINE") {
      const t = this.peek();
      if (t.type === "NAME" && ["if", "while", "for"].includes(t.text)) this.fail(t);
      if (t.type === "NAME" && t.text in UNSUPPORTED_STMTS && t.text !== "async") {
        throw unsupported(UNSUPPORTED_STMTS[t.text], t.line, t.column);
      }
      return this.parseSimpleStatements();
    }
    this.advance();
    const ind = this.peek();
    if (ind.type !== "INDENT") {
      throw syntaxError(`expected an indented block after '${what}' statement on line ${header.line}`, ind.line, ind.column, "IndentationError");
    }
    this.advance();
    const body: A.Stmt[] = [];
    while (this.peek().type !== "DEDENT" && this.peek().type !== "ENDMARKER") body.push(...this.parseStatement());
    if (this.peek().type === "DEDENT") this.advance();
    return body;
  }

  private parseLoopBody(what: string, header: Token): A.Stmt[] {
    this.loopDepth++;
    try {
      return this.parseBlock(what, header);
    } finally {
      this.loopDepth--;
    }
  }

  private parseIf(): A.If {
    // `elif` chains are parsed iteratively (each elif is an If nested in the previous orelse, as in CPython)
    const chain: Array<{ kw: Token; test: A.Expr; body: A.Stmt[] }> = [];
    let orelse: A.Stmt[] = [];
    do {
      const kw = this.advance(); // 'if' or 'elif'
      const test = this.parseNamedExpression();
      const body = this.parseBlock(kw.text, kw);
      chain.push({ kw, test, body });
    } while (this.isKw("elif"));
    if (this.isKw("else")) {
      const e = this.advance();
      orelse = this.parseBlock("else", e);
    }
    let node: A.If | undefined;
    for (let i = chain.length - 1; i >= 0; i--) {
      const { kw, test, body } = chain[i];
      node = this.fin({ kind: "If" as const, test, body, orelse }, this.start(kw), this.stmtEnd);
      orelse = [node];
    }
    return node!;
  }

  private parseWhile(): A.While {
    const kw = this.advance();
    const test = this.parseNamedExpression();
    const body = this.parseLoopBody("while", kw);
    let orelse: A.Stmt[] = [];
    if (this.isKw("else")) orelse = this.parseBlock("else", this.advance());
    return this.fin({ kind: "While" as const, test, body, orelse }, this.start(kw), this.stmtEnd);
  }

  private parseFor(): A.For {
    const kw = this.advance();
    const target = this.parseTargetList();
    this.expectKw("in");
    const iter = this.parseStarExpressions();
    const body = this.parseLoopBody("for", kw);
    let orelse: A.Stmt[] = [];
    if (this.isKw("else")) orelse = this.parseBlock("else", this.advance());
    return this.fin({ kind: "For" as const, target, iter, body, orelse }, this.start(kw), this.stmtEnd);
  }

  // ------------------------------------------------------------ expressions

  /** star_expressions: an expression, or a tuple without parentheses (`a, b,`). */
  private parseStarExpressions(): A.Expr {
    const first = this.parseStarExpression();
    if (!this.isOp(",")) return first;
    const elts: A.Expr[] = [first];
    while (this.acceptOp(",")) {
      if (!this.startsExpression(this.peek())) break;
      elts.push(this.parseStarExpression());
    }
    return this.fin({ kind: "Tuple" as const, elts, ctx: "Load" as A.ExprContext }, this.start(first));
  }

  private parseStarExpression(): A.Expr {
    const t = this.peek();
    if (t.type === "OP" && t.text === "*") throw unsupported("starred expression ('*')", t.line, t.column);
    return this.parseExpression();
  }

  private parseStarNamedExpression(): A.Expr {
    const t = this.peek();
    if (t.type === "OP" && t.text === "*") throw unsupported("starred expression ('*')", t.line, t.column);
    return this.parseNamedExpression();
  }

  /** named_expression: `:=` is not supported, so this is `expression` followed by a check. */
  private parseNamedExpression(): A.Expr {
    const e = this.parseExpression();
    if (this.isOp(":=")) this.fail();
    return e;
  }

  /** expression: disjunction ['if' disjunction 'else' expression] */
  private parseExpression(): A.Expr {
    const t = this.peek();
    if (t.type === "NAME" && t.text === "lambda") this.fail(t);
    const body = this.parseDisjunction();
    if (!this.isKw("if")) return body;
    this.advance();
    const test = this.parseDisjunction();
    if (!this.isKw("else")) throw syntaxError("expected 'else' after 'if' expression", body.line, body.column);
    const elseTok = this.advance();
    this.enter(elseTok);
    const orelse = this.parseExpression();
    this.leave();
    return this.span({ kind: "IfExp" as const, test, body, orelse }, body, orelse);
  }

  private parseDisjunction(): A.Expr {
    const first = this.parseConjunction();
    if (!this.isKw("or")) return (this.lastDisjunction = first);
    const values = [first];
    while (this.acceptKw("or")) values.push(this.parseConjunction());
    return (this.lastDisjunction = this.fin({ kind: "BoolOp" as const, op: "Or" as A.BoolOperator, values }, this.start(first)));
  }

  private parseConjunction(): A.Expr {
    const first = this.parseInversion();
    if (!this.isKw("and")) return first;
    const values = [first];
    while (this.acceptKw("and")) values.push(this.parseInversion());
    return this.fin({ kind: "BoolOp" as const, op: "And" as A.BoolOperator, values }, this.start(first));
  }

  private parseInversion(): A.Expr {
    const t = this.peek();
    if (t.type === "NAME" && t.text === "not") {
      this.advance();
      this.enter(t);
      const operand = this.parseInversion();
      this.leave();
      return this.fin({ kind: "UnaryOp" as const, op: "Not" as A.UnaryOperator, operand }, this.start(t));
    }
    return this.parseComparison();
  }

  private compareOp(): A.CmpOperator | undefined {
    const t = this.peek();
    if (t.type === "OP") {
      if (t.text === "<>") this.fail(t);
      return CMP_OPS[t.text];
    }
    if (t.type === "NAME") {
      if (t.text === "in") return "In";
      if (t.text === "is") return this.isKw("not", 1) ? "IsNot" : "Is";
      if (t.text === "not" && this.isKw("in", 1)) return "NotIn";
    }
    return undefined;
  }

  private parseComparison(): A.Expr {
    const left = this.parseBinary(0);
    let op = this.compareOp();
    if (!op) return left;
    const ops: A.CmpOperator[] = [];
    const comparators: A.Expr[] = [];
    while (op) {
      this.advance();
      if (op === "IsNot" || op === "NotIn") this.advance();
      ops.push(op);
      comparators.push(this.parseBinary(0));
      op = this.compareOp();
    }
    return this.fin({ kind: "Compare" as const, left, ops, comparators }, this.start(left));
  }

  /** bitwise_or .. term: left-associative binary operators, level 0 = '|' ... level 5 = '*' '/' '//' '%'. */
  private parseBinary(level: number): A.Expr {
    if (level === BIN_LEVELS.length) return this.parseFactor();
    const ops = BIN_LEVELS[level];
    let left = this.parseBinary(level + 1);
    for (;;) {
      const t = this.peek();
      if (t.type !== "OP" || !(t.text in ops)) return left;
      if (t.text === "@") throw unsupported("'@' operator", t.line, t.column);
      this.advance();
      const right = this.parseBinary(level + 1);
      left = this.span({ kind: "BinOp" as const, left, op: ops[t.text], right }, left, right);
    }
  }

  private parseFactor(): A.Expr {
    const t = this.peek();
    if (t.type === "OP" && (t.text === "-" || t.text === "+" || t.text === "~")) {
      this.advance();
      this.enter(t);
      const operand = this.parseFactor();
      this.leave();
      const op: A.UnaryOperator = t.text === "-" ? "USub" : t.text === "+" ? "UAdd" : "Invert";
      return this.span({ kind: "UnaryOp" as const, op, operand }, t, operand);
    }
    return this.parsePower();
  }

  private parsePower(): A.Expr {
    const t = this.peek();
    if (t.type === "NAME" && t.text === "await") this.fail(t);
    const base = this.parsePrimary();
    if (!this.isOp("**")) return base;
    const op = this.advance();
    this.enter(op);
    const right = this.parseFactor();
    this.leave();
    return this.span({ kind: "BinOp" as const, left: base, op: "Pow" as A.Operator, right }, base, right);
  }

  private parsePrimary(): A.Expr {
    let e = this.parseAtom();
    for (;;) {
      const t = this.peek();
      if (t.type !== "OP") return e;
      if (t.text === ".") {
        this.advance();
        const name = this.expectName();
        e = this.fin({ kind: "Attribute" as const, value: e, attr: name.text, ctx: "Load" as A.ExprContext }, this.start(e));
      } else if (t.text === "(") {
        e = this.parseCall(e);
      } else if (t.text === "[") {
        this.advance();
        this.enter(t, true);
        const slice = this.parseSlices();
        this.expectOp("]");
        this.leave(true);
        e = this.fin({ kind: "Subscript" as const, value: e, slice, ctx: "Load" as A.ExprContext }, this.start(e));
      } else {
        return e;
      }
    }
  }

  private parseCall(func: A.Expr): A.Call {
    const open = this.advance();
    this.enter(open, true);
    const args: A.Expr[] = [];
    const keywords: A.Keyword[] = [];
    const seen = new Set<string>();
    while (!this.isOp(")")) {
      const t = this.peek();
      if (t.type === "OP" && (t.text === "*" || t.text === "**")) {
        throw unsupported(`'${t.text}' argument unpacking in call`, t.line, t.column);
      }
      if (t.type === "NAME" && !KEYWORDS.has(t.text) && this.isOp("=", 1)) {
        this.advance();
        this.advance();
        const value = this.parseExpression();
        if (seen.has(t.text)) throw syntaxError(`keyword argument repeated: ${t.text}`, t.line, t.column);
        seen.add(t.text);
        keywords.push(this.span({ kind: "keyword" as const, arg: t.text, value }, t, value));
      } else {
        let e = this.parseNamedExpression();
        if (this.isOp("=")) {
          throw syntaxError('expression cannot contain assignment, perhaps you meant "=="?', e.line, e.column);
        }
        if (this.isKw("for") || this.isKw("async")) {
          if (args.length || keywords.length) throw syntaxError("Generator expression must be parenthesized", e.line, e.column);
          const generators = this.parseComprehensions();
          if (!this.isOp(")")) {
            throw syntaxError("Generator expression must be parenthesized", e.line, e.column);
          }
          e = { kind: "GeneratorExp", elt: e, generators, line: open.line, column: open.column, endLine: this.peek().endLine, endColumn: this.peek().endColumn };
        } else if (keywords.length) {
          throw syntaxError("positional argument follows keyword argument", e.line, e.column);
        }
        args.push(e);
      }
      if (!this.acceptOp(",")) break;
    }
    this.expectOp(")");
    this.leave(true);
    return this.fin({ kind: "Call" as const, func, args, keywords }, this.start(func));
  }

  /** slices: slice | slice (',' slice)* [','] -> Tuple */
  private parseSlices(): A.Expr {
    const first = this.parseSlice();
    if (!this.isOp(",")) return first;
    const elts: A.Expr[] = [first];
    while (this.acceptOp(",")) {
      if (this.isOp("]")) break;
      elts.push(this.parseSlice());
    }
    return this.fin({ kind: "Tuple" as const, elts, ctx: "Load" as A.ExprContext }, this.start(first));
  }

  private parseSlice(): A.Expr {
    const t = this.peek();
    if (t.type === "OP" && t.text === "*") throw unsupported("starred expression ('*')", t.line, t.column);
    let lower: A.Expr | null = null;
    if (!this.isOp(":")) {
      lower = this.parseExpression();
      if (!this.isOp(":")) {
        if (this.isOp(":=")) this.fail();
        return lower;
      }
    }
    this.advance(); // ':'
    const endsPart = () => this.isOp(":") || this.isOp("]") || this.isOp(",");
    const upper = endsPart() ? null : this.parseExpression();
    let step: A.Expr | null = null;
    if (this.acceptOp(":")) step = this.isOp("]") || this.isOp(",") ? null : this.parseExpression();
    return this.fin({ kind: "Slice" as const, lower, upper, step }, this.start(t));
  }

  private parseAtom(): A.Expr {
    const t = this.peek();
    const start = this.start(t);
    switch (t.type) {
      case "NAME":
        if (t.text === "None" || t.text === "True" || t.text === "False") {
          this.advance();
          const value = t.text === "None" ? null : t.text === "True";
          return this.fin({ kind: "Constant" as const, value }, start);
        }
        if (KEYWORDS.has(t.text)) this.fail(t);
        this.advance();
        return this.fin({ kind: "Name" as const, id: t.text, ctx: "Load" as A.ExprContext }, start);
      case "NUMBER":
        if (t.imaginary) throw unsupported("complex (imaginary) literal", t.line, t.column);
        this.advance();
        return this.fin({ kind: "Constant" as const, value: t.value as bigint | number }, start);
      case "STRING":
        return this.parseStrings();
      case "OP":
        if (t.text === "(") return this.parseParen();
        if (t.text === "[") return this.parseList();
        if (t.text === "{") return this.parseBrace();
        break;
    }
    return this.fail(t);
  }

  private parseStrings(): A.Constant | A.JoinedStr {
    const first = this.peek();
    const pieces: Token[] = [];
    while (this.peek().type === "STRING") pieces.push(this.advance());
    if (pieces.some((p) => p.fparts)) return this.joinedStr(pieces);
    const isBytes = (p: Token) => p.value instanceof Uint8Array;
    let value: string | Uint8Array;
    if (pieces.some((p) => isBytes(p) !== isBytes(first))) {
      throw syntaxError("cannot mix bytes and nonbytes literals", first.line, first.column);
    }
    if (isBytes(first)) {
      const total = pieces.reduce((n, p) => n + (p.value as Uint8Array).length, 0);
      const out = new Uint8Array(total);
      let at = 0;
      for (const p of pieces) { out.set(p.value as Uint8Array, at); at += (p.value as Uint8Array).length; }
      value = out;
    } else {
      value = pieces.map((p) => p.value as string).join("");
    }
    return this.fin({ kind: "Constant" as const, value, prefix: first.prefix ?? "" }, this.start(first));
  }

  /**
   * Implicitly concatenated literals of which at least one is an f-string: CPython's JoinedStr, its
   * adjacent literal runs merged (empty ones dropped), each replacement field's expression parsed
   * where it stands in the source.
   */
  private joinedStr(pieces: Token[]): A.JoinedStr {
    const first = pieces[0];
    if (pieces.some((p) => p.value instanceof Uint8Array)) {
      throw syntaxError("cannot mix bytes and nonbytes literals", first.line, first.column);
    }
    const last = pieces[pieces.length - 1];
    const span = { line: first.line, column: first.column, endLine: last.endLine, endColumn: last.endColumn };
    const values: (A.Constant | A.FormattedValue)[] = [];
    let lit = "";
    const flush = () => {
      if (lit !== "") values.push({ kind: "Constant", value: lit, ...span });
      lit = "";
    };
    for (const p of pieces) {
      for (const part of p.fparts ?? [{ literal: p.value as string }]) {
        if ("literal" in part) { lit += part.literal; continue; }
        flush();
        values.push({ kind: "FormattedValue", value: fieldExpression(part.expr, part.line, part.column), conversion: part.conversion, format_spec: null, ...span });
      }
    }
    flush();
    return { kind: "JoinedStr", values, ...span };
  }

  private parseParen(): A.Expr {
    const open = this.advance();
    this.enter(open, true);
    try {
      if (this.acceptOp(")")) return this.fin({ kind: "Tuple" as const, elts: [], ctx: "Load" as A.ExprContext }, this.start(open));
      if (this.isKw("yield")) this.fail();
      const first = this.parseStarNamedExpression();
      if (this.isKw("for") || this.isKw("async")) {
        const generators = this.parseComprehensions();
        this.expectOp(")");
        return this.fin({ kind: "GeneratorExp" as const, elt: first, generators }, this.start(open));
      }
      if (!this.isOp(",")) {
        this.expectOp(")");
        this.parenSpan.set(first, { line: open.line, column: open.column, endLine: this.lastEnd.line, endColumn: this.lastEnd.column });
        return first;
      }
      const elts = [first, ...this.parseMoreElements(")")];
      this.expectOp(")");
      return this.fin({ kind: "Tuple" as const, elts, ctx: "Load" as A.ExprContext }, this.start(open));
    } finally {
      this.leave(true);
    }
  }

  /** After a first element and with ',' next: the remaining elements up to (not including) `close`. */
  private parseMoreElements(close: string): A.Expr[] {
    const elts: A.Expr[] = [];
    while (this.acceptOp(",")) {
      if (this.isOp(close)) break;
      elts.push(this.parseStarNamedExpression());
    }
    return elts;
  }

  private forgotParens(first: A.Expr, count: number): void {
    if (count > 1 && this.isKw("for")) {
      throw syntaxError("did you forget parentheses around the comprehension target?", first.line, first.column);
    }
  }

  private parseList(): A.Expr {
    const open = this.advance();
    this.enter(open, true);
    try {
      if (this.acceptOp("]")) return this.fin({ kind: "List" as const, elts: [], ctx: "Load" as A.ExprContext }, this.start(open));
      const first = this.parseStarNamedExpression();
      if (this.isKw("for") || this.isKw("async")) {
        const generators = this.parseComprehensions();
        this.expectOp("]");
        return this.fin({ kind: "ListComp" as const, elt: first, generators }, this.start(open));
      }
      const elts = [first, ...this.parseMoreElements("]")];
      this.forgotParens(first, elts.length);
      this.expectOp("]");
      return this.fin({ kind: "List" as const, elts, ctx: "Load" as A.ExprContext }, this.start(open));
    } finally {
      this.leave(true);
    }
  }

  private parseBrace(): A.Expr {
    const open = this.advance();
    this.enter(open, true);
    try {
      if (this.acceptOp("}")) return this.fin({ kind: "Dict" as const, keys: [], values: [] }, this.start(open));
      const dictUnpack = (t: Token): never => {
        throw unsupported("'**' dictionary unpacking", t.line, t.column);
      };
      if (this.isOp("**")) dictUnpack(this.peek());
      const first = this.parseStarNamedExpression();
      if (this.isOp(":")) {
        this.advance();
        this.valueAfterColon();
        const value = this.parseExpression();
        if (this.isKw("for") || this.isKw("async")) {
          const generators = this.parseComprehensions();
          this.expectOp("}");
          return this.fin({ kind: "DictComp" as const, key: first, value, generators }, this.start(open));
        }
        const keys = [first];
        const values = [value];
        while (this.acceptOp(",")) {
          if (this.isOp("}")) break;
          if (this.isOp("**")) dictUnpack(this.peek());
          const k = this.parseExpression();
          if (!this.isOp(":")) {
            if (this.isOp(",") || this.isOp("}")) throw syntaxError("':' expected after dictionary key", k.line, k.column);
            this.fail();
          }
          this.advance();
          this.valueAfterColon();
          keys.push(k);
          values.push(this.parseExpression());
        }
        if (this.isKw("for")) this.fail();
        this.expectOp("}");
        return this.fin({ kind: "Dict" as const, keys, values }, this.start(open));
      }
      if (this.isKw("for") || this.isKw("async")) {
        const generators = this.parseComprehensions();
        this.expectOp("}");
        return this.fin({ kind: "SetComp" as const, elt: first, generators }, this.start(open));
      }
      const elts = [first, ...this.parseMoreElements("}")];
      this.forgotParens(first, elts.length);
      this.expectOp("}");
      return this.fin({ kind: "Set" as const, elts }, this.start(open));
    } finally {
      this.leave(true);
    }
  }

  private valueAfterColon(): void {
    if (this.isOp(",") || this.isOp("}")) {
      throw syntaxError("expression expected after dictionary key and ':'", this.lastEnd.line, this.lastEnd.column - 1);
    }
  }

  /** for_if_clauses: ('for' star_targets 'in' disjunction ('if' disjunction)*)+ */
  private parseComprehensions(): A.Comprehension[] {
    const out: A.Comprehension[] = [];
    for (;;) {
      const t = this.peek();
      if (this.isKw("async")) throw unsupported("asynchronous comprehension ('async for')", t.line, t.column);
      if (!this.isKw("for")) return out;
      this.advance();
      const target = this.parseTargetList();
      this.expectKw("in");
      const iter = this.parseDisjunction();
      const ifs: A.Expr[] = [];
      while (this.acceptKw("if")) ifs.push(this.parseDisjunction());
      out.push({ kind: "comprehension", target, iter, ifs, is_async: 0 });
    }
  }
}

/**
 * Turn a Load expression into an assignment (Store) or deletion (Del) target,
 * as CPython's `_PyPegen_set_expr_context`, with its error messages.
 */
function setContext(e: A.Expr, ctx: "Store" | "Del", hintEnd?: Pos): void {
  switch (e.kind) {
    case "Name":
      if (e.id === "__debug__") throw syntaxError("cannot assign to __debug__", e.line, e.column);
      e.ctx = ctx;
      return;
    case "Attribute":
    case "Subscript":
      e.ctx = ctx;
      return;
    case "Tuple":
    case "List":
      e.ctx = ctx;
      for (const x of e.elts) setContext(x, ctx, hintEnd);
      return;
    default: {
      const verb = ctx === "Del" ? "delete" : "assign to";
      const bitwiseOrLevel = !(
        e.kind === "Compare" || e.kind === "BoolOp" || e.kind === "IfExp" || e.kind === "GeneratorExp" ||
        (e.kind === "UnaryOp" && e.op === "Not") || (e.kind === "Constant" && (e.value === null || typeof e.value === "boolean"))
      );
      const hint = hintEnd && bitwiseOrLevel && e.endLine === hintEnd.line && e.endColumn === hintEnd.column
        ? " here. Maybe you meant '==' instead of '='?" : "";
      throw syntaxError(`cannot ${verb} ${exprName(e)}${hint}`, e.line, e.column);
    }
  }
}

/** Iteratively measure the depth of a statement's tree; error if deeper than MAX_AST_DEPTH. */
function checkDepth(root: A.Stmt): void {
  const stack: Array<[unknown, number]> = [[root, 1]];
  while (stack.length) {
    const [n, d] = stack.pop()!;
    if (d > MAX_AST_DEPTH) {
      const at = n as A.Located;
      throw new CowsimError(
        `SyntaxError: too complex: expression or statement nested more than ${MAX_AST_DEPTH} levels deep`,
        { line: at.line ?? root.line, column: at.column ?? root.column },
      );
    }
    for (const [key, v] of Object.entries(n as object)) {
      if (key === "kind" || v === null || typeof v !== "object" || v instanceof Uint8Array) continue;
      if (Array.isArray(v)) {
        for (const x of v) if (x !== null && typeof x === "object") stack.push([x, d + 1]);
      } else {
        stack.push([v, d + 1]);
      }
    }
  }
}
