import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  avaOfVa,
  decodePate0Hash,
  decodePtcr,
  decodeSdr1,
  encodePate0Hash,
  encodeSdr1,
  primaryHash,
  primaryHashOfVa,
  pteMatchesVa,
  ptegAddress,
  ptegIndex,
  secondaryHash,
  va,
  vpnFromVa,
  type HtabGeometry,
} from '../../src/mmu/hash.js';
import { encodeHpte, decodeHpte } from '../../src/mmu/hpte.js';

const VSID = 0x123456n;

describe('virtual address', () => {
  it('VSID || EA offset', () => {
    // 256M: 0x123456 << 28 | (0xc000000012345678 & 0xfffffff = 0x2345678).
    expect(va(VSID, 0xc000000012345678n, 0)).toBe(0x1234562345678n);
    expect(vpnFromVa(0x1234562345678n)).toBe(0x1234562345n);
    // 1T: 0x1ABCDE << 40 | 0x2345000000.
    expect(va(0x1abcden, 0xc000002345000000n, 1)).toBe(0x1abcde2345000000n);
  });
});

describe('hash functions', () => {
  it('256M segments: VSID ^ (EA_in_segment >> p)', () => {
    const ea = 0xabcd000n; // offset in the segment
    // 4K: 0xABCD000 >> 12 = 0xABCD; 0x123456 ^ 0x00ABCD = 0x129F9B.
    expect(primaryHash(VSID, ea, 0, 12)).toBe(0x129f9bn);
    // 64K: >> 16 = 0xABC; 0x456 ^ 0xABC = 0xEEA -> 0x123EEA.
    expect(primaryHash(VSID, ea, 0, 16)).toBe(0x123eean);
    // 16M: >> 24 = 0xA; 0x56 ^ 0x0A = 0x5C -> 0x12345C.
    expect(primaryHash(VSID, ea, 0, 24)).toBe(0x12345cn);
    // Whole EA or offset: the ESID bits do not take part.
    expect(primaryHash(VSID, 0xc00000000abcd000n, 0, 12)).toBe(0x129f9bn);
  });

  it('1T segments: VSID ^ (VSID << 25) ^ (EA_in_segment >> p), 39 bits', () => {
    const ea = 0x1234567000n;
    // VSID << 25 = 0x2468AC000000, masked to 39 bits = 0x68AC000000.
    // 4K: page 0x1234567; 0x123456 ^ 0x1234567 = 0x1317131 -> 0x68AC000000 ^ 0x1317131.
    expect(primaryHash(VSID, ea, 1, 12)).toBe(0x68ad317131n);
    // 64K: page 0x123456 cancels the VSID -> 0x68AC000000.
    expect(primaryHash(VSID, ea, 1, 16)).toBe(0x68ac000000n);
    // 16M: page 0x1234; 0x123456 ^ 0x1234 = 0x122662.
    expect(primaryHash(VSID, ea, 1, 24)).toBe(0x68ac122662n);
    expect(primaryHashOfVa(va(VSID, ea, 1), 1, 12)).toBe(0x68ad317131n);
  });

  it('secondary hash is the 39-bit complement', () => {
    // 0x7FFFFFFFFF - 0x129F9B = 0x7FFFED6064.
    expect(secondaryHash(0x129f9bn)).toBe(0x7fffed6064n);
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 0x7fffffffffn }), (h) => {
        expect(secondaryHash(secondaryHash(h))).toBe(h);
        expect(secondaryHash(h) ^ h).toBe(0x7fffffffffn);
      }),
    );
  });
});

describe('hash table location', () => {
  it('SDR1: HTABORG and HTABSIZE, PTEG addresses', () => {
    // SDR1 = 0x1000000 | 0: 2^11 PTEGs of 128 bytes = 256 KiB at 16 MiB.
    const g = decodeSdr1(0x1000000n) as HtabGeometry;
    expect(g).toEqual({ htaborg: 0x1000000n, htabsize: 0, ptegs: 2048n, hashMask: 0x7ffn, bytes: 0x40000n });
    // primary 0x129F9B & 0x7FF = 0x79B -> 0x1000000 + 0x79B * 128 = 0x103CD80;
    // secondary 0x7FFFED6064 & 0x7FF = 0x064 -> 0x1000000 + 0x64 * 128 = 0x1003200.
    expect(ptegIndex(g, 0x129f9bn)).toBe(0x79bn);
    expect(ptegAddress(g, 0x129f9bn)).toBe(0x103cd80n);
    expect(ptegAddress(g, secondaryHash(0x129f9bn))).toBe(0x1003200n);
  });

  it("SDR1 as Linux htab_initialize() writes it: table + log2(bytes) - 18", () => {
    // 16 MiB table at 1 GiB: 0x40000000 + 24 - 18 = 0x40000006; 2^(11+6) PTEGs.
    const g = decodeSdr1(0x40000006n) as HtabGeometry;
    expect(g.ptegs).toBe(1n << 17n);
    expect(g.bytes).toBe(1n << 24n);
    expect(encodeSdr1(0x40000000n, 6)).toBe(0x40000006n);
    expect(decodeSdr1(0x40000000n | 29n)).toBeNull();
  });

  it('PTCR and partition-table entry 0 (POWER9 hash)', () => {
    // Linux: PTCR = __pa(partition_tb) | (PATB_SIZE_SHIFT - 12); PATB_SIZE_SHIFT = 12 + 4
    // (mmu_lpid_bits 12) -> PATS 4: 64 KiB, 4096 entries.
    expect(decodePtcr(0x2000004n)).toEqual({ patb: 0x2000000n, pats: 4, bytes: 65536n, entries: 4096n });
    // hash_init_partition_table(): dw0 = table | (log2(size) - 18) with PS 0, HR 0.
    const p = decodePate0Hash(0x40000006n);
    expect(p.hr).toBe(false);
    expect(p.ps).toBe(0);
    expect(p.geometry?.htaborg).toBe(0x40000000n);
    expect(p.geometry?.ptegs).toBe(1n << 17n);
    expect(encodePate0Hash(0x40000000n, 6)).toBe(0x40000006n);
    // PS = 0b101 (64K VRMA pages) sits at bits 56:58 = 0xa0.
    expect(decodePate0Hash(0x400000a6n).ps).toBe(5);
    expect(decodePate0Hash((1n << 63n) | 0x40000006n).geometry).toBeNull();
  });
});

