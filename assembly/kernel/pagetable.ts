/**
 * Page tables: a four-level radix tree per process, like x86-64's
 * PGD → PUD → PMD → PTE, over the virtual page number (vpn = vaddr >> PAGE_SHIFT).
 *
 *   vpn:  │ 35..27 │ 26..18 │ 17..9 │ 8..0 │
 *           PGD      PUD      PMD     PTE      each level: 512 × u32 (2 KiB node)
 *
 * Upper levels hold the linear address of the next node (0: none). A leaf
 * entry (a PTE) is
 *
 *   bit 0   PRESENT  mapped
 *   bit 1   WRITE    writable; clear on private pages after fork (copy-on-write)
 *           and on the zero page
 *   bit 2   DIRTY    written through this mapping (the hardware dirty bit)
 *   bits 4… frame number (frame 0 is the zero page)
 *
 * 36 bits of vpn cover the 47-bit user address space at every page size
 * cowsim offers (4, 16 and 64 KiB).
 */
import { kmemAlloc, kmemFree } from "./kmem";

// @ts-ignore: decorator
@inline export const PTE_PRESENT: u32 = 1;
// @ts-ignore: decorator
@inline export const PTE_WRITE: u32 = 2;
// @ts-ignore: decorator
@inline export const PTE_DIRTY: u32 = 4;
// @ts-ignore: decorator
@inline export const PTE_FRAME_SHIFT: u32 = 4;
// @ts-ignore: decorator
@inline export const LEVEL_BITS: u32 = 9;
// @ts-ignore: decorator
@inline export const LEVEL_ENTRIES: u32 = 1 << LEVEL_BITS;
// @ts-ignore: decorator
@inline export const LEVEL_MASK: u64 = LEVEL_ENTRIES - 1;
// @ts-ignore: decorator
@inline export const NODE_BYTES: usize = LEVEL_ENTRIES << 2;
/** One past the highest vpn the tree can hold. */
// @ts-ignore: decorator
@inline export const VPN_LIMIT: u64 = <u64>1 << (4 * LEVEL_BITS);

// @ts-ignore: decorator
@inline export function pteFrame(pte: u32): u32 {
  return pte >> PTE_FRAME_SHIFT;
}

// @ts-ignore: decorator
@inline export function mkPte(frame: u32, bits: u32): u32 {
  return (frame << PTE_FRAME_SHIFT) | bits;
}

export function newNode(): usize {
  return kmemAlloc(NODE_BYTES);
}

// @ts-ignore: decorator
@inline function slot(node: usize, vpn: u64, shift: u32): usize {
  return node + (<usize>((vpn >> shift) & LEVEL_MASK) << 2);
}

/** The PTE slot for `vpn`, or 0 when a level is missing. */
export function ptePtr(pgd: usize, vpn: u64): usize {
  let n = <usize>load<u32>(slot(pgd, vpn, 3 * LEVEL_BITS));
  if (n == 0) return 0;
  n = <usize>load<u32>(slot(n, vpn, 2 * LEVEL_BITS));
  if (n == 0) return 0;
  n = <usize>load<u32>(slot(n, vpn, LEVEL_BITS));
  if (n == 0) return 0;
  return slot(n, vpn, 0);
}

/** The leaf node holding `vpn`'s PTE, created on the way if missing (0 if memory ran out). */
export function leafFor(pgd: usize, vpn: u64): usize {
  let n = pgd;
  for (let shift: u32 = 3 * LEVEL_BITS; shift > 0; shift -= LEVEL_BITS) {
    let s = slot(n, vpn, shift);
    let next = <usize>load<u32>(s);
    if (next == 0) {
      next = newNode();
      if (next == 0) return 0;
      store<u32>(s, <u32>next);
    }
    n = next;
  }
  return n;
}

/** The PTE slot for `vpn`, creating levels as needed (0 if memory ran out). */
export function ptePtrAlloc(pgd: usize, vpn: u64): usize {
  let leaf = leafFor(pgd, vpn);
  return leaf == 0 ? 0 : slot(leaf, vpn, 0);
}

/** Frees every node of a tree (the PTEs must already be zapped). */
export function freeTree(pgd: usize): void {
  for (let i: u32 = 0; i < LEVEL_ENTRIES; i++) {
    let pud = <usize>load<u32>(pgd + (<usize>i << 2));
    if (pud == 0) continue;
    for (let j: u32 = 0; j < LEVEL_ENTRIES; j++) {
      let pmd = <usize>load<u32>(pud + (<usize>j << 2));
      if (pmd == 0) continue;
      for (let k: u32 = 0; k < LEVEL_ENTRIES; k++) {
        let pte = <usize>load<u32>(pmd + (<usize>k << 2));
        if (pte != 0) kmemFree(pte, NODE_BYTES);
      }
      kmemFree(pmd, NODE_BYTES);
    }
    kmemFree(pud, NODE_BYTES);
  }
  kmemFree(pgd, NODE_BYTES);
}

/*
 * Range walks. `nextLeaf` finds the next existing leaf node at or after `vpn`
 * and below `end`, skipping absent subtrees in one step, so walking a sparse
 * 47-bit space costs what is mapped, not what is reserved.
 */
/** Set by nextLeaf: the first vpn covered by the leaf it returned. */
export let leafBase: u64 = 0;

export function nextLeaf(pgd: usize, vpn: u64, end: u64): usize {
  while (vpn < end) {
    let pud = <usize>load<u32>(slot(pgd, vpn, 3 * LEVEL_BITS));
    if (pud == 0) {
      vpn = ((vpn >> (3 * LEVEL_BITS)) + 1) << (3 * LEVEL_BITS);
      continue;
    }
    let pmd = <usize>load<u32>(slot(pud, vpn, 2 * LEVEL_BITS));
    if (pmd == 0) {
      vpn = ((vpn >> (2 * LEVEL_BITS)) + 1) << (2 * LEVEL_BITS);
      continue;
    }
    let leaf = <usize>load<u32>(slot(pmd, vpn, LEVEL_BITS));
    if (leaf == 0) {
      vpn = ((vpn >> LEVEL_BITS) + 1) << LEVEL_BITS;
      continue;
    }
    leafBase = (vpn >> LEVEL_BITS) << LEVEL_BITS;
    return leaf;
  }
  return 0;
}
