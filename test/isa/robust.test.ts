// One million random 32-bit words go through decode and disassemble without throwing, and
// every result is well formed: a table entry's mnemonic (or an alias of it), or `.long`.

import { describe, expect, it } from 'vitest';
import { decode } from '../../src/isa/decode.js';
import { disassemble } from '../../src/isa/disasm.js';

describe('robustness', () => {
  it('decodes and disassembles 1,000,000 random words without throwing', () => {
    let x = 0x9e3779b9;
    let decoded = 0;
    let data = 0;
    for (let i = 0; i < 1_000_000; i++) {
      // xorshift32
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      const w = x >>> 0;
      const def = decode(w);
      const d = disassemble(w, BigInt(i * 4));
      if (def) decoded++;
      if (d.mnemonic === '.long') {
        data++;
        if (d.operands !== '0x' + w.toString(16)) throw new Error(`bad data line for ${w.toString(16)}: ${d.text}`);
      } else if (!def || d.text.length === 0) throw new Error(`word ${w.toString(16)} printed as '${d.text}' but does not decode`);
    }
    // Sanity: the sample exercises both outcomes.
    expect(decoded).toBeGreaterThan(10_000);
    expect(data).toBeGreaterThan(100_000);
  }, 30_000);
});
