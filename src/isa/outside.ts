// Words outside the subset, described for the illegal-instruction message: the class of the
// primary opcode (Power ISA v3.0B Book I, appendix "Opcode Maps"), and for primary 31 the name
// of the VMX/VSX storage accesses the table lacks (the ones gcc and glibc emit most are in
// it). These are not instructions of the table: nothing decodes, encodes or runs them; the names are checked against objdump (test/oracle/outside.test.ts).

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

/** Primary 31 extended opcodes (bits 21-30) of the VMX/VSX accesses the table does not have yet. */
const X31_NAMES: Readonly<Record<number, [string, string]>> = {
  781: ['lxsibzx', 'VSX load'], 813: ['lxsihzx', 'VSX load'], 909: ['stxsibx', 'VSX store'], 941: ['stxsihx', 'VSX store'],
};

/** The names this module knows, as (word with all operand fields 0, name): for the oracle test. */
export function namedOutsideWords(): Array<[number, string]> {
  return Object.entries(X31_NAMES).map(([xo, [name]]) => [((31 << 26) | (Number(xo) << 1)) >>> 0, name]);
}

/** What an undecodable word is, for the illegal-instruction message; null when nothing is known. */
export function describeOutside(word: number): string | null {
  const primary = word >>> 26;
  if (primary === 31) {
    const named = X31_NAMES[(word >>> 1) & 0x3ff];
    return named ? `${named[0]}, a ${named[1]}: not in the subset` : null;
  }
  const cls = PRIMARY_CLASS[primary];
  if (cls) return `${cls}: not in the subset`;
  if (word === 0) return 'a zero word (execution ran into data or unwritten storage?)';
  return null;
}
