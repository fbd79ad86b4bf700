#!/usr/bin/env python3
"""Writes the op scripts replayed by trace.c (one file per scenario) into DIR.

Usage: gen_scripts.py DIR
Each scenario isolates one glibc 2.36 malloc rule (see docs/glibc-malloc.md).
Works with python2.7 and python3.
"""
import os
import sys


def basics():
    s = ["# request2size / header layout; first malloc creates the 0x290 tcache struct",
         "# at the heap start and grows brk by ALIGN_UP(656 + 128K + 32, 4096)"]
    sizes = [0, 1, 24, 25, 40, 41, 56, 57, 100, 120, 121, 500, 512, 513, 1000,
             1032, 1033, 4000]
    for i, sz in enumerate(sizes, 1):
        s.append("m %d %d" % (i, sz))
    for i in (1, 2, 3, 4):
        s.append("d %d" % i)
    s.append("M")
    return s


def tcache_fastbin():
    s = ["# 10 chunks of 48 bytes (req 40): frees 1..7 -> tcache, 8..10 -> fastbin",
         "# mallocs: tcache LIFO (7..1), then fastbin head (10) and the rest of",
         "# the fastbin (9, 8) is stashed into tcache -> 8 then 9"]
    for i in range(1, 11):
        s.append("m %d 40" % i)
    s.append("m 99 40")
    for i in range(1, 11):
        s.append("f %d" % i)
    s += ["d 99"]
    for i in range(11, 23):
        s.append("m %d 40" % i)
    return s


def tcache_dump():
    s = ["# what free writes into a chunk: tcache entry next (safe-linked) + key,",
         "# fastbin fd (safe-linked), unsorted/smallbin fd/bk, footer + PREV_INUSE"]
    for i in range(1, 10):
        s.append("m %d 40" % i)
    for i in range(11, 21):
        s.append("m %d 200" % i)
    s.append("m 30 24")
    for i in range(1, 10):
        s.append("f %d" % i)
    s.append("d 1")   # tcache entry (7th from top of bin)
    s.append("d 7")   # tcache bin head
    s.append("d 8")   # fastbin (first)
    s.append("d 9")   # fastbin head: fd -> 8 (safe-linked)
    s.append("m 50 40")   # tcache_get: returns 7, zeroes key, leaves next
    s.append("d 50")
    # free 200-byte chunks: 11..17 -> tcache, 19 -> unsorted (neighbours in use)
    for i in range(11, 18):
        s.append("f %d" % i)
    s.append("d 18")  # live chunk whose successor (19) will be freed
    s.append("f 19")
    s.append("d 18")
    s.append("d 19")  # unsorted chunk: fd = bk = bin header in libc's main_arena
    s.append("d 20")  # next chunk after freed 19: prev_size + PREV_INUSE cleared
    return s


def unsorted_smallbin():
    s = ["# chunk 208 (req 200) is above fastbin max (128): after tcache (7) is full",
         "# frees go to the unsorted bin, coalescing with free neighbours"]
    for i in range(1, 13):
        s.append("m %d 200" % i)
    s.append("m 50 16")  # guard against top
    for i in range(1, 8):
        s.append("f %d" % i)   # tcache full
    s.append("f 8")   # unsorted, alone
    s.append("f 10")  # unsorted, alone
    s.append("f 9")   # coalesces with 8 and 10 -> 624
    s.append("m 20 100")   # 112: sort unsorted into bins, split best fit
    s.append("m 21 40")    # 48: last_remainder split
    s.append("m 22 200")   # 208: tcache has 7 of this size -> tcache
    s.append("m 23 300")   # 320: from remainder?
    s.append("m 24 600")   # 608
    return s


def consolidate():
    s = ["# fastbin chunks are merged only by malloc_consolidate (large request,",
         "# or free of a >=64KiB chunk); tcache chunks are never merged"]
    for i in range(1, 13):
        s.append("m %d 72" % i)  # chunk 80
    s.append("m 50 16")
    for i in range(1, 13):
        s.append("f %d" % i)  # 1..7 tcache, 8..12 fastbin
    s.append("m 20 1500")  # large request -> malloc_consolidate -> 8..12 merge (400)
    s.append("m 21 300")   # 320 from the merged chunk
    s.append("m 22 72")    # tcache
    return s


