// Operands of tlbie and tlbiel for hash translations: RB (which translations), RS (LPID, PID),
// and the instruction fields RIC, PRS, R; the RB Linux builds; and which TLB entries an
// invalidation by VA is guaranteed to hit.
//
// Sources: Power ISA v3.0B Book III 5.9.3.3 tlbie/tlbiel (the IS=0, R=0 RTL as restated in
// v3.1B: L = RB[63]; inst_AVA = RB[0:51] when L=0, RB[0:43] || RB[56:62] || 0 when L=1; an
// entry of 2^c bytes matches when entry_VA[14:77-c] = inst_AVA[0:63-c] and its segment size
// equals RB[54:55]); Linux arch/powerpc/mm/book3s64/hash_native.c ___tlbie(), __tlbiel(),
// tlbiel_hash_set_isa206/isa300(); arch/powerpc/include/asm/book3s/64/mmu-hash.h
// TLBIEL_INVAL_* and get_sllp_encoding(); arch/powerpc/include/asm/ppc-opcode.h (RIC at
// instruction bits 12:13, PRS bit 14, R bit 15).

import {
  decodeLargeLp,
  penc,
  PAGE_SHIFT_4K,
  shiftFromSllpEncoding,
  sllpEncoding,
  type PageShift,
} from './page-sizes.js';
import type { SegmentSize } from './hash.js';

// ---- RB fields (bit numbers are the ISA's, 0 = MSB) ----
/** L, RB bit 63: 0 = 4 KB base page (AP form), 1 = large page (LP form). */
export const TLBIE_RB_L = 1n;
/** AVAL, RB bits 56:62 (L=1): VA bits 58:64. */
export const TLBIE_RB_AVAL = 0xfen;
/** AP, RB bits 56:58 (L=0): the actual page size as SLB L||LP (Linux sllp << 5). */
export const TLBIE_RB_AP_SHIFT = 5n;
export const TLBIE_RB_AP = 0xe0n;
/** B (segment size), RB bits 54:55 (Linux ssize << 8). */
export const TLBIE_RB_B_SHIFT = 8n;
export const TLBIE_RB_B = 0x300n;
/** IS, RB bits 52:53 (mmu-hash.h TLBIEL_INVAL_SEL_MASK 0xc00). */
export const TLBIE_RB_IS_SHIFT = 10n;
export const TLBIE_RB_IS = 0xc00n;
export const TLBIEL_INVAL_PAGE = 0;
export const TLBIEL_INVAL_SET_LPID = 2;
export const TLBIEL_INVAL_SET = 3;
/** tlbiel set number, RB bits 40:51 (TLBIEL_INVAL_SET_MASK 0xfff000, _SHIFT 12). */
export const TLBIEL_RB_SET_SHIFT = 12n;
export const TLBIEL_RB_SET = 0xfff000n;
/** LP, RB bits 44:51 (L=1; Linux penc << 12). */
export const TLBIE_RB_LP_SHIFT = 12n;
export const TLBIE_RB_LP = 0xff000n;
/** L=0: VA bits 14:65 in RB bits 0:51. L=1: VA bits 14:57 in RB bits 0:43. */
export const TLBIE_RB_VA_L0 = 0xfffffffffffff000n;
export const TLBIE_RB_VA_L1 = 0xfffffffffff00000n;

export interface TlbieRb {
  raw: bigint;
  /** L (RB bit 63). */
  l: boolean;
  /** IS (RB bits 52:53): 0 = by VA; tlbiel 2, 3 = one congruence class; tlbie 2, 3 = all. */
  is: number;
  /** tlbiel set number (RB bits 40:51), meaningful when IS != 0. */
  set: number;
  /** Segment size B (RB bits 54:55). */
  b: number;
  /** L=0: AP (RB bits 56:58); L=1: null. */
  ap: number | null;
  /** L=1: LP (RB bits 44:51) and AVAL (RB bits 56:62, as a 7-bit number); L=0: null. */
  lp: number | null;
  aval: number | null;
  /**
   * inst_AVA placed as VA bits: a 64-bit value whose bits 0..51 (ISA numbering, RB-relative)
   * are VA bits 14:65. For L=0 this is RB[0:51]; for L=1 RB[0:43] || AVAL || 0.
   */
  instVa: bigint;
  /** Base and actual page sizes RB names (L=0: 4K base, AP actual), null if unknown. */
  base: PageShift | null;
  actual: PageShift | null;
}

