/* anon_probe.c - measure how this Linux kernel accounts anonymous memory,
 * page faults and fork (for cowsim's simulated kernel).
 *
 * Design: an OBSERVER (this process) drives SUBJECT processes through pipes.
 * Subjects only execute commands (mmap/read/write/fork/...) and then block in
 * read(2); the observer samples /proc/PID/stat (minflt field 10, majflt field
 * 12), /proc/PID/smaps (the VMA holding the probe region), smaps_rollup,
 * status and pagemap of each subject before and after every command, so the
 * act of measuring never perturbs the measured process.
 * No madvise(MADV_HUGEPAGE) anywhere. Output: JSON on stdout.
 *
 * Build: gcc -O1 -static -o anon_probe anon_probe.c   (static: the subjects
 * then map no shared libraries, which keeps rollup Pss deterministic). */
#include "probe_common.h"

#include <signal.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>

enum { OP_NOP = 1, OP_MMAP, OP_MMAP_AT, OP_READ, OP_WRITE, OP_FORK, OP_EXIT, OP_WAIT,
       OP_DONTNEED, OP_MUNMAP, OP_MREMAP, OP_MPROTECT };

typedef struct { long op, a, b, c; } cmd_t;

#define MAXSUBJ 4
static int cmd_pipe[MAXSUBJ][2], ack_pipe[MAXSUBJ][2];

/* ------------------------------------------------------------ subject side */
static long subj_exec(cmd_t *c) {
  volatile char *p;
  long i, sum = 0;
  switch (c->op) {
  case OP_NOP: return 0;
  case OP_MMAP: { /* a=npages b=shared c=align2m */
    int fl = MAP_ANONYMOUS | (c->b ? MAP_SHARED : MAP_PRIVATE);
    unsigned long len = c->a * PG;
    if (c->c) {
      unsigned long big = len + (2UL << 20);
      char *r = mmap(NULL, big, PROT_READ | PROT_WRITE, fl, -1, 0);
      if (r == MAP_FAILED) return -errno;
      unsigned long al = ((unsigned long)r + (2UL << 20) - 1) & ~((2UL << 20) - 1);
      if (al > (unsigned long)r) munmap(r, al - (unsigned long)r);
      unsigned long tail = (unsigned long)r + big - (al + len);
      if (tail) munmap((char *)al + len, tail);
      return (long)al;
    }
    char *r = mmap(NULL, len, PROT_READ | PROT_WRITE, fl, -1, 0);
    return r == MAP_FAILED ? -errno : (long)r;
  }
  case OP_MMAP_AT: { /* a=addr b=npages */
    char *r = mmap((void *)c->a, c->b * PG, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    return r == MAP_FAILED ? -errno : (long)r;
  }
  case OP_READ: /* a=addr b=npages */
    p = (volatile char *)c->a;
    for (i = 0; i < c->b; i++) sum += p[i * PG];
    return sum;
  case OP_WRITE:
    p = (volatile char *)c->a;
    for (i = 0; i < c->b; i++) p[i * PG + 8] = (char)(i + 1);
    return 0;
  case OP_DONTNEED: return madvise((void *)c->a, c->b * PG, MADV_DONTNEED) ? -errno : 0;
  case OP_MUNMAP: return munmap((void *)c->a, c->b * PG) ? -errno : 0;
  case OP_MREMAP: {
    void *r = mremap((void *)c->a, c->b * PG, c->c * PG, MREMAP_MAYMOVE);
    return r == MAP_FAILED ? -errno : (long)r;
  }
  case OP_MPROTECT: return mprotect((void *)c->a, c->b * PG, (int)c->c) ? -errno : 0;
  case OP_WAIT: { int st; return waitpid((pid_t)c->a, &st, 0); }
  }
  return -1;
}

static void subj_loop(int k);

static long subj_fork(int k) {
  pid_t pid = fork();
  if (pid == 0) subj_loop(k); /* never returns */
  return pid;
}

static void subj_loop(int k) {
  for (;;) {
    cmd_t c;
    if (read(cmd_pipe[k][0], &c, sizeof c) != sizeof c) _exit(1);
    long r;
    if (c.op == OP_EXIT) _exit(0);
    if (c.op == OP_FORK) r = subj_fork((int)c.a);
    else r = subj_exec(&c);
    if (write(ack_pipe[k][1], &r, sizeof r) != sizeof r) _exit(1);
  }
}

/* ----------------------------------------------------------- observer side */
typedef struct { int pid, k; } subj_t;

static long send_cmd(subj_t *s, long op, long a, long b, long c) {
  cmd_t cm = {op, a, b, c};
  if (write(cmd_pipe[s->k][1], &cm, sizeof cm) != sizeof cm) { perror("write"); exit(2); }
  if (op == OP_EXIT) return 0;
  long r;
  if (read(ack_pipe[s->k][0], &r, sizeof r) != sizeof r) { perror("read ack"); exit(2); }
  return r;
}

/* wait until the subject sits in read(2) again (state S), to be safe */
static void settle(int pid) {
  for (int i = 0; i < 2000; i++) {
    pstat_t s = pc_stat(pid);
    if (s.state == 'S') return;
    usleep(500);
  }
}

static void case_begin(subj_t *P) {
  for (int k = 0; k < MAXSUBJ; k++) {
    if (pipe(cmd_pipe[k]) || pipe(ack_pipe[k])) { perror("pipe"); exit(2); }
  }
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    /* exec a fresh copy so the subject shares no anonymous pages with the
     * observer (otherwise the observer's own COW breaks show up in the
     * subject's smaps_rollup) */
    char fds[8][16];
    for (int k = 0; k < MAXSUBJ; k++) {
      snprintf(fds[2 * k], 16, "%d", cmd_pipe[k][0]);
      snprintf(fds[2 * k + 1], 16, "%d", ack_pipe[k][1]);
    }
    execl("/proc/self/exe", "anon_probe", "--subject", fds[0], fds[1], fds[2], fds[3], fds[4],
          fds[5], fds[6], fds[7], (char *)NULL);
    _exit(127);
  }
  P->pid = pid;
  P->k = 0;
  send_cmd(P, OP_NOP, 0, 0, 0); /* warm: the loop's stack etc. already faulted */
}

