// One CPU's segment lookaside buffer: 32 entries written by slbmte and read by slbmfee/slbmfev,
// invalidated by slbie/slbia (Power ISA v3.0B Book III 5.7.6 and 5.9.3.2). Field positions
// are those of the instruction operands (Linux arch/powerpc/include/asm/book3s/64/mmu-hash.h
// SLB_ESID_V, SLB_VSID_*, SLBIE_C, SLBIE_SSIZE_SHIFT agree).

export const SLB_ENTRIES = 32;

/** slbmte RB: ESID in bits 0:35, V in bit 36, index in bits 52:63. */
export const SLB_ESID_V = 0x08000000n;
/** slbmte RS: B (bits 0:1), VSID (bits 2:51), Ks, Kp, N, L, C, LP (bits 58:59). */
export const SLB_VSID_KS = 0x800n;
export const SLB_VSID_KP = 0x400n;
export const SLB_VSID_N = 0x200n;
export const SLB_VSID_L = 0x100n;
export const SLB_VSID_C = 0x80n;
export const SLB_VSID_LP_SHIFT = 4n;
export const SEGMENT_256M = 0;
export const SEGMENT_1T = 1;

export interface SlbEntry {
  valid: boolean;
  /** Segment size: 0 = 256 MB, 1 = 1 TB (B field). */
  ssize: number;
  /** ESID: EA >> 28 (256 MB) or EA >> 40 (1 TB). */
  esid: bigint;
  /** VSID field of RS (bits 2:51), as the VA is formed from it (Book III 5.7.7.1). */
  vsid: bigint;
  ks: boolean;
  kp: boolean;
  noExec: boolean;
  cls: boolean;
  /** Base page size shift from L||LP: 4 KiB, 64 KiB or 16 MiB (POWER7/8/9 encodings). */
  baseShift: number;
  /** The raw operands, for slbmfee/slbmfev. */
  rs: bigint;
  rb: bigint;
}

/** L||LP -> base page size (Linux mmu_psize_defs for POWER7+: 0 4K, L|LP=01 64K, L 16M). */
export function basePageShift(rs: bigint): number | null {
  if ((rs & SLB_VSID_L) === 0n) return 12;
  const lp = (rs >> SLB_VSID_LP_SHIFT) & 3n;
  if (lp === 0n) return 24;
  if (lp === 1n) return 16;
  return null;
}

export function segmentShift(ssize: number): bigint {
  return ssize === SEGMENT_1T ? 40n : 28n;
}

const VSID_MASK = (1n << 50n) - 1n;

export class Slb {
  readonly entries: (SlbEntry | null)[] = new Array<SlbEntry | null>(SLB_ENTRIES).fill(null);

  /** The valid entry translating `ea`, if any (at most one, when software keeps it so). */
  find(ea: bigint): SlbEntry | null {
    for (const e of this.entries) {
      if (e && e.valid && ea >> segmentShift(e.ssize) === e.esid) return e;
    }
    return null;
  }

  /** slbmte RS,RB (Book III 5.9.3.2). Returns the index written. */
  slbmte(rs: bigint, rb: bigint): number {
    const index = Number(rb & 0xfffn) % SLB_ENTRIES;
    const ssize = Number((rs >> 62n) & 3n);
    const base = basePageShift(rs);
    this.entries[index] = {
      valid: (rb & SLB_ESID_V) !== 0n && base !== null && ssize <= 1,
      ssize,
      esid: rb >> segmentShift(ssize),
      vsid: (rs >> 12n) & VSID_MASK,
      ks: (rs & SLB_VSID_KS) !== 0n,
      kp: (rs & SLB_VSID_KP) !== 0n,
      noExec: (rs & SLB_VSID_N) !== 0n,
      cls: (rs & SLB_VSID_C) !== 0n,
      baseShift: base ?? 12,
      rs,
      rb,
    };
    return index;
  }

  /** slbmfee: ESID || V of entry RB[52:63] (0 when the entry is empty). */
  slbmfee(rb: bigint): bigint {
    const e = this.entries[Number(rb & 0xfffn) % SLB_ENTRIES];
    if (!e || !e.valid) return 0n;
    return (e.esid << segmentShift(e.ssize)) | SLB_ESID_V;
  }

  /** slbmfev: B || VSID || Ks Kp N L C LP of entry RB[52:63]. */
  slbmfev(rb: bigint): bigint {
    const e = this.entries[Number(rb & 0xfffn) % SLB_ENTRIES];
    if (!e || !e.valid) return 0n;
    return e.rs & 0xfffffffffffffff0n & ~0x40n; // bits 60:63 and 57 are reserved
  }

  /** slbie RB: invalidate the entry for ESID RB[0:35] with segment size RB[37:38]. */
  slbie(rb: bigint): number | null {
    const ssize = Number((rb >> 25n) & 3n);
    const esid = rb >> segmentShift(ssize);
    for (let i = 0; i < SLB_ENTRIES; i++) {
      const e = this.entries[i];
      if (e && e.valid && e.ssize === ssize && e.esid === esid) {
        e.valid = false;
        return i;
      }
    }
    return null;
  }

  /**
   * slbia IH (Book III v3.0B 5.9.3.2): IH=0, 1, 2: every entry but entry 0; IH=3: every entry
   * but entry 0 whose Class is 1; IH=7: SLB contents preserved (only lookaside copies — here
   * the software TLB — are dropped, as Linux's PPC_ISA_3_0_INVALIDATE_ERAT uses it).
   */
  slbia(ih: number): number {
    if (ih === 7) return 0;
    let n = 0;
    for (let i = 1; i < SLB_ENTRIES; i++) {
      const e = this.entries[i];
      if (!e || !e.valid) continue;
      if (ih === 3 && !e.cls) continue;
      e.valid = false;
      n++;
    }
    return n;
  }
}
