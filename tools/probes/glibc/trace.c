/*
 * glibc malloc trace probe for cowsim.
 *
 * Replays a script of malloc/calloc/realloc/free operations against the
 * real glibc malloc of this machine and prints, one JSON object per line,
 * where every returned chunk landed (offset from the initial program break,
 * or which mmap), the chunk header glibc wrote, the program break, and the
 * malloc statistics (mallinfo2).  After an `F` (fork) op the child keeps
 * replaying and also reports which pages each op wrote (pages whose physical
 * frame number changed = copy-on-write copies; pages that became present).
 *
 * The program itself must not disturb the heap: no stdio, no allocation by
 * the probe.  Script and output use static buffers and raw syscalls.
 *
 * Script syntax, one op per line ('#' starts a comment):
 *   m ID SIZE     p[ID] = malloc(SIZE)
 *   c ID SIZE     p[ID] = calloc(1, SIZE)
 *   r ID SIZE     p[ID] = realloc(p[ID], SIZE)   (p[ID] may be NULL)
 *   f ID          free(p[ID]); p[ID] = NULL
 *   d ID          dump header words of p[ID]'s chunk and the next chunk
 *   M             dump the VMAs of /proc/self/maps
 *   F             fork; the parent waits and prints nothing more
 *   T             malloc_trim(0)
 *   w ID          write one byte in every page of p[ID]'s chunk (as a
 *                 program filling the block would)
 *   R             toggle quiet mode: no output lines for m/c/r/f/w ops until
 *                 the next R (d, M, T lines are still printed)
 *
 * Build: gcc -O1 -o trace trace.c      Run: ./trace script.txt
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAXID 100000
#define SCRIPT_MAX (8 << 20)
#define OUT_MAX (64 << 20)
#define MAPS_MAX (1 << 20)
#define MAXPAGES (1 << 20)

static char script[SCRIPT_MAX];
static char out[OUT_MAX];
static size_t outlen;
static char maps[MAPS_MAX];
static void *ptrs[MAXID];
static void *lastp[MAXID]; /* last non-NULL value, so freed chunks can be dumped */
static uintptr_t heap_base;
static int forked;
static int quiet;

/* page tracking after fork */
static uintptr_t pg_addr[MAXPAGES];
static uint64_t pg_pfn[MAXPAGES];
static size_t npg;
static int pagemap_fd = -1;
static uint64_t remap_old[MAXPAGES];
static uint64_t remap_pages, remap_same, remap_present;

static void flush(void) {
  size_t o = 0;
  while (o < outlen) {
    ssize_t w = write(1, out + o, outlen - o);
    if (w <= 0) break;
    o += (size_t)w;
  }
  outlen = 0;
}
static void puts_(const char *s) {
  size_t n = strlen(s);
  if (outlen + n >= OUT_MAX) flush();
  memcpy(out + outlen, s, n);
  outlen += n;
}
static void putu(uint64_t v) {
  char b[32];
  int i = 31;
  b[i] = 0;
  if (v == 0) b[--i] = '0';
  while (v) { b[--i] = (char)('0' + v % 10); v /= 10; }
  puts_(b + i);
}
static void puti(int64_t v) {
  if (v < 0) { puts_("-"); putu((uint64_t)(-v)); } else putu((uint64_t)v);
}
static void putx(uint64_t v) {
  char b[32];
  int i = 31;
  b[i] = 0;
  if (v == 0) b[--i] = '0';
  while (v) { b[--i] = "0123456789abcdef"[v & 15]; v >>= 4; }
  b[--i] = 'x';
  b[--i] = '0';
  puts_(b + i);
}
static void kv_u(const char *k, uint64_t v) { puts_(",\""); puts_(k); puts_("\":"); putu(v); }
static void kv_i(const char *k, int64_t v) { puts_(",\""); puts_(k); puts_("\":"); puti(v); }
static void kv_x(const char *k, uint64_t v) { puts_(",\""); puts_(k); puts_("\":\""); putx(v); puts_("\""); }

static uintptr_t cur_brk(void) { return (uintptr_t)sbrk(0); }

static int in_heap(uintptr_t a) { return a >= heap_base && a < cur_brk(); }

