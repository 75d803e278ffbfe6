// Loads and stores (Power ISA v3.0B Book I 3.3.2-3.3.6, 3.3.15 byte-reversed; Book II 4.3
// cache management, 4.4.2 load and reserve / store conditional), in both byte orders.
// EA = (RA|0) + D / DS / (RB); update forms write the EA back to RA; lha/lwa sign-extend,
// the others zero-extend; the byte-reversed forms access storage in the opposite byte order.
// The data region DATA holds data[i] = i & 0xff unless a test says otherwise.

import { describe, expect, it } from 'vitest';
import { PROT_W } from '../../src/cpu/memory.js';
import type { UserProcess } from '../../src/cpu/user-process.js';
import { CODE, DATA, enc, gpr, runInsns, type Insn } from '../helpers/run-words.js';

const M1 = 0xffffffffffffffffn;

const PATTERN = new Uint8Array(65536).map((_, i) => i & 0xff);

function run(insns: Insn[], regs: Record<number, bigint>, le: boolean, data: Uint8Array = PATTERN, so = 0): UserProcess {
  const p = runInsns(insns, { le, regs, data, setup: (q) => (q.cpu.so = so) });
  return p;
}

function ok(p: UserProcess): void {
  expect(p.cpu.stop, p.diagnostics.join('\n')).toBe('exit');
}

function mem(p: UserProcess, off: number, n: number): number[] {
  const b = p.space.read(DATA + BigInt(off), n);
  if (!b) throw new Error('unmapped');
  return [...b];
}

const ORDERS = [
  ['BE', false],
  ['LE', true],
] as const;

