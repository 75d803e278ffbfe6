// Property tests against BigInt references:
//   1. the hi/lo helpers of src/cpu/int64.ts;
//   2. the interpreter (reused user processes, so each case costs microseconds) for the
//      fixed-point arithmetic, logical, count, rotate, shift and compare instructions,
//      including the XER (SO OV OV32 CA CA32) and CR0 effects of their o and . forms, and
//      for X-form loads and stores in both byte orders against a DataView model.
// References follow the Power ISA v3.0B Book I 3.3.9-3.3.14 definitions, written with BigInt.
// Values are biased towards the edges 0, +-1, 2^31, 2^32, 2^63, 2^64-1 and their neighbours.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Cpu } from '../../src/cpu/cpu.js';
import type { ElfImage } from '../../src/cpu/elf-loader.js';
import {
  MASK32,
  MASK_HI,
  MASK_LO,
  cmp64s,
  cmp64u,
  fromBig,
  mul64lo,
  mulhd,
  mulhdu,
  neg64,
  out,
  popcntBytes,
  popcount32,
  rotl64,
  sdiv64,
  toBig,
  udiv64,
  umul32,
  umul64full,
} from '../../src/cpu/int64.js';
import { UserProcess } from '../../src/cpu/user-process.js';
import { CODE, DATA, enc, type Insn } from '../helpers/run-words.js';

const RUNS = 300;
const M64 = (1n << 64n) - 1n;
const M32 = 0xffffffffn;
const MIN64 = 1n << 63n;

const u64 = (v: bigint) => BigInt.asUintN(64, v);
const s64 = (v: bigint) => BigInt.asIntN(64, v);
const s32 = (v: bigint) => BigInt.asIntN(32, v);
const hiOf = (v: bigint) => Number(u64(v) >> 32n) | 0;
const loOf = (v: bigint) => Number(v & M32) | 0;
const pair = () => toBig(out.hi, out.lo);
const sign = (x: bigint) => (x < 0n ? -1 : x > 0n ? 1 : 0);

// ---------------------------------------------------------------- arbitraries

const EDGES: bigint[] = [
  0n,
  1n,
  2n,
  M64,
  M64 - 1n,
  1n << 31n,
  (1n << 31n) - 1n,
  1n << 32n,
  (1n << 32n) - 1n,
  MIN64,
  MIN64 - 1n,
  MIN64 + 1n,
  0xffffffff80000000n,
  0xffffffff7fffffffn,
  0x80000000ffffffffn,
  0x7fffffff00000000n,
  0x00000001ffffffffn,
];

/** A 64-bit value (unsigned BigInt), edge-biased. */
const arb64: fc.Arbitrary<bigint> = fc.oneof(
  { weight: 4, arbitrary: fc.bigInt({ min: 0n, max: M64 }) },
  { weight: 2, arbitrary: fc.constantFrom(...EDGES) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(fc.constantFrom(...EDGES), fc.integer({ min: -3, max: 3 }))
      .map(([e, d]) => u64(e + BigInt(d))),
  },
  { weight: 1, arbitrary: fc.bigInt({ min: -(1n << 31n), max: (1n << 31n) - 1n }).map(u64) },
  { weight: 1, arbitrary: fc.bigInt({ min: 0n, max: M32 }) },
);

/** A shift-amount register: mostly 0..130, sometimes any 64-bit value. */
const arbShiftReg: fc.Arbitrary<bigint> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 130 }).map(BigInt) },
  { weight: 1, arbitrary: arb64 },
);

const bit = fc.integer({ min: 0, max: 1 });
const crArb = fc.integer({ min: -0x80000000, max: 0x7fffffff });

interface XerIn {
  so: number;
  ov: number;
  ov32: number;
  ca: number;
  ca32: number;
}
const xerArb: fc.Arbitrary<XerIn> = fc.record({ so: bit, ov: bit, ov32: bit, ca: bit, ca32: bit });

// ---------------------------------------------------------------- references

function maskRef(mb: number, me: number): bigint {
  let m = 0n;
  for (let b = 0; b < 64; b++) {
    const inside = mb <= me ? b >= mb && b <= me : b >= mb || b <= me;
    if (inside) m |= 1n << BigInt(63 - b);
  }
  return m;
}
const MASKS: bigint[] = [];
for (let mb = 0; mb < 64; mb++) for (let me = 0; me < 64; me++) MASKS.push(maskRef(mb, me));
const maskOf = (mb: number, me: number) => MASKS[mb * 64 + me]!;

