// Hashed page table entry formats (16 bytes: doubleword 0 then doubleword 1), decode and
// encode. Two layouts:
//   v2.07 (POWER7/8; Power ISA v2.07B Book III 5.7.7.2 "Page Table Entry"):
//     dw0: B 0:1 | AVA 2:56 | SW 57:60 | L 61 | H 62 | V 63
//     dw1: PP0 0 | TS 1 | KEY[0:1] 2:3 | ARPN 4:43 | LP 44:51 | KEY[2:4] 52:54 | R 55 | C 56 |
//          WIMG 57:60 | N 61 | PP 62:63
//   v3.0 (POWER9; Power ISA v3.0B Book III 5.7.7.2): B moves to dw1 bits 4:5, AVA shrinks to
//     dw0 bits 12:56 and ARPN to dw1 bits 7:43 (Linux mmu-hash.h HPTE_V_AVPN_3_0,
//     HPTE_R_RPN_3_0, HPTE_R_3_0_SSIZE_SHIFT, hpte_old_to_new_v()/hpte_old_to_new_r()).
// Bit values below are those of Linux arch/powerpc/include/asm/book3s/64/mmu-hash.h (QEMU
// target/ppc/mmu-hash64.h HPTE64_* agree). Bit numbers in comments are the ISA's (0 = MSB).

export type HpteLayout = 'v2.07' | 'v3.0';

// ---- doubleword 0 ----
/** B (segment size), v2.07 dw0 bits 0:1 (HPTE_V_SSIZE_SHIFT). */
export const HPTE_V_SSIZE_SHIFT = 62n;
export const HPTE_V_SSIZE_MASK = 3n << HPTE_V_SSIZE_SHIFT;
/** AVA field, bits 2:56 (v2.07, HPTE_V_AVPN) or 12:56 (v3.0, HPTE_V_AVPN_3_0). */
export const HPTE_V_AVPN_SHIFT = 7n;
export const HPTE_V_AVPN = 0x3fffffffffffff80n;
export const HPTE_V_AVPN_3_0 = 0x000fffffffffff80n;
/** Bits of dw0 the two layouts share (HPTE_V_COMMON_BITS). */
export const HPTE_V_COMMON_BITS = 0x000fffffffffffffn;
/** Software-use bits 57:60 (ISA "SW"); Linux keeps HPTE_V_BOLTED and HPTE_V_LOCK here. */
export const HPTE_V_SW_SHIFT = 3n;
export const HPTE_V_SW = 0x78n;
/** Linux: entry must never be evicted by hpte_remove (mmu-hash.h HPTE_V_BOLTED, bit 59). */
export const HPTE_V_BOLTED = 0x10n;
/**
 * Linux: per-HPTE lock taken by native_lock_hpte() (mmu-hash.h HPTE_V_LOCK, bit 60; hash_native.c
 * HPTE_LOCK_BIT is 3 on big-endian and 56+3 on little-endian because it addresses the
 * big-endian doubleword in memory: the same architected bit either way).
 */
export const HPTE_V_LOCK = 0x8n;
/** L, bit 61: large page (actual size from LP) (HPTE_V_LARGE). */
export const HPTE_V_LARGE = 0x4n;
/** H, bit 62: entry is in its secondary PTEG (HPTE_V_SECONDARY). */
export const HPTE_V_SECONDARY = 0x2n;
/** V, bit 63 (HPTE_V_VALID). */
export const HPTE_V_VALID = 0x1n;

// ---- doubleword 1 ----
/** PP0, bit 0 (HPTE_R_PP0). */
export const HPTE_R_PP0 = 0x8000000000000000n;
/** TS, bit 1 (Linux HPTE_R_TS; QEMU HPTE64_R_TS). */
export const HPTE_R_TS = 0x4000000000000000n;
/** KEY bits 0:1 of the 5-bit storage key, dw1 bits 2:3 (HPTE_R_KEY_HI). */
export const HPTE_R_KEY_HI = 0x3000000000000000n;
export const HPTE_R_KEY_HI_SHIFT = 60n;
/** v3.0: B at dw1 bits 4:5 (HPTE_R_3_0_SSIZE_SHIFT / _MASK). */
export const HPTE_R_3_0_SSIZE_SHIFT = 58n;
export const HPTE_R_3_0_SSIZE_MASK = 3n << HPTE_R_3_0_SSIZE_SHIFT;
/** ARPN || LP: bits 4:51 (v2.07, HPTE_R_RPN) or 7:51 (v3.0, HPTE_R_RPN_3_0). */
export const HPTE_R_RPN_SHIFT = 12n;
export const HPTE_R_RPN = 0x0ffffffffffff000n;
export const HPTE_R_RPN_3_0 = 0x01fffffffffff000n;
/** LP: the low 8 bits of the RPN field, bits 44:51 (mmu-hash.h LP_SHIFT, LP_BITS). */
export const HPTE_R_LP_SHIFT = 12n;
export const HPTE_R_LP = 0xff000n;
/** KEY bits 2:4, dw1 bits 52:54 (HPTE_R_KEY_LO; bit 54 is HPTE_R_KEY_BIT4). */
export const HPTE_R_KEY_LO = 0xe00n;
export const HPTE_R_KEY_LO_SHIFT = 9n;
export const HPTE_R_KEY_BIT4 = 0x200n;
/** R (referenced) bit 55, C (changed) bit 56. */
export const HPTE_R_R = 0x100n;
export const HPTE_R_C = 0x80n;
/** WIMG bits 57:60. */
export const HPTE_R_WIMG = 0x78n;
export const HPTE_R_W = 0x40n;
export const HPTE_R_I = 0x20n;
export const HPTE_R_M = 0x10n;
export const HPTE_R_G = 0x8n;
/** N (no-execute) bit 61. */
export const HPTE_R_N = 0x4n;
/** PP bits 62:63. */
export const HPTE_R_PP = 0x3n;

