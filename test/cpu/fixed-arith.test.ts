// Fixed-point arithmetic (Power ISA v3.0B Book I 3.3.9), 64-bit mode. Every XO-form
// instruction is run in all its variants (base, o, ., o.) from two XER/CR starting states, and
// checked against hand-computed results:
//   - RT, and CA/CA32 for the carrying instructions (CA = carry out of bit 0, CA32 = carry out
//     of bit 32, i.e. of the low-word addition);
//   - o forms: OV/OV32 (add/subf family: OV = signed overflow of the 64-bit sum, OV32 = signed
//     overflow of the low-word sum; multiply-low/divide: OV32 = OV), SO |= OV; non-o forms
//     leave SO/OV/OV32 alone;
//   - . forms: CR0 = LT/GT/EQ of the 64-bit result (signed) || XER[SO] after the update; other
//     CR fields unchanged; non-. forms leave CR alone.
// Operands: RA = r4, RB = r5, RT = r6 (the harness exits through r0/r3).

import { describe, expect, it } from 'vitest';
import type { UserProcess } from '../../src/cpu/user-process.js';
import { gpr, runInsns, type Insn } from '../helpers/run-words.js';

const M1 = 0xffffffffffffffffn;
const MIN64 = 0x8000000000000000n;
const MAX64 = 0x7fffffffffffffffn;

interface XerBits {
  so: number;
  ov: number;
  ca: number;
  ov32: number;
  ca32: number;
}

function xerOf(p: UserProcess): XerBits {
  const c = p.cpu;
  return { so: c.so, ov: c.ov, ca: c.ca, ov32: c.ov32, ca32: c.ca32 };
}

function run(insns: Insn[], regs: Record<number, bigint>, xer: XerBits, cr = 0): UserProcess {
  const p = runInsns(insns, {
    regs,
    setup: (q) => {
      Object.assign(q.cpu, xer);
      q.cpu.cr = cr;
    },
  });
  expect(p.cpu.stop, p.diagnostics.join('\n')).toBe('exit');
  return p;
}

/** CR0 LT/GT/EQ for a 64-bit result read as signed. */
function cmp0(v: bigint): number {
  const s = BigInt.asIntN(64, v);
  return s < 0n ? 8 : s > 0n ? 4 : 2;
}

interface Case {
  a: bigint;
  b?: bigint;
  /** CA before the instruction (adde, addze, addme, subfe, subfze, subfme). */
  caIn?: number;
  /** RT; null when the ISA leaves it undefined. */
  rt: bigint | null;
  /** [CA, CA32] after, for the carrying instructions. */
  ca?: [number, number];
  /** [OV, OV32] of the o form. */
  ov?: [number, number];
}

interface Group {
  op: string;
  unary?: boolean;
  /** The instruction sets CA/CA32. */
  carries?: boolean;
  /** The instruction reads CA. */
  readsCa?: boolean;
  /** Has an o form. */
  oe: boolean;
  /** Only RT[32:63] is defined, and CR0 LT/GT/EQ are undefined in 64-bit mode (mulhw, divw). */
  wordResult?: boolean;
  cases: Case[];
}

