// The instruction table: one entry per instruction of the subset. Decode (decode.ts),
// encode (encode.ts, used by the assembler) and disassembly (disasm.ts) are all derived from
// these entries; no opcode number appears anywhere else in the project.
//
// Opcodes and extended opcodes are from Power ISA v3.0B Book I and Book III, appendix
// "Opcode Maps"; forms from Book I, 1.6.

import { FLAG_BITS, operand, type OperandDef } from './fields.js';
import { opOf, type Op } from './ops.js';

export type Form =
  | 'I' | 'B' | 'SC' | 'D' | 'DS' | 'DQ' | 'DX' | 'X' | 'XL' | 'XFX' | 'XO' | 'XS' | 'M' | 'MD' | 'MDS' | 'A'
  | 'VA' | 'VX' | 'XX1' | 'XX2' | 'XX3' | 'XX3S' | 'XX4';

/** Where each form keeps its extended opcode: [shift of the field's LSB, width]. */
const XO_FIELD: Record<Form, [number, number] | null> = {
  I: null,
  B: null,
  SC: null,
  D: null,
  M: null,
  DS: [0, 2], // bits 30-31
  DX: [1, 5], // bits 26-30
  X: [1, 10], // bits 21-30
  XL: [1, 10],
  XFX: [1, 10],
  XO: [1, 9], // bits 22-30
  XS: [2, 9], // bits 21-29
  MD: [2, 3], // bits 27-29
  MDS: [1, 4], // bits 27-30
  A: [1, 5], // bits 26-30
  VA: [0, 6], // bits 26-31
  DQ: [0, 3], // bits 29-31
  // VX and VC: bits 21-31 (a VC-form compare's Rc, bit 21, is part of it: "vcmpequb." is its own entry).
  VX: [0, 11],
  XX1: [1, 10], // bits 21-30
  XX2: [2, 9], // bits 21-29
  XX3: [3, 8], // bits 21-28
  XX3S: [3, 5], // bits 24-28, with bits 22-23 an operand (DM, SHW) and bit 21 fixed 0
  XX4: [4, 2], // bits 26-27
};

export type Privilege = 'user' | 'priv' | 'hyp';

export interface Flags {
  /** Rc bit selects the "." variant. */
  readonly rc: boolean;
  /** OE bit selects the "o" variant. */
  readonly oe: boolean;
  /** LK bit selects the "l" variant. */
  readonly lk: boolean;
  /** AA bit selects the "a" variant. */
  readonly aa: boolean;
}

export interface InsnOperand {
  readonly def: OperandDef;
  /** May be omitted in assembly; omitted operands are 0. Disassembly omits them when 0. */
  readonly optional: boolean;
  /** An optional operand's value when omitted, if not 0 (dcbtds: TH 8); disassembly omits it at this value. */
  readonly omitted?: number;
}

export interface InsnDef {
  /** Index in INSNS. */
  readonly id: number;
  /** Base mnemonic; flag variants add o, ., l, a. */
  readonly name: string;
  readonly form: Form;
  readonly primary: number;
  readonly xo: number;
  readonly operands: readonly InsnOperand[];
  readonly flags: Flags;
  readonly privilege: Privilege;
  /** 64-bit-only instruction (Book I "64-bit implementations only"). */
  readonly only64: boolean;
  /** The bits of the encoding: primary and extended opcode, fixed fields, reserved bits (0). */
  readonly mask: number;
  readonly match: number;
  /**
   * The reserved fields ("/" in the ISA's instruction layout): neither operands, flags, opcode
   * nor fixed bits. The assembler writes them as 0; decoding ignores them, as Power ISA v3.0B
   * Book I 1.3.3 requires ("Reserved fields in instructions are ignored by the processor").
   */
  readonly reserved: number;
  /**
   * The reserved bits objdump (binutils' opcode masks) ignores, measured bit by bit over every
   * entry: with only these set it still prints the instruction (with its simplified mnemonics
   * when `aliases`; isel's isellt mask covers bit 31, isel's does not); with any other
   * reserved bit set it prints `.long`, and so does the objdump-compatible listing (disasm.ts,
   * `strict`). Where objdump names a different instruction (dcbzl, mffsce, slbmfee with L),
   * those bits are not lax: the listing prints `.long`, a word outside the subset.
   */
  readonly laxReserved: { readonly bits: number; readonly aliases: boolean };
  /** Semantic operation the interpreter runs. */
  readonly op: Op;
  /** Facility, for grouping in docs and tests. */
  readonly facility: 'branch' | 'fixed' | 'loadstore' | 'float' | 'vector' | 'system';
}

interface Spec {
  name: string;
  form: Form;
  primary: number;
  xo?: number;
  ops: string; // comma-separated operand names; "?" marks an optional operand
  flags?: string; // space-separated: rc oe lk aa priv hyp 64
  lax?: number; // InsnDef.laxReserved.bits
  laxBase?: boolean; // InsnDef.laxReserved.aliases is false
  fixed?: Array<[number, number]>; // extra fixed bits: [mask, value]
  facility: InsnDef['facility'];
}

const BIT11 = 1 << 20; // bit 11: selects mtocrf/mfocrf over mtcrf/mfcr
const RC = 1;