function rotlRef(v: bigint, n: number): bigint {
  const k = BigInt(n & 63);
  return u64((v << k) | (v >> (64n - k)));
}

/** ROTL32: the low word rotated, duplicated in both halves. */
function rotl32Ref(v: bigint, n: number): bigint {
  const x = v & M32;
  const k = BigInt(n & 31);
  const r = ((x << k) | (x >> (32n - k))) & M32;
  return (r << 32n) | r;
}

function cmpBits(c: number): number {
  return c < 0 ? 8 : c > 0 ? 4 : 2;
}

/** The adder behind add/subf/neg and their carrying forms: x + y + cin. */
function adder(x: bigint, y: bigint, cin: number) {
  const c = BigInt(cin);
  const sum = x + y + c;
  const ss = s64(x) + s64(y) + c;
  const ss32 = s32(x) + s32(y) + c;
  return {
    rt: sum & M64,
    ca: Number(sum >> 64n),
    ca32: Number(((x & M32) + (y & M32) + c) >> 32n),
    ov: ss < -MIN64 || ss >= MIN64 ? 1 : 0,
    ov32: ss32 < -(1n << 31n) || ss32 >= 1n << 31n ? 1 : 0,
  };
}

// ---------------------------------------------------------------- the reused process

class Machine {
  readonly p: UserProcess;
  constructor(readonly le = false) {
    const image: ElfImage = {
      littleEndian: le,
      abiVersion: 2,
      entry: CODE,
      toc: null,
      phdrAddr: null,
      phnum: 0,
      codeSections: [],
      rawSymbols: [],
      segments: [
        { vaddr: CODE, memsz: 4096, data: new Uint8Array(4096), flags: 5 },
        { vaddr: DATA, memsz: 0x4000, data: new Uint8Array(0x4000), flags: 6 },
      ],
      symbols: new Map(),
    };
    this.p = new UserProcess(image, { fileName: 'prop' });
  }

  /** Runs the instructions then exit_group; returns the CPU. */
  exec(insns: Insn[], regs: Record<number, bigint>, xer: XerIn, cr: number): Cpu {
    const words = insns.map((x) => enc(x[0], ...(x.slice(1) as number[])));
    words.push(enc('li', 0, 234), enc('sc'));
    const code = new Uint8Array(words.length * 4);
    const dv = new DataView(code.buffer);
    words.forEach((w, k) => dv.setUint32(k * 4, w, this.le));
    this.p.space.write(CODE, code);
    const cpu = this.p.cpu;
    for (let r = 0; r < 32; r++) cpu.setGpr(r, regs[r] ?? 0n);
    Object.assign(cpu, xer);
    cpu.cr = cr;
    cpu.stop = null;
    cpu.exitCode = null;
    cpu.pc = CODE;
    this.p.run(1000);
    if (cpu.stop !== 'exit') throw new Error(`did not exit: ${this.p.diagnostics.join('; ')}`);
    return cpu;
  }
}

const M = new Machine();
const MACHINES = [new Machine(false), new Machine(true)];

interface Expect {
  rt: bigint | null;
  /** [CA, CA32] when the instruction sets them. */
  ca?: [number, number];
  /** [OV, OV32] for the o form. */
  ov?: [number, number];
}

/**
 * Runs `mn + variant` with RA=r4, RB=r5, RT=r6 (RT may be preloaded for insert forms) and
 * checks RT, CA, OV/OV32/SO against `e` and the untouched state, and CR0 for the . form.
 */
function checkVariant(
  mn: string,
  variant: string,
  operands: number[],
  regs: Record<number, bigint>,
  xer: XerIn,
  cr: number,
  e: Expect,
  opts: { rtReg?: number; crField?: number } = {},
): void {
  const oe = variant.includes('o');
  const rc = variant.includes('.');
  const cpu = M.exec([[mn + variant, ...operands]], regs, xer, cr);
  const what = `${mn}${variant} ${operands.join(',')} regs=${Object.entries(regs)
    .map(([k, v]) => `r${k}=0x${v.toString(16)}`)
    .join(' ')} xer=${JSON.stringify(xer)}`;
  const rtReg = opts.rtReg ?? 6;
  if (e.rt !== null) expect(cpu.getGpr(rtReg), what).toBe(e.rt);
  const ca = e.ca ?? [xer.ca, xer.ca32];
  expect([cpu.ca, cpu.ca32], what + ' CA CA32').toEqual(ca);
  const ov = oe ? e.ov! : [xer.ov, xer.ov32];
  const so = oe ? xer.so | e.ov![0] : xer.so;
  expect([cpu.so, cpu.ov, cpu.ov32], what + ' SO OV OV32').toEqual([so, ov[0], ov[1]]);
  if (rc) {
    expect(cpu.cr & 0x0fffffff, what + ' CR1-7').toBe(cr & 0x0fffffff);
    const want = (e.rt === null ? 0 : cmpBits(sign(s64(e.rt)))) | so;
    const got = (cpu.cr >>> 28) & 0xf;
    if (e.rt === null) expect(got & 1, what + ' CR0 SO').toBe(so);
    else expect(got, what + ' CR0').toBe(want);
  } else {
    expect(cpu.cr | 0, what + ' CR').toBe(cr | 0);
  }
}

