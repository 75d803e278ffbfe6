// eaOfHpte (Linux hpte_decode()): the EA a 4K PTE maps, from its AVA and its PTEG, checked as
// the inverse of placing a PTE for a random EA and VSID, in both HPTE layouts.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSdr1, encodeSdr1, primaryHash, ptegAddress, secondaryHash, SEGMENT_256M } from '../../src/mmu/hash.js';
import { buildHpte } from '../../src/mmu/hpte-build.js';
import { eaOfHpte } from '../../src/mmu/hpte-ea.js';
import type { SlbEntry } from '../../src/mmu/slb.js';

const seg = (esid: bigint, vsid: bigint): SlbEntry => ({
  valid: true, ssize: SEGMENT_256M, esid, vsid, ks: false, kp: true, noExec: false, cls: false, baseShift: 12, rs: 0n, rb: 0n,
});

describe('eaOfHpte', () => {
  for (const [layout, htabsize] of [['v2.07', 0], ['v3.0', 3]] as const) {
    it(`recovers the EA of primary and secondary 4K entries (${layout}, HTABSIZE ${htabsize})`, () => {
      const geom = decodeSdr1(encodeSdr1(0x1000000n, htabsize))!;
      fc.assert(
        fc.property(fc.bigInt(0n, (1n << 36n) - 1n), fc.bigInt(1n, (1n << 36n) - 1n), fc.bigInt(0n, 0xffffn), fc.boolean(), fc.integer({ min: 0, max: 7 }), (esid, vsid, page, secondary, i) => {
          const ea = (esid << 28n) | (page << 12n);
          const h = primaryHash(vsid, ea, SEGMENT_256M, 12);
          const slot = ptegAddress(geom, secondary ? secondaryHash(h) : h) + BigInt(i) * 16n;
          const w = buildHpte({ vsid, ea, ssize: SEGMENT_256M, base: 12, actual: 12, ra: 0x200000n, pp: 2, wimg: 2, secondary }, layout)!;
          expect(eaOfHpte(slot, w.dw0, w.dw1, layout, geom, seg(esid, vsid))).toBe(ea);
          // Another segment's SLB entry does not claim it.
          expect(eaOfHpte(slot, w.dw0, w.dw1, layout, geom, seg(esid, vsid ^ 1n))).toBeNull();
        }),
        { numRuns: 300 },
      );
    });
  }

  it('ignores invalid and large-page entries', () => {
    const geom = decodeSdr1(encodeSdr1(0x40000n, 0))!;
    const w = buildHpte({ vsid: 5n, ea: 0x1000n, ssize: SEGMENT_256M, base: 12, actual: 12, ra: 0n, pp: 2, wimg: 2, valid: false }, 'v2.07')!;
    expect(eaOfHpte(0x40000n, w.dw0, w.dw1, 'v2.07', geom, seg(0n, 5n))).toBeNull();
    const big = buildHpte({ vsid: 5n, ea: 0x1000000n, ssize: SEGMENT_256M, base: 24, actual: 24, ra: 0n, pp: 2, wimg: 2 }, 'v2.07')!;
    expect(eaOfHpte(0x40000n, big.dw0, big.dw1, 'v2.07', geom, seg(0n, 5n))).toBeNull();
  });
});
