// Floating-point arithmetic (src/cpu/float-arith.ts, float-exec.ts): hand-computed cases for
// what the QEMU oracle cannot check (FR, rounding of fnmadd/fnmsub toward +/-infinity, the FX
// 0 -> 1 rule, enabled exceptions, tininess before rounding, single-format FPRF, compares
// leaving FI/FR), and fast-check properties against the host's IEEE double arithmetic, which
// rounds to nearest-even exactly: double results directly, single results through
// Math.fround (rounding twice is exact for + - * / and sqrt from 53 to 24 bits).

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as F from '../../src/cpu/float-arith.js';
import { runInsns } from '../helpers/run-words.js';

const bits = (x: number): bigint => {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setFloat64(0, x);
  return dv.getBigUint64(0);
};
const num = (b: bigint): number => {
  const dv = new DataView(new ArrayBuffer(8));
  dv.setBigUint64(0, b);
  return dv.getFloat64(0);
};
const RN = { nearest: 0, zero: 1, up: 2, down: 3 };
/** Runs one arithmetic operation and settles the FPSCR: [FRT image or null, FPSCR]. */
const op = (what: F.Arith, a: number | bigint, b: number | bigint, c: number | bigint, fpscr: number, single = false, negate = false) => {
  const v = (x: number | bigint) => (typeof x === 'bigint' ? x : bits(x));
  const s = F.settle(fpscr, F.arith(what, v(a), v(b), v(c), single ? F.SINGLE : F.DOUBLE, fpscr >>> 0, negate));
  return [s.bits, s.fpscr >>> 0] as const;
};
const fprf = (fpscr: number) => (fpscr >>> 12) & 0x1f;
/** FPSCR bits as an unsigned number (bit 0 is FX, the sign bit of a JS int32). */
const and = (a: number, m: number) => (a & m) >>> 0;

describe('rounding and FR/FI (Book I 4.3.6)', () => {
  it('sets FR when rounding incremented the fraction, FI when inexact', () => {
    // 2.5 minus a denormal, toward +infinity: 2.5, the fraction incremented from 2.4999...
    const [r, f] = op('add', 2.5, 0x801d5c4ac7f28f14n, 0, RN.up);
    expect(r).toBe(bits(2.5));
    expect(and(f, (F.FR | F.FI | F.XX | F.FX))).toBe((F.FR | F.FI | F.XX | F.FX) >>> 0);
    // 1 + 2^-53 is a tie: to even (1), not incremented.
    const [t, g] = op('add', 1, 2 ** -53, 0, RN.nearest);
    expect([t, and(g, F.FR), and(g, F.FI)]).toEqual([bits(1), 0, F.FI]);
    // 1 + 3*2^-54 rounds up to 1 + 2^-52.
    const [u, h] = op('add', 1, 3 * 2 ** -54, 0, RN.nearest);
    expect([u, and(h, F.FR)]).toEqual([bits(1 + 2 ** -52), F.FR]);
    // Exact: FR and FI cleared, FPRF +normal.
    const [e, k] = op('mul', 1.5, 0, 2, F.FR | F.FI);
    expect([e, and(k, (F.FR | F.FI)), fprf(k)]).toEqual([bits(3), 0, 0x04]);
  });

  it('rounds toward zero, +infinity and -infinity', () => {
    const third = (mode: number) => num(op('div', 1, 3, 0, mode)[0]!);
    expect(third(RN.zero)).toBe(third(RN.down));
    expect(third(RN.up)).toBeGreaterThan(third(RN.zero));
    expect(num(op('div', -1, 3, 0, RN.up)[0]!)).toBe(-third(RN.zero));
    // An exact zero sum is +0, except toward -infinity (4.3.6 "sign of result").
    expect(op('sub', 1, 1, 0, RN.nearest)[0]).toBe(0n);
    expect(op('sub', 1, 1, 0, RN.down)[0]).toBe(1n << 63n);
  });

  it('fnmadd and fnmsub round first, then negate (4.6.6)', () => {
    // fmadd(1, 2^-60, 1) = 1 + 2^-60: toward +inf 1 + 2^-52, then negated.
    expect(op('madd', 1, 1, 2 ** -60, RN.up, false, true)[0]).toBe(0xbff0000000000001n);
    expect(op('madd', 1, 1, 2 ** -60, RN.down, false, true)[0]).toBe(0xbff0000000000000n);
    // A NaN result keeps its sign.
    expect(op('madd', 0x7ff8000000000001n, 1, 1, 0, false, true)[0]).toBe(0x7ff8000000000001n);
    // fmadd is fused: (1 + 2^-52)(1 - 2^-52) - 1 = -2^-104, not 0 as two roundings give.
    expect(num(op('msub', 1 + 2 ** -52, 1, 1 - 2 ** -52, 0)[0]!)).toBe(-(2 ** -104));
  });
});

