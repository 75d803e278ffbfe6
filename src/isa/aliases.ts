// Simplified (extended) mnemonics: Power ISA v3.0B Book I appendix C "Assembler Extended
// Mnemonics" and Book III appendix A. Each alias is written in terms of a base entry of the
// instruction table; encode goes alias -> base operands, disassembly goes base operands ->
// alias when the values fit. For each base, aliases are tried in the order given here, which is
// the order in which GNU objdump prefers them; `asmOnly` aliases are accepted by the assembler
// but never printed (objdump prints the base form for them).

import { validBO } from './decode.js';
import { OPERANDS, type OperandDef, type OperandKind } from './fields.js';

export type BaseValues = Record<string, number>;

export interface AliasOperand {
  readonly def: OperandDef;
  readonly optional: boolean;
  /** Value when omitted, if not 0 (spec `NAME?=N`). */
  readonly omitted?: number;
}

export interface AliasDef {
  /** Alias mnemonic without flag suffixes and without the branch hint. */
  readonly name: string;
  readonly base: string;
  /** Branch prediction hint appended after any flag suffixes ("beql+"). */
  readonly hint: '' | '+' | '-';
  readonly operands: readonly AliasOperand[];
  toBase(v: readonly number[]): BaseValues;
  /** The alias operand values for these base operand values, or null when it does not apply. */
  fromBase(b: BaseValues): number[] | null;
  readonly asmOnly: boolean;
}

function pseudo(name: string, kind: OperandKind, min: number, max: number): OperandDef {
  return {
    name,
    kind,
    bits: 0,
    extract: () => 0,
    insert: () => 0,
    fits: (v) => Number.isInteger(v) && v >= min && v <= max,
    mask: 0,
  };
}

const N5 = pseudo('n', 'uimm', 0, 31);
const N6 = pseudo('n', 'uimm', 0, 63);
const N3 = pseudo('n', 'uimm', 0, 3);
// Field lengths of extlwi/extldi: GNU as accepts 0..32 (0..64); n = 0 wraps like the field.
const N32 = pseudo('n', 'uimm', 0, 32);
const N64 = pseudo('n', 'uimm', 0, 64);
// Negated immediates (subi, subic, subis): the value whose negation fits SI (SIS for subis).
const NEGSI = pseudo('SI', 'simm', -0x7fff, 0x8000);
const NEGSIS = pseudo('SI', 'simm', -0xffff, 0x8000);
// Touch hints of dcbt/dcbtst (Book II 4.3.2): TH 0-7 (dcbtct), 8-15 (dcbtds).
const TH_CT = pseudo('TH', 'uimm', 0, 7);
const TH_DS = pseudo('TH', 'uimm', 8, 15);
// A VSR named by its FPR (VSR 0-31) or VR (VSR 32-63) number (Book I 7.1.1's overlay).
const FR = pseudo('FR', 'fpr', 0, 31);
const VR = pseudo('VR', 'vr', 0, 31);
const N1 = pseudo('n', 'uimm', 0, 1);
const PSEUDO: Record<string, OperandDef> = { N5, N6, N3, N1, N32, N64, NEGSI, NEGSIS, TH_CT, TH_DS, FR, VR, CRF: OPERANDS.BF! };

function ops(spec: string): AliasOperand[] {
  return spec
    .split(',')
    .filter(Boolean)
    .map((s) => {
      const [spec, dflt] = s.split('=');
      const optional = spec!.endsWith('?');
      const n = spec!.replace('?', '');
      const def = PSEUDO[n] ?? OPERANDS[n];
      if (!def) throw new Error(`internal: alias operand ${n}`);
      return dflt === undefined ? { def, optional } : { def, optional, omitted: Number(dflt) };
    });
}

const list: AliasDef[] = [];
function alias(
  name: string,
  base: string,
  operandSpec: string,
  toBase: (v: readonly number[]) => BaseValues,
  fromBase: (b: BaseValues) => number[] | null,
  opts: { asmOnly?: boolean; hint?: '' | '+' | '-' } = {},
): void {
  list.push({
    name,
    base,
    hint: opts.hint ?? '',
    operands: ops(operandSpec),
    toBase,
    fromBase,
    asmOnly: opts.asmOnly ?? false,
  });
}
const asmOnly = { asmOnly: true };

