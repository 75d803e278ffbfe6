// Rotate and shift instructions (Power ISA v3.0B Book I 3.3.14), 64-bit mode, with
// hand-computed results.
//   rlw*: ROTL32(x, n) rotates the low word duplicated into both halves, and the mask is
//     MASK(MB+32, ME+32); when MB > ME the mask wraps and covers all of bits 0:31, so the high
//     word of the result is the rotated low word.
//   rldic: MASK(MB, 63-SH); rldicl/rldcl: MASK(MB, 63); rldicr/rldcr: MASK(0, ME);
//     rldimi inserts under MASK(MB, 63-SH). rldcl/rldcr rotate by RB[58:63].
//   slw/srw: n = RB[59:63], result 0 when RB[58] = 1; high word always 0.
//   sld/srd: n = RB[58:63], result 0 when RB[57] = 1.
//   sraw/srawi/srad/sradi: CA = CA32 = (RS negative) and (1-bits shifted out).

import { describe, expect, it } from 'vitest';
import type { UserProcess } from '../../src/cpu/user-process.js';
import { gpr, runInsns, type Insn } from '../helpers/run-words.js';

const M1 = 0xffffffffffffffffn;
const MIN64 = 0x8000000000000000n;
const X = 0x0123456789abcdefn;
const CR_PRESET = 0x24682468;

function run(insns: Insn[], regs: Record<number, bigint>, ca = 0): UserProcess {
  const p = runInsns(insns, {
    regs,
    setup: (q) => {
      q.cpu.cr = CR_PRESET;
      q.cpu.ca = ca;
      q.cpu.ca32 = ca;
    },
  });
  expect(p.cpu.stop, p.diagnostics.join('\n')).toBe('exit');
  return p;
}

function cr0(p: UserProcess): number {
  return (p.cpu.cr >>> 28) & 0xf;
}

describe('rlwinm / rlwnm / rlwimi', () => {
  const cases: Array<[Insn, Record<number, bigint>, bigint]> = [
    // MB=28 > ME=3: mask = bits 0..35 and 60..63 = 0xffffffff_f000000f; rotated = x||x.
    [['rlwinm', 6, 4, 0, 28, 3], { 4: 0x123456789abcdef0n }, 0x9abcdef090000000n],
    // rotl32(0x12345678, 8) = 0x34567812; mask 0xffffffff_ff0000ff
    [['rlwinm', 6, 4, 8, 24, 7], { 4: 0x12345678n }, 0x3456781234000012n],
    // normal mask: high word cleared, RS high word ignored
    [['rlwinm', 6, 4, 4, 24, 31], { 4: 0xffffffff12345678n }, 0x81n],
    // MB = ME + 1: all 64 bits
    [['rlwinm', 6, 4, 4, 1, 0], { 4: 0x12345678n }, 0x2345678123456781n],
    [['rlwinm', 6, 4, 0, 17, 16], { 4: 0x8000000000000001n }, 0x0000000100000001n],
    [['rlwinm', 6, 4, 31, 0, 31], { 4: 3n }, 0x80000001n],
    [['rlwinm', 6, 4, 16, 0, 15], { 4: 0xffffffff0000abcdn }, 0xabcd0000n],
    [['rlwinm', 6, 4, 0, 31, 31], { 4: 0xfffffff3n }, 1n],
    [['slwi', 6, 4, 4], { 4: 0xffffffff87654321n }, 0x76543210n],
    [['srwi', 6, 4, 4], { 4: 0xffffffff87654321n }, 0x08765432n],
    [['clrlwi', 6, 4, 16], { 4: 0xffffffff87654321n }, 0x4321n],
    // rlwnm: n = RB[59:63]; 0x24 -> 4
    [['rlwnm', 6, 4, 5, 0, 31], { 4: 0x12345678n, 5: 0xffffffff00000024n }, 0x23456781n],
    [['rlwnm', 6, 4, 5, 16, 15], { 4: 0x12345678n, 5: 8n }, 0x3456781234567812n],
    // rlwimi: RA (r6) keeps the bits outside the mask, including the high word when MB <= ME
    [['rlwimi', 6, 4, 8, 16, 23], { 4: 0x12345678n, 6: 0xaaaaaaaabbbbbbbbn }, 0xaaaaaaaabbbb78bbn],
    [['rlwimi', 6, 4, 4, 0, 3], { 4: 0x12345678n, 6: 0xaaaaaaaabbbbbbbbn }, 0xaaaaaaaa2bbbbbbbn],
    // wrapping mask 0xffffffff_ff0000ff: high word from the rotated low word
    [['rlwimi', 6, 4, 0, 24, 7], { 4: 0x12345678n, 6: 0xaaaaaaaabbbbbbbbn }, 0x1234567812bbbb78n],
    [['rlwimi', 6, 4, 0, 16, 15], { 4: 0x12345678n, 6: 0xaaaaaaaabbbbbbbbn }, 0x1234567812345678n],
  ];
  for (const [insn, regs, want] of cases) {
    it(insn.join(' '), () => {
      const p = run([insn], regs);
      expect(gpr(p, 6)).toBe(want);
      expect(p.cpu.cr).toBe(CR_PRESET);
    });
  }
  it('rlwinm. sets CR0 from the 64-bit result', () => {
    // 0x80000001 is positive as a doubleword
    let p = run([['rlwinm.', 6, 4, 31, 0, 31]], { 4: 3n });
    expect(cr0(p)).toBe(0b0100);
    // wrapped mask puts the rotated word (negative) in the high word
    p = run([['rlwinm.', 6, 4, 0, 28, 3]], { 4: 0x9abcdef0n });
    expect(gpr(p, 6)).toBe(0x9abcdef090000000n);
    expect(cr0(p)).toBe(0b1000);
    p = run([['rlwinm.', 6, 4, 0, 0, 15]], { 4: 0xffffffff0000ffffn });
    expect(gpr(p, 6)).toBe(0n);
    expect(cr0(p)).toBe(0b0010);
  });
});

