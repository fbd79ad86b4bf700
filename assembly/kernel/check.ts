/**
 * Whole-machine consistency checks for the tests: what must hold between the
 * page tables of all processes and the frame descriptors.
 *
 *   1. every frame's mapcount equals the number of PTEs (in all live
 *      processes) that map it;
 *   2. no frame mapped by a PTE is free;
 *   3. a written PTE (DIRTY) is present, and a WRITE PTE maps a frame that
 *      nobody else maps unless the mapping is shared.
 *
 * Returns the number of violations (0 when all is well); the first one is
 * described by checkFirstFrame / checkFirstKind.
 */
import { framesReserved, mapcount, ZERO_FRAME, FRAME_SHMEM, frameFlags, frameSlot, slotAddr, isLazySlot, slotCopyOut } from "./frames";
import { bumpAlloc } from "./kmem";
import { PTE_PRESENT, PTE_WRITE, LEVEL_ENTRIES, VPN_LIMIT, pteFrame, nextLeaf, leafBase } from "./pagetable";
import { mmOf, pidCount, vmaAt, ProcState, VM_SHARED, findVma } from "./mm";
import { kmemAlloc, kmemFree } from "./kmem";
import { PAGE_SHIFT } from "./frames";

export let checkFirstFrame: u32 = 0;
export let checkFirstKind: u32 = 0;

export function checkMachine(): u32 {
  let n = framesReserved();
  let counts = kmemAlloc(<usize>n << 2);
  let violations: u32 = 0;
  checkFirstFrame = 0;
  checkFirstKind = 0;
  let procs = pidCount();
  for (let pid: u32 = 1; pid < procs; pid++) {
    let mm = mmOf(pid);
    if (mm.pgd == 0) continue;
    let pgd = <usize>mm.pgd;
    let vpn: u64 = 0;
    while (vpn < VPN_LIMIT) {
      let leaf = nextLeaf(pgd, vpn, VPN_LIMIT);
      if (leaf == 0) break;
      let base = leafBase;
      for (let i: u32 = 0; i < LEVEL_ENTRIES; i++) {
        let pte = load<u32>(leaf + (<usize>i << 2));
        if (pte == 0) continue;
        let f = pteFrame(pte);
        if ((pte & PTE_PRESENT) == 0 || f >= n) {
          violations++;
          if (checkFirstKind == 0) { checkFirstKind = 3; checkFirstFrame = f; }
          continue;
        }
        if (f == ZERO_FRAME) {
          if (pte & PTE_WRITE) {
            violations++;
            if (checkFirstKind == 0) { checkFirstKind = 4; checkFirstFrame = f; }
          }
          continue;
        }
        let vi = findVma(mm, (base + <u64>i) << PAGE_SHIFT);
        if (vi < 0) {
          violations++;
          if (checkFirstKind == 0) { checkFirstKind = 5; checkFirstFrame = f; }
          continue;
        }
        let slot = counts + (<usize>f << 2);
        store<u32>(slot, load<u32>(slot) + 1);
      }
      vpn = base + LEVEL_ENTRIES;
    }
  }
  for (let f: u32 = 1; f < n; f++) {
    let expected = load<u32>(counts + (<usize>f << 2));
    if (mapcount(f) != expected) {
      violations++;
      if (checkFirstKind == 0) { checkFirstKind = 1; checkFirstFrame = f; }
    }
  }
  // A writable private PTE must map a frame nobody else maps.
  for (let pid: u32 = 1; pid < procs; pid++) {
    let mm = mmOf(pid);
    if (mm.pgd == 0) continue;
    for (let i: u32 = 0; i < mm.nvma; i++) {
      let v = vmaAt(mm, i);
      if (v.flags & VM_SHARED) continue;
      let vpn = v.start >> PAGE_SHIFT;
      let end = v.end >> PAGE_SHIFT;
      while (vpn < end) {
        let leaf = nextLeaf(<usize>mm.pgd, vpn, end);
        if (leaf == 0) break;
        let base = leafBase;
        let to = min<u64>(end, base + LEVEL_ENTRIES);
        for (let x = max<u64>(vpn, base); x < to; x++) {
          let pte = load<u32>(leaf + (<usize>(x - base) << 2));
          if ((pte & PTE_WRITE) != 0 && mapcount(pteFrame(pte)) != 1) {
            violations++;
            if (checkFirstKind == 0) { checkFirstKind = 2; checkFirstFrame = pteFrame(pte); }
          }
        }
        vpn = to;
      }
    }
  }
  kmemFree(counts, <usize>n << 2);
  return violations;
}

/** Where digestMemory puts a described page's bytes. */
let digestPage: usize = 0;

/**
 * A digest (FNV-1a over 64-bit words) of every page `pid` has present and
 * not the zero page: the page number, then its bytes. Reads frames directly,
 * so it faults nothing in. Two runs that must leave the same memory (the
 * evaluator's bulk paths against the step-by-step ones) compare digests.
 */
export function digestMemory(pid: u32): u64 {
  let mm = mmOf(pid);
  let h: u64 = 0xcbf29ce484222325;
  if (mm.pgd == 0) return h;
  let pgd = <usize>mm.pgd;
  let words = <usize>(1 << PAGE_SHIFT) >> 3;
  let vpn: u64 = 0;
  while (vpn < VPN_LIMIT) {
    let leaf = nextLeaf(pgd, vpn, VPN_LIMIT);
    if (leaf == 0) break;
    let base = leafBase;
    for (let i: u32 = 0; i < LEVEL_ENTRIES; i++) {
      let pte = load<u32>(leaf + (<usize>i << 2));
      if ((pte & PTE_PRESENT) == 0 || pteFrame(pte) == ZERO_FRAME) continue;
      h = (h ^ (base + <u64>i)) * 0x100000001b3;
      let fs = frameSlot(pteFrame(pte));
      let a: usize;
      if (isLazySlot(fs)) {
        if (digestPage == 0) digestPage = bumpAlloc(65536);
        slotCopyOut(fs, digestPage);
        a = digestPage;
      } else {
        a = slotAddr(fs);
      }
      for (let w: usize = 0; w < words; w++) h = (h ^ load<u64>(a + (w << 3))) * 0x100000001b3;
    }
    vpn = base + LEVEL_ENTRIES;
  }
  return h;
}