describe('exceptions (Book I 4.4)', () => {
  it('sets FX only when an exception bit goes from 0 to 1', () => {
    expect(and(op('div', 1, 3, 0, 0)[1], F.FX)).toBe(F.FX);
    expect(and(op('div', 1, 3, 0, F.XX)[1], F.FX)).toBe(0); // XX was already set
    // VX and FEX are summaries.
    const [, f] = op('sub', Infinity, Infinity, 0, 0);
    expect(and(f, (F.VXISI | F.VX | F.FEX))).toBe((F.VXISI | F.VX) >>> 0);
  });

  it('invalid operations: the default QNaN when disabled; FRT and FPRF untouched when VE = 1', () => {
    const [r, f] = op('div', 0, 0, 0, 0);
    expect([r, fprf(f), and(f, F.VXZDZ)]).toEqual([F.DEFAULT_QNAN, 0x11, F.VXZDZ]);
    const [r2, f2] = op('div', 0, 0, 0, F.VE | (0x04 << 12));
    expect(r2).toBeNull();
    expect([fprf(f2), f2 & (F.VXZDZ | F.FEX | F.FR | F.FI)]).toEqual([0x04, (F.VXZDZ | F.FEX) >>> 0]);
    expect(and(op('sqrt', 0, -1, 0, 0)[1], F.VXSQRT)).toBe(F.VXSQRT);
    expect(and(op('mul', Infinity, 0, 0, 0)[1], F.VXIMZ)).toBe(F.VXIMZ);
    // An SNaN operand: VXSNAN, and the result is the SNaN quieted (FRA's before FRB's).
    const [s, g] = op('add', 0x7ff0000000000001n, 0x7ff8000000000002n, 0, 0);
    expect([s, and(g, F.VXSNAN)]).toEqual([0x7ff8000000000001n, F.VXSNAN]);
  });

  it('zero divide: infinity, or FRT untouched when ZE = 1', () => {
    const [r, f] = op('div', -2, 0, 0, 0);
    expect([r, and(f, F.ZX), fprf(f)]).toEqual([bits(-Infinity), F.ZX, 0x09]);
    expect(op('div', -2, 0, 0, F.ZE)[0]).toBeNull();
  });

  it('overflow: infinity or the largest number by rounding mode; adjusted by 1536 when OE = 1', () => {
    const max = 0x7fefffffffffffffn;
    expect(op('mul', max, 0, 2, RN.nearest)[0]).toBe(bits(Infinity));
    expect(op('mul', max, 0, 2, RN.zero)[0]).toBe(max);
    expect(op('mul', -2, 0, max, RN.up)[0]).toBe(max | (1n << 63n));
    expect(and(op('mul', max, 0, 2, 0)[1], (F.OX | F.XX | F.FI))).toBe((F.OX | F.XX | F.FI) >>> 0);
    // 2^1023 * 2 = 2^1024, delivered as 2^(1024 - 1536) = 2^-512, exact: OX without XX.
    const [r, f] = op('mul', 2 ** 1023, 0, 2, F.OE);
    expect([r, and(f, (F.OX | F.XX)), fprf(f)]).toEqual([bits(2 ** -512), F.OX, 0x04]);
    // Single precision overflows at 2^128.
    expect(op('mul', 2 ** 127, 0, 2, 0, true)[0]).toBe(bits(Infinity));
  });

  it('underflow: tininess before rounding; signalled when disabled only if inexact; adjusted when UE = 1', () => {
    // (1 - 2^-53) * 2^-1022 rounds to 2^-1022 (normal), but was tiny before rounding: UX.
    const [r, f] = op('mul', 1 - 2 ** -53, 0, 2 ** -1022, 0);
    expect([r, and(f, F.UX), fprf(f)]).toEqual([bits(2 ** -1022), F.UX, 0x04]);
    // An exact denormal result: no UX; FPRF +denormal.
    const [d, g] = op('mul', 2 ** -1000, 0, 2 ** -30, 0);
    expect([d, and(g, F.UX), fprf(g)]).toEqual([bits(2 ** -1030), 0, 0x14]);
    // UE = 1: 2^-1032 delivered as 2^(1536 - 1032) = 2^504, UX although exact.
    const [e, h] = op('mul', 2 ** -1022, 0, 2 ** -10, F.UE);
    expect([e, and(h, (F.UX | F.XX))]).toEqual([bits(2 ** 504), F.UX]);
  });
});

