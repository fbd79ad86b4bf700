/**
 * CPython object layouts per version, 64-bit Linux (x86-64) build: header and field offsets,
 * GC head, the number of bytes each object asks its allocator for, growth formulas and
 * free-list limits. See docs/cpython/objects.md for the prose and the cross-checks.
 *
 * Sources (read; line-level detail in docs/cpython/objects.md):
 *   headers  /root/.pyenv/versions/X.Y.Z/include/python*     (exactly the measured builds)
 *   Objects/*.c, Modules/gcmodule.c, Python/gc.c, Python/sysmodule.c from these snapshots:
 *   2.7  QianyangPeng/Python-2.7.14 (2.7.14)          3.6  R-YaTian/CPython3.6.15WinXP (3.6.15)
 *   3.7  lzx1453536003/Python-3.7.3 (3.7.3)           3.8  dlxj/Python-3.8.16 (3.8.16)
 *   3.9  Poeagle/cpython3918 (3.9.18)                 3.10 Shiori-Takanashi/CPython-3.10.7-RE (3.10.7)
 *   3.11 shane-mf/cpython-3.11 (3.11.11+)             3.12 fanwenting99/force-cpython-3.12.5 (3.12.5)
 *   3.13 WCXCod1ng/Python-3.13.0-configured-debug (3.13.0)
 * Measured (authoritative): test/fixtures/getsizeof.json, produced by tools/measure-getsizeof.py
 *   on pyenv 2.7.18 3.6.15 3.7.16 3.8.18 3.9.18 3.10.13 3.11.7 3.12.1 3.13.0 (sys.getsizeof,
 *   __sizeof__, type __basicsize__/__itemsize__, gc.is_tracked, tracemalloc bytes per object).
 *   Every size below agrees with that fixture; functions at the bottom reproduce it.
 *
 * All sizes are bytes. "request" = the size passed to PyObject_Malloc/PyMem_Malloc/malloc,
 * i.e. including the GC head (and 3.11+ pre-header) that sits BEFORE the object pointer.
 */

import type { PyVersion } from "./obmalloc.js";
export type { PyVersion } from "./obmalloc.js";

/** Which allocator a buffer request goes to. */
export type Allocator =
  /** PyObject_Malloc / pymalloc (<=512 bytes from pools, larger -> libc malloc) */
  | "pymalloc"
  /** PyMem_Malloc: in 2.7 this is libc malloc; in 3.6+ it is pymalloc too (same as "pymalloc") */
  | "PyMem"
  /** plain libc malloc */
  | "libc";

/** list_resize() over-allocation rule (Objects/listobject.c). */
export type ListGrowth =
  /** 2.7-3.8: new_allocated = newsize + (newsize >> 3) + (newsize < 9 ? 3 : 6); 0 if newsize == 0 */
  | "py27-38"
  /** 3.9+: new_allocated = (newsize + (newsize >> 3) + 6) & ~3;
   *  if (newsize - Py_SIZE(self) > new_allocated - newsize) new_allocated = (newsize + 3) & ~3; 0 if newsize == 0 */
  | "py39+";

export interface PyObjectHeader {
  /** sizeof(PyObject): ob_refcnt (Py_ssize_t) + ob_type */
  size: 16;
  refcntOffset: 0;
  typeOffset: 8;
  /** sizeof(PyVarObject); ob_size at offset 16 */
  varSize: 24;
  sizeOffset: 16;
  /**
   * Bytes Py_INCREF writes: 8 (whole ob_refcnt) up to 3.11; 4 in 3.12+ (only ob_refcnt_split[0],
   * the low 32 bits, saturating: if low+1 == 0 the object is immortal and nothing is written).
   */
  increfWriteBytes: 8 | 4;
  /**
   * 3.12+: immortal objects have ob_refcnt = _Py_IMMORTAL_REFCNT = UINT_MAX (0xFFFFFFFF) on 64-bit;
   * Py_INCREF skips when the 32-bit low half would wrap to 0, Py_DECREF skips when
   * (int32_t)ob_refcnt < 0 (_Py_IsImmortal). Statically allocated singletons (None, True, False,
   * small ints, Ellipsis, static strings, static types) are immortal. null = no immortality.
   */
  immortalRefcnt: number | null;
}

