// Operand fields of the Power ISA instruction formats (Power ISA v3.0B Book I, 1.6
// "Instruction Formats"). Bit numbers in comments are IBM numbering (bit 0 = MSB); `shift`
// is the distance of the field's least-significant bit from bit 31.
//
// Every operand the instruction table names is defined here once: how it is extracted from a
// word, how it is inserted into one, and how it is printed. Decode, encode and disassembly all
// go through these definitions.

export type OperandKind =
  | 'gpr' // rN
  | 'gpr0' // RA|0: register 0 reads as the value 0 and prints as "0"
  | 'simm' // signed immediate, printed in decimal
  | 'uimm' // unsigned immediate / plain number, printed in decimal
  | 'disp' // D or DS displacement: printed as disp(RA) together with the following base operand
  | 'rel' // branch displacement relative to the instruction (or absolute when AA=1)
  | 'crf' // CR field, printed as crN
  | 'crbit' // CR bit, printed as 4*crN+lt/gt/eq/so (objdump style)
  | 'spr' // SPR number (split field)
  | 'fpr' // fN: a floating-point register
  | 'vr' // vN: a vector register (VMX)
  | 'vsr'; // vsN: a vector-scalar register (VSX, 0-63)

export interface OperandDef {
  readonly name: string;
  readonly kind: OperandKind;
  /** Field bits as stored in the word, before any scaling. */
  readonly bits: number;
  /** Extracts the operand value (signed where the operand is signed, scaled where scaled). */
  extract(word: number): number;
  /** Returns the word bits for `value`; the caller checks range with `fits` first. */
  insert(value: number): number;
  /** Whether `value` is representable. */
  fits(value: number): boolean;
  /** Word bits the field occupies (used to build decode masks). */
  readonly mask: number;
}

function plain(name: string, kind: OperandKind, shift: number, bits: number): OperandDef {
  const m = bits === 32 ? 0xffffffff : (1 << bits) - 1;
  return {
    name,
    kind,
    bits,
    extract: (w) => (w >>> shift) & m,
    insert: (v) => ((v & m) << shift) >>> 0,
    fits: (v) => Number.isInteger(v) && v >= 0 && v <= m,
    mask: (m << shift) >>> 0,
  };
}

/** Signed field, optionally scaled by 4 (DS, BD, LI: the low two bits are implied zero). */
function signed(name: string, kind: OperandKind, shift: number, bits: number, scale = 1): OperandDef {
  const m = (1 << bits) - 1;
  const top = 32 - bits;
  const lo = -(2 ** (bits - 1)) * scale;
  const hi = (2 ** (bits - 1) - 1) * scale;
  return {
    name,
    kind,
    bits,
    extract: (w) => ((((w >>> shift) & m) << top) >> top) * scale,
    insert: (v) => (((v / scale) & m) << shift) >>> 0,
    fits: (v) => Number.isInteger(v) && v >= lo && v <= hi && v % scale === 0,
    mask: (m << shift) >>> 0,
  };
}

/** A field split in the word: the value's high part `hiBits` stored at hiShift, low at loShift. */
function split(
  name: string,
  kind: OperandKind,
  extract: (w: number) => number,
  insert: (v: number) => number,
  max: number,
  mask: number,
  bits: number,
): OperandDef {
  return {
    name,
    kind,
    bits,
    extract,
    insert,
    fits: (v) => Number.isInteger(v) && v >= 0 && v <= max,
    mask: mask >>> 0,
  };
}

/**
 * A VSX register number of six bits (Book I 7.1.1: XT = TX || T, ...): the low five bits in a
 * five-bit field at `shift`, the high bit alone at `xShift`.
 */
function vsx(name: string, shift: number, xShift: number): OperandDef {
  return split(
    name,
    'vsr',
    (w) => (((w >>> xShift) & 1) << 5) | ((w >>> shift) & 31),
    (v) => ((((v >> 5) & 1) << xShift) | ((v & 31) << shift)) >>> 0,
    63,
    (31 << shift) | (1 << xShift),
    6,
  );
}

