/**
 * Tokenizer for cowsim's Python subset, modelled on CPython's
 * `Parser/tokenizer.c` (3.11): same token kinds, same INDENT/DEDENT algorithm
 * (tab stops of 8 checked against tab size 1 to detect inconsistent tabs),
 * same implicit line joining inside brackets, same number/string literal rules,
 * and Python-like one-line error messages.
 *
 * The lexer is lazy (`next()` produces one token at a time) so that errors are
 * reported in source order together with the parser's.
 */
import { CowsimError } from "../errors.js";
import { OPERATORS, type FPart, type Token, type TokenType } from "./tokens.js";

/** CPython `Parser/tokenizer.h`: MAXINDENT. */
export const MAX_INDENT = 100;
/** CPython `Parser/tokenizer.h`: MAXLEVEL (bracket nesting). */
export const MAX_PAREN_LEVEL = 200;

export type SyntaxErrorKind = "SyntaxError" | "IndentationError" | "TabError";

/** A Python-style syntax error as a CowsimError: "SyntaxError: <msg>" at line/column. */
export function syntaxError(msg: string, line: number, column: number, kind: SyntaxErrorKind = "SyntaxError"): CowsimError {
  return new CowsimError(`${kind}: ${msg}`, { line, column });
}

/** A construct that is valid Python but outside cowsim's subset. */
export function unsupported(what: string, line: number, column: number): CowsimError {
  return new CowsimError(`unsupported construct: ${what}`, { line, column });
}