export interface GcHeadLayout {
  /** sizeof(PyGC_Head), placed immediately BEFORE the PyObject (_Py_AS_GC(o) = (PyGC_Head*)o - 1) */
  size: 32 | 16;
  /**
   * "union3": union { struct { gc_next; gc_prev; Py_ssize_t gc_refs; } gc; long double dummy; } (2.7-3.7),
   *           24 bytes of fields padded to 32 by the 16-byte long double;
   * "two-words": { uintptr_t _gc_next; uintptr_t _gc_prev; } (3.8+), low 2 bits of _gc_prev are flags
   *           (_PyGC_PREV_MASK_FINALIZED = 1, _PyGC_PREV_MASK_COLLECTING = 2, _PyGC_PREV_SHIFT = 2);
   *           during a collection _gc_prev holds gc_refs << 2 and _gc_next bit 0 = NEXT_MASK_UNREACHABLE.
   */
  kind: "union3" | "two-words";
  /** offsets inside the GC head */
  nextOffset: 0;
  prevOffset: 8;
  /** gc_refs field (union3 only) */
  refsOffset: 16 | null;
  /**
   * Value gc alloc writes at creation (before tracking):
   * 2.7: gc_refs = _PyGC_REFS_UNTRACKED (-2); 3.6/3.7: gc_refs = (-2 << 1) (refs stored shifted by 1,
   * bit 0 = finalized flag); 3.8+: _gc_next = 0, _gc_prev = 0 (0 = untracked).
   */
  untrackedRefsValue: number | null;
  /**
   * Pre-header words in front of the GC head (3.11+ _PyType_PreHeaderSize): 2 pointers
   * (dict/values pointer and weakref list) for heap types with Py_TPFLAGS_MANAGED_DICT (3.11) or
   * Py_TPFLAGS_PREHEADER = MANAGED_DICT|MANAGED_WEAKREF (3.12+). 0 before 3.11.
   */
  preHeaderBytes: 0 | 16;
  /** gc.get_threshold() default (measured) */
  thresholds: [number, number, number];
  /**
   * "inline": the allocation that pushes generations[0].count over threshold runs the collection
   * right away (2.7-3.11); "eval-breaker": it only sets the gc_scheduled eval-breaker bit and the
   * collection runs at the next eval-breaker check (3.12+, _Py_ScheduleGC).
   */
  collectTrigger: "inline" | "eval-breaker";
}

/** Sizes of the (fixed) object parts that every version-specific section uses. */
export interface IntLayout {
  /** 2.7 PyIntObject (machine long): null on 3.x */
  py2Int: null | {
    /** sizeof(PyIntObject): refcnt, type, long ob_ival@16 */
    size: 24;
    ivalOffset: 16;
    /** BLOCK_SIZE 1000, BHEAD_SIZE 8 -> N_INTOBJECTS = (1000-8)/24 = 41 objects per block */
    objectsPerBlock: 41;
    /** sizeof(PyIntBlock) = 8 + 41*24, PyMem_MALLOC = libc malloc in 2.7 */
    blockBytes: 992;
    blockAllocator: "libc";
    /** fill_free_list links objects through ob_type from the LAST to the first, so a fresh block
     *  hands out objects at descending addresses (objects[40], [39], ... [0]) */
    handOutOrder: "descending";
    /** int_dealloc pushes exact ints onto the (unbounded) free list via ob_type; blocks are only
     *  returned by PyInt_ClearFreeList, called from a generation-2 gc collection */
    freeListLimit: null;
  };
  /** offset of the digit array ob_digit (offsetof(PyLongObject, ob_digit)) */
  digitOffset: 24;
  /** 30-bit digits stored in uint32 (sys.int_info measured: bits_per_digit 30, sizeof_digit 4) */
  digitBytes: 4;
  digitBits: 30;
  /**
   * Request for an int with n digits created by _PyLong_New(n): digitOffset + 4*n
   * (3.11+: n is at least 1, so int 0 = 28; before 3.11 zero has 0 digits = 24).
   */
  minDigits: 0 | 1;
  /**
   * Request for a one-digit int made by PyLong_FromLong & co.: 28 in 2.7-3.10 (_PyLong_New(1));
   * 32 in 3.11+ (_PyLong_FromMedium: PyObject_Malloc(sizeof(PyLongObject)) = 28 padded to 32).
   * Measured with tracemalloc: 28.0 (3.6-3.10), 32.0 (3.11-3.13) bytes per `1000000+i`.
   * Either way pymalloc size class 32.
   */
  oneDigitRequest: 28 | 32;
  /** ob_size (signed digit count) up to 3.11; 3.12+: lv_tag = ndigits << 3 | sign (0 pos, 1 zero, 2 neg) */
  sizeField: "ob_size" | "lv_tag";
  /** small int cache -5..256 */
  smallIntMin: -5;
  smallIntMax: 256;
  /**
   * where the small ints live: "int-blocks" (2.7, carved from the first int blocks at startup),
   * "static-array" (3.6-3.8: static PyLongObject small_ints[] in libpython .data/.bss),
   * "heap-per-interpreter" (3.9/3.10: _PyLong_New(1) at startup, pymalloc),
   * "runtime-static" (3.11+: _PyRuntime.static_objects.singletons.small_ints; immortal in 3.12+)
   */
  smallIntStorage: "int-blocks" | "static-array" | "heap-per-interpreter" | "runtime-static";
}

export interface FloatLayout {
  /** sizeof(PyFloatObject): refcnt, type, double ob_fval@16 */
  size: 24;
  fvalOffset: 16;
  /** 2.7: block allocator like ints (41 per 992-byte libc block, unbounded free list);
   *  3.x: PyObject_Malloc(24) with a free list of at most 100 (PyFloat_MAXFREELIST), linked via ob_type, LIFO */
  scheme: "blocks" | "freelist";
  freeListLimit: number | null;
}

