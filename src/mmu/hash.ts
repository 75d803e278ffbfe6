// The virtual address, the hash functions that pick the two PTEGs a translation may live in,
// where those PTEGs are (SDR1 on POWER7/8, PTCR + partition-table entry 0 on POWER9 in hash
// mode), and what a PTEG search compares for a given VA.
//
// Sources: Power ISA v2.07B/v3.0B Book III 5.7.7 (SDR1, hashed page table search), 5.7.6.1
// (v3.0 PTCR and partition table); Linux arch/powerpc/include/asm/book3s/64/mmu-hash.h
// hpt_vpn(), hpt_hash(), hpte_encode_avpn(); arch/powerpc/mm/book3s64/hash_native.c
// native_hpte_find(); QEMU target/ppc/mmu-hash64.c ppc_hash64_htab_lookup() as cross-check.

import { decodeHpte, type HpteLayout } from './hpte.js';
import { hptePageSizes, MMU_PSIZE_DEFS, type PageShift } from './page-sizes.js';

export const SEGMENT_256M = 0;
export const SEGMENT_1T = 1;
export type SegmentSize = typeof SEGMENT_256M | typeof SEGMENT_1T;

/** Segment shift s: 28 for 256 MB, 40 for 1 TB (Linux SID_SHIFT, SID_SHIFT_1T). */
export function segmentShift(ssize: SegmentSize): number {
  return ssize === SEGMENT_1T ? 40 : 28;
}

/** Width of the VSID for each segment size: 50 bits (256 MB) or 38 bits (1 TB), VA 78 bits. */
export function vsidBits(ssize: SegmentSize): number {
  return 78 - segmentShift(ssize);
}

export const VA_BITS = 78;
const VA_MASK = (1n << 78n) - 1n;

/** The byte offset of `ea` inside its segment. */
export function eaInSegment(ea: bigint, ssize: SegmentSize): bigint {
  return ea & ((1n << BigInt(segmentShift(ssize))) - 1n);
}

/**
 * The 78-bit virtual address: VSID || EA bits (64-s):63 (Book III 5.7.7.1 "Virtual Address
 * Generation"; Linux hpt_vpn() is this shifted right by 12).
 */
export function va(vsid: bigint, ea: bigint, ssize: SegmentSize): bigint {
  const s = BigInt(segmentShift(ssize));
  return ((vsid << s) | eaInSegment(ea, ssize)) & VA_MASK;
}

/** Linux's VPN: the VA shifted right by VPN_SHIFT = 12 (mmu-hash.h hpt_vpn()). */
export function vpnFromVa(v: bigint): bigint {
  return v >> 12n;
}

/** Hash values are 39 bits (Linux hpt_hash() masks with 0x7fffffffff; HTABSIZE <= 28). */
export const HASH_MASK = 0x7fffffffffn;

/**
 * Primary hash (Book III 5.7.7.3; Linux hpt_hash(); QEMU ppc_hash64_htab_lookup()):
 *   256 MB: VSID XOR (EA_in_segment >> p)
 *   1 TB:   VSID XOR (VSID << 25) XOR (EA_in_segment >> p)
 * where p is the segment's base page shift, truncated to 39 bits.
 */
export function primaryHash(vsid: bigint, eaOffset: bigint, ssize: SegmentSize, baseShift: PageShift): bigint {
  const page = eaInSegment(eaOffset, ssize) >> BigInt(baseShift);
  const h = ssize === SEGMENT_1T ? vsid ^ (vsid << 25n) ^ page : vsid ^ page;
  return h & HASH_MASK;
}

/** The primary hash computed from a 78-bit VA (Linux hpt_hash() takes the VPN this way). */
export function primaryHashOfVa(v: bigint, ssize: SegmentSize, baseShift: PageShift): bigint {
  const s = BigInt(segmentShift(ssize));
  return primaryHash(v >> s, v & ((1n << s) - 1n), ssize, baseShift);
}

/** Secondary hash: the one's complement of the primary (Book III 5.7.7.3; Linux ~hash). */
export function secondaryHash(primary: bigint): bigint {
  return ~primary & HASH_MASK;
}

// ---- Where the table is ----

