// The host-double fast path (src/cpu/float-fast.ts) against the exact BigInt path of
// float-arith.ts (itself checked against QEMU and the host in float-arith.test.ts and the FP
// oracle): wherever the fast path takes an operation it must give the same result image, FR
// and FI. Operands come from generators that hit the hard cases on purpose: ties (few
// significant bits), exact results, cancellation (b close to -a*c), denormals and values
// near the fast path's range bounds, as well as random bit patterns.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import * as F from '../../src/cpu/float-arith.js';
import { FAST, FAST_INT, fastArith, fastFromInteger, fastRoundToSingle, fastToInteger } from '../../src/cpu/float-fast.js';
import { runInsns } from '../helpers/run-words.js';

const dv = new DataView(new ArrayBuffer(8));
const bits = (x: number): bigint => (dv.setFloat64(0, x), dv.getBigUint64(0));

/** A double of `m` significant bits at scale 2^e: ties and exact results are common. */
const structured = fc
  .tuple(fc.integer({ min: 1, max: 2 ** 30 }), fc.integer({ min: 0, max: 30 }), fc.integer({ min: -1070, max: 1020 }), fc.boolean())
  .map(([m, extra, e, neg]) => (neg ? -1 : 1) * (m * 2 ** extra + 1) * 2 ** e);
const anyBits = fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }).map((b) => (dv.setBigUint64(0, b), dv.getFloat64(0)));
const near = fc.tuple(fc.double({ min: -4, max: 4, noNaN: true }), fc.integer({ min: -30, max: 30 })).map(([x, e]) => x * 2 ** e);
const operand = fc.oneof(structured, anyBits, near, fc.constantFrom(0, -0, 1, -1, 2 ** -1022, 2 ** -960, 2 ** 990, 2 ** -1074, Number.MAX_VALUE));

/** The exact path's image, FR and FI for the same operation (RN = 0). */
function exact(op: F.Arith, a: number, b: number, c: number, single: boolean): [bigint | null, boolean, boolean] {
  const r = F.arith(op, bits(a), bits(b), bits(c), single ? F.SINGLE : F.DOUBLE, 0);
  return [r.bits, r.fr, r.fi];
}

let taken = 0;
let tried = 0;
function check(op: F.Arith, a: number, b: number, c: number, single: boolean): void {
  tried++;
  if (!fastArith(op, a, b, c, single, 0)) return;
  taken++;
  const [img, fr, fi] = exact(op, a, b, c, single);
  expect([bits(FAST.value), FAST.fr, FAST.fi], `${op} ${a} ${b} ${c} single=${single}`).toEqual([img, fr, fi]);
}