const XO_VARIANTS = fc.constantFrom('', 'o', '.', 'o.');
const RC_VARIANTS = fc.constantFrom('', '.');

// ================================================================ helpers

describe('int64.ts helpers equal BigInt', () => {
  const opts = { numRuns: RUNS * 3 };
  it('mul64lo = (a*b) mod 2^64', () => {
    fc.assert(
      fc.property(arb64, arb64, (a, b) => {
        mul64lo(hiOf(a), loOf(a), hiOf(b), loOf(b));
        expect(pair()).toBe((a * b) & M64);
      }),
      opts,
    );
  });
  it('mulhdu = (a*b) >> 64 unsigned; umul64full gives all 128 bits', () => {
    fc.assert(
      fc.property(arb64, arb64, (a, b) => {
        mulhdu(hiOf(a), loOf(a), hiOf(b), loOf(b));
        expect(pair()).toBe((a * b) >> 64n);
        umul64full(hiOf(a), loOf(a), hiOf(b), loOf(b));
        expect((toBig(out.hi, out.lo) << 64n) | toBig(out.hi2, out.lo2)).toBe(a * b);
      }),
      opts,
    );
  });
  it('mulhd = (a*b) >> 64 signed', () => {
    fc.assert(
      fc.property(arb64, arb64, (a, b) => {
        mulhd(hiOf(a), loOf(a), hiOf(b), loOf(b));
        expect(pair()).toBe(u64((s64(a) * s64(b)) >> 64n));
      }),
      opts,
    );
  });
  it('umul32 = 32x32 -> 64 unsigned', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: M32 }), fc.bigInt({ min: 0n, max: M32 }), (a, b) => {
        umul32(Number(a) | 0, Number(b) | 0);
        expect(pair()).toBe(a * b);
      }),
      opts,
    );
  });
  it('udiv64 = floor(a / d), d != 0', () => {
    fc.assert(
      fc.property(arb64, arb64.filter((d) => d !== 0n), (a, d) => {
        udiv64(hiOf(a), loOf(a), hiOf(d), loOf(d));
        expect(pair()).toBe(a / d);
      }),
      opts,
    );
  });
  it('sdiv64 = trunc(a / d) signed, excluding d = 0 and -2^63 / -1', () => {
    fc.assert(
      fc.property(arb64, arb64, (a, d) => {
        fc.pre(d !== 0n && !(a === MIN64 && d === M64));
        sdiv64(hiOf(a), loOf(a), hiOf(d), loOf(d));
        expect(pair()).toBe(u64(s64(a) / s64(d)));
      }),
      opts,
    );
  });
  it('rotl64 for every amount, including n >= 64 (taken mod 64)', () => {
    fc.assert(
      fc.property(arb64, fc.integer({ min: 0, max: 127 }), (v, n) => {
        rotl64(hiOf(v), loOf(v), n);
        expect(pair()).toBe(rotlRef(v, n));
      }),
      opts,
    );
  });
  it('cmp64s and cmp64u', () => {
    fc.assert(
      fc.property(arb64, fc.oneof(arb64, fc.constant(-1n)), (a, b0) => {
        const b = b0 < 0n ? a : b0; // sometimes equal
        expect(cmp64s(hiOf(a), loOf(a), hiOf(b), loOf(b))).toBe(sign(s64(a) - s64(b)));
        expect(cmp64u(hiOf(a), loOf(a), hiOf(b), loOf(b))).toBe(sign(a - b));
      }),
      opts,
    );
  });
  it('neg64, toBig/fromBig, popcount32, popcntBytes', () => {
    fc.assert(
      fc.property(arb64, (v) => {
        neg64(hiOf(v), loOf(v));
        expect(pair()).toBe(u64(-v));
        fromBig(v);
        expect([out.hi, out.lo]).toEqual([hiOf(v), loOf(v)]);
        fromBig(s64(v)); // negative BigInts wrap mod 2^64
        expect(toBig(out.hi, out.lo)).toBe(v);
        const w = Number(v & M32) | 0;
        const ones = (x: number) => x.toString(2).replace(/0/g, '').length;
        expect(popcount32(w)).toBe(ones(w >>> 0));
        let bytes = 0;
        for (let k = 0; k < 4; k++) bytes |= ones((w >>> (8 * k)) & 0xff) << (8 * k);
        expect(popcntBytes(w)).toBe(bytes);
      }),
      opts,
    );
  });
  it('MASK_HI/MASK_LO equal MASK(mb, me) for every mb, me (exhaustive)', () => {
    for (let mb = 0; mb < 64; mb++) {
      for (let me = 0; me < 64; me++) {
        const k = mb * 64 + me;
        expect(toBig(MASK_HI[k]!, MASK_LO[k]!), `MASK(${mb},${me})`).toBe(maskOf(mb, me));
      }
    }
    // spot values: MASK(0,63) = all ones, MASK(63,0) = bits 63 and 0, MASK(32,31) = all ones
    expect(toBig(MASK_HI[63]!, MASK_LO[63]!)).toBe(M64);
    expect(toBig(MASK_HI[63 * 64]!, MASK_LO[63 * 64]!)).toBe(MIN64 | 1n);
    expect(toBig(MASK_HI[32 * 64 + 31]!, MASK_LO[32 * 64 + 31]!)).toBe(M64);
  });
  it('MASK32 equals the low word of MASK(mb+32, me+32) (exhaustive)', () => {
    for (let mb = 0; mb < 32; mb++) {
      for (let me = 0; me < 32; me++) {
        expect(BigInt(MASK32[mb * 32 + me]! >>> 0), `MASK32(${mb},${me})`).toBe(maskOf(mb + 32, me + 32) & M32);
      }
    }
  });
});

