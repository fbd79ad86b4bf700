// Assemble test/fixtures/kernel-probes.json from the raw probe outputs.
// usage: node assemble.mjs anon.json py.json "<command>"
// "summary" is derived mechanically from the raw data below it (no typed-in figures).
import { readFileSync } from "node:fs";

const [anonPath, pyPath, command] = process.argv.slice(2);
const anon = JSON.parse(readFileSync(anonPath, "utf8"));
const py = JSON.parse(readFileSync(pyPath, "utf8"));

const kase = (id) => {
  const c = anon.cases.find((x) => x.id === id);
  if (!c) throw new Error(`missing case ${id}`);
  return c;
};
const step = (id, prefix) => {
  const s = kase(id).steps.find((x) => x.action.startsWith(prefix));
  if (!s) throw new Error(`missing step ${id} / ${prefix}`);
  return s;
};
const pick = (o, keys) => Object.fromEntries(keys.filter((k) => o && k in o).map((k) => [k, o[k]]));
const VK = ["Rss", "Pss", "Pss_Dirty", "Shared_Clean", "Shared_Dirty", "Private_Clean", "Private_Dirty", "Anonymous", "Referenced"];
// compact view of one process in one step
const view = (p) =>
  p && {
    minflt_delta: p.minflt_delta,
    majflt_delta: p.majflt_delta,
    vma_after_kB: pick(p.vma, VK),
    ...(p.vma_delta ? { vma_delta_kB: pick(p.vma_delta, VK) } : {}),
    pagemap: p.pagemap,
  };
const extra = (s) => Object.fromEntries(Object.entries(s).filter(([k, v]) => typeof v === "number" || typeof v === "boolean"));
const sv = (id, prefix, roles) => {
  const s = step(id, prefix);
  const o = { action: s.action, ...extra(s) };
  for (const r of roles) if (s[r]) o[r] = view(s[r]);
  return o;
};
const P = ["proc"];
const PC = ["parent", "child"];

