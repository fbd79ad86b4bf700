"""Where does CPython's list item array live: brk heap or an mmap?

Run with any CPython 2.7 / 3.x on Linux x86-64:  python pylist_probe.py
Prints one JSON object.  Reads PyListObject.ob_item (offset 24: ob_refcnt,
ob_type, ob_size, then ob_item; 'allocated' at offset 32) with ctypes, the
glibc chunk header at ob_item-8, and classifies the address with
/proc/self/maps.
"""
import ctypes
import json
import sys

N = 10 ** 6


def vmas():
    out = []
    with open("/proc/self/maps") as f:
        for line in f:
            parts = line.split()
            lo, hi = [int(x, 16) for x in parts[0].split("-")]
            name = parts[5] if len(parts) > 5 else ""
            out.append((lo, hi, parts[1], name))
    return out


def heap_range(maps):
    for lo, hi, perm, name in maps:
        if name == "[heap]":
            return lo, hi
    return None


def where(addr, maps):
    h = heap_range(maps)
    res = {}
    if h and h[0] <= addr < h[1]:
        res["region"] = "heap"
        res["off_from_heap_start"] = addr - h[0]
        res["heap_size"] = h[1] - h[0]
    else:
        for i, (lo, hi, perm, name) in enumerate(maps):
            if lo <= addr < hi:
                res["region"] = "mmap" if name == "" else name
                res["addr_minus_vma_start"] = addr - lo
                res["vma_len"] = hi - lo
                res["page_offset"] = addr & 4095
                if i + 1 < len(maps):
                    res["next_vma_gap"] = maps[i + 1][0] - hi
                    res["next_vma_name"] = maps[i + 1][3]
                break
        else:
            res["region"] = "unknown"
    if h:
        res["heap_start_hex"] = hex(h[0])
    res["addr_hex"] = hex(addr)
    return res


def ob_item(lst):
    return ctypes.c_void_p.from_address(id(lst) + 24).value


def allocated(lst):
    return ctypes.c_ssize_t.from_address(id(lst) + 32).value


def chunk_header(addr):
    size = ctypes.c_size_t.from_address(addr - 8).value
    prev = ctypes.c_size_t.from_address(addr - 16).value
    return {"size_field": size, "chunk_size": size & ~7, "flags": size & 7,
            "prev_size_field": prev}


def describe(lst):
    a = ob_item(lst)
    d = where(a, vmas())
    d.update(chunk_header(a))
    d["len"] = len(lst)
    d["allocated"] = allocated(lst)
    d["item_bytes"] = 8 * allocated(lst)
    return d


def main():
    res = {"python": sys.version.split()[0], "N": N}
    try:
        rng = xrange  # noqa: F821  (2.7)
    except NameError:
        rng = range
    a = list(rng(N))
    res["list_range"] = describe(a)

    b = []
    moves = []
    last = (None, 0)
    for i in rng(N):
        b.append(i)
        al = allocated(b)
        if al != last[1]:
            p = ob_item(b)
            h = heap_range(vmas())
            moves.append([len(b), al, 8 * al, p != last[0] and last[0] is not None,
                          "heap" if h and h[0] <= p < h[1] else "other"])
            last = (p, al)
    res["list_append"] = describe(b)
    # every resize of the appended list: [len, allocated, bytes, moved, region]
    # (region: "heap" = brk heap, "other" = pymalloc arena or mmapped chunk)
    res["list_append_resizes"] = moves
    res["n_resizes"] = len(moves)
    res["n_moves"] = sum(1 for m in moves if m[3])
    print(json.dumps(res, sort_keys=True))


main()