static void case_end(subj_t *P) {
  send_cmd(P, OP_EXIT, 0, 0, 0);
  waitpid(P->pid, NULL, 0);
  for (int k = 0; k < MAXSUBJ; k++) {
    close(cmd_pipe[k][0]); close(cmd_pipe[k][1]);
    close(ack_pipe[k][0]); close(ack_pipe[k][1]);
  }
}

/* snapshot of one process */
#define MAXPG 4096
typedef struct {
  int pid;
  pstat_t st;
  kv_t vma, roll, status;
  unsigned long vs, ve;
  long np; /* region pages sampled in pagemap */
  uint64_t pm[MAXPG];
} snap_t;

static unsigned long g_addr; /* region under study */
static long g_np;

static void snap(snap_t *s, int pid) {
  s->pid = pid;
  settle(pid);
  s->st = pc_stat(pid);
  s->vma = pc_smaps_vma(pid, g_addr, &s->vs, &s->ve);
  s->roll = pc_rollup(pid);
  s->status = pc_status(pid);
  s->np = g_np;
  if (g_np && pc_pagemap(pid, g_addr, g_np, s->pm)) memset(s->pm, 0, sizeof(uint64_t) * g_np);
}

static const char *VMA_KEYS[] = {"Size", "Rss", "Pss", "Pss_Dirty", "Shared_Clean", "Shared_Dirty",
                                 "Private_Clean", "Private_Dirty", "Referenced", "Anonymous",
                                 "AnonHugePages", "THPeligible", NULL};
static const char *ROLL_KEYS[] = {"Rss", "Pss", "Pss_Dirty", "Pss_Anon", "Pss_File", "Pss_Shmem",
                                  "Shared_Clean", "Shared_Dirty", "Private_Clean", "Private_Dirty",
                                  "Anonymous", "AnonHugePages", NULL};
static const char *STAT_KEYS[] = {"VmRSS", "RssAnon", "RssFile", "RssShmem", NULL};

static void emit_kv(const char *name, const kv_t *a, const kv_t *b, const char **keys) {
  js_open(name, '{');
  for (int i = 0; keys[i]; i++) {
    long va = kv_get(a, keys[i]);
    if (va < 0) continue;
    if (b) { long vb = kv_get(b, keys[i]); js_num(keys[i], va - (vb < 0 ? 0 : vb)); }
    else js_num(keys[i], va);
  }
  js_close('}');
}