// ---- Fixed-point (Book I C.8, C.9) ----
alias('li', 'addi', 'RT,SI', ([rt, si]) => ({ RT: rt!, RA0: 0, SI: si! }), (b) => (b.RA0 === 0 ? [b.RT!, b.SI!] : null));
alias('la', 'addi', 'RT,D,RA0', ([rt, d, ra]) => ({ RT: rt!, RA0: ra!, SI: d! }), () => null, asmOnly);
alias('subi', 'addi', 'RT,RA0,NEGSI', ([rt, ra, si]) => ({ RT: rt!, RA0: ra!, SI: -si! }), () => null, asmOnly);
alias('lnia', 'addpcis', 'RT', ([rt]) => ({ RT: rt!, D: 0 }), (b) => (b.D === 0 ? [b.RT!] : null));
alias('subpcis', 'addpcis', 'RT,DXD', ([rt, d]) => ({ RT: rt!, D: -d! }), () => null, asmOnly);
alias('lis', 'addis', 'RT,SIS', ([rt, si]) => ({ RT: rt!, RA0: 0, SI: si! }), (b) => (b.RA0 === 0 ? [b.RT!, b.SI!] : null));
alias('subis', 'addis', 'RT,RA0,NEGSIS', ([rt, ra, si]) => ({ RT: rt!, RA0: ra!, SI: -si! }), () => null, asmOnly);
alias('subic', 'addic', 'RT,RA,NEGSI', ([rt, ra, si]) => ({ RT: rt!, RA: ra!, SI: -si! }), () => null, asmOnly);
alias('subic.', 'addic.', 'RT,RA,NEGSI', ([rt, ra, si]) => ({ RT: rt!, RA: ra!, SI: -si! }), () => null, asmOnly);
alias('sub', 'subf', 'RT,RA,RB', ([rt, ra, rb]) => ({ RT: rt!, RA: rb!, RB: ra! }), () => null, asmOnly);
alias('subc', 'subfc', 'RT,RA,RB', ([rt, ra, rb]) => ({ RT: rt!, RA: rb!, RB: ra! }), () => null, asmOnly);
alias('nop', 'ori', '', () => ({ RA: 0, RS: 0, UI: 0 }), (b) => (b.RA === 0 && b.RS === 0 && b.UI === 0 ? [] : null));
alias('mr', 'or', 'RA,RS', ([ra, rs]) => ({ RA: ra!, RS: rs!, RB: rs! }), (b) => (b.RS === b.RB ? [b.RA!, b.RS!] : null));
alias('xnop', 'xori', '', () => ({ RA: 0, RS: 0, UI: 0 }), (b) => (b.RA === 0 && b.RS === 0 && b.UI === 0 ? [] : null));
alias('not', 'nor', 'RA,RS', ([ra, rs]) => ({ RA: ra!, RS: rs!, RB: rs! }), (b) => (b.RS === b.RB ? [b.RA!, b.RS!] : null));

// Rotate and shift (Book I C.8.2).
const rlw = (ra: number, rs: number, sh: number, mb: number, me: number): BaseValues =>
  ({ RA: ra, RS: rs, SH: sh & 31, MB: mb & 31, ME: me & 31 });