describe('PTE compare in a search', () => {
  const base4k = {
    b: 0, sw: 0, l: false, h: false, v: true, pp0: false, ts: false, key: 0,
    arpn: 0x12n, lp: 0x34, r: true, c: true, wimg: 2, n: false, pp: 2,
  };
  const v4k = 0x1234562345678n;

  it('a 4K PTE matches its VA in the primary group only', () => {
    const { dw0, dw1 } = encodeHpte({ ...base4k, ava: avaOfVa(v4k) }, 'v2.07');
    expect(dw0).toBe(0x123456201n);
    expect(pteMatchesVa(dw0, dw1, 'v2.07', v4k, 0, 12, false)).toEqual({ base: 12, actual: 12 });
    expect(pteMatchesVa(dw0, dw1, 'v2.07', v4k, 0, 12, true)).toBeNull(); // H differs
    expect(pteMatchesVa(dw0, dw1, 'v2.07', v4k, 1, 12, false)).toBeNull(); // B differs
    expect(pteMatchesVa(dw0, dw1, 'v2.07', v4k, 0, 16, false)).toBeNull(); // 64K segment
    // Another 4K page 8 MiB away differs in VA bit 54 (the last AVA bit): no match.
    expect(pteMatchesVa(dw0, dw1, 'v2.07', v4k + 0x800000n, 0, 12, false)).toBeNull();
    const inv = encodeHpte({ ...base4k, ava: avaOfVa(v4k), v: false }, 'v2.07');
    expect(pteMatchesVa(inv.dw0, inv.dw1, 'v2.07', v4k, 0, 12, false)).toBeNull();
  });

  it('a 16M PTE matches any VA of its page (AVA bit for VA bit 54 ignored, avpnm 1)', () => {
    const v16 = 0x1abcde2345000000n; // 1T segment, 16M aligned
    const f = { ...base4k, b: 1, l: true, lp: 0, arpn: 0x400n, ava: avaOfVa(v16) };
    for (const layout of ['v2.07', 'v3.0'] as const) {
      const { dw0, dw1 } = encodeHpte(f, layout);
      expect(pteMatchesVa(dw0, dw1, layout, v16 + 0xabcdefn, 1, 24, false)).toEqual({ base: 24, actual: 24 });
      expect(pteMatchesVa(dw0, dw1, layout, v16 + 0x1000000n, 1, 24, false)).toBeNull();
    }
  });

  it('a 64K actual page in a 4K-base segment (MPSS, penc 7) is found with base 4K', () => {
    const v = 0x1234562340000n;
    const { dw0, dw1 } = encodeHpte({ ...base4k, l: true, lp: 0x47, ava: avaOfVa(v) }, 'v2.07');
    expect(pteMatchesVa(dw0, dw1, 'v2.07', v + 0x1234n, 0, 12, false)).toEqual({ base: 12, actual: 16 });
    expect(pteMatchesVa(dw0, dw1, 'v2.07', v, 0, 16, false)).toBeNull();
  });

  it('v3.0 holds VA bits 10:54 only', () => {
    const v = (1n << 70n) | v4k; // VA bit 7 set (ISA numbering)
    const { dw0, dw1 } = encodeHpte({ ...base4k, ava: avaOfVa(v) }, 'v3.0');
    expect(decodeHpte(dw0, dw1, 'v3.0').ava).toBe(avaOfVa(v4k));
    expect(pteMatchesVa(dw0, dw1, 'v3.0', v, 0, 12, false)).toBeNull();
    expect(pteMatchesVa(dw0, dw1, 'v3.0', v4k, 0, 12, false)).not.toBeNull();
  });
});