typedef struct { long present, excl, file, distinct_pfn; } pmsum_t;
static pmsum_t pm_summary(const snap_t *s) {
  pmsum_t r = {0, 0, 0, 0};
  for (long i = 0; i < s->np; i++) {
    uint64_t e = s->pm[i];
    if (!PM_PRESENT(e)) continue;
    r.present++;
    r.excl += PM_EXCL(e);
    r.file += PM_FILE(e);
    int seen = 0;
    for (long j = 0; j < i; j++)
      if (PM_PRESENT(s->pm[j]) && PM_PFN(s->pm[j]) == PM_PFN(e)) { seen = 1; break; }
    if (!seen) r.distinct_pfn++;
  }
  return r;
}

static long pfn_changed(const snap_t *a, const snap_t *b, long from, long n) {
  long c = 0;
  for (long i = from; i < from + n && i < a->np; i++)
    if (PM_PRESENT(a->pm[i]) && PM_PRESENT(b->pm[i]) && PM_PFN(a->pm[i]) != PM_PFN(b->pm[i])) c++;
  return c;
}
static long pfn_same(const snap_t *a, const snap_t *b, long from, long n) {
  long c = 0;
  for (long i = from; i < from + n && i < a->np; i++)
    if (PM_PRESENT(a->pm[i]) && PM_PRESENT(b->pm[i]) && PM_PFN(a->pm[i]) == PM_PFN(b->pm[i])) c++;
  return c;
}

static void emit_proc(const char *role, const snap_t *after, const snap_t *before) {
  js_open(role, '{');
  js_num("pid", after->pid);
  js_num("minflt", after->st.minflt);
  js_num("majflt", after->st.majflt);
  if (before) {
    js_num("minflt_delta", after->st.minflt - before->st.minflt);
    js_num("majflt_delta", after->st.majflt - before->st.majflt);
  }
  js_num("vma_pages", (long)((after->ve - after->vs) / PG));
  emit_kv("vma", &after->vma, NULL, VMA_KEYS);
  if (before) emit_kv("vma_delta", &after->vma, &before->vma, VMA_KEYS);
  emit_kv("rollup", &after->roll, NULL, ROLL_KEYS);
  if (before) emit_kv("rollup_delta", &after->roll, &before->roll, ROLL_KEYS);
  emit_kv("status", &after->status, NULL, STAT_KEYS);
  if (before) emit_kv("status_delta", &after->status, &before->status, STAT_KEYS);
  pmsum_t ps = pm_summary(after);
  js_open("pagemap", '{');
  js_num("pages", after->np);
  js_num("present", ps.present);
  js_num("exclusive", ps.excl);
  js_num("file_or_shared_anon", ps.file);
  js_num("distinct_pfns", ps.distinct_pfn);
  js_close('}');
  js_close('}');
}

static snap_t S_before[MAXSUBJ], S_after[MAXSUBJ];

/* run one step: snapshot all `who`, send op to `to`, snapshot again, emit */
static long step(const char *label, subj_t **who, const char **roles, int nw, subj_t *to,
                 long op, long a, long b, long c) {
  for (int i = 0; i < nw; i++) snap(&S_before[i], who[i]->pid);
  long r = send_cmd(to, op, a, b, c);
  for (int i = 0; i < nw; i++) snap(&S_after[i], who[i]->pid);
  js_open(NULL, '{');
  js_str("action", label);
  js_num("result", r);
  for (int i = 0; i < nw; i++) emit_proc(roles[i], &S_after[i], &S_before[i]);
  return r;
  /* caller closes the object (so it can add extra fields) */
}
#define STEP_END() js_close('}')

