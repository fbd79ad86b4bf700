# Measures glibc's main arena (the brk heap) of a real CPython right after start-up and a scenario's
# prelude, in the state the validation agent (src/real/agent.py) is in when a scenario's first step ends.
#
#   /root/.pyenv/versions/3.11.7/bin/python tools/probes/startheap/measure.py > test/fixtures/startup-heap.json
#
# For each pyenv interpreter it starts src/real/agent.py on a Unix socket (as src/real/runner.ts does), sends
# the prelude as a step, and while the agent is blocked in recv() it reads, from outside (no allocation in
# the measured process):
#   - /proc/PID/maps: the [heap] VMA (brk start/end);
#   - /proc/PID/smaps: Rss / Private_Dirty of [heap];
#   - /proc/PID/pagemap: which heap pages are present (bit 63);
#   - /proc/PID/mem: the heap's bytes, walked chunk by chunk from the heap start (size words). A chunk is free in
#     a bin (unsorted/small/large) when the next chunk's PREV_INUSE bit is clear; the tcache entries are read
#     from tcache_perthread_struct (heap+0x10: uint16 counts[64], then 64 safe-linked entry pointers).
#     Fastbin chunks look in use to a walk: mallinfo2's smblks/fsmblks (below) count them.
# Then a second step imports ctypes and calls mallinfo2() and malloc_info(0, FILE*) (through open_memstream).
# These perturb the heap (ctypes' own allocations), so they are a cross-check, recorded as "after_ctypes".
# malloc_info's XML does not list tcache chunks (glibc 2.36 malloc_info walks fastbins and bins only).
import json, os, socket, subprocess, sys, tempfile, glob, struct, time

ROOT = "/root/.pyenv/versions"
AGENT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "src", "real", "agent.py")
PRELUDES = {"disable": "import gc\ngc.disable()\n", "set_threshold": "import gc\ngc.set_threshold(0)\n"}

CTYPES_STEP = r'''
import ctypes as _c
class _MI2(_c.Structure):
    _fields_ = [(n, _c.c_size_t) for n in ("arena","ordblks","smblks","hblks","hblkhd","usmblks","fsmblks","uordblks","fordblks","keepcost")]
_libc = _c.CDLL("libc.so.6")
_libc.mallinfo2.restype = _MI2
_mi = _libc.mallinfo2()
_buf = _c.c_char_p(); _sz = _c.c_size_t()
_libc.open_memstream.restype = _c.c_void_p
_f = _libc.open_memstream(_c.byref(_buf), _c.byref(_sz))
_libc.malloc_info(0, _c.c_void_p(_f))
_libc.fclose(_c.c_void_p(_f))
_xml = _c.string_at(_buf, _sz.value).decode()
open(OUT, "w").write(__import__("json").dumps({"mallinfo2": dict((n, getattr(_mi, n)) for n, _ in _MI2._fields_), "malloc_info": _xml}))
'''


def recv_line(c):
    b = b""
    while not b.endswith(b"\n"):
        x = c.recv(1)
        if not x:
            raise EOFError
        b += x
    return b.decode()


def step(c, src, n):
    data = src.encode()
    c.sendall(("R %d %d\n" % (len(data), n)).encode() + data)
    r = recv_line(c)
    if not r.startswith("K"):
        raise RuntimeError(r + c.recv(4096).decode())


def read_mp(pid, heap_lo):
    """glibc's mp_ (struct malloc_par, glibc 2.36) found in libc's writable mapping: the words
    trim_threshold, top_pad (131072), mmap_threshold, arena_test (8), arena_max (0), thp_pagesize, hp_pagesize,
    then ints hp_flags, n_mmaps, n_mmaps_max (65536), max_n_mmaps, no_dyn_threshold, then mmapped_mem,
    max_mmapped_mem, sbrk_base (= the heap start, which confirms the match)."""
    maps = [l.split() for l in open("/proc/%d/maps" % pid)]
    for m in maps:
        if len(m) >= 6 and "libc.so" in m[5] and m[1].startswith("rw"):
            a, b = [int(x, 16) for x in m[0].split("-")]
            with open("/proc/%d/mem" % pid, "rb") as f:
                f.seek(a)
                data = f.read(b - a)
            for off in range(0, len(data) - 128, 8):
                w = struct.unpack_from("<5Q", data, off)
                if w[1] == 131072 and w[3] == 8 and w[4] == 0:
                    ints = struct.unpack_from("<5i", data, off + 56)
                    mm, mmax, sbrk = struct.unpack_from("<3Q", data, off + 80)
                    if sbrk == heap_lo and ints[2] == 65536:
                        return {"trim_threshold": w[0], "top_pad": w[1], "mmap_threshold": w[2], "n_mmaps": ints[1],
                                "max_n_mmaps": ints[3], "no_dyn_threshold": ints[4], "mmapped_mem": mm, "max_mmapped_mem": mmax}
    return None


