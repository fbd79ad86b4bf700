/* py_probe.c - reference baseline of a real CPython process (cowsim).
 * For each interpreter given on the command line: start it with a tiny
 * script, and while it is blocked on stdin read its /proc/PID/{stat,
 * smaps_rollup,status} from outside (so measuring does not perturb it).
 * Then let it fork(); the child blocks in os.read() right after fork and we
 * read the child's minflt (fields 10/12 of /proc/PID/stat) and rollup, plus
 * the parent's minflt/rollup deltas across the fork.
 * Build: gcc -O1 -o py_probe py_probe.c ; run: py_probe /path/python3.11 ... */
#include "probe_common.h"

#include <signal.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>

static const char *SCRIPT =
    "import os, sys\n"
    "sys.stdout.write('ready %d\\n' % os.getpid()); sys.stdout.flush()\n"
    "sys.stdin.readline()\n"
    "r, w = os.pipe()\n"
    "pid = os.fork()\n"
    "if pid == 0:\n"
    "    os.read(r, 1)\n"
    "    os._exit(0)\n"
    "sys.stdout.write('forked %d\\n' % pid); sys.stdout.flush()\n"
    "sys.stdin.readline()\n"
    "os.write(w, b'x')\n"
    "os.waitpid(pid, 0)\n";

static const char *ROLL_KEYS[] = {"Rss", "Pss", "Pss_Dirty", "Pss_Anon", "Pss_File", "Pss_Shmem",
                                  "Shared_Clean", "Shared_Dirty", "Private_Clean", "Private_Dirty",
                                  "Anonymous", "AnonHugePages", NULL};

/* blocked (S) and minflt unchanged over several polls */
static void quiesce(int pid) {
  long last = -1;
  int stable = 0;
  for (int i = 0; i < 400 && stable < 4; i++) {
    pstat_t s = pc_stat(pid);
    if (s.state == 'S' && s.minflt == last) stable++;
    else stable = 0;
    last = s.minflt;
    usleep(20000);
  }
}

static void emit_roll(const char *name, const kv_t *a, const kv_t *b) {
  js_open(name, '{');
  for (int i = 0; ROLL_KEYS[i]; i++) {
    long va = kv_get(a, ROLL_KEYS[i]);
    if (va < 0) continue;
    js_num(ROLL_KEYS[i], b ? va - kv_get(b, ROLL_KEYS[i]) : va);
  }
  js_close('}');
}

/* Private_Dirty / Rss / Anonymous per mapping name (anonymous VMAs -> "[anon]"),
 * only names with Rss >= 64 kB, to show where the anonymous memory lives */
static void emit_by_mapping(int pid) {
  static char names[256][128];
  static long pd[256], rss[256], anon[256];
  int n = 0;
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/smaps", pid);
  if (pc_slurp(path) < 0) return;
  int cur = -1;
  for (char *p = pc_buf; *p;) {
    char *nl = strchr(p, '\n');
    if (nl) *nl = 0;
    unsigned long s, e;
    char perms[8];
    int off = 0;
    if (sscanf(p, "%lx-%lx %7s %*s %*s %*s%n", &s, &e, perms, &off) == 3 && off > 0) {
      char *nm = p + off;
      while (*nm == ' ') nm++;
      if (!*nm) nm = "[anon]";
      cur = -1;
      for (int i = 0; i < n; i++) if (!strcmp(names[i], nm)) cur = i;
      if (cur < 0 && n < 256) { cur = n++; snprintf(names[cur], 128, "%s", nm); pd[cur] = rss[cur] = anon[cur] = 0; }
    } else if (cur >= 0) {
      if (!strncmp(p, "Private_Dirty:", 14)) pd[cur] += strtol(p + 14, NULL, 10);
      else if (!strncmp(p, "Rss:", 4)) rss[cur] += strtol(p + 4, NULL, 10);
      else if (!strncmp(p, "Anonymous:", 10)) anon[cur] += strtol(p + 10, NULL, 10);
    }
    if (!nl) break;
    p = nl + 1;
  }
  js_open("by_mapping", '[');
  for (int i = 0; i < n; i++) {
    if (rss[i] < 64) continue;
    js_open(NULL, '{');
    js_str("name", names[i]);
    js_num("Rss", rss[i]);
    js_num("Private_Dirty", pd[i]);
    js_num("Anonymous", anon[i]);
    js_close('}');
  }
  js_close(']');
}

static int read_line(FILE *f, char *buf, int n) { return fgets(buf, n, f) != NULL; }

static void probe(const char *py) {
  int in[2], out[2];
  if (pipe(in) || pipe(out)) exit(2);
  fflush(stdout);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in[0], 0); dup2(out[1], 1);
    close(in[1]); close(out[0]);
    execl(py, py, "-c", SCRIPT, (char *)NULL);
    _exit(127);
  }
  close(in[0]); close(out[1]);
  FILE *fo = fdopen(out[0], "r");
  char line[256];
  js_open(NULL, '{');
  js_str("interpreter", py);
  if (!read_line(fo, line, sizeof line)) { js_str("error", "no ready line"); js_close('}'); return; }
  quiesce(pid);
  pstat_t s0 = pc_stat(pid);
  kv_t r0 = pc_rollup(pid), st0 = pc_status(pid);
  js_open("after_start", '{');
  js_num("minflt", s0.minflt);
  js_num("majflt", s0.majflt);
  emit_roll("rollup", &r0, NULL);
  js_num("status_RssAnon", kv_get(&st0, "RssAnon"));
  js_num("status_RssFile", kv_get(&st0, "RssFile"));
  emit_by_mapping(pid);
  js_close('}');
  if (write(in[1], "\n", 1) != 1) exit(2);
  if (!read_line(fo, line, sizeof line)) { js_str("error", "no forked line"); js_close('}'); return; }
  int cpid = atoi(line + 7);
  quiesce(cpid);
  quiesce(pid);
  pstat_t s1 = pc_stat(pid), c1 = pc_stat(cpid);
  kv_t r1 = pc_rollup(pid), cr1 = pc_rollup(cpid);
  js_open("parent_after_fork", '{');
  js_num("minflt_delta", s1.minflt - s0.minflt);
  js_num("majflt_delta", s1.majflt - s0.majflt);
  emit_roll("rollup", &r1, NULL);
  emit_roll("rollup_delta", &r1, &r0);
  js_close('}');
  js_open("child_blocked_right_after_fork", '{');
  js_str("child_code_after_fork", "if pid == 0: os.read(r, 1)  (blocks)");
  js_num("minflt", c1.minflt);
  js_num("majflt", c1.majflt);
  emit_roll("rollup", &cr1, NULL);
  emit_by_mapping(cpid);
  js_close('}');
  if (write(in[1], "\n", 1) != 1) exit(2);
  int st;
  waitpid(pid, &st, 0);
  js_num("exit_status", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
  js_close('}');
  fclose(fo);
  close(in[1]);
}

int main(int argc, char **argv) {
  signal(SIGPIPE, SIG_IGN);
  struct utsname u;
  uname(&u);
  js_open(NULL, '{');
  js_open("meta", '{');
  js_str("uname_r", u.release);
  char tb[64]; time_t t = time(NULL); strftime(tb, sizeof tb, "%Y-%m-%dT%H:%M:%SZ", gmtime(&t));
  js_str("date_utc", tb);
  js_str("script", SCRIPT);
  js_close('}');
  js_open("runs", '[');
  for (int i = 1; i < argc; i++) probe(argv[i]);
  js_close(']');
  js_close('}');
  putchar('\n');
  return 0;
}
