import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  decodeSlbieRb,
  decodeSlbmteRb,
  decodeSlbmteRs,
  encodeSlbieRb,
  encodeSlbmteRb,
  encodeSlbmteRs,
  esidOf,
  linuxGetVsid,
  linuxKernelContext,
  linuxKernelVsid,
  protoVsid,
  segmentBase,
  slbiaEffect,
  slbiaInvalidates,
  slbieGuaranteed,
  slbmfeeResult,
  slbmfevResult,
  vsidScramble,
  vsidUnscramble,
  VSID_MULINV_1T,
  VSID_MULINV_256M,
  VSID_MULTIPLIER_256M,
} from '../../src/mmu/slb-format.js';

describe('slbmte operands', () => {
  it("decodes Linux's bolted linear-map entry (1T, 16M pages, kernel key)", () => {
    // get_kernel_vsid(0xc000000000000000, 1T): context 1, proto = 1 << 9 | (0xc00000 & 0x1ff) = 512;
    // 512 * 12538073 = 6419493376 = 23 * (2^28 - 1) + 245477911 -> VSID 245477911 = 0xEA1B217.
    // mk_vsid_data: 0xEA1B217 << 24 | SLB_VSID_KP 0x400 | 16M L 0x100 | 1 << 62 = 0x400EA1B217000500.
    expect(linuxKernelVsid(0xc000000000000000n, 1)).toBe(0xea1b217n);
    const rs = encodeSlbmteRs({ b: 1, vsid: 0xea1b217n, kp: true, l: true });
    expect(rs).toBe(0x400ea1b217000500n);
    const d = decodeSlbmteRs(rs);
    expect(d).toMatchObject({ b: 1, vsid: 0xea1b217n, ks: false, kp: true, n: false, l: true, c: false, lp: 0, baseShift: 24 });
    expect(d.vsidField).toBe(0xea1b217000n); // RS bits 2:51 as stored
    // mk_esid_data(ea, 1T, 0) = (ea & ESID_MASK_1T) | SLB_ESID_V | 0.
    const rb = encodeSlbmteRb(0xc000000000000000n, 1, 0);
    expect(rb).toBe(0xc000000008000000n);
    expect(decodeSlbmteRb(rb | 5n)).toEqual({ esid: 0xc00000000n, v: true, index: 5 });
  });

  it('256M kernel VSID: 2^21 * 12538073 mod (2^40 - 1)', () => {
    // proto = 1 << 21; 12538073 = 0xBF50D9; x << 21 folds at bit 40:
    // (0xBF50D9 & 0x7FFFF) << 21 | 0xBF50D9 >> 19 = 0xEA1B200000 + 23 = 0xEA1B200017.
    expect(protoVsid(1n, 0xc000000000000000n, 0)).toBe(1n << 21n);
    expect(linuxKernelVsid(0xc000000000000000n, 0)).toBe(0xea1b200017n);
    const rs = encodeSlbmteRs({ b: 0, vsid: 0xea1b200017n, kp: true, l: true, lp: 1 });
    expect(rs).toBe(0x0ea1b200017510n);
    expect(decodeSlbmteRs(rs)).toMatchObject({ b: 0, vsid: 0xea1b200017n, baseShift: 16, lp: 1 });
  });

  it('kernel contexts per region (64K-page layout table in mmu-hash.h)', () => {
    expect(linuxKernelContext(0xc000000000000000n)).toBe(1n);
    expect(linuxKernelContext(0xc002000000000000n)).toBe(2n);
    expect(linuxKernelContext(0xc008000000000000n)).toBe(5n); // vmalloc
    expect(linuxKernelContext(0xc00a000000000000n)).toBe(6n); // IO
    expect(linuxKernelContext(0xc00c000000000000n)).toBe(7n); // vmemmap
    expect(linuxKernelVsid(0x10000000n, 0)).toBe(0n); // not a kernel address
  });

  it('VSID scramble agrees with Linux folding form and its inverse', () => {
    // The VSID_MULINV values are inverses of the multiplier modulo 2^bits - 1.
    expect((VSID_MULTIPLIER_256M * VSID_MULINV_256M) % ((1n << 40n) - 1n)).toBe(1n);
    expect((VSID_MULTIPLIER_256M * VSID_MULINV_1T) % ((1n << 28n) - 1n)).toBe(1n);
    for (const ssize of [0, 1] as const) {
      const bits = ssize === 1 ? 28n : 40n;
      const mod = (1n << bits) - 1n;
      fc.assert(
        fc.property(fc.bigInt({ min: 1n, max: mod - 1n }), (proto) => {
          // Linux vsid_scramble(): x = p*m; x = (x >> bits) + (x & mod); (x + ((x+1) >> bits)) & mod.
          let x = proto * VSID_MULTIPLIER_256M;
          x = (x >> bits) + (x & mod);
          const linux = (x + ((x + 1n) >> bits)) & mod;
          expect(vsidScramble(proto, ssize)).toBe(linux);
          expect(vsidUnscramble(linux, ssize)).toBe(proto);
        }),
      );
    }
    expect(linuxGetVsid(5n, 1n << 52n, 0, 1n << 52n)).toBe(0n); // beyond H_PGTABLE_RANGE
  });

  it('round trips RS fields', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1 }),
        fc.bigInt({ min: 0n, max: (1n << 38n) - 1n }),
        fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(),
        fc.integer({ min: 0, max: 3 }),
        (b, vsid, ks, kp, n, l, c, lp) => {
          const rs = encodeSlbmteRs({ b, vsid, ks, kp, n, l, c, lp });
          expect(decodeSlbmteRs(rs)).toMatchObject({ b, vsid, ks, kp, n, l, c, lp });
          expect(slbmfevResult(rs)).toBe(rs);
        },
      ),
    );
  });
});

