import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  decodeTlbieRb,
  decodeTlbieRs,
  decodeTlbInvalidateInsn,
  encodeTlbieRb,
  encodeTlbielSetRb,
  tlbieMatches,
  tlbielSetMatches,
  tlbInvalidateScope,
} from '../../src/mmu/tlbie-rb.js';
import { va, vpnFromVa } from '../../src/mmu/hash.js';
import type { PageShift } from '../../src/mmu/page-sizes.js';

// VA of VSID 0x123456, EA offset 0x2345678 (256M): 0x1234562345678.
const V4K = 0x1234562345678n;

describe('RB as Linux ___tlbie() builds it', () => {
  it('4K page, 256M segment (L=0 form)', () => {
    // va = vpn << 12 = 0x1234562345000; bits 52:63 clear; | 0 << 8 | sllp(4K)=0 << 5.
    const rb = encodeTlbieRb(vpnFromVa(V4K), 12, 12, 0) as bigint;
    expect(rb).toBe(0x1234562345000n);
    const d = decodeTlbieRb(rb);
    expect(d).toMatchObject({ l: false, is: 0, b: 0, ap: 0, lp: null, base: 12, actual: 12, instVa: 0x1234562345000n });
  });

  it('64K page, 256M segment (L=1 form, penc 1, AVAL)', () => {
    // VA 0x123456ABC0000 (EA offset 0xABC0000), vpn 0x123456ABC0:
    // va & ~0xffff = 0x123456ABC0000 | penc 1 << 12 | 0 << 8 | vpn & 0xfe = 0xC0 | L 1.
    const v = va(0x123456n, 0xabc0000n, 0);
    expect(v).toBe(0x123456abc0000n);
    const rb = encodeTlbieRb(vpnFromVa(v), 16, 16, 0) as bigint;
    expect(rb).toBe(0x123456abc10c1n);
    const d = decodeTlbieRb(rb);
    // LP = 0xC1: rrrr = 0xC are VA bits, zzzz = 0001 the 64K code; AVAL = 0xC0 >> 1 = 0x60.
    expect(d).toMatchObject({ l: true, lp: 0xc1, aval: 0x60, base: 16, actual: 16, b: 0 });
    // inst_AVA = RB[0:43] || AVAL || 0 gives back the page's VA bits.
    expect(d.instVa).toBe(0x123456abc0000n);
  });

  it('16M page, 1T segment (L=1 form, penc 0)', () => {
    // VA 0x1ABCDE2345000000: va << 12 >> 12 with the 24 offset bits clear | 1 << 8 | L.
    const v = 0x1abcde2345000000n;
    const rb = encodeTlbieRb(vpnFromVa(v), 24, 24, 1) as bigint;
    expect(rb).toBe(0x1abcde2345000101n);
    expect(decodeTlbieRb(rb)).toMatchObject({ l: true, lp: 0, base: 24, actual: 24, b: 1 });
  });

  it('16M actual page in a 4K-base segment uses the L=0 form with AP = sllp(16M) = 4', () => {
    const v = 0x1234563000000n;
    const rb = encodeTlbieRb(vpnFromVa(v), 12, 24, 0) as bigint;
    expect(rb).toBe(0x1234563000080n); // 4 << 5
    expect(decodeTlbieRb(rb)).toMatchObject({ l: false, ap: 4, base: 12, actual: 24 });
    expect(encodeTlbieRb(1n, 24, 16, 0)).toBeNull(); // no 64K page in a 16M segment
  });

  it('tlbiel set form, RS and instruction fields', () => {
    // tlbiel_hash_set_isa206(set 0x1ff, IS 3): 0x1ff << 12 | 3 << 10.
    const rb = encodeTlbielSetRb(0x1ff, 3);
    expect(rb).toBe(0x1ffc00n);
    const d = decodeTlbieRb(rb);
    expect(d.is).toBe(3);
    expect(d.set).toBe(0x1ff);
    expect(tlbInvalidateScope(d, 'tlbiel')).toBe('set-all');
    expect(tlbInvalidateScope(decodeTlbieRb(encodeTlbielSetRb(7, 2)), 'tlbie')).toBe('lpid');
    expect(tlbielSetMatches(d, 0x1ff)).toBe(true);
    expect(tlbielSetMatches(d, 0x1fe)).toBe(false);
    expect(tlbieMatches(d, V4K, 12, 12, 0)).toBe(false); // not an IS=0 form
    // tlbiel_hash_set_isa300 passes pid << 32 in RS; tlbie's LPID is RS[32:63].
    expect(decodeTlbieRs((5n << 32n) | 7n)).toEqual({ pid: 5n, lpid: 7n });
    // PPC_TLBIEL(rb=3, rs=4, ric=2, prs=1, r=0): 0x7c000224 | 4 << 21 | 2 << 18 | 1 << 17 | 3 << 11.
    const word = 0x7c000224 | (4 << 21) | (2 << 18) | (1 << 17) | (3 << 11);
    expect(decodeTlbInvalidateInsn(word)).toEqual({ rs: 4, rb: 3, ric: 2, prs: true, r: false });
  });
});

