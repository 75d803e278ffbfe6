// SLB entry formats as the instructions see them (slbmte, slbmfee, slbmfev, slbie, slbia), the
// ESID of an EA, and Linux's VSID computation (proto-VSID from context and ESID, then the
// multiplicative scramble).
//
// Sources: Power ISA v3.0B Book III 5.7.6 (SLB entry) and 5.9.3.2 (slbmte, slbmfee, slbmfev,
// slbie, slbia; the slbia/slbie RTL as restated in v3.1B); Linux arch/powerpc/include/asm/
// book3s/64/mmu-hash.h (SLB_ESID_V, SLB_VSID_*, SLBIE_C, SLBIE_SSIZE_SHIFT, the VSID_* values,
// vsid_scramble(), get_vsid(), get_kernel_context()), book3s/64/hash.h and hash-64k.h (region
// layout), mm/book3s64/slb.c (mk_esid_data/mk_vsid_data use); QEMU target/ppc/mmu-hash64.c
// helper_slbia() as cross-check.

import { baseShiftFromSlbLlp, type PageShift } from './page-sizes.js';
import { SEGMENT_1T, SEGMENT_256M, segmentShift, type SegmentSize } from './hash.js';

// ---- slbmte RS (the "VSID word") ----
/** B, bits 0:1 (SLB_VSID_SSIZE_SHIFT). */
export const SLB_VSID_SSIZE_SHIFT = 62n;
export const SLB_VSID_B = 0xc000000000000000n;
export const SLB_VSID_B_256M = 0n;
export const SLB_VSID_B_1T = 0x4000000000000000n;
/** VSID at bits 2:51 (256 MB: 50 bits from bit 12 up) or 2:39 (1 TB: 38 bits from bit 24 up). */
export const SLB_VSID_SHIFT = 12n;
export const SLB_VSID_SHIFT_1T = 24n;
export const SLB_VSID_KS = 0x800n; // bit 52
export const SLB_VSID_KP = 0x400n; // bit 53
export const SLB_VSID_N = 0x200n; // bit 54
export const SLB_VSID_L = 0x100n; // bit 55
export const SLB_VSID_C = 0x80n; // bit 56
export const SLB_VSID_LP_SHIFT = 4n;
export const SLB_VSID_LP = 0x30n; // bits 58:59
/** Linux's flags for kernel and user segments (mmu-hash.h SLB_VSID_KERNEL, SLB_VSID_USER). */
export const SLB_VSID_KERNEL = SLB_VSID_KP;
export const SLB_VSID_USER = SLB_VSID_KP | SLB_VSID_KS | SLB_VSID_C;
/** Bits of RS an SLB entry keeps: B, VSID, Ks Kp N L C, LP (bit 57 and 60:63 reserved). */
export const SLB_VSID_DEFINED = 0xffffffffffffffb0n;

// ---- slbmte RB (the "ESID word") ----
/** ESID bits 0:35, V bit 36, index bits 52:63 (SLB_ESID_V; QEMU SLB_ESID_ESID). */
export const SLB_ESID_ESID = 0xfffffffff0000000n;
export const SLB_ESID_V = 0x08000000n;
export const SLB_ESID_INDEX = 0xfffn;

// ---- slbie RB ----
/** slbie RB: ESID 0:35, Class bit 36 (SLBIE_C), B bits 37:38 (SLBIE_SSIZE_SHIFT). */
export const SLBIE_C = 0x08000000n;
export const SLBIE_SSIZE_SHIFT = 25n;

export interface SlbmteRs {
  /** B: 0 = 256 MB, 1 = 1 TB (2, 3 reserved). */
  b: number;
  /** VSID for the segment size B: RS bits 2:51 (256 MB) or 2:39 (1 TB). */
  vsid: bigint;
  /** The raw RS bits 2:51 (what an SLB entry stores regardless of B). */
  vsidField: bigint;
  ks: boolean;
  kp: boolean;
  n: boolean;
  l: boolean;
  c: boolean;
  /** LP, 2 bits. */
  lp: number;
  /** Base page size from L||LP (POWER7/8/9 encodings), null if unsupported. */
  baseShift: PageShift | null;
}