const summary = {
  note: "Derived mechanically from anon_probe/python below; sizes in kB, faults are minflt deltas read from /proc/PID/stat field 10. 'nop' steps measure the probe loop's own noise.",
  private_anon: {
    npages: kase("private_anon_read_then_write").npages,
    noise_nop: sv("private_anon_read_then_write", "nop", P),
    first_read: sv("private_anon_read_then_write", "first READ", P),
    second_read: sv("private_anon_read_then_write", "second READ", P),
    write_after_read_zero_page: sv("private_anon_read_then_write", "WRITE to N pages previously", P),
    second_write: sv("private_anon_read_then_write", "second WRITE", P),
    first_write_untouched: sv("private_anon_first_write", "first WRITE", P),
  },
  thp_2mib_aligned_no_madvise: (() => {
    const s = step("thp_2mib_aligned_region_no_madvise", "first WRITE");
    return {
      npages: kase("thp_2mib_aligned_region_no_madvise").npages,
      addr_mod_2MiB: kase("thp_2mib_aligned_region_no_madvise").addr_mod_2MiB,
      minflt_delta: s.proc.minflt_delta,
      AnonHugePages_kB: s.proc.vma.AnonHugePages,
      THPeligible: s.proc.vma.THPeligible,
      Rss_kB: s.proc.vma.Rss,
    };
  })(),
  fork_private_anon: (() => {
    const id = "fork_private_anon";
    const f = step(id, "fork()");
    return {
      setup: kase(id).setup,
      npages: kase(id).npages,
      fork: {
        parent: view(f.parent),
        child_right_after_fork: { minflt: f.child.minflt, majflt: f.child.majflt, vma_kB: pick(f.child.vma, VK), pagemap: f.child.pagemap },
        parent_child_same_pfn: f.parent_child_same_pfn,
      },
      child_nop: sv(id, "child nop", PC),
      parent_nop: sv(id, "parent nop", PC),
      child_reads_all: sv(id, "child READS all", PC),
      child_writes_60: sv(id, "child WRITES one word", PC),
      parent_writes_10_already_copied_by_child: sv(id, "parent WRITES pages 0..9", PC),
      parent_writes_10_still_shared: sv(id, "parent WRITES pages 60..69", PC),
      after_child_exit: sv(id, "parent waitpid", ["parent"]),
      parent_writes_30_after_child_exit: sv(id, "parent WRITES pages 70..99 (had", ["parent"]),
      parent_writes_30_again: sv(id, "parent WRITES pages 70..99 again", ["parent"]),
    };
  })(),
  fork_zero_page_and_untouched: (() => {
    const id = "fork_private_anon_zero_page_and_untouched";
    const f = step(id, "fork()");
    return {
      setup: kase(id).setup,
      child_right_after_fork: { minflt: f.child.minflt, vma_kB: pick(f.child.vma, VK), pagemap: f.child.pagemap },
      child_nop: sv(id, "child nop", ["child"]),
      child_reads_zero_page_range_50: sv(id, "child READS pages 0..49", ["child"]),
      child_reads_untouched_50: sv(id, "child READS pages 50..99", ["child"]),
      child_writes_100: sv(id, "child WRITES pages 0..99", ["child"]),
    };
  })(),
  shared_anon: (() => {
    const id = "shared_anon";
    const f = step(id, "fork()");
    const roll = (p) => p && pick(p.rollup_delta, ["Rss", "Pss", "Pss_Anon", "Pss_Shmem", "Anonymous"]);
    const st = (p) => p && p.status_delta;
    const a = step(id, "region A: first READ");
    return {
      setup: kase(id).setup,
      npages: kase(id).npages,
      first_read: { ...sv(id, "region A: first READ", ["parent"]), rollup_delta_kB: roll(a.parent), status_delta_kB: st(a.parent) },
      write_after_read: sv(id, "region A: WRITE", ["parent"]),
      first_write: sv(id, "region B: first WRITE", ["parent"]),
      fork: { parent: view(f.parent), child_right_after_fork: { minflt: f.child.minflt, vma_kB: pick(f.child.vma, VK) } },
      child_nop: sv(id, "child nop", PC),
      child_reads_A: sv(id, "child READS region A", PC),
      child_writes_A_after_read: sv(id, "child WRITES region A", PC),
      child_writes_B_unmapped: sv(id, "child WRITES region B", PC),
    };
  })(),
  madv_dontneed: {
    dontneed: sv("madv_dontneed", "madvise(MADV_DONTNEED) all", P),
    reread: sv("madv_dontneed", "re-READ", P),
    write_over_zero_page: sv("madv_dontneed", "WRITE N pages (zero page", P),
    rewrite_direct: sv("madv_dontneed", "re-WRITE", P),
  },
  munmap_mremap: {
    munmap_40_of_100: sv("munmap_mremap", "munmap", P),
    mremap_grow_moved: sv("munmap_mremap", "mremap", P),
    read_moved_60: sv("munmap_mremap", "READ the 60 moved", P),
    write_moved_60: sv("munmap_mremap", "WRITE the 60 moved", P),
    write_new_140: sv("munmap_mremap", "WRITE the 140 new", P),
  },
  pss_three_sharers: (() => {
    const c = kase("pss_rounding_three_sharers");
    return {
      per_vma: c.per_vma.map((v) => ({
        pages: v.pages,
        Rss_kB: v.parent.Rss,
        Pss_kB_parent: v.parent.Pss,
        Pss_kB_child1: v.child1.Pss,
        Pss_kB_child2: v.child2.Pss,
        formula_kB: v.formula_pss_kB_truncated,
        exact_kB: v.exact_pss_kB,
      })),
      rollup_check: c.rollup_check,
    };
  })(),
  python: py.runs.map((r) => ({
    interpreter: r.interpreter,
    after_start: { minflt: r.after_start.minflt, majflt: r.after_start.majflt, ...pick(r.after_start.rollup, ["Rss", "Pss", "Pss_Anon", "Private_Dirty", "Anonymous"]) },
    parent_fork_minflt_delta: r.parent_after_fork.minflt_delta,
    child_right_after_fork: { minflt: r.child_blocked_right_after_fork.minflt, ...pick(r.child_blocked_right_after_fork.rollup, ["Rss", "Pss", "Private_Dirty", "Shared_Dirty", "Anonymous"]) },
  })),
};

const fixture = {
  schema: "cowsim/kernel-probes/1",
  command: command,
  sources: ["tools/probes/kernel/anon_probe.c", "tools/probes/kernel/py_probe.c", "tools/probes/kernel/probe_common.h", "tools/probes/kernel/assemble.mjs"],
  date_utc: anon.meta.date_utc,
  uname_r: anon.meta.uname_r,
  uname_v: anon.meta.uname_v,
  machine: anon.meta.machine,
  page_size: anon.meta.page_size,
  sysfs: anon.meta.sysfs,
  summary,
  anon_probe: anon,
  python: py,
};
process.stdout.write(JSON.stringify(fixture, null, 1) + "\n");
