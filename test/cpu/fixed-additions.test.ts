// The v2.06-v3.0B fixed-point additions (src/cpu/fixed-additions.ts) run through the
// interpreter, against hand-computed results (Power ISA v3.0B Book I 3.3.9, 3.3.12-3.3.14).
// QEMU checks them too, on random programs (test/oracle/exec.test.ts).
import { describe, expect, it } from 'vitest';
import { gpr, runInsns, type Insn } from '../helpers/run-words.js';

const M1 = 0xffffffffffffffffn;

function crAfter(insn: Insn, regs: Record<number, bigint>, cr: number): number {
  const p = runInsns([insn], { regs, setup: (q) => void ((q.cpu.cr = cr), (q.cpu.so = 1)) });
  expect(p.cpu.stop, p.diagnostics.join('\n')).toBe('exit');
  return p.cpu.cr >>> 0;
}

function rt(insn: Insn, regs: Record<number, bigint>, cr = 0): bigint {
  const p = runInsns([insn], { regs, setup: (q) => void (q.cpu.cr = cr) });
  expect(p.cpu.stop, p.diagnostics.join('\n')).toBe('exit');
  return gpr(p, 6);
}

describe('v3.0B fixed-point additions', () => {
  it('cmpb: 0xff in the bytes where RS and RB agree', () => {
    expect(rt(['cmpb', 6, 4, 5], { 4: 0x0011223344556677n, 5: 0x0011aa33445566ffn })).toBe(0xffff00ffffffff00n);
  });

  it('bpermd: each byte of RS picks a bit of RB (0 = most significant; 64 and up give 0)', () => {
    // indexes 0, 63, 64, 1, 0, 0, 0, 0 into RB = bit 0 and bit 63 set: 1,1,0,0,1,1,1,1
    expect(rt(['bpermd', 6, 4, 5], { 4: 0x003f400100000000n, 5: 0x8000000000000001n })).toBe(0xcfn);
  });

  it('modsw, moduw, modsd, modud: remainders with the sign of the dividend', () => {
    expect(rt(['modsw', 6, 4, 5], { 4: 0xfffffff9n, 5: 2n })).toBe(M1); // -7 mod 2 = -1
    expect(rt(['moduw', 6, 4, 5], { 4: 0x12345678ffffffffn, 5: 10n })).toBe(5n); // 4294967295 mod 10
    expect(rt(['modsd', 6, 4, 5], { 4: -7n & M1, 5: -2n & M1 })).toBe(M1); // -7 mod -2 = -1
    expect(rt(['modud', 6, 4, 5], { 4: M1, 5: 10n })).toBe(5n); // 18446744073709551615 mod 10
    expect(rt(['modsd', 6, 4, 5], { 4: 9n, 5: 0n })).toBe(0n); // undefined in the ISA: 0 here
  });

  it('maddld, maddhd, maddhdu: low and high doublewords of RA * RB + RC', () => {
    expect(rt(['maddld', 6, 4, 5, 7], { 4: 3n, 5: 5n, 7: 7n })).toBe(22n);
    expect(rt(['maddld', 6, 4, 5, 7], { 4: 1n << 63n, 5: 2n, 7: 1n })).toBe(1n);
    expect(rt(['maddhd', 6, 4, 5, 7], { 4: M1, 5: 1n, 7: 0n })).toBe(M1); // -1 * 1 + 0: high doubleword -1
    expect(rt(['maddhdu', 6, 4, 5, 7], { 4: M1, 5: M1, 7: 0n })).toBe(M1 - 1n); // (2^64-1)^2 >> 64
    expect(rt(['maddhdu', 6, 4, 5, 7], { 4: M1, 5: 1n, 7: 1n })).toBe(1n); // carry into the high doubleword
    expect(rt(['maddhd', 6, 4, 5, 7], { 4: 2n, 5: 3n, 7: M1 })).toBe(0n); // 6 - 1, sign-extended RC
  });

  it('extswsli: the low word sign-extended, then shifted left', () => {
    expect(rt(['extswsli', 6, 4, 4], { 4: 0x1234567880000000n })).toBe(0xfffffff800000000n);
    expect(rt(['extswsli', 6, 4, 63], { 4: 1n })).toBe(1n << 63n);
  });

  it('setb: -1 for LT, 1 for GT, else 0, from the named CR field', () => {
    expect(rt(['setb', 6, 2], {}, 0x00800000)).toBe(M1); // cr2 = LT
    expect(rt(['setb', 6, 2], {}, 0x00400000)).toBe(1n); // cr2 = GT
    expect(rt(['setb', 6, 2], {}, 0x00200000)).toBe(0n); // cr2 = EQ
    expect(rt(['setb', 6, 2], {}, 0x00c00000)).toBe(M1); // LT wins over GT
    expect(rt(['setb', 6, 0], {}, 0x00c00000)).toBe(0n); // cr0 clear
  });

  it('cmprb and cmpeqb: GT of the named field says in range / found; the rest of it, SO included, is 0', () => {
    // cr1 preset to all ones, XER[SO] = 1: the field becomes 0b0100 or 0b0000, the others keep theirs
    const range = 0x0000000041005a30n; // ranges 0x30..0x5a (L=0) and 0x00..0x41 (L=1)
    expect(crAfter(['cmprb', 1, 0, 4, 5], { 4: 0x39n, 5: range }, 0x0f000000)).toBe(0x04000000);
    expect(crAfter(['cmprb', 1, 0, 4, 5], { 4: 0x20n, 5: range }, 0x0f000000)).toBe(0x00000000);
    expect(crAfter(['cmprb', 1, 1, 4, 5], { 4: 0x20n, 5: range }, 0x0f000000)).toBe(0x04000000);
    expect(crAfter(['cmprb', 1, 0, 4, 5], { 4: 0xff5an, 5: range }, 0xf0f00000)).toBe(0xf4f00000); // only RA's low byte counts
    expect(crAfter(['cmpeqb', 1, 4, 5], { 4: 0x77n, 5: 0x0011223344556677n }, 0x0f000000)).toBe(0x04000000);
    expect(crAfter(['cmpeqb', 1, 4, 5], { 4: 0x78n, 5: 0x0011223344556677n }, 0x0f000000)).toBe(0x00000000);
  });

  it('addpcis: the next instruction address plus D shifted left 16 (sign-extended)', () => {
    const run = (d: number) => {
      const p = runInsns([['addpcis', 6, 0], ['addpcis', 7, d]], {});
      expect(p.cpu.stop, p.diagnostics.join('\n')).toBe('exit');
      return BigInt.asIntN(64, gpr(p, 7) - gpr(p, 6));
    };
    expect(run(2)).toBe(4n + 0x20000n); // one instruction further, plus 2 << 16
    expect(run(-1)).toBe(4n - 0x10000n);
    expect(run(0)).toBe(4n);
  });
});

