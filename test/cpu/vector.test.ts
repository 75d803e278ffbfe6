// VMX/VSX by hand (Book I chapters 6 and 7): the element order of each storage access in both
// byte orders, a permute, a splat, the permute controls, compare-with-record into CR6,
// saturation into VSCR[SAT], a scalar add and the FPR overlay. Expected values are worked out
// from the ISA's definitions; test/oracle/vector-qemu.test.ts checks every entry against QEMU.

import { describe, expect, it } from 'vitest';
import { DATA, crField, runInsns } from '../helpers/run-words.js';

const bytes16 = Uint8Array.from({ length: 64 }, (_, i) => i);
const words = (p: ReturnType<typeof runInsns>, x: number) => Array.from(p.cpu.vsr.subarray(4 * x, 4 * x + 4), (w) => w >>> 0);
const mem = (p: ReturnType<typeof runInsns>, off: number, n: number) => {
  const out: number[] = [];
  for (let k = 0; k < n; k++) out.push(p.cpu.load8(0, Number(DATA) + off + k));
  return out;
};

describe('VSX and VMX storage accesses: element order (Book I 6.4, 7.3)', () => {
  const load = (name: string, le: boolean) =>
    words(runInsns([[name, 40, 0, 3]], { le, regs: { 3: DATA }, data: bytes16 }), 40);
  it('big-endian: every 16-byte load gives storage order', () => {
    for (const name of ['lxvd2x', 'lxvw4x', 'lxvx', 'lxvb16x', 'lxvh8x'])
      expect(load(name, false), name).toEqual([0x00010203, 0x04050607, 0x08090a0b, 0x0c0d0e0f]);
  });
  it('little-endian: lxvx reverses the quadword, lxvd2x each doubleword, lxvw4x each word, lxvh8x each halfword; lxvb16x none', () => {
    expect(load('lxvx', true)).toEqual([0x0f0e0d0c, 0x0b0a0908, 0x07060504, 0x03020100]);
    expect(load('lxvd2x', true)).toEqual([0x07060504, 0x03020100, 0x0f0e0d0c, 0x0b0a0908]);
    expect(load('lxvw4x', true)).toEqual([0x03020100, 0x07060504, 0x0b0a0908, 0x0f0e0d0c]);
    expect(load('lxvh8x', true)).toEqual([0x01000302, 0x05040706, 0x09080b0a, 0x0d0c0f0e]);
    expect(load('lxvb16x', true)).toEqual([0x00010203, 0x04050607, 0x08090a0b, 0x0c0d0e0f]);
  });
  it('lvx ignores the low four address bits; lvsl/lvsr give the permute controls for them', () => {
    const p = runInsns([['lvx', 1, 0, 3], ['lvsl', 2, 0, 3], ['lvsr', 4, 0, 3]], { regs: { 3: DATA + 19n }, data: bytes16 });
    expect(words(p, 33)).toEqual([0x10111213, 0x14151617, 0x18191a1b, 0x1c1d1e1f]);
    expect(words(p, 34)).toEqual([0x03040506, 0x0708090a, 0x0b0c0d0e, 0x0f101112]);
    expect(words(p, 36)).toEqual([0x0d0e0f10, 0x11121314, 0x15161718, 0x191a1b1c]);
  });
  it('little-endian lxvd2x then stxvx stores the doublewords swapped (why LE code needs xxswapd)', () => {
    const p = runInsns([['lxvd2x', 40, 0, 3], ['li', 4, 32], ['stxvx', 40, 3, 4]], { le: true, regs: { 3: DATA }, data: bytes16 });
    expect(mem(p, 32, 16)).toEqual([8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7]);
  });
  it('stvewx stores one word element from its aligned address', () => {
    const p = runInsns([['lvx', 1, 0, 3], ['li', 4, 40], ['stvewx', 1, 3, 4]], { regs: { 3: DATA }, data: bytes16 });
    expect(mem(p, 40, 4)).toEqual([8, 9, 10, 11]); // element 2 of VR1 (bytes 8-11 of the quadword)
  });
});