describe('loads: every width and form, both byte orders', () => {
  // Bytes at DATA+0x80: 80 81 82 83 84 85 86 87. [mnemonic, form, BE value, LE value]
  type Form = 'D' | 'DU' | 'X' | 'XU';
  const LOADS: Array<[string, Form, bigint, bigint]> = [
    ['lbz', 'D', 0x80n, 0x80n],
    ['lbzu', 'DU', 0x80n, 0x80n],
    ['lbzx', 'X', 0x80n, 0x80n],
    ['lbzux', 'XU', 0x80n, 0x80n],
    ['lhz', 'D', 0x8081n, 0x8180n],
    ['lhzu', 'DU', 0x8081n, 0x8180n],
    ['lhzx', 'X', 0x8081n, 0x8180n],
    ['lhzux', 'XU', 0x8081n, 0x8180n],
    ['lha', 'D', 0xffffffffffff8081n, 0xffffffffffff8180n],
    ['lhau', 'DU', 0xffffffffffff8081n, 0xffffffffffff8180n],
    ['lhax', 'X', 0xffffffffffff8081n, 0xffffffffffff8180n],
    ['lhaux', 'XU', 0xffffffffffff8081n, 0xffffffffffff8180n],
    ['lwz', 'D', 0x80818283n, 0x83828180n],
    ['lwzu', 'DU', 0x80818283n, 0x83828180n],
    ['lwzx', 'X', 0x80818283n, 0x83828180n],
    ['lwzux', 'XU', 0x80818283n, 0x83828180n],
    ['lwa', 'D', 0xffffffff80818283n, 0xffffffff83828180n],
    ['lwax', 'X', 0xffffffff80818283n, 0xffffffff83828180n],
    ['lwaux', 'XU', 0xffffffff80818283n, 0xffffffff83828180n],
    ['ld', 'D', 0x8081828384858687n, 0x8786858483828180n],
    ['ldu', 'DU', 0x8081828384858687n, 0x8786858483828180n],
    ['ldx', 'X', 0x8081828384858687n, 0x8786858483828180n],
    ['ldux', 'XU', 0x8081828384858687n, 0x8786858483828180n],
    // byte-reversed: zero-extended, opposite byte order
    ['lhbrx', 'X', 0x8180n, 0x8081n],
    ['lwbrx', 'X', 0x83828180n, 0x80818283n],
    ['ldbrx', 'X', 0x8786858483828180n, 0x8081828384858687n],
  ];
  for (const [mn, form, be, leVal] of LOADS) {
    for (const [name, le] of ORDERS) {
      it(`${mn} (${name})`, () => {
        const want = le ? leVal : be;
        const junk = 0xdeadbeefdeadbeefn;
        const insn: Insn = form === 'D' || form === 'DU' ? [mn, 6, 0x80, 4] : [mn, 6, 4, 5];
        const p = run([insn], { 4: DATA, 5: 0x80n, 6: junk }, le);
        ok(p);
        expect(gpr(p, 6)).toBe(want);
        const update = form === 'DU' || form === 'XU';
        expect(gpr(p, 4), 'RA').toBe(update ? DATA + 0x80n : DATA);
        expect(gpr(p, 5), 'RB').toBe(0x80n);
        if (form === 'X') {
          // RA = 0 reads as 0 (r0 holds junk): EA = (RB)
          const q = run([[mn, 6, 0, 5]], { 0: 0x4000n, 5: DATA + 0x80n, 6: junk }, le);
          ok(q);
          expect(gpr(q, 6), 'RA=0').toBe(want);
        }
      });
    }
  }
  it('positive halfword/word values are not sign-extended', () => {
    for (const [, le] of ORDERS) {
      const p = run(
        [
          ['lha', 6, 0x10, 4],
          ['lwa', 7, 0x10, 4],
          ['lhax', 8, 4, 5],
        ],
        { 4: DATA, 5: 0x7en },
        le,
      );
      ok(p);
      expect(gpr(p, 6)).toBe(le ? 0x1110n : 0x1011n);
      expect(gpr(p, 7)).toBe(le ? 0x13121110n : 0x10111213n);
      expect(gpr(p, 8)).toBe(le ? 0x7f7en : 0x7e7fn);
    }
  });
  it('negative displacements and DS displacements', () => {
    for (const [, le] of ORDERS) {
      const p = run(
        [
          ['lbz', 6, -0x80, 4],
          ['ld', 7, -0x7c, 4], // EA = DATA + 0x84
          ['lwzu', 8, -4, 9],
        ],
        { 4: DATA + 0x100n, 9: DATA + 0x14n },
        le,
      );
      ok(p);
      expect(gpr(p, 6)).toBe(0x80n);
      expect(gpr(p, 7)).toBe(le ? 0x8b8a898887868584n : 0x8485868788898a8bn);
      expect(gpr(p, 8)).toBe(le ? 0x13121110n : 0x10111213n);
      expect(gpr(p, 9)).toBe(DATA + 0x10n);
    }
  });
  it('unaligned loads, including across a page boundary', () => {
    for (const [, le] of ORDERS) {
      const p = run(
        [
          ['lwz', 6, 0x81, 4],
          ['lhz', 7, 0xfff, 4], // bytes ff, 00 (page boundary at DATA+0x1000)
          ['ld', 8, 0xffc, 4], // fc fd fe ff | 00 01 02 03
          ['ldbrx', 9, 4, 5],
        ],
        { 4: DATA, 5: 0xffdn },
        le,
      );
      ok(p);
      expect(gpr(p, 6)).toBe(le ? 0x84838281n : 0x81828384n);
      expect(gpr(p, 7)).toBe(le ? 0x00ffn : 0xff00n);
      expect(gpr(p, 8)).toBe(le ? 0x03020100fffefdfcn : 0xfcfdfeff00010203n);
      // bytes fd fe ff 00 01 02 03 04, reversed order
      expect(gpr(p, 9)).toBe(le ? 0xfdfeff0001020304n : 0x04030201_00fffefdn);
    }
  });
});