alias('rotlwi', 'rlwinm', 'RA,RS,N5', ([a, s, n]) => rlw(a!, s!, n!, 0, 31), (b) => (b.MB === 0 && b.ME === 31 ? [b.RA!, b.RS!, b.SH!] : null));
alias('clrlwi', 'rlwinm', 'RA,RS,N5', ([a, s, n]) => rlw(a!, s!, 0, n!, 31), (b) => (b.SH === 0 && b.ME === 31 ? [b.RA!, b.RS!, b.MB!] : null));
alias('srwi', 'rlwinm', 'RA,RS,N5', ([a, s, n]) => rlw(a!, s!, 32 - n!, n!, 31), (b) => (b.ME === 31 && b.SH! + b.MB! === 32 ? [b.RA!, b.RS!, b.MB!] : null));
alias('slwi', 'rlwinm', 'RA,RS,N5', ([a, s, n]) => rlw(a!, s!, n!, 0, 31 - n!), (b) => (b.MB === 0 && b.SH! + b.ME! === 31 ? [b.RA!, b.RS!, b.SH!] : null));
alias('rotrwi', 'rlwinm', 'RA,RS,N5', ([a, s, n]) => rlw(a!, s!, 32 - n!, 0, 31), () => null, asmOnly);
alias('clrrwi', 'rlwinm', 'RA,RS,N5', ([a, s, n]) => rlw(a!, s!, 0, 0, 31 - n!), (b) => (b.SH === 0 && b.MB === 0 && b.ME! < 31 ? [b.RA!, b.RS!, 31 - b.ME!] : null));
alias('extlwi', 'rlwinm', 'RA,RS,N32,N5', ([a, s, n, bb]) => rlw(a!, s!, bb!, 0, n! - 1), () => null, asmOnly);
alias('extrwi', 'rlwinm', 'RA,RS,N5,N5', ([a, s, n, bb]) => rlw(a!, s!, bb! + n!, 32 - n!, 31), () => null, asmOnly);
// Insert and clear-left-and-shift (Book I C.8.2). GNU as checks n and b against these ranges
// and lets the derived fields wrap, as the ISA's formulas do modulo the field width.
alias('inslwi', 'rlwimi', 'RA,RS,N32,N5', ([a, s, n, bb]) => rlw(a!, s!, 32 - bb!, bb!, bb! + n! - 1), () => null, asmOnly);
alias('insrwi', 'rlwimi', 'RA,RS,N32,N5', ([a, s, n, bb]) => rlw(a!, s!, 32 - (bb! + n!), bb!, bb! + n! - 1), () => null, asmOnly);
alias('clrlslwi', 'rlwinm', 'RA,RS,N5,N5', ([a, s, bb, n]) => rlw(a!, s!, n!, bb! - n!, 31 - n!), () => null, asmOnly);
alias('rotlw', 'rlwnm', 'RA,RS,RB', ([a, s, r]) => ({ RA: a!, RS: s!, RB: r!, MB: 0, ME: 31 }), (b) => (b.MB === 0 && b.ME === 31 ? [b.RA!, b.RS!, b.RB!] : null));
alias('rotldi', 'rldicl', 'RA,RS,N6', ([a, s, n]) => ({ RA: a!, RS: s!, SH6: n!, MB6: 0 }), (b) => (b.MB6 === 0 ? [b.RA!, b.RS!, b.SH6!] : null));
alias('srdi', 'rldicl', 'RA,RS,N6', ([a, s, n]) => ({ RA: a!, RS: s!, SH6: (64 - n!) & 63, MB6: n! }), (b) => (b.MB6 !== 0 && b.SH6! + b.MB6! === 64 ? [b.RA!, b.RS!, b.MB6!] : null));
alias('clrldi', 'rldicl', 'RA,RS,N6', ([a, s, n]) => ({ RA: a!, RS: s!, SH6: 0, MB6: n! }), (b) => (b.SH6 === 0 ? [b.RA!, b.RS!, b.MB6!] : null));
alias('rotrdi', 'rldicl', 'RA,RS,N6', ([a, s, n]) => ({ RA: a!, RS: s!, SH6: (64 - n!) & 63, MB6: 0 }), () => null, asmOnly);
alias('extrdi', 'rldicl', 'RA,RS,N6,N6', ([a, s, n, bb]) => ({ RA: a!, RS: s!, SH6: (bb! + n!) & 63, MB6: (64 - n!) & 63 }), () => null, asmOnly);
alias('clrrdi', 'rldicr', 'RA,RS,N6', ([a, s, n]) => ({ RA: a!, RS: s!, SH6: 0, MB6: 63 - n! }), (b) => (b.SH6 === 0 ? [b.RA!, b.RS!, 63 - b.MB6!] : null));
alias('sldi', 'rldicr', 'RA,RS,N6', ([a, s, n]) => ({ RA: a!, RS: s!, SH6: n!, MB6: 63 - n! }), (b) => (b.SH6! + b.MB6! === 63 ? [b.RA!, b.RS!, b.SH6!] : null));
alias('extldi', 'rldicr', 'RA,RS,N64,N6', ([a, s, n, bb]) => ({ RA: a!, RS: s!, SH6: bb!, MB6: (n! - 1) & 63 }), () => null, asmOnly);
alias('insrdi', 'rldimi', 'RA,RS,N64,N6', ([a, s, n, bb]) => ({ RA: a!, RS: s!, SH6: (64 - (n! + bb!)) & 63, MB6: bb! }), () => null, asmOnly);
alias('clrlsldi', 'rldic', 'RA,RS,N6,N6', ([a, s, bb, n]) => ({ RA: a!, RS: s!, SH6: n!, MB6: (bb! - n!) & 63 }), () => null, asmOnly);
alias('rotld', 'rldcl', 'RA,RS,RB', ([a, s, r]) => ({ RA: a!, RS: s!, RB: r!, MB6: 0 }), (b) => (b.MB6 === 0 ? [b.RA!, b.RS!, b.RB!] : null));