static void emit_meta(int argc, char **argv) {
  struct utsname u;
  uname(&u);
  char cmdline[512] = "";
  for (int i = 0; i < argc; i++) { strcat(cmdline, argv[i]); if (i + 1 < argc) strcat(cmdline, " "); }
  js_open("meta", '{');
  js_str("uname_r", u.release);
  js_str("uname_v", u.version);
  js_str("machine", u.machine);
  js_num("page_size", sysconf(_SC_PAGESIZE));
  char tb[64]; time_t t = time(NULL); strftime(tb, sizeof tb, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
  js_str("date_utc", tb);
  js_str("argv", cmdline);
  const char *files[] = {"/sys/kernel/mm/transparent_hugepage/enabled",
                         "/sys/kernel/mm/transparent_hugepage/defrag",
                         "/sys/kernel/mm/transparent_hugepage/hugepages-2048kB/enabled",
                         "/sys/kernel/mm/transparent_hugepage/hugepages-64kB/enabled",
                         "/sys/kernel/mm/transparent_hugepage/use_zero_page",
                         "/sys/kernel/mm/transparent_hugepage/shmem_enabled",
                         "/proc/sys/vm/overcommit_memory", NULL};
  js_open("sysfs", '{');
  for (int i = 0; files[i]; i++) {
    if (pc_slurp(files[i]) < 0) continue;
    char *nl = strchr(pc_buf, '\n'); if (nl) *nl = 0;
    js_str(files[i], pc_buf);
  }
  js_close('}');
  js_close('}');
}

#define N 100

/* 1 + 2b: private anon, first READ then WRITE over zero page */
static void case_private_read_then_write(void) {
  subj_t P; case_begin(&P);
  subj_t *w[] = {&P}; const char *r[] = {"proc"};
  g_addr = send_cmd(&P, OP_MMAP, N, 0, 0); g_np = N;
  js_open(NULL, '{');
  js_str("id", "private_anon_read_then_write");
  js_num("npages", N);
  js_open("steps", '[');
  step("nop (measurement noise baseline)", w, r, 1, &P, OP_NOP, 0, 0, 0); STEP_END();
  step("first READ of N untouched pages", w, r, 1, &P, OP_READ, g_addr, N, 0); STEP_END();
  step("second READ of the same N pages", w, r, 1, &P, OP_READ, g_addr, N, 0); STEP_END();
  step("WRITE to N pages previously only read (zero page mapped)", w, r, 1, &P, OP_WRITE, g_addr, N, 0);
  js_num("pfn_changed", pfn_changed(&S_before[0], &S_after[0], 0, N)); STEP_END();
  step("second WRITE to the same N pages", w, r, 1, &P, OP_WRITE, g_addr, N, 0); STEP_END();
  js_close(']');
  js_close('}');
  case_end(&P);
}

/* 2a: first WRITE to untouched pages */
static void case_private_first_write(void) {
  subj_t P; case_begin(&P);
  subj_t *w[] = {&P}; const char *r[] = {"proc"};
  g_addr = send_cmd(&P, OP_MMAP, N, 0, 0); g_np = N;
  js_open(NULL, '{');
  js_str("id", "private_anon_first_write");
  js_num("npages", N);
  js_open("steps", '[');
  step("first WRITE to N untouched pages", w, r, 1, &P, OP_WRITE, g_addr, N, 0); STEP_END();
  step("READ of the N written pages", w, r, 1, &P, OP_READ, g_addr, N, 0); STEP_END();
  js_close(']');
  js_close('}');
  case_end(&P);
}

/* THP check: 2 MiB-aligned 4 MiB region, no madvise */
static void case_thp_aligned(void) {
  subj_t P; case_begin(&P);
  subj_t *w[] = {&P}; const char *r[] = {"proc"};
  long n = 1024;
  g_addr = send_cmd(&P, OP_MMAP, n, 0, 1); g_np = n;
  js_open(NULL, '{');
  js_str("id", "thp_2mib_aligned_region_no_madvise");
  js_num("npages", n);
  js_num("addr_mod_2MiB", (long)(g_addr % (2UL << 20)));
  js_open("steps", '[');
  step("first WRITE to all 1024 pages of a 2MiB-aligned 4MiB private anon region", w, r, 1, &P, OP_WRITE, g_addr, n, 0); STEP_END();
  js_close(']');
  js_close('}');
  case_end(&P);
}

/* 3,4,5,6: fork, child read, child write, parent write shared / reuse after exit */
static void case_fork_private(void) {
  subj_t P; case_begin(&P);
  subj_t C = {0, 1};
  g_addr = send_cmd(&P, OP_MMAP, N, 0, 0); g_np = N;
  send_cmd(&P, OP_WRITE, g_addr, N, 0); /* pages dirty & private before fork */
  js_open(NULL, '{');
  js_str("id", "fork_private_anon");
  js_num("npages", N);
  js_str("setup", "parent mmap(N pages, MAP_PRIVATE|MAP_ANONYMOUS) and WRITE all N before fork");
  js_open("steps", '[');
  {
    subj_t *w[] = {&P}; const char *r[] = {"parent"};
    C.pid = (int)step("fork() (child blocks in read(2) right after fork returns)", w, r, 1, &P, OP_FORK, 1, 0, 0);
    snap(&S_after[1], C.pid);
    emit_proc("child", &S_after[1], NULL);
    js_num("parent_child_same_pfn", pfn_same(&S_after[0], &S_after[1], 0, N));
    STEP_END();
  }
  subj_t *w2[] = {&P, &C}; const char *r2[] = {"parent", "child"};
  step("child nop (noise baseline)", w2, r2, 2, &C, OP_NOP, 0, 0, 0); STEP_END();
  step("parent nop (noise baseline)", w2, r2, 2, &P, OP_NOP, 0, 0, 0); STEP_END();
  step("child READS all N shared pages", w2, r2, 2, &C, OP_READ, g_addr, N, 0); STEP_END();
  step("child WRITES one word in each of pages 0..59 (shared)", w2, r2, 2, &C, OP_WRITE, g_addr, 60, 0);
  js_num("child_pfn_changed", pfn_changed(&S_before[1], &S_after[1], 0, 60));
  js_num("parent_pfn_changed", pfn_changed(&S_before[0], &S_after[0], 0, N));
  js_num("parent_child_same_pfn", pfn_same(&S_after[0], &S_after[1], 0, N));
  STEP_END();
  step("parent WRITES pages 0..9 (child already copied them: parent's page now mapped once, PTE still read-only)", w2, r2, 2, &P, OP_WRITE, g_addr, 10, 0);
  js_num("parent_pfn_changed", pfn_changed(&S_before[0], &S_after[0], 0, 10)); STEP_END();
  step("parent WRITES pages 60..69 (still shared with child)", w2, r2, 2, &P, OP_WRITE, g_addr + 60 * PG, 10, 0);
  js_num("parent_pfn_changed", pfn_changed(&S_before[0], &S_after[0], 60, 10));
  js_num("child_pfn_changed", pfn_changed(&S_before[1], &S_after[1], 60, 10));
  js_num("parent_child_same_pfn", pfn_same(&S_after[0], &S_after[1], 0, N));
  STEP_END();
  {
    subj_t *w[] = {&P}; const char *r[] = {"parent"};
    send_cmd(&C, OP_EXIT, 0, 0, 0);
    step("parent waitpid(child) after child _exit", w, r, 1, &P, OP_WAIT, C.pid, 0, 0); STEP_END();
    step("parent WRITES pages 70..99 (had been shared; child gone -> reuse)", w, r, 1, &P, OP_WRITE, g_addr + 70 * PG, 30, 0);
    js_num("parent_pfn_changed", pfn_changed(&S_before[0], &S_after[0], 70, 30)); STEP_END();
    step("parent WRITES pages 70..99 again", w, r, 1, &P, OP_WRITE, g_addr + 70 * PG, 30, 0); STEP_END();
  }
  js_close(']');
  js_close('}');
  case_end(&P);
}

/* fork where the region was only READ (zero page) or never touched before fork */
static void case_fork_zero_and_untouched(void) {
  subj_t P; case_begin(&P);
  subj_t C = {0, 1};
  g_addr = send_cmd(&P, OP_MMAP, N, 0, 0); g_np = N;
  send_cmd(&P, OP_READ, g_addr, 50, 0); /* pages 0..49 -> zero page; 50..99 untouched */
  js_open(NULL, '{');
  js_str("id", "fork_private_anon_zero_page_and_untouched");
  js_num("npages", N);
  js_str("setup", "parent READ pages 0..49 (zero page), pages 50..99 never touched, then fork");
  js_open("steps", '[');
  {
    subj_t *w[] = {&P}; const char *r[] = {"parent"};
    C.pid = (int)step("fork()", w, r, 1, &P, OP_FORK, 1, 0, 0);
    snap(&S_after[1], C.pid);
    emit_proc("child", &S_after[1], NULL);
    STEP_END();
  }
  subj_t *w2[] = {&P, &C}; const char *r2[] = {"parent", "child"};
  step("child nop (noise baseline)", w2, r2, 2, &C, OP_NOP, 0, 0, 0); STEP_END();
  step("parent nop (noise baseline)", w2, r2, 2, &P, OP_NOP, 0, 0, 0); STEP_END();
  step("child READS pages 0..49 (parent had mapped the zero page there)", w2, r2, 2, &C, OP_READ, g_addr, 50, 0); STEP_END();
  step("child READS pages 50..99 (never touched)", w2, r2, 2, &C, OP_READ, g_addr + 50 * PG, 50, 0); STEP_END();
  step("child WRITES pages 0..99", w2, r2, 2, &C, OP_WRITE, g_addr, N, 0); STEP_END();
  send_cmd(&C, OP_EXIT, 0, 0, 0);
  send_cmd(&P, OP_WAIT, C.pid, 0, 0);
  js_close(']');
  js_close('}');
  case_end(&P);
}

/* 7: MAP_SHARED|MAP_ANONYMOUS */
static void case_shared_anon(void) {
  subj_t P; case_begin(&P);
  subj_t C = {0, 1};
  long n = 64;
  unsigned long A = send_cmd(&P, OP_MMAP, n, 1, 0);
  unsigned long B = send_cmd(&P, OP_MMAP, n, 1, 0);
  js_open(NULL, '{');
  js_str("id", "shared_anon");
  js_num("npages", n);
  js_str("setup", "two MAP_SHARED|MAP_ANONYMOUS regions A and B of 64 pages each");
  js_open("steps", '[');
  subj_t *w[] = {&P}; const char *r[] = {"parent"};
  g_addr = A; g_np = n;
  step("region A: first READ of 64 untouched pages", w, r, 1, &P, OP_READ, A, n, 0); STEP_END();
  step("region A: WRITE 64 pages previously read", w, r, 1, &P, OP_WRITE, A, n, 0); STEP_END();
  g_addr = B;
  step("region B: first WRITE of 64 untouched pages", w, r, 1, &P, OP_WRITE, B, n, 0); STEP_END();
  C.pid = (int)step("fork()", w, r, 1, &P, OP_FORK, 1, 0, 0);
  snap(&S_after[1], C.pid);
  emit_proc("child", &S_after[1], NULL);
  STEP_END();
  subj_t *w2[] = {&P, &C}; const char *r2[] = {"parent", "child"};
  g_addr = A;
  step("child nop (noise baseline)", w2, r2, 2, &C, OP_NOP, 0, 0, 0); STEP_END();
  step("parent nop (noise baseline)", w2, r2, 2, &P, OP_NOP, 0, 0, 0); STEP_END();
  step("child READS region A (64 pages, present in the shmem page cache)", w2, r2, 2, &C, OP_READ, A, n, 0); STEP_END();
  step("child WRITES region A (already mapped by the read)", w2, r2, 2, &C, OP_WRITE, A, n, 0);
  js_num("parent_child_same_pfn", pfn_same(&S_after[0], &S_after[1], 0, n)); STEP_END();
  g_addr = B;
  step("child WRITES region B (64 pages, not yet mapped in child)", w2, r2, 2, &C, OP_WRITE, B, n, 0);
  js_num("parent_child_same_pfn", pfn_same(&S_after[0], &S_after[1], 0, n)); STEP_END();
  send_cmd(&C, OP_EXIT, 0, 0, 0);
  send_cmd(&P, OP_WAIT, C.pid, 0, 0);
  js_close(']');
  js_close('}');
  case_end(&P);
}

/* 8: MADV_DONTNEED */
static void case_dontneed(void) {
  subj_t P; case_begin(&P);
  subj_t *w[] = {&P}; const char *r[] = {"proc"};
  g_addr = send_cmd(&P, OP_MMAP, N, 0, 0); g_np = N;
  send_cmd(&P, OP_WRITE, g_addr, N, 0);
  js_open(NULL, '{');
  js_str("id", "madv_dontneed");
  js_num("npages", N);
  js_str("setup", "private anon N pages, all written");
  js_open("steps", '[');
  step("madvise(MADV_DONTNEED) all N written pages", w, r, 1, &P, OP_DONTNEED, g_addr, N, 0); STEP_END();
  step("re-READ N pages", w, r, 1, &P, OP_READ, g_addr, N, 0); STEP_END();
  step("WRITE N pages (zero page mapped)", w, r, 1, &P, OP_WRITE, g_addr, N, 0); STEP_END();
  step("madvise(MADV_DONTNEED) again", w, r, 1, &P, OP_DONTNEED, g_addr, N, 0); STEP_END();
  step("re-WRITE N pages directly", w, r, 1, &P, OP_WRITE, g_addr, N, 0); STEP_END();
  js_close(']');
  js_close('}');
  case_end(&P);
}

/* 9: munmap part, mremap grow (forced move) */
static void case_munmap_mremap(void) {
  subj_t P; case_begin(&P);
  subj_t *w[] = {&P}; const char *r[] = {"proc"};
  g_addr = send_cmd(&P, OP_MMAP, N, 0, 0); g_np = 60;
  send_cmd(&P, OP_WRITE, g_addr, N, 0);
  js_open(NULL, '{');
  js_str("id", "munmap_mremap");
  js_num("npages", N);
  js_str("setup", "private anon N=100 pages, all written");
  js_open("steps", '[');
  step("munmap the last 40 pages", w, r, 1, &P, OP_MUNMAP, g_addr + 60 * PG, 40, 0); STEP_END();
  long blk = send_cmd(&P, OP_MMAP_AT, g_addr + 60 * PG, 1, 0); /* blocker forces a move */
  unsigned long old = g_addr;
  snap(&S_before[0], P.pid);
  long na = send_cmd(&P, OP_MREMAP, old, 60, 200);
  g_addr = na; g_np = 60;
  snap(&S_after[0], P.pid);
  js_open(NULL, '{');
  js_str("action", "mremap(60 pages -> 200 pages, MREMAP_MAYMOVE) with a blocker VMA right after it (forced move)");
  js_num("blocker_ok", blk == (long)(old + 60 * PG));
  js_bool("moved", na != (long)old);
  emit_proc("proc", &S_after[0], &S_before[0]);
  js_num("pfn_changed_by_move", pfn_changed(&S_before[0], &S_after[0], 0, 60));
  STEP_END();
  step("READ the 60 moved pages", w, r, 1, &P, OP_READ, g_addr, 60, 0); STEP_END();
  step("WRITE the 60 moved pages", w, r, 1, &P, OP_WRITE, g_addr, 60, 0); STEP_END();
  step("WRITE the 140 new pages of the grown region", w, r, 1, &P, OP_WRITE, g_addr + 60 * PG, 140, 0); STEP_END();
  js_close(']');
  js_close('}');
  case_end(&P);
}

/* 10: Pss rounding with 3 sharers; VMAs of 1..7 pages */
static long kpagecount(uint64_t pfn) {
  static int fd = -1;
  if (fd < 0) fd = open("/proc/kpagecount", O_RDONLY);
  uint64_t c;
  if (pread(fd, &c, 8, pfn * 8) != 8) return -1;
  return (long)c;
}

/* exact rollup Pss computed from pagemap + kpagecount, in fixed point (bytes<<12) */
static uint64_t exact_pss_fp(int pid, uint64_t zero_pfn, long *pages_out) {
  static char maps[1 << 16];
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/maps", pid);
  if (pc_slurp(path) < 0) return 0;
  strcpy(maps, pc_buf);
  uint64_t fp = 0;
  long pages = 0;
  static uint64_t pm[1 << 16];
  for (char *p = maps; *p;) {
    unsigned long s, e;
    char *nl = strchr(p, '\n');
    if (nl) *nl = 0; /* restrict the name checks to this line */
    if (sscanf(p, "%lx-%lx", &s, &e) == 2 && !strstr(p, "[vvar") && !strstr(p, "[vsyscall]")) {
      long n = (e - s) / PG;
      for (long off = 0; off < n; off += 65536) {
        long m = n - off < 65536 ? n - off : 65536;
        if (pc_pagemap(pid, s + off * PG, m, pm)) continue;
        for (long i = 0; i < m; i++) {
          if (!PM_PRESENT(pm[i])) continue;
          uint64_t pfn = PM_PFN(pm[i]);
          if (pfn == zero_pfn) continue;
          long mc = kpagecount(pfn);
          if (mc < 1) mc = 1;
          fp += mc >= 2 ? (PG << 12) / mc : (PG << 12);
          pages++;
        }
      }
    }
    if (!nl) break;
    p = nl + 1;
  }
  *pages_out = pages;
  return fp;
}

static void case_pss_three(void) {
  subj_t P; case_begin(&P);
  subj_t C1 = {0, 1}, C2 = {0, 2};
  /* layout: [1 page][sep][2][sep]...[7][sep] ; sep = PROT_READ page splits VMAs */
  long total = 0;
  for (int k = 1; k <= 7; k++) total += k + 1;
  unsigned long base = send_cmd(&P, OP_MMAP, total, 0, 0);
  unsigned long vstart[8];
  unsigned long a = base;
  for (int k = 1; k <= 7; k++) {
    vstart[k] = a;
    send_cmd(&P, OP_WRITE, a, k, 0);
    send_cmd(&P, OP_MPROTECT, a + k * PG, 1, PROT_READ);
    a += (k + 1) * PG;
  }
  /* zero page pfn: read a separator page in P */
  send_cmd(&P, OP_READ, vstart[1] + PG, 1, 0);
  uint64_t zpm;
  pc_pagemap(P.pid, vstart[1] + PG, 1, &zpm);
  uint64_t zero_pfn = PM_PFN(zpm);
  g_np = 0;
  js_open(NULL, '{');
  js_str("id", "pss_rounding_three_sharers");
  js_str("setup", "7 private anon VMAs of 1..7 written pages (split by 1-page PROT_READ separators); fork 2 children -> every page mapped by 3 processes");
  C1.pid = (int)send_cmd(&P, OP_FORK, 1, 0, 0);
  C2.pid = (int)send_cmd(&P, OP_FORK, 2, 0, 0);
  settle(C1.pid); settle(C2.pid); settle(P.pid);
  js_open("per_vma", '[');
  subj_t *who[] = {&P, &C1, &C2};
  const char *names[] = {"parent", "child1", "child2"};
  for (int k = 1; k <= 7; k++) {
    js_open(NULL, '{');
    js_num("pages", k);
    unsigned long fp = (unsigned long)k * ((PG << 12) / 3);
    js_num("formula_pss_bytes_fixedpoint_shift12", fp);
    js_num("formula_pss_kB_truncated", (long)((fp >> 12) >> 10));
    js_dbl("exact_pss_kB", k * 4.0 / 3.0);
    for (int i = 0; i < 3; i++) {
      unsigned long vs, ve;
      kv_t kv = pc_smaps_vma(who[i]->pid, vstart[k], &vs, &ve);
      js_open(names[i], '{');
      js_num("vma_pages", (long)((ve - vs) / PG));
      js_num("Rss", kv_get(&kv, "Rss"));
      js_num("Pss", kv_get(&kv, "Pss"));
      js_num("Pss_Dirty", kv_get(&kv, "Pss_Dirty"));
      js_num("Shared_Dirty", kv_get(&kv, "Shared_Dirty"));
      js_num("Private_Dirty", kv_get(&kv, "Private_Dirty"));
      js_close('}');
    }
    js_close('}');
  }
  js_close(']');
  /* rollup vs exact fixed-point sum and vs sum of per-VMA truncated values */
  js_open("rollup_check", '[');
  for (int i = 0; i < 3; i++) {
    int pid = who[i]->pid;
    for (int attempt = 0; attempt < 5; attempt++) {
      long pages;
      uint64_t fp1 = exact_pss_fp(pid, zero_pfn, &pages);
      kv_t roll = pc_rollup(pid);
      uint64_t fp2 = exact_pss_fp(pid, zero_pfn, &pages);
      if (fp1 != fp2 && attempt < 4) continue; /* mapcount changed while sampling */
      /* sum of per-VMA truncated Pss over all VMAs */
      char path[64]; snprintf(path, sizeof path, "/proc/%d/smaps", pid);
      pc_slurp(path);
      long sum_vma = 0;
      for (char *p = pc_buf; (p = strstr(p, "\nPss:")); p += 5) sum_vma += strtol(p + 5, NULL, 10);
      js_open(NULL, '{');
      js_str("role", names[i]);
      js_num("present_normal_pages", pages);
      js_num("exact_fixedpoint_sum", (long)fp1);
      js_num("predicted_rollup_Pss_kB", (long)((fp1 >> 12) >> 10));
      js_num("rollup_Pss_kB", kv_get(&roll, "Pss"));
      js_num("sum_of_per_vma_Pss_kB", sum_vma);
      js_num("rollup_Rss_kB", kv_get(&roll, "Rss"));
      js_num("attempt", attempt);
      js_bool("stable", fp1 == fp2);
      js_close('}');
      break;
    }
  }
  js_close(']');
  js_close('}');
  send_cmd(&C1, OP_EXIT, 0, 0, 0);
  send_cmd(&C2, OP_EXIT, 0, 0, 0);
  send_cmd(&P, OP_WAIT, C1.pid, 0, 0);
  send_cmd(&P, OP_WAIT, C2.pid, 0, 0);
  case_end(&P);
}

int main(int argc, char **argv) {
  if (argc == 10 && !strcmp(argv[1], "--subject")) {
    for (int k = 0; k < MAXSUBJ; k++) {
      cmd_pipe[k][0] = atoi(argv[2 + 2 * k]);
      ack_pipe[k][1] = atoi(argv[3 + 2 * k]);
    }
    subj_loop(0);
  }
  signal(SIGPIPE, SIG_IGN);
  js_open(NULL, '{');
  emit_meta(argc, argv);
  js_open("cases", '[');
  case_private_read_then_write();
  case_private_first_write();
  case_thp_aligned();
  case_fork_private();
  case_fork_zero_and_untouched();
  case_shared_anon();
  case_dontneed();
  case_munmap_mremap();
  case_pss_three();
  js_close(']');
  js_close('}');
  putchar('\n');
  return 0;
}
