/* Shared helpers for the kernel accounting probes (cowsim).
 * Observer-side readers of /proc/PID/{stat,status,smaps,smaps_rollup,pagemap}
 * and a tiny JSON emitter. All buffers are static: the observer is never the
 * process being measured, so its own faults do not matter anyway. */
#ifndef COWSIM_PROBE_COMMON_H
#define COWSIM_PROBE_COMMON_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PG 4096UL

static char pc_buf[1 << 20];

static ssize_t pc_slurp(const char *path) {
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  ssize_t tot = 0, r;
  while ((r = read(fd, pc_buf + tot, sizeof(pc_buf) - 1 - tot)) > 0) tot += r;
  close(fd);
  pc_buf[tot] = 0;
  return tot;
}

/* /proc/PID/stat: field 10 = minflt, field 12 = majflt (1-based, man 5 proc). */
typedef struct { long minflt, majflt; char state; } pstat_t;

static pstat_t pc_stat(int pid) {
  pstat_t s = {-1, -1, '?'};
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/stat", pid);
  if (pc_slurp(path) < 0) return s;
  char *p = strrchr(pc_buf, ')'); /* comm may contain spaces */
  if (!p) return s;
  p += 2;                      /* now at field 3 (state) */
  s.state = *p;
  int field = 3;
  while (*p && field < 12) {
    if (*p == ' ') {
      field++;
      if (field == 10) s.minflt = strtol(p + 1, NULL, 10);
      if (field == 12) s.majflt = strtol(p + 1, NULL, 10);
    }
    p++;
  }
  return s;
}

/* Key/value "Name:   123 kB" blocks. */
#define MAXKV 48
typedef struct { int n; char key[MAXKV][24]; long val[MAXKV]; } kv_t;

static long kv_get(const kv_t *kv, const char *k) {
  for (int i = 0; i < kv->n; i++)
    if (!strcmp(kv->key[i], k)) return kv->val[i];
  return -1;
}

static void kv_parse_block(const char *start, const char *end, kv_t *kv) {
  kv->n = 0;
  const char *p = start;
  while (p < end && *p) {
    const char *nl = strchr(p, '\n');
    if (!nl) nl = p + strlen(p);
    const char *colon = memchr(p, ':', nl - p);
    /* skip header lines (they contain '-' address ranges before any colon-key) */
    if (colon && colon - p < 23 && kv->n < MAXKV) {
      int isheader = 0;
      for (const char *q = p; q < colon; q++)
        if (*q == ' ' || *q == '-') isheader = 1;
      if (!isheader) {
        memcpy(kv->key[kv->n], p, colon - p);
        kv->key[kv->n][colon - p] = 0;
        kv->val[kv->n] = strtol(colon + 1, NULL, 10);
        kv->n++;
      }
    }
    p = (*nl) ? nl + 1 : nl;
  }
}

static kv_t pc_rollup(int pid) {
  kv_t kv = {0};
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/smaps_rollup", pid);
  if (pc_slurp(path) < 0) return kv;
  kv_parse_block(pc_buf, pc_buf + strlen(pc_buf), &kv);
  return kv;
}

static kv_t pc_status(int pid) {
  kv_t kv = {0};
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/status", pid);
  if (pc_slurp(path) < 0) return kv;
  /* only keep the few memory lines we care about */
  kv_t all = {0};
  const char *p = pc_buf;
  while (*p) {
    const char *nl = strchr(p, '\n');
    if (!nl) nl = p + strlen(p);
    if (!strncmp(p, "VmRSS:", 6) || !strncmp(p, "RssAnon:", 8) ||
        !strncmp(p, "RssFile:", 8) || !strncmp(p, "RssShmem:", 9)) {
      const char *colon = strchr(p, ':');
      memcpy(all.key[all.n], p, colon - p);
      all.key[all.n][colon - p] = 0;
      all.val[all.n] = strtol(colon + 1, NULL, 10);
      all.n++;
    }
    p = (*nl) ? nl + 1 : nl;
  }
  kv = all;
  return kv;
}

