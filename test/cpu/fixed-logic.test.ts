// Fixed-point logical, extend, count and select instructions (Power ISA v3.0B Book I 3.3.13,
// 3.3.15 isel), 64-bit mode, with hand-computed results. "." forms set CR0 from the 64-bit
// result (signed) and copy XER[SO]; non-"." forms leave CR alone.

import { describe, expect, it } from 'vitest';
import type { UserProcess } from '../../src/cpu/user-process.js';
import { gpr, runInsns, type Insn } from '../helpers/run-words.js';

const M1 = 0xffffffffffffffffn;
const CR_PRESET = 0x13572468;

function run(insns: Insn[], regs: Record<number, bigint>, opts: { so?: number; cr?: number } = {}): UserProcess {
  const p = runInsns(insns, {
    regs,
    setup: (q) => {
      q.cpu.so = opts.so ?? 0;
      q.cpu.cr = opts.cr ?? CR_PRESET;
    },
  });
  expect(p.cpu.stop, p.diagnostics.join('\n')).toBe('exit');
  return p;
}

const LT = 8;
const GT = 4;
const EQ = 2;
const SO = 1;

interface Case {
  insn: Insn;
  regs: Record<number, bigint>;
  /** Result in r6. */
  rt: bigint;
  /** CR0 (LT GT EQ, SO=0) when the . form is run; omitted: no . form. */
  cr0?: number;
}

/** Runs the case, and its "." form (with SO=0 and SO=1) when it has a CR0 expectation. */
function check(c: Case): void {
  const p = run([c.insn], c.regs);
  const what = `${c.insn.join(' ')}`;
  expect(gpr(p, 6), what).toBe(c.rt);
  expect(p.cpu.cr, what + ' CR untouched').toBe(CR_PRESET);
  if (c.cr0 === undefined) return;
  const dotted: Insn = [c.insn[0].endsWith('.') ? c.insn[0] : c.insn[0] + '.', ...(c.insn.slice(1) as number[])];
  for (const so of [0, 1]) {
    const q = run([dotted], c.regs, { so });
    expect(gpr(q, 6), `${dotted.join(' ')}`).toBe(c.rt);
    expect((q.cpu.cr >>> 28) & 0xf, `${dotted.join(' ')} CR0 so=${so}`).toBe(c.cr0 | so);
    expect(q.cpu.cr & 0x0fffffff, 'other CR fields').toBe(CR_PRESET & 0x0fffffff);
    expect(q.cpu.so, 'SO unchanged').toBe(so);
  }
}

describe('X-form logical, 64-bit', () => {
  const regs = { 4: 0xf0f0f0f0ff00ff00n, 5: 0xffff00000f0f0f0fn };
  const cases: Array<[string, bigint, number]> = [
    ['and', 0xf0f000000f000f00n, LT],
    ['andc', 0x0000f0f0f000f000n, GT], // RS & ~RB, ~RB = 0x0000ffff_f0f0f0f0
    ['or', 0xfffff0f0ff0fff0fn, LT],
    ['orc', 0xf0f0fffffff0fff0n, LT],
    ['xor', 0x0f0ff0f0f00ff00fn, GT],
    ['nand', 0x0f0ffffff0fff0ffn, GT],
    ['nor', 0x00000f0f00f000f0n, GT],
    ['eqv', 0xf0f00f0f0ff00ff0n, LT],
  ];
  for (const [op, rt, cr0] of cases) {
    it(op, () => check({ insn: [op, 6, 4, 5], regs, rt, cr0 }));
  }
  it('CR0 EQ only when all 64 bits are zero', () => {
    check({ insn: ['and', 6, 4, 5], regs: { 4: 0xff00n, 5: 0x00ffn }, rt: 0n, cr0: EQ });
    // low word zero, high word not: GT
    check({ insn: ['and', 6, 4, 5], regs: { 4: 0x100000000n, 5: 0x100000000n }, rt: 0x100000000n, cr0: GT });
    // low word negative as a word, positive doubleword: GT
    check({ insn: ['or', 6, 4, 5], regs: { 4: 0x80000000n, 5: 0n }, rt: 0x80000000n, cr0: GT });
    // mr. (or. RA,RS,RS) of -1: LT
    check({ insn: ['or', 6, 4, 4], regs: { 4: M1 }, rt: M1, cr0: LT });
  });
  it('not (nor RS,RS) and mr', () => {
    check({ insn: ['not', 6, 4], regs: { 4: 0x00ff00ff00ff00ffn }, rt: 0xff00ff00ff00ff00n, cr0: LT });
    check({ insn: ['mr', 6, 4], regs: { 4: 0x123456789n }, rt: 0x123456789n, cr0: GT });
  });
});