export interface StrLayout {
  /** 2.7 PyStringObject: ob_size@16, ob_shash@24, int ob_sstate@32, ob_sval@36; request 37 + len (via PyObject_MALLOC) */
  py2Str: null | { headerBytes: 36; request: "37+len"; shashOffset: 24; sstateOffset: 32; svalOffset: 36 };
  /** 2.7 PyUnicodeObject (UCS4 build, sys.maxunicode 1114111 measured): 48-byte object
   *  (length@16, str@24, hash@32, defenc@40) + separate buffer (len+1)*4 via PyObject_MALLOC;
   *  free list PyUnicode_MAXFREELIST 1024, buffers <= KEEPALIVE_SIZE_LIMIT 9 kept */
  py2Unicode: null | { objectBytes: 48; bufferCharBytes: 4; freeListLimit: 1024; keepaliveSizeLimit: 9 };
  /** 3.x PEP 393 compact ASCII: sizeof(PyASCIIObject); data follows at this offset; request = this + len + 1 */
  asciiHeader: number;
  /** 3.x compact non-ASCII (UCS1 latin-1 / UCS2 / UCS4): sizeof(PyCompactUnicodeObject); request = this + (len+1)*kind */
  compactHeader: number;
  /** offsets inside PyASCIIObject */
  lengthOffset: 16;
  hashOffset: 24;
  /** 4-byte bitfield: interned:2 kind:3 compact:1 ascii:1 ready:1 (<=3.11) / statically_allocated:1 (3.12+) */
  stateOffset: 32;
  /** wchar_t *wstr at 40 (3.6-3.11); removed in 3.12 */
  wstrOffset: number | null;
}

export interface BytesLayout {
  /** PyBytesObject (3.x): ob_size@16, ob_shash@24, ob_sval@32; request = 33 + len (includes NUL). 2.7 "bytes" is str. */
  headerBytes: number;
  request: string;
}

export interface ByteArrayLayout {
  /** sizeof(PyByteArrayObject); not GC-tracked */
  objectBytes: 48 | 56;
  /** field offsets */
  allocOffset: number;
  bytesOffset: number;
  /** 3.x only: ob_start */
  startOffset: number | null;
  exportsOffset: number;
  /** buffer of ob_alloc = len + 1 bytes (NULL and 0 for bytearray()): PyMem_Malloc = libc in 2.7, PyObject_Malloc in 3.x */
  bufferAllocator: Allocator;
}

export interface TupleLayout {
  /** PyTupleObject: PyVarObject + ob_item[]; request = 24 + 8*n + gcHead (GC-tracked at creation) */
  headerBytes: 24;
  itemOffset: 24;
  /** sizes that have a free list: 1..19 (2.7-3.10: free_list[size], size < PyTuple_MAXSAVESIZE 20),
   *  1..20 (3.11+: index size-1 < PyTuple_NFREELISTS 20). () is a singleton. */
  freeListMaxSize: 19 | 20;
  /** PyTuple_MAXFREELIST: tuples kept per size; linked through ob_item[0] */
  freeListPerSize: 2000;
}

export interface ListLayout {
  /** sizeof(PyListObject): PyVarObject + ob_item@24 + allocated@32; request 40 + gcHead */
  objectBytes: 40;
  itemsOffset: 24;
  allocatedOffset: 32;
  /** item array allocator: PyMem_MALLOC/RESIZE = libc in 2.7; PyMem_Malloc/Realloc/Calloc = pymalloc in 3.x */
  itemsAllocator: Allocator;
  growth: ListGrowth;
  /**
   * list(sized iterable) / list.extend into an empty list:
   * "resize" (2.7-3.7: list_resize(m+n) -> over-allocated by the growth formula),
   * "exact" (3.8/3.9: list_preallocate_exact(n) -> n slots),
   * "exact-even" (3.10+: (n + 1) & ~1 slots).
   */
  presize: "resize" | "exact" | "exact-even";
  /** PyList_MAXFREELIST: list objects (not item arrays) kept on dealloc */
  freeListLimit: 80;
}

export interface DictLayout {
  /** 2.7: PyDictObject with inline ma_smalltable; 3.6+: compact dict */
  kind: "py27-smalltable" | "compact";
  /** sizeof(PyDictObject): 248 in 2.7 (ma_fill@16 ma_used@24 ma_mask@32 ma_table@40 ma_lookup@48
   *  ma_smalltable@56 = 8 entries x 24); 48 in 3.x (ma_used@16 ma_version_tag@24 ma_keys@32 ma_values@40) */
  objectBytes: 248 | 48;
  /** PyDict_MINSIZE */
  minSize: 8;
  /** 2.7 table entry / 3.x PyDictKeyEntry: {hash, key, value} */
  entryBytes: 24;
  /** 3.11+: PyDictUnicodeEntry {key, value} for all-str key tables; null before */
  unicodeEntryBytes: 16 | null;
  /** 3.x: header of PyDictKeysObject before dk_indices (40: refcnt,size,lookup,usable,nentries; 32 in 3.11+:
   *  refcnt, u8 log2_size, u8 log2_index_bytes, u8 kind, u32 version, usable, nentries) */
  keysHeaderBytes: 40 | 32 | null;
  /** keys object allocator (3.x): PyObject_Malloc (3.6-3.12) / PyMem_Malloc (3.13) — both pymalloc here */
  keysAllocator: Allocator;
  /** 2.7: table for > 8 slots via PyMem_NEW = libc malloc */
  tableAllocator: Allocator;
  /**
   * Resize target passed to dictresize when the table is full:
   * "py27": (used > 50000 ? 2 : 4) * used, when fill*3 >= (mask+1)*2 after an insert;
   * "used*2+size/2": 3.6 GROWTH_RATE(d) = used*2 + dk_size/2, when dk_usable hits 0;
   * "used*3": 3.7+ GROWTH_RATE(d) = used*3.
   * New size = smallest power of two >= target (2.7: > target), at least 8.
   */
  growth: "py27" | "used*2+size/2" | "used*3";
  /** {} / PyDict_New(): "own-keys" = allocates an 8-slot keys object (2.7 smalltable, 3.6/3.7);
   *  "shared-empty-keys" = Py_EMPTY_KEYS, keys allocated on the first insert (3.8+). dict() (dict_new)
   *  still allocated keys in 3.8/3.9 (measured 232 vs 64), shares the empty keys from 3.10. */
  emptyDict: "own-keys" | "shared-empty-keys";
  dictNewAllocatesKeys: boolean;
  /** PyDict_MAXFREELIST: dict objects kept */
  freeListLimit: 80;
  /** keys objects kept (3.6-3.10: dk_size == 8 ones; 3.11+: only 8-slot unicode ones); null in 2.7 */
  keysFreeListLimit: 80 | null;
  /** key-sharing split tables for instance __dict__ (3.3+); 3.11+ values live in the object (managed dict) */
  splitTables: boolean;
}

