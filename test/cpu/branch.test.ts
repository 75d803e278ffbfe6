// Branch facility (Power ISA v3.0B Book I chapter 2), 64-bit mode.
// BO (2.4): BO[0] (16) = ignore the CR bit, BO[1] (8) = the value the CR bit must have,
// BO[2] (4) = do not decrement CTR, BO[3] (2) = branch when the decremented CTR is 0 (else
// when non-zero); with LK=1 LR <- CIA + 4 whether or not the branch is taken; bclr/bcctr
// branch to LR[0:61] || 0b00 / CTR[0:61] || 0b00, using LR as it was before this instruction
// sets it. The CTR test uses all 64 bits in 64-bit mode.
// Condition register logical instructions and mcrf (2.5.1) are here too.

import { describe, expect, it } from 'vitest';
import { PROT_R, PROT_X } from '../../src/cpu/memory.js';
import type { UserProcess } from '../../src/cpu/user-process.js';
import { CODE, enc, gpr, runInsns, type Insn } from '../helpers/run-words.js';

const M1 = 0xffffffffffffffffn;

function run(insns: Insn[], regs: Record<number, bigint> = {}, cr = 0, le = false): UserProcess {
  const p = runInsns(insns, { regs, le, setup: (q) => (q.cpu.cr = cr) });
  expect(p.cpu.stop, p.diagnostics.join('\n')).toBe('exit');
  return p;
}