// ================================================================ interpreter

describe('interpreter arithmetic equals BigInt (with XER and CR0)', () => {
  const opts = { numRuns: RUNS };
  it('add, addc, adde (with CA in)', () => {
    fc.assert(
      fc.property(fc.constantFrom('add', 'addc', 'adde'), XO_VARIANTS, arb64, arb64, xerArb, crArb, (op, v, a, b, xer, cr) => {
        const r = adder(a, b, op === 'adde' ? xer.ca : 0);
        checkVariant(op, v, [6, 4, 5], { 4: a, 5: b }, xer, cr, {
          rt: r.rt,
          ca: op === 'add' ? undefined : [r.ca, r.ca32],
          ov: [r.ov, r.ov32],
        });
      }),
      opts,
    );
  });
  it('subf, subfc, subfe (RB - RA = ~RA + RB + 1 / + CA)', () => {
    fc.assert(
      fc.property(fc.constantFrom('subf', 'subfc', 'subfe'), XO_VARIANTS, arb64, arb64, xerArb, crArb, (op, v, a, b, xer, cr) => {
        const r = adder(u64(~a), b, op === 'subfe' ? xer.ca : 1);
        if (op !== 'subfe') expect(r.rt).toBe(u64(b - a));
        checkVariant(op, v, [6, 4, 5], { 4: a, 5: b }, xer, cr, {
          rt: r.rt,
          ca: op === 'subf' ? undefined : [r.ca, r.ca32],
          ov: [r.ov, r.ov32],
        });
      }),
      opts,
    );
  });
  it('neg, addze, addme, subfze, subfme', () => {
    fc.assert(
      fc.property(fc.constantFrom('neg', 'addze', 'addme', 'subfze', 'subfme'), XO_VARIANTS, arb64, xerArb, crArb, (op, v, a, xer, cr) => {
        const x = op.startsWith('sub') || op === 'neg' ? u64(~a) : a;
        const y = op.endsWith('me') ? M64 : 0n;
        const r = adder(x, y, op === 'neg' ? 1 : xer.ca);
        if (op === 'neg') expect(r.rt).toBe(u64(-a));
        checkVariant(op, v, [6, 4], { 4: a }, xer, cr, {
          rt: r.rt,
          ca: op === 'neg' ? undefined : [r.ca, r.ca32],
          ov: [r.ov, r.ov32],
        });
      }),
      opts,
    );
  });
  it('mulld (OV and OV32 = product does not fit 64 bits), mulhd, mulhdu', () => {
    fc.assert(
      fc.property(fc.constantFrom('mulld', 'mulhd', 'mulhdu'), arb64, arb64, xerArb, crArb, fc.nat(3), (op, a, b, xer, cr, k) => {
        const prod = s64(a) * s64(b);
        if (op === 'mulld') {
          const ov = prod < -MIN64 || prod >= MIN64 ? 1 : 0;
          const v = ['', 'o', '.', 'o.'][k]!;
          checkVariant(op, v, [6, 4, 5], { 4: a, 5: b }, xer, cr, { rt: u64(prod), ov: [ov, ov] });
        } else {
          const rt = op === 'mulhd' ? u64(prod >> 64n) : (a * b) >> 64n;
          checkVariant(op, k & 1 ? '.' : '', [6, 4, 5], { 4: a, 5: b }, xer, cr, { rt });
        }
      }),
      opts,
    );
  });
  it('mullw: the full 64-bit product of the signed low words', () => {
    fc.assert(
      fc.property(XO_VARIANTS, arb64, arb64, xerArb, crArb, (v, a, b, xer, cr) => {
        const prod = s32(a) * s32(b);
        const ov = prod < -(1n << 31n) || prod >= 1n << 31n ? 1 : 0;
        checkVariant('mullw', v, [6, 4, 5], { 4: a, 5: b }, xer, cr, { rt: u64(prod), ov: [ov, ov] });
      }),
      opts,
    );
  });
  it('divd, divdu (defined cases: OV = 0)', () => {
    fc.assert(
      fc.property(fc.constantFrom('divd', 'divdu'), XO_VARIANTS, arb64, arb64, xerArb, crArb, (op, v, a, b, xer, cr) => {
        fc.pre(b !== 0n && !(op === 'divd' && a === MIN64 && b === M64));
        const rt = op === 'divd' ? u64(s64(a) / s64(b)) : a / b;
        checkVariant(op, v, [6, 4, 5], { 4: a, 5: b }, xer, cr, { rt, ov: [0, 0] });
      }),
      opts,
    );
  });
  it('divdo/divduo/divwo/divwuo of the undefined cases set OV, OV32 and SO', () => {
    fc.assert(
      fc.property(fc.constantFrom('divd', 'divdu', 'divw', 'divwu'), fc.constantFrom('o', 'o.'), arb64, fc.boolean(), xerArb, crArb, (op, v, a, minus, xer, cr) => {
        let ra = a;
        let rb = 0n;
        if (minus && op === 'divd') [ra, rb] = [MIN64, M64];
        if (minus && op === 'divw') [ra, rb] = [(a & ~M32) | 0x80000000n, (a & ~M32) | M32]; // high words ignored
        checkVariant(op, v, [6, 4, 5], { 4: ra, 5: rb }, xer, cr, { rt: null, ov: [1, 1] });
      }),
      opts,
    );
  });
});