// Compares (Book I C.5): L selects word (0) or doubleword (1).
for (const [base, imm] of [['cmpi', 'SI'], ['cmpli', 'UI'], ['cmp', 'RB'], ['cmpl', 'RB']] as const) {
  const stem = base.startsWith('cmpl') ? 'cmpl' : 'cmp';
  const suffix = imm === 'RB' ? '' : 'i';
  for (const [size, l] of [['w', 0], ['d', 1]] as const) {
    alias(`${stem}${size}${suffix}`, base, `CRF?,RA,${imm}`,
      ([bf, ra, x]) => ({ BF: bf!, L10: l, RA: ra!, [imm]: x! }),
      (b) => (b.L10 === l ? [b.BF!, b.RA!, b[imm]!] : null));
  }
}

// Traps (Book I C.6): TO bits are lt, gt, eq, <u, >u.
const TO_NAMES: Array<[string, number, boolean]> = [
  ['lt', 16, false], ['le', 20, false], ['eq', 4, false], ['ge', 12, false], ['gt', 8, false],
  ['ne', 24, false], ['llt', 2, false], ['lle', 6, false], ['lge', 5, false], ['lgt', 1, false],
  ['u', 31, false], ['nl', 12, true], ['ng', 20, true], ['lnl', 5, true], ['lng', 6, true],
];
alias('trap', 'tw', '', () => ({ TO: 31, RA: 0, RB: 0 }), (b) => (b.TO === 31 && b.RA === 0 && b.RB === 0 ? [] : null));
for (const [stem, base, third] of [['tw', 'tw', 'RB'], ['td', 'td', 'RB'], ['tw', 'twi', 'SI'], ['td', 'tdi', 'SI']] as const) {
  const suffix = third === 'SI' ? 'i' : '';
  for (const [cond, to, only] of TO_NAMES) {
    alias(`${stem}${cond}${suffix}`, base, `RA,${third}`,
      ([ra, x]) => ({ TO: to, RA: ra!, [third]: x! }),
      (b) => (b.TO === to ? [b.RA!, b[third]!] : null), { asmOnly: only });
  }
}

// Conditional branches (Book I 2.4 "BO field", C.2). BO: 0b001at = branch if the CR bit is
// clear, 0b011at = if set, 0b1a00t/0b1a01t = decrement CTR and branch if it is nonzero/zero,
// 0b0000z/0b0001z/0b0100z/0b0101z = decrement and test both, 0b1z1zz = always. z bits must be
// 0; the "at" bits are the hint: 0b11 likely (+), 0b10 unlikely (-), 0b01 reserved.

/** The "at" bits of BO as [a mask, t mask], or null for encodings without a hint. */
function hintBits(bo: number): [number, number] | null {
  if ((bo & 0b10100) === 0b10100) return null; // 1z1zz: branch always
  if (bo & 0b10000) return [0b01000, 0b00001]; // 1a00t, 1a01t
  if (bo & 0b00100) return [0b00010, 0b00001]; // 001at, 011at
  return null; // 0000z ...: no hint
}

/** The hint a BO encodes: '+' (at = 11), '-' (at = 10), '' (at = 00 or none), null if reserved (01). */
function boHint(bo: number): '' | '+' | '-' | null {
  const h = hintBits(bo);
  if (!h) return '';
  const a = (bo & h[0]) !== 0;
  const t = (bo & h[1]) !== 0;
  return a ? (t ? '+' : '-') : t ? null : '';
}

// objdump reads a conditional branch to an address whose BO has the z bit set, or the reserved
// "at" = 0b01, as the nearest defined form (hardware ignores those bits); bclr and bcctr it
// reads exactly. boIs accepts, for bc only, BO values that differ from `bo` only that way.
function boIs(base: string, BO: number, bo: number): boolean {
  if (BO === bo) return true;
  if (base !== 'bc') return false;
  const h = hintBits(bo);
  if (!h) return (bo & 0b10100) !== 0b10100 && BO === (bo | 1); // z bit set
  return (bo & (h[0] | h[1])) === 0 && BO === (bo | h[1]); // "at" = 0b01 read as no hint
}