export function decodeTlbieRb(rb: bigint): TlbieRb {
  const raw = rb & 0xffffffffffffffffn;
  const l = (raw & TLBIE_RB_L) !== 0n;
  const common = {
    raw,
    l,
    is: Number((raw & TLBIE_RB_IS) >> TLBIE_RB_IS_SHIFT),
    set: Number((raw & TLBIEL_RB_SET) >> TLBIEL_RB_SET_SHIFT),
    b: Number((raw & TLBIE_RB_B) >> TLBIE_RB_B_SHIFT),
  };
  if (!l) {
    const ap = Number((raw & TLBIE_RB_AP) >> TLBIE_RB_AP_SHIFT);
    const actual = shiftFromSllpEncoding(ap);
    return { ...common, ap, lp: null, aval: null, instVa: raw & TLBIE_RB_VA_L0, base: actual === null ? null : PAGE_SHIFT_4K, actual };
  }
  const lp = Number((raw & TLBIE_RB_LP) >> TLBIE_RB_LP_SHIFT);
  const aval = Number((raw & TLBIE_RB_AVAL) >> 1n);
  const sizes = decodeLargeLp(lp);
  return {
    ...common,
    ap: null,
    lp,
    aval,
    instVa: (raw & TLBIE_RB_VA_L1) | (BigInt(aval) << 13n),
    base: sizes?.base ?? null,
    actual: sizes?.actual ?? null,
  };
}

/**
 * The RB Linux's ___tlbie() and __tlbiel() build (hash_native.c) for POWER7/8/9 (no
 * MMU_FTR_TLBIE_CROP_VA: asm/mmu.h sets it only for PPC970):
 *   va = vpn << 12
 *   base 4K:  va with bits 52:63 cleared | ssize << 8 | sllp(actual) << 5          (L=0)
 *   otherwise: va with the actual page's offset cleared | penc(base, actual) << 12
 *              | ssize << 8 | (vpn & 0xfe) (AVAL) | 1 (L)
 * `vpn` is the 78-bit VA >> 12 (mmu-hash.h hpt_vpn()). Returns null for an unsupported pair.
 */
export function encodeTlbieRb(vpn: bigint, base: PageShift, actual: PageShift, ssize: SegmentSize): bigint | null {
  const va = (vpn << 12n) & 0xffffffffffffffffn;
  if (base === PAGE_SHIFT_4K) {
    if (penc(base, actual) === null) return null;
    return (va & TLBIE_RB_VA_L0) | (BigInt(ssize) << TLBIE_RB_B_SHIFT) | (BigInt(sllpEncoding(actual)) << TLBIE_RB_AP_SHIFT);
  }
  const enc = penc(base, actual);
  if (enc === null) return null;
  let rb = va & ~((1n << BigInt(actual)) - 1n);
  rb |= BigInt(enc) << TLBIE_RB_LP_SHIFT;
  rb |= BigInt(ssize) << TLBIE_RB_B_SHIFT;
  rb |= vpn & TLBIE_RB_AVAL;
  return rb | TLBIE_RB_L;
}

/** __tlbiel() builds the same RB as ___tlbie() (hash_native.c). */
export const encodeTlbielRb = encodeTlbieRb;

/**
 * tlbiel RB for invalidating one congruence class (hash_native.c tlbiel_hash_set_isa206()
 * and tlbiel_hash_set_isa300(): set << PPC_BITLSHIFT(51) | is << PPC_BITLSHIFT(53)).
 */
export function encodeTlbielSetRb(set: number, is: number): bigint {
  return ((BigInt(set) << TLBIEL_RB_SET_SHIFT) & TLBIEL_RB_SET) | ((BigInt(is) << TLBIE_RB_IS_SHIFT) & TLBIE_RB_IS);
}

// ---- RS and the instruction fields ----

export interface TlbieRs {
  /** RS bits 0:31: PID (process-scoped, radix; tlbiel_hash_set_isa300 passes pid << 32). */
  pid: bigint;
  /** RS bits 32:63: LPID searched by tlbie in hypervisor state (v3.0B tlbie RTL). */
  lpid: bigint;
}

