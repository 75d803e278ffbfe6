// Compare and trap instructions (Power ISA v3.0B Book I 3.3.10, 3.3.11), 64-bit mode.
// cmp/cmpi/cmpl/cmpli with L=0 compare the low words (sign- or zero-extended), L=1 the
// doublewords; the target CR field gets LT GT EQ || XER[SO], other fields are unchanged.
// Trap: TO bits 0..4 = lt, gt, eq, <u, >u; a taken trap is a Program interrupt, which a Linux
// user process sees as SIGTRAP (exit status 128 + 5).

import { describe, expect, it } from 'vitest';
import type { UserProcess } from '../../src/cpu/user-process.js';
import { CODE, gpr, runInsns, type Insn } from '../helpers/run-words.js';

const M1 = 0xffffffffffffffffn;
const LT = 8;
const GT = 4;
const EQ = 2;
const SO = 1;
const CR_PRESET = 0x9999999 | 0; // every field 0b1001 except cr0 = 0

function run(insns: Insn[], regs: Record<number, bigint>, so = 0): UserProcess {
  return runInsns(insns, {
    regs,
    setup: (q) => {
      q.cpu.cr = CR_PRESET;
      q.cpu.so = so;
    },
  });
}

function field(p: UserProcess, n: number): number {
  return (p.cpu.cr >>> (28 - 4 * n)) & 0xf;
}

describe('compares', () => {
  // [mnemonic, RA, RB or immediate, expected LT/GT/EQ]
  const cases: Array<[string, bigint, bigint | number, number]> = [
    // values that differ only in the high word
    ['cmpw', 0x100000000n, 0n, EQ],
    ['cmpd', 0x100000000n, 0n, GT],
    ['cmplw', 0x100000000n, 0n, EQ],
    ['cmpld', 0x100000000n, 0n, GT],
    // low word 0xffffffff: -1 as a signed word, large as unsigned / as a doubleword
    ['cmpw', 0xffffffffn, 0n, LT],
    ['cmplw', 0xffffffffn, 0n, GT],
    ['cmpd', 0xffffffffn, 0n, GT],
    ['cmpld', 0xffffffffn, 0n, GT],
    // high word negative, low words equal
    ['cmpw', 0xffffffff00000005n, 5n, EQ],
    ['cmpd', 0xffffffff00000005n, 5n, LT],
    ['cmpld', 0xffffffff00000005n, 5n, GT],
    // signedness: 0x80000000 vs 1
    ['cmpw', 0x80000000n, 1n, LT],
    ['cmplw', 0x80000000n, 1n, GT],
    ['cmpd', 0x8000000000000000n, 1n, LT],
    ['cmpld', 0x8000000000000000n, 1n, GT],
    ['cmpd', M1, M1, EQ],
    ['cmpw', 0x12345678ffffffffn, 0x9abcdef0ffffffffn, EQ],
    ['cmpd', 0x12345678ffffffffn, 0x9abcdef0ffffffffn, GT],
    // immediates: SI is sign-extended, UI zero-extended
    ['cmpwi', 0x12345678ffff8000n, -32768, EQ],
    ['cmpdi', 0x12345678ffff8000n, -32768, GT],
    ['cmpdi', M1, -1, EQ],
    ['cmpdi', 0xfffffffffffffffen, -1, LT],
    ['cmplwi', 0x8000n, 0x8000, EQ],
    ['cmplwi', 0xffff8000n, 0x8000, GT],
    ['cmplwi', 0x1000000007fffn, 0x8000, LT],
    ['cmpldi', M1, 0xffff, GT],
    ['cmpldi', 0x1000000000000n, 0xffff, GT],
    ['cmpldi', 0xffffn, 0xffff, EQ],
    ['cmpwi', 0x7fffffffn, -1, GT],
  ];
  for (const [mn, a, b, want] of cases) {
    it(`${mn} 0x${a.toString(16)}, ${typeof b === 'bigint' ? '0x' + b.toString(16) : b}`, () => {
      const imm = typeof b === 'number';
      for (const bf of [0, 5, 7]) {
        for (const so of [0, 1]) {
          const insn: Insn = imm ? [mn, bf, 4, b] : [mn, bf, 4, 5];
          const p = run([insn], imm ? { 4: a } : { 4: a, 5: b });
          expect(p.cpu.stop).toBe('exit');
          const q = so ? run([insn], imm ? { 4: a } : { 4: a, 5: b }, 1) : p;
          for (let f = 0; f < 8; f++) {
            const preset = (CR_PRESET >>> (28 - 4 * f)) & 0xf;
            expect(field(q, f), `${mn} cr${bf} so=${so} field ${f}`).toBe(f === bf ? want | so : preset);
          }
        }
      }
    });
  }
  it('cmp/cmpl base forms with explicit L', () => {
    const regs = { 4: 0x100000000n, 5: 0n };
    let p = run([['cmp', 2, 1, 4, 5]], regs);
    expect(field(p, 2)).toBe(GT);
    p = run([['cmp', 2, 0, 4, 5]], regs);
    expect(field(p, 2)).toBe(EQ);
    p = run([['cmpl', 3, 1, 4, 5]], { 4: 0n, 5: M1 });
    expect(field(p, 3)).toBe(LT);
    p = run([['cmpi', 4, 0, 4, -1]], { 4: 0xffffffffn });
    expect(field(p, 4)).toBe(EQ);
    p = run([['cmpli', 6, 1, 4, 0xffff]], { 4: 0xffffffffn });
    expect(field(p, 6)).toBe(GT);
  });
});

