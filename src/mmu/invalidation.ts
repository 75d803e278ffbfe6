// Which TLB entries a tlbie/tlbiel names (operand decoding and the match rule are in
// tlbie-rb.ts), and the bookkeeping of invalidations issued but not yet guaranteed complete
// (Power ISA v3.0B Book III 5.10.1).

import type { TlbEntry } from './tlb.js';
import { decodeTlbieRb, tlbieMatches, tlbInvalidateScope, type TlbInvalidateScope, type TlbieRb } from './tlbie-rb.js';
import type { PageShift } from './page-sizes.js';
import type { SegmentSize } from './hash.js';

export interface DecodedRb {
  rb: TlbieRb;
  scope: TlbInvalidateScope;
  /** For scope 'va': whether the invalidation is guaranteed to hit the entry. */
  matches: (e: TlbEntry) => boolean;
  /** For scope 'va': the VA bits RB names (page-aligned), for events and views. */
  va: bigint | null;
  describe: string;
}

/** Decoded operands by value (decoding is pure; the explorer executes the same tlbie in many states). */
const decoded = new Map<string, DecodedRb>();

export function decodeRb(raw: bigint, op: 'tlbie' | 'tlbiel'): DecodedRb {
  const k = `${op}${raw}`;
  let d = decoded.get(k);
  if (!d) {
    if (decoded.size >= 4096) decoded.clear();
    decoded.set(k, (d = decodeRbOnce(raw, op)));
  }
  return d;
}

function decodeRbOnce(raw: bigint, op: 'tlbie' | 'tlbiel'): DecodedRb {
  const rb = decodeTlbieRb(raw);
  const scope = tlbInvalidateScope(rb, op);
  const size = rb.actual === null ? '?' : `${1 << (rb.actual - 10)}K`;
  return {
    rb,
    scope,
    matches: (e) =>
      scope === 'va' &&
      tlbieMatches(rb, e.vpn << BigInt(e.actualShift), e.baseShift as PageShift, e.actualShift as PageShift, e.ssize as SegmentSize),
    va: scope === 'va' ? rb.instVa : null,
    describe: scope === 'va' ? `VA 0x${rb.instVa.toString(16)} ${size} B=${rb.b}` : `${scope}${scope.startsWith('set') ? ` ${rb.set}` : ''}`,
  };
}

/**
 * An invalidation issued but not yet guaranteed complete on some CPUs (policy `isa`).
 * Immutable: a change replaces it, so snapshots share them (the explorer takes one per state).
 */
export interface PendingInvalidation {
  /** Issue number on this machine (0, 1, ...): names the invalidation for the explorer. */
  readonly id: number;
  readonly issuer: number;
  readonly op: 'tlbie' | 'tlbiel';
  readonly rb: DecodedRb;
  /** CPUs whose TLBs it has not yet been applied to. */
  readonly targets: ReadonlySet<number>;
  /** The issuer has executed tlbsync since issuing it. */
  readonly tlbsynced: boolean;
  /** The issuer had page-table stores no ptesync had ordered before this invalidation. */
  readonly unordered: boolean;
}