const CONDS: Array<[string, number, number, boolean]> = [
  ['lt', 12, 0, false], ['le', 4, 1, false], ['eq', 12, 2, false], ['ge', 4, 0, false],
  ['gt', 12, 1, false], ['nl', 4, 0, true], ['ne', 4, 2, false], ['ng', 4, 1, true],
  ['so', 12, 3, false], ['ns', 4, 3, false], ['un', 12, 3, true], ['nu', 4, 3, true],
];
const HINTS: Array<['' | '+' | '-', number]> = [['', 0], ['-', 2], ['+', 3]];
for (const [cond, bo0, bit, only] of CONDS) {
  for (const [hint, at] of HINTS) {
    const bo = bo0 | at;
    const o = { asmOnly: only, hint };
    alias(`b${cond}`, 'bc', 'CRF?,BD', ([cr, bd]) => ({ BO: bo, BI: cr! * 4 + bit, BD: bd! }),
      (b) => (boIs('bc', b.BO!, bo) && (b.BI! & 3) === bit ? [b.BI! >> 2, b.BD!] : null), o);
    for (const [reg, base] of [['lr', 'bclr'], ['ctr', 'bcctr']] as const) {
      alias(`b${cond}${reg}`, base, 'CRF?,BH?', ([cr, bh]) => ({ BO: bo, BI: cr! * 4 + bit, BH: bh! }),
        (b) => (b.BO === bo && (b.BI! & 3) === bit ? [b.BI! >> 2, b.BH!] : null), o);
    }
  }
}
// Decrement-CTR forms: bdnz (BO=1a00t), bdz (1a01t); "at" hints as above, in BO[1] and BO[4].
for (const [name, bo0] of [['bdnz', 16], ['bdz', 18]] as const) {
  for (const [hint, bo] of [['', bo0], ['-', bo0 | 8], ['+', bo0 | 9]] as const) {
    alias(name, 'bc', 'BD', ([bd]) => ({ BO: bo, BI: 0, BD: bd! }), (b) => (boIs('bc', b.BO!, bo) && b.BI === 0 ? [b.BD!] : null), { hint });
    alias(`${name}lr`, 'bclr', 'BH?', ([bh]) => ({ BO: bo, BI: 0, BH: bh! }), (b) => (b.BO === bo && b.BI === 0 ? [b.BH!] : null), { hint });
  }
}
// Decrement and test a CR bit (0000z, 0001z, 0100z, 0101z); no CTR forms (bcctr cannot decrement).
for (const [name, bo] of [['bdnzf', 0], ['bdzf', 2], ['bdnzt', 8], ['bdzt', 10]] as const) {
  alias(name, 'bc', 'BI,BD', ([bi, bd]) => ({ BO: bo, BI: bi!, BD: bd! }), (b) => (boIs('bc', b.BO!, bo) ? [b.BI!, b.BD!] : null));
  alias(`${name}lr`, 'bclr', 'BI,BH?', ([bi, bh]) => ({ BO: bo, BI: bi!, BH: bh! }), (b) => (b.BO === bo ? [b.BI!, b.BH!] : null));
}
alias('blr', 'bclr', 'BH?', ([bh]) => ({ BO: 20, BI: 0, BH: bh! }), (b) => (b.BO === 20 && b.BI === 0 ? [b.BH!] : null));
alias('bctr', 'bcctr', 'BH?', ([bh]) => ({ BO: 20, BI: 0, BH: bh! }), (b) => (b.BO === 20 && b.BI === 0 ? [b.BH!] : null));

// The base forms with a hint suffix (bc+ BO,BI,target): the suffix sets the "at" bits of a BO
// that has them (Book I 2.4); writing different "at" bits, or a BO without a hint, is an error.
// Last for each base, so that objdump's preference for every other alias is kept.
function hintedBO(hint: '+' | '-'): OperandDef {
  return {
    ...OPERANDS.BO!,
    fits: (v) => {
      if (!Number.isInteger(v) || v < 0 || v > 31 || !validBO(v)) return false;
      const h = boHint(v);
      return hintBits(v) !== null && (h === '' || h === hint);
    },
  };
}
for (const hint of ['+', '-'] as const) {
  const setHint = (bo: number) => {
    const [a, t] = hintBits(bo)!;
    return bo | a | (hint === '+' ? t : 0);
  };
  const from = (b: BaseValues) => (hintBits(b.BO!) && boHint(b.BO!) === hint ? b.BO! : null);
  const bo = { def: hintedBO(hint), optional: false };
  const add = (base: string, spec: string, toBase: (v: readonly number[]) => BaseValues, fromBase: (b: BaseValues) => number[] | null) => {
    alias(base, base, spec, toBase, fromBase, { hint });
    const a = list[list.length - 1]!;
    list[list.length - 1] = { ...a, operands: [bo, ...a.operands.slice(1)] };
  };
  add('bc', 'BO,BI,BD', ([o, bi, bd]) => ({ BO: setHint(o!), BI: bi!, BD: bd! }), (b) => (from(b) !== null ? [b.BO!, b.BI!, b.BD!] : null));
  for (const base of ['bclr', 'bcctr']) {
    add(base, 'BO,BI,BH?', ([o, bi, bh]) => ({ BO: setHint(o!), BI: bi!, BH: bh! }), (b) => (from(b) !== null ? [b.BO!, b.BI!, b.BH!] : null));
  }
}