/* ---------- /proc/self/maps ---------- */
struct vma { uintptr_t start, end; const char *name; size_t namelen; };
static struct vma vmas[4096];
static int nvma;
static int hexval(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}
static void read_maps(void) {
  int fd = open("/proc/self/maps", O_RDONLY);
  size_t n = 0;
  ssize_t r;
  while ((r = read(fd, maps + n, MAPS_MAX - 1 - n)) > 0) n += (size_t)r;
  close(fd);
  maps[n] = 0;
  nvma = 0;
  char *p = maps;
  while (*p && nvma < 4096) {
    struct vma *v = &vmas[nvma++];
    v->start = v->end = 0;
    int h;
    while ((h = hexval(*p)) >= 0) { v->start = v->start * 16 + (uintptr_t)h; p++; }
    p++; /* '-' */
    while ((h = hexval(*p)) >= 0) { v->end = v->end * 16 + (uintptr_t)h; p++; }
    /* skip perms offset dev inode (4 fields) */
    for (int f = 0; f < 4; f++) {
      while (*p == ' ') p++;
      while (*p && *p != ' ' && *p != '\n') p++;
    }
    while (*p == ' ') p++;
    v->name = p;
    while (*p && *p != '\n') p++;
    v->namelen = (size_t)(p - v->name);
    if (*p == '\n') p++;
  }
}
static void put_name(const struct vma *v) {
  puts_("\"");
  for (size_t i = 0; i < v->namelen; i++) {
    char c[2] = {v->name[i], 0};
    if (c[0] == '"' || c[0] == '\\') puts_("\\");
    puts_(c);
  }
  puts_("\"");
}
static int vma_of(uintptr_t a) {
  for (int i = 0; i < nvma; i++)
    if (a >= vmas[i].start && a < vmas[i].end) return i;
  return -1;
}

/* ---------- page frame tracking (after fork) ---------- */
static uint64_t pfn_of(uintptr_t page) {
  uint64_t e = 0;
  if (pread(pagemap_fd, &e, 8, (off_t)((page / 4096) * 8)) != 8) return 0;
  if (!(e >> 63 & 1)) return 0; /* not present */
  return e & ((1ULL << 55) - 1);
}
static void add_range(uintptr_t s, uintptr_t e) {
  for (uintptr_t p = s & ~(uintptr_t)4095; p < e && npg < MAXPAGES; p += 4096) {
    pg_addr[npg] = p;
    pg_pfn[npg] = pfn_of(p);
    npg++;
  }
}
/* snapshot: heap pages + every live mmapped chunk's mapping */
static uintptr_t libc_base, libc_data_start, libc_data_end;
static void find_libc(void) {
  read_maps();
  for (int i = 0; i < nvma; i++) {
    int is_libc = vmas[i].namelen >= 9 &&
                  memcmp(vmas[i].name + vmas[i].namelen - 9, "libc.so.6", 9) == 0;
    if (is_libc && !libc_base) libc_base = vmas[i].start;
    /* last libc VMA (rw .data) plus the anonymous VMA right after it (.bss) */
    if (is_libc) {
      libc_data_start = vmas[i].start;
      libc_data_end = vmas[i].end;
      if (i + 1 < nvma && vmas[i + 1].namelen == 0 && vmas[i + 1].start == vmas[i].end)
        libc_data_end = vmas[i + 1].end;
    }
  }
}
static void snapshot(void) {
  npg = 0;
  add_range(heap_base, cur_brk());
  add_range(libc_data_start, libc_data_end);
  for (int i = 0; i < MAXID; i++) {
    if (!ptrs[i] || in_heap((uintptr_t)ptrs[i])) continue;
    uintptr_t *h = (uintptr_t *)ptrs[i] - 2;
    if (!(h[1] & 2)) continue;
    uintptr_t start = (uintptr_t)h - h[0];
    add_range(start, start + h[0] + (h[1] & ~(uintptr_t)7));
  }
}
static void put_page(uintptr_t p) {
  puts_("\"");
  if (p >= heap_base && p < heap_base + (1ULL << 40) && p < cur_brk() + (1ULL << 30)) {
    puts_("H+"); putx(p - heap_base);
  } else if (p >= libc_data_start && p < libc_data_end) {
    puts_("libc+"); putx(p - libc_base);
  } else {
    putx(p);
  }
  puts_("\"");
}
/* report pages written since last snapshot, then re-snapshot */
static void report_writes(void) {
  int first;
  uint64_t ncow = 0, nnew = 0;
  puts_(",\"cow\":[");
  first = 1;
  for (size_t i = 0; i < npg; i++) {
    uint64_t now = pfn_of(pg_addr[i]);
    if (pg_pfn[i] && now && now != pg_pfn[i]) {
      if (!first) puts_(",");
      put_page(pg_addr[i]);
      first = 0;
      ncow++;
    }
  }
  puts_("],\"populated\":[");
  first = 1;
  for (size_t i = 0; i < npg; i++) {
    uint64_t now = pfn_of(pg_addr[i]);
    if (!pg_pfn[i] && now) {
      if (!first) puts_(",");
      if (nnew < 64) put_page(pg_addr[i]);
      else puts_("\"...\"");
      first = 0;
      nnew++;
      if (nnew > 64) break;
    }
  }
  puts_("]");
  kv_u("ncow", ncow);
  snapshot();
}