describe('float fast path = exact path (RN = 0)', () => {
  for (const op of ['add', 'sub', 'mul', 'div', 'sqrt'] as const) {
    it(`${op}, double and single`, () => {
      taken = tried = 0;
      fc.assert(
        fc.property(operand, operand, fc.boolean(), (x, y, single) => {
          const a = single ? Math.fround(x) : x;
          const b = single ? Math.fround(y) : y;
          // arith()'s operand slots: mul multiplies a by c; sqrt takes b.
          check(op, a, op === 'mul' ? 0 : op === 'sqrt' ? Math.abs(b) : b, op === 'mul' ? b : 0, single);
        }),
        { numRuns: 20000 },
      );
      // Not vacuous: most cases take the fast path.
      expect(taken / tried).toBeGreaterThan(0.3);
    });
  }

  it('fused multiply-add and -subtract, with cancellation', () => {
    taken = tried = 0;
    fc.assert(
      fc.property(operand, operand, fc.oneof(operand, fc.integer({ min: -8, max: 8 })), fc.boolean(), (a, c, d, msub) => {
        // d small: b is -a*c (rounded) moved by d ulps, so the sum cancels.
        const b = typeof d === 'number' && Number.isInteger(d) && Math.abs(d) <= 8 ? -(a * c) * (1 + d * 2 ** -52) : d;
        check(msub ? 'msub' : 'madd', a, msub ? -b : b, c, false);
      }),
      { numRuns: 30000 },
    );
    expect(taken / tried).toBeGreaterThan(0.3);
  });

  it('hand-computed: FR and FI of a tie, an exact result and a rounded-up sum', () => {
    // 1 + 2^-53 is a tie: to even (1), inexact, not incremented.
    expect(fastArith('add', 1, 2 ** -53, 0, false, 0)).toBe(true);
    expect([FAST.value, FAST.fr, FAST.fi]).toEqual([1, false, true]);
    // 1 + 3*2^-54 rounds up to 1 + 2^-52: incremented.
    expect(fastArith('add', 1, 3 * 2 ** -54, 0, false, 0)).toBe(true);
    expect([FAST.value, FAST.fr, FAST.fi]).toEqual([1 + 2 ** -52, true, true]);
    // 1.5 * 2 = 3 exactly.
    expect(fastArith('mul', 1.5, 0, 2, false, 0)).toBe(true);
    expect([FAST.value, FAST.fr, FAST.fi]).toEqual([3, false, false]);
    // (1 + 2^-30)^2 - 1 = 2^-29 + 2^-60 exactly in one rounding (fma), 2^-29 + 2^-60 is a double.
    expect(fastArith('msub', 1 + 2 ** -30, 1, 1 + 2 ** -30, false, 0)).toBe(true);
    expect([FAST.value, FAST.fr, FAST.fi]).toEqual([2 ** -29 + 2 ** -60, false, false]);
    // 1/3 rounds down in double (0x3fd5555555555555): inexact, not incremented.
    expect(fastArith('div', 1, 3, 0, false, 0)).toBe(true);
    expect([FAST.fr, FAST.fi]).toEqual([false, true]);
  });

  it('declines what the exact path must do: other rounding modes, NaNs, infinities, tiny results, non-single operands of single forms', () => {
    expect(fastArith('add', 1, 2, 0, false, 1)).toBe(false);
    expect(fastArith('add', NaN, 2, 0, false, 0)).toBe(false);
    expect(fastArith('mul', Infinity, 0, 2, false, 0)).toBe(false);
    expect(fastArith('mul', 2 ** -600, 0, 2 ** -600, false, 0)).toBe(false);
    expect(fastArith('add', 0.1, 1, 0, true, 0)).toBe(false);
    expect(fastArith('madd', 1, 1, 1, true, 0)).toBe(false);
    expect(fastArith('sqrt', 0, -4, 0, false, 0)).toBe(false);
  });
});

describe('conversion fast paths = exact path', () => {
  const img = (hi: number, lo: number) => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  it('to integer (fcti*, xscvdp*x*s): every rounding mode, truncating or not, word and doubleword, signed and unsigned', () => {
    let taken = 0;
    const value = fc.oneof(operand, fc.integer({ min: -(2 ** 31) - 5, max: 2 ** 32 + 5 }).map((n) => n + [0, 0.5, -0.5, 0.25, 0.75][Math.abs(n) % 5]!));
    fc.assert(
      fc.property(value, fc.constantFrom(32, 64), fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 3 }), (x, bitsN, unsigned, truncate, rn) => {
        const b = bitsN as 32 | 64;
        if (!fastToInteger(x, b, unsigned, truncate, rn)) return;
        taken++;
        const r = F.toInteger(bits(x), b, unsigned, truncate, rn);
        expect([img(FAST_INT.hi, FAST_INT.lo), FAST_INT.fr, FAST_INT.fi], `${x} ${b} ${unsigned} ${truncate} ${rn}`).toEqual([r.bits, r.fr, r.fi]);
        expect(r.raised & F.VXCVI).toBe(0);
      }),
      { numRuns: 20000 },
    );
    expect(taken).toBeGreaterThan(5000);
  });
  it('from a 64-bit integer (fcfid*, xscv*xd*p): signed and unsigned, double and single', () => {
    let taken = 0;
    const word = fc.oneof(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.constantFrom(0, -1, 1, 0x7fffffff, -0x80000000));
    fc.assert(
      fc.property(word, word, fc.boolean(), fc.boolean(), fc.integer({ min: 0, max: 3 }), (hi, lo, unsigned, single, rn) => {
        if (!fastFromInteger(hi, lo, unsigned, single, rn)) return;
        taken++;
        const r = F.fromInteger(img(hi, lo), unsigned, single ? F.SINGLE : F.DOUBLE, rn);
        expect([bits(FAST.value), FAST.fr, FAST.fi], `${hi} ${lo} ${unsigned} ${single}`).toEqual([r.bits, r.fr, r.fi]);
      }),
      { numRuns: 20000 },
    );
    expect(taken).toBeGreaterThan(2500); // RN = 0 only: a quarter of the cases
  });
  it('to single (frsp, xsrsp, xscvdpsp)', () => {
    let taken = 0;
    fc.assert(
      fc.property(operand, fc.integer({ min: 0, max: 3 }), (x, rn) => {
        if (!fastRoundToSingle(x, rn)) return;
        taken++;
        const r = F.roundToSingle(bits(x), rn);
        expect([bits(FAST.value), FAST.fr, FAST.fi], `${x}`).toEqual([r.bits, r.fr, r.fi]);
      }),
      { numRuns: 20000 },
    );
    expect(taken).toBeGreaterThan(1000); // RN = 0 and a normal single
  });
});

