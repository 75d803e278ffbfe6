// Building the two doublewords of a PTE for a translation EA -> RA, as software (Linux
// hash_utils.c htab_bolt_mapping() / __hash_page_4K() through hpte_encode_v/r() in
// asm/book3s/64/mmu-hash.h) does before inserting it: AVA from the VA, ARPN||LP from the RA
// with the large-page size encoding in the low LP bits (Book III 5.7.7.1-2).

import { encodeHpte, type HpteLayout } from './hpte.js';
import { va as virtualAddress, type SegmentSize } from './hash.js';
import { lpSizeBits, penc, PAGE_SHIFT_4K, type PageShift } from './page-sizes.js';

export interface HpteSpec {
  vsid: bigint;
  ea: bigint;
  ssize: SegmentSize;
  /** Base page size of the segment and actual size of the page. */
  base: PageShift;
  actual: PageShift;
  /** Real address of the page (aligned to `actual`). */
  ra: bigint;
  /** PP0||PP (0..7), WIMG (4 bits), N. */
  pp: number;
  wimg: number;
  noExec?: boolean;
  /** Software bits 57:60 (Linux HPTE_V_BOLTED = 0x10 -> sw 2). */
  sw?: number;
  secondary?: boolean;
  valid?: boolean;
  r?: boolean;
  c?: boolean;
}

/** hpte_encode_v()/hpte_encode_r(): the PTE's (dw0, dw1) in the model's layout; null if the size pair is unsupported. */
export function buildHpte(s: HpteSpec, layout: HpteLayout): { dw0: bigint; dw1: bigint } | null {
  const enc = s.actual === PAGE_SHIFT_4K && s.base === PAGE_SHIFT_4K ? 0 : penc(s.base, s.actual);
  if (enc === null) return null;
  const large = s.actual !== PAGE_SHIFT_4K || s.base !== PAGE_SHIFT_4K;
  const rpn = s.ra >> 12n; // ARPN || LP as a 4K frame number
  const sizeMask = large ? (1 << lpSizeBits(s.actual)) - 1 : 0;
  const lp = large ? (Number(rpn & 0xffn) & ~sizeMask) | enc : Number(rpn & 0xffn);
  return encodeHpte(
    {
      b: s.ssize,
      ava: virtualAddress(s.vsid, s.ea, s.ssize) >> 23n,
      sw: s.sw ?? 0,
      l: large,
      h: s.secondary ?? false,
      v: s.valid ?? true,
      pp0: (s.pp & 4) !== 0,
      ts: false,
      key: 0,
      arpn: s.ra >> 20n,
      lp,
      r: s.r ?? false,
      c: s.c ?? false,
      wimg: s.wimg,
      n: s.noExec ?? false,
      pp: s.pp & 3,
    },
    layout,
  );
}
