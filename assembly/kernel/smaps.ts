/**
 * /proc/PID/smaps_rollup and /proc/PID/stat, computed as fs/proc/task_mmu.c
 * does (smaps_pte_entry → smaps_account):
 *
 *   - the zero page is not a "normal" page: it is not counted at all;
 *   - a page mapped once is private, else shared; each is clean or dirty by
 *     its PTE's dirty bit (anonymous pages are dirty from their first write;
 *     a shmem page is dirty only in the processes that wrote it);
 *   - Pss adds (PAGE_SIZE << PSS_SHIFT) / mapcount per page in fixed point and
 *     is shifted back (and divided to kB) once, for the whole rollup.
 *
 * The result goes to `rollup` (u64 fields, bytes except where noted), which
 * the host reads after calling smapsRollup(pid).
 */
import { Err, raise } from "../config";
import { PAGE_SHIFT, PAGE_SIZE, ZERO_FRAME, mapcount, frameFlags } from "./frames";
import { PTE_DIRTY, LEVEL_ENTRIES, pteFrame, nextLeaf, leafBase } from "./pagetable";
import { Mm, mmOf, pidCount, vmaAt, ProcState, VM_SHARED } from "./mm";

// @ts-ignore: decorator
@inline const PSS_SHIFT: u64 = 12;

/** Field indices of the rollup record (each a u64). */
export const enum Rollup {
  RSS = 0,
  /** Pss in bytes << PSS_SHIFT. */
  PSS_FIXED = 1,
  SHARED_CLEAN = 2,
  SHARED_DIRTY = 3,
  PRIVATE_CLEAN = 4,
  PRIVATE_DIRTY = 5,
  /** Pages of private (anonymous, non-shmem) mappings. */
  ANONYMOUS = 6,
  /** Pages of shared (shmem) mappings. */
  SHMEM = 7,
  MINFLT = 8,
  MAJFLT = 9,
  /** 1 alive, 2 dead. */
  STATE = 10,
  KILLED_BY = 11,
  /** Minor faults by kind: zero page, fresh anonymous page, copy-on-write copy, reuse in place, shmem. */
  ZERO_FAULTS = 12,
  ANON_FAULTS = 13,
  COW_FAULTS = 14,
  REUSE_FAULTS = 15,
  SHARED_FAULTS = 16,
  FIELDS = 17,
}

export const rollup = memory.data(<i32>Rollup.FIELDS * 8);

// @ts-ignore: decorator
@inline function add(field: i32, v: u64): void {
  let p = rollup + (<usize>field << 3);
  store<u64>(p, load<u64>(p) + v);
}

/** Fills `rollup` for `pid`; returns false if there never was such a process. */
export function smapsRollup(pid: u32): bool {
  memory.fill(rollup, 0, <usize>Rollup.FIELDS * 8);
  if (pid == 0 || pid >= pidCount()) {
    raise(Err.NO_PROCESS, <u64>pid);
    return false;
  }
  let mm = mmOf(pid);
  store<u64>(rollup + (<usize>Rollup.MINFLT << 3), mm.minflt);
  store<u64>(rollup + (<usize>Rollup.MAJFLT << 3), mm.majflt);
  store<u64>(rollup + (<usize>Rollup.STATE << 3), <u64>mm.state);
  store<u64>(rollup + (<usize>Rollup.KILLED_BY << 3), <u64>mm.killedBy);
  store<u64>(rollup + (<usize>Rollup.ZERO_FAULTS << 3), <u64>mm.zeroFaults);
  store<u64>(rollup + (<usize>Rollup.ANON_FAULTS << 3), <u64>mm.anonFaults);
  store<u64>(rollup + (<usize>Rollup.COW_FAULTS << 3), <u64>mm.cowFaults);
  store<u64>(rollup + (<usize>Rollup.REUSE_FAULTS << 3), <u64>mm.reuseFaults);
  store<u64>(rollup + (<usize>Rollup.SHARED_FAULTS << 3), <u64>mm.sharedFaults);
  if (mm.pgd == 0) return true;
  for (let i: u32 = 0; i < mm.nvma; i++) accountVma(mm, i);
  return true;
}

/**
 * One mapping of /proc/PID/smaps: `rollup` gets the counts of VMA `i` of `pid` alone (the
 * fields smaps_rollup sums over all of them; the fault counters are left at 0). False when
 * there is no such process or mapping.
 */
export function smapsVma(pid: u32, i: u32): bool {
  memory.fill(rollup, 0, <usize>Rollup.FIELDS * 8);
  if (pid == 0 || pid >= pidCount()) {
    raise(Err.NO_PROCESS, <u64>pid);
    return false;
  }
  let mm = mmOf(pid);
  if (mm.pgd == 0 || i >= mm.nvma) return false;
  accountVma(mm, i);
  return true;
}

/**
 * The counts of the pages `pid` maps in [start, end) (every VMA's part of it) in `rollup`: the
 * host splits a process's memory by what lies where (pymalloc's arenas, the brk heap, …).
 * False when there is no such process.
 */
export function smapsRange(pid: u32, start: u64, end: u64): bool {
  memory.fill(rollup, 0, <usize>Rollup.FIELDS * 8);
  if (pid == 0 || pid >= pidCount()) {
    raise(Err.NO_PROCESS, <u64>pid);
    return false;
  }
  let mm = mmOf(pid);
  if (mm.pgd == 0) return true;
  for (let i: u32 = 0; i < mm.nvma; i++) {
    let v = vmaAt(mm, i);
    let from = max<u64>(v.start, start), to = min<u64>(v.end, end);
    if (from < to) accountPages(mm, from >> PAGE_SHIFT, to >> PAGE_SHIFT, (v.flags & VM_SHARED) != 0);
  }
  return true;
}

/** smaps_pte_entry → smaps_account for every page VMA `i` of `mm` maps, added to `rollup`. */
function accountVma(mm: Mm, i: u32): void {
  let v = vmaAt(mm, i);
  accountPages(mm, v.start >> PAGE_SHIFT, v.end >> PAGE_SHIFT, (v.flags & VM_SHARED) != 0);
}

/** The same for the present pages of [vpn, end), in a mapping shared or not. */
function accountPages(mm: Mm, vpn: u64, end: u64, shared: bool): void {
  let pgd = <usize>mm.pgd;
  let page = PAGE_SIZE;
  while (vpn < end) {
    let leaf = nextLeaf(pgd, vpn, end);
    if (leaf == 0) break;
    let base = leafBase;
    let from = max<u64>(vpn, base);
    let to = min<u64>(end, base + LEVEL_ENTRIES);
    for (let x = from; x < to; x++) {
      let pte = load<u32>(leaf + (<usize>(x - base) << 2));
      if (pte == 0) continue;
      let f = pteFrame(pte);
      if (f == ZERO_FRAME) continue;
      let dirty = (pte & PTE_DIRTY) != 0;
      let mc = mapcount(f);
      add(Rollup.RSS, page);
      add(shared ? Rollup.SHMEM : Rollup.ANONYMOUS, page);
      if (mc >= 2) {
        add(dirty ? Rollup.SHARED_DIRTY : Rollup.SHARED_CLEAN, page);
        add(Rollup.PSS_FIXED, (page << PSS_SHIFT) / <u64>mc);
      } else {
        add(dirty ? Rollup.PRIVATE_DIRTY : Rollup.PRIVATE_CLEAN, page);
        add(Rollup.PSS_FIXED, page << PSS_SHIFT);
      }
    }
    vpn = to;
  }
}

/** The rollup record's address, for the host to read. */
export function rollupPtr(): usize {
  return rollup;
}