describe('D-form logical', () => {
  it('andi. and andis. always record CR0 and clear the high word', () => {
    // 0x8421 & 0x8001; the upper 48 bits of the mask are 0
    let p = run([['andi.', 6, 4, 0x8001]], { 4: 0xffffffffffff8421n });
    expect(gpr(p, 6)).toBe(0x8001n);
    expect((p.cpu.cr >>> 28) & 0xf).toBe(GT);
    p = run([['andi.', 6, 4, 0x8001]], { 4: 0xffffffffffff7ffen }, { so: 1 });
    expect(gpr(p, 6)).toBe(0n);
    expect((p.cpu.cr >>> 28) & 0xf).toBe(EQ | SO);
    // andis.: mask 0x0000_0000_8001_0000 -> result positive as a doubleword (GT)
    p = run([['andis.', 6, 4, 0x8001]], { 4: 0xffffffff8421ffffn });
    expect(gpr(p, 6)).toBe(0x80010000n);
    expect((p.cpu.cr >>> 28) & 0xf).toBe(GT);
    expect(p.cpu.cr & 0x0fffffff).toBe(CR_PRESET & 0x0fffffff);
  });
  it('ori/oris/xori/xoris keep the high word and do not touch CR', () => {
    check({ insn: ['ori', 6, 4, 0xffff], regs: { 4: 0x1234567800000000n }, rt: 0x123456780000ffffn });
    check({ insn: ['oris', 6, 4, 0x8000], regs: { 4: 0x1234567800000000n }, rt: 0x1234567880000000n });
    check({ insn: ['xori', 6, 4, 0xffff], regs: { 4: 0x1234567800ff00ffn }, rt: 0x1234567800ffff00n });
    check({ insn: ['xoris', 6, 4, 0xffff], regs: { 4: 0x1234567800ff00ffn }, rt: 0x12345678ff0000ffn });
    check({ insn: ['nop'], regs: { 6: 0xabcn }, rt: 0xabcn });
  });
});

describe('sign extension', () => {
  it('extsb/extsh/extsw', () => {
    check({ insn: ['extsb', 6, 4], regs: { 4: 0x123456789abcde80n }, rt: 0xffffffffffffff80n, cr0: LT });
    check({ insn: ['extsb', 6, 4], regs: { 4: 0xffffffffffffff7fn }, rt: 0x7fn, cr0: GT });
    check({ insn: ['extsh', 6, 4], regs: { 4: 0x0000000012348000n }, rt: 0xffffffffffff8000n, cr0: LT });
    check({ insn: ['extsh', 6, 4], regs: { 4: 0xffffffffffff0000n }, rt: 0n, cr0: EQ });
    check({ insn: ['extsw', 6, 4], regs: { 4: 0x80000000n }, rt: 0xffffffff80000000n, cr0: LT });
    check({ insn: ['extsw', 6, 4], regs: { 4: 0xffffffff7fffffffn }, rt: 0x7fffffffn, cr0: GT });
  });
});

