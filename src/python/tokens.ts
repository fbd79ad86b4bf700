/**
 * Tokens of the Python subset cowsim understands, as produced by `lexer.ts`.
 *
 * The token kinds follow CPython's `Lib/token.py` (NAME, NUMBER, STRING, OP,
 * NEWLINE, INDENT, DEDENT, ENDMARKER). Comments and blank lines produce no
 * tokens; NEWLINE is only emitted at the end of a logical line (never inside
 * brackets or after a backslash continuation), as CPython's tokenizer does.
 *
 * Positions are 1-based lines and 1-based columns counted in Unicode code
 * points. `endLine`/`endColumn` point just past the last character, so for
 * ASCII text `column - 1` and `endColumn - 1` equal CPython's `col_offset` and
 * `end_col_offset`.
 */

export type TokenType = "NAME" | "NUMBER" | "STRING" | "OP" | "NEWLINE" | "INDENT" | "DEDENT" | "ENDMARKER";

/** Decoded value of a NUMBER token: ints are always `bigint`, floats always `number`. */
export type NumberValue = bigint | number;

/** Decoded value of a STRING token: `string` for str literals, `Uint8Array` for bytes literals. */
export type StringValue = string | Uint8Array;

/**
 * A piece of an f-string: a literal run (escapes and `{{` `}}` decoded), or a replacement field
 * `{expr!c}` with the expression's source text and where it starts (1-based line and column).
 * `conversion` is CPython's: -1 none, 115 `!s`, 114 `!r`, 97 `!a`.
 */
export type FPart =
  | { literal: string }
  | { expr: string; line: number; column: number; conversion: number };

export interface Token {
  type: TokenType;
  /** Source text of the token ("" for INDENT/DEDENT/ENDMARKER, "\n" or "" for NEWLINE). */
  text: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** NUMBER: decoded value. STRING: decoded value (escapes processed). */
  value?: NumberValue | StringValue;
  /** STRING: the literal's prefix as written ("", "r", "U", "b", "Rb", ...). */
  prefix?: string;
  /** STRING with an `f` prefix: its literal runs and replacement fields, in order. */
  fparts?: FPart[];
  /** NUMBER: true for imaginary literals like `1j` (which cowsim does not support). */
  imaginary?: boolean;
}

/** Python 3 hard keywords (CPython `Lib/keyword.py`, 3.7-3.13). */
export const KEYWORDS: ReadonlySet<string> = new Set([
  "False", "None", "True", "and", "as", "assert", "async", "await", "break", "class", "continue", "def", "del",
  "elif", "else", "except", "finally", "for", "from", "global", "if", "import", "in", "is", "lambda", "nonlocal",
  "not", "or", "pass", "raise", "return", "try", "while", "with", "yield",
]);

/**
 * Operators and delimiters, longest first so that a greedy match works
 * (CPython `Grammar/Tokens`; "<>" is only accepted by the Barry-as-FLUFL
 * easter egg and is reported as unsupported by the parser; "!" alone is not a token before 3.12).
 */
export const OPERATORS: readonly string[] = [
  "**=", "//=", ">>=", "<<=", "...",
  "!=", "%=", "&=", "**", "*=", "+=", "-=", "->", "//", "/=", ":=", "<<", "<=", "<>", "==", ">=", ">>", "@=", "^=", "|=",
  "%", "&", "(", ")", "*", "+", ",", "-", ".", "/", ":", ";", "<", "=", ">", "@", "[", "]", "^", "{", "|", "}", "~",
];