export interface SetLayout {
  /** sizeof(PySetObject) = 200: fill@16 used@24 mask@32 table@40, then (3.x) hash@48 finger@56
   *  smalltable@64 (8 x 16) weakreflist@192; 2.7: lookup fn@48, smalltable@56, hash@184, weakreflist@192 */
  objectBytes: 200;
  smallTableSlots: 8;
  /** setentry: 2.7 {hash, key}; 3.x {key, hash} */
  entryBytes: 16;
  /** resize check after an insert: 2.7 "fill*3 >= (mask+1)*2"; 3.6 "fill*3 >= mask*2"; 3.7+ "fill*5 >= mask*3".
   *  Target used>50000 ? used*2 : used*4; new size = smallest power of two > target (starting at 8). */
  growth: "py27" | "py36" | "py37+";
  /** table > 8 slots: PyMem_NEW/PyMem_Malloc (libc in 2.7, pymalloc in 3.x) */
  tableAllocator: Allocator;
  /** 2.7 PySet_MAXFREELIST 80; no set free list in 3.x */
  freeListLimit: 80 | null;
}

export interface SmallObjects {
  /** range object: 2.7 xrange (start, step, len: longs) = 40, not GC-tracked;
   *  3.x range (start, stop, step, length: PyObject*) = 48, not GC-tracked */
  rangeBytes: 40 | 48;
  /** range iterator, not GC-tracked: 2.7 xrange iterator and 3.6-3.11 rangeiterobject {index, start, step, len}
   *  = 48; 3.12+ {start, step, len} = 40 (longrangeiterobject has the same sizes) */
  rangeIterBytes: 40 | 48;
  /** list/tuple iterator: PyObject_HEAD + it_index + it_seq = 32, GC-tracked (request 32 + gcHead) */
  seqIterBytes: 32;
}

export interface ObjectLayout {
  version: PyVersion;
  /** interpreter whose measurements are in test/fixtures/getsizeof.json */
  measuredPatchVersion: string;
  /** source snapshot the .c facts were read from */
  sourceVersion: string;
  pointerSize: 8;
  header: PyObjectHeader;
  gc: GcHeadLayout;
  int: IntLayout;
  float: FloatLayout;
  str: StrLayout;
  bytes: BytesLayout;
  bytearray: ByteArrayLayout;
  tuple: TupleLayout;
  list: ListLayout;
  dict: DictLayout;
  set: SetLayout;
  small: SmallObjects;
  /** sys.getsizeof(o) = o.__sizeof__() + (2.7-3.10: GC head if GC type; 3.11+: _PyType_PreHeaderSize) */
  getsizeofAdds: "gc-head" | "pre-header-size";
}

// ---------------------------------------------------------------------------------------------

const HEADER_OLD: PyObjectHeader = {
  // Include/object.h (2.7.18 .. 3.11.7 installed headers): PyObject_HEAD = ob_refcnt, ob_type
  size: 16, refcntOffset: 0, typeOffset: 8, varSize: 24, sizeOffset: 16,
  increfWriteBytes: 8, immortalRefcnt: null,
};
const HEADER_IMMORTAL: PyObjectHeader = {
  // Include/object.h 3.12.1 / 3.13.0: union { Py_ssize_t ob_refcnt; uint32_t ob_refcnt_split[2]; },
  // #define _Py_IMMORTAL_REFCNT UINT_MAX (SIZEOF_VOID_P > 4); Py_INCREF writes ob_refcnt_split[0] only.
  ...HEADER_OLD, increfWriteBytes: 4, immortalRefcnt: 0xffffffff,
};

const GC_UNION3: GcHeadLayout = {
  // 2.7.18 Include/objimpl.h: union _gc_head { struct {next, prev, gc_refs}; double dummy;
  //   char dummy_padding[sizeof(union _gc_head_old)] } (old = with long double) -> 32 bytes;
  // 3.6.15/3.7.16 Include/objimpl.h: union with long double dummy -> 32 bytes. Measured:
  // getsizeof([]) - [].__sizeof__() = 32 on 2.7, 3.6, 3.7.
  size: 32, kind: "union3", nextOffset: 0, prevOffset: 8, refsOffset: 16,
  untrackedRefsValue: -2, preHeaderBytes: 0, thresholds: [700, 10, 10], collectTrigger: "inline",
};
const GC_TWO_WORDS: GcHeadLayout = {
  // 3.8.18 Include/cpython/objimpl.h, 3.9+ Include/internal/pycore_gc.h: { _gc_next; _gc_prev; }
  // measured getsizeof([]) - [].__sizeof__() = 16 on 3.8-3.13.
  size: 16, kind: "two-words", nextOffset: 0, prevOffset: 8, refsOffset: null,
  untrackedRefsValue: null, preHeaderBytes: 0, thresholds: [700, 10, 10], collectTrigger: "inline",
};

