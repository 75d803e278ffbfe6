// What the assembler rejects beyond operand ranges, and the one rewrite GNU as applies, so that
// what we accept and emit matches GNU as (-mpower9) byte for byte: the invalid forms of
// decode.ts (ISA rules GNU as enforces, with its messages), plus lmw/stmw in little-endian.

import { flagValues, invalidForm, operandValues } from '../decode.js';
import { encodeBase, insnByName } from '../encode.js';
import type { InsnDef } from '../table.js';

/** Why `word` (an encoding of `def`) must not be assembled, or null. */
export function rejectReason(def: InsnDef, word: number, littleEndian: boolean): string | null {
  // Book I 3.3.6: lmw and stmw in Little-Endian mode cause an Alignment interrupt.
  if (littleEndian && (def.name === 'lmw' || def.name === 'stmw')) return `'${def.name}' is invalid when little-endian`;
  return invalidForm(def, word);
}

/**
 * GNU as, for POWER4 and later targets, assembles mtcrf with a one-bit mask as mtocrf (Book I
 * 3.3.17: same effect, and mtocrf is the faster form). Returns the entry and word to emit.
 */
export function gasRewrite(def: InsnDef, word: number): { def: InsnDef; word: number } {
  if (def.name === 'mtcrf') {
    const vals = operandValues(def, word);
    const fxm = vals[def.operands.findIndex((o) => o.def.name === 'FXM')]!;
    if (fxm !== 0 && (fxm & (fxm - 1)) === 0) {
      const to = insnByName('mtocrf');
      return { def: to, word: encodeBase(to, vals, flagValues(def, word)) };
    }
  }
  return { def, word };
}
