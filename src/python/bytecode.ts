/**
 * The bytecode shared with the evaluator (assembly/cpython/eval.ts): u32
 * words, opcode in the low 8 bits, argument in the high 24.
 * Keep the numbers in step with `Op` there.
 */
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
  CALL = 33,
  LOAD_METHOD = 34,
  CALL_METHOD = 35,
  IMPORT_MODULE = 36,
  LOAD_ATTR = 37,
  UNPACK_SEQUENCE = 38,
  LOAD_FAST = 39,
  STORE_FAST = 40,
  RETURN = 41,
  INPLACE_OP = 42,
  POP_ITER = 43,
  LOAD_BUILTIN = 44,
  DUP_TOP_TWO = 45,
  COMP_ENTER = 46, // a comprehension's function object (MAKE_FUNCTION; ≤3.11, and 2.7 set/dict comprehensions)
  COMP_CALL = 47, // arg: extras (frame slots): its frame (≤3.10)
  COMP_EXIT = 48, // arg: comprehension id: the frame returns (zombie frame), the function is released
  GEN_FUNC = 49, // arg: generator expression id: its function object (MAKE_FUNCTION), pushed
  GEN_CALL = 50, // arg: pc of the body's GEN_HEADER: pops the first iterator and the function, pushes a generator
  GEN_HEADER = 51, // arg: id; then 4 NOP words (args: nlocals, body length, co_stacksize, co_nlocals); never run
  YIELD_VALUE = 52, // in a generator body: pops the value and suspends the frame, handing it to the consumer
  GEN_RETURN = 53, // end of a generator body: the generator is exhausted
  FORMAT_VALUE = 54, // arg: 1 for `!s`, else 0: an f-string's replacement field, formatted (no format spec)
  BUILD_STRING = 55, // arg: pieces: the f-string's strs on the stack joined into one
  LOAD_METHOD_KW = 56, // LOAD_METHOD for a call with keyword arguments (up to 3.10 CPython's LOAD_ATTR: a bound method)
  CALL_METHOD_KW = 57, // arg: argc | nkw << 12, keyword names tuple on top (3.6-3.10 CALL_FUNCTION_KW, 3.11+ KW_NAMES/CALL_KW)
}

/** Words of a generator body's header (GEN_HEADER and its 4 argument words); the body runs from here. */
export const GEN_HEADER_WORDS = 5;

export const OP_NAMES: Record<number, string> = {};
for (const [k, v] of Object.entries({
  NOP: 0, LOAD_CONST: 1, LOAD_NAME: 2, STORE_NAME: 3, DELETE_NAME: 4, POP_TOP: 5, DUP_TOP: 6, ROT_TWO: 7, ROT_THREE: 8,
  BINARY_OP: 9, UNARY_NEG: 10, UNARY_NOT: 11, UNARY_POS: 12, UNARY_INVERT: 13, COMPARE_OP: 14, BUILD_TUPLE: 15,
  BUILD_LIST: 16, BUILD_MAP: 17, BUILD_SET: 18, LIST_APPEND: 19, SET_ADD: 20, MAP_ADD: 21, BINARY_SUBSCR: 22,
  STORE_SUBSCR: 23, DELETE_SUBSCR: 24, BUILD_SLICE: 25, GET_ITER: 26, FOR_ITER: 27, JUMP: 28, POP_JUMP_IF_FALSE: 29,
  POP_JUMP_IF_TRUE: 30, JUMP_IF_FALSE_OR_POP: 31, JUMP_IF_TRUE_OR_POP: 32, CALL: 33, LOAD_METHOD: 34, CALL_METHOD: 35,
  IMPORT_MODULE: 36, LOAD_ATTR: 37, UNPACK_SEQUENCE: 38, LOAD_FAST: 39, STORE_FAST: 40, RETURN: 41, INPLACE_OP: 42,
  POP_ITER: 43, LOAD_BUILTIN: 44, DUP_TOP_TWO: 45, COMP_ENTER: 46, COMP_CALL: 47, COMP_EXIT: 48, GEN_FUNC: 49,
  GEN_CALL: 50, GEN_HEADER: 51, YIELD_VALUE: 52, GEN_RETURN: 53, FORMAT_VALUE: 54, BUILD_STRING: 55, LOAD_METHOD_KW: 56, CALL_METHOD_KW: 57,
})) OP_NAMES[v] = k;

/** Binary operators (ops.ts Op). */
export const BINOPS: Record<string, number> = {
  Add: 0, Sub: 1, Mult: 2, Div: 3, FloorDiv: 4, Mod: 5, Pow: 6, LShift: 7, RShift: 8, BitAnd: 9, BitOr: 10, BitXor: 11,
};
export const BINOP_SYMBOLS = ["+", "-", "*", "/", "//", "%", "** or pow()", "<<", ">>", "&", "|", "^"];
/** Comparisons (ops.ts Cmp). */
export const CMPOPS: Record<string, number> = {
  Lt: 0, LtE: 1, Eq: 2, NotEq: 3, Gt: 4, GtE: 5, In: 6, NotIn: 7, Is: 8, IsNot: 9,
};
export const CMP_SYMBOLS = ["<", "<=", "==", "!=", ">", ">=", "in", "not in", "is", "is not"];