describe('bc: every BO class', () => {
  // Taken? for (CR bit, CTR before) = (0, 1), (0, 2), (1, 1), (1, 2). CTR 1 decrements to 0.
  const T = true;
  const F = false;
  const TABLE: Array<[number, string, boolean[], boolean]> = [
    [0, 'dnzf: CTR-1 != 0 and bit = 0', [F, T, F, F], true],
    [2, 'dzf: CTR-1 = 0 and bit = 0', [T, F, F, F], true],
    [4, 'f: bit = 0', [T, T, F, F], false],
    [6, 'f, hint "unlikely"', [T, T, F, F], false],
    [7, 'f, hint "likely"', [T, T, F, F], false],
    [8, 'dnzt: CTR-1 != 0 and bit = 1', [F, F, F, T], true],
    [10, 'dzt: CTR-1 = 0 and bit = 1', [F, F, T, F], true],
    [12, 't: bit = 1', [F, F, T, T], false],
    [14, 't, hint "unlikely"', [F, F, T, T], false],
    [15, 't, hint "likely"', [F, F, T, T], false],
    [16, 'dnz: CTR-1 != 0', [F, T, F, T], true],
    [24, 'dnz, hint "unlikely"', [F, T, F, T], true],
    [25, 'dnz, hint "likely"', [F, T, F, T], true],
    [18, 'dz: CTR-1 = 0', [T, F, T, F], true],
    [26, 'dz, hint "unlikely"', [T, F, T, F], true],
    [27, 'dz, hint "likely"', [T, F, T, F], true],
    [20, 'always', [T, T, T, T], false],
  ];
  const BI = 4 * 5 + 2; // cr5[EQ], CR bit 22
  for (const [bo, what, taken, decrements] of TABLE) {
    it(`BO=${bo} (${what})`, () => {
      let k = 0;
      for (const bit of [0, 1]) {
        for (const ctr of [1n, 2n]) {
          // All other CR bits hold the opposite value, so a wrong BI is noticed.
          const mask = 1 << (31 - BI);
          const cr = bit ? mask : ~mask;
          const p = run(
            [
              ['mtctr', 4],
              ['bc', bo, BI, 8], // to offset 12
              ['li', 7, 1], // runs only when not taken
              ['mfctr', 8],
            ],
            { 4: ctr, 7: 0n },
            cr,
          );
          const label = `BO=${bo} bit=${bit} ctr=${ctr}`;
          expect(gpr(p, 7), label + ' taken?').toBe(taken[k] ? 0n : 1n);
          expect(gpr(p, 8), label + ' CTR').toBe(decrements ? ctr - 1n : ctr);
          expect(p.cpu.cr | 0, 'CR unchanged').toBe(cr | 0);
          expect(p.cpu.lrLo | p.cpu.lrHi, 'LR untouched').toBe(0);
          k++;
        }
      }
    });
  }
  it('the CTR test and decrement use all 64 bits', () => {
    // [CTR before, BO, taken]
    const cases: Array<[bigint, number, boolean, bigint]> = [
      [0n, 16, true, M1], // bdnz: 0 - 1 = 0xffff..ff, non-zero
      [0x100000000n, 16, true, 0xffffffffn], // borrow across the words
      [0x100000001n, 18, false, 0x100000000n], // bdz: low word 0 but CTR non-zero
      [0x100000001n, 16, true, 0x100000000n],
      [1n, 18, true, 0n],
    ];
    for (const [ctr, bo, taken, after] of cases) {
      const p = run(
        [
          ['mtctr', 4],
          ['bc', bo, 0, 8],
          ['li', 7, 1],
          ['mfctr', 8],
        ],
        { 4: ctr, 7: 0n },
      );
      expect(gpr(p, 7), `ctr=0x${ctr.toString(16)} BO=${bo}`).toBe(taken ? 0n : 1n);
      expect(gpr(p, 8)).toBe(after);
    }
  });
  it('bdnz loop, and a backward conditional branch on a compare', () => {
    let p = run(
      [
        ['li', 7, 0],
        ['li', 8, 5],
        ['mtctr', 8],
        ['addi', 7, 7, 3],
        ['bdnz', -4],
      ],
      {},
    );
    expect(gpr(p, 7)).toBe(15n);
    expect(p.cpu.ctrHi | p.cpu.ctrLo).toBe(0);
    p = run(
      [
        ['li', 7, 0],
        ['addi', 7, 7, 1],
        ['cmpwi', 7, 10],
        ['blt', -8],
      ],
      {},
    );
    expect(gpr(p, 7)).toBe(10n);
  });
  it('extended mnemonics pick the right CR field', () => {
    // cr3 = GT (0b0100): bgt cr3 taken, beq cr3 / bgt cr0 not taken
    const cr = 0x4 << (28 - 12);
    const check = (insn: Insn, taken: boolean) => {
      const p = run([insn, ['li', 7, 1]], { 7: 0n }, cr);
      expect(gpr(p, 7), insn.join(' ')).toBe(taken ? 0n : 1n);
    };
    check(['bgt', 3, 8], true);
    check(['beq', 3, 8], false);
    check(['bgt', 0, 8], false);
    check(['ble', 3, 8], false);
    check(['bne', 3, 8], true);
    check(['bdnzt', 13, 8], true); // CR bit 13 = cr3[GT]; CTR 0 -> -1
    check(['bdzf', 13, 8], false);
  });
});

