// The hashed page table as the translation hardware reads it: where it is (SDR1, or PTCR and
// partition-table entry 0), the hash that picks the PTEGs, and the PTE match (Power ISA
// v3.0B Book III 5.7.7; bit values as in Linux arch/powerpc/include/asm/book3s/64/mmu-hash.h).

import type { CpuModel } from '../cpu/models.js';

// Doubleword 0 (Book III 5.7.7.2, figure "Page Table Entry").
export const HPTE_V_SSIZE_SHIFT = 62n; // B, bits 0:1 (v2.07 layout)
export const HPTE_V_AVPN = 0x3fffffffffffff80n; // AVA bits 2:56
export const HPTE_V_AVPN_SHIFT = 7n;
export const HPTE_V_BOLTED = 0x10n; // software bit (Linux)
export const HPTE_V_LOCK = 0x8n; // software bit (Linux HPTE lock)
export const HPTE_V_LARGE = 0x4n; // L, bit 61
export const HPTE_V_SECONDARY = 0x2n; // H, bit 62
export const HPTE_V_VALID = 0x1n; // V, bit 63
// Doubleword 1.
export const HPTE_R_PP0 = 0x8000000000000000n; // bit 0
export const HPTE_R_3_0_SSIZE_SHIFT = 58n; // B moved to dw1 bits 4:5 in v3.0 (Linux hpte_old_to_new_r)
export const HPTE_R_RPN = 0x0ffffffffffff000n; // ARPN || LP, bits 4:51 (v2.07: 7:51)
export const HPTE_R_LP_SHIFT = 12n;
export const HPTE_R_KEY_LO = 0xe00n;
export const HPTE_R_R = 0x100n; // bit 55
export const HPTE_R_C = 0x80n; // bit 56
export const HPTE_R_G = 0x8n; // WIMG G
export const HPTE_R_N = 0x4n; // bit 61, no-execute
export const HPTE_R_PP = 0x3n; // bits 62:63

export const PTEG_SIZE = 128n;
export const HPTE_SIZE = 16n;

export interface HptLocation {
  base: bigint;
  /** Number of PTEGs (a power of two). */
  ptegs: bigint;
}

/**
 * SDR1 (Book III 5.7.7.1): HTABORG in bits 4:45 (address bits, 256 KiB aligned), HTABSIZE in
 * bits 59:63; the table holds 2^(11+HTABSIZE) PTEGs. A partition-table entry's first
 * doubleword has the same layout in hash mode (HR=0) on v3.0 (Book III 5.7.6.1; Linux
 * hash_init_partition_table writes htab address | (log2 size - 18)).
 */
export function decodeHtab(dw: bigint): HptLocation | null {
  const size = Number(dw & 0x1fn);
  if (size > 28) return null;
  return { base: dw & 0x0ffffffffffc0000n, ptegs: 1n << BigInt(11 + size) };
}

/** PTCR (v3.0 Book III 5.7.6.1): PATB bits 4:51, PATS bits 59:63 (table of 2^(12+PATS) bytes). */
export function decodePtcr(ptcr: bigint): { patb: bigint; entries: bigint } {
  const pats = ptcr & 0x1fn;
  return { patb: ptcr & 0x0ffffffffffff000n, entries: (1n << (12n + pats)) / 16n };
}

/** Where this model finds the HPT: SDR1, or entry 0 of the partition table PTCR names. */
export function hptLocation(model: CpuModel, sdr1: bigint, ptcr: bigint, read64: (ra: bigint) => bigint | null): HptLocation | null {
  if (model.hptLocation === 'sdr1') return sdr1 === 0n ? null : decodeHtab(sdr1);
  if (ptcr === 0n) return null;
  const pate0 = read64(decodePtcr(ptcr).patb);
  if (pate0 === null || pate0 >> 63n !== 0n) return null; // HR=1 would be radix
  return decodeHtab(pate0);
}

/**
 * Primary hash (Book III 5.7.7.3): 256 MB segments VSID ^ page index, 1 TB segments
 * VSID ^ (VSID << 25) ^ page index, page index = EA within the segment >> page shift; 39 bits
 * are used (Linux hpt_hash masks with 0x7fffffffff).
 */