/* smaps entry of the VMA containing addr; vma_start/vma_end returned too. */
__attribute__((unused)) static kv_t pc_smaps_vma(int pid, unsigned long addr, unsigned long *vs, unsigned long *ve) {
  kv_t kv = {0};
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/smaps", pid);
  if (pc_slurp(path) < 0) return kv;
  char *p = pc_buf;
  while (*p) {
    unsigned long s, e;
    if (sscanf(p, "%lx-%lx ", &s, &e) == 2 && strchr(p, '\n') &&
        memchr(p, '-', strchr(p, '\n') - p) && (p == pc_buf || p[-1] == '\n')) {
      char *hdr_end = strchr(p, '\n');
      char *dash = memchr(p, '-', hdr_end - p);
      int is_header = 1;
      for (char *q = p; q < dash; q++)
        if (!((*q >= '0' && *q <= '9') || (*q >= 'a' && *q <= 'f'))) is_header = 0;
      if (is_header && addr >= s && addr < e) {
        /* block runs until next header line */
        char *q = hdr_end + 1, *blk_end = q;
        while (*blk_end) {
          unsigned long s2, e2;
          if (sscanf(blk_end, "%lx-%lx ", &s2, &e2) == 2) {
            char *d2 = strchr(blk_end, '-');
            int h = 1;
            for (char *r = blk_end; r < d2; r++)
              if (!((*r >= '0' && *r <= '9') || (*r >= 'a' && *r <= 'f'))) h = 0;
            if (h) break;
          }
          char *nl = strchr(blk_end, '\n');
          if (!nl) { blk_end += strlen(blk_end); break; }
          blk_end = nl + 1;
        }
        kv_parse_block(q, blk_end, &kv);
        if (vs) *vs = s;
        if (ve) *ve = e;
        return kv;
      }
    }
    char *nl = strchr(p, '\n');
    if (!nl) break;
    p = nl + 1;
  }
  return kv;
}

/* pagemap: bit63 present, bit62 swapped, bit61 file-page/shared-anon,
 * bit56 exclusively mapped, bits0-54 PFN (root only). */
__attribute__((unused)) static int pc_pagemap(int pid, unsigned long addr, long npages, uint64_t *out) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/pagemap", pid);
  int fd = open(path, O_RDONLY);
  if (fd < 0) return -1;
  ssize_t r = pread(fd, out, npages * 8, (addr / PG) * 8);
  close(fd);
  return r == npages * 8 ? 0 : -1;
}
#define PM_PRESENT(x) (((x) >> 63) & 1)
#define PM_FILE(x) (((x) >> 61) & 1)
#define PM_EXCL(x) (((x) >> 56) & 1)
#define PM_PFN(x) ((x) & ((1ULL << 55) - 1))

/* ---------- JSON emitter (minimal) ---------- */
static int js_first[64];
static int js_depth;
static void js_sep(void) {
  if (js_depth > 0) {
    if (!js_first[js_depth]) putchar(',');
    js_first[js_depth] = 0;
  }
}
static void js_key(const char *k) { js_sep(); printf("\"%s\":", k); js_first[js_depth] = 0; }
static void js_open(const char *k, char c) {
  if (k) { js_key(k); } else js_sep();
  putchar(c);
  js_depth++;
  js_first[js_depth] = 1;
}
static void js_close(char c) { putchar(c); js_depth--; }
static void js_str_raw(const char *s) {
  putchar('"');
  for (; *s; s++) {
    if (*s == '"' || *s == '\\') { putchar('\\'); putchar(*s); }
    else if (*s == '\n') fputs("\\n", stdout);
    else putchar(*s);
  }
  putchar('"');
}
static void js_str(const char *k, const char *v) {
  if (k) { js_sep(); printf("\"%s\":", k); } else js_sep();
  js_str_raw(v);
}
static void js_num(const char *k, long v) {
  if (k) { js_sep(); printf("\"%s\":%ld", k, v); } else { js_sep(); printf("%ld", v); }
}
__attribute__((unused)) static void js_dbl(const char *k, double v) { js_sep(); printf("\"%s\":%.4f", k, v); }
__attribute__((unused)) static void js_bool(const char *k, int v) { js_sep(); printf("\"%s\":%s", k, v ? "true" : "false"); }

#endif
