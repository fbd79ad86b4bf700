/**
 * Tests of the Python-subset front end (src/python/{lexer,parser,ast}.ts).
 *
 * ORACLE_PLAIN / ORACLE_POSITIONS were produced by the real interpreter here:
 *   /root/.pyenv/versions/3.11.7/bin/python3.11 -c "import ast; print(ast.dump(ast.parse(SRC)))"
 * (with include_attributes=True for ORACLE_POSITIONS; Python 3.11.7), one row per SRC.
 * The error messages below were compared with the same interpreter's SyntaxError text
 * (CPython's columns differ in places; ours point at the offending token, 1-based).
 */
import { describe, expect, it } from "vitest";
import { CowsimError } from "../src/errors.js";
import { dump, floatRepr, type Assign, type Constant, type Expr, type ExprStmt } from "../src/python/ast.js";
import { Lexer } from "../src/python/lexer.js";
import { MAX_AST_DEPTH, parse } from "../src/python/parser.js";

/** The value expression of a one-statement module `x = <expr>` or `<expr>`. */
function expr(src: string): Expr {
  const s = parse(src).body[0] as Assign | ExprStmt;
  return s.value;
}

function constant(src: string): Constant["value"] {
  const e = expr("x = " + src);
  if (e.kind !== "Constant") throw new Error("not a constant: " + dump(e));
  return e.value;
}

/** Structural rendering (no positions) of an expression statement's value. */
function shape(src: string): string {
  return dump(expr(src));
}

/** Parse and return the CowsimError message (fails if parsing succeeds or throws something else). */
function errorOf(src: string): string {
  try {
    parse(src);
  } catch (e) {
    if (!(e instanceof CowsimError)) throw e;
    expect(e.exitCode).toBe(2);
    expect(e.message).not.toContain("\n");
    return e.message;
  }
  throw new Error("expected an error for " + JSON.stringify(src));
}

describe("agreement with CPython 3.11 ast.dump", () => {
  it.each(oraclePlain())("%j", (src, expected) => {
    expect(dump(parse(src))).toBe(expected);
  });
  it.each(oraclePositions())("positions of %j", (src, expected) => {
    expect(dump(parse(src), true)).toBe(expected);
  });
});

describe("precedence and associativity", () => {
  it("arithmetic binds tighter than shifts, bitwise and comparisons", () => {
    expect(shape("1 + 2 * 3")).toBe("BinOp(left=Constant(value=1), op=Add(), right=BinOp(left=Constant(value=2), op=Mult(), right=Constant(value=3)))");
    expect(shape("a - b - c")).toBe(
      "BinOp(left=BinOp(left=Name(id='a', ctx=Load()), op=Sub(), right=Name(id='b', ctx=Load())), op=Sub(), right=Name(id='c', ctx=Load()))",
    );
    expect(shape("a | b & c")).toBe(
      "BinOp(left=Name(id='a', ctx=Load()), op=BitOr(), right=BinOp(left=Name(id='b', ctx=Load()), op=BitAnd(), right=Name(id='c', ctx=Load())))",
    );
    expect(shape("a ^ b | c")).toBe(
      "BinOp(left=BinOp(left=Name(id='a', ctx=Load()), op=BitXor(), right=Name(id='b', ctx=Load())), op=BitOr(), right=Name(id='c', ctx=Load()))",
    );
    expect(shape("1 << 2 + 3")).toBe(
      "BinOp(left=Constant(value=1), op=LShift(), right=BinOp(left=Constant(value=2), op=Add(), right=Constant(value=3)))",
    );
    expect(shape("a < b | c")).toBe(
      "Compare(left=Name(id='a', ctx=Load()), ops=[Lt()], comparators=[BinOp(left=Name(id='b', ctx=Load()), op=BitOr(), right=Name(id='c', ctx=Load()))])",
    );
  });
  it("** is right-associative and binds tighter than a unary minus on its left", () => {
    expect(shape("2 ** 3 ** 2")).toBe(
      "BinOp(left=Constant(value=2), op=Pow(), right=BinOp(left=Constant(value=3), op=Pow(), right=Constant(value=2)))",
    );
    expect(shape("-2 ** 2")).toBe("UnaryOp(op=USub(), operand=BinOp(left=Constant(value=2), op=Pow(), right=Constant(value=2)))");
    expect(shape("2 ** -1")).toBe("BinOp(left=Constant(value=2), op=Pow(), right=UnaryOp(op=USub(), operand=Constant(value=1)))");
    expect(shape("-x.y")).toBe("UnaryOp(op=USub(), operand=Attribute(value=Name(id='x', ctx=Load()), attr='y', ctx=Load()))");
    expect(shape("~-+x")).toBe("UnaryOp(op=Invert(), operand=UnaryOp(op=USub(), operand=UnaryOp(op=UAdd(), operand=Name(id='x', ctx=Load()))))");
  });
  it("not / and / or / if-else", () => {
    expect(shape("not a == b")).toBe(
      "UnaryOp(op=Not(), operand=Compare(left=Name(id='a', ctx=Load()), ops=[Eq()], comparators=[Name(id='b', ctx=Load())]))",
    );
    expect(shape("a or b and c")).toBe(
      "BoolOp(op=Or(), values=[Name(id='a', ctx=Load()), BoolOp(op=And(), values=[Name(id='b', ctx=Load()), Name(id='c', ctx=Load())])])",
    );
    expect(shape("a or b or c")).toBe("BoolOp(op=Or(), values=[Name(id='a', ctx=Load()), Name(id='b', ctx=Load()), Name(id='c', ctx=Load())])");
    expect(shape("a if b else c if d else e")).toBe(
      "IfExp(test=Name(id='b', ctx=Load()), body=Name(id='a', ctx=Load()), orelse=IfExp(test=Name(id='d', ctx=Load()), body=Name(id='c', ctx=Load()), orelse=Name(id='e', ctx=Load())))",
    );
    expect(shape("a or b if c else d")).toBe(
      "IfExp(test=Name(id='c', ctx=Load()), body=BoolOp(op=Or(), values=[Name(id='a', ctx=Load()), Name(id='b', ctx=Load())]), orelse=Name(id='d', ctx=Load()))",
    );
  });
  it("chained comparisons are one Compare node", () => {
    const e = expr("a < b <= c not in d is not e in f is g != h");
    expect(e.kind).toBe("Compare");
    if (e.kind !== "Compare") return;
    expect(e.ops).toEqual(["Lt", "LtE", "NotIn", "IsNot", "In", "Is", "NotEq"]);
    expect(e.comparators).toHaveLength(7);
  });
});

describe("targets", () => {
  it("chained assignment keeps targets left to right", () => {
    const s = parse("a = b[0] = c.d = 1").body[0] as Assign;
    expect(s.targets.map((t) => t.kind)).toEqual(["Name", "Subscript", "Attribute"]);
    expect(s.targets.every((t) => "ctx" in t && t.ctx === "Store")).toBe(true);
  });
  it("nested tuple/list targets get Store context everywhere", () => {
    expect(dump(parse("(a, [b, c]), d = x").body[0])).toBe(
      "Assign(targets=[Tuple(elts=[Tuple(elts=[Name(id='a', ctx=Store()), List(elts=[Name(id='b', ctx=Store()), Name(id='c', ctx=Store())], ctx=Store())], ctx=Store()), Name(id='d', ctx=Store())], ctx=Store())], value=Name(id='x', ctx=Load()))",
    );
  });
  it("for and comprehension targets stop before 'in'", () => {
    expect(dump(parse("for i, (j, k) in x: pass").body[0])).toBe(
      "For(target=Tuple(elts=[Name(id='i', ctx=Store()), Tuple(elts=[Name(id='j', ctx=Store()), Name(id='k', ctx=Store())], ctx=Store())], ctx=Store()), iter=Name(id='x', ctx=Load()), body=[Pass()], orelse=[])",
    );
    expect(shape("[a for a, b in c if a in b]")).toBe(
      "ListComp(elt=Name(id='a', ctx=Load()), generators=[comprehension(target=Tuple(elts=[Name(id='a', ctx=Store()), Name(id='b', ctx=Store())], ctx=Store()), iter=Name(id='c', ctx=Load()), ifs=[Compare(left=Name(id='a', ctx=Load()), ops=[In()], comparators=[Name(id='b', ctx=Load())])], is_async=0)])",
    );
  });
  it("del sets Del context; several targets", () => {
    expect(dump(parse("del a, b[1:2], c.d").body[0])).toBe(
      "Delete(targets=[Name(id='a', ctx=Del()), Subscript(value=Name(id='b', ctx=Load()), slice=Slice(lower=Constant(value=1), upper=Constant(value=2)), ctx=Del()), Attribute(value=Name(id='c', ctx=Load()), attr='d', ctx=Del())])",
    );
  });
  it("augmented assignment operators", () => {
    const ops = ["+=", "-=", "*=", "/=", "//=", "%=", "**=", "<<=", ">>=", "&=", "|=", "^="];
    const names = ["Add", "Sub", "Mult", "Div", "FloorDiv", "Mod", "Pow", "LShift", "RShift", "BitAnd", "BitOr", "BitXor"];
    ops.forEach((op, i) => {
      const s = parse(`x ${op} 1`).body[0];
      expect(s.kind === "AugAssign" && s.op).toBe(names[i]);
    });
  });
});

describe("slices and subscripts", () => {
  it.each([
    ["a[i]", "Subscript(value=Name(id='a', ctx=Load()), slice=Name(id='i', ctx=Load()), ctx=Load())"],
    ["a[i:j]", "Subscript(value=Name(id='a', ctx=Load()), slice=Slice(lower=Name(id='i', ctx=Load()), upper=Name(id='j', ctx=Load())), ctx=Load())"],
    ["a[::k]", "Subscript(value=Name(id='a', ctx=Load()), slice=Slice(step=Name(id='k', ctx=Load())), ctx=Load())"],
    [
      "a[i:j:k]",
      "Subscript(value=Name(id='a', ctx=Load()), slice=Slice(lower=Name(id='i', ctx=Load()), upper=Name(id='j', ctx=Load()), step=Name(id='k', ctx=Load())), ctx=Load())",
    ],
    ["a[:]", "Subscript(value=Name(id='a', ctx=Load()), slice=Slice(), ctx=Load())"],
    ["a[-1:]", "Subscript(value=Name(id='a', ctx=Load()), slice=Slice(lower=UnaryOp(op=USub(), operand=Constant(value=1))), ctx=Load())"],
    ["a[1, 2]", "Subscript(value=Name(id='a', ctx=Load()), slice=Tuple(elts=[Constant(value=1), Constant(value=2)], ctx=Load()), ctx=Load())"],
  ])("%s", (src, expected) => {
    expect(shape(src)).toBe(expected);
  });
});

