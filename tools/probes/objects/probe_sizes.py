import sys, gc
import multiprocessing.sharedctypes as sc
A = sc.RawArray('d', 1000000)
w = []
import ctypes
t = type(A)
print("ver", sys.version_info[:2], "ctypes_array_getsizeof", sys.getsizeof(A), "basicsize", t.__basicsize__, "tracked", gc.is_tracked(A))
f = sys._getframe()
print("frame_basicsize", type(f).__basicsize__, "itemsize", type(f).__itemsize__)
try:
    from multiprocessing import heap
    h = heap.BufferWrapper._heap
    print("arena_lengths", [a.size for a in h._arenas] if hasattr(h, '_arenas') else None, "heap_size", h._size)
except Exception as e:
    print("heap err", e)
m = [].append
print("method basicsize", type(m).__basicsize__)
f2 = (lambda: 0)
print("func basicsize", type(f2).__basicsize__, "code", type(f2.__code__).__basicsize__)