describe('16-byte accesses that fault', () => {
  it('a store crossing into an unmapped page writes nothing (both ends are translated first) and ends in SIGSEGV', () => {
    const end = DATA + 65536n; // the data region's end: unmapped beyond
    const p = runInsns([['li', 7, 1], ['xxspltib', 40, 0xab], ['stxvd2x', 40, 0, 3], ['li', 7, 2]], { regs: { 3: end - 8n }, data: bytes16 });
    expect(p.cpu.exitCode).toBe(139);
    expect(p.cpu.getGpr(7)).toBe(1n);
    expect(mem(p, 65536 - 8, 8)).toEqual([0, 0, 0, 0, 0, 0, 0, 0]); // untouched (the data image is 64 KiB, zero past the first bytes)
  });
  it('a load crossing into an unmapped page changes no register', () => {
    const end = DATA + 65536n;
    const p = runInsns([['xxspltib', 40, 0x5a], ['lxvd2x', 40, 0, 3]], { regs: { 3: end - 8n } });
    expect(p.cpu.exitCode).toBe(139);
    expect(words(p, 40)).toEqual([0x5a5a5a5a, 0x5a5a5a5a, 0x5a5a5a5a, 0x5a5a5a5a]);
  });
});

describe('VMX/VSX operations', () => {
  const setVsr = (x: number, w: number[]) => (p: ReturnType<typeof runInsns>) => p.cpu.vsr.set(w, 4 * x);
  it('vperm picks bytes of VRA || VRB by the low five bits of each VRC byte', () => {
    const p = runInsns([['vperm', 5, 1, 2, 3]], {
      setup: (q) => {
        setVsr(33, [0x10111213, 0x14151617, 0x18191a1b, 0x1c1d1e1f])(q);
        setVsr(34, [0x20212223, 0x24252627, 0x28292a2b, 0x2c2d2e2f])(q);
        setVsr(35, [0x1f00e010, 0x0f01ff02, 0x03040506, 0x07080930])(q); // 0xe0 & 31 = 0, 0xff & 31 = 31, 0x30 & 31 = 16
      },
    });
    expect(words(p, 37)).toEqual([0x2f101020, 0x1f112f12, 0x13141516, 0x17181920]);
  });
  it('xxspltw and vspltisb splat; xxpermdi picks doublewords', () => {
    const p = runInsns([['xxspltw', 5, 1, 2], ['vspltisb', 6, -3], ['xxpermdi', 7, 1, 2, 2]], {
      setup: (q) => {
        setVsr(1, [1, 2, 3, 4])(q);
        setVsr(2, [5, 6, 7, 8])(q);
      },
    });
    expect(words(p, 5)).toEqual([3, 3, 3, 3]);
    expect(words(p, 38)).toEqual([0xfdfdfdfd, 0xfdfdfdfd, 0xfdfdfdfd, 0xfdfdfdfd]);
    expect(words(p, 7)).toEqual([3, 4, 5, 6]); // DM = 0b10: XA's doubleword 1, XB's doubleword 0
  });
  it('vcmpequb. sets CR6 to all-true (8) or all-false (2)', () => {
    const same = runInsns([['vcmpequb.', 3, 1, 1]]);
    expect(crField(same, 6)).toBe(8);
    expect(words(same, 35)).toEqual([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff]);
    const diff = runInsns([['vspltisb', 2, 1], ['vcmpequb.', 3, 1, 2]]);
    expect(crField(diff, 6)).toBe(2);
  });
  it('vaddubs saturates at 0xff and sets VSCR[SAT]; mfvscr reads it with NJ', () => {
    const p = runInsns([['vspltisb', 1, -16], ['vspltisb', 2, 15], ['vspltisb', 3, 1], ['vaddubm', 2, 2, 3], ['vaddubs', 4, 1, 2], ['mfvscr', 5]]);
    expect(words(p, 36)).toEqual([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff]); // 0xf0 + 0x10 = 0x100 -> 0xff
    expect(words(p, 37)).toEqual([0, 0, 0, 0x00010001]); // NJ (Linux's initial value) and SAT
  });
  it('xsadddp adds doubleword 0, zeroes doubleword 1, sets FPRF; the result is FPR 5 too', () => {
    const p = runInsns([['xsadddp', 5, 1, 2], ['stfd', 5, 0, 3]], {
      regs: { 3: DATA },
      setup: (q) => {
        setVsr(1, [0x3ff80000, 0, 7, 7])(q); // 1.5
        setVsr(2, [0x40020000, 0, 9, 9])(q); // 2.25
        setVsr(5, [0, 0, 0xdead, 0xbeef])(q);
      },
    });
    expect(words(p, 5)).toEqual([0x400e0000, 0, 0, 0]); // 3.75
    expect((p.cpu.fpscr >>> 12) & 0x1f).toBe(0x04); // FPRF: positive normal
    expect(mem(p, 0, 8)).toEqual([0x40, 0x0e, 0, 0, 0, 0, 0, 0]);
  });
  it('mtvsrd/mfvsrwz move between GPRs and VSRs; mtvrd names VR n as VSR 32+n', () => {
    const p = runInsns([['mtvsrd', 40, 3], ['mfvsrwz', 4, 40], ['mfvsrd', 5, 40]], { regs: { 3: 0x0123456789abcdefn } });
    expect(p.cpu.getGpr(4)).toBe(0x89abcdefn);
    expect(p.cpu.getGpr(5)).toBe(0x0123456789abcdefn);
    expect(words(p, 40).slice(0, 2)).toEqual([0x01234567, 0x89abcdef]);
  });
});