describe("literals", () => {
  it("ints are bigint, floats are number", () => {
    expect(constant("0")).toBe(0n);
    expect(constant("1_000")).toBe(1000n);
    expect(constant("0x_fF")).toBe(255n);
    expect(constant("0o777")).toBe(511n);
    expect(constant("0b1010")).toBe(10n);
    expect(constant("000")).toBe(0n);
    expect(constant("123456789012345678901234567890")).toBe(123456789012345678901234567890n);
    expect(constant("1.0")).toBe(1);
    expect(typeof constant("1.0")).toBe("number");
    expect(constant("1.")).toBe(1);
    expect(constant(".5")).toBe(0.5);
    expect(constant("1e3")).toBe(1000);
    expect(constant("1_0.2_5e-1_0")).toBe(10.25e-10);
    expect(constant("1e400")).toBe(Infinity);
    expect(constant("007.5")).toBe(7.5);
  });
  it("None / True / False", () => {
    expect(constant("None")).toBe(null);
    expect(constant("True")).toBe(true);
    expect(constant("False")).toBe(false);
  });
  it("string escapes", () => {
    expect(constant(String.raw`'a\nb\tc\\d\'e\"f'`)).toBe("a\nb\tc\\d'e\"f");
    expect(constant(String.raw`'\x41\u00e9\U0001F600\101\0\7\a\b\f\v\r'`)).toBe("A\u00e9\u{1F600}A\0\x07\x07\b\f\v\r");
    expect(constant(String.raw`'\d\q'`)).toBe("\\d\\q");
    expect(constant("'a\\\nb'")).toBe("ab");
    expect(constant(String.raw`'\ud800'`)).toBe("\ud800");
    expect(constant(String.raw`'\777'`)).toBe("\u01ff");
  });
  it("raw strings keep backslashes", () => {
    expect(constant(String.raw`r'a\nb'`)).toBe("a\\nb");
    expect(constant(String.raw`R'\''`)).toBe("\\'");
  });
  it("triple-quoted strings span lines; CRLF becomes LF", () => {
    expect(constant("'''a\nb'''")).toBe("a\nb");
    expect(constant('"""a\r\nb"""')).toBe("a\nb");
    expect(constant(`"""it's "quoted" """`)).toBe(`it's "quoted" `);
  });
  it("bytes", () => {
    expect(constant("b'abc'")).toEqual(new Uint8Array([97, 98, 99]));
    expect(constant(String.raw`B'\x00\xff\n'`)).toEqual(new Uint8Array([0, 255, 10]));
    expect(constant(String.raw`rb'\n'`)).toEqual(new Uint8Array([92, 110]));
    expect(constant(String.raw`Br'\n'`)).toEqual(new Uint8Array([92, 110]));
    expect(constant(String.raw`b'\u1234'`)).toEqual(new Uint8Array([92, 117, 49, 50, 51, 52]));
    expect(constant(String.raw`b'\777'`)).toEqual(new Uint8Array([255]));
  });
  it("adjacent literals concatenate; the first piece's prefix is kept", () => {
    expect(constant("'a' \"b\" '''c'''")).toBe("abc");
    expect(constant("b'a' rb'\\x'")).toEqual(new Uint8Array([97, 92, 120]));
    const e = expr("x = u'a' 'b'") as Constant;
    expect(e.prefix).toBe("u");
    expect(dump(e)).toBe("Constant(value='ab', kind='u')");
    expect(constant("('a'\n  'b')")).toBe("ab");
  });
  it("float repr matches Python's", () => {
    expect([0.1, 1e16, 1e15, 1e-5, 1e-4, 1.5e300, 123.456, -0.0, 5e-324].map(floatRepr)).toEqual([
      "0.1", "1e+16", "1000000000000000.0", "1e-05", "0.0001", "1.5e+300", "123.456", "-0.0", "5e-324",
    ]);
  });
});

describe("statements and layout", () => {
  it("semicolons, comments, blank lines, continuation", () => {
    const m = parse("x = 1; y = 2;  # c\n\n   # indented comment\nz = (1 +\n  2) + \\\n  3\n");
    expect(m.body.map((s) => s.kind)).toEqual(["Assign", "Assign", "Assign"]);
    expect(m.body[2].endLine).toBe(6);
  });
  it("bodies: indented blocks and simple statements after the colon", () => {
    const m = parse("for i in x:\n    if i: pass\n    elif j:\n        k = 1; l = 2\n    else: continue\nelse:\n    while 1: break\n");
    expect(dump(m)).toBe(
      "Module(body=[For(target=Name(id='i', ctx=Store()), iter=Name(id='x', ctx=Load()), body=[If(test=Name(id='i', ctx=Load()), body=[Pass()], orelse=[If(test=Name(id='j', ctx=Load()), body=[Assign(targets=[Name(id='k', ctx=Store())], value=Constant(value=1)), Assign(targets=[Name(id='l', ctx=Store())], value=Constant(value=2))], orelse=[Continue()])])], orelse=[While(test=Constant(value=1), body=[Break()], orelse=[])])], type_ignores=[])",
    );
  });
  it("tabs count to the next multiple of 8 consistently", () => {
    expect(parse("if x:\n\ty = 1\n\tz = 2\n").body).toHaveLength(1);
  });
  it("imports", () => {
    expect(dump(parse("import a.b as c, d\nfrom ..x.y import (z as w, v,)\nfrom m import *"))).toBe(
      "Module(body=[Import(names=[alias(name='a.b', asname='c'), alias(name='d')]), ImportFrom(module='x.y', names=[alias(name='z', asname='w'), alias(name='v')], level=2), ImportFrom(module='m', names=[alias(name='*')], level=0)], type_ignores=[])",
    );
  });
  it("soft keywords and print are ordinary names where Python 3 allows it", () => {
    expect(parse("match = 1\ntype = 2\ncase = match(type)\nprint(case)\nprint\n").body).toHaveLength(5);
  });
  it("non-ASCII identifiers are NFKC-normalised; columns count code points", () => {
    const m = parse("é = 'ﬁ'\nﬁ = 1");
    expect(dump(m)).toBe(
      "Module(body=[Assign(targets=[Name(id='é', ctx=Store())], value=Constant(value='ﬁ')), Assign(targets=[Name(id='fi', ctx=Store())], value=Constant(value=1))], type_ignores=[])",
    );
    expect((m.body[0] as Assign).value.column).toBe(5);
  });
  it("a BOM at the start, a missing final newline, empty input are fine", () => {
    expect(parse("\uFEFFx = 1").body).toHaveLength(1);
    expect(parse("").body).toEqual([]);
    expect(parse("\n\n# only comments\n").body).toEqual([]);
  });
});

describe("unsupported constructs name the construct and its position", () => {
  it.each([
    ["x = 1\n\n\ndef f():\n    pass\n", "line 4, column 1: unsupported construct: 'def' statement"],
    ["class A:\n    pass", "line 1, column 1: unsupported construct: 'class' statement"],
    ["if x:\n    with a: pass", "line 2, column 5: unsupported construct: 'with' statement"],
    ["try:\n    pass\nexcept E:\n    pass", "line 1, column 1: unsupported construct: 'try' statement"],
    ["x = 1; return x", "line 1, column 8: unsupported construct: 'return' statement"],
    ["for i in x: raise E", "line 1, column 13: unsupported construct: 'raise' statement"],
    ["global g", "line 1, column 1: unsupported construct: 'global' statement"],
    ["nonlocal g", "line 1, column 1: unsupported construct: 'nonlocal' statement"],
    ["assert x", "line 1, column 1: unsupported construct: 'assert' statement"],
    ["async def f(): pass", "line 1, column 1: unsupported construct: 'async' statement"],
    ["@dec\ndef f(): pass", "line 1, column 1: unsupported construct: decorator"],
    ["f = lambda: 1", "line 1, column 5: unsupported construct: 'lambda' expression"],
    ["x = yield 1", "line 1, column 5: unsupported construct: 'yield' expression"],
    ["x = await y", "line 1, column 5: unsupported construct: 'await' expression"],
    ["x = f'{a:>3}'", "line 1, column 8: unsupported construct: a format spec in an f-string"],
    ["x = 'a' rf'{b=}'", "line 1, column 13: unsupported construct: the '=' specifier in an f-string"],
    ["if (n := 10) > 5: pass", "line 1, column 7: unsupported construct: assignment expression (':=')"],
    ["a, *b = c", "line 1, column 4: unsupported construct: starred expression ('*')"],
    ["x = [*a]", "line 1, column 6: unsupported construct: starred expression ('*')"],
    ["f(*args)", "line 1, column 3: unsupported construct: '*' argument unpacking in call"],
    ["f(x, **kw)", "line 1, column 6: unsupported construct: '**' argument unpacking in call"],
    ["x = {**a}", "line 1, column 6: unsupported construct: '**' dictionary unpacking"],
    ["x: int = 1", "line 1, column 1: unsupported construct: annotated assignment"],
    ["x = a @ b", "line 1, column 7: unsupported construct: '@' operator"],
    ["x @= b", "line 1, column 3: unsupported construct: '@=' operator"],
    ["x = ...", "line 1, column 5: unsupported construct: Ellipsis ('...')"],
    ["x = 2j", "line 1, column 5: unsupported construct: complex (imaginary) literal"],
    ["x = [i async for i in y]", "line 1, column 8: unsupported construct: asynchronous comprehension ('async for')"],
    ["print 'hello'", "line 1, column 1: unsupported construct: 'print' statement (Python 2; use print(...))"],
    ["exec code", "line 1, column 1: unsupported construct: 'exec' statement (Python 2; use exec(...))"],
    ["match x:\n    case 1: pass", "line 1, column 1: unsupported construct: 'match' statement"],
    ["type X = int", "line 1, column 1: unsupported construct: 'type' statement"],
    ["x = 1 <> 2", "line 1, column 7: unsupported construct: '<>' operator"],
    ["x = '\\N{DIGIT ONE}'", "line 1, column 5: unsupported construct: '\\N{...}' escape in string literal"],
  ])("%j", (src, message) => {
    expect(errorOf(src)).toBe(message);
  });
});