describe('single precision, conversions, compares', () => {
  it('classifies a single-precision denormal result as denormal (frsp, fmuls)', () => {
    const r = F.settle(0, F.roundToSingle(bits(2 ** -130), 0));
    expect([r.bits, fprf(r.fpscr), r.fpscr & F.UX]).toEqual([bits(2 ** -130), 0x14, 0]);
    // 2^-150 * 1.5 is below half the smallest single denormal's... it rounds to 2^-149.
    const [m, f] = op('mul', 2 ** -150 * 1.5, 0, 1, 0, true);
    expect([m, fprf(f), and(f, (F.UX | F.XX))]).toEqual([bits(2 ** -149), 0x14, (F.UX | F.XX) >>> 0]);
    // A NaN result of a single-precision operation keeps FRB's top 23 fraction bits only.
    expect(op('add', 0, 0x7ff80000ffffffffn, 0, 0, true)[0]).toBe(0x7ff80000e0000000n);
  });

  it('fcti* round by RN (or toward zero), saturate with VXCVI, sign-extend the word', () => {
    const to = (x: number, n: 32 | 64, u: boolean, z: boolean, rn = 0) => F.toInteger(bits(x), n, u, z, rn);
    expect(to(-5.5, 32, false, false).bits).toBe(0xfffffffffffffffan); // -6: ties to even
    expect(to(-5.5, 32, false, true).bits).toBe(0xfffffffffffffffbn); // -5
    expect(to(2.5, 64, false, false, RN.up).bits).toBe(3n);
    expect(to(2 ** 31, 32, false, true)).toMatchObject({ bits: 0x7fffffffn, raised: F.VXCVI });
    expect(to(-1, 32, true, true)).toMatchObject({ bits: 0n, raised: F.VXCVI });
    expect(to(NaN, 64, false, true)).toMatchObject({ bits: 0x8000000000000000n, raised: F.VXCVI });
    expect(to(0.5, 64, false, true)).toMatchObject({ bits: 0n, raised: F.XX, fi: true });
  });

  it('frin rounds ties away from zero, friz/frip/frim by their direction; a zero keeps the sign; no XX', () => {
    const ri = (x: number, mode: 0 | 1 | 2 | 3) => F.roundToIntegral(bits(x), mode);
    expect([2.5, -2.5, 0.49999999999999994, 1.5].map((x) => num(ri(x, 0).bits!))).toEqual([3, -3, 0, 2]);
    expect(ri(-0.5, 1).bits).toBe(bits(-0));
    expect([num(ri(-1.25, 2).bits!), num(ri(-1.25, 3).bits!), num(ri(1.25, 2).bits!)]).toEqual([-1, -2, 2]);
    expect(ri(2.75, 3)).toMatchObject({ raised: 0, fr: false, fi: false, fprf: 0x04 });
    expect(ri(2 ** 60 + 2 ** 8, 0).bits).toBe(bits(2 ** 60 + 2 ** 8)); // already integral
  });

  it('fcmpu/fcmpo set the CR field and FPCC, leave FI/FR and C; fcmpo signals VXVC', () => {
    expect(F.compare(bits(1), bits(2), false, 0).code).toBe(8);
    expect(F.compare(bits(-0), bits(0), false, 0).code).toBe(2);
    expect(F.compare(bits(-Infinity), bits(-1e308), false, 0).code).toBe(8);
    expect(F.compare(bits(NaN), bits(0), false, 0)).toEqual({ code: 1, raised: 0 });
    expect(F.compare(bits(NaN), bits(0), true, 0)).toEqual({ code: 1, raised: F.VXVC });
    expect(F.compare(0x7ff0000000000001n, bits(0), true, F.VE)).toEqual({ code: 1, raised: F.VXSNAN });
    // Through the interpreter: FI and C (0x10000) kept, FPCC = LT, CR6 = LT.
    const p = runInsns([['fcmpu', 6, 1, 2]], { setup: (pr) => {
      pr.cpu.fpscr = F.FI | 0x10000;
      pr.cpu.vsr[1 << 2] = 0x3ff00000; // 1.0
      pr.cpu.vsr[2 << 2] = 0x40000000; // 2.0
    } });
    expect(p.cpu.fpscr >>> 0).toBe((F.FI | 0x10000 | 0x8000) >>> 0);
    expect((p.cpu.cr >>> 4) & 0xf).toBe(8);
  });

  it('mtfsf/mtfsfi/mtfsb1 set FX only as a written bit; mffs reads the FPSCR; Rc copies FX FEX VX OX to CR1', () => {
    expect(F.moveToFpscr(0, F.OX, F.OX) >>> 0).toBe(F.OX);
    expect(F.moveToFpscr(0, 0xf0000000, F.FX | F.OX) >>> 0).toBe((F.FX | F.OX) >>> 0);
    expect(F.moveToFpscr(0, 0xffffffff, F.VE | F.VXCVI) >>> 0).toBe((F.VE | F.VXCVI | F.VX | F.FEX) >>> 0);
    const p = runInsns([['fdiv.', 3, 1, 2], ['mffs', 4]], { setup: (pr) => {
      pr.cpu.vsr[1 << 2] = 0x3ff00000; // 1.0 / 0.0
    } });
    expect(p.cpu.vsr[3 << 2]! >>> 0).toBe(0x7ff00000);
    expect(p.cpu.fpscr >>> 0).toBe((F.FX | F.ZX | (0x05 << 12)) >>> 0);
    expect(p.cpu.vsr[(4 << 2) | 1]! >>> 0).toBe(p.cpu.fpscr >>> 0);
    expect((p.cpu.cr >>> 24) & 0xf).toBe(8); // FX
  });

  it('fsel picks FRC for FRA >= 0 (-0 included), FRB for a negative or NaN FRA', () => {
    const sel = (a: number) => runInsns([['fsel', 3, 1, 2, 4]], { setup: (pr) => {
      const b = bits(a);
      pr.cpu.vsr[1 << 2] = Number(b >> 32n) | 0;
      pr.cpu.vsr[(1 << 2) | 1] = Number(b & 0xffffffffn) | 0;
      pr.cpu.vsr[2 << 2] = 0x11111111;
      pr.cpu.vsr[4 << 2] = 0x44444444;
    } }).cpu.vsr[3 << 2];
    expect([sel(-0), sel(1), sel(-1), sel(NaN)]).toEqual([0x11111111, 0x11111111, 0x44444444, 0x44444444]);
  });
});