describe('vector state beyond the registers', () => {
  it('VRSAVE (SPR 256) is readable and writable in a user process (glibc saves it in setjmp)', () => {
    const p = runInsns([['li', 3, 0x1234], ['mtspr', 256, 3], ['mfspr', 4, 256]]);
    expect(p.cpu.getGpr(4)).toBe(0x1234n);
  });
  it('a CPU snapshot brings back the VSRs, FPSCR, VSCR and VRSAVE (the explorer restores CPUs from them)', () => {
    const p = runInsns([['xxspltib', 40, 7], ['vspltisb', 1, -16], ['vaddubs', 2, 1, 1], ['li', 3, 5], ['mtspr', 256, 3], ['mtfsb1', 30]]);
    const cpu = p.cpu;
    const before = { vsr: cpu.vsr.slice(), fpscr: cpu.fpscr, vscr: cpu.vscr, vrsave: cpu.vrsave };
    expect(before.vscr & 1).toBe(1); // SAT from the saturating add
    const snap = cpu.snapshot();
    cpu.vsr.fill(-1);
    cpu.fpscr = cpu.vscr = cpu.vrsave = 0;
    cpu.restore(snap);
    expect({ vsr: cpu.vsr.slice(), fpscr: cpu.fpscr, vscr: cpu.vscr, vrsave: cpu.vrsave }).toEqual(before);
    // An all-zero register file is kept as null and restored as zeros.
    cpu.vsr.fill(0);
    const zero = cpu.snapshot();
    expect(zero.vsr).toBeNull();
    cpu.vsr.fill(3);
    cpu.restore(zero);
    expect(cpu.vsr.every((w) => w === 0)).toBe(true);
  });
});