const GROUPS: Group[] = [
  {
    op: 'add',
    oe: true,
    cases: [
      // 0x7fff..ff + 1: 64-bit signed overflow; low words 0xffffffff + 1 = -1 + 1, no OV32.
      { a: MAX64, b: 1n, rt: MIN64, ov: [1, 0] },
      // 0x7fffffff + 1 = 0x80000000: positive 64-bit, but the low-word sum overflows.
      { a: 0x7fffffffn, b: 1n, rt: 0x80000000n, ov: [0, 1] },
      { a: M1, b: 1n, rt: 0n, ov: [0, 0] },
      // -2^63 + -2^63: OV; low words 0 + 0.
      { a: MIN64, b: MIN64, rt: 0n, ov: [1, 0] },
      // low words 0x80000000 + 0x80000000 overflow (OV32), 64-bit sum fine.
      { a: 0x180000000n, b: 0x80000000n, rt: 0x200000000n, ov: [0, 1] },
      { a: 0xffffffff80000000n, b: 0xffffffff80000000n, rt: 0xffffffff00000000n, ov: [0, 1] },
    ],
  },
  {
    op: 'addc',
    oe: true,
    carries: true,
    cases: [
      // low 0xffffffff + 1 carries (CA32); high 0x7fffffff + 1 does not (CA = 0).
      { a: MAX64, b: 1n, rt: MIN64, ca: [0, 1], ov: [1, 0] },
      { a: 0x7fffffffn, b: 1n, rt: 0x80000000n, ca: [0, 0], ov: [0, 1] },
      { a: M1, b: 1n, rt: 0n, ca: [1, 1], ov: [0, 0] },
      { a: MIN64, b: MIN64, rt: 0n, ca: [1, 0], ov: [1, 0] },
      { a: 0x180000000n, b: 0x80000000n, rt: 0x200000000n, ca: [0, 1], ov: [0, 1] },
      // low: 0x80000000 * 2 carries; high: 0xffffffff + 0xffffffff + 1 carries.
      { a: 0xffffffff80000000n, b: 0xffffffff80000000n, rt: 0xffffffff00000000n, ca: [1, 1], ov: [0, 1] },
    ],
  },
  {
    op: 'adde',
    oe: true,
    carries: true,
    readsCa: true,
    cases: [
      { a: M1, b: 0n, caIn: 1, rt: 0n, ca: [1, 1], ov: [0, 0] },
      { a: MAX64, b: 0n, caIn: 1, rt: MIN64, ca: [0, 1], ov: [1, 0] },
      { a: 0x7fffffffn, b: 0n, caIn: 1, rt: 0x80000000n, ca: [0, 0], ov: [0, 1] },
      { a: 5n, b: 7n, caIn: 0, rt: 12n, ca: [0, 0], ov: [0, 0] },
      { a: 5n, b: 7n, caIn: 1, rt: 13n, ca: [0, 0], ov: [0, 0] },
      { a: 0xfffffffffffffffen, b: 1n, caIn: 1, rt: 0n, ca: [1, 1], ov: [0, 0] },
      // -2^63 + -2^63 + 1 = 1 (mod 2^64): carry out of bit 0, signed overflow.
      { a: MIN64, b: MIN64, caIn: 1, rt: 1n, ca: [1, 0], ov: [1, 0] },
    ],
  },
  {
    op: 'addze',
    unary: true,
    oe: true,
    carries: true,
    readsCa: true,
    cases: [
      { a: M1, caIn: 1, rt: 0n, ca: [1, 1], ov: [0, 0] },
      { a: MAX64, caIn: 1, rt: MIN64, ca: [0, 1], ov: [1, 0] },
      { a: MAX64, caIn: 0, rt: MAX64, ca: [0, 0], ov: [0, 0] },
      { a: 0x7fffffffn, caIn: 1, rt: 0x80000000n, ca: [0, 0], ov: [0, 1] },
    ],
  },
  {
    op: 'addme',
    unary: true,
    oe: true,
    carries: true,
    readsCa: true,
    cases: [
      // RA + CA + 0xffff_ffff_ffff_ffff
      { a: 0n, caIn: 0, rt: M1, ca: [0, 0], ov: [0, 0] },
      { a: 0n, caIn: 1, rt: 0n, ca: [1, 1], ov: [0, 0] },
      // -2^63 - 1: carry out of bit 0, signed overflow; low 0 + 0xffffffff no carry.
      { a: MIN64, caIn: 0, rt: MAX64, ca: [1, 0], ov: [1, 0] },
      // low 0x80000000 + 0xffffffff: carry and low-word overflow (-2^31 - 1).
      { a: 0x80000000n, caIn: 0, rt: 0x7fffffffn, ca: [1, 1], ov: [0, 1] },
      { a: 5n, caIn: 1, rt: 5n, ca: [1, 1], ov: [0, 0] },
    ],
  },
  {
    op: 'subf',
    oe: true,
    cases: [
      // RT = RB - RA = ~RA + RB + 1
      { a: 1n, b: MIN64, rt: MAX64, ov: [1, 0] },
      { a: 1n, b: 0x80000000n, rt: 0x7fffffffn, ov: [0, 1] },
      { a: 5n, b: 3n, rt: 0xfffffffffffffffen, ov: [0, 0] },
      { a: 5n, b: 5n, rt: 0n, ov: [0, 0] },
      { a: 0x100000000n, b: 0x200000000n, rt: 0x100000000n, ov: [0, 0] },
      { a: MIN64, b: 0n, rt: MIN64, ov: [1, 0] },
      { a: 0x100000001n, b: 0n, rt: 0xfffffffeffffffffn, ov: [0, 0] },
    ],
  },
  {
    op: 'subfc',
    oe: true,
    carries: true,
    cases: [
      // CA = 1 when there is no borrow (RB >= RA unsigned); CA32 the same for the low words.
      { a: 1n, b: MIN64, rt: MAX64, ca: [1, 0], ov: [1, 0] },
      { a: 1n, b: 0x80000000n, rt: 0x7fffffffn, ca: [1, 1], ov: [0, 1] },
      { a: 5n, b: 3n, rt: 0xfffffffffffffffen, ca: [0, 0], ov: [0, 0] },
      { a: 5n, b: 5n, rt: 0n, ca: [1, 1], ov: [0, 0] },
      { a: 0x100000000n, b: 0x200000000n, rt: 0x100000000n, ca: [1, 1], ov: [0, 0] },
      // 0 - (-2^63): borrow (CA = 0), low words 0 - 0 no borrow (CA32 = 1), OV.
      { a: MIN64, b: 0n, rt: MIN64, ca: [0, 1], ov: [1, 0] },
      // 0 - 0x1_00000001: low 0 - 1 borrows.
      { a: 0x100000001n, b: 0n, rt: 0xfffffffeffffffffn, ca: [0, 0], ov: [0, 0] },
    ],
  },
  {
    op: 'subfe',
    oe: true,
    carries: true,
    readsCa: true,
    cases: [
      // RT = ~RA + RB + CA
      { a: 5n, b: 3n, caIn: 1, rt: 0xfffffffffffffffen, ca: [0, 0], ov: [0, 0] },
      { a: 5n, b: 3n, caIn: 0, rt: 0xfffffffffffffffdn, ca: [0, 0], ov: [0, 0] },
      { a: 3n, b: 5n, caIn: 0, rt: 1n, ca: [1, 1], ov: [0, 0] },
      { a: 0n, b: 0n, caIn: 0, rt: M1, ca: [0, 0], ov: [0, 0] },
      // -1 - (2^63-1) = -2^63: representable.
      { a: MAX64, b: M1, caIn: 1, rt: MIN64, ca: [1, 1], ov: [0, 0] },
      { a: 1n, b: MIN64, caIn: 1, rt: MAX64, ca: [1, 0], ov: [1, 0] },
      // 0 - 0x80000000: fine in 64 bits, low word 0 - (-2^31) overflows.
      { a: 0x80000000n, b: 0n, caIn: 1, rt: 0xffffffff80000000n, ca: [0, 0], ov: [0, 1] },
    ],
  },
  {
    op: 'subfze',
    unary: true,
    oe: true,
    carries: true,
    readsCa: true,
    cases: [
      // RT = ~RA + CA
      { a: 0n, caIn: 1, rt: 0n, ca: [1, 1], ov: [0, 0] },
      { a: 0n, caIn: 0, rt: M1, ca: [0, 0], ov: [0, 0] },
      { a: MIN64, caIn: 1, rt: MIN64, ca: [0, 1], ov: [1, 0] },
      { a: 0x80000000n, caIn: 1, rt: 0xffffffff80000000n, ca: [0, 0], ov: [0, 1] },
    ],
  },
  {
    op: 'subfme',
    unary: true,
    oe: true,
    carries: true,
    readsCa: true,
    cases: [
      // RT = ~RA + CA + 0xffff_ffff_ffff_ffff
      { a: 0n, caIn: 1, rt: M1, ca: [1, 1], ov: [0, 0] },
      { a: 0n, caIn: 0, rt: 0xfffffffffffffffen, ca: [1, 1], ov: [0, 0] },
      { a: M1, caIn: 0, rt: M1, ca: [0, 0], ov: [0, 0] },
      { a: MAX64, caIn: 0, rt: MAX64, ca: [1, 0], ov: [1, 0] },
      // ~0x7fffffff = 0xffffffff80000000; + (-1): low -2^31 - 1 overflows.
      { a: 0x7fffffffn, caIn: 0, rt: 0xffffffff7fffffffn, ca: [1, 1], ov: [0, 1] },
    ],
  },
  {
    op: 'neg',
    unary: true,
    oe: true,
    cases: [
      { a: 5n, rt: 0xfffffffffffffffbn, ov: [0, 0] },
      // -(-2^63) overflows; the low word 0 does not.
      { a: MIN64, rt: MIN64, ov: [1, 0] },
      // RA[32:63] = 0x80000000: OV32 only.
      { a: 0x80000000n, rt: 0xffffffff80000000n, ov: [0, 1] },
      { a: 0n, rt: 0n, ov: [0, 0] },
      { a: M1, rt: 1n, ov: [0, 0] },
    ],
  },
  {
    op: 'mullw',
    oe: true,
    cases: [
      // Operands are the low words (high words ignored); RT is the full 64-bit product;
      // OV when the product does not fit 32 bits.
      { a: 0xdeadbeef00010000n, b: 0x1234567800010000n, rt: 0x100000000n, ov: [1, 1] },
      { a: 0x12345678fffffffdn, b: 7n, rt: 0xffffffffffffffebn, ov: [0, 0] },
      { a: 0x7fffffffn, b: 2n, rt: 0xfffffffen, ov: [1, 1] },
      { a: 0x80000000n, b: 0x80000000n, rt: 0x4000000000000000n, ov: [1, 1] },
      { a: 0x40000000n, b: 0xfffffffen, rt: 0xffffffff80000000n, ov: [0, 0] },
      { a: 0xffffffff00000000n, b: 5n, rt: 0n, ov: [0, 0] },
    ],
  },
  {
    op: 'mulhw',
    oe: false,
    wordResult: true,
    cases: [
      // High word of the signed 32x32 product, in RT[32:63].
      { a: 0x80000000n, b: 0x80000000n, rt: 0x40000000n },
      { a: 0xffffffffn, b: 1n, rt: 0xffffffffn },
      { a: 0x7fffffffn, b: 0x7fffffffn, rt: 0x3fffffffn },
      { a: 0xfffffffdn, b: 7n, rt: 0xffffffffn },
      { a: 0x5555555500010000n, b: 0x10000n, rt: 1n },
    ],
  },
  {
    op: 'mulhwu',
    oe: false,
    wordResult: true,
    cases: [
      { a: 0xffffffffn, b: 0xffffffffn, rt: 0xfffffffen },
      { a: 0x80000000n, b: 2n, rt: 1n },
      { a: 3n, b: 7n, rt: 0n },
      { a: 0xffffffff00000003n, b: 0xffffffff00000007n, rt: 0n },
    ],
  },
  {
    op: 'mulld',
    oe: true,
    cases: [
      { a: 0x100000000n, b: 0x100000000n, rt: 0n, ov: [1, 1] },
      { a: M1, b: M1, rt: 1n, ov: [0, 0] },
      { a: MAX64, b: 2n, rt: 0xfffffffffffffffen, ov: [1, 1] },
      // 2^62 * -2 = -2^63 exactly fits.
      { a: 0x4000000000000000n, b: 0xfffffffffffffffen, rt: MIN64, ov: [0, 0] },
      { a: 0x4000000000000000n, b: 2n, rt: MIN64, ov: [1, 1] },
      { a: 123456789n, b: 1000n, rt: 123456789000n, ov: [0, 0] },
      { a: MIN64, b: M1, rt: MIN64, ov: [1, 1] },
      // (2^32-1)^2 = 0xfffffffe00000001 > 2^63 - 1.
      { a: 0xffffffffn, b: 0xffffffffn, rt: 0xfffffffe00000001n, ov: [1, 1] },
    ],
  },
  {
    op: 'mulhd',
    oe: false,
    cases: [
      // (2^63-1)^2 = 2^126 - 2^64 + 1: high doubleword 2^62 - 1.
      { a: MAX64, b: MAX64, rt: 0x3fffffffffffffffn },
      { a: M1, b: 1n, rt: M1 },
      { a: MIN64, b: MIN64, rt: 0x4000000000000000n },
      { a: 0x100000000n, b: 0x100000000n, rt: 1n },
      { a: 0xfffffffffffffffen, b: 3n, rt: M1 },
      { a: 5n, b: 7n, rt: 0n },
    ],
  },
  {
    op: 'mulhdu',
    oe: false,
    cases: [
      // (2^64-1)^2 = 2^128 - 2^65 + 1
      { a: M1, b: M1, rt: 0xfffffffffffffffen },
      { a: MIN64, b: 2n, rt: 1n },
      { a: 0x100000000n, b: 0x100000000n, rt: 1n },
      { a: 3n, b: 5n, rt: 0n },
      { a: M1, b: 2n, rt: 1n },
    ],
  },
  {
    op: 'divw',
    oe: true,
    wordResult: true,
    cases: [
      { a: 0x1234567800000007n, b: 2n, rt: 3n, ov: [0, 0] },
      { a: 0xfffffff9n, b: 2n, rt: 0xfffffffdn, ov: [0, 0] }, // -7 / 2 = -3 (truncates)
      { a: 7n, b: 0xfffffffen, rt: 0xfffffffdn, ov: [0, 0] }, // 7 / -2 = -3
      { a: 0x80000000n, b: 1n, rt: 0x80000000n, ov: [0, 0] },
      { a: 0x80000000n, b: 0xffffffffn, rt: null, ov: [1, 1] }, // -2^31 / -1: undefined RT
      { a: 5n, b: 0n, rt: null, ov: [1, 1] },
      { a: 100n, b: 0xfffffff9n, rt: 0xfffffff2n, ov: [0, 0] }, // 100 / -7 = -14
    ],
  },
  {
    op: 'divwu',
    oe: true,
    wordResult: true,
    cases: [
      { a: 0xffffffffn, b: 2n, rt: 0x7fffffffn, ov: [0, 0] },
      // Unsigned: 0x80000000 / 0xffffffff = 0 and no overflow.
      { a: 0x80000000n, b: 0xffffffffn, rt: 0n, ov: [0, 0] },
      { a: 7n, b: 0n, rt: null, ov: [1, 1] },
      { a: 0xffffffff00000064n, b: 7n, rt: 14n, ov: [0, 0] },
    ],
  },
  {
    op: 'divd',
    oe: true,
    cases: [
      { a: 0xfffffffffffffff9n, b: 2n, rt: 0xfffffffffffffffdn, ov: [0, 0] },
      { a: MIN64, b: 1n, rt: MIN64, ov: [0, 0] },
      { a: MIN64, b: M1, rt: null, ov: [1, 1] },
      { a: 42n, b: 0n, rt: null, ov: [1, 1] },
      { a: 100n, b: 0xfffffffffffffff9n, rt: 0xfffffffffffffff2n, ov: [0, 0] },
      { a: 0xffffffffffffff9cn, b: 0xfffffffffffffff9n, rt: 14n, ov: [0, 0] }, // -100 / -7
      { a: MAX64, b: 0x100000000n, rt: 0x7fffffffn, ov: [0, 0] },
    ],
  },
  {
    op: 'divdu',
    oe: true,
    cases: [
      { a: M1, b: 1n, rt: M1, ov: [0, 0] },
      { a: M1, b: 0x100000000n, rt: 0xffffffffn, ov: [0, 0] },
      { a: MIN64, b: M1, rt: 0n, ov: [0, 0] },
      { a: 42n, b: 0n, rt: null, ov: [1, 1] },
      // 0xfedcba9876543210 = 0x12345 * 0xe0004fa01c4d + 0x10a4f
      { a: 0xfedcba9876543210n, b: 0x12345n, rt: 0xe0004fa01c4dn, ov: [0, 0] },
      { a: 0n, b: 5n, rt: 0n, ov: [0, 0] },
      { a: M1, b: 3n, rt: 0x5555555555555555n, ov: [0, 0] },
    ],
  },
];