/* ---------- per-op report ---------- */
static void report_stats(void) {
  kv_u("brk", cur_brk() - heap_base);
  /* mallinfo2() takes the arena lock, i.e. writes libc's main_arena: after a
     fork that write would itself cause a copy-on-write, so skip it there */
  if (forked) return;
  struct mallinfo2 mi = mallinfo2();
  kv_u("top", mi.keepcost);
  kv_u("system_mem", mi.arena);
  kv_u("n_mmaps", mi.hblks);
  kv_u("mmapped_mem", mi.hblkhd);
  kv_u("free_chunks", mi.ordblks - 1);
  kv_u("fast_chunks", mi.smblks);
  kv_u("fast_bytes", mi.fsmblks);
  kv_u("free_bytes", mi.fordblks);
}
static void report_ptr(void *p) {
  if (!p) { puts_(",\"where\":\"null\""); return; }
  uintptr_t a = (uintptr_t)p;
  uintptr_t *h = (uintptr_t *)p - 2;
  if (in_heap(a)) {
    puts_(",\"where\":\"heap\"");
    kv_u("off", a - heap_base);
    kv_u("chunk", (h[1] & ~(uintptr_t)7));
    kv_u("flags", h[1] & 7);
  } else {
    puts_(",\"where\":\"mmap\"");
    kv_x("addr", a);
    kv_u("chunk", (h[1] & ~(uintptr_t)7));
    kv_u("flags", h[1] & 7);
    kv_u("prev_size", h[0]);
    uintptr_t start = (uintptr_t)h - h[0];
    uintptr_t len = h[0] + (h[1] & ~(uintptr_t)7);
    kv_x("map_start", start);
    kv_u("map_len", len);
    kv_i("user_off_in_map", (int64_t)(a - start));
    read_maps();
    int v = vma_of(a);
    if (v >= 0) {
      kv_i("vma_start_minus_map", (int64_t)(vmas[v].start - start));
      kv_i("vma_end_minus_map_end", (int64_t)(vmas[v].end - (start + len)));
      if (v + 1 < nvma) {
        kv_i("next_vma_gap", (int64_t)(vmas[v + 1].start - vmas[v].end));
        puts_(",\"next_vma_name\":");
        put_name(&vmas[v + 1]);
      }
    }
  }
}

static void dump_chunk(int id) {
  void *p = ptrs[id] ? ptrs[id] : lastp[id];
  if (!p) return;
  uintptr_t *h = (uintptr_t *)p - 2;
  uintptr_t sz = h[1] & ~(uintptr_t)7;
  puts_(",\"words\":[");
  /* prev_size, size, user[0..3] */
  for (int i = 0; i < 6; i++) {
    if (i) puts_(",");
    puts_("\""); putx(h[i]); puts_("\"");
  }
  puts_("]");
  puts_(ptrs[id] ? ",\"live\":true" : ",\"live\":false");
  if (in_heap((uintptr_t)p)) {
    uintptr_t *n = (uintptr_t *)((char *)h + sz);
    puts_(",\"next_words\":[\""); putx(n[0]); puts_("\",\""); putx(n[1]); puts_("\"]");
  }
}

static void dump_maps(void) {
  read_maps();
  puts_(",\"vmas\":[");
  for (int i = 0; i < nvma; i++) {
    if (i) puts_(",");
    puts_("{\"start\":\""); putx(vmas[i].start);
    puts_("\",\"end\":\""); putx(vmas[i].end);
    puts_("\",\"name\":"); put_name(&vmas[i]);
    puts_("}");
  }
  puts_("]");
}

static long num(char **pp) {
  char *p = *pp;
  while (*p == ' ' || *p == '\t') p++;
  long v = 0;
  while (*p >= '0' && *p <= '9') v = v * 10 + (*p++ - '0');
  *pp = p;
  return v;
}

