/**
 * pymalloc (Objects/obmalloc.c) parameters per CPython version, 64-bit Linux (x86-64) build.
 *
 * Every value was read from the obmalloc.c (and, 3.12+, Include/internal/pycore_obmalloc.h) of the
 * version named in `source`, and/or measured on the pyenv interpreters of this machine
 * (`measured`). Where the two disagree the MEASURED value is used, and the note says why
 * (pyenv's 3.6.15 carries the bpo-27987 16-byte-alignment patch; 2.7.18 and 3.7.16 are newer
 * than the 2.7.14 / 3.7.3 sources that could be read). See docs/cpython/obmalloc.md for the
 * algorithm, and test/fixtures/debugmallocstats/ for the measured sys._debugmallocstats() text.
 *
 * Source snapshots (repo @ commit, path) — line numbers below refer to these files:
 *   2.7  QianyangPeng/Python-2.7.14 @ d5e2bf63e524af1df94257fa6e61c9b957ee47f1  Objects/obmalloc.c (2.7.14)
 *   3.6  R-YaTian/CPython3.6.15WinXP @ 1388e180345aa1e6438b489d7869334f6d088556 Objects/obmalloc.c (3.6.15)
 *   3.7  lzx1453536003/Python-3.7.3 @ f97201acbf4d31d1f57fa9120103efd1af5fe63f Objects/obmalloc.c (3.7.3)
 *   3.8  dlxj/Python-3.8.16 @ 91d83b2110b564220c29096355152e92685b9663 Objects/obmalloc.c (3.8.16)
 *   3.9  Poeagle/cpython3918 @ 045a0591a6a0986ac5034e76c1c52385f5d1da38 Objects/obmalloc.c (3.9.18)
 *   3.10 Shiori-Takanashi/CPython-3.10.7-RE @ 1ec1582abed62762f30b398a544158fe9efbf979 Objects/obmalloc.c (3.10.7)
 *   3.11 shane-mf/cpython-3.11 @ ecae2bb81a42eab7ae199cbf75228f558f396581 Objects/obmalloc.c (3.11.11+)
 *   3.12 fanwenting99/force-cpython-3.12.5 @ fba59a15bb01af28486d9549e23b640b1aa563c2 (3.12.5)
 *        Objects/obmalloc.c + Include/internal/pycore_obmalloc.h
 *   3.13 WCXCod1ng/Python-3.13.0-configured-debug @ 6eb3e576b3ab75e1bb8b39c65ce28c41fc8fd687 (3.13.0)
 *        Objects/obmalloc.c + Include/internal/pycore_obmalloc.h
 * Measured on: pyenv 2.7.18 3.6.15 3.7.16 3.8.18 3.9.18 3.10.13 3.11.7 3.12.1 3.13.0
 *   (tools/probes/obmalloc/*, nm/readelf of lib/libpythonX.Y.so.1.0).
 */

export type PyVersion = "2.7" | "3.6" | "3.7" | "3.8" | "3.9" | "3.10" | "3.11" | "3.12" | "3.13";