export interface HtabGeometry {
  /** Real address of the table (HTABORG with its low 18 bits zero). */
  htaborg: bigint;
  /** HTABSIZE field (0..28). */
  htabsize: number;
  /** Number of PTEGs: 2^(11+HTABSIZE). */
  ptegs: bigint;
  /** PTEG index mask: ptegs - 1 (Linux htab_hash_mask). */
  hashMask: bigint;
  /** Table size in bytes: ptegs * 128. */
  bytes: bigint;
}

/** SDR1 / PATE0 HTABORG: bits 4:45 (QEMU SDR_64_HTABORG, PATE0_HTABORG). */
export const SDR1_HTABORG = 0x0ffffffffffc0000n;
/** SDR1 / PATE0 HTABSIZE: bits 59:63 (QEMU SDR_64_HTABSIZE). */
export const SDR1_HTABSIZE = 0x1fn;
/** Largest HTABSIZE the architecture allows (Book III 5.7.7.1: at most 2^39 PTEGs). */
export const HTABSIZE_MAX = 28;

function htabGeometry(htaborg: bigint, htabsize: number): HtabGeometry | null {
  if (htabsize > HTABSIZE_MAX) return null;
  const ptegs = 1n << BigInt(11 + htabsize);
  return { htaborg, htabsize, ptegs, hashMask: ptegs - 1n, bytes: ptegs * 128n };
}

/**
 * SDR1 (Book III v2.07 5.7.7.1): HTABORG bits 4:45, HTABSIZE bits 59:63; the table holds
 * 2^(11+HTABSIZE) PTEGs (Linux htab_initialize(): _SDR1 = table + log2(bytes) - 18).
 * Returns null for an HTABSIZE above 28.
 */
export function decodeSdr1(sdr1: bigint): HtabGeometry | null {
  return htabGeometry(sdr1 & SDR1_HTABORG, Number(sdr1 & SDR1_HTABSIZE));
}

/** Build an SDR1 value for a table at `htaborg` with 2^(11+htabsize) PTEGs. */
export function encodeSdr1(htaborg: bigint, htabsize: number): bigint {
  return (htaborg & SDR1_HTABORG) | (BigInt(htabsize) & SDR1_HTABSIZE);
}

/** PTEG index for a hash: hash AND (number of PTEGs - 1) (Linux hash & htab_hash_mask). */
export function ptegIndex(geom: HtabGeometry, hash: bigint): bigint {
  return hash & geom.hashMask;
}

/**
 * Real address of the PTEG a hash selects (Book III 5.7.7.3): HTABORG with the masked hash
 * placed at bit 7 upwards. The ISA forms it by OR, which equals Linux's and QEMU's addition
 * when HTABORG is aligned to the table size, as it must be.
 */
export function ptegAddress(geom: HtabGeometry, hash: bigint): bigint {
  return geom.htaborg | (ptegIndex(geom, hash) << 7n);
}

/** Linux's HPTE slot number of the group's first entry: (hash & mask) * 8 (hash_utils.c). */
export function ptegFirstSlot(geom: HtabGeometry, hash: bigint): bigint {
  return ptegIndex(geom, hash) * 8n;
}

// ---- POWER9: PTCR and the partition table ----

export interface PtcrFields {
  /** PATB: real address of the partition table, bits 4:51. */
  patb: bigint;
  /** PATS: table size is 2^(12+PATS) bytes, bits 59:63. */
  pats: number;
  bytes: bigint;
  /** Number of 16-byte entries. */
  entries: bigint;
}

/**
 * PTCR (Power ISA v3.0B Book III 5.7.6.1): PATB bits 4:51, PATS bits 59:63, table size
 * 2^(12+PATS) bytes (Linux hash_utils.c sets PTCR = __pa(partition_tb) | (PATB_SIZE_SHIFT - 12)).
 */
export function decodePtcr(ptcr: bigint): PtcrFields {
  const pats = Number(ptcr & 0x1fn);
  const bytes = 1n << BigInt(12 + pats);
  return { patb: ptcr & 0x0ffffffffffff000n, pats, bytes, entries: bytes / 16n };
}

export function encodePtcr(patb: bigint, pats: number): bigint {
  return (patb & 0x0ffffffffffff000n) | (BigInt(pats) & 0x1fn);
}