const CR_A = 0x5a5a5a5a;
const CR_B = 0xa5a5a5a5 | 0;

describe('XO-form arithmetic, every variant', () => {
  for (const g of GROUPS) {
    const variants = g.oe ? ['', 'o', '.', 'o.'] : ['', '.'];
    for (const v of variants) {
      const mn = g.op + v;
      const oe = v.includes('o');
      const rc = v.includes('.');
      it(`${mn}`, () => {
        for (const c of g.cases) {
          for (const preset of [0, 1]) {
            const cr = preset ? CR_B : CR_A;
            // Start state: everything clear, or SO/OV/OV32 set; CA32 always the opposite of CA
            // for CA readers (they read CA only), CA/CA32 = preset otherwise.
            const caStart = g.readsCa ? c.caIn! : preset;
            const start: XerBits = { so: preset, ov: preset, ov32: preset, ca: caStart, ca32: g.readsCa ? 1 - caStart : preset };
            const insn: Insn = g.unary ? [mn, 6, 4] : [mn, 6, 4, 5];
            const p = run([insn], { 4: c.a, 5: c.b ?? 0n }, start, cr);
            const what = `${mn} a=0x${c.a.toString(16)} b=0x${(c.b ?? 0n).toString(16)} ca=${c.caIn} preset=${preset}`;
            if (c.rt !== null) {
              if (g.wordResult) expect(gpr(p, 6) & 0xffffffffn, what).toBe(c.rt);
              else expect(gpr(p, 6), what).toBe(c.rt);
            }
            const x = xerOf(p);
            if (g.carries) expect([x.ca, x.ca32], what + ' CA,CA32').toEqual(c.ca);
            else expect([x.ca, x.ca32], what + ' CA untouched').toEqual([start.ca, start.ca32]);
            const ov = oe ? c.ov! : [start.ov, start.ov32];
            const so = oe ? start.so | c.ov![0] : start.so;
            expect([x.so, x.ov, x.ov32], what + ' SO,OV,OV32').toEqual([so, ov[0], ov[1]]);
            if (!rc) {
              expect(p.cpu.cr | 0, what + ' CR untouched').toBe(cr);
            } else {
              expect(p.cpu.cr & 0x0fffffff, what + ' other CR fields').toBe(cr & 0x0fffffff);
              const cr0 = (p.cpu.cr >>> 28) & 0xf;
              expect(cr0 & 1, what + ' CR0[SO]').toBe(so);
              // LT/GT/EQ are undefined for an undefined result and for the word-result forms.
              if (c.rt !== null && !g.wordResult) expect(cr0 >> 1, what + ' CR0 LT/GT/EQ').toBe(cmp0(c.rt) >> 1);
            }
          }
        }
      });
    }
  }
});