describe('slbmfee / slbmfev', () => {
  it('return ESID||V and B||VSID||flags||LP with reserved bits zero', () => {
    expect(slbmfeeResult(0xc000000008000003n)).toBe(0xc000000008000000n); // index dropped
    // RS with reserved bit 57 (0x40) and bits 60:63 (0xf) set: they read back 0.
    const rs = 0x400ea1b217000500n | 0x40n | 0xfn;
    expect(slbmfevResult(rs)).toBe(0x400ea1b217000500n);
  });
});

describe('slbie and slbia', () => {
  it("decodes Linux's slbie operands", () => {
    // slb_cache_slbie_user: esid << 28 | B << 25 | SLBIE_C: user EA 0x10000000, 256M.
    expect(decodeSlbieRb(0x18000000n)).toEqual({ esidField: 1n, esid: 1n, c: true, b: 0 });
    expect(encodeSlbieRb(0x10000000n, 0, true)).toBe(0x18000000n);
    // Kernel 1T: 0xc000000000000000 | 1 << 25.
    const k = decodeSlbieRb(0xc000000002000000n);
    expect(k).toEqual({ esidField: 0xc00000000n, esid: 0xc00000n, c: false, b: 1 });
    expect(slbieGuaranteed(k, { esid: 0xc00000n, ssize: 1, cls: false })).toBe(true);
    expect(slbieGuaranteed(k, { esid: 0xc00000n, ssize: 1, cls: true })).toBe(false); // class differs
    expect(slbieGuaranteed(k, { esid: 0xc00000000n, ssize: 0, cls: false })).toBe(false);
  });

  it('slbia IH values', () => {
    for (const ih of [0, 1, 2, 6]) {
      const e = slbiaEffect(ih);
      expect(e.entries).toBe('all-but-entry-0');
      expect(slbiaInvalidates(e, 0, true)).toBe(false);
      expect(slbiaInvalidates(e, 1, false)).toBe(true);
    }
    expect(slbiaEffect(1).mayKeepClass0Lookaside).toBe(true);
    expect(slbiaEffect(0).mayKeepClass0Lookaside).toBe(false);
    const ih3 = slbiaEffect(3);
    expect(slbiaInvalidates(ih3, 0, true)).toBe(true); // entry 0 too, when Class=1
    expect(slbiaInvalidates(ih3, 5, false)).toBe(false);
    expect(slbiaInvalidates(slbiaEffect(4), 0, false)).toBe(true);
    expect(slbiaInvalidates(slbiaEffect(7), 3, true)).toBe(false);
    expect(slbiaEffect(5).reserved).toBe(true);
  });
});

describe('ESIDs', () => {
  it('EA >> 28 or >> 40', () => {
    expect(esidOf(0xc000000012345678n, 0)).toBe(0xc00000001n);
    expect(esidOf(0xc000012345678000n, 1)).toBe(0xc00001n);
    expect(segmentBase(0xc00001n, 1)).toBe(0xc000010000000000n);
  });
});