describe('stores: every width and form, both byte orders', () => {
  type Form = 'D' | 'DU' | 'X' | 'XU';
  const V = 0x1122334455667788n;
  // [mnemonic, form, BE bytes, LE bytes]
  const STORES: Array<[string, Form, number[], number[]]> = [];
  const add = (names: [string, Form][], be: number[], le: number[]) => {
    for (const [n, f] of names) STORES.push([n, f, be, le]);
  };
  add([['stb', 'D'], ['stbu', 'DU'], ['stbx', 'X'], ['stbux', 'XU']], [0x88], [0x88]);
  add([['sth', 'D'], ['sthu', 'DU'], ['sthx', 'X'], ['sthux', 'XU']], [0x77, 0x88], [0x88, 0x77]);
  add(
    [['stw', 'D'], ['stwu', 'DU'], ['stwx', 'X'], ['stwux', 'XU']],
    [0x55, 0x66, 0x77, 0x88],
    [0x88, 0x77, 0x66, 0x55],
  );
  add(
    [['std', 'D'], ['stdu', 'DU'], ['stdx', 'X'], ['stdux', 'XU']],
    [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88],
    [0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11],
  );
  add([['sthbrx', 'X']], [0x88, 0x77], [0x77, 0x88]);
  add([['stwbrx', 'X']], [0x88, 0x77, 0x66, 0x55], [0x55, 0x66, 0x77, 0x88]);
  add(
    [['stdbrx', 'X']],
    [0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11],
    [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88],
  );
  for (const [mn, form, be, leBytes] of STORES) {
    for (const [name, le] of ORDERS) {
      it(`${mn} (${name})`, () => {
        const bytes = le ? leBytes : be;
        const insn: Insn = form === 'D' || form === 'DU' ? [mn, 6, 0x200, 4] : [mn, 6, 4, 5];
        const p = run([insn], { 4: DATA, 5: 0x200n, 6: V }, le);
        ok(p);
        // the 8 bytes before and after are untouched
        const want = [...PATTERN.slice(0x1f8, 0x200), ...bytes, ...PATTERN.slice(0x200 + bytes.length, 0x210)];
        expect(mem(p, 0x1f8, want.length)).toEqual(want);
        const update = form === 'DU' || form === 'XU';
        expect(gpr(p, 4), 'RA').toBe(update ? DATA + 0x200n : DATA);
        expect(gpr(p, 6), 'RS unchanged').toBe(V);
        if (form === 'X') {
          const q = run([[mn, 6, 0, 5]], { 0: 0x4000n, 5: DATA + 0x200n, 6: V }, le);
          ok(q);
          expect(mem(q, 0x200, bytes.length), 'RA=0').toEqual(bytes);
        }
      });
    }
  }
  it('unaligned store across a page boundary, and a store/load round trip', () => {
    for (const [, le] of ORDERS) {
      const p = run(
        [
          ['std', 6, 0xffc, 4],
          ['ld', 7, 0xffc, 4],
          ['stw', 6, 0x1fff, 4], // odd address
          ['lwz', 8, 0x1fff, 4],
        ],
        { 4: DATA, 6: V },
        le,
      );
      ok(p);
      expect(mem(p, 0xffc, 8)).toEqual(le ? [0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11] : [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88]);
      expect(gpr(p, 7)).toBe(V);
      expect(mem(p, 0x1fff, 4)).toEqual(le ? [0x88, 0x77, 0x66, 0x55] : [0x55, 0x66, 0x77, 0x88]);
      expect(gpr(p, 8)).toBe(0x55667788n);
    }
  });
  it('stdu on the stack pointer (a frame push) and reload', () => {
    for (const [, le] of ORDERS) {
      let sp0 = 0n;
      const p = runInsns(
        [
          ['stdu', 6, -32, 1],
          ['ld', 7, 0, 1],
        ],
        { le, regs: { 6: V }, setup: (q) => (sp0 = q.cpu.getGpr(1)) },
      );
      ok(p);
      expect(gpr(p, 1)).toBe(sp0 - 32n);
      expect(gpr(p, 7)).toBe(V);
    }
  });
});