describe("syntax errors are one line with Python's wording", () => {
  it.each([
    ["x = (1,\n", "line 1, column 5: SyntaxError: '(' was never closed"],
    ["x = [\n1,\n2\n", "line 1, column 5: SyntaxError: '[' was never closed"],
    ["x = )", "line 1, column 5: SyntaxError: unmatched ')'"],
    ["x = (1]", "line 1, column 7: SyntaxError: closing parenthesis ']' does not match opening parenthesis '('"],
    ["x = (1,\n 2]", "line 2, column 3: SyntaxError: closing parenthesis ']' does not match opening parenthesis '(' on line 1"],
    ["x = 'abc", "line 1, column 5: SyntaxError: unterminated string literal (detected at line 1)"],
    ["x = '''abc\n\n", "line 1, column 5: SyntaxError: unterminated triple-quoted string literal (detected at line 2)"],
    ["if x\n  pass", "line 1, column 5: SyntaxError: expected ':'"],
    ["if x:\npass", "line 2, column 1: IndentationError: expected an indented block after 'if' statement on line 1"],
    ["for x in y:\n    if z:\n    pass", "line 3, column 5: IndentationError: expected an indented block after 'if' statement on line 2"],
    ["x = 1\n    y = 2", "line 2, column 5: IndentationError: unexpected indent"],
    ["if x:\n    a\n  b", "line 3, column 3: IndentationError: unindent does not match any outer indentation level"],
    ["if x:\n\tpass\n        pass", "line 3, column 9: TabError: inconsistent use of tabs and spaces in indentation"],
    ["x = 1 +", "line 1, column 8: SyntaxError: invalid syntax"],
    ["x = 1 2", "line 1, column 7: SyntaxError: invalid syntax"],
    ["x = [1 2]", "line 1, column 6: SyntaxError: invalid syntax. Perhaps you forgot a comma?"],
    ["a == not b", "line 1, column 6: SyntaxError: invalid syntax"],
    ["x = a if b", "line 1, column 5: SyntaxError: expected 'else' after 'if' expression"],
    ["f(a=1, 2)", "line 1, column 8: SyntaxError: positional argument follows keyword argument"],
    ["f(a=1, a=2)", "line 1, column 8: SyntaxError: keyword argument repeated: a"],
    ["f(x for x in y, 1)", "line 1, column 3: SyntaxError: Generator expression must be parenthesized"],
    ["f(a.b=1)", 'line 1, column 3: SyntaxError: expression cannot contain assignment, perhaps you meant "=="?'],
    ["x = [a, b for a in c]", "line 1, column 6: SyntaxError: did you forget parentheses around the comprehension target?"],
    ["x = {1: 2, 3}", "line 1, column 12: SyntaxError: ':' expected after dictionary key"],
    ["x = {1: }", "line 1, column 7: SyntaxError: expression expected after dictionary key and ':'"],
    ["x = 0123", "line 1, column 5: SyntaxError: leading zeros in decimal integer literals are not permitted; use an 0o prefix for octal integers"],
    ["x = 1abc", "line 1, column 5: SyntaxError: invalid decimal literal"],
    ["x = 1__0", "line 1, column 6: SyntaxError: invalid decimal literal"],
    ["x = 0x", "line 1, column 6: SyntaxError: invalid hexadecimal literal"],
    ["x = 0b102", "line 1, column 9: SyntaxError: invalid digit '2' in binary literal"],
    ["x = 0o8", "line 1, column 7: SyntaxError: invalid digit '8' in octal literal"],
    ["x = $", "line 1, column 5: SyntaxError: invalid syntax"],
    ["x = `a`", "line 1, column 5: SyntaxError: invalid syntax"],
    ["x = €", "line 1, column 5: SyntaxError: invalid character '€' (U+20AC)"],
    ["a \\ b", "line 1, column 4: SyntaxError: unexpected character after line continuation character"],
    ["x = 1 \\", "line 1, column 8: SyntaxError: unexpected EOF while parsing"],
    ["x = '\\x4'", "line 1, column 5: SyntaxError: (unicode error) 'unicodeescape' codec can't decode bytes in position 0-2: truncated \\xXX escape"],
    [
      "x = '\\U00110000'",
      "line 1, column 5: SyntaxError: (unicode error) 'unicodeescape' codec can't decode bytes in position 0-9: illegal Unicode character",
    ],
    ["x = b'é'", "line 1, column 5: SyntaxError: bytes can only contain ASCII literal characters"],
    ["x = 'a' b'b'", "line 1, column 5: SyntaxError: cannot mix bytes and nonbytes literals"],
    ["1 = x", "line 1, column 1: SyntaxError: cannot assign to literal here. Maybe you meant '==' instead of '='?"],
    ["f() = 1", "line 1, column 1: SyntaxError: cannot assign to function call here. Maybe you meant '==' instead of '='?"],
    ["(a, 1) = 2", "line 1, column 5: SyntaxError: cannot assign to literal"],
    ["a = 1 = 2", "line 1, column 5: SyntaxError: cannot assign to literal"],
    ["None = 1", "line 1, column 1: SyntaxError: cannot assign to None"],
    ["a + 1 += 2", "line 1, column 1: SyntaxError: 'expression' is an illegal expression for augmented assignment"],
    ["(a, b) += 1", "line 1, column 1: SyntaxError: 'tuple' is an illegal expression for augmented assignment"],
    ["del f()", "line 1, column 5: SyntaxError: cannot delete function call"],
    ["del a if b else c", "line 1, column 5: SyntaxError: cannot delete conditional expression"],
    ["for 1 in x: pass", "line 1, column 5: SyntaxError: cannot assign to literal"],
    ["x = [i for 1 in y]", "line 1, column 12: SyntaxError: cannot assign to literal"],
    ["from x import a,", "line 1, column 17: SyntaxError: trailing comma not allowed without surrounding parentheses"],
    ["from import x", "line 1, column 6: SyntaxError: invalid syntax"],
    ["x = a[]", "line 1, column 7: SyntaxError: invalid syntax"],
    ["while x: pass\nelse: pass\nelse: pass", "line 3, column 1: SyntaxError: invalid syntax"],
    ["if x: for y in z: pass", "line 1, column 7: SyntaxError: invalid syntax"],
    ["break", "line 1, column 1: SyntaxError: 'break' outside loop"],
    ["while x: pass\nelse: continue", "line 2, column 7: SyntaxError: 'continue' not properly in loop"],
    ["x = 1\0", "line 1, column 6: SyntaxError: source code cannot contain null bytes"],
  ])("%j", (src, message) => {
    expect(errorOf(src)).toBe(message);
  });
  it("the first error in source order wins (the lexer is lazy)", () => {
    expect(errorOf("def f(): pass\nx = 'unterminated")).toBe("line 1, column 1: unsupported construct: 'def' statement");
    expect(errorOf("x = 'unterminated\ndef f(): pass")).toBe("line 1, column 5: SyntaxError: unterminated string literal (detected at line 1)");
  });
});

describe("adversarial input: an error, never a crash or a hang", () => {
  it.each([
    ["deep parentheses", "x = " + "(".repeat(100000) + "1" + ")".repeat(100000), "too many nested parentheses"],
    ["deep brackets", "x = " + "[".repeat(5000), "too many nested parentheses"],
    ["unary minus chain", "x = " + "-".repeat(100000) + "1", "too many nested expressions"],
    ["not chain", "x = " + "not ".repeat(50000) + "1", "too many nested expressions"],
    ["power chain", "x = " + "2 ** ".repeat(50000) + "2", "too many nested expressions"],
    ["conditional chain", "x = " + "1 if 2 else ".repeat(50000) + "3", "too many nested expressions"],
    ["long + chain", "x = " + "1 + ".repeat(50000) + "1", "too complex"],
    ["long attribute chain", "x = a" + ".b".repeat(50000), "too complex"],
    ["long call chain", "x = f" + "()".repeat(50000), "too complex"],
    ["long elif chain", "if a: pass\n" + "elif b: pass\n".repeat(20000), "too complex"],
    [
      "deep indentation",
      Array.from({ length: 150 }, (_, i) => " ".repeat(i) + "if x:").join("\n") + "\n" + " ".repeat(150) + "pass",
      "too many levels of indentation",
    ],
  ])("%s", (_name, src, fragment) => {
    expect(errorOf(src)).toContain(fragment);
  });
  it("accepts nesting below the limits", () => {
    expect(() => parse("x = " + "(".repeat(150) + "1" + ")".repeat(150))).not.toThrow();
    expect(() => parse("x = " + "1 + ".repeat(MAX_AST_DEPTH - 10) + "1")).not.toThrow();
    expect(() => parse("if a: pass\n" + "elif b: pass\n".repeat(300))).not.toThrow();
  });
  it("large flat inputs stay fast", () => {
    const t0 = performance.now();
    const m = parse("x = [" + "1, ".repeat(50000) + "]\n" + "y = x\n".repeat(20000));
    expect(m.body).toHaveLength(20001);
    expect(performance.now() - t0).toBeLessThan(5000);
  });
  it("random garbage only ever raises CowsimError", () => {
    const alphabet = [
      "(", ")", "[", "]", "{", "}", ",", ":", "=", "+", "*", "**", "not", "in", "if", "else", "for", "x", "1", "'s", "'", '"""', "\n",
      "\n  ", "\t", "\\", "\\\n", ";", ".", "lambda", "#", "0x", "_", "é", "\r", "del", "while", "elif", "import", "from",
    ];
    let seed = 12345;
    const rnd = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648), seed % n);
    for (let i = 0; i < 3000; i++) {
      let src = "";
      const len = rnd(30);
      for (let j = 0; j < len; j++) src += alphabet[rnd(alphabet.length)] + (rnd(2) ? " " : "");
      try {
        parse(src);
      } catch (e) {
        if (!(e instanceof CowsimError)) throw new Error(`non-CowsimError for ${JSON.stringify(src)}: ${e}`);
      }
    }
  });
});

