// Words outside the subset, described for the illegal-instruction message: objdump's mnemonic
// where binutils knows the word (outside-names.ts, generated from objdump -Mpower9 for the
// primary opcodes 4, 31, 59, 60 and 63), and the class of the primary opcode (Power ISA v3.0B
// Book I, appendix "Opcode Maps"). These are not instructions of the table: nothing decodes,
// encodes or runs them; test/oracle/outside.test.ts checks the names against objdump again.

import { OUTSIDE_LONG, OUTSIDE_SHORT } from './outside-names.js';

/** The class of the words of a primary opcode that the table does not decode. */
const PRIMARY_CLASS: Readonly<Record<number, string>> = {
  4: 'a VMX (vector) instruction',
  56: 'lq (load quadword)',
  57: 'lfdp (load floating-point double pair)',
  59: 'a floating-point single or decimal floating-point instruction',
  60: 'a VSX instruction',
  61: 'stfdp (store floating-point double pair)',
  63: 'a floating-point instruction',
};

const key = (primary: number, bits: number): number => primary * 2048 + bits;
/** objdump's names for the words the table lacks (outside-names.ts), by primary opcode and low bits. */
const LONG = new Map(OUTSIDE_LONG.map(([p, b, n]) => [key(p, b), n]));
const SHORT = new Map(OUTSIDE_SHORT.map(([p, b, n]) => [key(p, b), n]));

/** The names this module knows, as (word with all operand fields 0, name): for the oracle test. */
export function namedOutsideWords(): Array<[number, string]> {
  return [...OUTSIDE_LONG, ...OUTSIDE_SHORT].map(([p, b, n]) => [((p << 26) | b) >>> 0, n]);
}

/** What an undecodable word is, for the illegal-instruction message; null when nothing is known. */
export function describeOutside(word: number): string | null {
  const primary = word >>> 26;
  const name = LONG.get(key(primary, word & 0x7ff)) ?? SHORT.get(key(primary, word & 0x3f));
  const cls = PRIMARY_CLASS[primary];
  if (name) return `${name}${cls ? `, ${cls}` : ''}: not in the subset`;
  if (cls) return `${cls}: not in the subset`;
  if (word === 0) return 'a zero word (execution ran into data or unwritten storage?)';
  return null;
}