const INT3: IntLayout = {
  // Include/longintrepr.h (3.6-3.10) / cpython/longintrepr.h (3.11+); Objects/longobject.c _PyLong_New
  py2Int: null, digitOffset: 24, digitBytes: 4, digitBits: 30, minDigits: 0, oneDigitRequest: 28,
  sizeField: "ob_size", smallIntMin: -5, smallIntMax: 256, smallIntStorage: "static-array",
};

const STR3_WSTR: StrLayout = {
  // 3.6.15..3.11.7 Include/(cpython/)unicodeobject.h: PyASCIIObject = head, length, hash, state(4)+pad, wstr
  // = 48; PyCompactUnicodeObject adds utf8_length, utf8, wstr_length = 72.
  // measured: '' 49, 'abc' 52, u'\xe9'*2 75, u'\u20ac' 76, u'\U0001f600' 80.
  py2Str: null, py2Unicode: null, asciiHeader: 48, compactHeader: 72,
  lengthOffset: 16, hashOffset: 24, stateOffset: 32, wstrOffset: 40,
};
const STR3_NOWSTR: StrLayout = {
  // 3.12.1/3.13.0 Include/cpython/unicodeobject.h: wstr and wstr_length removed -> 40 / 56.
  // measured: '' 41, 'abc' 44, u'\xe9'*2 59, u'\u20ac' 60, u'\U0001f600' 64.
  ...STR3_WSTR, asciiHeader: 40, compactHeader: 56, wstrOffset: null,
};

const BYTES3: BytesLayout = {
  // Include/bytesobject.h (3.x): PyObject_VAR_HEAD, Py_hash_t ob_shash, char ob_sval[1];
  // PyBytesObject_SIZE = offsetof(ob_sval) + 1 = 33. measured b'' 33, b'abc' 36, bytes(10) 43.
  headerBytes: 32, request: "33+len",
};

const BYTEARRAY3: ByteArrayLayout = {
  // Include/(cpython/)bytearrayobject.h 3.x: VAR_HEAD, ob_alloc, ob_bytes, ob_start, ob_exports -> 56
  // Objects/bytearrayobject.c 3.6+: ob_bytes = PyObject_Malloc(alloc). measured bytearray(b'abc') 60 (alloc 4).
  objectBytes: 56, allocOffset: 24, bytesOffset: 32, startOffset: 40, exportsOffset: 48, bufferAllocator: "pymalloc",
};

const TUPLE_OLD: TupleLayout = {
  // Objects/tupleobject.c 2.7-3.10: PyTuple_MAXSAVESIZE 20, PyTuple_MAXFREELIST 2000, free_list[size], size < 20
  headerBytes: 24, itemOffset: 24, freeListMaxSize: 19, freeListPerSize: 2000,
};
const TUPLE_NEW: TupleLayout = {
  // 3.11/3.12 Include/internal/pycore_tuple.h, 3.13 pycore_freelist.h: PyTuple_NFREELISTS 20, index = size-1
  ...TUPLE_OLD, freeListMaxSize: 20,
};

const LIST3: ListLayout = {
  // Include/listobject.h / cpython/listobject.h: PyObject_VAR_HEAD, PyObject **ob_item, Py_ssize_t allocated
  objectBytes: 40, itemsOffset: 24, allocatedOffset: 32, itemsAllocator: "PyMem",
  growth: "py27-38", presize: "resize", freeListLimit: 80,
};

const DICT_COMPACT: DictLayout = {
  // Objects/dictobject.c + Objects/dict-common.h (3.6-3.10): PyDict_MINSIZE 8, USABLE_FRACTION(n) = (n<<1)/3,
  // new_keys_object(): PyObject_MALLOC(sizeof(PyDictKeysObject) - sizeof(dk_indices) + es*size + 24*usable)
  kind: "compact", objectBytes: 48, minSize: 8, entryBytes: 24, unicodeEntryBytes: null,
  keysHeaderBytes: 40, keysAllocator: "pymalloc", tableAllocator: "pymalloc",
  growth: "used*3", emptyDict: "shared-empty-keys", dictNewAllocatesKeys: false,
  freeListLimit: 80, keysFreeListLimit: 80, splitTables: true,
};

const SET3: SetLayout = {
  // Include/setobject.h 3.x, Objects/setobject.c set_add_entry / set_table_resize
  objectBytes: 200, smallTableSlots: 8, entryBytes: 16, growth: "py37+", tableAllocator: "PyMem", freeListLimit: null,
};

const SMALL3: SmallObjects = {
  // Objects/rangeobject.c: rangeobject {start, stop, step, length} 48; rangeiterobject {index,start,step,len} 48
  // (3.12: {start, step, len} 40); Objects/listobject.c / iterobject.c listiterobject {it_index, it_seq} 32.
  rangeBytes: 48, rangeIterBytes: 48, seqIterBytes: 32,
};