describe("lexer", () => {
  it("emits INDENT/DEDENT/NEWLINE like CPython's tokenizer", () => {
    const toks = Lexer.tokenize("if x:\n    y = 1  # c\n\nz\n").map((t) => `${t.type}:${t.text}`);
    expect(toks).toEqual([
      "NAME:if", "NAME:x", "OP::", "NEWLINE:\n", "INDENT:", "NAME:y", "OP:=", "NUMBER:1", "NEWLINE:\n", "DEDENT:", "NAME:z", "NEWLINE:\n",
      "ENDMARKER:",
    ]);
  });
  it("no NEWLINE inside brackets; positions are 1-based", () => {
    const toks = Lexer.tokenize("f(a,\n  b)");
    expect(toks.map((t) => t.type)).toEqual(["NAME", "OP", "NAME", "OP", "NAME", "OP", "NEWLINE", "ENDMARKER"]);
    const b = toks[4];
    expect([b.line, b.column, b.endLine, b.endColumn]).toEqual([2, 3, 2, 4]);
  });
  it("multi-line string token positions", () => {
    const s = Lexer.tokenize("x = '''a\nbc'''")[2];
    expect([s.type, s.line, s.column, s.endLine, s.endColumn]).toEqual(["STRING", 1, 5, 2, 6]);
  });
});

/** [source, CPython 3.11.7 ast.dump(ast.parse(source))] */
function oraclePlain(): Array<[string, string]> {
  return ORACLE_PLAIN;
}
/** [source, CPython 3.11.7 ast.dump(ast.parse(source), include_attributes=True)] */
function oraclePositions(): Array<[string, string]> {
  return ORACLE_POSITIONS;
}