// isel with a CR0 condition (Book I C.10).
for (const [cond, bc] of [['lt', 0], ['gt', 1], ['eq', 2]] as const) {
  alias(`isel${cond}`, 'isel', 'RT,RA0,RB', ([rt, ra, rb]) => ({ RT: rt!, RA0: ra!, RB: rb!, BC: bc }),
    (b) => (b.BC === bc ? [b.RT!, b.RA0!, b.RB!] : null));
}

// CR logical (Book I C.3).
alias('crset', 'creqv', 'BT', ([x]) => ({ BT: x!, BA: x!, BB: x! }), (b) => (b.BT === b.BA && b.BA === b.BB ? [b.BT!] : null));
alias('crclr', 'crxor', 'BT', ([x]) => ({ BT: x!, BA: x!, BB: x! }), (b) => (b.BT === b.BA && b.BA === b.BB ? [b.BT!] : null));
alias('crmove', 'cror', 'BT,BA', ([x, y]) => ({ BT: x!, BA: y!, BB: y! }), (b) => (b.BA === b.BB ? [b.BT!, b.BA!] : null));
alias('crnot', 'crnor', 'BT,BA', ([x, y]) => ({ BT: x!, BA: y!, BB: y! }), (b) => (b.BA === b.BB ? [b.BT!, b.BA!] : null));