describe('interpreter immediates, logical and count instructions equal BigInt', () => {
  const opts = { numRuns: RUNS };
  const si = fc.integer({ min: -0x8000, max: 0x7fff });
  it('addi, addis, addic, addic., subfic, mulli', () => {
    fc.assert(
      fc.property(fc.constantFrom('addi', 'addis', 'addic', 'addic.', 'subfic', 'mulli'), arb64, si, xerArb, crArb, (op, a, imm, xer, cr) => {
        const exts = u64(BigInt(imm));
        let e: Expect;
        if (op === 'addi') e = { rt: u64(a + exts) };
        else if (op === 'addis') e = { rt: u64(a + u64(BigInt(imm) << 16n)) };
        else if (op === 'mulli') e = { rt: u64(s64(a) * BigInt(imm)) };
        else {
          const r = op === 'subfic' ? adder(u64(~a), exts, 1) : adder(a, exts, 0);
          e = { rt: r.rt, ca: [r.ca, r.ca32] };
        }
        const [mn, v] = op === 'addic.' ? ['addic', '.'] : [op, ''];
        checkVariant(mn, v, [6, 4, imm], { 4: a }, xer, cr, e);
      }),
      opts,
    );
  });
  it('andi., andis., ori, oris, xori, xoris', () => {
    fc.assert(
      fc.property(fc.constantFrom('andi.', 'andis.', 'ori', 'oris', 'xori', 'xoris'), arb64, fc.integer({ min: 0, max: 0xffff }), xerArb, crArb, (op, a, ui, xer, cr) => {
        const imm = op.includes('is') ? BigInt(ui) << 16n : BigInt(ui);
        const rt = op.startsWith('and') ? a & imm : op.startsWith('or') ? a | imm : a ^ imm;
        const dot = op.endsWith('.');
        checkVariant(dot ? op.slice(0, -1) : op, dot ? '.' : '', [6, 4, ui], { 4: a }, xer, cr, { rt });
      }),
      opts,
    );
  });
  it('and, andc, or, orc, xor, nand, nor, eqv', () => {
    fc.assert(
      fc.property(fc.constantFrom('and', 'andc', 'or', 'orc', 'xor', 'nand', 'nor', 'eqv'), RC_VARIANTS, arb64, arb64, xerArb, crArb, (op, v, a, b, xer, cr) => {
        const nb = ~b & M64;
        const rt = {
          and: a & b,
          andc: a & nb,
          or: a | b,
          orc: a | nb,
          xor: a ^ b,
          nand: ~(a & b) & M64,
          nor: ~(a | b) & M64,
          eqv: ~(a ^ b) & M64,
        }[op]!;
        checkVariant(op, v, [6, 4, 5], { 4: a, 5: b }, xer, cr, { rt });
      }),
      opts,
    );
  });
  it('extsb, extsh, extsw, cntlzw, cntlzd, cnttzw, cnttzd, popcntb, popcntw, popcntd', () => {
    const clz = (x: bigint, w: number) => (x === 0n ? w : w - x.toString(2).length);
    const ctz = (x: bigint, w: number) => (x === 0n ? w : x.toString(2).length - x.toString(2).lastIndexOf('1') - 1);
    const pop = (x: bigint) => BigInt(x.toString(2).replace(/0/g, '').length);
    fc.assert(
      fc.property(
        fc.constantFrom('extsb', 'extsh', 'extsw', 'cntlzw', 'cntlzd', 'cnttzw', 'cnttzd', 'popcntb', 'popcntw', 'popcntd'),
        fc.boolean(),
        arb64,
        xerArb,
        crArb,
        (op, dot, a, xer, cr) => {
          let rt: bigint;
          if (op === 'extsb') rt = u64(BigInt.asIntN(8, a));
          else if (op === 'extsh') rt = u64(BigInt.asIntN(16, a));
          else if (op === 'extsw') rt = u64(s32(a));
          else if (op === 'cntlzw') rt = BigInt(clz(a & M32, 32));
          else if (op === 'cntlzd') rt = BigInt(clz(a, 64));
          else if (op === 'cnttzw') rt = BigInt(ctz(a & M32, 32));
          else if (op === 'cnttzd') rt = BigInt(ctz(a, 64));
          else if (op === 'popcntd') rt = pop(a);
          else {
            const w = op === 'popcntb' ? 8n : 32n;
            rt = 0n;
            for (let k = 0n; k < 64n; k += w) rt |= pop((a >> k) & ((1n << w) - 1n)) << k;
          }
          const v = dot && !op.startsWith('popcnt') ? '.' : '';
          checkVariant(op, v, [6, 4], { 4: a }, xer, cr, { rt });
        },
      ),
      opts,
    );
  });
});

