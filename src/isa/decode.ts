// Decoding derived from the instruction table: for each primary opcode, the bits that every
// entry with that opcode fixes form a key; the few entries that share a key are tried in turn.
// Reserved fields are not looked at (Power ISA v3.0B Book I 1.3.3: "Reserved fields in
// instructions are ignored by the processor"), so `cmpdi` with bit 9 set is `cmpdi`, as
// POWER8 hardware and QEMU's decodetree decoder run it.

import { INSNS, type InsnDef } from './table.js';

interface Candidate {
  readonly def: InsnDef;
  /** decodeMask(def) and the match bits under it. */
  readonly mask: number;
  readonly match: number;
}

interface PrimaryGroup {
  keyMask: number;
  byKey: Map<number, Candidate[]>;
}

function buildGroups(): (PrimaryGroup | null)[] {
  const groups: (PrimaryGroup | null)[] = new Array(64).fill(null);
  for (let p = 0; p < 64; p++) {
    const defs = INSNS.filter((d) => d.primary === p);
    if (defs.length === 0) continue;
    let keyMask = 0x03ffffff;
    for (const d of defs) keyMask &= decodeMask(d);
    const byKey = new Map<number, Candidate[]>();
    for (const d of defs) {
      const k = (d.match & keyMask) >>> 0;
      const list = byKey.get(k) ?? [];
      const mask = decodeMask(d);
      list.push({ def: d, mask, match: (d.match & mask) >>> 0 });
      byKey.set(k, list);
    }
    // Most specific first, so an entry with extra fixed bits wins over a looser one.
    for (const list of byKey.values()) list.sort((a, b) => popcount(b.mask) - popcount(a.mask));
    groups[p] = { keyMask: keyMask >>> 0, byKey };
  }
  return groups;
}

function popcount(x: number): number {
  let n = 0;
  for (let v = x >>> 0; v; v &= v - 1) n++;
  return n;
}

const GROUPS = buildGroups();

/** The table entry for a 32-bit instruction word, or null when it is not in the subset. */
export function decode(word: number): InsnDef | null {
  const g = GROUPS[word >>> 26];
  if (!g) return null;
  const list = g.byKey.get((word & g.keyMask) >>> 0);
  if (!list) return null;
  for (const c of list) if (((word & c.mask) >>> 0) === c.match) return c.def;
  return null;
}

/** The bits decoding compares: the encoding's bits without its reserved fields. */
export function decodeMask(d: InsnDef): number {
  return (d.mask & ~d.reserved) >>> 0;
}

/** Operand values of `word` in the entry's assembler order. */
export function operandValues(def: InsnDef, word: number): number[] {
  return def.operands.map((o) => o.def.extract(word));
}

export interface FlagValues {
  oe: boolean;
  rc: boolean;
  lk: boolean;
  aa: boolean;
}

/** Which flag variant of its entry `word` is (add vs addo., b vs bla ...). */
export function flagValues(def: InsnDef, word: number): FlagValues {
  return {
    oe: def.flags.oe && (word & (1 << 10)) !== 0,
    rc: def.flags.rc && (word & 1) !== 0,
    lk: def.flags.lk && (word & 1) !== 0,
    aa: def.flags.aa && (word & 2) !== 0,
  };
}

// ---- Invalid forms ----

/**
 * Whether BO is one of the encodings of Book I 2.4 "BO field": 0000z 0001z 001at 0100z 0101z
 * 011at 1a00t 1a01t 1z1zz, with every z bit 0 and the "at" hint not 0b01 (reserved).
 */
export function validBO(bo: number): boolean {
  if ((bo & 0b10100) === 0b10100) return bo === 0b10100; // 1z1zz
  if (bo & 0b10000) return (bo & 0b01001) !== 0b00001 && (bo & 0b00100) === 0; // 1a00t, 1a01t
  if (bo & 0b00100) return (bo & 0b00011) !== 0b00001; // 001at, 011at
  return (bo & 1) === 0; // 0000z 0001z 0100z 0101z
}

function valuesByName(def: InsnDef, word: number): Record<string, number> {
  const vals = operandValues(def, word);
  const r: Record<string, number> = {};
  def.operands.forEach((o, i) => (r[o.def.name] = vals[i]!));
  return r;
}

/**
 * Why `word`, an encoding of `def`, is an invalid instruction form (the ISA's term: the
 * encoding is defined but the operand combination is not), or null. GNU as rejects these and
 * objdump prints them as data; the messages are GNU as's.
 */
export function invalidForm(def: InsnDef, word: number): string | null {
  const v = valuesByName(def, word);
  if (def.name === 'bc' || def.name === 'bclr' || def.name === 'bcctr') {
    if (!validBO(v.BO!)) return 'invalid conditional option';
    // Book I 2.4.1 bcctr: "If BO2=0, the instruction form is invalid" (it would decrement CTR).
    if (def.name === 'bcctr' && (v.BO! & 0b00100) === 0) return 'invalid counter access';
  }
  // Book I 3.3.2: a load with update with RA=0 or RA=RT, a store with update with RA=0;
  // Book I 4.6.2/4.6.3: a floating-point one with RA=0 (its target is an FPR, not RT).
  const storage = def.facility === 'loadstore' || def.facility === 'float';
  if (storage && def.operands.some((o) => o.def.name === 'RA' && o.def.kind === 'gpr')) {
    if (v.RA === 0 || (v.RT !== undefined && v.RA === v.RT)) return 'invalid register operand when updating';
  }
  // Book I 3.3.6 lmw: RA in the range of registers loaded (RT..31, so RA=0 when RT=0).
  if (def.name === 'lmw' && v.RA0! >= v.RT!) return 'index register in load range';
  // Book I 3.3.17 mtocrf/mfocrf: exactly one bit of FXM must be set.
  if ((def.name === 'mtocrf' || def.name === 'mfocrf') && (v.FXM === 0 || (v.FXM! & (v.FXM! - 1)) !== 0)) return 'invalid mask field';
  // Book II 4.6.3 sync: L=3 is reserved; Book II 4.3.2 dcbf: L=2 is reserved.
  if (def.name === 'sync' && v.L2 === 3) return 'illegal L operand value';
  if (def.name === 'dcbf' && v.L2 === 2) return 'illegal L operand value';
  return null;
}