export function decodeTlbieRs(rs: bigint): TlbieRs {
  return { pid: (rs >> 32n) & 0xffffffffn, lpid: rs & 0xffffffffn };
}

export interface TlbInvalidateInsn {
  rs: number;
  rb: number;
  /** RIC, instruction bits 12:13: 0 TLB, 1 page-walk cache, 2 all (incl. table caches), 3 cluster. */
  ric: number;
  /** PRS, bit 14: process-scoped (1) or partition-scoped (0). Hash translations are partition-scoped. */
  prs: boolean;
  /** R, bit 15: radix (1) or hash (0) format. */
  r: boolean;
}

/**
 * Fields of a tlbie (X-form, XO 306) or tlbiel (XO 274) instruction word in the v3.0 form
 * tlbie RB,RS,RIC,PRS,R (asm/ppc-opcode.h: RS << 21, RIC << 18, PRS << 17, R << 16, RB << 11).
 */
export function decodeTlbInvalidateInsn(word: number): TlbInvalidateInsn {
  const w = word >>> 0;
  return {
    rs: (w >>> 21) & 31,
    rb: (w >>> 11) & 31,
    ric: (w >>> 18) & 3,
    prs: ((w >>> 17) & 1) === 1,
    r: ((w >>> 16) & 1) === 1,
  };
}

// ---- Which TLB entries an invalidation hits ----

export type TlbInvalidateScope = 'va' | 'pid' | 'lpid' | 'all' | 'set-lpid' | 'set-all';

/**
 * What the IS field selects (Book III v3.0B tlbie/tlbiel RTL; mmu-hash.h TLBIEL_INVAL_PAGE,
 * TLBIEL_INVAL_SET_LPID, TLBIEL_INVAL_SET): IS=0 the entries for one VA; IS=1 the entries of a
 * PID (process-scoped, radix only); IS=2 the entries of the LPID (tlbiel: in one congruence
 * class, RB's set number); IS=3 all entries (tlbiel: of one congruence class, all LPIDs).
 */
export function tlbInvalidateScope(rb: TlbieRb, op: 'tlbie' | 'tlbiel'): TlbInvalidateScope {
  switch (rb.is) {
    case 0:
      return 'va';
    case 1:
      return 'pid';
    case 2:
      return op === 'tlbiel' ? 'set-lpid' : 'lpid';
    default:
      return op === 'tlbiel' ? 'set-all' : 'all';
  }
}

/**
 * Whether a tlbiel set invalidation (IS=2 or 3) covers a TLB entry held in congruence class
 * `entrySet` (the set number is RB bits 40:51; hash_native.c tlbiel_all_isa206() walks 0..sets-1).
 */
export function tlbielSetMatches(rb: TlbieRb, entrySet: number): boolean {
  return rb.is >= 2 && rb.set === entrySet;
}

const VA_MASK = (1n << 78n) - 1n;

/**
 * Whether a tlbie/tlbiel with RB (IS=0, hash form) is guaranteed to invalidate a TLB entry that
 * translates virtual address `entryVa` (any VA in the page) with the given base and actual page
 * sizes and segment size. Per Book III v3.0B tlbie: the RB names the page sizes (L=0: 4 KB base
 * with AP the actual size; L=1: the (base, actual) pair LP encodes) and they must be those of
 * the entry; the segment size must equal RB's B; and VA bits 14 through 77-c (c = log2 of the
 * actual page size) must equal inst_AVA bits 0 through 63-c. VA bits 0:13 are not compared, so
 * entries whose VAs differ only there are hit as well.
 */
export function tlbieMatches(
  rb: TlbieRb,
  entryVa: bigint,
  entryBase: PageShift,
  entryActual: PageShift,
  entrySsize: SegmentSize,
): boolean {
  if (rb.is !== 0) return false;
  if (rb.base === null || rb.actual === null) return false;
  if (rb.base !== entryBase || rb.actual !== entryActual || rb.b !== entrySsize) return false;
  // entry_VA[14:77-c] as a 64-c bit number vs inst_AVA[0:63-c].
  const c = BigInt(entryActual);
  const width = (1n << (64n - c)) - 1n;
  return (((entryVa & VA_MASK) >> c) & width) === ((rb.instVa >> c) & width);
}