describe('interpreter rotates equal BigInt', () => {
  const opts = { numRuns: RUNS };
  const sh6 = fc.integer({ min: 0, max: 63 });
  const sh5 = fc.integer({ min: 0, max: 31 });
  it('rldicl / rldicr / rldic / rldimi with random SH and MB/ME', () => {
    fc.assert(
      fc.property(fc.constantFrom('rldicl', 'rldicr', 'rldic', 'rldimi'), RC_VARIANTS, arb64, arb64, sh6, sh6, xerArb, crArb, (op, v, rs, ra, sh, mb, xer, cr) => {
        const r = rotlRef(rs, sh);
        const m = op === 'rldicl' ? maskOf(mb, 63) : op === 'rldicr' ? maskOf(0, mb) : maskOf(mb, 63 - sh);
        const want = op === 'rldimi' ? (r & m) | (ra & ~m & M64) : r & m;
        checkVariant(op, v, [6, 4, sh, mb], { 4: rs, 6: ra }, xer, cr, { rt: want });
      }),
      opts,
    );
  });
  it('rldcl / rldcr with random shift registers', () => {
    fc.assert(
      fc.property(fc.constantFrom('rldcl', 'rldcr'), RC_VARIANTS, arb64, arbShiftReg, sh6, xerArb, crArb, (op, v, rs, rb, mb, xer, cr) => {
        const r = rotlRef(rs, Number(rb & 63n));
        const m = op === 'rldcl' ? maskOf(mb, 63) : maskOf(0, mb);
        checkVariant(op, v, [6, 4, 5, mb], { 4: rs, 5: rb }, xer, cr, { rt: r & m });
      }),
      opts,
    );
  });
  it('rlwinm / rlwnm / rlwimi with random SH, MB, ME (wrapping masks included)', () => {
    fc.assert(
      fc.property(fc.constantFrom('rlwinm', 'rlwnm', 'rlwimi'), RC_VARIANTS, arb64, arb64, arbShiftReg, sh5, sh5, sh5, xerArb, crArb, (op, v, rs, ra, rb, sh, mb, me, xer, cr) => {
        const n = op === 'rlwnm' ? Number(rb & 31n) : sh;
        const r = rotl32Ref(rs, n);
        const m = maskOf(mb + 32, me + 32);
        const want = op === 'rlwimi' ? (r & m) | (ra & ~m & M64) : r & m;
        const operands = op === 'rlwnm' ? [6, 4, 5, mb, me] : [6, 4, sh, mb, me];
        checkVariant(op, v, operands, { 4: rs, 5: rb, 6: ra }, xer, cr, { rt: want });
      }),
      opts,
    );
  });
});

