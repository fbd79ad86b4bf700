# Reads the pool_header of the pool holding fresh PyObject_Malloc(nbytes) blocks, with ctypes,
# assuming the 64-bit layout: u32 ref.count @0 (in an 8-byte union), ptr freeblock @8, nextpool @16,
# prevpool @24, u32 arenaindex @32, szidx @36, nextoffset @40, maxnextoffset @44 (sizeof = 48).
# Usage: python pool_header.py POOL_SIZE NBYTES
import ctypes, sys
POOL, NB = int(sys.argv[1]), int(sys.argv[2])
api = ctypes.pythonapi
api.PyObject_Malloc.restype = ctypes.c_void_p
api.PyObject_Malloc.argtypes = [ctypes.c_size_t]
api.PyObject_Free.argtypes = [ctypes.c_void_p]
u32 = lambda a: ctypes.c_uint32.from_address(a).value
ptr = lambda a: ctypes.c_uint64.from_address(a).value
ps = [api.PyObject_Malloc(NB) for _ in range(3000)]
p = ps[-1]
pool = p & ~(POOL - 1)
mine = sorted(x for x in ps if x & ~(POOL - 1) == pool)
print("block=%#x pool=%#x blocks_of_mine_in_pool=%d first_block_off=%d spacing=%d"
      % (p, pool, len(mine), mine[0] - pool, mine[1] - mine[0] if len(mine) > 1 else -1))
print("count=%d freeblock_off=%s nextpool=%#x prevpool=%#x arenaindex=%d szidx=%d nextoffset=%d maxnextoffset=%d"
      % (u32(pool), (ptr(pool + 8) - pool) if ptr(pool + 8) else "NULL", ptr(pool + 16), ptr(pool + 24),
         u32(pool + 32), u32(pool + 36), u32(pool + 40), u32(pool + 44)))
api.PyObject_Free(p)
fb = ptr(pool + 8)
print("after free(last): count=%d freeblock==freed:%s *(freed)=%s" % (u32(pool), fb == p,
      "NULL" if ptr(p) == 0 else "%#x" % ptr(p)))