describe('against the host (round to nearest-even)', () => {
  const finite = fc.double({ noNaN: true, noDefaultInfinity: true });
  const single = fc.float({ noNaN: true, noDefaultInfinity: true }).map((x) => Math.fround(x));
  const same = (ours: bigint | null, host: number) => {
    if (Number.isNaN(host)) expect(ours).toBe(F.DEFAULT_QNAN);
    else expect(ours).toBe(bits(host));
  };
  it('double + - * / sqrt equal the host bit for bit', () => {
    fc.assert(fc.property(finite, finite, (a, b) => {
      same(op('add', a, b, 0, 0)[0], a + b);
      same(op('sub', a, b, 0, 0)[0], a - b);
      same(op('mul', a, 0, b, 0)[0], a * b);
      same(op('div', a, b, 0, 0)[0], a / b);
      same(op('sqrt', 0, Math.abs(b), 0, 0)[0], Math.sqrt(Math.abs(b)));
    }), { numRuns: 3000 });
  });
  it('single + - * / sqrt equal Math.fround of the host result', () => {
    fc.assert(fc.property(single, single, (a, b) => {
      same(op('add', a, b, 0, 0, true)[0], Math.fround(a + b));
      same(op('sub', a, b, 0, 0, true)[0], Math.fround(a - b));
      same(op('mul', a, 0, b, 0, true)[0], Math.fround(a * b));
      same(op('div', a, b, 0, 0, true)[0], Math.fround(a / b));
      same(op('sqrt', 0, Math.abs(b), 0, 0, true)[0], Math.fround(Math.sqrt(Math.abs(b))));
      same(F.roundToSingle(bits(a * 3.3), 0).bits, Math.fround(a * 3.3));
    }), { numRuns: 3000 });
  });
  it('fcfid equals the host conversion; fctidz equals Math.trunc in range', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), (v) => {
      same(F.fromInteger(BigInt.asUintN(64, v), false, F.DOUBLE, 0).bits, Number(v));
    }), { numRuns: 3000 });
    fc.assert(fc.property(fc.double({ min: -9e18, max: 9e18, noNaN: true }), (x) => {
      expect(BigInt.asIntN(64, F.toInteger(bits(x), 64, false, true, 0).bits!)).toBe(BigInt(Math.trunc(x)));
    }), { numRuns: 3000 });
  });
});