describe('count leading/trailing zeros and population count', () => {
  it('cntlzw counts in the low word; 0 gives 32', () => {
    check({ insn: ['cntlzw', 6, 4], regs: { 4: 0xffffffff00000000n }, rt: 32n, cr0: GT });
    check({ insn: ['cntlzw', 6, 4], regs: { 4: 0n }, rt: 32n, cr0: GT });
    check({ insn: ['cntlzw', 6, 4], regs: { 4: 1n }, rt: 31n, cr0: GT });
    check({ insn: ['cntlzw', 6, 4], regs: { 4: 0x80000000n }, rt: 0n, cr0: EQ });
    check({ insn: ['cntlzw', 6, 4], regs: { 4: 0x00012345n }, rt: 15n, cr0: GT });
  });
  it('cntlzd; 0 gives 64', () => {
    check({ insn: ['cntlzd', 6, 4], regs: { 4: 0n }, rt: 64n, cr0: GT });
    check({ insn: ['cntlzd', 6, 4], regs: { 4: 1n }, rt: 63n, cr0: GT });
    check({ insn: ['cntlzd', 6, 4], regs: { 4: 0xffffffffn }, rt: 32n, cr0: GT });
    check({ insn: ['cntlzd', 6, 4], regs: { 4: 0x100000000n }, rt: 31n, cr0: GT });
    check({ insn: ['cntlzd', 6, 4], regs: { 4: 0x8000000000000000n }, rt: 0n, cr0: EQ });
  });
  it('cnttzw counts in the low word; 0 gives 32', () => {
    check({ insn: ['cnttzw', 6, 4], regs: { 4: 0x100000000n }, rt: 32n, cr0: GT });
    check({ insn: ['cnttzw', 6, 4], regs: { 4: 0n }, rt: 32n, cr0: GT });
    check({ insn: ['cnttzw', 6, 4], regs: { 4: 0x80000000n }, rt: 31n, cr0: GT });
    check({ insn: ['cnttzw', 6, 4], regs: { 4: 1n }, rt: 0n, cr0: EQ });
    check({ insn: ['cnttzw', 6, 4], regs: { 4: 0xffffff00n }, rt: 8n, cr0: GT });
  });
  it('cnttzd; 0 gives 64', () => {
    check({ insn: ['cnttzd', 6, 4], regs: { 4: 0n }, rt: 64n, cr0: GT });
    check({ insn: ['cnttzd', 6, 4], regs: { 4: 0x100000000n }, rt: 32n, cr0: GT });
    check({ insn: ['cnttzd', 6, 4], regs: { 4: 0x8000000000000000n }, rt: 63n, cr0: GT });
    check({ insn: ['cnttzd', 6, 4], regs: { 4: 6n }, rt: 1n, cr0: GT });
    check({ insn: ['cnttzd', 6, 4], regs: { 4: M1 }, rt: 0n, cr0: EQ });
  });
  it('popcntb/popcntw/popcntd', () => {
    check({ insn: ['popcntb', 6, 4], regs: { 4: 0x0103070f1f3f7fffn }, rt: 0x0102030405060708n });
    check({ insn: ['popcntb', 6, 4], regs: { 4: 0x8000000000000001n }, rt: 0x0100000000000001n });
    check({ insn: ['popcntw', 6, 4], regs: { 4: 0xffffffff00000001n }, rt: 0x0000002000000001n });
    check({ insn: ['popcntw', 6, 4], regs: { 4: 0x00f0000180000003n }, rt: 0x0000000500000003n });
    check({ insn: ['popcntd', 6, 4], regs: { 4: M1 }, rt: 64n });
    check({ insn: ['popcntd', 6, 4], regs: { 4: 0x8000000000000001n }, rt: 2n });
    check({ insn: ['popcntd', 6, 4], regs: { 4: 0n }, rt: 0n });
  });
});

describe('isel', () => {
  it('selects RA (or 0 for RA=0) when the CR bit is set, RB otherwise', () => {
    // CR bit 27 is cr6[SO]; CR_PRESET = 0x13572468 -> cr6 = 0x6 = 0b0110 (SO clear, EQ set)
    let p = run([['isel', 6, 4, 5, 27]], { 4: 0x111n, 5: 0x222n });
    expect(gpr(p, 6)).toBe(0x222n);
    p = run([['isel', 6, 4, 5, 26]], { 4: 0x111n, 5: 0x222n }); // cr6[EQ] set
    expect(gpr(p, 6)).toBe(0x111n);
    p = run([['isel', 6, 0, 5, 26]], { 0: 0x333n, 5: 0x222n }); // RA=0 -> 0
    expect(gpr(p, 6)).toBe(0n);
    p = run([['isel', 6, 0, 5, 27]], { 0: 0x333n, 5: 0xfedcba9876543210n });
    expect(gpr(p, 6)).toBe(0xfedcba9876543210n);
    // bit 3 of the preset CR (cr0[SO]: 0x1 -> set)
    p = run([['isel', 6, 4, 5, 3]], { 4: 0x8000000000000000n, 5: 1n });
    expect(gpr(p, 6)).toBe(0x8000000000000000n);
    expect(p.cpu.cr).toBe(CR_PRESET);
  });
  it('isellt/iselgt/iseleq test CR0', () => {
    const regs = { 4: 1n, 5: 2n, 7: 0n, 8: 3n };
    const p = run(
      [
        ['cmpd', 0, 7, 8], // 0 < 3: LT
        ['isellt', 6, 4, 5],
        ['iselgt', 9, 4, 5],
        ['iseleq', 10, 4, 5],
      ],
      regs,
    );
    expect([gpr(p, 6), gpr(p, 9), gpr(p, 10)]).toEqual([1n, 2n, 2n]);
  });
});