// Move to/from SPRs (Book I C.7, Book III A): SPR numbers from Book III table "SPR encodings"
// (v3.0B 4.4.4), Book II (time base), and for the RTC and BAT registers the 32-bit PowerPC
// Operating Environment Architecture; the names are the ones objdump -Mpower9 prints.
const SPR_BOTH: Array<[string, number]> = [
  ['xer', 1], ['udscr', 3], ['lr', 8], ['ctr', 9], ['uamr', 13], ['dscr', 17], ['dsisr', 18],
  ['dar', 19], ['dec', 22], ['sdr1', 25], ['srr0', 26], ['srr1', 27], ['cfar', 28], ['amr', 29],
  ['uamor', 157], ['vrsave', 256], ['asr', 280], ['ear', 282], ['hmer', 336], ['hmeer', 337],
  ['amor', 349], ['ummcr2', 769], ['ummcra', 770], ['upmc1', 771], ['upmc2', 772], ['upmc3', 773],
  ['upmc4', 774], ['upmc5', 775], ['upmc6', 776], ['ummcr0', 779], ['bescrs', 800], ['bescrsu', 801],
  ['bescrr', 802], ['bescrru', 803], ['ebbhr', 804], ['ebbrr', 805], ['bescr', 806], ['tar', 815],
  ['ic', 848], ['vtb', 849], ['ppr', 896], ['ppr32', 898],
];
// Read-only names (or a read-side number that differs from the write side: ctrl, rtcu/rtcl).
const SPR_MF: Array<[string, number]> = [
  ['rtcu', 4], ['rtcl', 5], ['ctrl', 136], ['tb', 268], ['tbu', 269], ['pvr', 287], ['usiar', 780],
  ['usdar', 781], ['ummcr1', 782],
];
const SPR_MT: Array<[string, number]> = [
  ['rtcu', 20], ['rtcl', 21], ['tfhar', 128], ['tfiar', 129], ['texasr', 130], ['texasru', 131],
  ['ctrl', 152], ['tbl', 284], ['tbu', 285], ['mmcra', 786], ['pmc1', 787], ['pmc2', 788],
  ['pmc3', 789], ['pmc4', 790], ['pmc5', 791], ['pmc6', 792], ['mmcr0', 795], ['mmcr1', 798],
];
for (const [n, spr] of [...SPR_BOTH, ...SPR_MF]) {
  alias(`mf${n}`, 'mfspr', 'RT', ([rt]) => ({ RT: rt!, SPR: spr }), (b) => (b.SPR === spr ? [b.RT!] : null));
}
for (const [n, spr] of [...SPR_BOTH, ...SPR_MT]) {
  alias(`mt${n}`, 'mtspr', 'RS', ([rs]) => ({ RS: rs!, SPR: spr }), (b) => (b.SPR === spr ? [b.RS!] : null));
}
// Numbered groups: SPRG0-3 (272-275), and the BAT pairs IBATnU/L (528+2n, 529+2n), DBATnU/L (536+2n, 537+2n).
const SPR_GROUPS: Array<[string, number, number]> = [['sprg', 272, 1], ['ibatu', 528, 2], ['ibatl', 529, 2], ['dbatu', 536, 2], ['dbatl', 537, 2]];
for (const [n, first, stride] of SPR_GROUPS) {
  const at = (b: BaseValues) => (b.SPR! >= first && b.SPR! <= first + 3 * stride && (b.SPR! - first) % stride === 0 ? (b.SPR! - first) / stride : null);
  alias(`mf${n}`, 'mfspr', 'RT,N3', ([rt, k]) => ({ RT: rt!, SPR: first + k! * stride }), (b) => (at(b) === null ? null : [b.RT!, at(b)!]));
  alias(`mt${n}`, 'mtspr', 'N3,RS', ([k, rs]) => ({ RS: rs!, SPR: first + k! * stride }), (b) => (at(b) === null ? null : [at(b)!, b.RS!]));
}
// mfsprg0..mfsprg3 and mtsprg0..mtsprg3: accepted, printed as the numbered group (as objdump does).
for (let k = 0; k < 4; k++) {
  alias(`mfsprg${k}`, 'mfspr', 'RT', ([rt]) => ({ RT: rt!, SPR: 272 + k }), () => null, asmOnly);
  alias(`mtsprg${k}`, 'mtspr', 'RS', ([rs]) => ({ RS: rs!, SPR: 272 + k }), () => null, asmOnly);
}
alias('mtcr', 'mtcrf', 'RS', ([rs]) => ({ FXM: 0xff, RS: rs! }), (b) => (b.FXM === 0xff ? [b.RS!] : null));

// Synchronisation (Book II 4.6.3): sync L=0 is hwsync, 1 lwsync, 2 ptesync.
alias('hwsync', 'sync', '', () => ({ L2: 0 }), (b) => (b.L2 === 0 ? [] : null));
alias('lwsync', 'sync', '', () => ({ L2: 1 }), (b) => (b.L2 === 1 ? [] : null));
alias('ptesync', 'sync', '', () => ({ L2: 2 }), (b) => (b.L2 === 2 ? [] : null));
// Touch hints by name (Book II 4.3.2), as objdump prints them: TH 16 is dcbtt/dcbtstt, 0-7
// dcbtct/dcbtstct (TH shown when not 0), 8-15 dcbtds (TH shown when not 8); other TH values
// print as dcbt/dcbtst with TH.
for (const base of ['dcbt', 'dcbtst']) {
  alias(`${base}t`, base, 'RA0,RB', ([ra, rb]) => ({ RA0: ra!, RB: rb!, TH: 16 }), (b) => (b.TH === 16 ? [b.RA0!, b.RB!] : null));
  alias(`${base}ct`, base, 'RA0,RB,TH_CT?', ([ra, rb, th]) => ({ RA0: ra!, RB: rb!, TH: th! }), (b) => (b.TH! <= 7 ? [b.RA0!, b.RB!, b.TH!] : null));
  alias(`${base}ds`, base, 'RA0,RB,TH_DS?=8', ([ra, rb, th]) => ({ RA0: ra!, RB: rb!, TH: th! }), (b) => (b.TH! >= 8 && b.TH! <= 15 ? [b.RA0!, b.RB!, b.TH!] : null));
}
alias('dcbfl', 'dcbf', 'RA0,RB', ([ra, rb]) => ({ RA0: ra!, RB: rb!, L2: 1 }), (b) => (b.L2 === 1 ? [b.RA0!, b.RB!] : null));
alias('dcbflp', 'dcbf', 'RA0,RB', ([ra, rb]) => ({ RA0: ra!, RB: rb!, L2: 3 }), (b) => (b.L2 === 3 ? [b.RA0!, b.RB!] : null));