export function decodeSlbmteRs(rs: bigint): SlbmteRs {
  const b = Number((rs & SLB_VSID_B) >> SLB_VSID_SSIZE_SHIFT);
  const vsidField = (rs >> SLB_VSID_SHIFT) & ((1n << 50n) - 1n);
  return {
    b,
    vsid: b === SEGMENT_1T ? (rs >> SLB_VSID_SHIFT_1T) & ((1n << 38n) - 1n) : vsidField,
    vsidField,
    ks: (rs & SLB_VSID_KS) !== 0n,
    kp: (rs & SLB_VSID_KP) !== 0n,
    n: (rs & SLB_VSID_N) !== 0n,
    l: (rs & SLB_VSID_L) !== 0n,
    c: (rs & SLB_VSID_C) !== 0n,
    lp: Number((rs & SLB_VSID_LP) >> SLB_VSID_LP_SHIFT),
    baseShift: baseShiftFromSlbLlp(rs),
  };
}

export interface SlbmteRsInput {
  b: number;
  vsid: bigint;
  ks?: boolean;
  kp?: boolean;
  n?: boolean;
  l?: boolean;
  c?: boolean;
  lp?: number;
}

/** Build slbmte's RS (Linux slb.c mk_vsid_data(): vsid << slb_vsid_shift(ssize) | flags | B). */
export function encodeSlbmteRs(f: SlbmteRsInput): bigint {
  const shift = f.b === SEGMENT_1T ? SLB_VSID_SHIFT_1T : SLB_VSID_SHIFT;
  let rs = ((BigInt(f.b) & 3n) << SLB_VSID_SSIZE_SHIFT) | ((f.vsid << shift) & 0x3ffffffffffff000n);
  if (f.ks) rs |= SLB_VSID_KS;
  if (f.kp) rs |= SLB_VSID_KP;
  if (f.n) rs |= SLB_VSID_N;
  if (f.l) rs |= SLB_VSID_L;
  if (f.c) rs |= SLB_VSID_C;
  rs |= (BigInt(f.lp ?? 0) << SLB_VSID_LP_SHIFT) & SLB_VSID_LP;
  return rs;
}

export interface SlbmteRb {
  /** RB bits 0:35. For a 1 TB segment only bits 0:23 name the segment. */
  esid: bigint;
  v: boolean;
  /** SLB entry number, RB bits 52:63. */
  index: number;
}

export function decodeSlbmteRb(rb: bigint): SlbmteRb {
  return { esid: (rb & SLB_ESID_ESID) >> 28n, v: (rb & SLB_ESID_V) !== 0n, index: Number(rb & SLB_ESID_INDEX) };
}

/** Build slbmte's RB (Linux slb.c mk_esid_data(): (ea & esid mask) | SLB_ESID_V | index). */
export function encodeSlbmteRb(ea: bigint, ssize: SegmentSize, index: number, valid = true): bigint {
  return (ea & segmentEsidMask(ssize)) | (valid ? SLB_ESID_V : 0n) | (BigInt(index) & SLB_ESID_INDEX);
}

/**
 * slbmfee's result for an SLB entry written by slbmte RS,RB: ESID (bits 0:35) || V (bit 36)
 * || zeros (Book III 5.9.3.2; QEMU helper_load_slb_esid() returns the stored ESID word).
 */
export function slbmfeeResult(writtenRb: bigint): bigint {
  return writtenRb & (SLB_ESID_ESID | SLB_ESID_V);
}

/**
 * slbmfev's result: B || VSID || Ks Kp N L C || 0 || LP || 0b0000 (Book III 5.9.3.2).
 */
export function slbmfevResult(writtenRs: bigint): bigint {
  return writtenRs & SLB_VSID_DEFINED;
}

export interface SlbieRb {
  /** RB bits 0:35; the segment is named by bits 0:(63-s): all 36 (256 MB) or 0:23 (1 TB). */
  esidField: bigint;
  /** ESID for the segment size B: RB >> s. */
  esid: bigint;
  /** Class bit 36: must equal the entry's Class (else the invalidation is not guaranteed). */
  c: boolean;
  /** B bits 37:38. */
  b: number;
}