/** Entry and group sizes (Book III 5.7.7: a PTEG is 8 PTEs of 16 bytes). */
export const HPTE_BYTES = 16n;
export const HPTES_PER_GROUP = 8n;
export const PTEG_BYTES = HPTE_BYTES * HPTES_PER_GROUP;

const AVA_BITS_V207 = 55n; // VA bits 0:54
const AVA_BITS_V30 = 45n; // VA bits 10:54 (68-bit VA)
const ARPN_FIELD_V207 = 0x0ffffffffff00000n; // bits 4:43
const ARPN_FIELD_V30 = 0x01fffffffff00000n; // bits 7:43
const ARPN_SHIFT = 20n;

export interface HpteFields {
  /** Segment size B: 0 = 256 MB, 1 = 1 TB (2, 3 reserved). */
  b: number;
  /**
   * AVA: the abbreviated virtual address, VA bits 0:54 of the 78-bit VA (that is VA >> 23).
   * v3.0 keeps only VA bits 10:54, so there the top 10 bits of this value must be 0.
   */
  ava: bigint;
  /** The 4 software bits 57:60 (Linux: HPTE_V_BOLTED >> 3 = 2, HPTE_V_LOCK >> 3 = 1). */
  sw: number;
  /** L: the page is larger than 4 KB, its sizes are in LP. */
  l: boolean;
  /** H: the PTE was placed with the secondary hash. */
  h: boolean;
  v: boolean;
  pp0: boolean;
  ts: boolean;
  /** 5-bit storage key: KEY_HI (dw1 2:3) || KEY_LO (dw1 52:54) (QEMU HPTE64_R_KEY()). */
  key: number;
  /** ARPN: real address bits down to 2^20 (bits 4:43 in v2.07, 7:43 in v3.0), as RA >> 20. */
  arpn: bigint;
  /** LP: 8 bits; low bits encode the page sizes when L=1, the rest are real-address bits. */
  lp: number;
  r: boolean;
  c: boolean;
  /** WIMG as a 4-bit number (W=8, I=4, M=2, G=1). */
  wimg: number;
  n: boolean;
  /** PP bits 62:63 (0..3). */
  pp: number;
}

function bit(x: bigint, mask: bigint): boolean {
  return (x & mask) !== 0n;
}

function avaMask(layout: HpteLayout): bigint {
  return (1n << (layout === 'v3.0' ? AVA_BITS_V30 : AVA_BITS_V207)) - 1n;
}

/** Decode the two doublewords of a PTE in the given layout (reserved bits are ignored). */
export function decodeHpte(dw0: bigint, dw1: bigint, layout: HpteLayout): HpteFields {
  const v30 = layout === 'v3.0';
  const b = v30 ? (dw1 & HPTE_R_3_0_SSIZE_MASK) >> HPTE_R_3_0_SSIZE_SHIFT : (dw0 & HPTE_V_SSIZE_MASK) >> HPTE_V_SSIZE_SHIFT;
  const arpnField = v30 ? ARPN_FIELD_V30 : ARPN_FIELD_V207;
  return {
    b: Number(b),
    ava: ((dw0 & (v30 ? HPTE_V_AVPN_3_0 : HPTE_V_AVPN)) >> HPTE_V_AVPN_SHIFT) & avaMask(layout),
    sw: Number((dw0 & HPTE_V_SW) >> HPTE_V_SW_SHIFT),
    l: bit(dw0, HPTE_V_LARGE),
    h: bit(dw0, HPTE_V_SECONDARY),
    v: bit(dw0, HPTE_V_VALID),
    pp0: bit(dw1, HPTE_R_PP0),
    ts: bit(dw1, HPTE_R_TS),
    key: Number((((dw1 & HPTE_R_KEY_HI) >> HPTE_R_KEY_HI_SHIFT) << 3n) | ((dw1 & HPTE_R_KEY_LO) >> HPTE_R_KEY_LO_SHIFT)),
    arpn: (dw1 & arpnField) >> ARPN_SHIFT,
    lp: Number((dw1 & HPTE_R_LP) >> HPTE_R_LP_SHIFT),
    r: bit(dw1, HPTE_R_R),
    c: bit(dw1, HPTE_R_C),
    wimg: Number((dw1 & HPTE_R_WIMG) >> 3n),
    n: bit(dw1, HPTE_R_N),
    pp: Number(dw1 & HPTE_R_PP),
  };
}