// ---- VMX and VSX (Book I C.x; binutils' names): GPR<->VSR moves by the overlaid register ----
for (const [base, fpr, vr] of [['mfvsrd', 'mffprd', 'mfvrd'], ['mfvsrwz', 'mffprwz', 'mfvrwz']] as const) {
  alias(fpr, base, 'RA,FR', ([ra, s]) => ({ RA: ra!, XS: s! }), (b) => (b.XS! < 32 ? [b.RA!, b.XS!] : null));
  alias(vr, base, 'RA,VR', ([ra, s]) => ({ RA: ra!, XS: s! + 32 }), (b) => (b.XS! >= 32 ? [b.RA!, b.XS! - 32] : null));
}
for (const [base, fpr, vr] of [['mtvsrd', 'mtfprd', 'mtvrd'], ['mtvsrwa', 'mtfprwa', 'mtvrwa'], ['mtvsrwz', 'mtfprwz', 'mtvrwz']] as const) {
  alias(fpr, base, 'FR,RA', ([t, ra]) => ({ XT: t!, RA: ra! }), (b) => (b.XT! < 32 ? [b.XT!, b.RA!] : null));
  alias(vr, base, 'VR,RA', ([t, ra]) => ({ XT: t! + 32, RA: ra! }), (b) => (b.XT! >= 32 ? [b.XT! - 32, b.RA!] : null));
}
// xxpermdi's doubleword selections (Book I 7.6.1.6 extended mnemonics).
alias('xxspltd', 'xxpermdi', 'XT,XA,N1', ([t, a, n]) => ({ XT: t!, XA: a!, XB: a!, DM: n ? 3 : 0 }), (b) => (b.XA === b.XB && (b.DM === 0 || b.DM === 3) ? [b.XT!, b.XA!, b.DM ? 1 : 0] : null));
alias('xxswapd', 'xxpermdi', 'XT,XA', ([t, a]) => ({ XT: t!, XA: a!, XB: a!, DM: 2 }), (b) => (b.XA === b.XB && b.DM === 2 ? [b.XT!, b.XA!] : null));
alias('xxmrghd', 'xxpermdi', 'XT,XA,XB', ([t, a, bb]) => ({ XT: t!, XA: a!, XB: bb!, DM: 0 }), (b) => (b.DM === 0 ? [b.XT!, b.XA!, b.XB!] : null));
alias('xxmrgld', 'xxpermdi', 'XT,XA,XB', ([t, a, bb]) => ({ XT: t!, XA: a!, XB: bb!, DM: 3 }), (b) => (b.DM === 3 ? [b.XT!, b.XA!, b.XB!] : null));
alias('xxmr', 'xxlor', 'XT,XA', ([t, a]) => ({ XT: t!, XA: a!, XB: a! }), (b) => (b.XA === b.XB ? [b.XT!, b.XA!] : null));
alias('xxlnot', 'xxlnor', 'XT,XA', ([t, a]) => ({ XT: t!, XA: a!, XB: a! }), (b) => (b.XA === b.XB ? [b.XT!, b.XA!] : null));
alias('xvmovdp', 'xvcpsgndp', 'XT,XA', ([t, a]) => ({ XT: t!, XA: a!, XB: a! }), (b) => (b.XA === b.XB ? [b.XT!, b.XA!] : null));
alias('xvmovsp', 'xvcpsgnsp', 'XT,XA', ([t, a]) => ({ XT: t!, XA: a!, XB: a! }), (b) => (b.XA === b.XB ? [b.XT!, b.XA!] : null));
alias('vmr', 'vor', 'VRT,VRA', ([t, a]) => ({ VRT: t!, VRA: a!, VRB: a! }), (b) => (b.VRA === b.VRB ? [b.VRT!, b.VRA!] : null));
alias('vnot', 'vnor', 'VRT,VRA', ([t, a]) => ({ VRT: t!, VRA: a!, VRB: a! }), (b) => (b.VRA === b.VRB ? [b.VRT!, b.VRA!] : null));

export const ALIASES: readonly AliasDef[] = list;

/** Aliases of each base mnemonic, in preference order. */
export const ALIASES_BY_BASE: ReadonlyMap<string, readonly AliasDef[]> = (() => {
  const m = new Map<string, AliasDef[]>();
  for (const a of list) {
    const l = m.get(a.base) ?? [];
    l.push(a);
    m.set(a.base, l);
  }
  return m;
})();
