// Floating-point loads, stores and fmr (Book I 4.6.2-4.6.5). The single/double conversions
// (src/cpu/float-format.ts, integer code from the ISA's pseudocode) are checked against the
// host's IEEE conversions where those are exact, and by hand where the ISA differs from a
// host conversion (signalling NaNs keep their payload; a store truncates).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { doubleToSingle, singleToDouble } from '../../src/cpu/float-format.js';
import { DATA, gpr, runInsns } from '../helpers/run-words.js';

const buf = new DataView(new ArrayBuffer(8));
/** The host's widening of a single (exact for every non-NaN value). */
function hostWiden(word: number): [number, number] {
  buf.setUint32(0, word >>> 0);
  buf.setFloat64(0, buf.getFloat32(0));
  return [buf.getInt32(0), buf.getInt32(4)];
}
/** The host's narrowing of a double that is exactly a single (so no rounding happens). */
function hostNarrow(hi: number, lo: number): number {
  buf.setInt32(0, hi);
  buf.setInt32(4, lo);
  buf.setFloat32(0, buf.getFloat64(0));
  return buf.getInt32(0);
}
const isNaN32 = (w: number) => ((w >>> 23) & 0xff) === 0xff && (w & 0x7fffff) !== 0;

describe('single <-> double conversions (Book I 4.6.2, 4.6.3)', () => {
  it('widening a single agrees with the host for every non-NaN word (normal, denormal, zero, infinity)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (w) => {
        fc.pre(!isNaN32(w));
        expect(singleToDouble(w)).toEqual(hostWiden(w));
      }),
      { numRuns: 20000 },
    );
    for (const w of [0x00000001, 0x007fffff, 0x80400000, 0x00800000, 0x7f800000, 0xff800000, 0x80000000]) expect(singleToDouble(w), w.toString(16)).toEqual(hostWiden(w));
  });

  it('storing what was loaded gives the word back, NaN payloads and signalling NaNs included', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (w) => {
        const [h, l] = singleToDouble(w);
        expect(doubleToSingle(h, l) >>> 0).toBe(w >>> 0);
      }),
      { numRuns: 20000 },
    );
    // A signalling NaN (quiet bit 0) stays signalling: 0x7f800001 -> 0x7ff0000020000000.
    expect(singleToDouble(0x7f800001).map((x) => x >>> 0)).toEqual([0x7ff00000, 0x20000000]);
  });

  it('a store truncates the significand (no rounding) in the normal range, as the host does for the truncated value', () => {
    fc.assert(
      fc.property(fc.integer({ min: 897, max: 1150 }), fc.integer({ min: 0, max: 0xfffff }), fc.integer({ min: 0, max: 0xffffffff }), fc.boolean(), (exp, fh, fl, neg) => {
        const hi = ((neg ? 0x80000000 : 0) | (exp << 20) | fh) | 0;
        const truncatedLo = (fl & ~0x1fffffff) | 0; // drop the 29 bits a single cannot hold
        expect(doubleToSingle(hi, fl | 0)).toBe(hostNarrow(hi, truncatedLo));
      }),
      { numRuns: 20000 },
    );
    // 1 + 2^-24 + 2^-52 truncates to 1.0 (a rounding conversion would give 1 + 2^-23).
    expect(doubleToSingle(0x3ff00000, 0x10000001) >>> 0).toBe(0x3f800000);
  });

  it('denormalises doubles below the single normal range (exponents 874-896)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 874, max: 896 }), fc.integer({ min: 0, max: 0xfffff }), fc.integer({ min: 0, max: 0xffffffff }), (exp, fh, fl) => {
        // Keep only the significand bits the single denormal holds, so the host is exact.
        const keep = 23 - (897 - exp); // bits of the fraction that survive
        const hiMask = keep >= 20 ? 0xfffff : (0xfffff >>> (20 - keep)) << (20 - keep);
        const loMask = keep > 20 ? ((0xffffffff << (32 - (keep - 20))) | 0) : 0;
        const hi = ((exp << 20) | (fh & hiMask)) | 0;
        const lo = (fl & loMask) | 0;
        expect(doubleToSingle(hi, lo)).toBe(hostNarrow(hi, lo));
      }),
      { numRuns: 20000 },
    );
    expect(doubleToSingle(0x36a00000, 0) >>> 0).toBe(0x00000001); // 2^-149
  });
});

describe('floating-point loads and stores in the interpreter', () => {
  for (const le of [false, true]) {
    it(`lfs/stfs, lfd/stfd, update and indexed forms, lfiwax/lfiwzx/stfiwx, fmr (${le ? 'LE' : 'BE'})`, () => {
      const data = new Uint8Array(64);
      const dv = new DataView(data.buffer);
      dv.setUint32(0, 0x3f800000, le); // 1.0f
      dv.setUint32(4, 0xc0490fdb, le); // -3.14159274f
      dv.setFloat64(8, -2.5, le);
      dv.setUint32(16, 0x80000005, le);
      const p = runInsns(
        [
          ['lfs', 1, 0, 14], // f1 = 1.0
          ['lfsu', 2, 4, 15], // f2 = -3.14159274, r15 += 4
          ['lfd', 3, 8, 14],
          ['li', 16, 16],
          ['lfiwax', 4, 14, 16],
          ['lfiwzx', 5, 14, 16],
          ['fmr', 6, 3],
          ['stfd', 6, 24, 14], // -2.5 back to storage
          ['stfs', 1, 32, 14],
          ['li', 17, 36],
          ['stfsx', 2, 14, 17],
          ['stfiwx', 4, 0, 18], // r18 = DATA + 40 (indexed, RA=0)
          ['stfdu', 3, 48, 19], // r19 = DATA: writes DATA+48, r19 += 48
        ],
        { le, data, regs: { 14: DATA, 15: DATA, 18: DATA + 40n, 19: DATA } },
      );
      expect(p.diagnostics).toEqual([]);
      const f = (n: number) => [p.cpu.vsr[n << 2]! >>> 0, p.cpu.vsr[(n << 2) | 1]! >>> 0];
      expect(f(1)).toEqual([0x3ff00000, 0]);
      expect(f(2)).toEqual([0xc00921fb, 0x60000000]); // -3.14159274 widened
      expect(gpr(p, 15)).toBe(DATA + 4n);
      expect(f(3)).toEqual([0xc0040000, 0]);
      expect(f(4)).toEqual([0xffffffff, 0x80000005]); // sign-extended
      expect(f(5)).toEqual([0, 0x80000005]); // zero-extended
      expect(f(6)).toEqual(f(3));
      const out = new DataView(p.space.read(DATA, 64)!.buffer);
      expect(out.getFloat64(24, le)).toBe(-2.5);
      expect(out.getUint32(32, le)).toBe(0x3f800000);
      expect(out.getUint32(36, le)).toBe(0xc0490fdb);
      expect(out.getUint32(40, le)).toBe(0x80000005);
      expect(out.getFloat64(48, le)).toBe(-2.5);
      expect(gpr(p, 19)).toBe(DATA + 48n);
    });
  }
});