/** slbie RB (Book III 5.9.3.2 slbie; Linux SLBIE_C, SLBIE_SSIZE_SHIFT). */
export function decodeSlbieRb(rb: bigint): SlbieRb {
  const b = Number((rb >> SLBIE_SSIZE_SHIFT) & 3n);
  const s = BigInt(segmentShift(b === SEGMENT_1T ? SEGMENT_1T : SEGMENT_256M));
  return { esidField: (rb & SLB_ESID_ESID) >> 28n, esid: rb >> s, c: (rb & SLBIE_C) !== 0n, b };
}

/** Build slbie's RB as Linux does (slb.c slb_cache_slbie_user(): ea | B << 25 | C). */
export function encodeSlbieRb(ea: bigint, ssize: SegmentSize, cls: boolean): bigint {
  return (ea & segmentEsidMask(ssize)) | (BigInt(ssize) << SLBIE_SSIZE_SHIFT) | (cls ? SLBIE_C : 0n);
}

/**
 * Whether slbie RB is guaranteed to invalidate an SLB entry (Book III v3.0B slbie; v3.1B RTL):
 * the entry must translate the ESID, and its Class and segment size must equal RB's C and B.
 * When they differ the ISA lets the entry be invalidated or not (an undefined choice).
 */
export function slbieGuaranteed(rb: SlbieRb, entry: { esid: bigint; ssize: SegmentSize; cls: boolean }): boolean {
  return rb.b === entry.ssize && rb.c === entry.cls && rb.esid === entry.esid;
}

export type SlbiaEntries = 'all-but-entry-0' | 'class-1' | 'all' | 'none';

export interface SlbiaEffect {
  ih: number;
  /** Which SLB entries are invalidated. */
  entries: SlbiaEntries;
  /**
   * Lookaside information (ERAT) derived from Class=0 entries may be kept (Linux slb.c
   * __slb_flush_and_restore_bolted(): "SLBIA IH=1 ... may preserve lookaside information created
   * with Class=0 entries"; IH=3 only concerns Class=1 entries). IH=7 invalidates lookaside
   * information for all entries and no SLB entry (Linux PPC_ISA_3_0_INVALIDATE_ERAT).
   */
  mayKeepClass0Lookaside: boolean;
  /** IH=5 is not defined by the ISA; QEMU treats it as 0 and so does this table. */
  reserved: boolean;
}

/**
 * What slbia IH invalidates (Power ISA v3.0B slbia; RTL restated in v3.1B; QEMU
 * helper_slbia()): IH 0, 1, 2, 6: every entry except entry 0; IH 3: every entry with Class=1,
 * entry 0 included; IH 4: every entry, entry 0 included; IH 7: no entry.
 */
export function slbiaEffect(ih: number): SlbiaEffect {
  const v = ih & 7;
  switch (v) {
    case 3:
      return { ih: v, entries: 'class-1', mayKeepClass0Lookaside: true, reserved: false };
    case 4:
      return { ih: v, entries: 'all', mayKeepClass0Lookaside: false, reserved: false };
    case 7:
      return { ih: v, entries: 'none', mayKeepClass0Lookaside: false, reserved: false };
    case 1:
      return { ih: v, entries: 'all-but-entry-0', mayKeepClass0Lookaside: true, reserved: false };
    default:
      return { ih: v, entries: 'all-but-entry-0', mayKeepClass0Lookaside: false, reserved: v === 5 };
  }
}

/** Whether slbia IH invalidates SLB entry `index` with Class `cls`. */
export function slbiaInvalidates(effect: SlbiaEffect, index: number, cls: boolean): boolean {
  switch (effect.entries) {
    case 'all':
      return true;
    case 'none':
      return false;
    case 'class-1':
      return cls;
    default:
      return index !== 0;
  }
}

// ---- ESIDs ----

/** Mask keeping the ESID bits of an EA (Linux slb_esid_mask(): ESID_MASK or ESID_MASK_1T). */
export function segmentEsidMask(ssize: SegmentSize): bigint {
  return ~((1n << BigInt(segmentShift(ssize))) - 1n) & 0xffffffffffffffffn;
}

