import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  convertHpteLayout,
  decodeHpte,
  encodeHpte,
  hpteDefinedBits,
  hpteIsBolted,
  hpteIsLocked,
  hptePpp,
  hpteRealPageAddress,
  HPTE_V_BOLTED,
  HPTE_V_LOCK,
  type HpteFields,
  type HpteLayout,
} from '../../src/mmu/hpte.js';
import { hptePageSizes } from '../../src/mmu/page-sizes.js';

const U64 = (1n << 64n) - 1n;

function fieldsArb(layout: HpteLayout): fc.Arbitrary<HpteFields> {
  const avaBits = layout === 'v3.0' ? 45 : 55;
  const arpnBits = layout === 'v3.0' ? 37 : 40;
  return fc.record({
    b: fc.integer({ min: 0, max: 3 }),
    ava: fc.bigInt({ min: 0n, max: (1n << BigInt(avaBits)) - 1n }),
    sw: fc.integer({ min: 0, max: 15 }),
    l: fc.boolean(),
    h: fc.boolean(),
    v: fc.boolean(),
    pp0: fc.boolean(),
    ts: fc.boolean(),
    key: fc.integer({ min: 0, max: 31 }),
    arpn: fc.bigInt({ min: 0n, max: (1n << BigInt(arpnBits)) - 1n }),
    lp: fc.integer({ min: 0, max: 255 }),
    r: fc.boolean(),
    c: fc.boolean(),
    wimg: fc.integer({ min: 0, max: 15 }),
    n: fc.boolean(),
    pp: fc.integer({ min: 0, max: 3 }),
  });
}

describe('HPTE formats', () => {
  it('decodes a 4K bolted HPTE as Linux native_hpte_insert builds it (v2.07)', () => {
    // VSID 0x123456, EA 0xc000000012345678, 256M segment:
    //   VA = 0x123456 << 28 | 0x2345678 = 0x1234562345678, vpn = VA >> 12 = 0x1234562345.
    //   hpte_encode_avpn: (vpn >> 11) << 7 = (VA >> 23) << 7; VA >> 23 = 0x2468AC4 -> 0x123456200.
    //   hpte_v = 0x123456200 | BOLTED 0x10 | VALID 1 = 0x123456211.
    //   hpte_r = pa 0x1234000 | R 0x100 | C 0x80 | M 0x10 | pp 2 = 0x1234192.
    const f = decodeHpte(0x123456211n, 0x1234192n, 'v2.07');
    expect(f).toEqual({
      b: 0, ava: 0x2468ac4n, sw: 2, l: false, h: false, v: true,
      pp0: false, ts: false, key: 0,
      arpn: 0x12n, lp: 0x34, // RA 0x1234000: ARPN = RA >> 20, LP = RA bits 12..19
      r: true, c: true, wimg: 0b0010, n: false, pp: 2,
    });
    expect(hpteRealPageAddress(f, 12)).toBe(0x1234000n);
    expect(hpteIsBolted(0x123456211n)).toBe(true);
    expect(hpteIsLocked(0x123456211n | HPTE_V_LOCK)).toBe(true);
    expect(HPTE_V_BOLTED >> 3n).toBe(2n);
  });

  it('a 16M page in a 1T segment: v2.07 and the v3.0 form Linux converts it to', () => {
    // VSID 0x1ABCDE (1T), EA offset 0x2345000000: VA = 0x1ABCDE2345000000.
    //   VA >> 23 = 0x3579BC468A (bit 23 of VA is 0), avpnm for 16M clears bit 0 (already 0).
    //   hpte_v = 0x3579BC468A << 7 (= VA >> 16 = 0x1ABCDE234500) | 1T << 62 | LARGE 4 | VALID 1
    //          = 0x40001ABCDE234505.
    //   hpte_r = 0x40000000 | penc(16M,16M)=0 << 12 | R|C|M = 0x40000190.
    //   hpte_old_to_new_v: v & 0x000fffffffffffff = 0x1ABCDE234505;
    //   hpte_old_to_new_r: r | 1 << 58 = 0x0400000040000190.
    const dw0 = 0x40001abcde234505n;
    const dw1 = 0x40000190n;
    const old = decodeHpte(dw0, dw1, 'v2.07');
    expect(old.b).toBe(1);
    expect(old.ava).toBe(0x3579bc468an);
    expect(old.l).toBe(true);
    expect(hptePageSizes(old.l, old.lp)).toEqual({ base: 24, actual: 24 });
    expect(hpteRealPageAddress(old, 24)).toBe(0x40000000n);
    const neu = convertHpteLayout(dw0, dw1, 'v2.07', 'v3.0');
    expect(neu).toEqual({ dw0: 0x1abcde234505n, dw1: 0x0400000040000190n });
    expect(decodeHpte(neu.dw0, neu.dw1, 'v3.0')).toEqual(old);
    expect(encodeHpte(old, 'v3.0')).toEqual(neu);
    expect(encodeHpte(old, 'v2.07')).toEqual({ dw0, dw1 });
  });

  it('64K page LP keeps real-address bits above its code (rrrr 0001)', () => {
    // hpte_encode_r(pa 0x12340000, 64K, 64K) = pa | penc 1 << 12 = 0x12341000: LP = 0x41.
    const f = decodeHpte(0x5n, 0x12341000n, 'v2.07');
    expect(f.lp).toBe(0x41);
    expect(hptePageSizes(f.l, f.lp)).toEqual({ base: 16, actual: 16 });
    expect(hpteRealPageAddress(f, 16)).toBe(0x12340000n);
  });

  it('storage key is KEY_HI (dw1 2:3) || KEY_LO (dw1 52:54), ppp is pp0||pp', () => {
    // key 0b10110: hi 0b10 -> bit 2 (0x2000000000000000), lo 0b110 -> 0xc00.
    const f = decodeHpte(0n, 0x2000000000000c00n | 0x8000000000000002n, 'v2.07');
    expect(f.key).toBe(0b10110);
    expect(hptePpp(f)).toBe(0b110);
  });

  for (const layout of ['v2.07', 'v3.0'] as const) {
    it(`round trip fields -> dwords -> fields (${layout})`, () => {
      fc.assert(
        fc.property(fieldsArb(layout), (f) => {
          const { dw0, dw1 } = encodeHpte(f, layout);
          expect(decodeHpte(dw0, dw1, layout)).toEqual(f);
        }),
      );
    });
    it(`round trip dwords -> fields -> dwords keeps every defined bit (${layout})`, () => {
      const defined = hpteDefinedBits(layout);
      fc.assert(
        fc.property(fc.bigInt({ min: 0n, max: U64 }), fc.bigInt({ min: 0n, max: U64 }), (dw0, dw1) => {
          const e = encodeHpte(decodeHpte(dw0, dw1, layout), layout);
          expect(e).toEqual({ dw0: dw0 & defined.dw0, dw1: dw1 & defined.dw1 });
        }),
      );
    });
  }

  it('layout conversion preserves the decoded fields when they fit v3.0', () => {
    fc.assert(
      fc.property(fieldsArb('v3.0'), (f) => {
        const old = encodeHpte(f, 'v2.07');
        const neu = convertHpteLayout(old.dw0, old.dw1, 'v2.07', 'v3.0');
        expect(neu).toEqual(encodeHpte(f, 'v3.0'));
        expect(convertHpteLayout(neu.dw0, neu.dw1, 'v3.0', 'v2.07')).toEqual(old);
      }),
    );
  });
});