def heap_state(pid):
    lo = hi = None
    for line in open("/proc/%d/maps" % pid):
        if line.rstrip().endswith("[heap]"):
            a, b = line.split()[0].split("-")
            lo, hi = int(a, 16), int(b, 16)
    smaps = {}
    cur = False
    for line in open("/proc/%d/smaps" % pid):
        if "-" in line.split()[0] and len(line.split()) >= 5:
            cur = line.rstrip().endswith("[heap]")
        elif cur and line.split()[0].rstrip(":") in ("Rss", "Private_Dirty", "Private_Clean", "Anonymous"):
            smaps[line.split()[0].rstrip(":")] = int(line.split()[1])
    # pagemap before reading the memory: reading /proc/PID/mem maps the zero page under untouched addresses.
    present = []
    with open("/proc/%d/pagemap" % pid, "rb") as pm:
        pm.seek((lo >> 12) * 8)
        raw = pm.read(((hi - lo) >> 12) * 8)
    with open("/proc/%d/mem" % pid, "rb") as m:
        m.seek(lo)
        mem = m.read(hi - lo)
    for i in range((hi - lo) >> 12):
        present.append((struct.unpack_from("<Q", raw, i * 8)[0] >> 63) & 1)
    q = lambda off: struct.unpack_from("<Q", mem, off)[0]
    chunks = []  # [offset, size, state]
    off = 0
    while off + 16 <= len(mem):
        size = q(off + 8) & ~7
        if size == 0 or off + size > len(mem):
            break
        chunks.append([off, size, "used"])
        off += size
    top = chunks[-1]
    top[2] = "top"
    for i in range(len(chunks) - 1):
        nxt = chunks[i + 1]
        if (q(nxt[0] + 8) & 1) == 0:
            chunks[i][2] = "free"
    by_off = dict((c[0], c) for c in chunks)
    tcache = {}
    tcache_lists = []  # [offset, size] in list order (head first: the next malloc of that size takes it)
    counts = struct.unpack_from("<64H", mem, 0x10)
    for b in range(64):
        e = q(0x10 + 128 + 8 * b)
        n = 0
        while e and n < counts[b]:
            c = by_off.get(e - 16 - lo)
            if c is not None:
                c[2] = "tcache"
                tcache_lists.append([c[0], c[1]])
            n += 1
            e = q(e - lo) ^ (e >> 12)
        if counts[b]:
            tcache[str(32 + 16 * b)] = counts[b]
    # Runs of present pages: [first page, count].
    runs = []
    for i, p in enumerate(present):
        if p:
            if runs and runs[-1][0] + runs[-1][1] == i:
                runs[-1][1] += 1
            else:
                runs.append([i, 1])
    mp = read_mp(pid, lo)
    return {
        "mp_": mp,
        "heap_start_mod_page": lo & 4095, "brk_size": hi - lo, "smaps_heap_kib": smaps,
        "present_pages": sum(present), "present_runs": runs,
        "free": [[c[0], c[1]] for c in chunks if c[2] == "free"],
        "tcache": tcache_lists,
        "tcache_counts": tcache,
        "top": [top[0], top[1]],
        "used_chunks": sum(1 for c in chunks if c[2] == "used"),
        "used_bytes": sum(c[1] for c in chunks if c[2] == "used"),
    }


def run(python, prelude, env=None, cwd=None, ctypes_check=True):
    d = tempfile.mkdtemp()
    sp = os.path.join(d, "s")
    srv = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    srv.bind(sp)
    srv.listen(4)
    p = subprocess.Popen([python, "-u", AGENT, sp], env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    c, _ = srv.accept()
    hello = recv_line(c)
    pid = int(hello.split()[1])
    step(c, PRELUDES[prelude], 1)
    time.sleep(0.05)
    st = heap_state(pid)
    if ctypes_check:
        out = os.path.join(d, "mi.json")
        step(c, "OUT = %r\n" % out + CTYPES_STEP, 2)
        st["after_ctypes"] = json.load(open(out))
    c.sendall(b"X 0 3\n")
    p.wait()
    return st


def main():
    pythons = sorted(glob.glob(ROOT + "/*/bin/python"))
    res = {"command": "/root/.pyenv/versions/3.11.7/bin/python tools/probes/startheap/measure.py > test/fixtures/startup-heap.json",
           "uname": os.uname().release, "libc": os.confstr("CS_GNU_LIBC_VERSION"),
           "model_run": "disable: env PATH=/usr/bin:/bin, cwd /, the agent src/real/agent.py, step 1 = the prelude",
           "versions": {}}
    base_env = {"PATH": "/usr/bin:/bin"}
    for py in pythons:
        ver = py.split("/")[-3]
        v = {}
        v["disable"] = run(py, "disable", env=base_env, cwd="/")
        # Stability: prelude variant, a second run, the caller's environment and another cwd.
        v["checks"] = {}
        for name, kw in (("set_threshold", dict(prelude="set_threshold", env=base_env, cwd="/")),
                         ("rerun", dict(prelude="disable", env=base_env, cwd="/")),
                         ("caller_env_cwd_tmp", dict(prelude="disable", env=None, cwd="/tmp"))):
            s = run(py, ctypes_check=False, **kw)
            same = all(s[k] == v["disable"][k] for k in ("brk_size", "free", "tcache", "top", "used_bytes"))
            v["checks"][name] = {"same_layout": same, "brk_size": s["brk_size"], "smaps_heap_kib": s["smaps_heap_kib"],
                                 "free_bytes": sum(x[1] for x in s["free"]), "top": s["top"], "used_bytes": s["used_bytes"]}
        res["versions"][ver] = v
        d = v["disable"]
        sys.stderr.write("%s brk %d rss %s free %d (%d chunks) tcache %d top %d checks %s\n" % (
            ver, d["brk_size"], d["smaps_heap_kib"], sum(x[1] for x in d["free"]), len(d["free"]), len(d["tcache"]), d["top"][1],
            {k: c["same_layout"] for k, c in v["checks"].items()}))
    json.dump(res, sys.stdout, indent=None, separators=(",", ":"))


if __name__ == "__main__":
    main()