function specs(): Spec[] {
  const s: Spec[] = [];
  const add = (facility: Spec['facility'], list: Array<Omit<Spec, 'facility'>>) =>
    list.forEach((e) => s.push({ ...e, facility }));

  // ---- Branch facility (Book I, chapter 2) ----
  add('branch', [
    { name: 'b', form: 'I', primary: 18, ops: 'LI', flags: 'aa lk' },
    { name: 'bc', form: 'B', primary: 16, ops: 'BO,BI,BD', flags: 'aa lk' },
    { name: 'bclr', form: 'XL', primary: 19, xo: 16, ops: 'BO,BI,BH?', flags: 'lk' },
    { name: 'bcctr', form: 'XL', primary: 19, xo: 528, ops: 'BO,BI,BH?', flags: 'lk' },
    { name: 'crand', form: 'XL', primary: 19, xo: 257, ops: 'BT,BA,BB' },
    { name: 'cror', form: 'XL', primary: 19, xo: 449, ops: 'BT,BA,BB' },
    { name: 'crxor', form: 'XL', primary: 19, xo: 193, ops: 'BT,BA,BB' },
    { name: 'crnand', form: 'XL', primary: 19, xo: 225, ops: 'BT,BA,BB' },
    { name: 'crnor', form: 'XL', primary: 19, xo: 33, ops: 'BT,BA,BB' },
    { name: 'creqv', form: 'XL', primary: 19, xo: 289, ops: 'BT,BA,BB' },
    { name: 'crandc', form: 'XL', primary: 19, xo: 129, ops: 'BT,BA,BB' },
    { name: 'crorc', form: 'XL', primary: 19, xo: 417, ops: 'BT,BA,BB' },
    { name: 'mcrf', form: 'XL', primary: 19, xo: 0, ops: 'BF,BFA' },
  ]);

  // ---- Fixed-point facility (Book I, chapter 3) ----
  const xoArith = (name: string, xo: number, ops = 'RT,RA,RB', flags = 'oe rc') =>
    ({ name, form: 'XO' as Form, primary: 31, xo, ops, flags });
  const xLogic = (name: string, xo: number, ops = 'RA,RS,RB', flags = 'rc') =>
    ({ name, form: 'X' as Form, primary: 31, xo, ops, flags });
  add('fixed', [
    { name: 'addi', form: 'D', primary: 14, ops: 'RT,RA0,SI' },
    { name: 'addis', form: 'D', primary: 15, ops: 'RT,RA0,SIS' },
    { name: 'addic', form: 'D', primary: 12, ops: 'RT,RA,SI' },
    { name: 'addic.', form: 'D', primary: 13, ops: 'RT,RA,SI' },
    { name: 'subfic', form: 'D', primary: 8, ops: 'RT,RA,SI' },
    { name: 'mulli', form: 'D', primary: 7, ops: 'RT,RA,SI' },
    { name: 'cmpi', form: 'D', primary: 11, ops: 'BF,L10,RA,SI', lax: 1 << 22 },
    { name: 'cmpli', form: 'D', primary: 10, ops: 'BF,L10,RA,UI', lax: 1 << 22 },
    { name: 'ori', form: 'D', primary: 24, ops: 'RA,RS,UI' },
    { name: 'oris', form: 'D', primary: 25, ops: 'RA,RS,UI' },
    { name: 'xori', form: 'D', primary: 26, ops: 'RA,RS,UI' },
    { name: 'xoris', form: 'D', primary: 27, ops: 'RA,RS,UI' },
    { name: 'andi.', form: 'D', primary: 28, ops: 'RA,RS,UI' },
    { name: 'andis.', form: 'D', primary: 29, ops: 'RA,RS,UI' },
    { name: 'twi', form: 'D', primary: 3, ops: 'TO,RA,SI' },
    { name: 'tdi', form: 'D', primary: 2, ops: 'TO,RA,SI', flags: '64' },
    xoArith('add', 266),
    xoArith('addc', 10),
    xoArith('adde', 138),
    xoArith('addze', 202, 'RT,RA'),
    xoArith('addme', 234, 'RT,RA'),
    xoArith('subf', 40),
    xoArith('subfc', 8),
    xoArith('subfe', 136),
    xoArith('subfze', 200, 'RT,RA'),
    xoArith('subfme', 232, 'RT,RA'),
    xoArith('neg', 104, 'RT,RA'),
    xoArith('mullw', 235),
    xoArith('mulhw', 75, 'RT,RA,RB', 'rc'),
    xoArith('mulhwu', 11, 'RT,RA,RB', 'rc'),
    xoArith('mulld', 233, 'RT,RA,RB', 'oe rc 64'),
    xoArith('mulhd', 73, 'RT,RA,RB', 'rc 64'),
    xoArith('mulhdu', 9, 'RT,RA,RB', 'rc 64'),
    xoArith('divw', 491),
    xoArith('divwu', 459),
    xoArith('divd', 489, 'RT,RA,RB', 'oe rc 64'),
    xoArith('divdu', 457, 'RT,RA,RB', 'oe rc 64'),
    xLogic('and', 28),
    xLogic('andc', 60),
    xLogic('or', 444),
    xLogic('orc', 412),
    xLogic('xor', 316),
    xLogic('nand', 476),
    xLogic('nor', 124),
    xLogic('eqv', 284),
    xLogic('slw', 24),
    xLogic('srw', 536),
    xLogic('sraw', 792),
    xLogic('sld', 27, 'RA,RS,RB', 'rc 64'),
    xLogic('srd', 539, 'RA,RS,RB', 'rc 64'),
    xLogic('srad', 794, 'RA,RS,RB', 'rc 64'),
    xLogic('srawi', 824, 'RA,RS,SH'),
    { name: 'sradi', form: 'XS', primary: 31, xo: 413, ops: 'RA,RS,SH6', flags: 'rc 64' },
    xLogic('extsb', 954, 'RA,RS'),
    xLogic('extsh', 922, 'RA,RS'),
    xLogic('extsw', 986, 'RA,RS', 'rc 64'),
    xLogic('cntlzw', 26, 'RA,RS'),
    xLogic('cntlzd', 58, 'RA,RS', 'rc 64'),
    xLogic('cnttzw', 538, 'RA,RS'),
    xLogic('cnttzd', 570, 'RA,RS', 'rc 64'),
    xLogic('popcntb', 122, 'RA,RS', ''),
    xLogic('popcntw', 378, 'RA,RS', ''),
    xLogic('popcntd', 506, 'RA,RS', '64'),
    // Power ISA v2.06-3.0 additions (Book I 3.3.13 and 3.3.9-3.3.10, v3.0B): byte compare,
    // bit permute, modulo, multiply-add, extend-and-shift, set boolean.
    xLogic('cmpb', 508, 'RA,RS,RB', ''),
    xLogic('bpermd', 252, 'RA,RS,RB', '64'),
    { name: 'modsw', form: 'X', primary: 31, xo: 779, ops: 'RT,RA,RB' },
    { name: 'moduw', form: 'X', primary: 31, xo: 267, ops: 'RT,RA,RB' },
    { name: 'modsd', form: 'X', primary: 31, xo: 777, ops: 'RT,RA,RB', flags: '64' },
    { name: 'modud', form: 'X', primary: 31, xo: 265, ops: 'RT,RA,RB', flags: '64' },
    { name: 'maddhd', form: 'VA', primary: 4, xo: 48, ops: 'RT,RA,RB,RC', flags: '64' },
    { name: 'maddhdu', form: 'VA', primary: 4, xo: 49, ops: 'RT,RA,RB,RC', flags: '64' },
    { name: 'maddld', form: 'VA', primary: 4, xo: 51, ops: 'RT,RA,RB,RC', flags: '64' },
    { name: 'extswsli', form: 'XS', primary: 31, xo: 445, ops: 'RA,RS,SH6', flags: 'rc 64' },
    { name: 'setb', form: 'X', primary: 31, xo: 128, ops: 'RT,BFA' },
    { name: 'darn', form: 'X', primary: 31, xo: 755, ops: 'RT,L14' }, // v3.0B Book I, Deliver A Random Number (POWER9)
    { name: 'addpcis', form: 'DX', primary: 19, xo: 2, ops: 'RT,DXD' },
    { name: 'cmprb', form: 'X', primary: 31, xo: 192, ops: 'BF,L10,RA,RB' },
    { name: 'cmpeqb', form: 'X', primary: 31, xo: 224, ops: 'BF,RA,RB' },
    { name: 'cmp', form: 'X', primary: 31, xo: 0, ops: 'BF,L10,RA,RB' },
    { name: 'cmpl', form: 'X', primary: 31, xo: 32, ops: 'BF,L10,RA,RB' },
    { name: 'rlwinm', form: 'M', primary: 21, ops: 'RA,RS,SH,MB,ME', flags: 'rc' },
    { name: 'rlwnm', form: 'M', primary: 23, ops: 'RA,RS,RB,MB,ME', flags: 'rc' },
    { name: 'rlwimi', form: 'M', primary: 20, ops: 'RA,RS,SH,MB,ME', flags: 'rc' },
    { name: 'rldicl', form: 'MD', primary: 30, xo: 0, ops: 'RA,RS,SH6,MB6', flags: 'rc 64' },
    { name: 'rldicr', form: 'MD', primary: 30, xo: 1, ops: 'RA,RS,SH6,MB6', flags: 'rc 64' },
    { name: 'rldic', form: 'MD', primary: 30, xo: 2, ops: 'RA,RS,SH6,MB6', flags: 'rc 64' },
    { name: 'rldimi', form: 'MD', primary: 30, xo: 3, ops: 'RA,RS,SH6,MB6', flags: 'rc 64' },
    { name: 'rldcl', form: 'MDS', primary: 30, xo: 8, ops: 'RA,RS,RB,MB6', flags: 'rc 64' },
    { name: 'rldcr', form: 'MDS', primary: 30, xo: 9, ops: 'RA,RS,RB,MB6', flags: 'rc 64' },
    { name: 'isel', form: 'A', primary: 31, xo: 15, ops: 'RT,RA0,RB,BC', lax: 1, laxBase: true },
    { name: 'mtcrf', form: 'XFX', primary: 31, xo: 144, ops: 'FXM,RS', fixed: [[BIT11, 0]] },
    { name: 'mtocrf', form: 'XFX', primary: 31, xo: 144, ops: 'FXM,RS', fixed: [[BIT11, BIT11]] },
    { name: 'mfcr', form: 'XFX', primary: 31, xo: 19, ops: 'RT', fixed: [[BIT11, 0]] },
    { name: 'mfocrf', form: 'XFX', primary: 31, xo: 19, ops: 'RT,FXM', fixed: [[BIT11, BIT11]] },
    // mfspr/mtspr privilege depends on the SPR number (Book III, 5.4.4): checked at run time.
    { name: 'mfspr', form: 'XFX', primary: 31, xo: 339, ops: 'RT,SPR' },
    { name: 'mtspr', form: 'XFX', primary: 31, xo: 467, ops: 'SPR,RS' },
    { name: 'tw', form: 'X', primary: 31, xo: 4, ops: 'TO,RA,RB' },
    { name: 'td', form: 'X', primary: 31, xo: 68, ops: 'TO,RA,RB', flags: '64' },
  ]);

  // ---- Load and store (Book I, 3.3; Book II, 4.4 for reservations and cache management) ----
  const dLoad = (name: string, primary: number, update = false) =>
    ({ name, form: 'D' as Form, primary, ops: update ? 'RT,D,RA' : 'RT,D,RA0' });
  const dStore = (name: string, primary: number, update = false) =>
    ({ name, form: 'D' as Form, primary, ops: update ? 'RS,D,RA' : 'RS,D,RA0' });
  const xLoad = (name: string, xo: number, update = false, flags = '') =>
    ({ name, form: 'X' as Form, primary: 31, xo, ops: update ? 'RT,RA,RB' : 'RT,RA0,RB', flags });
  const xStore = (name: string, xo: number, update = false, flags = '') =>
    ({ name, form: 'X' as Form, primary: 31, xo, ops: update ? 'RS,RA,RB' : 'RS,RA0,RB', flags });
  add('loadstore', [
    dLoad('lbz', 34),
    dLoad('lbzu', 35, true),
    dLoad('lhz', 40),
    dLoad('lhzu', 41, true),
    dLoad('lha', 42),
    dLoad('lhau', 43, true),
    dLoad('lwz', 32),
    dLoad('lwzu', 33, true),
    { name: 'lwa', form: 'DS', primary: 58, xo: 2, ops: 'RT,DS,RA0', flags: '64' },
    { name: 'ld', form: 'DS', primary: 58, xo: 0, ops: 'RT,DS,RA0', flags: '64' },
    { name: 'ldu', form: 'DS', primary: 58, xo: 1, ops: 'RT,DS,RA', flags: '64' },
    dStore('stb', 38),
    dStore('stbu', 39, true),
    dStore('sth', 44),
    dStore('sthu', 45, true),
    dStore('stw', 36),
    dStore('stwu', 37, true),
    { name: 'std', form: 'DS', primary: 62, xo: 0, ops: 'RS,DS,RA0', flags: '64' },
    { name: 'stdu', form: 'DS', primary: 62, xo: 1, ops: 'RS,DS,RA', flags: '64' },
    dLoad('lmw', 46),
    dStore('stmw', 47),
    xLoad('lbzx', 87),
    xLoad('lbzux', 119, true),
    xLoad('lhzx', 279),
    xLoad('lhzux', 311, true),
    xLoad('lhax', 343),
    xLoad('lhaux', 375, true),
    xLoad('lwzx', 23),
    xLoad('lwzux', 55, true),
    xLoad('lwax', 341, false, '64'),
    xLoad('lwaux', 373, true, '64'),
    xLoad('ldx', 21, false, '64'),
    xLoad('ldux', 53, true, '64'),
    xStore('stbx', 215),
    xStore('stbux', 247, true),
    xStore('sthx', 407),
    xStore('sthux', 439, true),
    xStore('stwx', 151),
    xStore('stwux', 183, true),
    xStore('stdx', 149, false, '64'),
    xStore('stdux', 181, true, '64'),
    xLoad('lhbrx', 790),
    xLoad('lwbrx', 534),
    xLoad('ldbrx', 532, false, '64'),
    xStore('sthbrx', 918),
    xStore('stwbrx', 662),
    xStore('stdbrx', 660, false, '64'),
    { name: 'lwarx', form: 'X', primary: 31, xo: 20, ops: 'RT,RA0,RB,EH?' },
    { name: 'ldarx', form: 'X', primary: 31, xo: 84, ops: 'RT,RA0,RB,EH?', flags: '64' },
    { name: 'stwcx.', form: 'X', primary: 31, xo: 150, ops: 'RS,RA0,RB', fixed: [[RC, RC]] },
    { name: 'stdcx.', form: 'X', primary: 31, xo: 214, ops: 'RS,RA0,RB', fixed: [[RC, RC]], flags: '64' },
    { name: 'dcbz', form: 'X', primary: 31, xo: 1014, ops: 'RA0,RB' },
    { name: 'dcbf', form: 'X', primary: 31, xo: 86, ops: 'RA0,RB,L2?' },
    { name: 'dcbst', form: 'X', primary: 31, xo: 54, ops: 'RA0,RB' },
    { name: 'icbi', form: 'X', primary: 31, xo: 982, ops: 'RA0,RB' },
    { name: 'dcbt', form: 'X', primary: 31, xo: 278, ops: 'RA0,RB,TH?' },
    { name: 'dcbtst', form: 'X', primary: 31, xo: 246, ops: 'RA0,RB,TH?' },
  ]);

  // ---- Floating-point storage access and moves (Book I 4.6.2-4.6.4, 4.6.5 fmr) ----
  const fLoad = (name: string, primary: number, update = false) =>
    ({ name, form: 'D' as Form, primary, ops: update ? 'FRT,D,RA' : 'FRT,D,RA0' });
  const fStore = (name: string, primary: number, update = false) =>
    ({ name, form: 'D' as Form, primary, ops: update ? 'FRS,D,RA' : 'FRS,D,RA0' });
  const fxLoad = (name: string, xo: number, update = false) =>
    ({ name, form: 'X' as Form, primary: 31, xo, ops: update ? 'FRT,RA,RB' : 'FRT,RA0,RB' });
  const fxStore = (name: string, xo: number, update = false) =>
    ({ name, form: 'X' as Form, primary: 31, xo, ops: update ? 'FRS,RA,RB' : 'FRS,RA0,RB' });
  add('float', [
    fLoad('lfs', 48),
    fLoad('lfsu', 49, true),
    fLoad('lfd', 50),
    fLoad('lfdu', 51, true),
    fStore('stfs', 52),
    fStore('stfsu', 53, true),
    fStore('stfd', 54),
    fStore('stfdu', 55, true),
    fxLoad('lfsx', 535),
    fxLoad('lfsux', 567, true),
    fxLoad('lfdx', 599),
    fxLoad('lfdux', 631, true),
    fxLoad('lfiwax', 855),
    fxLoad('lfiwzx', 887),
    fxStore('stfsx', 663),
    fxStore('stfsux', 695, true),
    fxStore('stfdx', 727),
    fxStore('stfdux', 759, true),
    fxStore('stfiwx', 983),
    { name: 'fmr', form: 'X', primary: 63, xo: 72, ops: 'FRT,FRB', flags: 'rc' },
  ]);

  // ---- Floating-point arithmetic, rounding, conversion, compare, FPSCR (Book I 4.6.5-4.6.10) ----
  // Double forms have primary 63, single forms 59 with the same extended opcode.
  const fA = (name: string, xo: number, ops: string) => [
    { name, form: 'A' as Form, primary: 63, xo, ops, flags: 'rc' },
    { name: name + 's', form: 'A' as Form, primary: 59, xo, ops, flags: 'rc' },
  ];
  const fX = (name: string, xo: number, ops = 'FRT,FRB', primary = 63) => ({ name, form: 'X' as Form, primary, xo, ops, flags: 'rc' });
  add('float', [
    ...fA('fdiv', 18, 'FRT,FRA,FRB'),
    ...fA('fsub', 20, 'FRT,FRA,FRB'),
    ...fA('fadd', 21, 'FRT,FRA,FRB'),
    ...fA('fsqrt', 22, 'FRT,FRB'),
    ...fA('fre', 24, 'FRT,FRB'),
    ...fA('frsqrte', 26, 'FRT,FRB'),
    ...fA('fmul', 25, 'FRT,FRA,FRC'),
    ...fA('fmsub', 28, 'FRT,FRA,FRC,FRB'),
    ...fA('fmadd', 29, 'FRT,FRA,FRC,FRB'),
    ...fA('fnmsub', 30, 'FRT,FRA,FRC,FRB'),
    ...fA('fnmadd', 31, 'FRT,FRA,FRC,FRB'),
    { name: 'fsel', form: 'A', primary: 63, xo: 23, ops: 'FRT,FRA,FRC,FRB', flags: 'rc' },
    fX('frsp', 12),
    fX('fctiw', 14),
    fX('fctiwz', 15),
    fX('fctid', 814),
    fX('fctidz', 815),
    fX('fctiwu', 142),
    fX('fctiwuz', 143),
    fX('fctidu', 942),
    fX('fctiduz', 943),
    fX('fcfid', 846),
    fX('fcfids', 846, 'FRT,FRB', 59),
    fX('fcfidu', 974),
    fX('fcfidus', 974, 'FRT,FRB', 59),
    { name: 'fcmpu', form: 'X', primary: 63, xo: 0, ops: 'BF,FRA,FRB' },
    { name: 'fcmpo', form: 'X', primary: 63, xo: 32, ops: 'BF,FRA,FRB' },
    { name: 'ftdiv', form: 'X', primary: 63, xo: 128, ops: 'BF,FRA,FRB' },
    { name: 'ftsqrt', form: 'X', primary: 63, xo: 160, ops: 'BF,FRB' },
    { name: 'mcrfs', form: 'X', primary: 63, xo: 64, ops: 'BF,BFA' },
    fX('fneg', 40),
    fX('fabs', 264),
    fX('fnabs', 136),
    fX('fcpsgn', 8, 'FRT,FRA,FRB'),
    // Bits 11-15 select mffs's v3.0 variants (Book I 4.6.10): an opcode field, not reserved
    // bits (mffscdrn/mffscdrni, which set DRN, are not in the subset).
    { ...fX('mffs', 583, 'FRT'), fixed: [[31 << 16, 0]] as Array<[number, number]> },
    { name: 'mffsce', form: 'X', primary: 63, xo: 583, ops: 'FRT', fixed: [[31 << 16, 1 << 16]] },
    { name: 'mffscrn', form: 'X', primary: 63, xo: 583, ops: 'FRT,FRB', fixed: [[31 << 16, 22 << 16]] },
    { name: 'mffscrni', form: 'X', primary: 63, xo: 583, ops: 'FRT,RM', fixed: [[31 << 16, 23 << 16]] },
    { name: 'mffsl', form: 'X', primary: 63, xo: 583, ops: 'FRT', fixed: [[31 << 16, 24 << 16]] },
    fX('mtfsf', 711, 'FLM,FRB,L6?,W15?'),
    fX('mtfsfi', 134, 'BFN,U,W15?'),
    fX('mtfsb0', 70, 'BTF'),
    fX('mtfsb1', 38, 'BTF'),
    fX('frin', 392),
    fX('friz', 424),
    fX('frip', 456),
    fX('frim', 488),
  ]);

  // ---- Vector (VMX, Book I chapter 6) and Vector-Scalar (VSX, Book I chapter 7) ----
  // The storage accesses, moves, logical, permute, integer and scalar floating-point
  // instructions gcc -O2 -mcpu=power7/8/9 and glibc emit; semantics in cpu/vector-exec.ts.
  const BIT21 = 1 << 10;
  const vx = (name: string, xo: number, ops = 'VRT,VRA,VRB', fixed?: Array<[number, number]>) => ({ name, form: 'VX' as Form, primary: 4, xo, ops, fixed });
  const vcmp = (name: string, xo: number) => [vx(name, xo), vx(name + '.', xo | BIT21)];
  const xx1 = (name: string, xo: number, ops: string) => ({ name, form: 'XX1' as Form, primary: 31, xo, ops });
  const xx3 = (name: string, xo: number, ops = 'XT,XA,XB') => ({ name, form: 'XX3' as Form, primary: 60, xo, ops });
  const xx2 = (name: string, xo: number, ops = 'XT,XB') => ({ name, form: 'XX2' as Form, primary: 60, xo, ops });
  const vmxMem = (name: string, xo: number, ops = 'VRT,RA0,RB') => ({ name, form: 'X' as Form, primary: 31, xo, ops });
  add('vector', [
    // VSX storage access (Book I 7.6.1)
    xx1('lxsdx', 588, 'XT,RA0,RB'),
    xx1('lxsiwax', 76, 'XT,RA0,RB'),
    xx1('lxsiwzx', 12, 'XT,RA0,RB'),
    xx1('lxsspx', 524, 'XT,RA0,RB'),
    xx1('lxvd2x', 844, 'XT,RA0,RB'),
    xx1('lxvdsx', 332, 'XT,RA0,RB'),
    xx1('lxvw4x', 780, 'XT,RA0,RB'),
    xx1('lxvwsx', 364, 'XT,RA0,RB'),
    xx1('lxvx', 268, 'XT,RA0,RB'),
    xx1('stxsdx', 716, 'XS,RA0,RB'),
    xx1('stxsiwx', 140, 'XS,RA0,RB'),
    xx1('stxsspx', 652, 'XS,RA0,RB'),
    xx1('stxvd2x', 972, 'XS,RA0,RB'),
    xx1('stxvw4x', 908, 'XS,RA0,RB'),
    xx1('stxvx', 396, 'XS,RA0,RB'),
    xx1('lxvl', 269, 'XT,RA0,RB'),
    xx1('lxvll', 301, 'XT,RA0,RB'),
    xx1('stxvl', 397, 'XS,RA0,RB'),
    xx1('stxvll', 429, 'XS,RA0,RB'),
    xx1('lxvb16x', 876, 'XT,RA0,RB'),
    xx1('lxvh8x', 812, 'XT,RA0,RB'),
    xx1('lxsibzx', 781, 'XT,RA0,RB'),
    xx1('lxsihzx', 813, 'XT,RA0,RB'),
    xx1('stxsibx', 909, 'XS,RA0,RB'),
    xx1('stxsihx', 941, 'XS,RA0,RB'),
    xx1('stxvb16x', 1004, 'XS,RA0,RB'),
    xx1('stxvh8x', 940, 'XS,RA0,RB'),
    { name: 'lxv', form: 'DQ', primary: 61, xo: 1, ops: 'XTQ,DQ,RA0' },
    { name: 'stxv', form: 'DQ', primary: 61, xo: 5, ops: 'XSQ,DQ,RA0' },
    { name: 'lxsd', form: 'DS', primary: 57, xo: 2, ops: 'VRT,DS,RA0' },
    { name: 'lxssp', form: 'DS', primary: 57, xo: 3, ops: 'VRT,DS,RA0' },
    { name: 'stxsd', form: 'DS', primary: 61, xo: 2, ops: 'VRS,DS,RA0' },
    { name: 'stxssp', form: 'DS', primary: 61, xo: 3, ops: 'VRS,DS,RA0' },
    // GPR <-> VSR moves (Book I 7.6.1.x, v2.07 and v3.0)
    xx1('mfvsrd', 51, 'RA,XS'),
    xx1('mfvsrwz', 115, 'RA,XS'),
    xx1('mfvsrld', 307, 'RA,XS'),
    xx1('mtvsrd', 179, 'XT,RA'),
    xx1('mtvsrwa', 211, 'XT,RA'),
    xx1('mtvsrwz', 243, 'XT,RA'),
    xx1('mtvsrws', 403, 'XT,RA'),
    xx1('mtvsrdd', 435, 'XT,RA0,RB'),
    // VSX logical and permute (Book I 7.6.1.6)
    xx3('xxland', 130),
    xx3('xxlandc', 138),
    xx3('xxlor', 146),
    xx3('xxlxor', 154),
    xx3('xxlnor', 162),
    xx3('xxlorc', 170),
    xx3('xxlnand', 178),
    xx3('xxleqv', 186),
    xx3('xxperm', 26),
    xx3('xxpermr', 58),
    xx3('xxmrghw', 18),
    xx3('xxmrglw', 50),
    { name: 'xxpermdi', form: 'XX3S', primary: 60, xo: 10, ops: 'XT,XA,XB,DM', fixed: [[BIT21, 0]] },
    { name: 'xxsldwi', form: 'XX3S', primary: 60, xo: 2, ops: 'XT,XA,XB,SHW', fixed: [[BIT21, 0]] },
    { name: 'xxsel', form: 'XX4', primary: 60, xo: 3, ops: 'XT,XA,XB,XC' },
    xx2('xxspltw', 164, 'XT,XB,UIM2'),
    xx2('xxextractuw', 165, 'XT,XB,UIM4'),
    xx2('xxinsertw', 181, 'XT,XB,UIM4'),
    { name: 'xxbrh', form: 'XX2', primary: 60, xo: 475, ops: 'XT,XB', fixed: [[31 << 16, 7 << 16]] },
    { name: 'xxbrw', form: 'XX2', primary: 60, xo: 475, ops: 'XT,XB', fixed: [[31 << 16, 15 << 16]] },
    { name: 'xxbrd', form: 'XX2', primary: 60, xo: 475, ops: 'XT,XB', fixed: [[31 << 16, 23 << 16]] },
    { name: 'xxbrq', form: 'XX2', primary: 60, xo: 475, ops: 'XT,XB', fixed: [[31 << 16, 31 << 16]] },
    { name: 'xxspltib', form: 'XX1', primary: 60, xo: 360, ops: 'XT,IMM8', fixed: [[3 << 19, 0]] },
    // VSX scalar floating point (Book I 7.6.1.x): binary double (and v2.07 single) operations
    xx3('xsadddp', 32),
    xx3('xssubdp', 40),
    xx3('xsmuldp', 48),
    xx3('xsdivdp', 56),
    xx3('xsaddsp', 0),
    xx3('xssubsp', 8),
    xx3('xsmulsp', 16),
    xx3('xsdivsp', 24),
    xx3('xsmaddadp', 33),
    xx3('xsmaddmdp', 41),
    xx3('xsmsubadp', 49),
    xx3('xsmsubmdp', 57),
    xx3('xsnmaddadp', 161),
    xx3('xsnmaddmdp', 169),
    xx3('xsnmsubadp', 177),
    xx3('xsnmsubmdp', 185),
    xx3('xsmaddasp', 1),
    xx3('xsmaddmsp', 9),
    xx3('xsmsubasp', 17),
    xx3('xsmsubmsp', 25),
    xx3('xsnmaddasp', 129),
    xx3('xsnmaddmsp', 137),
    xx3('xsnmsubasp', 145),
    xx3('xsnmsubmsp', 153),
    xx3('xscpsgndp', 176),
    xx3('xscmpudp', 35, 'BF,XA,XB'),
    xx3('xscmpodp', 43, 'BF,XA,XB'),
    xx2('xssqrtdp', 75),
    xx2('xssqrtsp', 11),
    xx2('xsabsdp', 345),
    xx2('xsnabsdp', 361),
    xx2('xsnegdp', 377),
    xx2('xsrsp', 281),
    xx2('xscvdpsp', 265),
    xx2('xscvdpspn', 267),
    xx2('xscvspdp', 329),
    xx2('xscvspdpn', 331),
    xx2('xscvdpsxds', 344),
    xx2('xscvdpsxws', 88),
    xx2('xscvdpuxds', 328),
    xx2('xscvdpuxws', 72),
    xx2('xscvsxddp', 376),
    xx2('xscvuxddp', 360),
    xx2('xscvsxdsp', 312),
    xx2('xscvuxdsp', 296),
    xx2('xsrdpi', 73),
    xx2('xsrdpiz', 89),
    xx2('xsrdpip', 105),
    xx2('xsrdpim', 121),
    // VSX vector floating point (Book I 7.6.1.x): each doubleword or word element
    xx3('xvadddp', 96),
    xx3('xvsubdp', 104),
    xx3('xvmuldp', 112),
    xx3('xvdivdp', 120),
    xx2('xvsqrtdp', 203),
    xx3('xvmaddadp', 97),
    xx3('xvmaddmdp', 105),
    xx3('xvmsubadp', 113),
    xx3('xvmsubmdp', 121),
    xx3('xvnmaddadp', 225),
    xx3('xvnmaddmdp', 233),
    xx3('xvnmsubadp', 241),
    xx3('xvnmsubmdp', 249),
    xx3('xvaddsp', 64),
    xx3('xvsubsp', 72),
    xx3('xvmulsp', 80),
    xx3('xvdivsp', 88),
    xx2('xvsqrtsp', 139),
    xx3('xvmaddasp', 65),
    xx3('xvmaddmsp', 73),
    xx3('xvmsubasp', 81),
    xx3('xvmsubmsp', 89),
    xx3('xvnmaddasp', 193),
    xx3('xvnmaddmsp', 201),
    xx3('xvnmsubasp', 209),
    xx3('xvnmsubmsp', 217),
    xx3('xvcmpeqdp', 99),
    xx3('xvcmpeqdp.', 227),
    xx3('xvcmpgtdp', 107),
    xx3('xvcmpgtdp.', 235),
    xx3('xvcmpgedp', 115),
    xx3('xvcmpgedp.', 243),
    xx3('xvcmpeqsp', 67),
    xx3('xvcmpeqsp.', 195),
    xx3('xvcmpgtsp', 75),
    xx3('xvcmpgtsp.', 203),
    xx3('xvcmpgesp', 83),
    xx3('xvcmpgesp.', 211),
    xx2('xvcvsxwdp', 248),
    xx2('xvcvuxwdp', 232),
    xx2('xvcvsxddp', 504),
    xx2('xvcvuxddp', 488),
    xx2('xvcvdpsxws', 216),
    xx2('xvcvdpuxws', 200),
    xx2('xvcvdpsxds', 472),
    xx2('xvcvdpuxds', 456),
    xx2('xvcvspdp', 457),
    xx2('xvcvdpsp', 393),
    xx2('xvcvsxwsp', 184),
    xx2('xvcvuxwsp', 168),
    xx2('xvcvspsxws', 152),
    xx2('xvcvspuxws', 136),
    xx2('xvcvsxdsp', 440),
    xx2('xvcvuxdsp', 424),
    xx2('xvcvspsxds', 408),
    xx2('xvcvspuxds', 392),
    xx2('xvrdpi', 201),
    xx2('xvrdpiz', 217),
    xx2('xvrdpip', 233),
    xx2('xvrdpim', 249),
    xx2('xvrspi', 137),
    xx2('xvrspiz', 153),
    xx2('xvrspip', 169),
    xx2('xvrspim', 185),
    xx2('xsrdpic', 107),
    xx2('xvrdpic', 235),
    xx2('xvrspic', 171),
    xx3('xsmaxcdp', 128),
    xx3('xsmincdp', 136),
    xx3('xsmaxdp', 160),
    xx3('xsmindp', 168),
    xx3('xsmaxjdp', 144),
    xx3('xsminjdp', 152),
    xx3('xvmaxdp', 224),
    xx3('xvmindp', 232),
    xx3('xvmaxsp', 192),
    xx3('xvminsp', 200),
    xx2('xvabsdp', 473),
    xx2('xvnabsdp', 489),
    xx2('xvnegdp', 505),
    xx3('xvcpsgndp', 240),
    xx2('xvabssp', 409),
    xx2('xvnabssp', 425),
    xx2('xvnegsp', 441),
    xx3('xvcpsgnsp', 208),
    // VMX storage access (Book I 6.7)
    vmxMem('lvx', 103),
    vmxMem('lvxl', 359),
    vmxMem('lvebx', 7),
    vmxMem('lvehx', 39),
    vmxMem('lvewx', 71),
    vmxMem('lvsl', 6),
    vmxMem('lvsr', 38),
    vmxMem('stvx', 231, 'VRS,RA0,RB'),
    vmxMem('stvxl', 487, 'VRS,RA0,RB'),
    vmxMem('stvebx', 135, 'VRS,RA0,RB'),
    vmxMem('stvehx', 167, 'VRS,RA0,RB'),
    vmxMem('stvewx', 199, 'VRS,RA0,RB'),
    // VMX logical, permute and select (Book I 6.8, 6.10)
    vx('vand', 1028),
    vx('vandc', 1092),
    vx('vor', 1156),
    vx('vxor', 1220),
    vx('vnor', 1284),
    vx('vorc', 1348),
    vx('vnand', 1412),
    vx('veqv', 1668),
    { name: 'vsel', form: 'VA', primary: 4, xo: 42, ops: 'VRT,VRA,VRB,VRC' },
    { name: 'vperm', form: 'VA', primary: 4, xo: 43, ops: 'VRT,VRA,VRB,VRC' },
    { name: 'vsldoi', form: 'VA', primary: 4, xo: 44, ops: 'VRT,VRA,VRB,SHB' },
    { name: 'vmladduhm', form: 'VA', primary: 4, xo: 34, ops: 'VRT,VRA,VRB,VRC' },
    { name: 'vmsumubm', form: 'VA', primary: 4, xo: 36, ops: 'VRT,VRA,VRB,VRC' },
    { name: 'vmsummbm', form: 'VA', primary: 4, xo: 37, ops: 'VRT,VRA,VRB,VRC' },
    { name: 'vmsumuhm', form: 'VA', primary: 4, xo: 38, ops: 'VRT,VRA,VRB,VRC' },
    { name: 'vmsumshm', form: 'VA', primary: 4, xo: 40, ops: 'VRT,VRA,VRB,VRC' },
    vx('vmrghb', 12),
    vx('vmrghh', 76),
    vx('vmrghw', 140),
    vx('vmrglb', 268),
    vx('vmrglh', 332),
    vx('vmrglw', 396),
    vx('vextractub', 525, 'VRT,VRB,UIM4'),
    vx('vextractuh', 589, 'VRT,VRB,UIM4'),
    vx('vextractuw', 653, 'VRT,VRB,UIM4'),
    vx('vextractd', 717, 'VRT,VRB,UIM4'),
    vx('vinsertb', 781, 'VRT,VRB,UIM4'),
    vx('vinserth', 845, 'VRT,VRB,UIM4'),
    vx('vinsertw', 909, 'VRT,VRB,UIM4'),
    vx('vinsertd', 973, 'VRT,VRB,UIM4'),
    vx('vspltb', 524, 'VRT,VRB,UIM4'),
    vx('vsplth', 588, 'VRT,VRB,UIM3'),
    vx('vspltw', 652, 'VRT,VRB,UIM2'),
    vx('vspltisb', 780, 'VRT,SIM'),
    vx('vspltish', 844, 'VRT,SIM'),
    vx('vspltisw', 908, 'VRT,SIM'),
    vx('vpkuhum', 14),
    vx('vpkuwum', 78),
    vx('vpkudum', 1102),
    vx('vsl', 452),
    vx('vsr', 708),
    vx('vslo', 1036),
    vx('vsro', 1100),
    vx('vgbbd', 1292, 'VRT,VRB'),
    vx('vbpermq', 1356),
    // VMX integer arithmetic, compare, shift (Book I 6.9)
    vx('vaddubm', 0),
    vx('vadduhm', 64),
    vx('vadduwm', 128),
    vx('vaddudm', 192),
    vx('vadduqm', 256),
    vx('vsubuqm', 1280),
    vx('vaddubs', 512),
    vx('vadduhs', 576),
    vx('vadduws', 640),
    vx('vsububm', 1024),
    vx('vsubuhm', 1088),
    vx('vsubuwm', 1152),
    vx('vsubudm', 1216),
    vx('vsububs', 1536),
    vx('vsubuhs', 1600),
    vx('vsubuws', 1664),
    vx('vmaxub', 2),
    vx('vmaxuh', 66),
    vx('vmaxuw', 130),
    vx('vmaxsb', 258),
    vx('vmaxsh', 322),
    vx('vmaxsw', 386),
    vx('vminub', 514),
    vx('vminuh', 578),
    vx('vminuw', 642),
    vx('vminsb', 770),
    vx('vminsh', 834),
    vx('vminsw', 898),
    vx('vmuluwm', 137),
    vx('vmuloub', 8),
    vx('vmulouh', 72),
    vx('vmulouw', 136),
    vx('vmulosb', 264),
    vx('vmulosh', 328),
    vx('vmulosw', 392),
    vx('vmuleub', 520),
    vx('vmuleuh', 584),
    vx('vmuleuw', 648),
    vx('vmulesb', 776),
    vx('vmulesh', 840),
    vx('vmulesw', 904),
    vx('vupkhsb', 526, 'VRT,VRB'),
    vx('vupklsb', 654, 'VRT,VRB'),
    vx('vupkhsh', 590, 'VRT,VRB'),
    vx('vupklsh', 718, 'VRT,VRB'),
    vx('vupkhsw', 1614, 'VRT,VRB'),
    vx('vupklsw', 1742, 'VRT,VRB'),
    vx('vrlb', 4),
    vx('vrlh', 68),
    vx('vrlw', 132),
    vx('vrld', 196),
    vx('vslb', 260),
    vx('vslh', 324),
    vx('vslw', 388),
    vx('vsld', 1476),
    vx('vsrb', 516),
    vx('vsrh', 580),
    vx('vsrw', 644),
    vx('vsrd', 1732),
    vx('vsrab', 772),
    vx('vsrah', 836),
    vx('vsraw', 900),
    vx('vsrad', 964),
    vx('vpopcntb', 1795, 'VRT,VRB'),
    vx('vpopcnth', 1859, 'VRT,VRB'),
    vx('vpopcntw', 1923, 'VRT,VRB'),
    vx('vpopcntd', 1987, 'VRT,VRB'),
    vx('vsumsws', 1928),
    vx('vsum2sws', 1672),
    vx('vsum4ubs', 1544),
    vx('vsum4sbs', 1800),
    vx('vsum4shs', 1608),
    vx('vclzb', 1794, 'VRT,VRB'),
    vx('vclzh', 1858, 'VRT,VRB'),
    vx('vclzw', 1922, 'VRT,VRB'),
    vx('vclzd', 1986, 'VRT,VRB'),
    // VMX floating point (Book I chapter 6) and the saturating packs, pixel packs and vpermxor (6.8, 6.9)
    vx('vaddfp', 10),
    vx('vsubfp', 74),
    { name: 'vmaddfp', form: 'VA', primary: 4, xo: 46, ops: 'VRT,VRA,VRC,VRB' },
    { name: 'vnmsubfp', form: 'VA', primary: 4, xo: 47, ops: 'VRT,VRA,VRC,VRB' },
    vx('vmaxfp', 1034),
    vx('vminfp', 1098),
    vx('vrefp', 266, 'VRT,VRB'),
    vx('vrsqrtefp', 330, 'VRT,VRB'),
    ...vcmp('vcmpeqfp', 198),
    ...vcmp('vcmpgefp', 454),
    ...vcmp('vcmpgtfp', 710),
    ...vcmp('vcmpbfp', 966),
    vx('vcfux', 778, 'VRT,VRB,UIM5'),
    vx('vcfsx', 842, 'VRT,VRB,UIM5'),
    vx('vctuxs', 906, 'VRT,VRB,UIM5'),
    vx('vctsxs', 970, 'VRT,VRB,UIM5'),
    vx('vrfin', 522, 'VRT,VRB'),
    vx('vrfiz', 586, 'VRT,VRB'),
    vx('vrfip', 650, 'VRT,VRB'),
    vx('vrfim', 714, 'VRT,VRB'),
    vx('vpkshss', 398),
    vx('vpkshus', 270),
    vx('vpkswss', 462),
    vx('vpkswus', 334),
    vx('vpkuhus', 142),
    vx('vpkuwus', 206),
    vx('vpksdss', 1486),
    vx('vpksdus', 1358),
    vx('vpkudus', 1230),
    { name: 'vmsumuhs', form: 'VA', primary: 4, xo: 39, ops: 'VRT,VRA,VRB,VRC' },
    { name: 'vmsumshs', form: 'VA', primary: 4, xo: 41, ops: 'VRT,VRA,VRB,VRC' },
    vx('vupkhpx', 846, 'VRT,VRB'),
    vx('vupklpx', 974, 'VRT,VRB'),
    vx('vpkpx', 782),
    { name: 'vpermxor', form: 'VA', primary: 4, xo: 45, ops: 'VRT,VRA,VRB,VRC' },
    { name: 'vpermr', form: 'VA', primary: 4, xo: 59, ops: 'VRT,VRA,VRB,VRC' },
    vx('vaddsbs', 768),
    vx('vaddshs', 832),
    vx('vaddsws', 896),
    vx('vsubsbs', 1792),
    vx('vsubshs', 1856),
    vx('vsubsws', 1920),
    vx('vaddcuw', 384),
    vx('vsubcuw', 1408),
    vx('vavgub', 1026),
    vx('vavguh', 1090),
    vx('vavguw', 1154),
    vx('vavgsb', 1282),
    vx('vavgsh', 1346),
    vx('vavgsw', 1410),
    vx('vabsdub', 1027),
    vx('vabsduh', 1091),
    vx('vabsduw', 1155),
    vx('vmaxsd', 450),
    vx('vmaxud', 194),
    vx('vminsd', 962),
    vx('vminud', 706),
    vx('vmrgew', 1932),
    vx('vmrgow', 1676),
    vx('vslv', 1860),
    vx('vsrv', 1796),
    xx3('xscmpeqdp', 3),
    xx3('xscmpgedp', 19),
    xx3('xscmpgtdp', 11),
    ...vcmp('vcmpequb', 6),
    ...vcmp('vcmpequh', 70),
    ...vcmp('vcmpequw', 134),
    ...vcmp('vcmpequd', 199),
    ...vcmp('vcmpgtub', 518),
    ...vcmp('vcmpgtuh', 582),
    ...vcmp('vcmpgtuw', 646),
    ...vcmp('vcmpgtud', 711),
    ...vcmp('vcmpgtsb', 774),
    ...vcmp('vcmpgtsh', 838),
    ...vcmp('vcmpgtsw', 902),
    ...vcmp('vcmpgtsd', 967),
    ...vcmp('vcmpneb', 7),
    ...vcmp('vcmpneh', 71),
    ...vcmp('vcmpnew', 135),
    ...vcmp('vcmpnezb', 263),
    ...vcmp('vcmpnezh', 327),
    ...vcmp('vcmpnezw', 391),
    // v3.0 byte extraction and counts into a GPR (Book I 6.8.x)
    vx('vclzlsbb', 1538, 'RT,VRB', [[31 << 16, 0]]),
    vx('vctzlsbb', 1538, 'RT,VRB', [[31 << 16, 1 << 16]]),
    vx('vnegw', 1538, 'VRT,VRB', [[31 << 16, 6 << 16]]),
    vx('vnegd', 1538, 'VRT,VRB', [[31 << 16, 7 << 16]]),
    vx('vextsb2w', 1538, 'VRT,VRB', [[31 << 16, 16 << 16]]),
    vx('vextsh2w', 1538, 'VRT,VRB', [[31 << 16, 17 << 16]]),
    vx('vextsb2d', 1538, 'VRT,VRB', [[31 << 16, 24 << 16]]),
    vx('vextsh2d', 1538, 'VRT,VRB', [[31 << 16, 25 << 16]]),
    vx('vextsw2d', 1538, 'VRT,VRB', [[31 << 16, 26 << 16]]),
    vx('vextublx', 1549, 'RT,RA,VRB'),
    vx('vextubrx', 1805, 'RT,RA,VRB'),
    vx('vextuhlx', 1613, 'RT,RA,VRB'),
    vx('vextuhrx', 1869, 'RT,RA,VRB'),
    vx('vextuwlx', 1677, 'RT,RA,VRB'),
    vx('vextuwrx', 1933, 'RT,RA,VRB'),
    // VSCR (Book I 6.3)
    vx('mfvscr', 1540, 'VRT'),
    vx('mtvscr', 1604, 'VRB'),
  ]);

  // ---- System and storage control (Book I 3.3.14 sc/trap; Book II 4.6 sync; Book III) ----
  add('system', [
    { name: 'sc', form: 'SC', primary: 17, ops: 'LEV?', fixed: [[2, 2]], lax: 0xf01c }, // bit 30 is 1
    { name: 'scv', form: 'SC', primary: 17, ops: 'LEV', fixed: [[3, 1]], lax: 0xf01c }, // bits 30-31 are 01 (v3.0B Book I 3.3.1)
    { name: 'rfid', form: 'XL', primary: 19, xo: 18, ops: '', flags: 'priv' },
    { name: 'hrfid', form: 'XL', primary: 19, xo: 274, ops: '', flags: 'hyp' },
    { name: 'isync', form: 'XL', primary: 19, xo: 150, ops: '' },
    // POWER9 power saving (v3.0B Book III 4.3.2), privileged: SIGILL in a user process as
    // under Linux and qemu-ppc64; on the bare machine the thread wakes at once (a no-op).
    { name: 'stop', form: 'XL', primary: 19, xo: 370, ops: '', flags: 'priv' },
    { name: 'mfmsr', form: 'X', primary: 31, xo: 83, ops: 'RT', flags: 'priv' },
    { name: 'mtmsrd', form: 'X', primary: 31, xo: 178, ops: 'RS,L15?', flags: 'priv' },
    { name: 'sync', form: 'X', primary: 31, xo: 598, ops: 'L2?' },
    { name: 'eieio', form: 'X', primary: 31, xo: 854, ops: '' },
    // tlbie is hypervisor privileged and tlbiel privileged (Book III v3.0B, 5.9.3.3).
    { name: 'tlbie', form: 'X', primary: 31, xo: 306, ops: 'RB,RS,RIC?,PRS?,R?', flags: 'hyp' },
    { name: 'tlbiel', form: 'X', primary: 31, xo: 274, ops: 'RB,RS?,RIC?,PRS?,R?', flags: 'priv' },
    { name: 'tlbsync', form: 'X', primary: 31, xo: 566, ops: '', flags: 'hyp' },
    { name: 'slbie', form: 'X', primary: 31, xo: 434, ops: 'RB', flags: 'priv' },
    { name: 'slbia', form: 'X', primary: 31, xo: 498, ops: 'IH?', flags: 'priv' },
    { name: 'slbmte', form: 'X', primary: 31, xo: 402, ops: 'RS,RB', flags: 'priv' },
    { name: 'slbmfee', form: 'X', primary: 31, xo: 915, ops: 'RT,RB', flags: 'priv' },
    { name: 'slbmfev', form: 'X', primary: 31, xo: 851, ops: 'RT,RB', flags: 'priv' },
    // attn is implementation-specific (POWER processors' "support processor attention"):
    // primary 0, XO 256. It halts the machine in this emulator.
    { name: 'attn', form: 'X', primary: 0, xo: 256, ops: '', flags: 'hyp', lax: 0x3fff800 },
  ]);
  return s;
}