const BASE3 = {
  pointerSize: 8 as const,
  header: HEADER_OLD,
  gc: GC_TWO_WORDS,
  int: INT3,
  float: { size: 24, fvalOffset: 16, scheme: "freelist", freeListLimit: 100 } as FloatLayout,
  str: STR3_WSTR,
  bytes: BYTES3,
  bytearray: BYTEARRAY3,
  tuple: TUPLE_OLD,
  list: LIST3,
  dict: DICT_COMPACT,
  set: SET3,
  small: SMALL3,
  getsizeofAdds: "gc-head" as const,
};

export const OBJECTS: Record<PyVersion, ObjectLayout> = {
  "2.7": {
    ...BASE3,
    version: "2.7", measuredPatchVersion: "2.7.18", sourceVersion: "2.7.14",
    gc: GC_UNION3,
    int: {
      // Include/intobject.h 2.7.18; Objects/intobject.c 2.7.14: BLOCK_SIZE 1000, BHEAD_SIZE 8,
      // N_INTOBJECTS = (BLOCK_SIZE - BHEAD_SIZE) / sizeof(PyIntObject), fill_free_list() PyMem_MALLOC
      py2Int: {
        size: 24, ivalOffset: 16, objectsPerBlock: 41, blockBytes: 992, blockAllocator: "libc",
        handOutOrder: "descending", freeListLimit: null,
      },
      // Include/longintrepr.h 2.7.18: 30-bit digits (measured sys.long_info); long(0) 24, long(1) 28 measured
      digitOffset: 24, digitBytes: 4, digitBits: 30, minDigits: 0, oneDigitRequest: 28, sizeField: "ob_size",
      smallIntMin: -5, smallIntMax: 256, smallIntStorage: "int-blocks",
    },
    // Objects/floatobject.c 2.7.14: BLOCK_SIZE 1000, N_FLOATOBJECTS = (1000-8)/24 = 41, unbounded free list
    float: { size: 24, fvalOffset: 16, scheme: "blocks", freeListLimit: null },
    str: {
      // Include/stringobject.h 2.7.18: PyObject_VAR_HEAD, long ob_shash, int ob_sstate, char ob_sval[1]
      py2Str: { headerBytes: 36, request: "37+len", shashOffset: 24, sstateOffset: 32, svalOffset: 36 },
      // Include/unicodeobject.h 2.7.18; Objects/unicodeobject.c 2.7.14 (PyUnicode_MAXFREELIST 1024, KEEPALIVE_SIZE_LIMIT 9)
      py2Unicode: { objectBytes: 48, bufferCharBytes: 4, freeListLimit: 1024, keepaliveSizeLimit: 9 },
      asciiHeader: 0, compactHeader: 0, lengthOffset: 16, hashOffset: 24, stateOffset: 32, wstrOffset: null,
    },
    // 2.7 has no separate bytes type (b'' is str): request 37 + len as str
    bytes: { headerBytes: 36, request: "37+len" },
    // Include/bytearrayobject.h 2.7.18: VAR_HEAD, int ob_exports, ob_alloc, ob_bytes -> 48;
    // Objects/bytearrayobject.c 2.7.14: PyMem_Malloc(alloc) (libc)
    bytearray: { objectBytes: 48, allocOffset: 32, bytesOffset: 40, startOffset: null, exportsOffset: 24, bufferAllocator: "libc" },
    // Objects/listobject.c 2.7.14: PyMem_MALLOC / PyMem_RESIZE = libc malloc/realloc
    list: { ...LIST3, itemsAllocator: "libc", growth: "py27-38", presize: "resize" },
    dict: {
      // Include/dictobject.h 2.7.18 (PyDict_MINSIZE 8, ma_smalltable); Objects/dictobject.c 2.7.14:
      // insertdict ... if (!(ma_used > n_used && ma_fill*3 >= (ma_mask+1)*2)) return; dictresize(mp, (used>50000?2:4)*used)
      kind: "py27-smalltable", objectBytes: 248, minSize: 8, entryBytes: 24, unicodeEntryBytes: null,
      keysHeaderBytes: null, keysAllocator: "libc", tableAllocator: "libc", growth: "py27",
      emptyDict: "own-keys", dictNewAllocatesKeys: true, freeListLimit: 80, keysFreeListLimit: null, splitTables: false,
    },
    // Objects/setobject.c 2.7.14: PySet_MAXFREELIST 80; set_add_key: fill*3 >= (mask+1)*2
    set: { ...SET3, growth: "py27", tableAllocator: "libc", freeListLimit: 80 },
    // Objects/rangeobject.c 2.7.14: rangeobject (xrange) {start, step, len} 40; rangeiterobject {index,start,step,len} 48
    small: { rangeBytes: 40, rangeIterBytes: 48, seqIterBytes: 32 },
  },
  "3.6": {
    ...BASE3,
    version: "3.6", measuredPatchVersion: "3.6.15", sourceVersion: "3.6.15",
    gc: { ...GC_UNION3, untrackedRefsValue: -4 /* _PyGCHead_SET_REFS(g, -2): (-2) << _PyGC_REFS_SHIFT(1) */ },
    // 3.6 GROWTH_RATE(d) = used*2 + dk_size/2; PyDict_New allocates an 8-slot keys object
    dict: { ...DICT_COMPACT, growth: "used*2+size/2", emptyDict: "own-keys", dictNewAllocatesKeys: true },
    // 3.6 set_add_entry: if ((size_t)so->fill*3 < mask*2) return 0;
    set: { ...SET3, growth: "py36" },
  },
  "3.7": {
    ...BASE3,
    version: "3.7", measuredPatchVersion: "3.7.16", sourceVersion: "3.7.3",
    gc: { ...GC_UNION3, untrackedRefsValue: -4 },
    dict: { ...DICT_COMPACT, emptyDict: "own-keys", dictNewAllocatesKeys: true },
  },
  "3.8": {
    ...BASE3,
    version: "3.8", measuredPatchVersion: "3.8.18", sourceVersion: "3.8.16",
    // 3.8 list___init__ / list_extend: list_preallocate_exact(n)
    list: { ...LIST3, presize: "exact" },
    // 3.8 PyDict_New -> Py_EMPTY_KEYS; dict_new still new_keys_object(PyDict_MINSIZE)
    dict: { ...DICT_COMPACT, dictNewAllocatesKeys: true },
  },
  "3.9": {
    ...BASE3,
    version: "3.9", measuredPatchVersion: "3.9.18", sourceVersion: "3.9.18",
    int: { ...INT3, smallIntStorage: "heap-per-interpreter" },
    list: { ...LIST3, growth: "py39+", presize: "exact" },
    dict: { ...DICT_COMPACT, dictNewAllocatesKeys: true },
  },
  "3.10": {
    ...BASE3,
    version: "3.10", measuredPatchVersion: "3.10.13", sourceVersion: "3.10.7",
    int: { ...INT3, smallIntStorage: "heap-per-interpreter" },
    list: { ...LIST3, growth: "py39+", presize: "exact-even" },
  },
  "3.11": {
    ...BASE3,
    version: "3.11", measuredPatchVersion: "3.11.7", sourceVersion: "3.11.11+",
    // 3.11 Include/internal/pycore_object.h _PyType_PreHeaderSize: GC head + 2 words if MANAGED_DICT
    gc: { ...GC_TWO_WORDS, preHeaderBytes: 16 },
    // 3.11 _PyLong_New: ndigits = size ? size : 1; _PyLong_FromMedium: PyObject_Malloc(sizeof(PyLongObject))
    int: { ...INT3, minDigits: 1, oneDigitRequest: 32, smallIntStorage: "runtime-static" },
    tuple: TUPLE_NEW,
    list: { ...LIST3, growth: "py39+", presize: "exact-even" },
    // 3.11 Include/internal/pycore_dict.h: dk_log2_size/dk_log2_index_bytes/dk_kind/dk_version, PyDictUnicodeEntry
    dict: { ...DICT_COMPACT, unicodeEntryBytes: 16, keysHeaderBytes: 32 },
    getsizeofAdds: "pre-header-size",
  },
  "3.12": {
    ...BASE3,
    version: "3.12", measuredPatchVersion: "3.12.1", sourceVersion: "3.12.5",
    header: HEADER_IMMORTAL,
    // 3.12 Modules/gcmodule.c _PyObject_GC_Link -> _Py_ScheduleGC (eval breaker)
    gc: { ...GC_TWO_WORDS, preHeaderBytes: 16, collectTrigger: "eval-breaker" },
    int: { ...INT3, minDigits: 1, oneDigitRequest: 32, sizeField: "lv_tag", smallIntStorage: "runtime-static" },
    str: STR3_NOWSTR,
    tuple: TUPLE_NEW,
    list: { ...LIST3, growth: "py39+", presize: "exact-even" },
    dict: { ...DICT_COMPACT, unicodeEntryBytes: 16, keysHeaderBytes: 32 },
    // 3.12 Objects/rangeobject.c: rangeiterobject {start, step, len} (index removed)
    small: { ...SMALL3, rangeIterBytes: 40 },
    getsizeofAdds: "pre-header-size",
  },
  "3.13": {
    ...BASE3,
    version: "3.13", measuredPatchVersion: "3.13.0", sourceVersion: "3.13.0",
    header: HEADER_IMMORTAL,
    // 3.13 Include/internal/pycore_runtime_init.h: generations thresholds 2000, 10, 10 (measured gc.get_threshold())
    gc: { ...GC_TWO_WORDS, preHeaderBytes: 16, thresholds: [2000, 10, 10], collectTrigger: "eval-breaker" },
    int: { ...INT3, minDigits: 1, oneDigitRequest: 32, sizeField: "lv_tag", smallIntStorage: "runtime-static" },
    str: STR3_NOWSTR,
    tuple: TUPLE_NEW,
    list: { ...LIST3, growth: "py39+", presize: "exact-even" },
    // 3.13 new_keys_object: PyMem_Malloc (pymalloc in the default build)
    dict: { ...DICT_COMPACT, unicodeEntryBytes: 16, keysHeaderBytes: 32, keysAllocator: "PyMem" },
    small: { ...SMALL3, rangeIterBytes: 40 },
    getsizeofAdds: "pre-header-size",
  },
};

