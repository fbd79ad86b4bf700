/**
 * Where a simulated CPython process keeps its static data.
 *
 * A real interpreter's allocator state lives in static variables: obmalloc's
 * `usedpools`, `arenas`, `usable_arenas`… in libpython's (or the python
 * binary's) .data/.bss, glibc's `main_arena` and `mp_` in libc's .data.
 * Writing them after fork copies their pages like any other write, so cowsim
 * keeps them in the simulated address space too, at fixed addresses above the
 * mmap area:
 *
 *   0x7ffff7c00000  MMAP_BASE       mmap() hands out addresses below this, top-down
 *   0x7ffff7e00000  LIBPYTHON_DATA  obmalloc state (and, later, interpreter state)
 *   0x7ffff7f00000  LIBC_DATA       the glibc malloc model's state
 */
// @ts-ignore: decorator
@inline export const LIBPYTHON_DATA: u64 = 0x7ffff7e00000;
// @ts-ignore: decorator
@inline export const LIBPYTHON_DATA_SIZE: u64 = 0x100000;
// @ts-ignore: decorator
@inline export const LIBC_DATA: u64 = 0x7ffff7f00000;
// @ts-ignore: decorator
@inline export const LIBC_DATA_SIZE: u64 = 0x10000;
/** The arena map's root (3.10+: a static array of up to 256 KiB, .bss or .PyRuntime). */
// @ts-ignore: decorator
@inline export const ARENA_MAP_ROOT: u64 = LIBPYTHON_DATA + 0x40000;
/** Where obmalloc's globals start within LIBPYTHON_DATA. */
// @ts-ignore: decorator
@inline export const OBMALLOC_STATE: u64 = LIBPYTHON_DATA;