def largebins():
    s = ["# large chunks (>= 1024): best fit among free chunks, ties to the",
         "# most recently sorted; top used only when no bin chunk fits"]
    sizes = [2000, 3000, 5000, 3000, 8000, 2000, 20000, 3000]
    for i, sz in enumerate(sizes, 1):
        s.append("m %d %d" % (i, sz))
        s.append("m %d 16" % (100 + i))  # separators so nothing coalesces
    for i in (1, 3, 5, 7):
        s.append("f %d" % i)
    s.append("m 20 2500")  # free: 2016, 5008, 8016, 20016 -> best fit 5008, split
    s.append("m 21 1900")
    s.append("m 22 7000")
    s.append("m 23 30000")  # nothing fits -> top
    return s


def top_trim():
    s = ["# brk growth (nb + top_pad 128K + MINSIZE, page-rounded, minus old top)",
         "# and trimming when top >= trim_threshold after freeing >= 64KiB"]
    for i in range(1, 7):
        s.append("m %d 100000" % i)
    for i in range(6, 0, -1):
        s.append("f %d" % i)
    s.append("m 10 100000")
    s.append("m 11 50000")
    s.append("f 10")
    s.append("f 11")
    return s


def mmap_threshold():
    s = ["# mmap threshold 128KiB compares the chunk size nb; top is tried first;",
         "# free of an mmapped chunk raises the threshold to its size (<= 32MiB)",
         "# and the trim threshold to twice that"]
    s += [
        "m 1 131049",     # nb 131072: first big request is served from top if it fits
        "m 2 131049",     # top too small -> sysmalloc -> nb >= threshold -> mmap
        "m 3 131048",     # nb 131056 < threshold -> brk
        "f 2",            # threshold := 135168, trim := 270336
        "m 4 131049",     # now below threshold -> brk
        "m 5 135160",     # nb 135168 >= 135168 -> mmap
        "m 6 200000",     # mmap
        "f 6",            # threshold := 200704 (its chunk size), trim := 401408
        "m 7 200000",     # brk
        "m 8 40000000",   # mmap
        "f 8",            # > 32MiB max: threshold unchanged
        "m 9 204792",     # nb = 204800 -> mmap
        "m 10 204776",    # nb = 204784 >= 200704 (threshold after f 6) -> mmap
        "f 1", "f 3", "f 4", "f 7", "f 10",
        "m 11 16",
    ]
    return s


def mmap_placement():
    s = ["# where successive mmapped chunks land (top-down, adjacent, VMA merging)"]
    for i in range(1, 6):
        s.append("m %d %d" % (i, 300000 * i))
    s.append("M")
    s.append("f 2")
    s.append("m 6 500000")   # free of 2 raised the threshold to 602112 -> brk heap
    s.append("m 7 700000")   # mmap: hole of 602112 too small -> below the lowest mapping
    s.append("M")
    return s


def realloc_rules():
    s = ["# realloc: shrink in place (split), grow into top, grow into a free",
         "# next chunk, otherwise _int_malloc + copy + _int_free"]
    s += [
        "m 1 1000",
        "r 1 2000",     # next is top -> grows in place
        "r 1 500",      # shrink: remainder 1008 freed (coalesces with top)
        "m 2 1000",
        "m 3 1000",
        "m 4 16",
        "f 3",          # 3 -> tcache (1008 chunk is tcache size)
        "r 2 1900",     # next (3) is in tcache = 'in use' -> move
        "m 5 2000", "m 6 2000", "m 7 16",
        "f 6",          # 2016 > tcache max 1040 -> unsorted, free
        "r 5 3000",     # grows into free next chunk 6
        "r 5 100000",   # move -> top
        "r 5 140000",   # top too small, nb >= mmap threshold -> _int_malloc mmaps, copy, free
        "m 8 300000",   # mmap
        "r 8 301000",   # same page count -> same chunk
        "r 8 600000",   # mremap grow: moves below (the space above is taken)
        "r 8 200000",   # mremap shrink in place
        "r 8 1000",     # mremap shrink to one page (stays mmapped!)
        "r 8 0",        # realloc(p, 0) frees, returns NULL
    ]
    return s