describe('tlbieMatches', () => {
  const rb4k = decodeTlbieRb(encodeTlbieRb(vpnFromVa(V4K), 12, 12, 0) as bigint);

  it('hits the same 4K page, at any offset', () => {
    expect(tlbieMatches(rb4k, V4K, 12, 12, 0)).toBe(true);
    expect(tlbieMatches(rb4k, V4K & ~0xfffn, 12, 12, 0)).toBe(true);
    expect(tlbieMatches(rb4k, V4K | 0xfffn, 12, 12, 0)).toBe(true);
  });

  it('misses another page of the same congruence class (same low page bits)', () => {
    // 2^40 bytes of VA away: every page-number bit a TLB could index by is equal.
    expect(tlbieMatches(rb4k, V4K + (1n << 40n), 12, 12, 0)).toBe(false);
    expect(tlbieMatches(rb4k, V4K + 0x1000n, 12, 12, 0)).toBe(false);
  });

  it('does not compare VA bits 0:13', () => {
    // VA bit 7 (ISA numbering) = 2^70: RB carries VA bits 14:65 only.
    expect(tlbieMatches(rb4k, V4K | (1n << 70n), 12, 12, 0)).toBe(true);
  });

  it('misses other page sizes and segment sizes', () => {
    expect(tlbieMatches(rb4k, V4K, 12, 16, 0)).toBe(false); // MPSS 64K entry
    expect(tlbieMatches(rb4k, V4K, 16, 16, 0)).toBe(false); // 64K segment
    expect(tlbieMatches(rb4k, V4K, 12, 12, 1)).toBe(false); // 1T segment
  });

  it('a 64K RB covers its whole page only, and needs AVAL for VA bits 58:61', () => {
    const v = 0x123456abc0000n;
    const rbRaw = encodeTlbieRb(vpnFromVa(v), 16, 16, 0) as bigint;
    const rb = decodeTlbieRb(rbRaw);
    expect(tlbieMatches(rb, v + 0xffffn, 16, 16, 0)).toBe(true);
    expect(tlbieMatches(rb, v + 0x10000n, 16, 16, 0)).toBe(false);
    expect(tlbieMatches(rb, v, 12, 12, 0)).toBe(false);
    // With AVAL zeroed, inst_AVA says VA bits 58:61 (0xC here) are 0: no hit.
    expect(tlbieMatches(decodeTlbieRb(rbRaw & ~0xfen), v, 16, 16, 0)).toBe(false);
  });

  it('property: the RB Linux builds hits every VA of its page and not the next page', () => {
    const sizes: [PageShift, PageShift][] = [[12, 12], [12, 16], [12, 24], [16, 16], [16, 24], [24, 24]];
    fc.assert(
      fc.property(
        fc.constantFrom(...sizes),
        fc.constantFrom(0 as const, 1 as const),
        fc.bigInt({ min: 1n, max: (1n << 38n) - 1n }),
        fc.bigInt({ min: 0n, max: (1n << 40n) - 1n }),
        ([base, actual], ssize, vsid, ea) => {
          const pageVa = va(vsid, ea, ssize) & ~((1n << BigInt(actual)) - 1n);
          const off = ea & ((1n << BigInt(actual)) - 1n);
          const rb = decodeTlbieRb(encodeTlbieRb(vpnFromVa(pageVa), base, actual, ssize) as bigint);
          expect(rb.base).toBe(base);
          expect(rb.actual).toBe(actual);
          expect(rb.b).toBe(ssize);
          expect(tlbieMatches(rb, pageVa + off, base, actual, ssize)).toBe(true);
          expect(tlbieMatches(rb, pageVa + (1n << BigInt(actual)), base, actual, ssize)).toBe(false);
          expect(tlbieMatches(rb, pageVa, base, actual, ssize === 0 ? 1 : 0)).toBe(false);
        },
      ),
    );
  });
});