const ID_START = /[\p{ID_Start}_]/u;
const ID_CONTINUE = /[\p{ID_Continue}_\u00B7\u0387\u1369-\u1371\u19DA]/u;
const PRINTABLE = /[\p{L}\p{M}\p{N}\p{P}\p{S} ]/u;

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}
function isHex(c: string | undefined): boolean {
  return c !== undefined && /^[0-9a-fA-F]$/.test(c);
}
function isIdStart(c: string | undefined): boolean {
  if (c === undefined) return false;
  if (c < "\x80") return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_";
  return ID_START.test(c);
}
function isIdContinue(c: string | undefined): boolean {
  if (c === undefined) return false;
  if (c < "\x80") return (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c === "_" || (c >= "0" && c <= "9");
  return ID_CONTINUE.test(c);
}

/** Valid string prefixes in Python 3 (lower-cased). */
const STRING_PREFIXES: ReadonlySet<string> = new Set(["", "r", "u", "b", "br", "rb", "f", "fr", "rf"]);

const CLOSING: Record<string, string> = { ")": "(", "]": "[", "}": "{" };

interface OpenBracket {
  ch: string;
  line: number;
  column: number;
}

export class Lexer {
  private readonly src: string[];
  private pos = 0;
  private line = 1;
  private lineStart = 0;
  private readonly indents: number[] = [0];
  private readonly altIndents: number[] = [0];
  private readonly brackets: OpenBracket[] = [];
  private readonly pending: Token[] = [];
  private atLineStart = true;
  /** A token has been produced on the current logical line (so EOF needs a NEWLINE). */
  private lineHasTokens = false;
  private finished = false;

  constructor(source: string) {
    let s = source.replace(/\r\n?/g, "\n");
    if (s.startsWith("\uFEFF")) s = s.slice(1);
    this.src = Array.from(s);
  }

  /** Tokenize the whole source (mostly for tests). */
  static tokenize(source: string): Token[] {
    const lx = new Lexer(source);
    const out: Token[] = [];
    for (;;) {
      const t = lx.next();
      out.push(t);
      if (t.type === "ENDMARKER") return out;
    }
  }

  private col(i = this.pos): number {
    return i - this.lineStart + 1;
  }

  private tok(type: TokenType, text: string, line: number, column: number, extra?: Partial<Token>): Token {
    const t: Token = { type, text, line, column, endLine: this.line, endColumn: this.col(), ...extra };
    if (type !== "NEWLINE" && type !== "INDENT" && type !== "DEDENT") this.lineHasTokens = true;
    return t;
  }

  private newline(): void {
    // caller has consumed the '\n' at this.pos - 1
    this.line++;
    this.lineStart = this.pos;
  }

  next(): Token {
    const p = this.pending.shift();
    if (p) return p;
    if (this.finished) return this.tok("ENDMARKER", "", this.line, this.col());
    const src = this.src;
    for (;;) {
      if (this.atLineStart && this.brackets.length === 0) {
        const t = this.indentation();
        if (t) return t;
        if (this.pending.length) return this.pending.shift()!;
      }
      // skip whitespace
      let c = src[this.pos];
      while (c === " " || c === "\t" || c === "\f") c = src[++this.pos];
      if (c === undefined) return this.eof();
      if (c === "#") {
        while (src[this.pos] !== undefined && src[this.pos] !== "\n") this.pos++;
        continue;
      }
      if (c === "\\") {
        const bcol = this.col();
        const n = src[this.pos + 1];
        if (n === "\n") {
          const bline = this.line;
          this.pos += 2;
          this.newline();
          if (src[this.pos] === undefined) throw syntaxError("unexpected EOF while parsing", bline, bcol + 1);
          continue;
        }
        if (n === undefined) throw syntaxError("unexpected EOF while parsing", this.line, bcol + 1);
        throw syntaxError("unexpected character after line continuation character", this.line, bcol + 1);
      }
      if (c === "\n") {
        const line = this.line;
        const column = this.col();
        this.pos++;
        if (this.brackets.length > 0 || !this.lineHasTokens) {
          this.newline();
          if (this.brackets.length === 0) this.atLineStart = true;
          continue;
        }
        const t: Token = { type: "NEWLINE", text: "\n", line, column, endLine: line, endColumn: column + 1 };
        this.newline();
        this.atLineStart = true;
        this.lineHasTokens = false;
        return t;
      }
      if (c === "\0") throw syntaxError("source code cannot contain null bytes", this.line, this.col());
      if (isIdStart(c)) return this.nameOrString();
      if (isDigit(c) || (c === "." && isDigit(src[this.pos + 1]))) return this.number();
      if (c === "'" || c === '"') return this.string(this.pos, "");
      return this.operator();
    }
  }

  /** Measure indentation at the start of a line; queue INDENT/DEDENT tokens. */
  private indentation(): Token | undefined {
    const src = this.src;
    let col = 0;
    let alt = 0;
    for (;;) {
      const c = src[this.pos];
      if (c === " ") { col++; alt++; }
      else if (c === "\t") { col = (Math.floor(col / 8) + 1) * 8; alt++; }
      else if (c === "\f") { col = 0; alt = 0; }
      else break;
      this.pos++;
    }
    const c = src[this.pos];
    if (c === "#" || c === "\n" || c === undefined) {
      // blank or comment-only line: no indentation processing (CPython tokenizer.c "blankline")
      return undefined;
    }
    this.atLineStart = false;
    const top = this.indents.length - 1;
    const column = this.col();
    if (col === this.indents[top]) {
      if (alt !== this.altIndents[top]) throw syntaxError("inconsistent use of tabs and spaces in indentation", this.line, column, "TabError");
    } else if (col > this.indents[top]) {
      if (this.indents.length >= MAX_INDENT) throw syntaxError("too many levels of indentation", this.line, column, "IndentationError");
      if (alt <= this.altIndents[top]) throw syntaxError("inconsistent use of tabs and spaces in indentation", this.line, column, "TabError");
      this.indents.push(col);
      this.altIndents.push(alt);
      this.pending.push({ type: "INDENT", text: "", line: this.line, column: 1, endLine: this.line, endColumn: column });
    } else {
      while (this.indents.length > 1 && col < this.indents[this.indents.length - 1]) {
        this.indents.pop();
        this.altIndents.pop();
        this.pending.push({ type: "DEDENT", text: "", line: this.line, column, endLine: this.line, endColumn: column });
      }
      if (col !== this.indents[this.indents.length - 1]) {
        throw syntaxError("unindent does not match any outer indentation level", this.line, column, "IndentationError");
      }
      if (alt !== this.altIndents[this.altIndents.length - 1]) {
        throw syntaxError("inconsistent use of tabs and spaces in indentation", this.line, column, "TabError");
      }
    }
    return undefined;
  }

  private eof(): Token {
    if (this.brackets.length > 0) {
      const b = this.brackets[this.brackets.length - 1];
      throw syntaxError(`'${b.ch}' was never closed`, b.line, b.column);
    }
    const line = this.line;
    const column = this.col();
    const out: Token[] = [];
    if (this.lineHasTokens) {
      out.push({ type: "NEWLINE", text: "", line, column, endLine: line, endColumn: column + 1 });
      this.lineHasTokens = false;
    }
    while (this.indents.length > 1) {
      this.indents.pop();
      this.altIndents.pop();
      out.push({ type: "DEDENT", text: "", line, column, endLine: line, endColumn: column });
    }
    out.push({ type: "ENDMARKER", text: "", line, column, endLine: line, endColumn: column });
    this.finished = true;
    this.pending.push(...out.slice(1));
    return out[0];
  }

  private nameOrString(): Token {
    const src = this.src;
    const start = this.pos;
    const column = this.col();
    while (isIdContinue(src[this.pos])) this.pos++;
    const raw = src.slice(start, this.pos).join("");
    const q = src[this.pos];
    if ((q === "'" || q === '"') && raw.length <= 2) {
      if (STRING_PREFIXES.has(raw.toLowerCase())) return this.string(start, raw);
    }
    const name = /^[\x00-\x7f]*$/.test(raw) ? raw : raw.normalize("NFKC");
    return this.tok("NAME", name, this.line, column);
  }

  private number(): Token {
    const src = this.src;
    const start = this.pos;
    const line = this.line;
    const column = this.col();
    const bad = (kind: string, at = this.pos): never => {
      throw syntaxError(`invalid ${kind} literal`, line, this.col(at));
    };
    // digits with single underscores between them; returns false if none
    const digits = (ok: (c: string | undefined) => boolean, kind: string, allowLeadingUnderscore = false): boolean => {
      let any = false;
      if (allowLeadingUnderscore && src[this.pos] === "_") {
        this.pos++;
        if (!ok(src[this.pos])) bad(kind, this.pos - 1);
      }
      for (;;) {
        if (ok(src[this.pos])) { this.pos++; any = true; continue; }
        if (src[this.pos] === "_" && any) {
          this.pos++;
          if (!ok(src[this.pos])) bad(kind, this.pos - 1);
          continue;
        }
        return any;
      }
    };
    let isFloat = false;
    let imaginary = false;
    const c = src[this.pos];
    const n = src[this.pos + 1];
    let kind = "decimal";
    if (c === "0" && (n === "x" || n === "X" || n === "o" || n === "O" || n === "b" || n === "B")) {
      this.pos += 2;
      const lower = n.toLowerCase();
      kind = lower === "x" ? "hexadecimal" : lower === "o" ? "octal" : "binary";
      const ok = lower === "x" ? isHex : lower === "o" ? (d: string | undefined) => d !== undefined && d >= "0" && d <= "7" : (d: string | undefined) => d === "0" || d === "1";
      const invalidDigit = () => {
        if (isDigit(src[this.pos]) && !ok(src[this.pos])) {
          throw syntaxError(`invalid digit '${src[this.pos]}' in ${kind} literal`, line, this.col());
        }
      };
      invalidDigit();
      if (!digits(ok, kind, true)) bad(kind, this.pos - 1);
      invalidDigit();
    } else {
      if (c !== ".") digits(isDigit, "decimal");
      const intPart = src.slice(start, this.pos).join("");
      if (src[this.pos] === "." ) {
        isFloat = true;
        this.pos++;
        if (isDigit(src[this.pos])) digits(isDigit, "decimal");
      }
      if (src[this.pos] === "e" || src[this.pos] === "E") {
        const save = this.pos;
        this.pos++;
        if (src[this.pos] === "+" || src[this.pos] === "-") this.pos++;
        if (isDigit(src[this.pos])) {
          digits(isDigit, "decimal");
          isFloat = true;
        } else {
          // "1else": CPython allows some keywords to follow a number directly; "1e" is an error
          this.pos = save;
          this.checkEnd("decimal", start, line, column);
        }
      }
      if (src[this.pos] === "j" || src[this.pos] === "J") {
        this.pos++;
        imaginary = true;
        kind = "imaginary";
      }
      if (!isFloat && !imaginary && /^0[0_]*[1-9]/.test(intPart)) {
        throw syntaxError(
          "leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers",
          line, column,
        );
      }
    }
    this.checkEnd(kind, start, line, column);
    const text = src.slice(start, this.pos).join("");
    const clean = text.replace(/_/g, "").replace(/[jJ]$/, "");
    const value = isFloat || imaginary ? Number(clean) : BigInt(clean);
    return this.tok("NUMBER", text, line, column, { value, ...(imaginary ? { imaginary } : {}) });
  }

  /** CPython `verify_end_of_number`: a number may be directly followed only by some keywords. */
  private checkEnd(kind: string, start: number, line: number, column: number): void {
    const c = this.src[this.pos];
    if (!isIdContinue(c)) return;
    const rest = this.src.slice(this.pos, this.pos + 4).join("");
    for (const kw of ["and", "else", "for", "if", "in", "is", "not", "or"]) {
      if (rest.startsWith(kw)) return;
    }
    void start;
    throw syntaxError(`invalid ${kind} literal`, line, kind === "decimal" && isDigit(this.src[start]) ? column : this.col());
  }

  private string(start: number, prefix: string): Token {
    const src = this.src;
    const line = this.line;
    const column = this.col(start);
    const q = src[this.pos];
    const triple = src[this.pos + 1] === q && src[this.pos + 2] === q;
    this.pos += triple ? 3 : 1;
    const bodyStart = this.pos;
    let bodyEnd: number;
    for (;;) {
      const c = src[this.pos];
      if (c === undefined || (c === "\n" && !triple)) {
        let at = this.line;
        if (c === undefined && triple && src[this.pos - 1] === "\n") at--;
        throw syntaxError(
          `unterminated ${triple ? "triple-quoted " : ""}string literal (detected at line ${at})`, line, column,
        );
      }
      if (c === "\\") {
        this.pos++;
        if (src[this.pos] === "\n") { this.pos++; this.newline(); }
        else if (src[this.pos] !== undefined) this.pos++;
        continue;
      }
      if (c === "\n") { this.pos++; this.newline(); continue; }
      if (c === q && (!triple || (src[this.pos + 1] === q && src[this.pos + 2] === q))) {
        bodyEnd = this.pos;
        this.pos += triple ? 3 : 1;
        break;
      }
      this.pos++;
    }
    const lower = prefix.toLowerCase();
    const body = src.slice(bodyStart, bodyEnd);
    if (lower.includes("f")) {
      const bodyColumn = column + prefix.length + (triple ? 3 : 1);
      const fparts = fstringParts(body, lower.includes("r"), line, bodyColumn, line, column);
      const value = fparts.map((p) => ("literal" in p ? p.literal : "")).join("");
      return this.tok("STRING", src.slice(start, this.pos).join(""), line, column, { value, prefix, fparts });
    }
    const isBytes = lower.includes("b");
    const isRaw = lower.includes("r");
    if (isBytes) {
      for (const ch of body) {
        if (ch > "\x7f") throw syntaxError("bytes can only contain ASCII literal characters", line, column);
      }
    }
    const value = isRaw ? (isBytes ? asciiBytes(body) : body.join("")) : decodeEscapes(body, isBytes, line, column);
    return this.tok("STRING", src.slice(start, this.pos).join(""), line, column, { value, prefix });
  }

  private operator(): Token {
    const src = this.src;
    const line = this.line;
    const column = this.col();
    const c = src[this.pos];
    let op: string | undefined;
    for (const o of OPERATORS) {
      let ok = true;
      for (let k = 0; k < o.length; k++) {
        if (src[this.pos + k] !== o[k]) { ok = false; break; }
      }
      if (ok) { op = o; break; }
    }
    if (op === undefined) {
      const cp = c.codePointAt(0)!;
      const hex = cp.toString(16).toUpperCase().padStart(4, "0");
      if (cp < 0x80 && cp >= 0x20 && cp !== 0x7f) throw syntaxError("invalid syntax", line, column);
      if (!PRINTABLE.test(c)) throw syntaxError(`invalid non-printable character U+${hex}`, line, column);
      throw syntaxError(`invalid character '${c}' (U+${hex})`, line, column);
    }
    if (op === "(" || op === "[" || op === "{") {
      if (this.brackets.length >= MAX_PAREN_LEVEL) throw syntaxError("too many nested parentheses", line, column);
      this.brackets.push({ ch: op, line, column });
    } else if (op === ")" || op === "]" || op === "}") {
      const open = this.brackets.pop();
      if (!open) throw syntaxError(`unmatched '${op}'`, line, column);
      if (open.ch !== CLOSING[op]) {
        const where = open.line !== line ? ` on line ${open.line}` : "";
        throw syntaxError(`closing parenthesis '${op}' does not match opening parenthesis '${open.ch}'${where}`, line, column);
      }
    }
    this.pos += op.length;
    return this.tok("OP", op, line, column);
  }
}

function asciiBytes(chars: string[]): Uint8Array {
  const out = new Uint8Array(chars.length);
  for (let i = 0; i < chars.length; i++) out[i] = chars[i].charCodeAt(0);
  return out;
}

const SIMPLE_ESCAPES: Record<string, number> = {
  "\\": 0x5c, "'": 0x27, '"': 0x22, a: 0x07, b: 0x08, f: 0x0c, n: 0x0a, r: 0x0d, t: 0x09, v: 0x0b,
};

/**
 * Decode backslash escapes of a non-raw literal body (CPython
 * `Parser/string_parser.c` / `_PyUnicode_DecodeUnicodeEscapeInternal` /
 * `_PyBytes_DecodeEscape`). Unknown escapes keep the backslash.
 */
/**
 * The pieces of an f-string's body (PEP 498, as Python 3.6–3.11 read it: a replacement field's
 * expression may not contain the string's own quote). `line`/`column` are where the body starts;
 * errors name the literal's start (`litLine`, `litColumn`), as CPython up to 3.11 does.
 */
function fstringParts(body: string[], raw: boolean, line: number, column: number, litLine: number, litColumn: number): FPart[] {
  const parts: FPart[] = [];
  let lit: string[] = [];
  const flush = () => {
    if (lit.length === 0) return;
    parts.push({ literal: raw ? lit.join("") : (decodeEscapes(lit, false, litLine, litColumn) as string) });
    lit = [];
  };
  const fail = (msg: string): never => { throw syntaxError(`f-string: ${msg}`, litLine, litColumn); };
  // Where body[i] is: line and column, advanced character by character.
  let at = 0, l = line, c = column;
  const seek = (i: number) => {
    for (; at < i; at++) {
      if (body[at] === "\n") { l++; c = 1; } else c++;
    }
  };
  let i = 0;
  while (i < body.length) {
    const ch = body[i];
    if (ch === "\\" && !raw) {
      if (body[i + 1] === "N") throw unsupported("'\\N{...}' escape in string literal", litLine, litColumn);
      lit.push(ch);
      if (i + 1 < body.length) lit.push(body[i + 1]);
      i += 2;
      continue;
    }
    if (ch === "}") {
      if (body[i + 1] === "}") { lit.push("}"); i += 2; continue; }
      fail("single '}' is not allowed");
    }
    if (ch !== "{") { lit.push(ch); i++; continue; }
    if (body[i + 1] === "{") { lit.push("{"); i += 2; continue; }
    flush();
    // The expression: up to a `!`, `:`, `=` or `}` outside brackets and strings.
    const from = i + 1;
    let j = from, depth = 0;
    let quote: string | null = null;
    for (; j < body.length; j++) {
      const x = body[j];
      if (quote !== null) { if (x === quote) quote = null; continue; }
      if (x === "'" || x === '"') { quote = x; continue; }
      if (x === "\\") fail("expression part cannot include a backslash");
      if (x === "#") fail("expression part cannot include '#'");
      if (x === "(" || x === "[" || x === "{") { depth++; continue; }
      if (x === ")" || x === "]" || x === "}") {
        if (depth === 0) break;
        depth--;
        continue;
      }
      if (depth > 0) continue;
      if (x === "!" && body[j + 1] !== "=") break;
      if (x === ":") break;
      if (x === "=" && body[j + 1] !== "=" && !["=", "!", "<", ">"].includes(body[j - 1])) break;
    }
    if (j >= body.length || quote !== null) fail("expecting '}'");
    const text = body.slice(from, j).join("");
    if (text.trim() === "") fail("empty expression not allowed");
    seek(from);
    const exprLine = l, exprColumn = c;
    let conversion = -1;
    if (body[j] === "=") throw unsupported("the '=' specifier in an f-string", exprLine, exprColumn);
    if (body[j] === "!") {
      const conv = body[j + 1];
      if (conv !== "s" && conv !== "r" && conv !== "a") fail("invalid conversion character: expected 's', 'r', or 'a'");
      conversion = conv.charCodeAt(0);
      j += 2;
    }
    if (body[j] === ":") throw unsupported("a format spec in an f-string", exprLine, exprColumn);
    if (body[j] !== "}") fail("expecting '}'");
    parts.push({ expr: text, line: exprLine, column: exprColumn, conversion });
    i = j + 1;
  }
  flush();
  return parts;
}

function decodeEscapes(body: string[], isBytes: boolean, line: number, column: number): string | Uint8Array {
  const out: number[] = [];
  const codec = isBytes ? "(value error)" : "(unicode error) 'unicodeescape' codec can't decode bytes in position";
  const fail = (from: number, to: number, msg: string): never => {
    if (isBytes) throw syntaxError(`(value error) ${msg} at position ${from}`, line, column);
    throw syntaxError(`${codec} ${from}-${to}: ${msg}`, line, column);
  };
  let i = 0;
  while (i < body.length) {
    const c = body[i];
    if (c !== "\\") {
      out.push(c.codePointAt(0)!);
      i++;
      continue;
    }
    const e = body[i + 1];
    const at = i;
    i += 2;
    if (e === "\n") continue;
    if (e !== undefined && e in SIMPLE_ESCAPES) { out.push(SIMPLE_ESCAPES[e]); continue; }
    if (e !== undefined && e >= "0" && e <= "7") {
      let v = e.charCodeAt(0) - 48;
      for (let k = 0; k < 2 && body[i] !== undefined && body[i] >= "0" && body[i] <= "7"; k++) v = v * 8 + body[i++].charCodeAt(0) - 48;
      out.push(isBytes ? v & 0xff : v);
      continue;
    }
    const hexEscape = (n: number, name: string): number => {
      let v = 0;
      for (let k = 0; k < n; k++) {
        const h = body[i];
        if (!isHex(h)) {
          if (isBytes) fail(at, i - 1, `invalid \\x escape`);
          fail(at, Math.max(i - 1, at + 1), `truncated ${name} escape`);
        }
        v = v * 16 + parseInt(h, 16);
        i++;
      }
      return v;
    };
    if (e === "x") { out.push(hexEscape(2, "\\xXX")); continue; }
    if (!isBytes && e === "u") { out.push(hexEscape(4, "\\uXXXX")); continue; }
    if (!isBytes && e === "U") {
      const v = hexEscape(8, "\\UXXXXXXXX");
      if (v > 0x10ffff) fail(at, i - 1, "illegal Unicode character");
      out.push(v);
      continue;
    }
    if (!isBytes && e === "N") throw unsupported("'\\N{...}' escape in string literal", line, column);
    // unknown escape: kept verbatim (backslash included)
    out.push(0x5c);
    if (e !== undefined) out.push(e.codePointAt(0)!);
  }
  if (isBytes) return Uint8Array.from(out);
  let s = "";
  for (let k = 0; k < out.length; k += 4096) s += String.fromCodePoint(...out.slice(k, k + 4096));
  return s;
}