// ---------------------------------------------------------------------------------------------
// Formulas (reproduce test/fixtures/getsizeof.json)

/** list_resize(self, newsize): the new `allocated`, or the old one if no realloc happens. */
export function listResize(l: ObjectLayout, allocated: number, size: number, newsize: number): number {
  if (allocated >= newsize && newsize >= allocated >> 1) return allocated;
  if (newsize === 0) return 0;
  if (l.list.growth === "py27-38") return newsize + (newsize >> 3) + (newsize < 9 ? 3 : 6);
  let na = (newsize + (newsize >> 3) + 6) & ~3;
  if (newsize - size > na - newsize) na = (newsize + 3) & ~3;
  return na;
}

/** `allocated` after n appends to an empty list (also [x for x in range(n)]). */
export function listAllocatedAfterAppends(l: ObjectLayout, n: number): number {
  let allocated = 0;
  for (let size = 0; size < n; size++) allocated = listResize(l, allocated, size, size + 1);
  return allocated;
}

/** `allocated` of list(seq) for a list/tuple/range of known length n (3.x); 2.7 list(list). */
export function listAllocatedFromSized(l: ObjectLayout, n: number): number {
  if (n === 0) return 0;
  switch (l.list.presize) {
    case "resize": return listResize(l, 0, 0, n);
    case "exact": return n;
    case "exact-even": return (n + 1) & ~1;
  }
}