export const OPERANDS: Readonly<Record<string, OperandDef>> = {
  RT: plain('RT', 'gpr', 21, 5), // bits 6-10
  RS: plain('RS', 'gpr', 21, 5), // bits 6-10
  RA: plain('RA', 'gpr', 16, 5), // bits 11-15
  RA0: plain('RA0', 'gpr0', 16, 5), // bits 11-15, (RA|0)
  RB: plain('RB', 'gpr', 11, 5), // bits 16-20
  RC: plain('RC', 'gpr', 6, 5), // bits 21-25 (VA form: maddld, maddhd, maddhdu)
  FRT: plain('FRT', 'fpr', 21, 5), // bits 6-10
  FRS: plain('FRS', 'fpr', 21, 5), // bits 6-10
  FRB: plain('FRB', 'fpr', 11, 5), // bits 16-20
  FRA: plain('FRA', 'fpr', 16, 5), // bits 11-15
  FRC: plain('FRC', 'fpr', 6, 5), // bits 21-25
  // VMX (Book I 6.1) and VSX (Book I 7.1) registers and fields.
  VRT: plain('VRT', 'vr', 21, 5), // bits 6-10
  VRS: plain('VRS', 'vr', 21, 5), // bits 6-10
  VRA: plain('VRA', 'vr', 16, 5), // bits 11-15
  VRB: plain('VRB', 'vr', 11, 5), // bits 16-20
  VRC: plain('VRC', 'vr', 6, 5), // bits 21-25
  XT: vsx('XT', 21, 0), // T bits 6-10, TX bit 31 (XX1-XX4 forms)
  XS: vsx('XS', 21, 0), // S bits 6-10, SX bit 31
  XA: vsx('XA', 16, 2), // A bits 11-15, AX bit 29
  XB: vsx('XB', 11, 1), // B bits 16-20, BX bit 30
  XC: vsx('XC', 6, 3), // C bits 21-25, CX bit 28 (XX4)
  XTQ: vsx('XT', 21, 3), // T bits 6-10, TX bit 28 (DQ form: lxv)
  XSQ: vsx('XS', 21, 3), // S bits 6-10, SX bit 28 (DQ form: stxv)
  DQ: signed('DQ', 'disp', 4, 12, 16), // bits 16-27, ||0b0000
  DM: plain('DM', 'uimm', 8, 2), // bits 22-23: xxpermdi doubleword selector
  SHW: plain('SHW', 'uimm', 8, 2), // bits 22-23: xxsldwi word shift
  UIM2: plain('UIM', 'uimm', 16, 2), // bits 14-15: xxspltw, vspltw element
  UIM3: plain('UIM', 'uimm', 16, 3), // bits 13-15: vsplth element
  UIM4: plain('UIM', 'uimm', 16, 4), // bits 12-15: vspltb element
  UIM5: plain('UIM', 'uimm', 16, 5), // bits 11-15: vcfux/vctsxs scale
  SIM: signed('SIM', 'simm', 16, 5), // bits 11-15: vspltis* immediate
  SHB: plain('SHB', 'uimm', 6, 4), // bits 22-25: vsldoi byte shift
  IMM8: plain('IMM8', 'uimm', 11, 8), // bits 13-20: xxspltib
  FLM: plain('FLM', 'uimm', 17, 8), // bits 7-14: mtfsf field mask
  L6: plain('L6', 'uimm', 25, 1), // bit 6: mtfsf L (the whole FPSCR)
  W15: plain('W15', 'uimm', 16, 1), // bit 15: mtfsf/mtfsfi W (field set 1: the high word)
  U: plain('U', 'uimm', 12, 4), // bits 16-19: mtfsfi immediate
  BFN: plain('BFN', 'uimm', 23, 3), // bits 6-8: an FPSCR field number (mtfsfi; objdump prints it bare)
  RM: plain('RM', 'uimm', 11, 2), // bits 19-20: mffscrni rounding mode
  BTF: plain('BTF', 'uimm', 21, 5), // bits 6-10: an FPSCR bit number (mtfsb0/mtfsb1)
  SI: signed('SI', 'simm', 0, 16), // bits 16-31
  // addis SI (bits 16-31): the assembler also accepts 0x8000-0xffff for it, as the high half of
  // a 32-bit value (as GNU as does for addis/lis); it decodes signed like SI.
  SIS: { ...signed('SI', 'simm', 0, 16), fits: (v) => Number.isInteger(v) && v >= -0x8000 && v <= 0xffff },
  UI: plain('UI', 'uimm', 0, 16), // bits 16-31
  D: signed('D', 'disp', 0, 16), // bits 16-31
  DS: signed('DS', 'disp', 2, 14, 4), // bits 16-29, ||0b00
  BD: signed('BD', 'rel', 2, 14, 4), // bits 16-29, ||0b00
  LI: signed('LI', 'rel', 2, 24, 4), // bits 6-29, ||0b00
  BO: plain('BO', 'uimm', 21, 5), // bits 6-10
  BI: plain('BI', 'crbit', 16, 5), // bits 11-15
  BH: plain('BH', 'uimm', 11, 2), // bits 19-20
  BF: plain('BF', 'crf', 23, 3), // bits 6-8
  BFA: plain('BFA', 'crf', 18, 3), // bits 11-13
  L10: plain('L10', 'uimm', 21, 1), // bit 10: compare length (cmp, cmpi, cmpl, cmpli)
  L15: plain('L15', 'uimm', 16, 1), // bit 15: mtmsrd L
  L2: plain('L2', 'uimm', 21, 2), // bits 9-10: sync L, dcbf L
  L14: plain('L14', 'uimm', 16, 2), // bits 14-15: darn L
  BT: plain('BT', 'crbit', 21, 5), // bits 6-10
  BA: plain('BA', 'crbit', 16, 5), // bits 11-15
  BB: plain('BB', 'crbit', 11, 5), // bits 16-20
  BC: plain('BC', 'crbit', 6, 5), // bits 21-25 (isel)
  SH: plain('SH', 'uimm', 11, 5), // bits 16-20
  MB: plain('MB', 'uimm', 6, 5), // bits 21-25
  ME: plain('ME', 'uimm', 1, 5), // bits 26-30
  // MD/XS forms: sh[0:4] in bits 16-20, sh[5] in bit 30.
  SH6: split(
    'SH6',
    'uimm',
    (w) => (((w >>> 1) & 1) << 5) | ((w >>> 11) & 31),
    (v) => ((((v >> 5) & 1) << 1) | ((v & 31) << 11)) >>> 0,
    63,
    (31 << 11) | (1 << 1),
    6,
  ),
  // MD/MDS forms: mb[0:4] in bits 21-25, mb[5] in bit 26 (so the 6-bit field is rotated).
  MB6: split(
    'MB6',
    'uimm',
    (w) => (((w >>> 5) & 1) << 5) | ((w >>> 6) & 31),
    (v) => ((((v >> 5) & 1) << 5) | ((v & 31) << 6)) >>> 0,
    63,
    63 << 5,
    6,
  ),
  // DX form (addpcis): D = d0 (bits 16-25) || d1 (bits 11-15) || d2 (bit 31), signed.
  DXD: {
    name: 'D',
    kind: 'simm',
    bits: 16,
    extract: (w) => (((((w >>> 6) & 0x3ff) << 6) | (((w >>> 16) & 31) << 1) | (w & 1)) << 16) >> 16,
    insert: (v) => ((((v >> 6) & 0x3ff) << 6) | (((v >> 1) & 31) << 16) | (v & 1)) >>> 0,
    fits: (v) => Number.isInteger(v) && v >= -0x8000 && v <= 0xffff, // GNU as also takes 0x8000-0xffff (as for addis)
    mask: ((0x3ff << 6) | (31 << 16) | 1) >>> 0,
  },
  // XFX: spr[5:9] in bits 11-15, spr[0:4] in bits 16-20.
  SPR: split(
    'SPR',
    'spr',
    (w) => (((w >>> 11) & 31) << 5) | ((w >>> 16) & 31),
    (v) => ((((v >> 5) & 31) << 11) | ((v & 31) << 16)) >>> 0,
    1023,
    1023 << 11,
    10,
  ),
  FXM: plain('FXM', 'uimm', 12, 8), // bits 12-19
  TO: plain('TO', 'uimm', 21, 5), // bits 6-10
  LEV: plain('LEV', 'uimm', 5, 7), // bits 20-26
  TH: plain('TH', 'uimm', 21, 5), // bits 6-10 (dcbt/dcbtst, server form)
  IH: plain('IH', 'uimm', 21, 3), // bits 8-10 (slbia)
  RIC: plain('RIC', 'uimm', 18, 2), // bits 12-13 (tlbie, tlbiel; ISA 3.0)
  PRS: plain('PRS', 'uimm', 17, 1), // bit 14
  R: plain('R', 'uimm', 16, 1), // bit 15
  EH: plain('EH', 'uimm', 0, 1), // bit 31 (lwarx/ldarx hint)
};

/** Flag bits that select a variant of the mnemonic rather than an operand. */
export const FLAG_BITS = {
  rc: 1, // bit 31: record CR0 ("." suffix)
  lk: 1, // bit 31: link ("l" suffix)
  aa: 2, // bit 30: absolute address ("a" suffix)
  oe: 1 << 10, // bit 21: record overflow ("o" suffix)
} as const;

export function operand(name: string): OperandDef {
  const d = OPERANDS[name];
  if (!d) throw new Error(`internal: unknown operand field ${name}`);
  return d;
}
