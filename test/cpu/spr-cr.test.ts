// Moves to and from the CR, XER, LR and CTR (Power ISA v3.0B Book I 3.3.17, 2.5).
// XER (Book I 3.2.2): SO = bit 32, OV = 33, CA = 34, OV32 = 44, CA32 = 45, the byte count in
// bits 57:63 -> masks 0x8000_0000, 0x4000_0000, 0x2000_0000, 0x0008_0000, 0x0004_0000, 0x7f.
// mtcrf: CR field i comes from RS[32:63] where FXM bit i (0x80 >> i) is set; mfcr gives
// 32 zeros || CR. mtocrf/mfocrf with exactly one FXM bit move that field only.

import { describe, expect, it } from 'vitest';
import type { UserProcess } from '../../src/cpu/user-process.js';
import { gpr, runInsns, type Insn } from '../helpers/run-words.js';

function run(insns: Insn[], regs: Record<number, bigint> = {}, cr = 0): UserProcess {
  const p = runInsns(insns, { regs, setup: (q) => (q.cpu.cr = cr) });
  expect(p.cpu.stop, p.diagnostics.join('\n')).toBe('exit');
  return p;
}

const XER_SO = 0x80000000;
const XER_OV = 0x40000000;
const XER_CA = 0x20000000;
const XER_OV32 = 0x00080000;
const XER_CA32 = 0x00040000;
const XER_DEFINED = 0xe00c007f;

/** The architected XER bits of register r (unsigned). */
function xerBits(p: UserProcess, r: number): number {
  return (Number(gpr(p, r) & 0xffffffffn) & XER_DEFINED) >>> 0;
}

describe('CR moves', () => {
  const CR0 = 0xaaaaaaaa | 0;
  it('mtcrf with several FXM bits', () => {
    // fields 0 and 7 from RS = 0x12345678 (high word ignored)
    let p = run([['mtcrf', 0x81, 4]], { 4: 0xffffffff12345678n }, CR0);
    expect(p.cpu.cr >>> 0).toBe(0x1aaaaaa8);
    p = run([['mtcrf', 0x3c, 4]], { 4: 0x12345678n }, CR0);
    expect(p.cpu.cr >>> 0).toBe(0xaa3456aa);
    p = run([['mtcrf', 0xff, 4]], { 4: 0x12345678n }, CR0);
    expect(p.cpu.cr >>> 0).toBe(0x12345678);
    p = run([['mtcrf', 0, 4]], { 4: 0x12345678n }, CR0);
    expect(p.cpu.cr >>> 0).toBe(0xaaaaaaaa);
    p = run([['mtcr', 4]], { 4: 0x87654321n }, CR0);
    expect(p.cpu.cr >>> 0).toBe(0x87654321);
  });
  it('mtocrf moves one field', () => {
    for (let f = 0; f < 8; f++) {
      const p = run([['mtocrf', 0x80 >> f, 4]], { 4: 0x12345678n }, CR0);
      const sh = 28 - 4 * f;
      const want = ((0xaaaaaaaa & ~(0xf << sh)) | (((0x12345678 >>> sh) & 0xf) << sh)) >>> 0;
      expect(p.cpu.cr >>> 0, `field ${f}`).toBe(want);
    }
  });
  it('mfcr zero-extends the CR', () => {
    const p = run([['mfcr', 6]], { 6: -1n }, 0x80000001 | 0);
    expect(gpr(p, 6)).toBe(0x80000001n);
  });
  it('mfocrf gives the selected field in its place', () => {
    for (let f = 0; f < 8; f++) {
      const p = run([['mfocrf', 6, 0x80 >> f]], {}, 0x12345678);
      const sh = 28 - 4 * f;
      // only the selected field is defined
      expect(Number((gpr(p, 6) >> BigInt(sh)) & 0xfn), `field ${f}`).toBe(f + 1);
    }
  });
  it('mtcrf/mfcr round trip after compares', () => {
    const p = run(
      [
        ['cmpdi', 0, 4, 0], // LT
        ['cmpdi', 1, 5, 0], // GT
        ['cmpdi', 2, 6, 0], // EQ
        ['mfcr', 7],
        ['li', 8, 0],
        ['mtcr', 8],
        ['mfcr', 9],
        ['mtcrf', 0x40, 7], // restore cr1 only
      ],
      { 4: -5n, 5: 5n, 6: 0n },
    );
    expect(gpr(p, 7)).toBe(0x84200000n);
    expect(gpr(p, 9)).toBe(0n);
    expect(p.cpu.cr >>> 0).toBe(0x04000000);
  });
});

