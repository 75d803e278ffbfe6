// Decoding derived from the instruction table: for each primary opcode, the bits that every
// entry with that opcode fixes form a key; the few entries that share a key are tried in turn.

import { INSNS, type InsnDef } from './table.js';

interface PrimaryGroup {
  keyMask: number;
  byKey: Map<number, InsnDef[]>;
}

function buildGroups(): (PrimaryGroup | null)[] {
  const groups: (PrimaryGroup | null)[] = new Array(64).fill(null);
  for (let p = 0; p < 64; p++) {
    const defs = INSNS.filter((d) => d.primary === p);
    if (defs.length === 0) continue;
    let keyMask = 0x03ffffff;
    for (const d of defs) keyMask &= d.mask;
    const byKey = new Map<number, InsnDef[]>();
    for (const d of defs) {
      const k = (d.match & keyMask) >>> 0;
      const list = byKey.get(k) ?? [];
      list.push(d);
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
  for (const d of list) if (((word & d.mask) >>> 0) === d.match) return d;
  return null;
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
