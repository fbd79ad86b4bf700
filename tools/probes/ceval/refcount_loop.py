# -*- coding: utf-8 -*-
"""Probe: what `for i in L: pass` (module level) does to element refcounts.

Usage:  /root/.pyenv/versions/3.11.7/bin/python tools/probes/ceval/refcount_loop.py
Runs unchanged on 2.7 and 3.6-3.13.  Cheap (a few seconds, ~100 MB).

Reads ob_refcnt with ctypes (a read, not a write) for every element of
L = list(range(10**6)) before and after the loop, and samples refcounts
inside the loop.  Model being checked (see docs/cpython/ceval.md):
  * element k >= 257 of L has refcount 1 (owned by the list only);
  * while the loop variable i is bound to it, refcount 2 (list + module dict);
    sys.getrefcount(i) therefore reports 3 (+1 for the argument);
  * the previous element is back to 1 as soon as STORE_NAME replaced it;
  * after the loop only L[-1] differs (+1, still bound to i);
  * the list object L gets +1 while the list iterator is alive.
Then a fork()ed child runs the loop and reports its minor faults and the
growth of its Private_Dirty (from /proc/self/smaps_rollup): the copy-on-write
cost of those refcount writes.
"""
from __future__ import print_function

import ctypes
import gc
import os
import platform
import resource
import sys
from array import array

N = 10 ** 6
gc.disable()            # keep the collector from walking/touching objects mid-probe
rc = ctypes.c_ssize_t.from_address
print("# command: %s %s" % (sys.executable, " ".join(sys.argv)))
print("python %s" % platform.python_version())

L = list(range(N))
# read through L[j]: the temporary reference from L[j] is gone when rc() reads
before = array('l', [rc(id(L[j])).value for j in range(N)])
lst_before = rc(id(L)).value

k = N // 2
seen = {}
for i in L:
    if i == k:
        seen['getrefcount(i)'] = sys.getrefcount(i)
        seen['rc(i)'] = rc(id(i)).value
        seen['rc(L[k-1])'] = rc(id(L[k - 1])).value
        seen['rc(L[k+1])'] = rc(id(L[k + 1])).value
        seen['rc(L) in loop'] = rc(id(L)).value
after = array('l', [rc(id(L[j])).value for j in range(N)])
changed = [j for j in range(N) if before[j] != after[j]]

print("rc(L) before loop           %d" % lst_before)
for key in sorted(seen):
    print("in loop at i==%d: %-18s %d" % (k, key, seen[key]))
print("rc(L) after loop            %d" % rc(id(L)).value)
print("rc before: L[0]=%d L[5]=%d L[256]=%d L[257]=%d L[k]=%d L[-1]=%d"
      % (before[0], before[5], before[256], before[257], before[k], before[-1]))
print("rc after : L[0]=%d L[5]=%d L[256]=%d L[257]=%d L[k]=%d L[-1]=%d"
      % (after[0], after[5], after[256], after[257], after[k], after[-1]))
big = [j for j in changed if j > 256]
print("elements with changed refcount after loop: %d (indices > 256: %r)" % (len(changed), big[:5]))
print("elements 257..N-1 with refcount 1 before loop: %d of %d"
      % (sum(1 for j in range(257, N) if before[j] == 1), N - 257))
print("sys.getrefcount(L[%d]) outside loop: %d" % (k, sys.getrefcount(L[k])))

# ---- fork: child iterates, reports its own copy-on-write cost -------------
def private_dirty_kb():
    try:
        f = open("/proc/self/smaps_rollup")
    except IOError:
        return -1
    try:
        for line in f:
            if line.startswith("Private_Dirty:"):
                return int(line.split()[1])
    finally:
        f.close()
    return -1

r, w = os.pipe()
pid = os.fork()
if pid == 0:
    os.close(r)
    d0 = private_dirty_kb()
    f0 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    for i in L:
        pass
    f1 = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    d1 = private_dirty_kb()
    os.write(w, ("%d %d %d %d" % (d0, d1, f0, f1)).encode("ascii"))
    os._exit(0)
os.close(w)
msg = os.read(r, 200).decode("ascii")
os.waitpid(pid, 0)
d0, d1, f0, f1 = [int(x) for x in msg.split()]
print("fork child loop: Private_Dirty %d kB -> %d kB (+%d kB), minor faults +%d"
      % (d0, d1, d1 - d0, f1 - f0))