int main(int argc, char **argv) {
  heap_base = cur_brk();
  if (argc < 2) return 2;
  int fd = open(argv[1], O_RDONLY);
  if (fd < 0) return 2;
  size_t n = 0;
  ssize_t r;
  while ((r = read(fd, script + n, SCRIPT_MAX - 1 - n)) > 0) n += (size_t)r;
  close(fd);
  script[n] = 0;

  struct mallinfo2 mi0 = mallinfo2();
  puts_("{\"start\":1");
  kv_x("heap_base", heap_base);
  kv_u("heap_base_mod_page", heap_base & 4095);
  kv_u("system_mem_before_first_malloc", mi0.arena);
  puts_("}\n");

  char *p = script;
  long opno = 0;
  while (*p) {
    char *line = p;
    while (*p && *p != '\n') p++;
    if (*p == '\n') *p++ = 0;
    while (*line == ' ' || *line == '\t') line++;
    char op = *line;
    if (op == 0 || op == '#') continue;
    char *q = line + 1;
    long id = 0, size = 0;
    void *old = 0;
    opno++;
    switch (op) {
    case 'm': id = num(&q); size = num(&q); ptrs[id] = malloc((size_t)size); break;
    case 'c': id = num(&q); size = num(&q); ptrs[id] = calloc(1, (size_t)size); break;
    case 'r': {
      id = num(&q); size = num(&q); old = ptrs[id];
      uintptr_t os = 0, ol = 0;
      if (forked && old && !in_heap((uintptr_t)old)) {
        uintptr_t *h = (uintptr_t *)old - 2;
        os = (uintptr_t)h - h[0];
        ol = h[0] + (h[1] & ~(uintptr_t)7);
        for (uintptr_t k = 0; k < ol / 4096 && k < MAXPAGES; k++) remap_old[k] = pfn_of(os + k * 4096);
      }
      ptrs[id] = realloc(old, (size_t)size);
      remap_pages = remap_same = remap_present = 0;
      if (ol && ptrs[id] && !in_heap((uintptr_t)ptrs[id])) {
        uintptr_t *h = (uintptr_t *)ptrs[id] - 2;
        uintptr_t ns = (uintptr_t)h - h[0];
        for (uintptr_t k = 0; k < ol / 4096 && k < MAXPAGES; k++) {
          remap_pages++;
          if (remap_old[k]) remap_present++;
          if (remap_old[k] && pfn_of(ns + k * 4096) == remap_old[k]) remap_same++;
        }
      }
      break;
    }
    case 'f': id = num(&q); free(ptrs[id]); ptrs[id] = 0; break;
    case 'T': malloc_trim(0); break;
    case 'w': {
      id = num(&q);
      uintptr_t *h = (uintptr_t *)ptrs[id] - 2;
      size_t usable = (h[1] & ~(uintptr_t)7) - 16;
      for (size_t k = 0; k < usable; k += 4096) ((volatile char *)ptrs[id])[k] = 1;
      break;
    }
    case 'R': quiet = !quiet; continue;
    case 'd': case 'M': id = num(&q); break;
    case 'F': {
      flush();
      pid_t pid = fork();
      if (pid > 0) { int st; waitpid(pid, &st, 0); return 0; }
      forked = 1;
      pagemap_fd = open("/proc/self/pagemap", O_RDONLY);
      find_libc();
      snapshot();
      puts_("{\"i\":"); putu((uint64_t)opno); puts_(",\"op\":\"F\"");
      kv_u("tracked_pages", npg);
      puts_("}\n");
      continue;
    }
    default: continue;
    }
    if (id >= 0 && id < MAXID && ptrs[id]) lastp[id] = ptrs[id];
    if (quiet && (op == 'm' || op == 'r' || op == 'f' || op == 'c' || op == 'w')) continue;
    puts_("{\"i\":"); putu((uint64_t)opno);
    puts_(",\"op\":\""); char o[2] = {op, 0}; puts_(o); puts_("\"");
    if (op != 'M' && op != 'T') kv_u("id", (uint64_t)id);
    if (op == 'm' || op == 'c' || op == 'r') {
      kv_u("req", (uint64_t)size);
      report_ptr(ptrs[id]);
      if (op == 'r') {
        puts_(",\"moved\":"); puts_(old && old != ptrs[id] ? "true" : "false");
        if (remap_pages) { kv_u("old_map_pages", remap_pages); kv_u("old_pages_present", remap_present); kv_u("old_pages_same_frame_after", remap_same); }
        if (old && old != ptrs[id]) {
          if (in_heap((uintptr_t)old)) kv_u("old_off", (uintptr_t)old - heap_base);
          else kv_x("old_addr", (uintptr_t)old);
        }
      }
    }
    if (op == 'd') dump_chunk((int)id);
    if (op == 'M') dump_maps();
    report_stats();
    if (forked) report_writes();
    puts_("}\n");
  }
  flush();
  return 0;
}