const ORACLE_PLAIN: Array<[string, string]> = [
  ["x = 1", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=1))], type_ignores=[])"],
  ["x = y = z = 2", "Module(body=[Assign(targets=[Name(id='x', ctx=Store()), Name(id='y', ctx=Store()), Name(id='z', ctx=Store())], value=Constant(value=2))], type_ignores=[])"],
  ["a, b = b, a", "Module(body=[Assign(targets=[Tuple(elts=[Name(id='a', ctx=Store()), Name(id='b', ctx=Store())], ctx=Store())], value=Tuple(elts=[Name(id='b', ctx=Load()), Name(id='a', ctx=Load())], ctx=Load()))], type_ignores=[])"],
  ["(a, b), [c, d] = x", "Module(body=[Assign(targets=[Tuple(elts=[Tuple(elts=[Name(id='a', ctx=Store()), Name(id='b', ctx=Store())], ctx=Store()), List(elts=[Name(id='c', ctx=Store()), Name(id='d', ctx=Store())], ctx=Store())], ctx=Store())], value=Name(id='x', ctx=Load()))], type_ignores=[])"],
  ["[a, (b, c)] = 1, (2, 3)", "Module(body=[Assign(targets=[List(elts=[Name(id='a', ctx=Store()), Tuple(elts=[Name(id='b', ctx=Store()), Name(id='c', ctx=Store())], ctx=Store())], ctx=Store())], value=Tuple(elts=[Constant(value=1), Tuple(elts=[Constant(value=2), Constant(value=3)], ctx=Load())], ctx=Load()))], type_ignores=[])"],
  ["x = 1,", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Tuple(elts=[Constant(value=1)], ctx=Load()))], type_ignores=[])"],
  ["x = ()", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Tuple(elts=[], ctx=Load()))], type_ignores=[])"],
  ["x = (1,)", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Tuple(elts=[Constant(value=1)], ctx=Load()))], type_ignores=[])"],
  ["x = (1)", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=1))], type_ignores=[])"],
  ["a[0] = 1", "Module(body=[Assign(targets=[Subscript(value=Name(id='a', ctx=Load()), slice=Constant(value=0), ctx=Store())], value=Constant(value=1))], type_ignores=[])"],
  ["a[i:j] = b", "Module(body=[Assign(targets=[Subscript(value=Name(id='a', ctx=Load()), slice=Slice(lower=Name(id='i', ctx=Load()), upper=Name(id='j', ctx=Load())), ctx=Store())], value=Name(id='b', ctx=Load()))], type_ignores=[])"],
  ["a.b.c = 1", "Module(body=[Assign(targets=[Attribute(value=Attribute(value=Name(id='a', ctx=Load()), attr='b', ctx=Load()), attr='c', ctx=Store())], value=Constant(value=1))], type_ignores=[])"],
  ["a.b[1].c = 2", "Module(body=[Assign(targets=[Attribute(value=Subscript(value=Attribute(value=Name(id='a', ctx=Load()), attr='b', ctx=Load()), slice=Constant(value=1), ctx=Load()), attr='c', ctx=Store())], value=Constant(value=2))], type_ignores=[])"],
  ["x += 1", "Module(body=[AugAssign(target=Name(id='x', ctx=Store()), op=Add(), value=Constant(value=1))], type_ignores=[])"],
  ["x -= 1; y *= 2; z /= 3", "Module(body=[AugAssign(target=Name(id='x', ctx=Store()), op=Sub(), value=Constant(value=1)), AugAssign(target=Name(id='y', ctx=Store()), op=Mult(), value=Constant(value=2)), AugAssign(target=Name(id='z', ctx=Store()), op=Div(), value=Constant(value=3))], type_ignores=[])"],
  ["a[i] //= 2", "Module(body=[AugAssign(target=Subscript(value=Name(id='a', ctx=Load()), slice=Name(id='i', ctx=Load()), ctx=Store()), op=FloorDiv(), value=Constant(value=2))], type_ignores=[])"],
  ["a.b %= 3", "Module(body=[AugAssign(target=Attribute(value=Name(id='a', ctx=Load()), attr='b', ctx=Store()), op=Mod(), value=Constant(value=3))], type_ignores=[])"],
  ["x **= 2", "Module(body=[AugAssign(target=Name(id='x', ctx=Store()), op=Pow(), value=Constant(value=2))], type_ignores=[])"],
  ["x <<= 1", "Module(body=[AugAssign(target=Name(id='x', ctx=Store()), op=LShift(), value=Constant(value=1))], type_ignores=[])"],
  ["x >>= 1", "Module(body=[AugAssign(target=Name(id='x', ctx=Store()), op=RShift(), value=Constant(value=1))], type_ignores=[])"],
  ["x &= 1", "Module(body=[AugAssign(target=Name(id='x', ctx=Store()), op=BitAnd(), value=Constant(value=1))], type_ignores=[])"],
  ["x |= 1", "Module(body=[AugAssign(target=Name(id='x', ctx=Store()), op=BitOr(), value=Constant(value=1))], type_ignores=[])"],
  ["x ^= 1", "Module(body=[AugAssign(target=Name(id='x', ctx=Store()), op=BitXor(), value=Constant(value=1))], type_ignores=[])"],
  ["x += 1, 2", "Module(body=[AugAssign(target=Name(id='x', ctx=Store()), op=Add(), value=Tuple(elts=[Constant(value=1), Constant(value=2)], ctx=Load()))], type_ignores=[])"],
  ["del a", "Module(body=[Delete(targets=[Name(id='a', ctx=Del())])], type_ignores=[])"],
  ["del a, b[1], c[1:2], d.e", "Module(body=[Delete(targets=[Name(id='a', ctx=Del()), Subscript(value=Name(id='b', ctx=Load()), slice=Constant(value=1), ctx=Del()), Subscript(value=Name(id='c', ctx=Load()), slice=Slice(lower=Constant(value=1), upper=Constant(value=2)), ctx=Del()), Attribute(value=Name(id='d', ctx=Load()), attr='e', ctx=Del())])], type_ignores=[])"],
  ["del (a, b), [c]", "Module(body=[Delete(targets=[Tuple(elts=[Name(id='a', ctx=Del()), Name(id='b', ctx=Del())], ctx=Del()), List(elts=[Name(id='c', ctx=Del())], ctx=Del())])], type_ignores=[])"],
  ["del a,", "Module(body=[Delete(targets=[Name(id='a', ctx=Del())])], type_ignores=[])"],
  ["f(x)", "Module(body=[Expr(value=Call(func=Name(id='f', ctx=Load()), args=[Name(id='x', ctx=Load())], keywords=[]))], type_ignores=[])"],
  ["f(x, key=1)", "Module(body=[Expr(value=Call(func=Name(id='f', ctx=Load()), args=[Name(id='x', ctx=Load())], keywords=[keyword(arg='key', value=Constant(value=1))]))], type_ignores=[])"],
  ["f()", "Module(body=[Expr(value=Call(func=Name(id='f', ctx=Load()), args=[], keywords=[]))], type_ignores=[])"],
  ["f(a)(b)(c)", "Module(body=[Expr(value=Call(func=Call(func=Call(func=Name(id='f', ctx=Load()), args=[Name(id='a', ctx=Load())], keywords=[]), args=[Name(id='b', ctx=Load())], keywords=[]), args=[Name(id='c', ctx=Load())], keywords=[]))], type_ignores=[])"],
  ["f(x,)", "Module(body=[Expr(value=Call(func=Name(id='f', ctx=Load()), args=[Name(id='x', ctx=Load())], keywords=[]))], type_ignores=[])"],
  ["f(a, b, c=1, d=2,)", "Module(body=[Expr(value=Call(func=Name(id='f', ctx=Load()), args=[Name(id='a', ctx=Load()), Name(id='b', ctx=Load())], keywords=[keyword(arg='c', value=Constant(value=1)), keyword(arg='d', value=Constant(value=2))]))], type_ignores=[])"],
  ["f(x for x in y)", "Module(body=[Expr(value=Call(func=Name(id='f', ctx=Load()), args=[GeneratorExp(elt=Name(id='x', ctx=Load()), generators=[comprehension(target=Name(id='x', ctx=Store()), iter=Name(id='y', ctx=Load()), ifs=[], is_async=0)])], keywords=[]))], type_ignores=[])"],
  ["f((x for x in y), 1)", "Module(body=[Expr(value=Call(func=Name(id='f', ctx=Load()), args=[GeneratorExp(elt=Name(id='x', ctx=Load()), generators=[comprehension(target=Name(id='x', ctx=Store()), iter=Name(id='y', ctx=Load()), ifs=[], is_async=0)]), Constant(value=1)], keywords=[]))], type_ignores=[])"],
  ["x = 1 + 2 * 3", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=BinOp(left=Constant(value=1), op=Add(), right=BinOp(left=Constant(value=2), op=Mult(), right=Constant(value=3))))], type_ignores=[])"],
  ["x = (1 + 2) * 3", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=BinOp(left=BinOp(left=Constant(value=1), op=Add(), right=Constant(value=2)), op=Mult(), right=Constant(value=3)))], type_ignores=[])"],
  ["x = 2 ** 3 ** 2", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=BinOp(left=Constant(value=2), op=Pow(), right=BinOp(left=Constant(value=3), op=Pow(), right=Constant(value=2))))], type_ignores=[])"],
  ["x = -2 ** 2", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=UnaryOp(op=USub(), operand=BinOp(left=Constant(value=2), op=Pow(), right=Constant(value=2))))], type_ignores=[])"],
  ["x = 2 ** -1", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=BinOp(left=Constant(value=2), op=Pow(), right=UnaryOp(op=USub(), operand=Constant(value=1))))], type_ignores=[])"],
  ["x = ~x + -y - +z", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=BinOp(left=BinOp(left=UnaryOp(op=Invert(), operand=Name(id='x', ctx=Load())), op=Add(), right=UnaryOp(op=USub(), operand=Name(id='y', ctx=Load()))), op=Sub(), right=UnaryOp(op=UAdd(), operand=Name(id='z', ctx=Load()))))], type_ignores=[])"],
  ["x = a | b ^ c & d << e >> f + g - h * i / j // k % l", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=BinOp(left=Name(id='a', ctx=Load()), op=BitOr(), right=BinOp(left=Name(id='b', ctx=Load()), op=BitXor(), right=BinOp(left=Name(id='c', ctx=Load()), op=BitAnd(), right=BinOp(left=BinOp(left=Name(id='d', ctx=Load()), op=LShift(), right=Name(id='e', ctx=Load())), op=RShift(), right=BinOp(left=BinOp(left=Name(id='f', ctx=Load()), op=Add(), right=Name(id='g', ctx=Load())), op=Sub(), right=BinOp(left=BinOp(left=BinOp(left=BinOp(left=Name(id='h', ctx=Load()), op=Mult(), right=Name(id='i', ctx=Load())), op=Div(), right=Name(id='j', ctx=Load())), op=FloorDiv(), right=Name(id='k', ctx=Load())), op=Mod(), right=Name(id='l', ctx=Load()))))))))], type_ignores=[])"],
  ["x = a or b and not c", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=BoolOp(op=Or(), values=[Name(id='a', ctx=Load()), BoolOp(op=And(), values=[Name(id='b', ctx=Load()), UnaryOp(op=Not(), operand=Name(id='c', ctx=Load()))])]))], type_ignores=[])"],
  ["x = a and b or c and d", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=BoolOp(op=Or(), values=[BoolOp(op=And(), values=[Name(id='a', ctx=Load()), Name(id='b', ctx=Load())]), BoolOp(op=And(), values=[Name(id='c', ctx=Load()), Name(id='d', ctx=Load())])]))], type_ignores=[])"],
  ["x = a or b or c", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=BoolOp(op=Or(), values=[Name(id='a', ctx=Load()), Name(id='b', ctx=Load()), Name(id='c', ctx=Load())]))], type_ignores=[])"],
  ["x = not not a", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=UnaryOp(op=Not(), operand=UnaryOp(op=Not(), operand=Name(id='a', ctx=Load()))))], type_ignores=[])"],
  ["x = not a == b", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=UnaryOp(op=Not(), operand=Compare(left=Name(id='a', ctx=Load()), ops=[Eq()], comparators=[Name(id='b', ctx=Load())])))], type_ignores=[])"],
  ["x = a < b <= c > d >= e == f != g", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Compare(left=Name(id='a', ctx=Load()), ops=[Lt(), LtE(), Gt(), GtE(), Eq(), NotEq()], comparators=[Name(id='b', ctx=Load()), Name(id='c', ctx=Load()), Name(id='d', ctx=Load()), Name(id='e', ctx=Load()), Name(id='f', ctx=Load()), Name(id='g', ctx=Load())]))], type_ignores=[])"],
  ["x = a in b not in c is d is not e", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Compare(left=Name(id='a', ctx=Load()), ops=[In(), NotIn(), Is(), IsNot()], comparators=[Name(id='b', ctx=Load()), Name(id='c', ctx=Load()), Name(id='d', ctx=Load()), Name(id='e', ctx=Load())]))], type_ignores=[])"],
  ["x = a if b else c", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=IfExp(test=Name(id='b', ctx=Load()), body=Name(id='a', ctx=Load()), orelse=Name(id='c', ctx=Load())))], type_ignores=[])"],
  ["x = a if b else c if d else e", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=IfExp(test=Name(id='b', ctx=Load()), body=Name(id='a', ctx=Load()), orelse=IfExp(test=Name(id='d', ctx=Load()), body=Name(id='c', ctx=Load()), orelse=Name(id='e', ctx=Load()))))], type_ignores=[])"],
  ["x = (a if b else c) if d else e", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=IfExp(test=Name(id='d', ctx=Load()), body=IfExp(test=Name(id='b', ctx=Load()), body=Name(id='a', ctx=Load()), orelse=Name(id='c', ctx=Load())), orelse=Name(id='e', ctx=Load())))], type_ignores=[])"],
  ["x = a or b if c and d else e or f", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=IfExp(test=BoolOp(op=And(), values=[Name(id='c', ctx=Load()), Name(id='d', ctx=Load())]), body=BoolOp(op=Or(), values=[Name(id='a', ctx=Load()), Name(id='b', ctx=Load())]), orelse=BoolOp(op=Or(), values=[Name(id='e', ctx=Load()), Name(id='f', ctx=Load())])))], type_ignores=[])"],
  ["x = 1 if a else 2, 3", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Tuple(elts=[IfExp(test=Name(id='a', ctx=Load()), body=Constant(value=1), orelse=Constant(value=2)), Constant(value=3)], ctx=Load()))], type_ignores=[])"],
  ["x = a - b - c", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=BinOp(left=BinOp(left=Name(id='a', ctx=Load()), op=Sub(), right=Name(id='b', ctx=Load())), op=Sub(), right=Name(id='c', ctx=Load())))], type_ignores=[])"],
  ["x = a / b * c // d % e", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=BinOp(left=BinOp(left=BinOp(left=BinOp(left=Name(id='a', ctx=Load()), op=Div(), right=Name(id='b', ctx=Load())), op=Mult(), right=Name(id='c', ctx=Load())), op=FloorDiv(), right=Name(id='d', ctx=Load())), op=Mod(), right=Name(id='e', ctx=Load())))], type_ignores=[])"],
  ["x = -a.b[c]", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=UnaryOp(op=USub(), operand=Subscript(value=Attribute(value=Name(id='a', ctx=Load()), attr='b', ctx=Load()), slice=Name(id='c', ctx=Load()), ctx=Load())))], type_ignores=[])"],
  ["x = a.b(c)[d].e", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Attribute(value=Subscript(value=Call(func=Attribute(value=Name(id='a', ctx=Load()), attr='b', ctx=Load()), args=[Name(id='c', ctx=Load())], keywords=[]), slice=Name(id='d', ctx=Load()), ctx=Load()), attr='e', ctx=Load()))], type_ignores=[])"],
  ["x = [1, 2, 3,]", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=List(elts=[Constant(value=1), Constant(value=2), Constant(value=3)], ctx=Load()))], type_ignores=[])"],
  ["x = []", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=List(elts=[], ctx=Load()))], type_ignores=[])"],
  ["x = {}", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Dict(keys=[], values=[]))], type_ignores=[])"],
  ["x = {1: 2, 3: 4,}", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Dict(keys=[Constant(value=1), Constant(value=3)], values=[Constant(value=2), Constant(value=4)]))], type_ignores=[])"],
  ["x = {1, 2}", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Set(elts=[Constant(value=1), Constant(value=2)]))], type_ignores=[])"],
  ["x = {1,}", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Set(elts=[Constant(value=1)]))], type_ignores=[])"],
  ["x = [i * j for i in range(3) for j in range(i) if i if j > 1]", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=ListComp(elt=BinOp(left=Name(id='i', ctx=Load()), op=Mult(), right=Name(id='j', ctx=Load())), generators=[comprehension(target=Name(id='i', ctx=Store()), iter=Call(func=Name(id='range', ctx=Load()), args=[Constant(value=3)], keywords=[]), ifs=[], is_async=0), comprehension(target=Name(id='j', ctx=Store()), iter=Call(func=Name(id='range', ctx=Load()), args=[Name(id='i', ctx=Load())], keywords=[]), ifs=[Name(id='i', ctx=Load()), Compare(left=Name(id='j', ctx=Load()), ops=[Gt()], comparators=[Constant(value=1)])], is_async=0)]))], type_ignores=[])"],
  ["x = {k: v for k, v in d.items()}", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=DictComp(key=Name(id='k', ctx=Load()), value=Name(id='v', ctx=Load()), generators=[comprehension(target=Tuple(elts=[Name(id='k', ctx=Store()), Name(id='v', ctx=Store())], ctx=Store()), iter=Call(func=Attribute(value=Name(id='d', ctx=Load()), attr='items', ctx=Load()), args=[], keywords=[]), ifs=[], is_async=0)]))], type_ignores=[])"],
  ["x = {i for i in s if i % 2}", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=SetComp(elt=Name(id='i', ctx=Load()), generators=[comprehension(target=Name(id='i', ctx=Store()), iter=Name(id='s', ctx=Load()), ifs=[BinOp(left=Name(id='i', ctx=Load()), op=Mod(), right=Constant(value=2))], is_async=0)]))], type_ignores=[])"],
  ["x = (i for i in s)", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=GeneratorExp(elt=Name(id='i', ctx=Load()), generators=[comprehension(target=Name(id='i', ctx=Store()), iter=Name(id='s', ctx=Load()), ifs=[], is_async=0)]))], type_ignores=[])"],
  ["x = [(a, b) for (a, b), c in z]", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=ListComp(elt=Tuple(elts=[Name(id='a', ctx=Load()), Name(id='b', ctx=Load())], ctx=Load()), generators=[comprehension(target=Tuple(elts=[Tuple(elts=[Name(id='a', ctx=Store()), Name(id='b', ctx=Store())], ctx=Store()), Name(id='c', ctx=Store())], ctx=Store()), iter=Name(id='z', ctx=Load()), ifs=[], is_async=0)]))], type_ignores=[])"],
  ["x = [a for a, in z]", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=ListComp(elt=Name(id='a', ctx=Load()), generators=[comprehension(target=Tuple(elts=[Name(id='a', ctx=Store())], ctx=Store()), iter=Name(id='z', ctx=Load()), ifs=[], is_async=0)]))], type_ignores=[])"],
  ["x = [x if x else y for x in z]", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=ListComp(elt=IfExp(test=Name(id='x', ctx=Load()), body=Name(id='x', ctx=Load()), orelse=Name(id='y', ctx=Load())), generators=[comprehension(target=Name(id='x', ctx=Store()), iter=Name(id='z', ctx=Load()), ifs=[], is_async=0)]))], type_ignores=[])"],
  ["x = [[y for y in x] for x in z]", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=ListComp(elt=ListComp(elt=Name(id='y', ctx=Load()), generators=[comprehension(target=Name(id='y', ctx=Store()), iter=Name(id='x', ctx=Load()), ifs=[], is_async=0)]), generators=[comprehension(target=Name(id='x', ctx=Store()), iter=Name(id='z', ctx=Load()), ifs=[], is_async=0)]))], type_ignores=[])"],
  ["a[1:2]", "Module(body=[Expr(value=Subscript(value=Name(id='a', ctx=Load()), slice=Slice(lower=Constant(value=1), upper=Constant(value=2)), ctx=Load()))], type_ignores=[])"],
  ["a[1:2:3]", "Module(body=[Expr(value=Subscript(value=Name(id='a', ctx=Load()), slice=Slice(lower=Constant(value=1), upper=Constant(value=2), step=Constant(value=3)), ctx=Load()))], type_ignores=[])"],
  ["a[:]", "Module(body=[Expr(value=Subscript(value=Name(id='a', ctx=Load()), slice=Slice(), ctx=Load()))], type_ignores=[])"],
  ["a[::]", "Module(body=[Expr(value=Subscript(value=Name(id='a', ctx=Load()), slice=Slice(), ctx=Load()))], type_ignores=[])"],
  ["a[::2]", "Module(body=[Expr(value=Subscript(value=Name(id='a', ctx=Load()), slice=Slice(step=Constant(value=2)), ctx=Load()))], type_ignores=[])"],
  ["a[1:]", "Module(body=[Expr(value=Subscript(value=Name(id='a', ctx=Load()), slice=Slice(lower=Constant(value=1)), ctx=Load()))], type_ignores=[])"],
  ["a[:2]", "Module(body=[Expr(value=Subscript(value=Name(id='a', ctx=Load()), slice=Slice(upper=Constant(value=2)), ctx=Load()))], type_ignores=[])"],
  ["a[1,2]", "Module(body=[Expr(value=Subscript(value=Name(id='a', ctx=Load()), slice=Tuple(elts=[Constant(value=1), Constant(value=2)], ctx=Load()), ctx=Load()))], type_ignores=[])"],
  ["a[1:2, 3]", "Module(body=[Expr(value=Subscript(value=Name(id='a', ctx=Load()), slice=Tuple(elts=[Slice(lower=Constant(value=1), upper=Constant(value=2)), Constant(value=3)], ctx=Load()), ctx=Load()))], type_ignores=[])"],
  ["a[1,]", "Module(body=[Expr(value=Subscript(value=Name(id='a', ctx=Load()), slice=Tuple(elts=[Constant(value=1)], ctx=Load()), ctx=Load()))], type_ignores=[])"],
  ["a[::-1]", "Module(body=[Expr(value=Subscript(value=Name(id='a', ctx=Load()), slice=Slice(step=UnaryOp(op=USub(), operand=Constant(value=1))), ctx=Load()))], type_ignores=[])"],
  ["x = 0", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=0))], type_ignores=[])"],
  ["x = 1_000_000", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=1000000))], type_ignores=[])"],
  ["x = 0x1F", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=31))], type_ignores=[])"],
  ["x = 0X_ff", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=255))], type_ignores=[])"],
  ["x = 0o17", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=15))], type_ignores=[])"],
  ["x = 0b1010", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=10))], type_ignores=[])"],
  ["x = 00", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=0))], type_ignores=[])"],
  ["x = 123456789012345678901234567890", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=123456789012345678901234567890))], type_ignores=[])"],
  ["x = 0xFFFFFFFFFFFFFFFFFFFF", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=1208925819614629174706175))], type_ignores=[])"],
  ["x = 1.5", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=1.5))], type_ignores=[])"],
  ["x = 1.", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=1.0))], type_ignores=[])"],
  ["x = .5", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=0.5))], type_ignores=[])"],
  ["x = 1e10", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=10000000000.0))], type_ignores=[])"],
  ["x = 1E-5", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=1e-05))], type_ignores=[])"],
  ["x = 1.5e+300", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=1.5e+300))], type_ignores=[])"],
  ["x = 1e400", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=inf))], type_ignores=[])"],
  ["x = 1_0.0_1e1_0", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=100100000000.0))], type_ignores=[])"],
  ["x = 1e16", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=1e+16))], type_ignores=[])"],
  ["x = 1e-5", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=1e-05))], type_ignores=[])"],
  ["x = 007.5", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=7.5))], type_ignores=[])"],
  ["x = 'a'", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value='a'))], type_ignores=[])"],
  ["x = '''a\nb'''", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value='a\\nb'))], type_ignores=[])"],
  ["x = 'a' 'b' \"c\"", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value='abc'))], type_ignores=[])"],
  ["x = 'a\\nb\\tc\\\\d\\'e\\\"f'", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value='a\\nb\\tc\\\\d\\'e\"f'))], type_ignores=[])"],
  ["x = '\\x41\\u00e9\\U0001F600\\101\\0\\7'", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value='A\u00e9\ud83d\ude00A\\x00\\x07'))], type_ignores=[])"],
  ["x = r'a\\nb'", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value='a\\\\nb'))], type_ignores=[])"],
  ["x = b'abc'", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=b'abc'))], type_ignores=[])"],
  ["x = B'\\x00\\xff\\n'", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=b'\\x00\\xff\\n'))], type_ignores=[])"],
  ["x = rb'\\n'", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=b'\\\\n'))], type_ignores=[])"],
  ["x = b'a' b'b'", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=b'ab'))], type_ignores=[])"],
  ["x = u'abc'", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value='abc', kind='u'))], type_ignores=[])"],
  ["x = '\\d\\q'", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value='\\\\d\\\\q'))], type_ignores=[])"],
  ["x = b'\\u1234'", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=b'\\\\u1234'))], type_ignores=[])"],
  ["x = 'a\\\nb'", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value='ab'))], type_ignores=[])"],
  ["x = '\\a\\b\\f\\v\\r'", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value='\\x07\\x08\\x0c\\x0b\\r'))], type_ignores=[])"],
  ["x = '\\ud800'", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value='\\ud800'))], type_ignores=[])"],
  ["x = b'\\777'", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=b'\\xff'))], type_ignores=[])"],
  ["x = ''", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=''))], type_ignores=[])"],
  ["x = b''", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=b''))], type_ignores=[])"],
  ["x = r'\\''", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=\"\\\\'\"))], type_ignores=[])"],
  ["x = None", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=None))], type_ignores=[])"],
  ["x = True", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=True))], type_ignores=[])"],
  ["x = False", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Constant(value=False))], type_ignores=[])"],
  ["for x in y:\n    a\n    b\nelse:\n    c", "Module(body=[For(target=Name(id='x', ctx=Store()), iter=Name(id='y', ctx=Load()), body=[Expr(value=Name(id='a', ctx=Load())), Expr(value=Name(id='b', ctx=Load()))], orelse=[Expr(value=Name(id='c', ctx=Load()))])], type_ignores=[])"],
  ["for a, b in c: pass", "Module(body=[For(target=Tuple(elts=[Name(id='a', ctx=Store()), Name(id='b', ctx=Store())], ctx=Store()), iter=Name(id='c', ctx=Load()), body=[Pass()], orelse=[])], type_ignores=[])"],
  ["for x in 1, 2: pass", "Module(body=[For(target=Name(id='x', ctx=Store()), iter=Tuple(elts=[Constant(value=1), Constant(value=2)], ctx=Load()), body=[Pass()], orelse=[])], type_ignores=[])"],
  ["for x, in y: pass", "Module(body=[For(target=Tuple(elts=[Name(id='x', ctx=Store())], ctx=Store()), iter=Name(id='y', ctx=Load()), body=[Pass()], orelse=[])], type_ignores=[])"],
  ["while x:\n    break\nelse:\n    pass", "Module(body=[While(test=Name(id='x', ctx=Load()), body=[Break()], orelse=[Pass()])], type_ignores=[])"],
  ["if a:\n    b\nelif c:\n    d\nelif e:\n    f\nelse:\n    g", "Module(body=[If(test=Name(id='a', ctx=Load()), body=[Expr(value=Name(id='b', ctx=Load()))], orelse=[If(test=Name(id='c', ctx=Load()), body=[Expr(value=Name(id='d', ctx=Load()))], orelse=[If(test=Name(id='e', ctx=Load()), body=[Expr(value=Name(id='f', ctx=Load()))], orelse=[Expr(value=Name(id='g', ctx=Load()))])])])], type_ignores=[])"],
  ["if a: b; c", "Module(body=[If(test=Name(id='a', ctx=Load()), body=[Expr(value=Name(id='b', ctx=Load())), Expr(value=Name(id='c', ctx=Load()))], orelse=[])], type_ignores=[])"],
  ["if a:\n    if b:\n        c\n    d\ne", "Module(body=[If(test=Name(id='a', ctx=Load()), body=[If(test=Name(id='b', ctx=Load()), body=[Expr(value=Name(id='c', ctx=Load()))], orelse=[]), Expr(value=Name(id='d', ctx=Load()))], orelse=[]), Expr(value=Name(id='e', ctx=Load()))], type_ignores=[])"],
  ["import a.b.c", "Module(body=[Import(names=[alias(name='a.b.c')])], type_ignores=[])"],
  ["import a as b, c.d as e", "Module(body=[Import(names=[alias(name='a', asname='b'), alias(name='c.d', asname='e')])], type_ignores=[])"],
  ["from a.b import c as d, e", "Module(body=[ImportFrom(module='a.b', names=[alias(name='c', asname='d'), alias(name='e')], level=0)], type_ignores=[])"],
  ["from . import x", "Module(body=[ImportFrom(names=[alias(name='x')], level=1)], type_ignores=[])"],
  ["from .a import b", "Module(body=[ImportFrom(module='a', names=[alias(name='b')], level=1)], type_ignores=[])"],
  ["from ... import x", "Module(body=[ImportFrom(names=[alias(name='x')], level=3)], type_ignores=[])"],
  ["from a import *", "Module(body=[ImportFrom(module='a', names=[alias(name='*')], level=0)], type_ignores=[])"],
  ["from a import (b, c,)", "Module(body=[ImportFrom(module='a', names=[alias(name='b'), alias(name='c')], level=0)], type_ignores=[])"],
  ["x = (1 +\n     2)", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=BinOp(left=Constant(value=1), op=Add(), right=Constant(value=2)))], type_ignores=[])"],
  ["x = 1 + \\\n    2", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=BinOp(left=Constant(value=1), op=Add(), right=Constant(value=2)))], type_ignores=[])"],
  ["x = [\n  1,\n  2,\n]", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=List(elts=[Constant(value=1), Constant(value=2)], ctx=Load()))], type_ignores=[])"],
  ["if x:\n\n    # c\n    y\n\n", "Module(body=[If(test=Name(id='x', ctx=Load()), body=[Expr(value=Name(id='y', ctx=Load()))], orelse=[])], type_ignores=[])"],
  ["if x:\n\ty\n\tz", "Module(body=[If(test=Name(id='x', ctx=Load()), body=[Expr(value=Name(id='y', ctx=Load())), Expr(value=Name(id='z', ctx=Load()))], orelse=[])], type_ignores=[])"],
  ["x = 1if y else 2", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=IfExp(test=Name(id='y', ctx=Load()), body=Constant(value=1), orelse=Constant(value=2)))], type_ignores=[])"],
  ["x = [1for x in y]", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=ListComp(elt=Constant(value=1), generators=[comprehension(target=Name(id='x', ctx=Store()), iter=Name(id='y', ctx=Load()), ifs=[], is_async=0)]))], type_ignores=[])"],
  ["x = 1or 2", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=BoolOp(op=Or(), values=[Constant(value=1), Constant(value=2)]))], type_ignores=[])"],
  ["(a) = 1", "Module(body=[Assign(targets=[Name(id='a', ctx=Store())], value=Constant(value=1))], type_ignores=[])"],
  ["[a] = 1", "Module(body=[Assign(targets=[List(elts=[Name(id='a', ctx=Store())], ctx=Store())], value=Constant(value=1))], type_ignores=[])"],
  ["[] = x", "Module(body=[Assign(targets=[List(elts=[], ctx=Store())], value=Name(id='x', ctx=Load()))], type_ignores=[])"],
  ["() = x", "Module(body=[Assign(targets=[Tuple(elts=[], ctx=Store())], value=Name(id='x', ctx=Load()))], type_ignores=[])"],
  ["match = 1", "Module(body=[Assign(targets=[Name(id='match', ctx=Store())], value=Constant(value=1))], type_ignores=[])"],
  ["print", "Module(body=[Expr(value=Name(id='print', ctx=Load()))], type_ignores=[])"],
  ["type(x)", "Module(body=[Expr(value=Call(func=Name(id='type', ctx=Load()), args=[Name(id='x', ctx=Load())], keywords=[]))], type_ignores=[])"],
  ["x = (a)(b)", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Call(func=Name(id='a', ctx=Load()), args=[Name(id='b', ctx=Load())], keywords=[]))], type_ignores=[])"],
  ["x = y == (z,)", "Module(body=[Assign(targets=[Name(id='x', ctx=Store())], value=Compare(left=Name(id='y', ctx=Load()), ops=[Eq()], comparators=[Tuple(elts=[Name(id='z', ctx=Load())], ctx=Load())]))], type_ignores=[])"],
  ["print(x)", "Module(body=[Expr(value=Call(func=Name(id='print', ctx=Load()), args=[Name(id='x', ctx=Load())], keywords=[]))], type_ignores=[])"],
  ["f(a)[b](c).d = e[f:g, h]", "Module(body=[Assign(targets=[Attribute(value=Call(func=Subscript(value=Call(func=Name(id='f', ctx=Load()), args=[Name(id='a', ctx=Load())], keywords=[]), slice=Name(id='b', ctx=Load()), ctx=Load()), args=[Name(id='c', ctx=Load())], keywords=[]), attr='d', ctx=Store())], value=Subscript(value=Name(id='e', ctx=Load()), slice=Tuple(elts=[Slice(lower=Name(id='f', ctx=Load()), upper=Name(id='g', ctx=Load())), Name(id='h', ctx=Load())], ctx=Load()), ctx=Load()))], type_ignores=[])"],
];

