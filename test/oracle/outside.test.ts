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
      expect(describeOutside(w), name).toMatch(new RegExp(`^${name}, a (VMX|VSX)`));
    }
    expect(describeOutside(0xfc00002a)).toBe('a floating-point instruction: not in the subset'); // fadd
    expect(describeOutside(0x7c00031c)).toBeNull(); // no name known
  });
  it.skipIf(skipReason !== null)('carry objdump -Mpower9 names', () => {
    warnSkip('outside');
    const words = namedOutsideWords();
    const lines = objdumpWords(words.map(([w]) => w), false);
    expect(lines.map((l) => l.text.split(/\s+/)[0])).toEqual(words.map(([, n]) => n));
  });
});
