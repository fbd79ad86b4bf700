/**
 * Names the evaluator knows: builtins, modules and their functions, methods.
 * Ids are shared with assembly/cpython/builtins.ts (`B`, `M`) and interp.ts.
 */
export const BUILTINS: Record<string, number> = {
  range: 0, list: 1, tuple: 2, dict: 3, set: 4, str: 5, int: 6, float: 7, bytes: 8, bytearray: 9, len: 10, sum: 11,
  min: 12, max: 13, sorted: 14, reversed: 15, enumerate: 16, zip: 17, isinstance: 18, id: 19, bool: 20,
  frozenset: 22, any: 23, all: 24, abs: 25, hash: 26, iter: 27,
};
/** 2.7 only. */
export const BUILTINS_27: Record<string, number> = { xrange: 21 };

export const BUILTIN_NAMES: Record<number, string> = {};
for (const [k, v] of Object.entries({ ...BUILTINS, ...BUILTINS_27 })) BUILTIN_NAMES[v] = k;

/** Module ids (interp.ts moduleObj). */
export const MODULES: Record<string, number> = {
  gc: 0, sys: 1, array: 2, multiprocessing: 3, "multiprocessing.sharedctypes": 4,
};

/**
 * Module attributes that are submodules (`multiprocessing.sharedctypes` after `import multiprocessing.sharedctypes`):
 * name -> module << 8 | 0x80 | submodule id (the evaluator's LOAD_ATTR returns that module object).
 */
export const SUBMODULES: Record<string, number> = { sharedctypes: (3 << 8) | 0x80 | 4 };

/** Module attributes that are functions: module -> name -> builtin id. */
export const MODULE_FUNCTIONS: Record<string, Record<string, number>> = {
  gc: {
    disable: 32, enable: 33, isenabled: 34, collect: 35, freeze: 36, unfreeze: 37, get_freeze_count: 38,
    set_threshold: 39, get_threshold: 40, get_count: 41,
  },
  sys: { getrefcount: 48, getsizeof: 49 },
  array: { array: 56 },
  "multiprocessing.sharedctypes": { RawArray: 64, Array: 65 },
};
for (const [mod, fns] of Object.entries(MODULE_FUNCTIONS)) for (const [n, id] of Object.entries(fns)) BUILTIN_NAMES[id] = `${mod}.${n}`;

/** gc.freeze & co. exist from 3.7. */
export const GC_FREEZE_SINCE = 307;

/** Method ids (builtins.ts M). */
export const METHODS: Record<string, number> = {
  append: 1, pop: 2, extend: 3, insert: 4, index: 5, count: 6, sort: 7, reverse: 8, remove: 9, clear: 10,
  get: 16, keys: 17, items: 18, values: 19, setdefault: 21, update: 22,
  add: 32, discard: 33,
  join: 48, encode: 49, split: 50, strip: 51, startswith: 52, endswith: 53, upper: 54, lower: 55,
};

/** Number of builtin function objects to create (ids 0 .. MAX). */
export const BUILTIN_COUNT = 80;