describe('rldicl / rldicr / rldic / rldimi / rldcl / rldcr', () => {
  const cases: Array<[Insn, Record<number, bigint>, bigint]> = [
    [['rldicl', 6, 4, 8, 0], { 4: X }, 0x23456789abcdef01n],
    [['rldicl', 6, 4, 4, 60], { 4: 0xf123456789abcdefn }, 0xfn],
    [['rldicl', 6, 4, 32, 32], { 4: X }, 0x01234567n],
    // rotate right 1 and clear bit 0
    [['rldicl', 6, 4, 63, 1], { 4: X }, 0x0091a2b3c4d5e6f7n],
    [['rldicl', 6, 4, 0, 63], { 4: X }, 1n],
    [['rldicl', 6, 4, 1, 0], { 4: 0x8000000000000001n }, 3n],
    [['srdi', 6, 4, 60], { 4: X }, 0n],
    [['clrldi', 6, 4, 8], { 4: M1 }, 0x00ffffffffffffffn],
    [['rldicr', 6, 4, 4, 59], { 4: X }, 0x123456789abcdef0n],
    [['rldicr', 6, 4, 0, 31], { 4: X }, 0x0123456700000000n],
    // rotl 40: 0xabcdef0123456789, keep bits 0..7
    [['rldicr', 6, 4, 40, 7], { 4: X }, 0xab00000000000000n],
    [['rldicr', 6, 4, 0, 63], { 4: X }, X],
    [['sldi', 6, 4, 63], { 4: 3n }, MIN64],
    // rldic: MASK(48, 55)
    [['rldic', 6, 4, 8, 48], { 4: X }, 0xef00n],
    // MASK(60, 47) wraps: 0xffffffff_ffff000f; rotl16 = 0x456789abcdef0123
    [['rldic', 6, 4, 16, 60], { 4: X }, 0x456789abcdef0003n],
    [['rldic', 6, 4, 0, 0], { 4: X }, X],
    [['rldic', 6, 4, 32, 0], { 4: X }, 0x89abcdef00000000n],
    // rldimi into r6 = 0xaaaaaaaa_bbbbbbbb
    [['rldimi', 6, 4, 32, 0], { 4: X, 6: 0xaaaaaaaabbbbbbbbn }, 0x89abcdefbbbbbbbbn],
    [['rldimi', 6, 4, 8, 48], { 4: X, 6: 0xaaaaaaaabbbbbbbbn }, 0xaaaaaaaabbbbefbbn],
    // bits 48..59 (0xfff0) from RA
    [['rldimi', 6, 4, 16, 60], { 4: X, 6: 0xaaaaaaaabbbbbbbbn }, 0x456789abcdefbbb3n],
    [['rldimi', 6, 4, 0, 0], { 4: X, 6: 0xaaaaaaaabbbbbbbbn }, X],
    // rldcl: n = RB[58:63], shift >= 32
    [['rldcl', 6, 4, 5, 0], { 4: X, 5: 40n }, 0xabcdef0123456789n],
    [['rldcl', 6, 4, 5, 32], { 4: X, 5: 40n }, 0x23456789n],
    [['rldcl', 6, 4, 5, 0], { 4: X, 5: 0x100000068n }, 0xabcdef0123456789n], // 0x68 & 63 = 40
    [['rldcl', 6, 4, 5, 0], { 4: X, 5: 32n }, 0x89abcdef01234567n],
    [['rldcl', 6, 4, 5, 0], { 4: X, 5: 63n }, 0x8091a2b3c4d5e6f7n],
    [['rotld', 6, 4, 5], { 4: X, 5: 4n }, 0x123456789abcdef0n],
    // rldcr: rotl 36 = 0x9abcdef012345678
    [['rldcr', 6, 4, 5, 15], { 4: X, 5: 36n }, 0x9abc000000000000n],
    [['rldcr', 6, 4, 5, 63], { 4: X, 5: 0n }, X],
    [['rldcr', 6, 4, 5, 63], { 4: X, 5: 100n }, 0x9abcdef012345678n],
  ];
  for (const [insn, regs, want] of cases) {
    it(insn.join(' '), () => {
      const p = run([insn], regs);
      expect(gpr(p, 6)).toBe(want);
      expect(p.cpu.cr).toBe(CR_PRESET);
    });
  }
  it('. forms set CR0 (and copy SO)', () => {
    let p = run([['rldicl.', 6, 4, 8, 0]], { 4: X });
    expect(cr0(p)).toBe(0b0100);
    p = run([['rldicr.', 6, 4, 40, 7]], { 4: X });
    expect(cr0(p)).toBe(0b1000);
    p = run([['rldicl.', 6, 4, 4, 60]], { 4: X });
    expect(gpr(p, 6)).toBe(0n);
    expect(cr0(p)).toBe(0b0010);
    p = runInsns([['rldcl.', 6, 4, 5, 0]], { regs: { 4: X, 5: 40n }, setup: (q) => (q.cpu.so = 1) });
    expect(cr0(p)).toBe(0b1001);
    p = run([['rldimi.', 6, 4, 0, 0]], { 4: 0n, 6: M1 });
    expect(cr0(p)).toBe(0b0010);
  });
});