describe('CR0 from the 64-bit result, explicit values', () => {
  it('add. of values whose low word looks negative gives GT', () => {
    // 0x7fffffff + 1 = 0x0000_0000_8000_0000: positive as a doubleword.
    const p = run([['add.', 6, 4, 5]], { 4: 0x7fffffffn, 5: 1n }, { so: 0, ov: 0, ca: 0, ov32: 0, ca32: 0 });
    expect((p.cpu.cr >>> 28) & 0xf).toBe(0b0100);
  });
  it('subf. giving a zero low word but non-zero doubleword gives GT, not EQ', () => {
    // 0x2_0000_0000 - 0x1_0000_0000 = 0x1_0000_0000
    const p = run([['subf.', 6, 4, 5]], { 4: 0x100000000n, 5: 0x200000000n }, { so: 0, ov: 0, ca: 0, ov32: 0, ca32: 0 });
    expect((p.cpu.cr >>> 28) & 0xf).toBe(0b0100);
  });
  it('addo. with overflow sets CR0 = LT|SO (SO copied after the update)', () => {
    const p = run([['addo.', 6, 4, 5]], { 4: MAX64, 5: 1n }, { so: 0, ov: 0, ca: 0, ov32: 0, ca32: 0 });
    expect((p.cpu.cr >>> 28) & 0xf).toBe(0b1001);
    expect(p.cpu.xer >>> 0).toBe(0xc0000000); // SO, OV; no OV32, no CA
  });
  it('neg. of 0 gives EQ', () => {
    const p = run([['neg.', 6, 4]], { 4: 0n }, { so: 0, ov: 0, ca: 0, ov32: 0, ca32: 0 });
    expect((p.cpu.cr >>> 28) & 0xf).toBe(0b0010);
  });
});

