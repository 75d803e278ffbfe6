// Words outside the subset, described for the illegal-instruction message: the class of the
// primary opcode (Power ISA v3.0B Book I, appendix "Opcode Maps"), and for primary 31 the name
// of the VMX/VSX storage accesses and moves gcc and glibc emit most (lxvd2x from a struct copy
// at -mcpu=power8, for one). These are not instructions of the table: nothing decodes,
// encodes or runs them; the names are checked against objdump (test/oracle/outside.test.ts).

/** Primary opcodes whose whole space is one facility this subset lacks. */
const PRIMARY_CLASS: Readonly<Record<number, string>> = {
  4: 'a VMX (vector) instruction',
  56: 'lq (load quadword)',
  57: 'a floating-point/VSX paired or scalar load (lfdp, lxsd, lxssp)',
  59: 'a floating-point single or decimal floating-point instruction',
  60: 'a VSX instruction',
  61: 'a floating-point/VSX paired or vector storage access (stfdp, stxsd, stxssp, lxv, stxv)',
  63: 'a floating-point instruction',
};

/** Primary 31 extended opcodes (bits 21-30) of VMX/VSX accesses and GPR<->VSR moves. */
const X31_NAMES: Readonly<Record<number, [string, string]>> = {
  6: ['lvsl', 'VMX'], 38: ['lvsr', 'VMX'], 71: ['lvewx', 'VMX load'], 103: ['lvx', 'VMX load'],
  199: ['stvewx', 'VMX store'], 231: ['stvx', 'VMX store'],
  12: ['lxsiwzx', 'VSX load'], 76: ['lxsiwax', 'VSX load'], 140: ['stxsiwx', 'VSX store'],
  268: ['lxvx', 'VSX load'], 332: ['lxvdsx', 'VSX load'], 364: ['lxvwsx', 'VSX load'], 396: ['stxvx', 'VSX store'],
  524: ['lxsspx', 'VSX load'], 588: ['lxsdx', 'VSX load'], 652: ['stxsspx', 'VSX store'], 716: ['stxsdx', 'VSX store'],
  780: ['lxvw4x', 'VSX load'], 844: ['lxvd2x', 'VSX load'], 908: ['stxvw4x', 'VSX store'], 972: ['stxvd2x', 'VSX store'],
  51: ['mffprd', 'VSX move'], 115: ['mffprwz', 'VSX move'], 179: ['mtfprd', 'VSX move'], 243: ['mtfprwz', 'VSX move'],
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
