# Probe pymalloc size classes / alignment / pool layout with ctypes (works on 2.7 and 3.x).
# For each request size, allocate 600 blocks with PyObject_Malloc and report:
#   step  = most common distance between consecutive addresses (= block size of the class)
#   first = most common offset (addr % POOL_SIZE) of the lowest block seen in a pool whose
#           first block is at POOL_OVERHEAD (i.e. min offset over all blocks) -> POOL_OVERHEAD
# Usage: python size_classes.py POOL_SIZE
import ctypes, sys
from collections import Counter
pool_size = int(sys.argv[1])
api = ctypes.pythonapi
api.PyObject_Malloc.restype = ctypes.c_void_p
api.PyObject_Malloc.argtypes = [ctypes.c_size_t]
api.PyObject_Free.argtypes = [ctypes.c_void_p]
out = []
for size in (1, 8, 9, 16, 17, 24, 25, 32, 33, 48, 64, 100, 256, 496, 497, 512, 513):
    ptrs = [api.PyObject_Malloc(size) for _ in range(600)]
    d = Counter(ptrs[i + 1] - ptrs[i] for i in range(len(ptrs) - 1)).most_common(1)[0][0]
    mods = Counter(p % 16 for p in ptrs)
    minoff = min(p % pool_size for p in ptrs)
    out.append("size=%d step=%d addr%%16=%s min_offset_in_pool=%d" % (size, d, dict(mods), minoff))
    for p in ptrs:
        api.PyObject_Free(p)
print("\n".join(out))