function build(): InsnDef[] {
  return specs().map((sp, id) => {
    const flagWords = new Set((sp.flags ?? '').split(/\s+/).filter(Boolean));
    const flags: Flags = {
      rc: flagWords.has('rc'),
      oe: flagWords.has('oe'),
      lk: flagWords.has('lk'),
      aa: flagWords.has('aa'),
    };
    const operands: InsnOperand[] = sp.ops
      .split(',')
      .filter(Boolean)
      .map((o) => ({ def: operand(o.replace('?', '')), optional: o.endsWith('?') }));
    let free = 0;
    for (const o of operands) free |= o.def.mask;
    if (flags.rc) free |= FLAG_BITS.rc;
    if (flags.lk) free |= FLAG_BITS.lk;
    if (flags.aa) free |= FLAG_BITS.aa;
    if (flags.oe) free |= FLAG_BITS.oe;
    let match = (sp.primary << 26) >>> 0;
    let defined = 0xfc000000;
    const xf = XO_FIELD[sp.form];
    if (xf) {
      match |= ((sp.xo ?? 0) << xf[0]) >>> 0;
      defined |= ((2 ** xf[1] - 1) << xf[0]) >>> 0;
    } else if (sp.xo !== undefined) throw new Error(`internal: ${sp.name}: form ${sp.form} has no XO`);
    for (const [m, v] of sp.fixed ?? []) {
      free &= ~m;
      defined |= m;
      match |= v;
    }
    // Bits that are neither operands nor flags must equal `match` (reserved bits are 0).
    const mask = ~free >>> 0;
    return {
      id,
      name: sp.name,
      form: sp.form,
      primary: sp.primary,
      xo: sp.xo ?? 0,
      operands,
      flags,
      privilege: flagWords.has('hyp') ? 'hyp' : flagWords.has('priv') ? 'priv' : 'user',
      only64: flagWords.has('64'),
      mask,
      match: match >>> 0,
      reserved: (mask & ~defined) >>> 0,
      laxReserved: { bits: (sp.lax ?? 0) >>> 0, aliases: !sp.laxBase },
      op: opOf(sp.name),
      facility: sp.facility,
    };
  });
}

export const INSNS: readonly InsnDef[] = build();

/** Mnemonic of a base instruction with its flag variant applied (e.g. addo., bla). */
export function variantName(base: string, oe: boolean, rc: boolean, lk: boolean, aa: boolean): string {
  return base + (oe ? 'o' : '') + (lk ? 'l' : '') + (aa ? 'a' : '') + (rc ? '.' : '');
}