export const PY_VERSIONS: readonly PyVersion[] = ["2.7", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13"];

/** Byte offsets inside struct pool_header (64-bit). Same in every version (read + measured). */
export interface PoolHeaderLayout {
  /** union { block *_padding; uint count; } ref — count is a u32 at offset 0, union is 8 bytes */
  refCount: 0;
  freeblock: 8;
  nextpool: 16;
  prevpool: 24;
  /** u32 */
  arenaindex: 32;
  /** u32 */
  szidx: 36;
  /** u32 */
  nextoffset: 40;
  /** u32 */
  maxnextoffset: 44;
  /** sizeof(struct pool_header) */
  size: 48;
}

/** Byte offsets inside struct arena_object (64-bit). Same in every version. */
export interface ArenaObjectLayout {
  /** uintptr_t address (0 = slot unused) */
  address: 0;
  /** block *pool_address: next never-used pool to carve */
  poolAddress: 8;
  /** u32 */
  nfreepools: 16;
  /** u32 */
  ntotalpools: 20;
  /** struct pool_header *freepools: singly linked via pool->nextpool */
  freepools: 24;
  nextarena: 32;
  prevarena: 40;
  /** sizeof(struct arena_object) */
  size: 48;
}

export interface RadixTreeParams {
  /** ADDRESS_BITS: 48 in 3.10 (ignores top 16 bits), 64 in 3.11+ (IGNORE_BITS 0) */
  addressBits: number;
  /** INTERIOR_BITS = (ADDRESS_BITS - ARENA_BITS + 2) / 3 = MAP_TOP_BITS = MAP_MID_BITS */
  interiorBits: number;
  /** MAP_BOT_BITS = ADDRESS_BITS - ARENA_BITS - 2*INTERIOR_BITS */
  botBits: number;
  /** sizeof(arena_map_root) = 2^interiorBits pointers (static, .bss or .PyRuntime) */
  rootBytes: number;
  /** sizeof(arena_map_mid_t) = 2^interiorBits pointers, PyMem_RawCalloc'd on first use */
  midNodeBytes: number;
  /** sizeof(arena_map_bot_t) = 2^botBits * 8 (int32 tail_hi, int32 tail_lo), PyMem_RawCalloc'd */
  botNodeBytes: number;
}

export type GlobalsLocation =
  /** file-scope statics in libpython: usedpools in .data (initialised pointers), the rest in .bss */
  | "libpython-static-data-bss"
  /** embedded in _PyRuntime._main_interpreter.obmalloc, in libpython's own `.PyRuntime` PROGBITS section (file-backed, initialised) */
  | "libpython-PyRuntime-section"
  /** `static struct _obmalloc_state obmalloc_state_main` in libpython .bss; usedpools filled by memcpy at init */
  | "libpython-bss-obmalloc_state_main";

export interface ObmallocParams {
  version: PyVersion;
  /** interpreter measured here */
  measuredPatchVersion: string;
  /** ALIGNMENT (bytes) used by the measured build; size classes are spaced by it */
  alignment: 8 | 16;
  alignmentShift: 3 | 4;
  /** ALIGNMENT in the source text that was read, when it differs from the measured build */
  sourceAlignment?: 8 | 16;
  /** SMALL_REQUEST_THRESHOLD: requests of 1..512 bytes go to pymalloc */
  smallRequestThreshold: 512;
  /** NB_SMALL_SIZE_CLASSES = SMALL_REQUEST_THRESHOLD / ALIGNMENT */
  numSizeClasses: number;
  /** entries in usedpools[] = 2 * ((NB + 7) / 8) * 8 (pointers) */
  usedpoolsLength: number;
  poolSize: number;
  arenaSize: number;
  /** ARENA_SIZE / POOL_SIZE */
  maxPoolsInArena: number;
  /** POOL_OVERHEAD = round_up(sizeof(pool_header), ALIGNMENT) */
  poolOverhead: number;
  poolHeader: PoolHeaderLayout;
  arenaObject: ArenaObjectLayout;
  /** INITIAL_ARENA_OBJECTS; the arenas[] vector then doubles (maxarenas << 1) */
  initialArenaObjects: 16;
  /** allocator used to grow the arena_object vector (realloc keeps contents) */
  arenaVectorRealloc: "libc realloc" | "PyMem_RawRealloc";
  /** arenas come from mmap(NULL, ARENA_SIZE, PROT_READ|PROT_WRITE, MAP_PRIVATE|MAP_ANONYMOUS, -1, 0), freed with munmap */
  arenaAlloc: "mmap-anonymous-private";
  /** if arena address % POOL_SIZE != 0: nfreepools = MAX_POOLS_IN_ARENA - 1, first pool at next POOL_SIZE boundary */
  arenaExcessAdjust: true;
  /** usable_arenas kept sorted ascending by nfreepools: "linear" search (<=3.7) or nfp2lasta[] fingers (3.8+) */
  usableArenasSort: "linear" | "nfp2lasta";
  /** bpo-37257 (3.9+): a wholly free arena that is the LAST in usable_arenas (nextarena == NULL) is not freed */
  keepLastEmptyArena: boolean;
  /** radix tree arena map (3.10+) replaces the arenaindex-based address_in_range */
  radixTree: RadixTreeParams | null;
  globals: GlobalsLocation;
  /** sys._debugmallocstats() exists (3.3+); 2.7 release builds have no Python-level entry */
  hasDebugMallocStats: boolean;
  /** pymalloc_alloc(0) -> not served; falls to raw malloc with size 1 (malloc(1)) */
  zeroSizeToRawMalloc1: true;
}

const POOL_HEADER: PoolHeaderLayout = {
  refCount: 0, freeblock: 8, nextpool: 16, prevpool: 24,
  arenaindex: 32, szidx: 36, nextoffset: 40, maxnextoffset: 44, size: 48,
};
const ARENA_OBJECT: ArenaObjectLayout = {
  address: 0, poolAddress: 8, nfreepools: 16, ntotalpools: 20,
  freepools: 24, nextarena: 32, prevarena: 40, size: 48,
};

/** 4 KiB pools, 256 KiB arenas: 2.7 obmalloc.c:217,227; 3.6:712,722; 3.7:850,860; 3.8:908,918; 3.9:910,920 */
const SMALL_GEOMETRY = { poolSize: 4096, arenaSize: 262144, maxPoolsInArena: 64 } as const;
/** USE_LARGE_ARENAS/USE_LARGE_POOLS on 64-bit with radix tree: ARENA_BITS 20, POOL_BITS 14
 *  (3.10 obmalloc.c:906-946; 3.11:937-977; 3.12/3.13 pycore_obmalloc.h:190-230) */
const LARGE_GEOMETRY = { poolSize: 16384, arenaSize: 1048576, maxPoolsInArena: 64 } as const;

const COMMON = {
  smallRequestThreshold: 512, // 2.7:179 3.6:674 3.7:812 3.8:870 3.9:872 3.10:872 3.11:904 3.12/3.13 .h:157
  numSizeClasses: 32, // 512/16 — sys._debugmallocstats "in 32 size classes" (3.6-3.13); 2.7: usedpools is 512 bytes (nm)
  usedpoolsLength: 64, // 2*((32+7)/8)*8 ; nm -S: usedpools size 0x200 (2.7.18, 3.6.15, 3.8.18, 3.10.13, 3.11.7)
  alignment: 16, alignmentShift: 4,
  poolOverhead: 48, // round_up(48, 16); measured first block at pool+48 (tools/probes/obmalloc/pool_header.py)
  poolHeader: POOL_HEADER, // struct pool_header: 2.7:280 3.6:759 3.7:897 3.8:936 3.9:938 3.10:970 3.11:1001 .h:254
  arenaObject: ARENA_OBJECT, // struct arena_object: 2.7:295 3.6:774 3.7:912 3.8:951 3.9:953 3.10:985 3.11:1016 .h:269
  initialArenaObjects: 16, // 2.7:539 3.6:1016 3.7:1154 3.8:1199 3.9:1201 3.10:1233 3.11:1264 .h:475
  arenaAlloc: "mmap-anonymous-private", // 2.7:616 (inline mmap); 3.x _PyObject_ArenaMmap / _PyMem_ArenaAlloc
  arenaExcessAdjust: true, // new_arena(): excess = address & POOL_SIZE_MASK
  zeroSizeToRawMalloc1: true, // 2.7:984 (nbytes==0 -> 1); 3.x _PyMem_RawMalloc: if (size == 0) size = 1
} as const;

export const OBMALLOC: Record<PyVersion, ObmallocParams> = {
  "2.7": {
    ...COMMON, ...SMALL_GEOMETRY, version: "2.7", measuredPatchVersion: "2.7.18",
    sourceAlignment: 8, // 2.7.14 obmalloc.c:157; 2.7.18 build measured 16 (szidx 1 for 32-byte blocks; usedpools 512 B)
    arenaVectorRealloc: "libc realloc", // 2.7.14 obmalloc.c:584
    usableArenasSort: "linear", // 2.7.14 obmalloc.c:1161
    keepLastEmptyArena: false, // 2.7.14 obmalloc.c:1067 `if (nf == ao->ntotalpools)`
    radixTree: null,
    globals: "libpython-static-data-bss", // nm: usedpools d, arenas/maxarenas/usable_arenas/unused_arena_objects b
    hasDebugMallocStats: false, // AttributeError; _PyObject_DebugMallocStats only under PYMALLOC_DEBUG (2.7.14:1787)
  },
  "3.6": {
    ...COMMON, ...SMALL_GEOMETRY, version: "3.6", measuredPatchVersion: "3.6.15",
    sourceAlignment: 8, // 3.6.15 obmalloc.c:653; pyenv applies patches/3.6.15/0009-bpo-27987 -> 16 on 64-bit
    arenaVectorRealloc: "PyMem_RawRealloc", // obmalloc.c:1071
    usableArenasSort: "linear", // obmalloc.c:1631
    keepLastEmptyArena: false, // obmalloc.c:1540
    radixTree: null,
    globals: "libpython-static-data-bss",
    hasDebugMallocStats: true,
  },
  "3.7": {
    ...COMMON, ...SMALL_GEOMETRY, version: "3.7", measuredPatchVersion: "3.7.16",
    sourceAlignment: 8, // 3.7.3 obmalloc.c:791; 3.7.16 measured 16 ("in 32 size classes", sizes 16..512)
    arenaVectorRealloc: "PyMem_RawRealloc", // obmalloc.c:1209
    usableArenasSort: "linear", // obmalloc.c:1796
    keepLastEmptyArena: false, // obmalloc.c:1706
    radixTree: null,
    globals: "libpython-static-data-bss",
    hasDebugMallocStats: true,
  },
  "3.8": {
    ...COMMON, ...SMALL_GEOMETRY, version: "3.8", measuredPatchVersion: "3.8.18",
    // ALIGNMENT 16 in source: obmalloc.c:845
    arenaVectorRealloc: "PyMem_RawRealloc", // obmalloc.c:1254
    usableArenasSort: "nfp2lasta", // obmalloc.c:1193 (bpo-37029)
    keepLastEmptyArena: false, // obmalloc.c:1768 `if (nf == ao->ntotalpools)`
    radixTree: null,
    globals: "libpython-static-data-bss", // nm: usedpools d (0x200), nfp2lasta b (0x208)
    hasDebugMallocStats: true,
  },
  "3.9": {
    ...COMMON, ...SMALL_GEOMETRY, version: "3.9", measuredPatchVersion: "3.9.18",
    // ALIGNMENT 16: obmalloc.c:847
    arenaVectorRealloc: "PyMem_RawRealloc", // obmalloc.c:1273
    usableArenasSort: "nfp2lasta", // obmalloc.c:1195
    keepLastEmptyArena: true, // obmalloc.c:1738 `nf == ao->ntotalpools && ao->nextarena != NULL`
    radixTree: null,
    globals: "libpython-static-data-bss",
    hasDebugMallocStats: true,
  },
  "3.10": {
    ...COMMON, ...LARGE_GEOMETRY, version: "3.10", measuredPatchVersion: "3.10.13",
    arenaVectorRealloc: "PyMem_RawRealloc", // obmalloc.c:1573
    usableArenasSort: "nfp2lasta", // obmalloc.c:1227
    keepLastEmptyArena: true, // obmalloc.c:2059
    // obmalloc.c:1300 ADDRESS_BITS 48 (INTERIOR_BITS (48-20+2)/3=10, MAP_BOT_BITS 8); measured "# bytes lost to arena map root = 8,192"
    radixTree: { addressBits: 48, interiorBits: 10, botBits: 8, rootBytes: 8192, midNodeBytes: 8192, botNodeBytes: 2048 },
    globals: "libpython-static-data-bss", // nm: arena_map_root b 0x2000
    hasDebugMallocStats: true,
  },
  "3.11": {
    ...COMMON, ...LARGE_GEOMETRY, version: "3.11", measuredPatchVersion: "3.11.7",
    arenaVectorRealloc: "PyMem_RawRealloc", // obmalloc.c:1610
    usableArenasSort: "nfp2lasta", // obmalloc.c:1258
    keepLastEmptyArena: true, // obmalloc.c:2096
    // obmalloc.c:1345 IGNORE_BITS 0 -> ADDRESS_BITS 64; measured root 262,144 / mid 262,144 / bot 131,072
    radixTree: { addressBits: 64, interiorBits: 15, botBits: 14, rootBytes: 262144, midNodeBytes: 262144, botNodeBytes: 131072 },
    globals: "libpython-static-data-bss", // nm: arena_map_root b 0x40000, usedpools d 0x200
    hasDebugMallocStats: true,
  },
  "3.12": {
    ...COMMON, ...LARGE_GEOMETRY, version: "3.12", measuredPatchVersion: "3.12.1",
    arenaVectorRealloc: "PyMem_RawRealloc", // obmalloc.c:1175
    usableArenasSort: "nfp2lasta", // pycore_obmalloc.h struct _obmalloc_mgmt
    keepLastEmptyArena: true, // obmalloc.c:1663
    radixTree: { addressBits: 64, interiorBits: 15, botBits: 14, rootBytes: 262144, midNodeBytes: 262144, botNodeBytes: 131072 },
    // obmalloc.c:864-870 get_state() -> &interp->obmalloc; pycore_runtime.h:186 _main_interpreter inside _PyRuntime;
    // readelf: section .PyRuntime PROGBITS size 0x704a8 holds _PyRuntime
    globals: "libpython-PyRuntime-section",
    hasDebugMallocStats: true,
  },
  "3.13": {
    ...COMMON, ...LARGE_GEOMETRY, version: "3.13", measuredPatchVersion: "3.13.0",
    arenaVectorRealloc: "PyMem_RawRealloc", // obmalloc.c:1746
    usableArenasSort: "nfp2lasta",
    keepLastEmptyArena: true, // obmalloc.c:2234
    radixTree: { addressBits: 64, interiorBits: 15, botBits: 14, rootBytes: 262144, midNodeBytes: 262144, botNodeBytes: 131072 },
    // obmalloc.c:1360 `static struct _obmalloc_state obmalloc_state_main;` (nm: b, size 0x40450);
    // usedpools initialised at startup by init_obmalloc_pools() memcpy (obmalloc.c:3136-3157)
    globals: "libpython-bss-obmalloc_state_main",
    hasDebugMallocStats: true,
  },
};

/** Size class index for a request of n bytes (1..512): (n - 1) >> ALIGNMENT_SHIFT. */
export function sizeClassIndex(p: ObmallocParams, nbytes: number): number {
  return (nbytes - 1) >> p.alignmentShift;
}

/** INDEX2SIZE(i) = (i + 1) << ALIGNMENT_SHIFT */
export function classSize(p: ObmallocParams, idx: number): number {
  return (idx + 1) << p.alignmentShift;
}

/** NUMBLOCKS(i) = (POOL_SIZE - POOL_OVERHEAD) / INDEX2SIZE(i) */
export function blocksPerPool(p: ObmallocParams, idx: number): number {
  return Math.floor((p.poolSize - p.poolOverhead) / classSize(p, idx));
}