/** Bytes requested for a GC object of basicsize b (GC head in front; 3.11+ plus managed-dict pre-header). */
export function gcRequest(l: ObjectLayout, basicsize: number, hasPreHeader = false): number {
  return basicsize + l.gc.size + (hasPreHeader ? l.gc.preHeaderBytes : 0);
}

/** dk_indices entry width for a table of `size` slots (DK_IXSIZE). */
export function dictIndexBytes(size: number): number {
  return size <= 0xff ? 1 : size <= 0xffff ? 2 : size <= 0xffffffff ? 4 : 8;
}

/** USABLE_FRACTION(n) = (n << 1) / 3 */
export function dictUsable(size: number): number {
  return Math.floor((size * 2) / 3);
}

/** Bytes of one PyDictKeysObject allocation (3.x) for `size` slots. */
export function dictKeysBytes(l: ObjectLayout, size: number, unicode = false): number {
  if (l.dict.keysHeaderBytes === null) throw new Error("2.7 has no keys object");
  const entry = unicode && l.dict.unicodeEntryBytes !== null ? l.dict.unicodeEntryBytes : l.dict.entryBytes;
  return l.dict.keysHeaderBytes + dictIndexBytes(size) * size + entry * dictUsable(size);
}

/** Table size (slots) after a resize triggered with `used` items in a table of `size` slots. */
export function dictResizeTarget(l: ObjectLayout, used: number, size: number): number {
  let target: number;
  switch (l.dict.growth) {
    case "py27": target = (used > 50000 ? 2 : 4) * used; break;
    case "used*2+size/2": target = used * 2 + (size >> 1); break;
    case "used*3": target = used * 3; break;
  }
  let n: number = l.dict.minSize;
  if (l.dict.growth === "py27") { while (n <= target) n <<= 1; } else { while (n < target) n <<= 1; }
  return n;
}

/** Table size (slots) of a dict filled by n inserts of distinct keys into an empty dict. */
export function dictSlotsAfterInserts(l: ObjectLayout, n: number): number {
  let size: number = l.dict.minSize;
  if (l.dict.kind === "py27-smalltable") {
    let fill = 0;
    for (let used = 1; used <= n; used++) {
      fill++;
      if (fill * 3 >= size * 2) { size = dictResizeTarget(l, used, size); fill = used; }
    }
    return size;
  }
  let usable = dictUsable(size);
  for (let used = 0; used < n; used++) {
    if (usable === 0) { size = dictResizeTarget(l, used, size); usable = dictUsable(size) - used; }
    usable--;
  }
  return size;
}

/** Table size (slots) of a set filled by n adds of distinct keys. */
export function setSlotsAfterAdds(l: ObjectLayout, n: number): number {
  let size: number = l.set.smallTableSlots;
  for (let used = 1; used <= n; used++) {
    const fill = used, mask = size - 1;
    const grow = l.set.growth === "py27" ? fill * 3 >= (mask + 1) * 2
      : l.set.growth === "py36" ? fill * 3 >= mask * 2 : fill * 5 >= mask * 3;
    if (grow) {
      const target = used > 50000 ? used * 2 : used * 4;
      let ns: number = l.set.smallTableSlots;
      while (ns <= target) ns <<= 1;
      size = ns;
    }
  }
  return size;
}

/** Bytes of a str object allocation (3.x compact; 2.7 str). kind = bytes per char (1, 2, 4); ascii only for kind 1. */
export function strRequest(l: ObjectLayout, len: number, kind: 1 | 2 | 4 = 1, ascii = true): number {
  if (l.str.py2Str) return 37 + len;
  const header = kind === 1 && ascii ? l.str.asciiHeader : l.str.compactHeader;
  return header + (len + 1) * kind;
}

/** Bytes of an int allocation with `ndigits` 30-bit digits made by _PyLong_New (not the 3.11+ medium path). */
export function longRequest(l: ObjectLayout, ndigits: number): number {
  return l.int.digitOffset + l.int.digitBytes * Math.max(ndigits, l.int.minDigits);
}