describe('load/store multiple', () => {
  it('stmw/lmw in big-endian mode', () => {
    const p = run(
      [
        ['stmw', 29, 0x300, 4],
        ['lmw', 28, 0x80, 4],
      ],
      {
        4: DATA,
        28: 0xaaaaaaaa00000000n,
        29: 0xaaaaaaaa11111111n,
        30: 0xbbbbbbbb22222222n,
        31: 0xcccccccc33333333n,
      },
      false,
    );
    ok(p);
    // stmw stores the low words of r29..r31
    expect(mem(p, 0x2fc, 16)).toEqual([0xfc, 0xfd, 0xfe, 0xff, 0x11, 0x11, 0x11, 0x11, 0x22, 0x22, 0x22, 0x22, 0x33, 0x33, 0x33, 0x33]);
    // lmw loads zero-extended words into r28..r31
    expect([gpr(p, 28), gpr(p, 29), gpr(p, 30), gpr(p, 31)]).toEqual([0x80818283n, 0x84858687n, 0x88898a8bn, 0x8c8d8e8fn]);
    expect(gpr(p, 4)).toBe(DATA);
  });
  it('lmw and stmw in little-endian mode raise the Alignment interrupt (SIGBUS)', () => {
    for (const mn of ['lmw', 'stmw']) {
      const p = run([['li', 7, 1], [mn, 30, 0x80, 4], ['li', 7, 2]], { 4: DATA, 30: 5n, 31: 6n }, true);
      expect(p.cpu.stop).toBe('unhandled-interrupt');
      expect(p.cpu.exitCode).toBe(128 + 7);
      expect(p.cpu.pc).toBe(CODE + 4n);
      expect(p.diagnostics.join('\n')).toMatch(/SIGBUS/);
      expect(gpr(p, 7)).toBe(1n);
      expect(gpr(p, 30)).toBe(5n);
      expect(mem(p, 0x80, 8)).toEqual([...PATTERN.slice(0x80, 0x88)]);
    }
  });
});

describe('load and reserve / store conditional', () => {
  for (const [name, le] of ORDERS) {
    it(`lwarx/stwcx. success, then failure without a reservation (${name})`, () => {
      const p = run(
        [
          ['lwarx', 6, 0, 8],
          ['addi', 6, 6, 1],
          ['stwcx.', 6, 0, 8],
          ['mfcr', 9],
          ['addi', 6, 6, 1],
          ['stwcx.', 6, 0, 8], // the reservation was used up: fails
          ['mfcr', 10],
        ],
        { 8: DATA + 0x400n },
        le,
      );
      ok(p);
      // word at 0x400: bytes 00 01 02 03
      expect(gpr(p, 6)).toBe(le ? 0x03020102n : 0x00010205n);
      expect(Number(gpr(p, 9) >> 28n)).toBe(0b0010); // EQ: stored
      expect(Number(gpr(p, 10) >> 28n)).toBe(0b0000); // not stored
      expect(mem(p, 0x400, 4)).toEqual(le ? [0x01, 0x01, 0x02, 0x03] : [0x00, 0x01, 0x02, 0x04]);
    });
    it(`stwcx. without any reservation fails and stores nothing; CR0[SO] copies XER[SO] (${name})`, () => {
      const p = run([['stwcx.', 6, 0, 8]], { 6: 0xffffffffn, 8: DATA + 0x400n }, le, PATTERN, 1);
      ok(p);
      expect((p.cpu.cr >>> 28) & 0xf).toBe(0b0001);
      expect(mem(p, 0x400, 4)).toEqual([0, 1, 2, 3]);
      const q = run(
        [
          ['lwarx', 6, 4, 5],
          ['stwcx.', 7, 4, 5],
        ],
        { 4: DATA, 5: 0x400n, 7: 0x0a0b0c0dn },
        le,
        PATTERN,
        1,
      );
      ok(q);
      expect((q.cpu.cr >>> 28) & 0xf).toBe(0b0011);
      expect(mem(q, 0x400, 4)).toEqual(le ? [0x0d, 0x0c, 0x0b, 0x0a] : [0x0a, 0x0b, 0x0c, 0x0d]);
    });
    it(`ldarx/stdcx. (${name})`, () => {
      const p = run(
        [
          ['ldarx', 6, 0, 8],
          ['stdcx.', 7, 0, 8],
          ['mfcr', 9],
          ['stdcx.', 7, 0, 8],
          ['mfcr', 10],
        ],
        { 7: 0x1122334455667788n, 8: DATA + 0x80n },
        le,
      );
      ok(p);
      expect(gpr(p, 6)).toBe(le ? 0x8786858483828180n : 0x8081828384858687n);
      expect(Number(gpr(p, 9) >> 28n)).toBe(0b0010);
      expect(Number(gpr(p, 10) >> 28n)).toBe(0b0000);
      expect(mem(p, 0x80, 8)).toEqual(le ? [0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11] : [0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88]);
    });
  }
  it('lwarx zero-extends', () => {
    const p = run([['lwarx', 6, 0, 8]], { 6: M1, 8: DATA + 0x80n }, false);
    ok(p);
    expect(gpr(p, 6)).toBe(0x80818283n);
  });
  it('an unaligned lwarx raises the Alignment interrupt (SIGBUS)', () => {
    const p = run([['lwarx', 6, 0, 8]], { 8: DATA + 0x82n }, false);
    expect(p.cpu.stop).toBe('unhandled-interrupt');
    expect(p.cpu.exitCode).toBe(135);
  });
});