describe('b / bl / ba / bla / bca', () => {
  it('b forward and bl sets LR to the next instruction', () => {
    const p = run(
      [
        ['b', 8],
        ['li', 7, 1], // skipped
        ['bl', 8], // offset 8 -> 16, LR = CODE + 12
        ['li', 8, 1], // skipped
        ['mflr', 9],
      ],
      { 7: 0n, 8: 0n },
    );
    expect([gpr(p, 7), gpr(p, 8)]).toEqual([0n, 0n]);
    expect(gpr(p, 9)).toBe(CODE + 12n);
  });
  it('b backward', () => {
    const p = run(
      [
        ['b', 12], // -> offset 12
        ['li', 7, 5], // offset 4
        ['b', 12], // -> offset 20 (end)
        ['li', 8, 6], // offset 12
        ['b', -12], // -> offset 4
      ],
      {},
    );
    expect([gpr(p, 7), gpr(p, 8)]).toEqual([5n, 6n]);
  });
  for (const le of [false, true]) {
    it(`absolute branches ba/bla/bcla to a routine at 0x1000 (${le ? 'LE' : 'BE'})`, () => {
      // routine at 0x1000: addi r7,r7,77; blr
      const routine = [enc('addi', 7, 7, 77), enc('blr')];
      const setup = (q: UserProcess) => {
        q.space.map(0x1000n, 4096, PROT_R | PROT_X);
        const b = new Uint8Array(8);
        const dv = new DataView(b.buffer);
        routine.forEach((w, k) => dv.setUint32(4 * k, w, le));
        q.space.write(0x1000n, b);
      };
      const p = runInsns(
        [
          ['bla', 0x1000], // LR = CODE + 4
          ['mflr', 8],
          ['bcla', 20, 0, 0x1000], // LR = CODE + 12
          ['mflr', 9],
          ['lis', 10, 0x1000],
          ['addi', 10, 10, 36],
          ['mtlr', 10],
          ['ba', 0x1000], // offset 28; does not set LR, so the routine returns to offset 36
          ['li', 12, 1], // offset 32: skipped
          ['addi', 11, 7, 0], // offset 36
        ],
        { le, regs: { 7: 0n, 12: 0n }, setup },
      );
      expect(p.cpu.stop, p.diagnostics.join('\n')).toBe('exit');
      expect(gpr(p, 8)).toBe(CODE + 4n);
      expect(gpr(p, 9)).toBe(CODE + 12n);
      expect(gpr(p, 11)).toBe(3n * 77n);
      expect(gpr(p, 12)).toBe(0n);
      expect(p.cpu.lrLo >>> 0).toBe(Number(CODE) + 36);
    });
  }
  it('fall-through and branches across a page boundary', () => {
    // 1100 instructions of body (4400 bytes) starting at offset 8: crosses CODE+0x1000.
    const body: Insn[] = Array.from({ length: 1100 }, () => ['addi', 7, 7, 1] as Insn);
    const p = run(
      [['li', 8, 3], ['mtctr', 8], ...body, ['bdnz', -4400]],
      { 7: 0n },
    );
    expect(gpr(p, 7)).toBe(3300n);
  });
  it('a conditional branch not taken in the last word of a page falls through to the next page\'s first', () => {
    // Regression: the not-taken path left only the switch there, so the first instruction of
    // the next page was skipped (found by a static glibc program: mr r5,r30 at 0x...1000).
    for (const bo of ['beq', 'bne', 'bdz'] as const) {
      const pad: Insn[] = Array.from({ length: 1022 }, () => ['addi', 7, 7, 1] as Insn);
      // Word 1022 sets CR0; word 1023 (CODE+0xffc) is the branch; CODE+0x1000 the next.
      // Not taken: r7 is 1023 (not 0, equal to 1023), CTR 0 decrements to -1 (not 0).
      const branch: Insn = bo === 'bdz' ? ['bdz', 100] : [bo, bo === 'beq' ? 100 : -8];
      const cond: Insn = bo === 'bne' ? ['cmpdi', 0, 7, 1023] : ['cmpdi', 0, 7, 0];
      const p = run([...pad, cond, branch, ['li', 8, 2], ['li', 9, 3]], { 7: 1n });
      expect(gpr(p, 8), bo).toBe(2n);
      expect(gpr(p, 9), bo).toBe(3n);
      expect(p.cpu.instructions, bo).toBe(1022 + 1 + 1 + 2 + 2); // ... + exit's li and sc
    }
  });
  it('a forward b into the next page', () => {
    const pad: Insn[] = Array.from({ length: 1100 }, () => ['li', 7, 1] as Insn);
    const p = run([['b', 4 * 1101], ...pad, ['li', 8, 2]], { 7: 0n });
    expect(gpr(p, 7)).toBe(0n);
    expect(gpr(p, 8)).toBe(2n);
  });
});