describe('interpreter shifts equal BigInt', () => {
  const opts = { numRuns: RUNS };
  it('slw / srw / sld / srd with random shift registers (CA untouched)', () => {
    fc.assert(
      fc.property(fc.constantFrom('slw', 'srw', 'sld', 'srd'), RC_VARIANTS, arb64, arbShiftReg, xerArb, crArb, (op, v, rs, rb, xer, cr) => {
        let want: bigint;
        if (op === 'slw') want = ((rs & M32) << (rb & 63n)) & M32; // n >= 32 shifts everything out
        else if (op === 'srw') want = (rs & M32) >> (rb & 63n);
        else if (op === 'sld') want = (rs << (rb & 127n)) & M64;
        else want = rs >> (rb & 127n);
        checkVariant(op, v, [6, 4, 5], { 4: rs, 5: rb }, xer, cr, { rt: want });
      }),
      opts,
    );
  });
  it('sraw / srad with random shift registers: result and CA = CA32', () => {
    fc.assert(
      fc.property(fc.constantFrom('sraw', 'srad'), RC_VARIANTS, arb64, arbShiftReg, xerArb, crArb, (op, v, rs, rb, xer, cr) => {
        const x = op === 'sraw' ? s32(rs) : s64(rs);
        const n = op === 'sraw' ? rb & 63n : rb & 127n;
        const r = x >> n; // floor division by 2^n
        const ca = x < 0n && r << n !== x ? 1 : 0; // negative and 1-bits shifted out
        checkVariant(op, v, [6, 4, 5], { 4: rs, 5: rb }, xer, cr, { rt: u64(r), ca: [ca, ca] });
      }),
      opts,
    );
  });
  it('srawi / sradi', () => {
    fc.assert(
      fc.property(fc.constantFrom('srawi', 'sradi'), RC_VARIANTS, arb64, fc.integer({ min: 0, max: 63 }), xerArb, crArb, (op, v, rs, sh0, xer, cr) => {
        const sh = op === 'srawi' ? sh0 & 31 : sh0;
        const x = op === 'srawi' ? s32(rs) : s64(rs);
        const r = x >> BigInt(sh);
        const ca = x < 0n && r << BigInt(sh) !== x ? 1 : 0;
        checkVariant(op, v, [6, 4, sh], { 4: rs }, xer, cr, { rt: u64(r), ca: [ca, ca] });
      }),
      opts,
    );
  });
});