describe('traps', () => {
  function expectTrap(p: UserProcess, at: number): void {
    expect(p.cpu.stop).toBe('unhandled-interrupt');
    expect(p.cpu.exitCode).toBe(133);
    expect(p.cpu.pc).toBe(CODE + BigInt(at));
    expect(p.diagnostics.join('\n')).toMatch(/SIGTRAP/);
  }
  function expectNoTrap(p: UserProcess): void {
    expect(p.cpu.stop, p.diagnostics.join('\n')).toBe('exit');
    expect(gpr(p, 7)).toBe(1n); // the instruction after the trap ran
  }
  // a = -1, b = 1: signed a < b, unsigned a > b.
  const TO_CASES: Array<[number, boolean]> = [
    [16, true], // lt
    [8, false], // gt
    [4, false], // eq
    [2, false], // <u
    [1, true], // >u
    [24, true], // lt | gt
    [6, false], // eq | <u
    [0, false], // never
    [31, true], // always
  ];
  for (const [to, taken] of TO_CASES) {
    it(`td/tw/tdi/twi TO=${to} with a=-1, b=1 ${taken ? 'trap' : 'do not trap'}`, () => {
      for (const [mn, imm] of [
        ['td', false],
        ['tw', false],
        ['tdi', true],
        ['twi', true],
      ] as const) {
        const insn: Insn = imm ? [mn, to, 4, 1] : [mn, to, 4, 5];
        const p = run([['li', 7, 0], insn, ['li', 7, 1]], { 4: M1, 5: 1n });
        if (taken) expectTrap(p, 4);
        else expectNoTrap(p);
      }
    });
  }
  it('tw compares the low words, td the doublewords', () => {
    // 0x1_0000_0005 vs 5: equal as words only
    let p = run([['li', 7, 0], ['tw', 4, 4, 5], ['li', 7, 1]], { 4: 0x100000005n, 5: 5n });
    expectTrap(p, 4);
    p = run([['li', 7, 0], ['td', 4, 4, 5], ['li', 7, 1]], { 4: 0x100000005n, 5: 5n });
    expectNoTrap(p);
    p = run([['li', 7, 0], ['td', 1, 4, 5], ['li', 7, 1]], { 4: 0x100000005n, 5: 5n }); // >u
    expectTrap(p, 4);
    // 0x8000_0000: negative word, positive doubleword
    p = run([['li', 7, 0], ['twi', 8, 4, 0], ['li', 7, 1]], { 4: 0x80000000n });
    expectNoTrap(p);
    p = run([['li', 7, 0], ['tdi', 8, 4, 0], ['li', 7, 1]], { 4: 0x80000000n });
    expectTrap(p, 4);
    p = run([['li', 7, 0], ['twi', 16, 4, 0], ['li', 7, 1]], { 4: 0x80000000n });
    expectTrap(p, 4);
    // tdi: 0 <u EXTS(-1) = 0xffff...ffff
    p = run([['li', 7, 0], ['tdi', 2, 4, -1], ['li', 7, 1]], { 4: 0n });
    expectTrap(p, 4);
    // twi <u: 0xffff_fffe <u 0xffff_ffff (low word of EXTS(-1))
    p = run([['li', 7, 0], ['twi', 2, 4, -1], ['li', 7, 1]], { 4: 0x12345678fffffffen });
    expectTrap(p, 4);
    p = run([['li', 7, 0], ['twi', 2, 4, -1], ['li', 7, 1]], { 4: 0x12345678ffffffffn });
    expectNoTrap(p);
  });
  it('extended mnemonics and the unconditional trap', () => {
    let p = run([['li', 7, 0], ['tweqi', 4, 7], ['li', 7, 1]], { 4: 7n });
    expectTrap(p, 4);
    p = run([['li', 7, 0], ['tdnei', 4, 7], ['li', 7, 1]], { 4: 7n });
    expectNoTrap(p);
    p = run([['li', 7, 0], ['tdlgt', 4, 5], ['li', 7, 1]], { 4: 2n, 5: 1n });
    expectTrap(p, 4);
    p = run([['li', 7, 0], ['li', 8, 3], ['trap'], ['li', 7, 1]], {});
    expectTrap(p, 8);
    expect(gpr(p, 8)).toBe(3n); // instructions before the trap completed
    expect(gpr(p, 7)).toBe(0n);
  });
});