/** ESID of an EA: EA >> 28 (256 MB) or EA >> 40 (1 TB) (Book III 5.7.7.1). */
export function esidOf(ea: bigint, ssize: SegmentSize): bigint {
  return (ea & 0xffffffffffffffffn) >> BigInt(segmentShift(ssize));
}

/** Effective address of the first byte of the segment with this ESID. */
export function segmentBase(esid: bigint, ssize: SegmentSize): bigint {
  return (esid << BigInt(segmentShift(ssize))) & 0xffffffffffffffffn;
}

// ---- Linux VSIDs ----

/**
 * Linux VSID parameters for 68-bit VAs (MMU_FTR_68_BIT_VA, set for POWER6 and later in
 * asm/mmu.h MMU_FTRS_POWER6..9): mmu-hash.h VA_BITS 68, CONTEXT_BITS 19,
 * ESID_BITS = 68 - (28 + 19) = 21, ESID_BITS_1T = 68 - (40 + 19) = 9,
 * VSID_MULTIPLIER_256M = VSID_MULTIPLIER_1T = 12538073 (a 24-bit prime),
 * VSID_BITS_256M = 68 - 28 = 40, VSID_BITS_1T = 68 - 40 = 28, and the inverses
 * VSID_MULINV_256M = 665548017062, VSID_MULINV_1T = 209034062.
 */
export const LINUX_VA_BITS = 68;
export const LINUX_CONTEXT_BITS = 19;
export const LINUX_ESID_BITS = LINUX_VA_BITS - (28 + LINUX_CONTEXT_BITS);
export const LINUX_ESID_BITS_1T = LINUX_VA_BITS - (40 + LINUX_CONTEXT_BITS);
export const VSID_MULTIPLIER_256M = 12538073n;
export const VSID_MULTIPLIER_1T = 12538073n;
export const VSID_BITS_256M = LINUX_VA_BITS - 28;
export const VSID_BITS_1T = LINUX_VA_BITS - 40;
export const VSID_MULINV_256M = 665548017062n;
export const VSID_MULINV_1T = 209034062n;

export function linuxVsidBits(ssize: SegmentSize): number {
  return ssize === SEGMENT_1T ? VSID_BITS_1T : VSID_BITS_256M;
}

/**
 * Linux proto-VSID (mmu-hash.h get_vsid()): (context << ESID_BITS) | (ESID & ESID_BITS_MASK)
 * for 256 MB segments, with ESID_BITS_1T for 1 TB segments.
 */
export function protoVsid(context: bigint, ea: bigint, ssize: SegmentSize): bigint {
  const esidBits = BigInt(ssize === SEGMENT_1T ? LINUX_ESID_BITS_1T : LINUX_ESID_BITS);
  return (context << esidBits) | (esidOf(ea, ssize) & ((1n << esidBits) - 1n));
}

/**
 * Linux vsid_scramble() (mmu-hash.h): (protovsid * VSID_MULTIPLIER) mod (2^vsid_bits - 1),
 * computed exactly (Linux's folding form gives the same value for its inputs).
 */
export function vsidScramble(proto: bigint, ssize: SegmentSize): bigint {
  const mult = ssize === SEGMENT_1T ? VSID_MULTIPLIER_1T : VSID_MULTIPLIER_256M;
  const modulus = (1n << BigInt(linuxVsidBits(ssize))) - 1n;
  return (proto * mult) % modulus;
}

/** The inverse of vsidScramble (Linux VSID_MULINV_*): the proto-VSID of a VSID. */
export function vsidUnscramble(vsid: bigint, ssize: SegmentSize): bigint {
  const inv = ssize === SEGMENT_1T ? VSID_MULINV_1T : VSID_MULINV_256M;
  const modulus = (1n << BigInt(linuxVsidBits(ssize))) - 1n;
  return (vsid * inv) % modulus;
}