describe('VSX conversions, roundings and max/min added for vectorised C (Book I 7.6.1)', () => {
  /** Runs one XT,XB or XT,XA,XB instruction on VSRs set word by word. */
  const one = (insn: [string, ...number[]], regs: Record<number, number[]>, fpscr = 0) =>
    runInsns([insn], { setup: (p) => {
      p.cpu.fpscr = fpscr;
      for (const [r, w] of Object.entries(regs)) p.cpu.vsr.set(w.map((x) => x | 0), 4 * Number(r));
    } });
  it('xvcvspsxws converts each element on its own: a NaN beside 1.0, -2.0 and 2^31 (QEMU 7.2 saturates all four)', () => {
    const p = one(['xvcvspsxws', 3, 2], { 2: [0x7fc00000, 0x3f800000, 0xc0000000, 0x4f000000] });
    expect(words(p, 3)).toEqual([0x80000000, 1, 0xfffffffe, 0x7fffffff]);
    expect(p.cpu.fpscr & 0x100).toBe(0x100); // VXCVI
    const u = one(['xvcvspuxws', 3, 2], { 2: [0xbf000000, 0x3fc00000, 0x4f800000, 0xc0000000] }); // -0.5, 1.5, 2^32, -2
    expect(words(u, 3)).toEqual([0, 1, 0xffffffff, 0]);
  });
  it('xvcvsxwsp rounds to nearest (2^24 + 1 is inexact: XX) and xvcvuxwsp reads the words unsigned', () => {
    const p = one(['xvcvsxwsp', 3, 2], { 2: [0x01000001, -1, 3, 0] });
    expect(words(p, 3)).toEqual([0x4b800000, 0xbf800000, 0x40400000, 0]); // 2^24, -1, 3, 0
    expect(((p.cpu.fpscr & 0x82000000) >>> 0)).toBe(0x82000000); // FX, XX
    expect(words(one(['xvcvuxwsp', 3, 2], { 2: [-1, 0, 0, 0] }), 3)[0]).toBe(0x4f800000); // 2^32 - 1 rounds to 2^32
    // Toward zero (RN = 1): 2^24 + 1 -> 2^24, 2^32 - 1 -> 0x4f7fffff.
    expect(words(one(['xvcvuxwsp', 3, 2], { 2: [-1, 0x01000001, 0, 0] }, 1), 3).slice(0, 2)).toEqual([0x4f7fffff, 0x4b800000]);
  });
  it('xvrspim / xvrdpip / xvrspi: floor, ceiling and round-half-away per element', () => {
    // -1.5, 2.5, -0.25, 7.0 as singles
    expect(words(one(['xvrspim', 3, 2], { 2: [0xbfc00000, 0x40200000, 0xbe800000, 0x40e00000] }), 3)).toEqual([0xc0000000, 0x40000000, 0xbf800000, 0x40e00000]);
    expect(words(one(['xvrspi', 3, 2], { 2: [0xbfc00000, 0x40200000, 0xbe800000, 0x40e00000] }), 3)).toEqual([0xc0000000, 0x40400000, 0x80000000, 0x40e00000]);
    // 1.25 -> 2.0, -0.75 -> -0.0
    expect(words(one(['xvrdpip', 3, 2], { 2: [0x3ff40000, 0, 0xbfe80000, 0] }), 3)).toEqual([0x40000000, 0, 0x80000000, 0]);
  });
  it('xsrdpic / xvrspic round by FPSCR[RN] and report inexactness (frin-style forms do not)', () => {
    // 2.5 -> 2 (ties to even under RN = 0): inexact, not incremented; 2.75 -> 3: incremented (FR).
    const tie = one(['xsrdpic', 3, 2], { 2: [0x40040000, 0, 0, 0] });
    expect(words(tie, 3)).toEqual([0x40000000, 0, 0, 0]);
    expect(((tie.cpu.fpscr & 0x82060000) >>> 0)).toBe(0x82020000); // FX, XX, FI; FR clear
    const up = one(['xsrdpic', 3, 2], { 2: [0x40060000, 0, 0, 0] });
    expect([words(up, 3)[0], ((up.cpu.fpscr & 0x00060000) >>> 0)]).toEqual([0x40080000, 0x00060000]); // 3.0, FR and FI
    // Toward zero (RN = 1): -1.75 -> -1; xsrdpi (nearest, ties away) of the same value gives -2 and no XX.
    expect(words(one(['xsrdpic', 3, 2], { 2: [0xbffc0000, 0, 0, 0] }, 1), 3)[0]).toBe(0xbff00000);
    const frin = one(['xsrdpi', 3, 2], { 2: [0xbffc0000, 0, 0, 0] });
    expect([words(frin, 3)[0], frin.cpu.fpscr & 0x02000000]).toEqual([0xc0000000, 0]);
    // xvrspic under RN = 2 (+infinity): 1.25 -> 2, -1.25 -> -1, 3 -> 3, 0.5 -> 1; XX set, FI untouched.
    const v = one(['xvrspic', 3, 2], { 2: [0x3fa00000, 0xbfa00000, 0x40400000, 0x3f000000] }, 2);
    expect(words(v, 3)).toEqual([0x40000000, 0xbf800000, 0x40400000, 0x3f800000]);
    expect([((v.cpu.fpscr & 0x02000000) >>> 0), v.cpu.fpscr & 0x00020000]).toEqual([0x02000000, 0]);
  });
  it('xsmaxjdp/xsminjdp return a NaN operand unquieted (XA first); xsmaxdp quiets a signalling NaN; signed zeros', () => {
    const snan = [0x7ff00000, 1, 0, 0];
    const qnan = [0x7ff80000, 2, 0, 0];
    const pos0 = [0, 0, 0, 0];
    const neg0 = [0x80000000, 0, 0, 0];
    const one1 = [0x3ff00000, 0, 0, 0];
    expect(words(one(['xsmaxjdp', 3, 1, 2], { 1: snan, 2: qnan }), 3)).toEqual([0x7ff00000, 1, 0, 0]);
    expect(words(one(['xsminjdp', 3, 1, 2], { 1: one1, 2: qnan }), 3)).toEqual([0x7ff80000, 2, 0, 0]);
    expect(words(one(['xsmaxjdp', 3, 1, 2], { 1: neg0, 2: pos0 }), 3)[0]).toBe(0);
    expect(words(one(['xsminjdp', 3, 1, 2], { 1: pos0, 2: neg0 }), 3)[0]).toBe(0x80000000);
    const m = one(['xsmaxdp', 3, 1, 2], { 1: one1, 2: snan });
    expect(words(m, 3)).toEqual([0x7ff80000, 1, 0, 0]);
    expect(((m.cpu.fpscr & 0xa1000000) >>> 0)).toBe(0xa1000000); // FX, VX, VXSNAN
    expect(words(one(['xsmindp', 3, 1, 2], { 1: qnan, 2: one1 }), 3)[0]).toBe(0x3ff00000); // a quiet NaN gives the other
  });
});