describe('darn (v3.0B Book I, Deliver A Random Number): deterministic per seed', () => {
  const prog = (l: number) => [['darn', 20, l], ['darn', 21, l]] as Array<[string, ...number[]]>;
  it('L=0 is a zero-extended 32-bit value, L=1 and L=2 64-bit values; the same seed gives the same numbers', () => {
    for (const l of [0, 1, 2]) {
      const a = runInsns(prog(l), { seed: 7 });
      const b = runInsns(prog(l), { seed: 7 });
      const c = runInsns(prog(l), { seed: 8 });
      expect(a.diagnostics, `L=${l}`).toEqual([]);
      expect([gpr(a, 20), gpr(a, 21)]).toEqual([gpr(b, 20), gpr(b, 21)]);
      expect(gpr(a, 20)).not.toBe(gpr(c, 20));
      expect(gpr(a, 20)).not.toBe(gpr(a, 21));
      if (l === 0) expect(gpr(a, 20) >> 32n).toBe(0n);
      for (const r of [20, 21]) expect(gpr(a, r)).not.toBe(0xffffffffffffffffn); // never the error value
    }
  });
  it('L=3 (reserved) is an illegal instruction', () => {
    const p = runInsns([['darn', 20, 3]], {});
    expect(p.cpu.exitCode).toBe(132);
    expect(p.diagnostics.join('\n')).toContain('SIGILL at pc 0x0000000010000000: darn with L=3 (reserved): an invalid form');
  });
});
