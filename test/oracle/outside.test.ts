// The names the illegal-instruction message gives words outside the subset (src/isa/outside.ts)
// are objdump's names for those words; and none of them is a word the table decodes.

import { describe, expect, it } from 'vitest';
import { decode } from '../../src/isa/decode.js';
import { describeOutside, namedOutsideWords } from '../../src/isa/outside.js';
import { objdumpWords, skipReason, warnSkip } from './binutils.js';

describe('words outside the subset', () => {
  it('are not decoded by the table, and are described', () => {
    for (const [w, name] of namedOutsideWords()) {
      expect(decode(w), name).toBeNull();
      expect(describeOutside(w)!.startsWith(`${name}`), name).toBe(true);
    }
    expect(describeOutside(0x7c00031c)).toBeNull(); // no name known
    // Operand fields do not change the name: dadd f1,f2,f3 and vcipher v1,v2,v3.
    expect(describeOutside(0xec221804)).toBe('dadd, a floating-point single or decimal floating-point instruction: not in the subset');
    expect(describeOutside(0x10221d08)).toBe('vcipher, a VMX (vector) instruction: not in the subset');
    expect(describeOutside(0x7c641868)).toBe('lbarx: not in the subset'); // lbarx r3,r4,r3: primary 31 has no one class
  });
  it.skipIf(skipReason !== null)('carry objdump -Mpower9 names', () => {
    warnSkip('outside');
    const words = namedOutsideWords();
    const lines = objdumpWords(words.map(([w]) => w), false);
    expect(lines.map((l) => l.text.split(/\s+/)[0])).toEqual(words.map(([, n]) => n));
  });
});
