// Which TLB entries a tlbie/tlbiel names, and when the invalidation is guaranteed to have
// taken effect (Power ISA v3.0B Book III 5.9.3.3 and 5.10; Book II 4.6.3 for ptesync).
//
// RB layout for hash translations, as Linux hash_native.c ___tlbie()/__tlbiel() build it:
//   L=0 (4 KiB): VA[14:65] in RB[0:51] (VA bits above RB[16] dropped), B in RB[54:55],
//                base-page L||LP ("sllp") in RB[56:58];
//   L=1 (large): VA with the page offset cleared, LP ("penc") in RB[44:51], B in RB[54:55],
//                AVAL in RB[56:62], L in RB[63];
//   tlbiel (and v3.0 tlbie) IS in RB[52:53]: 0 = by VA, 2/3 = a whole congruence class
//                (tlbiel: set number in RB[40:51], Linux tlbiel_all_isa206/isa300).

import type { TlbEntry } from './tlb.js';

/** VA bits RB carries (RB[16:51] as VA bits; higher VA bits do not take part). */
const RB_VA_MASK = 0x0000fffffffff000n;

export interface DecodedRb {
  /** IS: 0 invalidate by VA; 2 or 3 invalidate a congruence class (tlbiel) or everything. */
  is: number;
  /** For IS=0: the entries named. */
  matches: (e: TlbEntry) => boolean;
  /** For tlbiel IS!=0: the congruence class. */
  set: number;
  /** For IS=0: the VA bits RB names (page-aligned). */
  va: bigint | null;
  describe: string;
}

export function decodeRb(rb: bigint): DecodedRb {
  const is = Number((rb >> 10n) & 3n);
  const set = Number((rb >> 12n) & 0xfffn);
  const ssize = Number((rb >> 8n) & 3n);
  const large = (rb & 1n) !== 0n;
  let shift = 12;
  if (large) {
    const lp = (rb >> 12n) & 0xffn;
    // LP encodings of POWER7/8/9 (Linux mmu_psize_defs penc): 64 KiB 0b0001, 16 MiB 0.
    shift = (lp & 0xfn) === 1n ? 16 : 24;
  }
  const pageMask = RB_VA_MASK & ~((1n << BigInt(shift)) - 1n);
  const target = rb & pageMask;
  return {
    is,
    set,
    va: is === 0 ? target : null,
    matches: (e) =>
      e.ssize === ssize && e.actualShift === shift && ((e.vpn << BigInt(e.actualShift)) & pageMask) === target,
    describe: is !== 0 ? `IS=${is} set ${set}` : `VA 0x${target.toString(16)} ${1 << (shift - 10)}K B=${ssize}`,
  };
}

/** An invalidation issued but not yet guaranteed complete on some CPUs (policy `isa`). */
export interface PendingInvalidation {
  issuer: number;
  op: 'tlbie' | 'tlbiel';
  rb: DecodedRb;
  /** CPUs whose TLBs it has not yet been applied to. */
  targets: Set<number>;
  /** The issuer has executed tlbsync since issuing it. */
  tlbsynced: boolean;
  /** The issuer had page-table stores no ptesync had ordered before this invalidation. */
  unordered: boolean;
}