/** PATE doubleword 0 bit 0: HR, host uses radix (Linux book3s/64/mmu.h PATB_HR). */
export const PATE0_HR = 1n << 63n;
/** PATE0 PS, bits 56:58: the VRMA base page size as L||LP (QEMU PATE0_PS). */
export const PATE0_PS_SHIFT = 5n;
export const PATE0_PS = 7n << PATE0_PS_SHIFT;

export interface Pate0Hash {
  hr: boolean;
  /** PS as a 3-bit L||LP value (not used for LPID 0: Linux hash_init_partition_table()). */
  ps: number;
  geometry: HtabGeometry | null;
}

/**
 * Partition-table entry doubleword 0 in hash mode (Power ISA v3.0B Book III 5.7.6.1): HR=0,
 * HTABORG bits 4:45, PS bits 56:58, HTABSIZE bits 59:63 (Linux hash_init_partition_table()
 * writes hash_table | (log2(size) - 18)). geometry is null when HR=1 (radix) or HTABSIZE > 28.
 */
export function decodePate0Hash(dw0: bigint): Pate0Hash {
  const hr = (dw0 & PATE0_HR) !== 0n;
  const ps = Number((dw0 & PATE0_PS) >> PATE0_PS_SHIFT);
  return { hr, ps, geometry: hr ? null : htabGeometry(dw0 & SDR1_HTABORG, Number(dw0 & SDR1_HTABSIZE)) };
}

export function encodePate0Hash(htaborg: bigint, htabsize: number, ps = 0): bigint {
  return (htaborg & SDR1_HTABORG) | ((BigInt(ps) << PATE0_PS_SHIFT) & PATE0_PS) | (BigInt(htabsize) & SDR1_HTABSIZE);
}

/** Real address of partition-table entry `lpid` (16 bytes each). */
export function pateAddress(ptcr: PtcrFields, lpid: bigint): bigint {
  return ptcr.patb + lpid * 16n;
}

// ---- The PTE compare of a search ----

/** AVA of a VA: VA bits 0:54, i.e. VA >> 23 (Book III 5.7.7.2; Linux hpte_encode_avpn()). */
export function avaOfVa(v: bigint): bigint {
  return (v & VA_MASK) >> 23n;
}

/**
 * The AVA bits a search compares for a segment of base page size b: all 55 bits, except the
 * low b-23 bits when b > 23, which are page-offset bits (Linux mmu_psize_def.avpnm, set by
 * htab_dt_scan_page_sizes(); used by hpte_encode_avpn() and HPTE_V_COMPARE()).
 */
export function avaCompareMask(baseShift: PageShift): bigint {
  return ((1n << 55n) - 1n) & ~MMU_PSIZE_DEFS[baseShift].avpnm;
}

export interface PteMatch {
  base: PageShift;
  actual: PageShift;
}

/**
 * Whether the PTE (dw0, dw1) translates virtual address `v` in a search of the given
 * primary/secondary PTEG for a segment of size `ssize` and base page size `baseShift`
 * (Book III 5.7.7.3 "PTE matching"): V=1, H equal to the hash used, B equal to the segment
 * size, AVA equal to VA bits 0:54 (less the page-offset bits of a base page above 8 MB), and
 * the L/LP encoding a valid (base, actual) pair whose base is the segment's base page size.
 * A v3.0 PTE holds only VA bits 10:54, so VA bits 0:9 must be 0 to match there.
 * The VA bits below bit 54 that are page-number bits (23 - b of them for b < 23) are not in
 * the AVA: the hash supplies them (Linux hpte_encode_avpn() comment), so this compare is only
 * meaningful for PTEs of the group(s) `v` hashes to (a table has at least 2^11 PTEGs).
 * Returns the page sizes on a match, else null.
 */
export function pteMatchesVa(
  dw0: bigint,
  dw1: bigint,
  layout: HpteLayout,
  v: bigint,
  ssize: SegmentSize,
  baseShift: PageShift,
  secondary: boolean,
): PteMatch | null {
  const f = decodeHpte(dw0, dw1, layout);
  if (!f.v || f.h !== secondary || f.b !== ssize) return null;
  const sizes = hptePageSizes(f.l, f.lp);
  if (sizes === null || sizes.base !== baseShift) return null;
  const mask = avaCompareMask(baseShift);
  if ((f.ava & mask) !== (avaOfVa(v) & mask)) return null;
  return sizes;
}