describe('interpreter compares equal BigInt', () => {
  it('cmpd / cmpw / cmpld / cmplw into a random CR field, copying SO', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('cmpd', 'cmpw', 'cmpld', 'cmplw'),
        arb64,
        fc.oneof(arb64, fc.constant(-1n)),
        fc.integer({ min: 0, max: 7 }),
        xerArb,
        crArb,
        (op, a, b0, bf, xer, cr) => {
          const b = b0 < 0n ? (a & ~M32) ^ (a & M32) ^ (op.endsWith('w') ? 0x5a5a5a5a00000000n : 0n) : b0;
          let c: number;
          if (op === 'cmpd') c = sign(s64(a) - s64(b));
          else if (op === 'cmpw') c = sign(s32(a) - s32(b));
          else if (op === 'cmpld') c = sign(a - b);
          else c = sign((a & M32) - (b & M32));
          const cpu = M.exec([[op, bf, 4, 5]], { 4: a, 5: b }, xer, cr);
          const sh = 28 - 4 * bf;
          const want = (cr & ~(0xf << sh)) | ((cmpBits(c) | xer.so) << sh);
          expect(cpu.cr | 0, `${op} cr${bf} 0x${a.toString(16)} 0x${b.toString(16)}`).toBe(want | 0);
          expect([cpu.so, cpu.ov, cpu.ca]).toEqual([xer.so, xer.ov, xer.ca]);
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });
  it('cmpdi / cmpwi / cmpldi / cmplwi with random immediates', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('cmpdi', 'cmpwi', 'cmpldi', 'cmplwi'),
        arb64,
        fc.integer({ min: -0x8000, max: 0xffff }),
        fc.integer({ min: 0, max: 7 }),
        xerArb,
        crArb,
        (op, a, imm0, bf, xer, cr) => {
          const logical = op.startsWith('cmpl');
          const imm = logical ? imm0 & 0xffff : (imm0 << 16) >> 16;
          const b = logical ? BigInt(imm) : u64(BigInt(imm));
          let c: number;
          if (op === 'cmpdi') c = sign(s64(a) - s64(b));
          else if (op === 'cmpwi') c = sign(s32(a) - s32(b));
          else if (op === 'cmpldi') c = sign(a - b);
          else c = sign((a & M32) - b);
          const cpu = M.exec([[op, bf, 4, imm]], { 4: a }, xer, cr);
          const sh = 28 - 4 * bf;
          const want = (cr & ~(0xf << sh)) | ((cmpBits(c) | xer.so) << sh);
          expect(cpu.cr | 0, `${op} cr${bf} 0x${a.toString(16)} ${imm}`).toBe(want | 0);
        },
      ),
      { numRuns: RUNS },
    );
  });
});

describe('interpreter loads and stores equal a DataView model, both byte orders', () => {
  // Offsets anywhere in the first two pages, often straddling the page boundary at 0x1000.
  const offArb = fc.oneof(fc.integer({ min: 0, max: 0x1ff8 }), fc.integer({ min: 0xff0, max: 0x1008 }));
  const bytesArb = fc.uint8Array({ minLength: 16, maxLength: 16 });
  const zero = { so: 0, ov: 0, ov32: 0, ca: 0, ca32: 0 };
  it('X-form loads of every width, sign-extending and byte-reversed', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('lbzx', 'lhzx', 'lhax', 'lwzx', 'lwax', 'ldx', 'lhbrx', 'lwbrx', 'ldbrx'),
        fc.boolean(),
        offArb,
        bytesArb,
        (op, le, off, bytes) => {
          const m = MACHINES[le ? 1 : 0]!;
          m.p.space.write(DATA + BigInt(off), bytes);
          const dv = new DataView(bytes.buffer);
          const order = op.endsWith('brx') ? !le : le;
          let want: bigint;
          if (op === 'lbzx') want = BigInt(dv.getUint8(0));
          else if (op === 'lhzx' || op === 'lhbrx') want = BigInt(dv.getUint16(0, order));
          else if (op === 'lhax') want = u64(BigInt(dv.getInt16(0, order)));
          else if (op === 'lwzx' || op === 'lwbrx') want = BigInt(dv.getUint32(0, order));
          else if (op === 'lwax') want = u64(BigInt(dv.getInt32(0, order)));
          else want = dv.getBigUint64(0, order);
          const cpu = m.exec([[op, 6, 4, 5]], { 4: DATA, 5: BigInt(off) }, zero, 0);
          expect(cpu.getGpr(6), `${op} ${le ? 'LE' : 'BE'} at +0x${off.toString(16)}`).toBe(want);
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });
  it('X-form stores of every width, and byte-reversed', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('stbx', 'sthx', 'stwx', 'stdx', 'sthbrx', 'stwbrx', 'stdbrx'),
        fc.boolean(),
        offArb,
        arb64,
        (op, le, off, v) => {
          const m = MACHINES[le ? 1 : 0]!;
          m.p.space.write(DATA + BigInt(off), new Uint8Array(16).fill(0xa5));
          const want = new Uint8Array(16).fill(0xa5);
          const dv = new DataView(want.buffer);
          const order = op.endsWith('brx') ? !le : le;
          if (op === 'stbx') dv.setUint8(0, Number(v & 0xffn));
          else if (op.startsWith('sth')) dv.setUint16(0, Number(v & 0xffffn), order);
          else if (op.startsWith('stw')) dv.setUint32(0, Number(v & M32), order);
          else dv.setBigUint64(0, v, order);
          m.exec([[op, 6, 4, 5]], { 4: DATA, 5: BigInt(off), 6: v }, zero, 0);
          expect([...m.p.space.read(DATA + BigInt(off), 16)!], `${op} ${le ? 'LE' : 'BE'} at +0x${off.toString(16)}`).toEqual([...want]);
        },
      ),
      { numRuns: RUNS * 2 },
    );
  });
});