def list_sizes(n_max, formula):
    """Yield the item counts passed to realloc by n_max successive appends."""
    allocated = 0
    size = 0
    out = []
    for newsize in range(1, n_max + 1):
        if allocated >= newsize and newsize >= (allocated >> 1):
            size = newsize
            continue
        new_allocated = formula(newsize, size)
        out.append((newsize, new_allocated))
        allocated = new_allocated
        size = newsize
    return out


def f311(newsize, size):
    # CPython 3.9+ Objects/listobject.c list_resize
    na = (newsize + (newsize >> 3) + 6) & ~3
    if newsize - size > na - newsize:
        na = (newsize + 3) & ~3
    return na


def list_realloc_all():
    s = ["# 3.11 list append growth, every resize is realloc(ob_item, 8*allocated)",
         "# (as if all item arrays went to glibc); n = 1 .. 2,000,000"]
    for newsize, na in list_sizes(2000000, f311):
        s.append("r 1 %d" % (8 * na))
    return s


def list_cpython311():
    s = ["# 3.11 list append growth as glibc sees it: arrays <= 512 bytes live in",
         "# pymalloc; the first resize past 512 is pymalloc_realloc -> malloc + copy",
         "# (+ pymalloc free), later resizes are realloc; n = 1 .. 2,000,000"]
    started = False
    for newsize, na in list_sizes(2000000, f311):
        nbytes = 8 * na
        if nbytes <= 512:
            continue
        s.append(("r 1 %d" if started else "m 1 %d") % nbytes)
        started = True
    return s


def list_interleaved():
    s = ["# two lists growing alternately (3.11 formula, glibc part only) plus a",
         "# 600-byte allocation per growth step, as a busier heap would see"]
    sizes = [8 * na for _, na in list_sizes(600000, f311) if 8 * na > 512]
    k = 100
    for i, nbytes in enumerate(sizes):
        s.append(("r 1 %d" if i else "m 1 %d") % nbytes)
        s.append("m %d 600" % k); k += 1
        s.append(("r 2 %d" if i else "m 2 %d") % nbytes)
        s.append("m %d 600" % k); k += 1
    s.append("M")
    return s


def fork_writes():
    s = ["# after fork, which pages do malloc/free/realloc write (COW copies)?",
         "R"]
    for i in range(1, 2001):
        s.append("m %d 600" % i)  # 608-byte chunks, ~6.7 per page
    s.append("m 3000 1048576")   # mmapped chunk (1 MiB + page)
    s.append("m 3001 8000000")   # mmapped chunk like list(range(10**6)).ob_item
    s.append("w 3001")           # filled by the parent
    s.append("R")
    s.append("F")
    s += [
        "f 10",        # tcache: writes next+key in chunk 10 (1 page)
        "m 4000 600",  # reuses chunk 10 from tcache (writes key=0)
        "f 20", "f 21", "f 22", "f 23", "f 24", "f 25", "f 26",  # tcache 608 full
        "f 100",       # unsorted: fd/bk + next chunk's prev_size/PREV_INUSE + bin head (libc .data)
        "f 101",       # coalesces with 100
        "m 4001 600",  # tcache hit
        "m 4002 5000", # from unsorted/top
        "r 3001 9000000",  # mremap grow moves the pages (same frames) but rewrites the header page
        "f 3000",      # munmap: no writes
        "m 4003 600",
        "f 1999",      # free next to top? no, 2000 is last
        "f 2000",      # chunk bordering top (tcache) 
    ]
    return s


SCENARIOS = [
    ("basics", basics),
    ("tcache_fastbin", tcache_fastbin),
    ("free_writes", tcache_dump),
    ("unsorted_smallbin", unsorted_smallbin),
    ("consolidate", consolidate),
    ("largebins", largebins),
    ("top_trim", top_trim),
    ("mmap_threshold", mmap_threshold),
    ("mmap_placement", mmap_placement),
    ("realloc_rules", realloc_rules),
    ("list_realloc_all", list_realloc_all),
    ("list_cpython311_append", list_cpython311),
    ("list_interleaved", list_interleaved),
    ("fork_writes", fork_writes),
]

if __name__ == "__main__":
    d = sys.argv[1]
    if not os.path.isdir(d):
        os.makedirs(d)
    for name, fn in SCENARIOS:
        with open(os.path.join(d, name + ".txt"), "w") as f:
            f.write("\n".join(fn()) + "\n")