describe('VMX floating point, saturating and pixel packs (Book I 6.8, 6.14)', () => {
  const one = (insn: [string, ...number[]], regs: Record<number, number[]>, vscr = 0x10000) =>
    runInsns([insn], { setup: (p) => {
      p.cpu.vscr = vscr;
      for (const [r, w] of Object.entries(regs)) p.cpu.vsr.set(w.map((x) => x | 0), 4 * (32 + Number(r)));
    } });
  const vr = (p: ReturnType<typeof runInsns>, n: number) => words(p, 32 + n);
  it('vpkswss saturates to halfwords and sets VSCR[SAT]; vpkuwum would not', () => {
    const p = one(['vpkswss', 3, 1, 2], { 1: [70000, -70000, 5, -5], 2: [32767, -32768, 32768, 0] });
    expect(vr(p, 3)).toEqual([0x7fff8000, 0x0005fffb, 0x7fff8000, 0x7fff0000]);
    expect(p.cpu.vscr & 1).toBe(1);
    expect(one(['vpkswss', 3, 1, 2], { 1: [1, 2, 3, 4], 2: [5, 6, 7, 8] }).cpu.vscr & 1).toBe(0);
  });
  it('vpksdus: a negative doubleword is 0, one above 2^32 - 1 is 0xffffffff (SAT)', () => {
    const p = one(['vpksdus', 3, 1, 2], { 1: [-1, -5, 0, 0xfffffffe], 2: [1, 0, 0, 7] });
    expect(vr(p, 3)).toEqual([0, 0xfffffffe, 0xffffffff, 7]);
    expect(p.cpu.vscr & 1).toBe(1);
  });
  it('vupkhpx / vpkpx: a 1/5/5/5 pixel to low-aligned bytes; packing takes bit 7 and the top five bits of bytes 1-3', () => {
    // 0xfc1f = 1 11111 00000 11111
    const p = one(['vupkhpx', 3, 1], { 1: [0xfc1f0421, 0, 0, 0] });
    expect(vr(p, 3)).toEqual([0xff1f001f, 0x00010101, 0, 0]);
    const q = one(['vpkpx', 3, 1, 2], { 1: [0x01f800f8, 0x00080808, 0, 0], 2: [0, 0, 0, 0] });
    expect(vr(q, 3)[0]).toBe(0xfc1f0421);
  });
  it('vrfin rounds ties to even (unlike frin); vctsxs saturates with SAT and gives 0 for a NaN; vcfsx scales', () => {
    // 2.5 -> 2, 3.5 -> 4, -0.5 -> -0, 1.25 -> 1
    expect(vr(one(['vrfin', 3, 1], { 1: [0x40200000, 0x40600000, 0xbf000000, 0x3fa00000] }), 3)).toEqual([0x40000000, 0x40800000, 0x80000000, 0x3f800000]);
    // 3e9 saturates, 1.75 * 2^2 = 7, a NaN is 0, -1.5 -> -1
    const p = one(['vctsxs', 3, 1, 2], { 1: [0x4f32d05e, 0x3fe00000, 0x7fc00000, 0xbfc00000] });
    expect(vr(p, 3)).toEqual([0x7fffffff, 7, 0, 0xfffffffa]);
    expect(p.cpu.vscr & 1).toBe(1);
    // -6 / 2^1 = -3.0
    expect(vr(one(['vcfsx', 3, 1, 1], { 1: [-6, 0, 0, 0] }), 3)[0]).toBe(0xc0400000);
  });
  it('non-Java mode (NJ = 1) flushes denormal operands and results to zero; NJ = 0 keeps them', () => {
    const den = 0x00400000; // 2^-127
    expect(vr(one(['vaddfp', 3, 1, 2], { 1: [den, 0, 0, 0], 2: [0, 0, 0, 0] }), 3)[0]).toBe(0);
    expect(vr(one(['vaddfp', 3, 1, 2], { 1: [den, 0, 0, 0], 2: [0, 0, 0, 0] }, 0), 3)[0]).toBe(den);
    // vcmpeqfp.: a denormal equals 0 under NJ; CR6 = all true
    const c = one(['vcmpeqfp.', 3, 1, 2], { 1: [den, 0, 0, 0], 2: [0, 0, 0, 0] });
    expect([vr(c, 3), crField(c, 6)]).toEqual([[0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff], 8]);
  });
});