describe('XER moves', () => {
  const BITS: Array<[string, number, keyof UserProcess['cpu'] & ('so' | 'ov' | 'ca' | 'ov32' | 'ca32')]> = [
    ['SO', XER_SO, 'so'],
    ['OV', XER_OV, 'ov'],
    ['CA', XER_CA, 'ca'],
    ['OV32', XER_OV32, 'ov32'],
    ['CA32', XER_CA32, 'ca32'],
  ];
  for (const [name, mask, field] of BITS) {
    it(`mtxer/mfxer round trip of ${name} alone`, () => {
      const p = run([['mtxer', 4], ['mfxer', 5]], { 4: BigInt(mask) });
      expect(xerBits(p, 5)).toBe(mask);
      expect(gpr(p, 5) >> 32n).toBe(0n);
      for (const [, , other] of BITS) expect(p.cpu[other], `${other} after writing ${name}`).toBe(other === field ? 1 : 0);
    });
  }
  it('all bits, the byte count, and clearing', () => {
    let p = run([['mtxer', 4], ['mfxer', 5]], { 4: -1n });
    expect(xerBits(p, 5)).toBe(XER_DEFINED);
    expect([p.cpu.so, p.cpu.ov, p.cpu.ca, p.cpu.ov32, p.cpu.ca32]).toEqual([1, 1, 1, 1, 1]);
    p = run([['mtxer', 4], ['li', 6, 0], ['mtxer', 6], ['mfxer', 5]], { 4: -1n });
    expect(xerBits(p, 5)).toBe(0);
    p = run([['mtxer', 4], ['mfxer', 5]], { 4: 0x25n });
    expect(xerBits(p, 5)).toBe(0x25);
  });
  it('mfxer shows the bits set by arithmetic', () => {
    // addco: 0xffff_ffff_ffff_ffff + 0x8000_0000_0000_0000 -> CA, CA32? low: 0xffffffff + 0 no
    // carry; high 0xffffffff + 0x80000000 carries -> CA=1, CA32=0; signed -1 + -2^63 overflows.
    const p = run([['addco', 6, 4, 5], ['mfxer', 7]], { 4: -1n, 5: 0x8000000000000000n });
    expect(xerBits(p, 7)).toBe((XER_SO | XER_OV | XER_CA) >>> 0);
    // the 32-bit flags: 0x7fffffff + 1 -> OV32, no CA32
    const q = run([['addco', 6, 4, 5], ['mfxer', 7]], { 4: 0x7fffffffn, 5: 1n });
    expect(xerBits(q, 7)).toBe(XER_OV32);
    const r = run([['addc', 6, 4, 5], ['mfxer', 7]], { 4: 0xffffffffn, 5: 1n });
    expect(xerBits(r, 7)).toBe(XER_CA32);
  });
  it('CA written by mtxer feeds adde; CA32 does not', () => {
    let p = run([['mtxer', 4], ['adde', 6, 5, 5]], { 4: BigInt(XER_CA), 5: 10n });
    expect(gpr(p, 6)).toBe(21n);
    p = run([['mtxer', 4], ['adde', 6, 5, 5]], { 4: BigInt(XER_CA32), 5: 10n });
    expect(gpr(p, 6)).toBe(20n);
  });
  it('SO written by mtxer is copied into CR0 by a . instruction and into compares', () => {
    const p = run([['mtxer', 4], ['and.', 6, 5, 5], ['cmpwi', 6, 5, 3]], { 4: BigInt(XER_SO), 5: 3n });
    expect((p.cpu.cr >>> 28) & 0xf).toBe(0b0101);
    expect((p.cpu.cr >>> 4) & 0xf).toBe(0b0011);
  });
});

describe('LR and CTR moves', () => {
  it('64-bit values round-trip through LR and CTR', () => {
    const p = run(
      [
        ['mtlr', 4],
        ['mtctr', 5],
        ['mflr', 6],
        ['mfctr', 7],
        ['mtspr', 8, 5], // LR via the SPR number
        ['mfspr', 8, 9], // CTR via the SPR number
        ['mfspr', 9, 8],
        ['mfspr', 10, 1], // XER
      ],
      { 4: 0xfedcba9876543210n, 5: 0x0123456789abcdefn },
    );
    expect(gpr(p, 6)).toBe(0xfedcba9876543210n);
    expect(gpr(p, 7)).toBe(0x0123456789abcdefn);
    expect(gpr(p, 8)).toBe(0x0123456789abcdefn);
    expect(gpr(p, 9)).toBe(0x0123456789abcdefn);
    expect(gpr(p, 10) & 0xe00c0000n).toBe(0n);
    expect(p.cpu.lrHi >>> 0).toBe(0x01234567);
  });
});

describe('time base', () => {
  it('mftb (mfspr 268/269) is readable in problem state and counts completed instructions', () => {
    // li r0,1; li r0,2; mfspr r20,268 -> 2 instructions completed before it; mfspr r21,268 -> 3;
    // mfspr r22,269 (upper word) -> 0.
    const p = runInsns([
      ['li', 0, 1],
      ['li', 0, 2],
      ['mfspr', 20, 268],
      ['mfspr', 21, 268],
      ['mfspr', 22, 269],
    ]);
    expect(p.cpu.stop).toBe('exit');
    expect(gpr(p, 20)).toBe(2n);
    expect(gpr(p, 21)).toBe(3n);
    expect(gpr(p, 22)).toBe(0n);
  });
});