const ORACLE_POSITIONS: Array<[string, string]> = [
  ["x = 1", "Module(body=[Assign(targets=[Name(id='x', ctx=Store(), lineno=1, col_offset=0, end_lineno=1, end_col_offset=1)], value=Constant(value=1, lineno=1, col_offset=4, end_lineno=1, end_col_offset=5), lineno=1, col_offset=0, end_lineno=1, end_col_offset=5)], type_ignores=[])"],
  ["a, b = b, a", "Module(body=[Assign(targets=[Tuple(elts=[Name(id='a', ctx=Store(), lineno=1, col_offset=0, end_lineno=1, end_col_offset=1), Name(id='b', ctx=Store(), lineno=1, col_offset=3, end_lineno=1, end_col_offset=4)], ctx=Store(), lineno=1, col_offset=0, end_lineno=1, end_col_offset=4)], value=Tuple(elts=[Name(id='b', ctx=Load(), lineno=1, col_offset=7, end_lineno=1, end_col_offset=8), Name(id='a', ctx=Load(), lineno=1, col_offset=10, end_lineno=1, end_col_offset=11)], ctx=Load(), lineno=1, col_offset=7, end_lineno=1, end_col_offset=11), lineno=1, col_offset=0, end_lineno=1, end_col_offset=11)], type_ignores=[])"],
  ["x = 1, 2,", "Module(body=[Assign(targets=[Name(id='x', ctx=Store(), lineno=1, col_offset=0, end_lineno=1, end_col_offset=1)], value=Tuple(elts=[Constant(value=1, lineno=1, col_offset=4, end_lineno=1, end_col_offset=5), Constant(value=2, lineno=1, col_offset=7, end_lineno=1, end_col_offset=8)], ctx=Load(), lineno=1, col_offset=4, end_lineno=1, end_col_offset=9), lineno=1, col_offset=0, end_lineno=1, end_col_offset=9)], type_ignores=[])"],
  ["x = (1 + 2) * 3", "Module(body=[Assign(targets=[Name(id='x', ctx=Store(), lineno=1, col_offset=0, end_lineno=1, end_col_offset=1)], value=BinOp(left=BinOp(left=Constant(value=1, lineno=1, col_offset=5, end_lineno=1, end_col_offset=6), op=Add(), right=Constant(value=2, lineno=1, col_offset=9, end_lineno=1, end_col_offset=10), lineno=1, col_offset=5, end_lineno=1, end_col_offset=10), op=Mult(), right=Constant(value=3, lineno=1, col_offset=14, end_lineno=1, end_col_offset=15), lineno=1, col_offset=4, end_lineno=1, end_col_offset=15), lineno=1, col_offset=0, end_lineno=1, end_col_offset=15)], type_ignores=[])"],
  ["x = -a.b[c]", "Module(body=[Assign(targets=[Name(id='x', ctx=Store(), lineno=1, col_offset=0, end_lineno=1, end_col_offset=1)], value=UnaryOp(op=USub(), operand=Subscript(value=Attribute(value=Name(id='a', ctx=Load(), lineno=1, col_offset=5, end_lineno=1, end_col_offset=6), attr='b', ctx=Load(), lineno=1, col_offset=5, end_lineno=1, end_col_offset=8), slice=Name(id='c', ctx=Load(), lineno=1, col_offset=9, end_lineno=1, end_col_offset=10), ctx=Load(), lineno=1, col_offset=5, end_lineno=1, end_col_offset=11), lineno=1, col_offset=4, end_lineno=1, end_col_offset=11), lineno=1, col_offset=0, end_lineno=1, end_col_offset=11)], type_ignores=[])"],
  ["x = [i for i in range(10) if i]", "Module(body=[Assign(targets=[Name(id='x', ctx=Store(), lineno=1, col_offset=0, end_lineno=1, end_col_offset=1)], value=ListComp(elt=Name(id='i', ctx=Load(), lineno=1, col_offset=5, end_lineno=1, end_col_offset=6), generators=[comprehension(target=Name(id='i', ctx=Store(), lineno=1, col_offset=11, end_lineno=1, end_col_offset=12), iter=Call(func=Name(id='range', ctx=Load(), lineno=1, col_offset=16, end_lineno=1, end_col_offset=21), args=[Constant(value=10, lineno=1, col_offset=22, end_lineno=1, end_col_offset=24)], keywords=[], lineno=1, col_offset=16, end_lineno=1, end_col_offset=25), ifs=[Name(id='i', ctx=Load(), lineno=1, col_offset=29, end_lineno=1, end_col_offset=30)], is_async=0)], lineno=1, col_offset=4, end_lineno=1, end_col_offset=31), lineno=1, col_offset=0, end_lineno=1, end_col_offset=31)], type_ignores=[])"],
  ["f(x for x in y)", "Module(body=[Expr(value=Call(func=Name(id='f', ctx=Load(), lineno=1, col_offset=0, end_lineno=1, end_col_offset=1), args=[GeneratorExp(elt=Name(id='x', ctx=Load(), lineno=1, col_offset=2, end_lineno=1, end_col_offset=3), generators=[comprehension(target=Name(id='x', ctx=Store(), lineno=1, col_offset=8, end_lineno=1, end_col_offset=9), iter=Name(id='y', ctx=Load(), lineno=1, col_offset=13, end_lineno=1, end_col_offset=14), ifs=[], is_async=0)], lineno=1, col_offset=1, end_lineno=1, end_col_offset=15)], keywords=[], lineno=1, col_offset=0, end_lineno=1, end_col_offset=15), lineno=1, col_offset=0, end_lineno=1, end_col_offset=15)], type_ignores=[])"],
  ["f(x, key=1)", "Module(body=[Expr(value=Call(func=Name(id='f', ctx=Load(), lineno=1, col_offset=0, end_lineno=1, end_col_offset=1), args=[Name(id='x', ctx=Load(), lineno=1, col_offset=2, end_lineno=1, end_col_offset=3)], keywords=[keyword(arg='key', value=Constant(value=1, lineno=1, col_offset=9, end_lineno=1, end_col_offset=10), lineno=1, col_offset=5, end_lineno=1, end_col_offset=10)], lineno=1, col_offset=0, end_lineno=1, end_col_offset=11), lineno=1, col_offset=0, end_lineno=1, end_col_offset=11)], type_ignores=[])"],
  ["a[1:2, ::3]", "Module(body=[Expr(value=Subscript(value=Name(id='a', ctx=Load(), lineno=1, col_offset=0, end_lineno=1, end_col_offset=1), slice=Tuple(elts=[Slice(lower=Constant(value=1, lineno=1, col_offset=2, end_lineno=1, end_col_offset=3), upper=Constant(value=2, lineno=1, col_offset=4, end_lineno=1, end_col_offset=5), lineno=1, col_offset=2, end_lineno=1, end_col_offset=5), Slice(step=Constant(value=3, lineno=1, col_offset=9, end_lineno=1, end_col_offset=10), lineno=1, col_offset=7, end_lineno=1, end_col_offset=10)], ctx=Load(), lineno=1, col_offset=2, end_lineno=1, end_col_offset=10), ctx=Load(), lineno=1, col_offset=0, end_lineno=1, end_col_offset=11), lineno=1, col_offset=0, end_lineno=1, end_col_offset=11)], type_ignores=[])"],
  ["a[:]", "Module(body=[Expr(value=Subscript(value=Name(id='a', ctx=Load(), lineno=1, col_offset=0, end_lineno=1, end_col_offset=1), slice=Slice(lineno=1, col_offset=2, end_lineno=1, end_col_offset=3), ctx=Load(), lineno=1, col_offset=0, end_lineno=1, end_col_offset=4), lineno=1, col_offset=0, end_lineno=1, end_col_offset=4)], type_ignores=[])"],
  ["x = 'a' 'b'", "Module(body=[Assign(targets=[Name(id='x', ctx=Store(), lineno=1, col_offset=0, end_lineno=1, end_col_offset=1)], value=Constant(value='ab', lineno=1, col_offset=4, end_lineno=1, end_col_offset=11), lineno=1, col_offset=0, end_lineno=1, end_col_offset=11)], type_ignores=[])"],
  ["if a:\n    b\nelif c:\n    d\nelse:\n    e\n", "Module(body=[If(test=Name(id='a', ctx=Load(), lineno=1, col_offset=3, end_lineno=1, end_col_offset=4), body=[Expr(value=Name(id='b', ctx=Load(), lineno=2, col_offset=4, end_lineno=2, end_col_offset=5), lineno=2, col_offset=4, end_lineno=2, end_col_offset=5)], orelse=[If(test=Name(id='c', ctx=Load(), lineno=3, col_offset=5, end_lineno=3, end_col_offset=6), body=[Expr(value=Name(id='d', ctx=Load(), lineno=4, col_offset=4, end_lineno=4, end_col_offset=5), lineno=4, col_offset=4, end_lineno=4, end_col_offset=5)], orelse=[Expr(value=Name(id='e', ctx=Load(), lineno=6, col_offset=4, end_lineno=6, end_col_offset=5), lineno=6, col_offset=4, end_lineno=6, end_col_offset=5)], lineno=3, col_offset=0, end_lineno=6, end_col_offset=5)], lineno=1, col_offset=0, end_lineno=6, end_col_offset=5)], type_ignores=[])"],
  ["if a: b;", "Module(body=[If(test=Name(id='a', ctx=Load(), lineno=1, col_offset=3, end_lineno=1, end_col_offset=4), body=[Expr(value=Name(id='b', ctx=Load(), lineno=1, col_offset=6, end_lineno=1, end_col_offset=7), lineno=1, col_offset=6, end_lineno=1, end_col_offset=7)], orelse=[], lineno=1, col_offset=0, end_lineno=1, end_col_offset=8)], type_ignores=[])"],
  ["for x in y:\n    pass\nelse:\n    z = 1\n", "Module(body=[For(target=Name(id='x', ctx=Store(), lineno=1, col_offset=4, end_lineno=1, end_col_offset=5), iter=Name(id='y', ctx=Load(), lineno=1, col_offset=9, end_lineno=1, end_col_offset=10), body=[Pass(lineno=2, col_offset=4, end_lineno=2, end_col_offset=8)], orelse=[Assign(targets=[Name(id='z', ctx=Store(), lineno=4, col_offset=4, end_lineno=4, end_col_offset=5)], value=Constant(value=1, lineno=4, col_offset=8, end_lineno=4, end_col_offset=9), lineno=4, col_offset=4, end_lineno=4, end_col_offset=9)], lineno=1, col_offset=0, end_lineno=4, end_col_offset=9)], type_ignores=[])"],
  ["while x: pass", "Module(body=[While(test=Name(id='x', ctx=Load(), lineno=1, col_offset=6, end_lineno=1, end_col_offset=7), body=[Pass(lineno=1, col_offset=9, end_lineno=1, end_col_offset=13)], orelse=[], lineno=1, col_offset=0, end_lineno=1, end_col_offset=13)], type_ignores=[])"],
  ["import a.b as c", "Module(body=[Import(names=[alias(name='a.b', asname='c', lineno=1, col_offset=7, end_lineno=1, end_col_offset=15)], lineno=1, col_offset=0, end_lineno=1, end_col_offset=15)], type_ignores=[])"],
  ["from .. import (x, y as z,)", "Module(body=[ImportFrom(names=[alias(name='x', lineno=1, col_offset=16, end_lineno=1, end_col_offset=17), alias(name='y', asname='z', lineno=1, col_offset=19, end_lineno=1, end_col_offset=25)], level=2, lineno=1, col_offset=0, end_lineno=1, end_col_offset=27)], type_ignores=[])"],
  ["del a[1:2], b", "Module(body=[Delete(targets=[Subscript(value=Name(id='a', ctx=Load(), lineno=1, col_offset=4, end_lineno=1, end_col_offset=5), slice=Slice(lower=Constant(value=1, lineno=1, col_offset=6, end_lineno=1, end_col_offset=7), upper=Constant(value=2, lineno=1, col_offset=8, end_lineno=1, end_col_offset=9), lineno=1, col_offset=6, end_lineno=1, end_col_offset=9), ctx=Del(), lineno=1, col_offset=4, end_lineno=1, end_col_offset=10), Name(id='b', ctx=Del(), lineno=1, col_offset=12, end_lineno=1, end_col_offset=13)], lineno=1, col_offset=0, end_lineno=1, end_col_offset=13)], type_ignores=[])"],
  ["x = {1: 2, 3: 4}", "Module(body=[Assign(targets=[Name(id='x', ctx=Store(), lineno=1, col_offset=0, end_lineno=1, end_col_offset=1)], value=Dict(keys=[Constant(value=1, lineno=1, col_offset=5, end_lineno=1, end_col_offset=6), Constant(value=3, lineno=1, col_offset=11, end_lineno=1, end_col_offset=12)], values=[Constant(value=2, lineno=1, col_offset=8, end_lineno=1, end_col_offset=9), Constant(value=4, lineno=1, col_offset=14, end_lineno=1, end_col_offset=15)], lineno=1, col_offset=4, end_lineno=1, end_col_offset=16), lineno=1, col_offset=0, end_lineno=1, end_col_offset=16)], type_ignores=[])"],
  ["x = (a if b else c) if d else e", "Module(body=[Assign(targets=[Name(id='x', ctx=Store(), lineno=1, col_offset=0, end_lineno=1, end_col_offset=1)], value=IfExp(test=Name(id='d', ctx=Load(), lineno=1, col_offset=23, end_lineno=1, end_col_offset=24), body=IfExp(test=Name(id='b', ctx=Load(), lineno=1, col_offset=10, end_lineno=1, end_col_offset=11), body=Name(id='a', ctx=Load(), lineno=1, col_offset=5, end_lineno=1, end_col_offset=6), orelse=Name(id='c', ctx=Load(), lineno=1, col_offset=17, end_lineno=1, end_col_offset=18), lineno=1, col_offset=5, end_lineno=1, end_col_offset=18), orelse=Name(id='e', ctx=Load(), lineno=1, col_offset=30, end_lineno=1, end_col_offset=31), lineno=1, col_offset=4, end_lineno=1, end_col_offset=31), lineno=1, col_offset=0, end_lineno=1, end_col_offset=31)], type_ignores=[])"],
  ["x = '''a\nb''' + c", "Module(body=[Assign(targets=[Name(id='x', ctx=Store(), lineno=1, col_offset=0, end_lineno=1, end_col_offset=1)], value=BinOp(left=Constant(value='a\\nb', lineno=1, col_offset=4, end_lineno=2, end_col_offset=4), op=Add(), right=Name(id='c', ctx=Load(), lineno=2, col_offset=7, end_lineno=2, end_col_offset=8), lineno=1, col_offset=4, end_lineno=2, end_col_offset=8), lineno=1, col_offset=0, end_lineno=2, end_col_offset=8)], type_ignores=[])"],
  ["x = (\n  1,\n  2)", "Module(body=[Assign(targets=[Name(id='x', ctx=Store(), lineno=1, col_offset=0, end_lineno=1, end_col_offset=1)], value=Tuple(elts=[Constant(value=1, lineno=2, col_offset=2, end_lineno=2, end_col_offset=3), Constant(value=2, lineno=3, col_offset=2, end_lineno=3, end_col_offset=3)], ctx=Load(), lineno=1, col_offset=4, end_lineno=3, end_col_offset=4), lineno=1, col_offset=0, end_lineno=3, end_col_offset=4)], type_ignores=[])"],
];