/**
 * Encode fields into (dw0, dw1) in the given layout. Values wider than their field are
 * truncated to it; in particular a v3.0 AVA keeps only its low 45 bits and a v3.0 ARPN its
 * low 37 bits (the v3.0 format has no room for VA bits 0:9 or RA bits 0:6).
 */
export function encodeHpte(f: HpteFields, layout: HpteLayout): { dw0: bigint; dw1: bigint } {
  const v30 = layout === 'v3.0';
  const b = BigInt(f.b) & 3n;
  let dw0 = ((f.ava & avaMask(layout)) << HPTE_V_AVPN_SHIFT) | ((BigInt(f.sw) << HPTE_V_SW_SHIFT) & HPTE_V_SW);
  if (f.l) dw0 |= HPTE_V_LARGE;
  if (f.h) dw0 |= HPTE_V_SECONDARY;
  if (f.v) dw0 |= HPTE_V_VALID;
  let dw1 = (f.arpn << ARPN_SHIFT) & (v30 ? ARPN_FIELD_V30 : ARPN_FIELD_V207);
  dw1 |= (BigInt(f.lp) << HPTE_R_LP_SHIFT) & HPTE_R_LP;
  const key = BigInt(f.key) & 0x1fn;
  dw1 |= ((key >> 3n) << HPTE_R_KEY_HI_SHIFT) | ((key & 7n) << HPTE_R_KEY_LO_SHIFT);
  dw1 |= (BigInt(f.wimg) << 3n) & HPTE_R_WIMG;
  dw1 |= BigInt(f.pp) & HPTE_R_PP;
  if (f.pp0) dw1 |= HPTE_R_PP0;
  if (f.ts) dw1 |= HPTE_R_TS;
  if (f.r) dw1 |= HPTE_R_R;
  if (f.c) dw1 |= HPTE_R_C;
  if (f.n) dw1 |= HPTE_R_N;
  if (v30) dw1 |= b << HPTE_R_3_0_SSIZE_SHIFT;
  else dw0 |= b << HPTE_V_SSIZE_SHIFT;
  return { dw0, dw1 };
}

/** The bits of each doubleword a layout defines (everything else is reserved). */
export function hpteDefinedBits(layout: HpteLayout): { dw0: bigint; dw1: bigint } {
  return layout === 'v3.0'
    ? { dw0: HPTE_V_COMMON_BITS, dw1: HPTE_R_PP0 | HPTE_R_TS | HPTE_R_KEY_HI | HPTE_R_3_0_SSIZE_MASK | HPTE_R_RPN_3_0 | 0xfffn }
    : { dw0: 0xffffffffffffffffn, dw1: 0xffffffffffffffffn };
}

/** Real address of the page, given its actual page shift: ARPN||LP with the offset bits 0. */
export function hpteRealPageAddress(f: HpteFields, actualShift: number): bigint {
  const rpn = (f.arpn << ARPN_SHIFT) | (BigInt(f.lp) << HPTE_R_LP_SHIFT);
  return rpn & ~((1n << BigInt(actualShift)) - 1n);
}

/** PP0 || PP as the 3-bit value the protection tables use (Book III 5.7.9.2). */
export function hptePpp(f: HpteFields): number {
  return (f.pp0 ? 4 : 0) | f.pp;
}

/**
 * Convert a PTE between layouts the way Linux does (mmu-hash.h hpte_old_to_new_v/_r and
 * hpte_new_to_old_v/_r): v2.07 -> v3.0 moves B to dw1 and trims AVA/ARPN; the reverse
 * re-inserts B into dw0.
 */
export function convertHpteLayout(dw0: bigint, dw1: bigint, from: HpteLayout, to: HpteLayout): { dw0: bigint; dw1: bigint } {
  if (from === to) return { dw0, dw1 };
  if (from === 'v2.07') {
    return {
      dw0: dw0 & HPTE_V_COMMON_BITS,
      dw1: (dw1 & ~HPTE_R_3_0_SSIZE_MASK) | ((dw0 >> HPTE_V_SSIZE_SHIFT) << HPTE_R_3_0_SSIZE_SHIFT),
    };
  }
  return {
    dw0: (dw0 & HPTE_V_COMMON_BITS) | ((dw1 & HPTE_R_3_0_SSIZE_MASK) << (HPTE_V_SSIZE_SHIFT - HPTE_R_3_0_SSIZE_SHIFT)),
    dw1: dw1 & ~HPTE_R_3_0_SSIZE_MASK,
  };
}

export function hpteIsValid(dw0: bigint): boolean {
  return bit(dw0, HPTE_V_VALID);
}
export function hpteIsBolted(dw0: bigint): boolean {
  return bit(dw0, HPTE_V_BOLTED);
}
export function hpteIsLocked(dw0: bigint): boolean {
  return bit(dw0, HPTE_V_LOCK);
}