describe('branches at a 4 GiB boundary', () => {
  /** Maps code at 0xffff_f000 and 0x1_0000_0000; `last` is the word at 0xffff_fffc. */
  function boundary(last: number, le = false) {
    const setup = (q: UserProcess) => {
      const put = (addr: bigint, words: number[]) => {
        const b = new Uint8Array(words.length * 4);
        const dv = new DataView(b.buffer);
        words.forEach((w, k) => dv.setUint32(4 * k, w, le));
        q.space.write(addr, b);
      };
      q.space.map(0xfffff000n, 4096, PROT_R | PROT_X);
      q.space.map(0x100000000n, 4096, PROT_R | PROT_X);
      put(0xfffffff8n, [enc('li', 9, 5), last]);
      put(0x100000000n, [enc('mflr', 8), enc('li', 3, 0), enc('li', 0, 234), enc('sc')]);
    };
    return runInsns([['mtctr', 4], ['bctr']], { le, regs: { 4: 0xfffffff8n }, setup });
  }
  for (const le of [false, true]) {
    it(`bl / bcl in the last word below 2^32 set LR = 0x1_0000_0000 (${le ? 'LE' : 'BE'})`, () => {
      for (const w of [enc('bl', 4), enc('bcl', 20, 31, 4)]) {
        const p = boundary(w, le);
        expect(p.cpu.stop, p.diagnostics.join('\n')).toBe('exit');
        expect(gpr(p, 9)).toBe(5n);
        expect(gpr(p, 8)).toBe(0x100000000n);
      }
    });
  }
  it('sequential execution crosses 2^32', () => {
    const p = boundary(enc('li', 10, 6));
    expect(p.cpu.stop, p.diagnostics.join('\n')).toBe('exit');
    expect([gpr(p, 9), gpr(p, 10)]).toEqual([5n, 6n]);
    expect(gpr(p, 8)).toBe(0n); // nothing set LR
  });
});

describe('bclr / bcctr', () => {
  it('blrl: branch to the old LR, LR = next instruction', () => {
    const p = run([
      ['lis', 4, 0x1000],
      ['addi', 4, 4, 20],
      ['mtlr', 4],
      ['blrl'], // -> CODE+20, LR = CODE+16
      ['li', 7, 1],
      ['mflr', 8],
    ], { 7: 0n });
    expect(gpr(p, 7)).toBe(0n);
    expect(gpr(p, 8)).toBe(CODE + 16n);
  });
  it('bctrl: branch to CTR, LR = next instruction; CTR not decremented', () => {
    const p = run([
      ['lis', 4, 0x1000],
      ['addi', 4, 4, 20],
      ['mtctr', 4],
      ['bctrl'],
      ['li', 7, 1],
      ['mflr', 8],
      ['mfctr', 9],
    ], { 7: 0n });
    expect(gpr(p, 7)).toBe(0n);
    expect(gpr(p, 8)).toBe(CODE + 16n);
    expect(gpr(p, 9)).toBe(CODE + 20n);
  });
  it('the low two bits of LR/CTR are ignored', () => {
    for (const [mt, br] of [
      ['mtlr', 'blr'],
      ['mtctr', 'bctr'],
    ] as const) {
      const p = run([['lis', 4, 0x1000], ['addi', 4, 4, 23], [mt, 4], [br], ['li', 7, 1], ['li', 8, 2]], { 7: 0n });
      expect(gpr(p, 7), br).toBe(0n);
      expect(gpr(p, 8), br).toBe(2n);
    }
  });
  it('a not-taken bcl still sets LR', () => {
    const p = run([['bcl', 12, 2, 8], ['mflr', 8]], {}, 0); // cr0[EQ] = 0: not taken
    expect(gpr(p, 8)).toBe(CODE + 4n);
    const q = run([['bclrl', 12, 2], ['mflr', 8]], {}, 0); // not taken
    expect(gpr(q, 8)).toBe(CODE + 4n);
  });
  it('conditional returns and bdnzlr', () => {
    // beqlr with cr0[EQ] = 1 branches to LR (CODE+20, past the li)
    let p = run([['lis', 4, 0x1000], ['addi', 4, 4, 20], ['mtlr', 4], ['beqlr'], ['li', 7, 1]], { 7: 0n }, 0x20000000);
    expect(gpr(p, 7)).toBe(0n);
    p = run([['lis', 4, 0x1000], ['addi', 4, 4, 20], ['mtlr', 4], ['bnelr'], ['li', 7, 1]], { 7: 0n }, 0x20000000);
    expect(gpr(p, 7)).toBe(1n);
    // bdnzlr: CTR 2 -> 1, taken; CTR 1 -> 0, not taken
    for (const [ctr, taken] of [
      [2n, true],
      [1n, false],
    ] as const) {
      p = run(
        [['lis', 4, 0x1000], ['addi', 4, 4, 24], ['mtlr', 4], ['mtctr', 5], ['bdnzlr'], ['li', 7, 1]],
        { 5: ctr, 7: 0n },
      );
      expect(gpr(p, 7)).toBe(taken ? 0n : 1n);
      expect(p.cpu.ctrLo).toBe(Number(ctr) - 1);
    }
    // bnectr: bcctr with BO = 4 (branch if bit clear)
    p = run([['lis', 4, 0x1000], ['addi', 4, 4, 20], ['mtctr', 4], ['bnectr'], ['li', 7, 1]], { 7: 0n }, 0);
    expect(gpr(p, 7)).toBe(0n);
  });
});