describe('SO is sticky', () => {
  const clear: XerBits = { so: 0, ov: 0, ca: 0, ov32: 0, ca32: 0 };
  it('a later o-form without overflow clears OV but keeps SO, and CR0 still shows SO', () => {
    const p = run(
      [
        ['addo', 6, 4, 5], // overflows: OV = SO = 1
        ['addo.', 7, 5, 5], // 1 + 1 = 2: OV = 0, SO stays 1
      ],
      { 4: MAX64, 5: 1n },
      clear,
    );
    expect(gpr(p, 7)).toBe(2n);
    expect(xerOf(p)).toEqual({ so: 1, ov: 0, ca: 0, ov32: 0, ca32: 0 });
    expect((p.cpu.cr >>> 28) & 0xf).toBe(0b0101); // GT | SO
  });
  it('non-o forms and compares do not clear SO; CR0 of a logical . op copies it', () => {
    const p = run(
      [
        ['mullwo', 6, 4, 4], // 0x10000^2 overflows 32 bits
        ['add', 7, 5, 5],
        ['and.', 8, 5, 5],
        ['cmpdi', 3, 5, 1],
      ],
      { 4: 0x10000n, 5: 1n },
      clear,
    );
    expect(xerOf(p)).toEqual({ so: 1, ov: 1, ca: 0, ov32: 1, ca32: 0 });
    expect((p.cpu.cr >>> 28) & 0xf).toBe(0b0101); // and. 1 -> GT | SO
    expect((p.cpu.cr >>> 16) & 0xf).toBe(0b0011); // cr3: EQ | SO
  });
  it('only mtxer clears SO', () => {
    const p = run(
      [
        ['divwo', 6, 4, 5], // divide by zero: OV, SO
        ['li', 9, 0],
        ['mtxer', 9],
        ['addo.', 7, 4, 4],
      ],
      { 4: 3n, 5: 0n },
      clear,
    );
    expect(gpr(p, 7)).toBe(6n);
    expect(xerOf(p)).toEqual(clear);
    expect((p.cpu.cr >>> 28) & 0xf).toBe(0b0100);
  });
});

