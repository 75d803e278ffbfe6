// One CPU's segment lookaside buffer: 32 entries written by slbmte and read by slbmfee/slbmfev,
// invalidated by slbie/slbia (Power ISA v3.0B Book III 5.7.6 and 5.9.3.2). The operand formats
// are decoded by slb-format.ts.

import { SEGMENT_1T, SEGMENT_256M, type SegmentSize } from './hash.js';
import type { PageShift } from './page-sizes.js';
import {
  decodeSlbieRb,
  decodeSlbmteRb,
  decodeSlbmteRs,
  esidOf,
  SLB_ESID_ESID,
  slbiaEffect,
  slbiaInvalidates,
  slbieGuaranteed,
  slbmfeeResult,
  slbmfevResult,
} from './slb-format.js';

export const SLB_ENTRIES = 32;

export interface SlbEntry {
  valid: boolean;
  ssize: SegmentSize;
  /** ESID: EA >> 28 (256 MB) or EA >> 40 (1 TB). */
  esid: bigint;
  /** VSID for the segment size (RS bits 2:51, or 2:39 for 1 TB). */
  vsid: bigint;
  ks: boolean;
  kp: boolean;
  noExec: boolean;
  cls: boolean;
  baseShift: PageShift;
  /** The raw operands, for slbmfee/slbmfev. */
  rs: bigint;
  rb: bigint;
}

/** Versions of SLB contents, as Tlb's: every change takes a new one. */
let clock = 0;

export interface SlbSnapshot {
  readonly entries: readonly (SlbEntry | null)[];
  readonly version: number;
}

export class Slb {
  /** The entries; never changed in place (slbie and slbia replace an entry), so snapshots share them. */
  readonly entries: (SlbEntry | null)[] = new Array<SlbEntry | null>(SLB_ENTRIES).fill(null);
  private version = ++clock;
  private lastSnapshot: SlbSnapshot | null = null;
  private lastKey: [number, string] | null = null;

  /** The entries (shared, immutable); the same object while nothing changes. */
  snapshot(): SlbSnapshot {
    if (this.lastSnapshot?.version === this.version) return this.lastSnapshot;
    return (this.lastSnapshot = { entries: [...this.entries], version: this.version });
  }

  restore(s: SlbSnapshot): void {
    if (s.version === this.version) return;
    s.entries.forEach((e, i) => (this.entries[i] = e));
    this.version = s.version;
    this.lastSnapshot = s;
  }

  /** The valid entries as a canonical string (for state keys). */
  key(): string {
    if (this.lastKey?.[0] === this.version) return this.lastKey[1];
    const parts: string[] = [];
    this.entries.forEach((e, i) => {
      if (e?.valid) parts.push(`${i}:${e.rs.toString(16)}:${e.rb.toString(16)}`);
    });
    const k = parts.join(' ');
    this.lastKey = [this.version, k];
    return k;
  }

  /** Marks the contents changed (every mutation). */
  private changed(): void {
    this.version = ++clock;
  }

  /** The valid entry translating `ea`, if any (at most one, when software keeps it so). */
  find(ea: bigint): SlbEntry | null {
    for (const e of this.entries) if (e && e.valid && esidOf(ea, e.ssize) === e.esid) return e;
    return null;
  }

  /** slbmte RS,RB (Book III 5.9.3.2). Returns the index written. */
  slbmte(rs: bigint, rb: bigint): number {
    const d = decodeSlbmteRs(rs);
    const r = decodeSlbmteRb(rb);
    const index = r.index % SLB_ENTRIES;
    const ssize = (d.b === SEGMENT_1T ? SEGMENT_1T : SEGMENT_256M) as SegmentSize;
    this.entries[index] = {
      // B values 2 and 3 and unsupported L||LP encodings make no usable entry.
      valid: r.v && d.baseShift !== null && d.b <= 1,
      ssize,
      esid: esidOf(rb & SLB_ESID_ESID, ssize),
      vsid: d.vsid,
      ks: d.ks,
      kp: d.kp,
      noExec: d.n,
      cls: d.c,
      baseShift: d.baseShift ?? 12,
      rs,
      rb,
    };
    this.changed();
    return index;
  }

  /** slbmfee of entry RB[52:63]: ESID || V (0 when the entry is not valid). */
  slbmfee(rb: bigint): bigint {
    const e = this.entries[Number(rb & 0xfffn) % SLB_ENTRIES];
    return e && e.valid ? slbmfeeResult(e.rb) : 0n;
  }

  /** slbmfev of entry RB[52:63]: B || VSID || Ks Kp N L C || LP. */
  slbmfev(rb: bigint): bigint {
    const e = this.entries[Number(rb & 0xfffn) % SLB_ENTRIES];
    return e && e.valid ? slbmfevResult(e.rs) : 0n;
  }

  /**
   * slbie RB: the entry for RB's ESID and segment size. When RB's Class differs from the
   * entry's, the ISA leaves it undefined whether the entry goes: `guaranteedOnly` keeps it
   * (the latest-effect choice of the isa policy), otherwise it goes (as QEMU does).
   * Returns the index or null.
   */
  slbie(raw: bigint, guaranteedOnly: boolean): number | null {
    const rb = decodeSlbieRb(raw);
    for (let i = 0; i < SLB_ENTRIES; i++) {
      const e = this.entries[i];
      if (!e || !e.valid) continue;
      if (guaranteedOnly ? slbieGuaranteed(rb, e) : rb.esid === e.esid && rb.b === e.ssize) {
        this.entries[i] = { ...e, valid: false };
        this.changed();
        return i;
      }
    }
    return null;
  }

  /** slbia IH: the entries slbiaEffect() names. Returns how many were invalidated. */
  slbia(ih: number): number {
    const effect = slbiaEffect(ih);
    let n = 0;
    this.entries.forEach((e, i) => {
      if (e && e.valid && slbiaInvalidates(effect, i, e.cls)) {
        this.entries[i] = { ...e, valid: false };
        n++;
      }
    });
    if (n > 0) this.changed();
    return n;
  }
}