describe('condition register logical instructions and mcrf', () => {
  // cr0 = 0b0011: bit 0 = 0, bit 1 = 0, bit 2 = 1, bit 3 = 1.
  // (a, b) = (0,0): BA=0,BB=1; (0,1): BA=0,BB=2; (1,0): BA=2,BB=0; (1,1): BA=2,BB=3.
  const PAIRS: Array<[number, number]> = [
    [0, 1],
    [0, 2],
    [2, 0],
    [2, 3],
  ];
  const TRUTH: Array<[string, number[]]> = [
    ['crand', [0, 0, 0, 1]],
    ['cror', [0, 1, 1, 1]],
    ['crxor', [0, 1, 1, 0]],
    ['crnand', [1, 1, 1, 0]],
    ['crnor', [1, 0, 0, 0]],
    ['creqv', [1, 0, 0, 1]],
    ['crandc', [0, 0, 1, 0]],
    ['crorc', [1, 0, 1, 1]],
  ];
  for (const [op, truth] of TRUTH) {
    it(op, () => {
      PAIRS.forEach(([ba, bb], k) => {
        // BT = bit 29 (cr7[GT]); it starts as the opposite of the expected value.
        const start = 0x30000000 | (truth[k] ? 0 : 0x4);
        const p = run([[op, 29, ba, bb]], {}, start);
        const want = (start & ~0x4) | (truth[k] ? 0x4 : 0);
        expect(p.cpu.cr | 0, `${op} ${ba},${bb}`).toBe(want | 0);
      });
    });
  }
  it('crset/crclr/crmove/crnot', () => {
    let p = run([['crset', 5]], {}, 0);
    expect(p.cpu.cr >>> 0).toBe(0x04000000);
    p = run([['crclr', 5]], {}, -1);
    expect(p.cpu.cr >>> 0).toBe(0xfbffffff);
    p = run([['crmove', 31, 0]], {}, 0x80000000 | 0);
    expect(p.cpu.cr >>> 0).toBe(0x80000001);
    p = run([['crnot', 31, 0]], {}, 0x80000000 | 0);
    expect(p.cpu.cr >>> 0).toBe(0x80000000);
  });
  it('mcrf copies one field, leaving the others', () => {
    let p = run([['mcrf', 7, 0]], {}, 0xa1234567 | 0);
    expect(p.cpu.cr >>> 0).toBe(0xa123456a);
    p = run([['mcrf', 0, 6]], {}, 0xa1234567 | 0);
    expect(p.cpu.cr >>> 0).toBe(0x61234567);
    p = run([['mcrf', 3, 3]], {}, 0xa1234567 | 0);
    expect(p.cpu.cr >>> 0).toBe(0xa1234567);
  });
});