describe('immediate forms and carry chains', () => {
  const clear: XerBits = { so: 0, ov: 0, ca: 0, ov32: 0, ca32: 0 };
  it('addic sets CA/CA32 and leaves CR; addic. also sets CR0', () => {
    let p = run([['addic', 6, 4, -1]], { 4: 0n }, { ...clear, ca: 1, ca32: 1 }, 0x12345678);
    expect(gpr(p, 6)).toBe(M1);
    expect([p.cpu.ca, p.cpu.ca32]).toEqual([0, 0]);
    expect(p.cpu.cr).toBe(0x12345678);
    p = run([['addic', 6, 4, -1]], { 4: 1n }, clear);
    expect(gpr(p, 6)).toBe(0n);
    expect([p.cpu.ca, p.cpu.ca32]).toEqual([1, 1]);
    // 0x1_0000_0000 - 1: the low word borrows (no CA32), the doubleword does not (CA).
    p = run([['addic.', 6, 4, -1]], { 4: 0x100000000n }, clear);
    expect(gpr(p, 6)).toBe(0xffffffffn);
    expect([p.cpu.ca, p.cpu.ca32]).toEqual([1, 0]);
    expect((p.cpu.cr >>> 28) & 0xf).toBe(0b0100);
    p = run([['addic.', 6, 4, -1]], { 4: 0n }, { ...clear, so: 1 });
    expect((p.cpu.cr >>> 28) & 0xf).toBe(0b1001);
    // addic never touches OV
    p = run([['addic', 6, 4, 1]], { 4: MAX64 }, clear);
    expect(gpr(p, 6)).toBe(MIN64);
    expect(xerOf(p)).toEqual({ ...clear, ca32: 1 });
  });
  it('subfic: RT = SI - RA with CA = no borrow', () => {
    let p = run([['subfic', 6, 4, 0]], { 4: 0n }, clear);
    expect(gpr(p, 6)).toBe(0n);
    expect([p.cpu.ca, p.cpu.ca32]).toEqual([1, 1]);
    p = run([['subfic', 6, 4, 0]], { 4: 5n }, { ...clear, ca: 1, ca32: 1 });
    expect(gpr(p, 6)).toBe(0xfffffffffffffffbn);
    expect([p.cpu.ca, p.cpu.ca32]).toEqual([0, 0]);
    // SI = -1: ~RA + 0xffff..ff + 1 = ~RA + 2^64, always a carry.
    p = run([['subfic', 6, 4, -1]], { 4: 0x123456789n }, clear);
    expect(gpr(p, 6)).toBe(0xfffffffedcba9876n);
    expect([p.cpu.ca, p.cpu.ca32]).toEqual([1, 1]);
    // 100 - 0x1_0000_0000: borrow from the doubleword; the low words 100 - 0 do not borrow.
    p = run([['subfic', 6, 4, 100]], { 4: 0x100000000n }, clear, 0x77);
    expect(gpr(p, 6)).toBe(0xffffffff00000064n);
    expect([p.cpu.ca, p.cpu.ca32]).toEqual([0, 1]);
    expect(p.cpu.cr).toBe(0x77);
  });
  it('128-bit add with addc/adde', () => {
    // (1 : 0xffff..ff) + (0 : 1) = (2 : 0)
    const p = run(
      [
        ['addc', 6, 4, 5],
        ['adde', 7, 8, 9],
      ],
      { 4: M1, 5: 1n, 8: 1n, 9: 0n },
      clear,
    );
    expect([gpr(p, 7), gpr(p, 6)]).toEqual([2n, 0n]);
    expect([p.cpu.ca, p.cpu.ca32]).toEqual([0, 0]);
  });
  it('128-bit subtract with subfc/subfe', () => {
    // (5 : 3) - (2 : 7) = (2 : 0xffff..fffc)
    const p = run(
      [
        ['subfc', 6, 4, 5], // 3 - 7
        ['subfe', 7, 8, 9], // 5 - 2 - borrow
      ],
      { 4: 7n, 5: 3n, 8: 2n, 9: 5n },
      clear,
    );
    expect([gpr(p, 7), gpr(p, 6)]).toEqual([2n, 0xfffffffffffffffcn]);
    expect(p.cpu.ca).toBe(1);
  });
  it('128-bit negate with subfic/subfze', () => {
    // -(0 : 1) = (-1 : -1)
    let p = run(
      [
        ['subfic', 6, 4, 0],
        ['subfze', 7, 8],
      ],
      { 4: 1n, 8: 0n },
      clear,
    );
    expect([gpr(p, 7), gpr(p, 6)]).toEqual([M1, M1]);
    expect(p.cpu.ca).toBe(0);
    // -(5 : 0) = (-5 : 0)
    p = run(
      [
        ['subfic', 6, 4, 0],
        ['subfze', 7, 8],
      ],
      { 4: 0n, 8: 5n },
      clear,
    );
    expect([gpr(p, 7), gpr(p, 6)]).toEqual([0xfffffffffffffffbn, 0n]);
    expect(p.cpu.ca).toBe(0);
  });
  it('128-bit decrement with addic/addme', () => {
    // (1 : 0) - 1 = (0 : -1)
    let p = run(
      [
        ['addic', 6, 4, -1],
        ['addme', 7, 8],
      ],
      { 4: 0n, 8: 1n },
      clear,
    );
    expect([gpr(p, 7), gpr(p, 6)]).toEqual([0n, M1]);
    expect(p.cpu.ca).toBe(1); // 1 + 0xffff..ff + 0 carries
    // (1 : 5) - 1 = (1 : 4)
    p = run(
      [
        ['addic', 6, 4, -1],
        ['addme', 7, 8],
      ],
      { 4: 5n, 8: 1n },
      clear,
    );
    expect([gpr(p, 7), gpr(p, 6)]).toEqual([1n, 4n]);
  });
  it('adde/addze chain propagates the carry through three doublewords', () => {
    // (0 : -1 : -1) + (0 : 0 : 1) = (1 : 0 : 0)
    const p = run(
      [
        ['addc', 6, 4, 5],
        ['addze', 7, 8],
        ['addze', 9, 10],
      ],
      { 4: M1, 5: 1n, 8: M1, 10: 0n },
      clear,
    );
    expect([gpr(p, 9), gpr(p, 7), gpr(p, 6)]).toEqual([1n, 0n, 0n]);
    expect(p.cpu.ca).toBe(0);
  });
  it('addi/addis/li/lis/mulli', () => {
    const p = run(
      [
        ['li', 6, -1],
        ['lis', 7, -32768], // 0xffff_ffff_8000_0000
        ['addis', 8, 4, 0x7fff], // r4 + 0x7fff0000
        ['addi', 9, 0, 5], // RA=0 reads as 0 even though r0 holds something
        ['mulli', 10, 4, -3],
        ['addi', 11, 4, -1],
        ['addis', 12, 4, -1],
      ],
      { 0: 0x999n, 4: 0xffffffffn },
      clear,
    );
    expect(gpr(p, 6)).toBe(M1);
    expect(gpr(p, 7)).toBe(0xffffffff80000000n);
    expect(gpr(p, 8)).toBe(0x17ffeffffn);
    expect(gpr(p, 9)).toBe(5n);
    expect(gpr(p, 10)).toBe(0xfffffffd00000003n); // -3 * (2^32-1) mod 2^64
    expect(gpr(p, 11)).toBe(0xfffffffen);
    expect(gpr(p, 12)).toBe(0xfffeffffn); // 0xffffffff - 0x10000
    expect(xerOf(p)).toEqual(clear);
  });
});
