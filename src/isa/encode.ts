// Encoding derived from the instruction table and the alias table, and the mnemonic lookup
// the assembler uses: every spelling (base or alias, with its o/./l/a variants and branch
// hints) maps to one entry.

import { ALIASES, type AliasDef, type AliasOperand } from './aliases.js';
import type { FlagValues } from './decode.js';
import { FLAG_BITS } from './fields.js';
import { INSNS, variantName, type InsnDef, type InsnOperand } from './table.js';

export class EncodeError extends Error {
  constructor(
    message: string,
    /** Index of the offending operand in the written (alias or base) order, or -1. */
    readonly operandIndex: number,
  ) {
    super(message);
  }
}

export interface Mnemonic {
  readonly text: string;
  readonly def: InsnDef;
  readonly alias: AliasDef | null;
  readonly flags: FlagValues;
  /** The operands as written for this spelling. */
  readonly operands: readonly (InsnOperand | AliasOperand)[];
}

const BY_NAME: Map<string, InsnDef> = new Map(INSNS.map((d) => [d.name, d]));

export function insnByName(name: string): InsnDef {
  const d = BY_NAME.get(name);
  if (!d) throw new Error(`internal: no instruction ${name}`);
  return d;
}

function* flagCombos(def: InsnDef): Generator<FlagValues> {
  for (const oe of def.flags.oe ? [false, true] : [false])
    for (const rc of def.flags.rc ? [false, true] : [false])
      for (const lk of def.flags.lk ? [false, true] : [false])
        for (const aa of def.flags.aa ? [false, true] : [false]) yield { oe, rc, lk, aa };
}

function buildMnemonics(): Map<string, Mnemonic> {
  const m = new Map<string, Mnemonic>();
  const put = (mn: Mnemonic) => {
    if (m.has(mn.text)) throw new Error(`internal: mnemonic ${mn.text} defined twice`);
    m.set(mn.text, mn);
  };
  for (const def of INSNS) {
    for (const f of flagCombos(def)) {
      put({ text: variantName(def.name, f.oe, f.rc, f.lk, f.aa), def, alias: null, flags: f, operands: def.operands });
    }
  }
  for (const a of ALIASES) {
    const def = insnByName(a.base);
    for (const f of flagCombos(def)) {
      const text = variantName(a.name, f.oe, f.rc, f.lk, f.aa) + a.hint;
      put({ text, def, alias: a, flags: f, operands: a.operands });
    }
  }
  return m;
}

export const MNEMONICS: ReadonlyMap<string, Mnemonic> = buildMnemonics();

export function lookupMnemonic(text: string): Mnemonic | undefined {
  return MNEMONICS.get(text.toLowerCase());
}

/**
 * Which written operands are present when `given` of them are written: trailing optional
 * operands are dropped first, then leading ones (cmpwi r3,5 drops its CR field; tlbiel r4 its
 * trailing RS,RIC,PRS,R). Returns null when `given` cannot match.
 */
export function presentOperands(ops: readonly { optional: boolean }[], given: number): boolean[] | null {
  const present = ops.map(() => true);
  let drop = ops.length - given;
  if (drop < 0) return null;
  for (let i = ops.length - 1; i >= 0 && drop > 0 && ops[i]!.optional; i--, drop--) present[i] = false;
  for (let i = 0; i < ops.length && drop > 0 && ops[i]!.optional; i++, drop--) present[i] = false;
  return drop === 0 ? present : null;
}

/** Encodes a base instruction from its operand values (base order) and flag variant. */
export function encodeBase(def: InsnDef, values: readonly number[], flags: FlagValues): number {
  let w = def.match;
  def.operands.forEach((o, i) => {
    const v = values[i] ?? 0;
    if (!o.def.fits(v)) throw new EncodeError(rangeMessage(o.def.name, v, o.def), i);
    w |= o.def.insert(v);
  });
  if (flags.oe) w |= FLAG_BITS.oe;
  if (flags.rc) w |= FLAG_BITS.rc;
  if (flags.lk) w |= FLAG_BITS.lk;
  if (flags.aa) w |= FLAG_BITS.aa;
  return w >>> 0;
}

function rangeMessage(name: string, v: number, def: { kind: string; fits(v: number): boolean }): string {
  if (def.kind === 'rel' && v % 4 !== 0) return `branch target is not a multiple of 4 (displacement ${v})`;
  if (def.kind === 'rel') return `branch target out of range (displacement ${v})`;
  return `operand ${name} out of range: ${v}`;
}

/** Encodes a spelling with the operand values as written (omitted optional operands = 0). */
export function encode(mn: Mnemonic, written: readonly number[]): number {
  if (!mn.alias) return encodeBase(mn.def, written, mn.flags);
  mn.alias.operands.forEach((o, i) => {
    const v = written[i] ?? 0;
    if (!o.def.fits(v)) throw new EncodeError(rangeMessage(o.def.name, v, o.def), i);
  });
  const rec = mn.alias.toBase(written);
  const base = mn.def.operands.map((o) => rec[o.def.name] ?? 0);
  try {
    return encodeBase(mn.def, base, mn.flags);
  } catch (e) {
    if (e instanceof EncodeError) throw new EncodeError(e.message, -1);
    throw e;
  }
}