export function primaryHash(vsid: bigint, eaInSegment: bigint, ssize: number, shift: number): bigint {
  const page = eaInSegment >> BigInt(shift);
  const h = ssize === 1 ? vsid ^ (vsid << 25n) ^ page : vsid ^ page;
  return h & 0x7fffffffffn;
}

export function ptegAddress(loc: HptLocation, hash: bigint): bigint {
  return loc.base + (hash & (loc.ptegs - 1n)) * PTEG_SIZE;
}

/** The segment size field B of a PTE in the model's layout. */
export function hpteSegmentSize(dw0: bigint, dw1: bigint, layout: CpuModel['hpteLayout']): number {
  return Number(layout === 'v3.0' ? (dw1 >> HPTE_R_3_0_SSIZE_SHIFT) & 3n : (dw0 >> HPTE_V_SSIZE_SHIFT) & 3n);
}

/**
 * Actual page size of a PTE (Book III 5.7.7.2 with the LP encodings of POWER7/8/9 as Linux's
 * mmu_psize_defs hold them: L=0 4 KiB; L=1 with LP low 4 bits 0001 64 KiB; L=1 with LP 0
 * 16 MiB), for a segment of base page size `baseShift`; null when the encoding is not one of
 * these for that base size.
 */
export function actualPageShift(dw0: bigint, dw1: bigint, baseShift: number): number | null {
  if ((dw0 & HPTE_V_LARGE) === 0n) return baseShift === 12 ? 12 : null;
  const lp = (dw1 >> HPTE_R_LP_SHIFT) & 0xffn;
  if (baseShift === 16 && (lp & 0xfn) === 1n) return 16;
  if (baseShift === 24 && lp === 0n) return 24;
  return null;
}

/**
 * Whether the PTE at (dw0, dw1) translates virtual address `va` (Book III 5.7.7.3 "PTE
 * matching"): V=1, H equal to the hash used, B equal to the segment size, the page size
 * encodings consistent with the segment's base page size, and AVA equal to VA bits 0:54 less
 * the bits inside a large page (for 16 MiB pages the lowest AVA bit is an offset bit: Linux
 * avpnm = 1). Returns the actual page shift, or null.
 */
export function matchHpte(
  dw0: bigint,
  dw1: bigint,
  layout: CpuModel['hpteLayout'],
  va: bigint,
  ssize: number,
  baseShift: number,
  secondary: boolean,
): number | null {
  if ((dw0 & HPTE_V_VALID) === 0n) return null;
  if (((dw0 & HPTE_V_SECONDARY) !== 0n) !== secondary) return null;
  if (hpteSegmentSize(dw0, dw1, layout) !== ssize) return null;
  const shift = actualPageShift(dw0, dw1, baseShift);
  if (shift === null) return null;
  let avpn = (va >> 23n) << HPTE_V_AVPN_SHIFT;
  let have = dw0 & HPTE_V_AVPN;
  if (shift > 23) {
    const ignore = ((1n << BigInt(shift - 23)) - 1n) << HPTE_V_AVPN_SHIFT;
    avpn &= ~ignore;
    have &= ~ignore;
  }
  return (avpn & HPTE_V_AVPN) === have ? shift : null;
}

/** Real address of the page a PTE maps (ARPN with the LP bits cleared for large pages). */
export function hpteRealPage(dw1: bigint, shift: number): bigint {
  return dw1 & HPTE_R_RPN & ~((1n << BigInt(shift)) - 1n);
}

/** PP0 || PP of a PTE's doubleword 1, as a 3-bit number. */
export function ppBits(dw1: bigint): number {
  return Number(((dw1 & HPTE_R_PP0) !== 0n ? 4n : 0n) | (dw1 & HPTE_R_PP));
}

/**
 * Storage protection (Book III 5.7.9.2, "Protection matrix"): key = MSR[PR] ? Kp : Ks,
 * pp = PP0 || PP. Returns [read allowed, write allowed].
 */
export function protection(key: boolean, pp: number): [boolean, boolean] {
  if (!key) {
    if (pp === 0 || pp === 1 || pp === 2) return [true, true];
    if (pp === 3 || pp === 6) return [true, false];
    return [false, false];
  }
  if (pp === 2) return [true, true];
  if (pp === 1 || pp === 3) return [true, false];
  return [false, false];
}