/**
 * Linux get_vsid(context, ea, ssize) (mmu-hash.h) for a 68-bit-VA CPU, without its
 * H_PGTABLE_RANGE check (pass `eaLimit` to have addresses at or above it give VSID 0 as
 * Linux does; the top two EA bits are ignored first, hash.h EA_MASK).
 */
export function linuxGetVsid(context: bigint, ea: bigint, ssize: SegmentSize, eaLimit?: bigint): bigint {
  if (eaLimit !== undefined && (ea & LINUX_EA_MASK) >= eaLimit) return 0n;
  return vsidScramble(protoVsid(context, ea, ssize), ssize);
}

/** Linux hash.h EA_MASK: the top two EA bits are ignored in page-table walks. */
export const LINUX_EA_MASK = 0x3fffffffffffffffn;

/**
 * The kernel address-space layout get_kernel_context() depends on. Defaults are the 64K-page
 * configuration (book3s/64/hash-64k.h MAX_EA_BITS_PER_CONTEXT 49, H_KERN_VIRT_START
 * 0xc008000000000000, H_KERN_MAP_SIZE 2^49; 4 linear-map contexts per the table above
 * get_kernel_context() in mmu-hash.h, hash.h H_PGTABLE_EADDR_SIZE = 8+10+10+8+16 = 52).
 */
export interface LinuxKernelLayout {
  maxEaBitsPerContext: number;
  kernVirtStart: bigint;
  kernMapSize: bigint;
  maxKernelCtxCnt: bigint;
  pgtableRange: bigint;
}

export const LINUX_KERNEL_LAYOUT_64K: LinuxKernelLayout = {
  maxEaBitsPerContext: 49,
  kernVirtStart: 0xc008000000000000n,
  kernMapSize: 1n << 49n,
  maxKernelCtxCnt: 4n,
  pgtableRange: 1n << 52n,
};

/** Linux region ids (book3s/64/hash.h): user 1, kernel linear 2, vmalloc 3, IO 4, vmemmap 5. */
export const USER_REGION_ID = 1;
export const KERNEL_REGION_ID = 2;
export const VMALLOC_REGION_ID = 3;
export const IO_REGION_ID = 4;
export const VMEMMAP_REGION_ID = 5;

/** Linux get_region_id() (book3s/64/hash.h) for the given layout. */
export function linuxRegionId(ea: bigint, layout: LinuxKernelLayout = LINUX_KERNEL_LAYOUT_64K): number {
  if (ea >> 60n === 0n) return USER_REGION_ID;
  const vmallocStart = layout.kernVirtStart;
  const ioStart = vmallocStart + layout.kernMapSize;
  const vmemmapStart = ioStart + layout.kernMapSize;
  if (ea >= vmemmapStart) return VMEMMAP_REGION_ID;
  if (ea >= ioStart) return IO_REGION_ID;
  if (ea >= vmallocStart) return VMALLOC_REGION_ID;
  return KERNEL_REGION_ID;
}

/**
 * Linux get_kernel_context() (mmu-hash.h): linear map 1 + ((ea & EA_MASK) >> MAX_EA_BITS_PER_CONTEXT),
 * other regions region_id + MAX_KERNEL_CTX_CNT - 2 (vmalloc 5, IO 6, vmemmap 7 with 64K pages).
 */
export function linuxKernelContext(ea: bigint, layout: LinuxKernelLayout = LINUX_KERNEL_LAYOUT_64K): bigint {
  const region = linuxRegionId(ea, layout);
  if (region === KERNEL_REGION_ID) return 1n + ((ea & LINUX_EA_MASK) >> BigInt(layout.maxEaBitsPerContext));
  return BigInt(region) + layout.maxKernelCtxCnt - 2n;
}

/** Linux get_kernel_vsid(ea, ssize) (mmu-hash.h): 0 for a non-kernel address. */
export function linuxKernelVsid(ea: bigint, ssize: SegmentSize, layout: LinuxKernelLayout = LINUX_KERNEL_LAYOUT_64K): bigint {
  if (ea >> 60n !== 0xcn) return 0n;
  return linuxGetVsid(linuxKernelContext(ea, layout), ea, ssize, layout.pgtableRange);
}
