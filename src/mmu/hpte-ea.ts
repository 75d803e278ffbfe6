// Which effective address a PTE maps, recovered from the PTE and where it sits in the table
// (Linux hash_native.c hpte_decode(), used to flush every entry on kexec): the AVA holds the
// VSID and the top bits of the page index, the PTEG index (hash = VSID XOR page index, or its
// complement for a secondary entry) holds the low bits. A speculative TLB load may load any
// translation the SLB and the visible table allow (Book III 5.7.5); this is how the MMU finds
// the EAs it could load for a CPU without having seen them used.

import { decodeHpte, type HpteLayout } from './hpte.js';
import { SEGMENT_256M, type HtabGeometry } from './hash.js';
import type { SlbEntry } from './slb.js';

/** VSID bits the v3.0 AVA keeps (VA bits 10:54 of a 78-bit VA: 40 bits of VSID). */
const V30_VSID_MASK = (1n << 40n) - 1n;
/** Page-index bits the AVA holds for a 4 KiB page in a 256 MB segment: VA bits 50:54 (EA bits 23:27). */
const AVA_PAGE_BITS = 5n;
const INDEX_LOW_BITS = 11n;

/**
 * The EA of the 4 KiB page a valid PTE at `slot` maps in segment `seg`, or null when the PTE
 * is not a 4 KiB page of a 256 MB segment or belongs to another segment.
 */
export function eaOfHpte(slot: bigint, dw0: bigint, dw1: bigint, layout: HpteLayout, geom: HtabGeometry, seg: SlbEntry): bigint | null {
  const f = decodeHpte(dw0, dw1, layout);
  if (!f.v || f.l || f.b !== SEGMENT_256M || seg.ssize !== SEGMENT_256M || seg.baseShift !== 12) return null;
  const vsid = f.ava >> AVA_PAGE_BITS;
  const segVsid = layout === 'v3.0' ? seg.vsid & V30_VSID_MASK : seg.vsid;
  if (vsid !== segVsid) return null;
  const pteg = (slot - geom.htaborg) / 128n;
  const hash = f.h ? ~pteg & geom.hashMask : pteg;
  const low = (hash ^ seg.vsid) & ((1n << INDEX_LOW_BITS) - 1n);
  const index = ((f.ava & ((1n << AVA_PAGE_BITS) - 1n)) << INDEX_LOW_BITS) | low;
  return (seg.esid << 28n) | (index << 12n);
}