describe('cache management', () => {
  it('dcbz clears exactly the aligned 128-byte block', () => {
    for (const [, le] of ORDERS) {
      const ff = new Uint8Array(65536).fill(0xff);
      const p = run(
        [
          ['dcbz', 0, 4],
          ['dcbz', 5, 6],
        ],
        { 4: DATA + 0x1a5n, 5: DATA, 6: 0x1003n },
        le,
        ff,
      );
      ok(p);
      expect(mem(p, 0x17f, 1)).toEqual([0xff]);
      expect(mem(p, 0x180, 128).every((b) => b === 0)).toBe(true);
      expect(mem(p, 0x200, 1)).toEqual([0xff]);
      expect(mem(p, 0xfff, 1)).toEqual([0xff]);
      expect(mem(p, 0x1000, 128).every((b) => b === 0)).toBe(true);
      expect(mem(p, 0x1080, 1)).toEqual([0xff]);
      expect(gpr(p, 4)).toBe(DATA + 0x1a5n);
    }
  });
  it('dcbf/dcbst/dcbt/dcbtst do not change storage or registers', () => {
    const p = run(
      [
        ['dcbf', 0, 4],
        ['dcbst', 0, 4],
        ['dcbt', 0, 4],
        ['dcbtst', 0, 4],
        ['lwz', 6, 0, 4],
      ],
      { 4: DATA + 0x40n },
      false,
    );
    ok(p);
    expect(gpr(p, 6)).toBe(0x40414243n);
    expect(gpr(p, 4)).toBe(DATA + 0x40n);
  });
});

describe('self-modifying code', () => {
  const makeWritable = (q: UserProcess) => q.space.map(CODE, 4096, PROT_W);
  for (const [name, le] of ORDERS) {
    it(`a store over a not-yet-executed instruction is seen (${name})`, () => {
      const p = runInsns(
        [
          ['lis', 4, 0x1000], // r4 = CODE
          ['stw', 5, 24, 4],
          ['dcbst', 0, 4],
          ['sync'],
          ['icbi', 0, 4],
          ['isync'],
          ['li', 7, 1], // offset 24: replaced by li r7,2
        ],
        { le, regs: { 5: BigInt(enc('li', 7, 2)) }, setup: makeWritable },
      );
      ok(p);
      expect(gpr(p, 7)).toBe(2n);
    });
    it(`a store over an already-executed instruction is seen on the next pass (${name})`, () => {
      const p = runInsns(
        [
          ['lis', 4, 0x1000],
          ['li', 7, 0],
          ['li', 8, 2],
          ['mtctr', 8],
          ['addi', 7, 7, 1], // offset 16: becomes addi r7,r7,100 after the first pass
          ['stw', 5, 16, 4],
          ['icbi', 0, 4],
          ['isync'],
          ['bdnz', -16],
        ],
        { le, regs: { 5: BigInt(enc('addi', 7, 7, 100)) }, setup: makeWritable },
      );
      ok(p);
      expect(gpr(p, 7)).toBe(101n);
    });
  }
  it('a store to the (read-only) code page of a normal program faults', () => {
    const p = runInsns([['lis', 4, 0x1000], ['stw', 4, 0, 4]]);
    expect(p.cpu.stop).toBe('unhandled-interrupt');
    expect(p.cpu.exitCode).toBe(139);
    expect(p.diagnostics.join('\n')).toContain('0000000010000000');
  });
});