describe('fre, frsqrte (Book I 4.6.6), by hand', () => {
  it('1/+0 is +infinity with ZX (QEMU 7.2 gives 0.5 for fres); 1/sqrt(4) = 0.5 exactly; a negative root is VXSQRT; XX is never set', () => {
    const s = F.estimate(false, 0n, F.SINGLE, 0);
    expect([s.bits, s.raised]).toEqual([0x7ff0000000000000n, F.ZX]);
    const r = F.estimate(true, 0x4010000000000000n, F.DOUBLE, 0);
    expect([r.bits, r.raised]).toEqual([0x3fe0000000000000n, 0]);
    expect(F.estimate(true, 0xc010000000000000n, F.DOUBLE, 0).raised & F.VXSQRT).toBe(F.VXSQRT);
    expect(F.estimate(false, 0x4008000000000000n, F.DOUBLE, 0).raised & F.XX).toBe(0); // 1/3 is inexact
  });
});

describe('mcrfs, ftdiv, ftsqrt (Book I 4.6.8, 4.6.10), by hand', () => {
  it('mcrfs copies an FPSCR field to CR and clears the exception bits it copied (FX too), leaving the others', () => {
    const p = runInsns([['mtfsb1', 0], ['mtfsb1', 3], ['mtfsb1', 6], ['mcrfs', 1, 0], ['mcrfs', 2, 1]]); // FX, OX, XX
    expect((p.cpu.cr >>> 24) & 0xf).toBe(0b1001); // field 0: FX FEX VX OX
    expect((p.cpu.cr >>> 20) & 0xf).toBe(0b0010); // field 1: UX ZX XX VXSNAN
    expect(p.cpu.fpscr >>> 0).toBe(0);
  });
  it('ftdiv/ftsqrt: 0b1000 for ordinary operands; fe and fg for a zero divisor or a zero root; fe for a negative root', () => {
    expect(F.testDivide(0x3ff0000000000000n, 0x4000000000000000n)).toEqual([false, false]); // 1 / 2
    expect(F.testDivide(0x3ff0000000000000n, 0n)).toEqual([true, true]); // 1 / 0
    expect(F.testDivide(0x3ff0000000000000n, 1n)).toEqual([true, true]); // 1 / smallest denormal: e_b = -1023
    expect(F.testDivide(0x7fe0000000000000n, 0x3ff0000000000000n)).toEqual([true, false]); // 2^1023 / 1: e_a - e_b = 1023, the quotient may overflow
    expect(F.testDivide(0x7fd0000000000000n, 0x3ff0000000000000n)).toEqual([false, false]); // 2^1022 / 1: e_a - e_b = 1022
    expect(F.testSqrt(0x4010000000000000n)).toEqual([false, false]); // sqrt(4)
    expect(F.testSqrt(0xc010000000000000n)).toEqual([true, false]); // sqrt(-4)
    expect(F.testSqrt(0n)).toEqual([true, true]);
    const p = runInsns([['ftdiv', 3, 1, 2], ['ftsqrt', 4, 2]], {
      setup: (q) => {
        q.cpu.vsr.set([0x3ff00000, 0], 4); // f1 = 1
        q.cpu.vsr.set([0, 0], 8); // f2 = 0
      },
    });
    expect((p.cpu.cr >>> 16) & 0xf).toBe(0b1110);
    expect((p.cpu.cr >>> 12) & 0xf).toBe(0b1110);
  });
});