/** [op, RS, shift, expected RA, expected CA (shift-right-algebraic only)] */
type ShiftCase = [string, bigint, number, bigint, number?];

function checkShift([op, rs, n, want, ca]: ShiftCase): void {
  const imm = op === 'srawi' || op === 'sradi';
  // Register shift amounts carry junk in the bits the instruction ignores (RB[0:56]).
  const rb = 0xdeadbeef12345600n | BigInt(n);
  for (const caStart of [0, 1]) {
    const insn: Insn = imm ? [op, 6, 4, n] : [op, 6, 4, 5];
    const p = run([insn], { 4: rs, 5: rb }, caStart);
    const what = `${op} 0x${rs.toString(16)} by ${n} (CA before ${caStart})`;
    expect(gpr(p, 6), what).toBe(want);
    const wantCa = ca ?? caStart; // logical shifts leave CA alone
    expect([p.cpu.ca, p.cpu.ca32], what + ' CA,CA32').toEqual([wantCa, wantCa]);
    expect(p.cpu.cr, what + ' CR').toBe(CR_PRESET);
  }
}

describe('shifts', () => {
  it('slw: shift 0/1/31/32/63/64/127', () => {
    const rs = 0xffffffff80000001n;
    for (const c of [
      [0, 0x80000001n], // the high word of the result is always 0
      [1, 2n],
      [31, 0x80000000n],
      [32, 0n],
      [63, 0n],
      [64, 0x80000001n], // RB[58:63] = 0
      [127, 0n],
    ] as const)
      checkShift(['slw', rs, c[0], c[1]]);
  });
  it('srw: shift 0/1/31/32/63/64/127', () => {
    const rs = 0xffffffff80000001n;
    for (const c of [
      [0, 0x80000001n],
      [1, 0x40000000n],
      [31, 1n],
      [32, 0n],
      [63, 0n],
      [64, 0x80000001n],
      [127, 0n],
    ] as const)
      checkShift(['srw', rs, c[0], c[1]]);
  });
  it('sld: shift 0/1/31/32/63/64/127/128', () => {
    const rs = 0x8000000000000001n;
    for (const c of [
      [0, rs],
      [1, 2n],
      [31, 0x80000000n],
      [32, 0x100000000n],
      [63, MIN64],
      [64, 0n],
      [127, 0n],
      [128, rs], // RB[57:63] = 0
    ] as const)
      checkShift(['sld', rs, c[0], c[1]]);
  });
  it('srd: shift 0/1/31/32/63/64/127/128', () => {
    const rs = 0x8000000000000001n;
    for (const c of [
      [0, rs],
      [1, 0x4000000000000000n],
      [31, 0x100000000n],
      [32, 0x80000000n],
      [63, 1n],
      [64, 0n],
      [127, 0n],
      [128, rs],
    ] as const)
      checkShift(['srd', rs, c[0], c[1]]);
  });
  it('sraw: sign-extended word result, CA for negative values losing 1-bits', () => {
    const neg = 0x1234567880000001n; // low word negative, high word ignored
    for (const c of [
      [0, 0xffffffff80000001n, 0],
      [1, 0xffffffffc0000000n, 1],
      [31, M1, 1],
      [32, M1, 1],
      [63, M1, 1],
      [64, 0xffffffff80000001n, 0], // RB[58:63] = 0
      [127, M1, 1],
    ] as const)
      checkShift(['sraw', neg, c[0], c[1], c[2]]);
    checkShift(['sraw', 0x12345678_00000005n, 0, 5n, 0]);
    checkShift(['sraw', 0x7fffffffn, 4, 0x07ffffffn, 0]);
    checkShift(['sraw', 0x7fffffffn, 31, 0n, 0]);
    checkShift(['sraw', 0x7fffffffn, 32, 0n, 0]);
    // -16 >> 4 = -1 with only zeros lost: CA = 0; >> 5 loses a 1: CA = 1
    checkShift(['sraw', 0xfffffff0n, 4, M1, 0]);
    checkShift(['sraw', 0xfffffff0n, 5, M1, 1]);
  });
  it('srawi', () => {
    checkShift(['srawi', 0xfffffff1n, 4, M1, 1]);
    checkShift(['srawi', 0xfffffff0n, 4, M1, 0]);
    checkShift(['srawi', 0xfffffff0n, 0, 0xfffffffffffffff0n, 0]);
    checkShift(['srawi', 0x80000000n, 31, M1, 0]);
    checkShift(['srawi', 0x80000001n, 31, M1, 1]);
    checkShift(['srawi', 0x7fffffffn, 31, 0n, 0]);
    checkShift(['srawi', 0xffffffff7ffffff8n, 3, 0x0fffffffn, 0]);
  });
  it('srad', () => {
    const rs = 0x8000000000000001n;
    for (const c of [
      [0, rs, 0],
      [1, 0xc000000000000000n, 1],
      [63, M1, 1],
      [64, M1, 1],
      [127, M1, 1],
      [128, rs, 0], // RB[57:63] = 0
    ] as const)
      checkShift(['srad', rs, c[0], c[1], c[2]]);
    checkShift(['srad', 0xffffffff00000000n, 32, M1, 0]);
    checkShift(['srad', 0xffffffff00000000n, 33, M1, 1]);
    checkShift(['srad', 0xfffffff000000000n, 36, M1, 0]);
    checkShift(['srad', 0xfffffff000000000n, 37, M1, 1]);
    checkShift(['srad', 0xff00000000000000n, 8, 0xffff000000000000n, 0]);
    checkShift(['srad', 0x7fffffffffffffffn, 62, 1n, 0]);
    checkShift(['srad', 0x7fffffffffffffffn, 64, 0n, 0]);
  });
  it('sradi', () => {
    checkShift(['sradi', 0x8000000000000001n, 63, M1, 1]);
    checkShift(['sradi', 0xffffffff00000000n, 32, M1, 0]);
    checkShift(['sradi', 0x8000000000000001n, 0, 0x8000000000000001n, 0]);
    checkShift(['sradi', 0xfffffffffffffff8n, 3, M1, 0]);
    checkShift(['sradi', 0xfffffffffffffff7n, 3, 0xfffffffffffffffen, 1]);
    checkShift(['sradi', 0x7000000000000000n, 60, 7n, 0]);
    checkShift(['sradi', 0xfffffffe00000000n, 33, M1, 0]);
    checkShift(['sradi', 0xfffffffe80000000n, 33, 0xffffffffffffffffn, 1]);
  });
  it('. forms set CR0 from the 64-bit result', () => {
    let p = run([['sraw.', 6, 4, 5]], { 4: 0x80000000n, 5: 4n });
    expect(gpr(p, 6)).toBe(0xfffffffff8000000n);
    expect(cr0(p)).toBe(0b1000);
    p = run([['slw.', 6, 4, 5]], { 4: 0x40000000n, 5: 1n }); // 0x80000000: positive doubleword
    expect(cr0(p)).toBe(0b0100);
    p = run([['srd.', 6, 4, 5]], { 4: M1, 5: 64n });
    expect(cr0(p)).toBe(0b0010);
    p = run([['sradi.', 6, 4, 1]], { 4: M1 });
    expect(cr0(p)).toBe(0b1000);
    expect(p.cpu.ca).toBe(1);
    p = run([['srawi.', 6, 4, 0]], { 4: 0x7fffffffn });
    expect(cr0(p)).toBe(0b0100);
    p = run([['sld.', 6, 4, 5]], { 4: 1n, 5: 63n });
    expect(cr0(p)).toBe(0b1000);
  });
});