describe('the FP instructions through the fast path set the FPSCR as the exact path does', () => {
  it('fadd./fmul/fdiv/fmadd/fnmsub/fadds: FRT, FPSCR (FR, FI, XX, FX, FPRF) and CR1', () => {
    const a = 1 / 3;
    const b = 2 ** -40 * 3;
    const c = 7.25;
    const put = (cpu: { vsr: Int32Array }, r: number, x: number) => {
      const v = bits(x);
      cpu.vsr[r << 2] = Number(v >> 32n) | 0;
      cpu.vsr[(r << 2) | 1] = Number(v & 0xffffffffn) | 0;
    };
    // [instruction, arith() operation, its operands a, b, c, single, negated]
    const cases: Array<[[string, ...number[]], F.Arith, number[], boolean, boolean]> = [
      [['fadd.', 3, 2, 4], 'add', [a, b, 0], false, false],
      [['fmul', 3, 2, 4], 'mul', [a, 0, b], false, false],
      [['fdiv', 3, 2, 4], 'div', [a, b, 0], false, false],
      [['fmadd', 3, 2, 4, 5], 'madd', [a, c, b], false, false],
      [['fnmsub.', 3, 2, 4, 5], 'msub', [a, c, b], false, true],
      [['fadds', 3, 2, 4], 'add', [Math.fround(a), Math.fround(b), 0], true, false],
    ];
    for (const [insn, op, [x, y, z], single, negate] of cases) {
      // f2 = A, f4 = the second operand (FRB, or FRC of fmul / the fused forms), f5 = FRB of the fused forms.
      const second = op === 'mul' ? z! : op === 'madd' || op === 'msub' ? z! : y!;
      expect(fastArith(op, x!, y!, z!, single, 0), insn[0]).toBe(true);
      const p = runInsns([insn], { setup: (pr) => {
        put(pr.cpu, 2, x!);
        put(pr.cpu, 4, second);
        put(pr.cpu, 5, y!);
      } });
      const s = F.settle(0, F.arith(op, bits(x!), bits(y!), bits(z!), single ? F.SINGLE : F.DOUBLE, 0, negate));
      const frt = (BigInt(p.cpu.vsr[3 << 2]! >>> 0) << 32n) | BigInt(p.cpu.vsr[(3 << 2) | 1]! >>> 0);
      expect(frt, insn[0]).toBe(s.bits);
      expect(p.cpu.fpscr >>> 0, insn[0]).toBe(s.fpscr >>> 0);
      if (insn[0].endsWith('.')) expect((p.cpu.cr >>> 24) & 0xf).toBe((s.fpscr >>> 28) & 0xf);
    }
  });
});
