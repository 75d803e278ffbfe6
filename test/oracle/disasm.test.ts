// Disassembly oracle: our `disassemble` against `objdump -d -Mpower9` on the words of the
// encoding suite's generated lines plus a seeded random sample of every table entry's
// encodings (free operand bits random), big- and little-endian. Then a round-trip property
// that needs no tools: assembling what we print gives the word back.
//
// Normalisation applied before comparing (everything else must match exactly):
// 1. Whitespace runs collapse to one space (objdump pads the mnemonic column with spaces).
// 2. A branch target is compared as objdump prints it in an object without symbols
//    (`0x` + hex); any ` <symbol+off>` annotation would be dropped.

import { describe, expect, it } from 'vitest';
import { assemble, AsmError } from '../../src/isa/asm/index.js';
import { decode, invalidForm } from '../../src/isa/decode.js';
import { disassemble } from '../../src/isa/disasm.js';
import { INSNS } from '../../src/isa/table.js';
import { generateLines, objdumpWords, skipReason, tools, warnSkip, wordsOf } from './binutils.js';

/** xorshift32: a small deterministic PRNG so failures reproduce. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

/** Words of the generated lines (as our assembler encodes them; the encoding suite checks those). */
function generatedWords(): number[] {
  const out: number[] = [];
  for (const l of generateLines()) {
    try {
      out.push(wordsOf(assemble(l.text + '\n', { fileName: 'gen.s', format: 'bin' }).sections[0]!.bytes, false)[0]!);
    } catch (e) {
      if (!(e instanceof AsmError)) throw e;
    }
  }
  return out;
}

/** `perEntry` random encodings of every table entry: its fixed bits, the other bits random. */
function randomWords(perEntry: number, seed: number): number[] {
  const rnd = prng(seed);
  const out: number[] = [];
  for (const d of INSNS) {
    for (let k = 0; k < perEntry; k++) {
      const w = (d.match | (rnd() & ~d.mask)) >>> 0;
      if (decode(w)) out.push(w);
    }
  }
  return out;
}

function normalise(text: string): string {
  let t = text.replace(/\s+/g, ' ').trim();
  return t.replace(/ <[^>]*>$/, '');
}

describe('disassembly', () => {
  warnSkip('disasm');
  const reason = skipReason ? ` (skipped: ${skipReason})` : '';

  for (const le of [false, true]) {
    it.skipIf(!tools)(`prints what objdump -d -Mpower9 prints (${le ? 'LE' : 'BE'})${reason}`, () => {
      const words = [...generatedWords(), ...randomWords(120, le ? 0xdecade : 0xc0ffee)];
      const od = objdumpWords(words, le);
      expect(od.length).toBe(words.length);
      const problems: string[] = [];
      od.forEach((o, i) => {
        expect(o.word).toBe(words[i]);
        const ours = normalise(disassemble(words[i]!, BigInt(o.address)).text);
        const theirs = normalise(o.text);
        if (ours !== theirs) problems.push(`${words[i]!.toString(16).padStart(8, '0')} @${o.address.toString(16)}: ours '${ours}', objdump '${theirs}'`);
      });
      expect(problems, `${problems.length} of ${words.length} differ:\n${problems.slice(0, 200).join('\n')}`).toEqual([]);
    });
  }

  it.skipIf(!tools)(`with a reserved field set: the strict (objdump listing) form prints what objdump prints${reason}`, () => {
    // Every entry with reserved bits, canonical operands, with each reserved bit alone and with
    // all of them: objdump still names the instruction for the bits InsnDef.laxReserved lists
    // and prints .long otherwise (or names an instruction outside the subset: mffsce, dcbzl).
    const words: number[] = [];
    for (const d of INSNS) {
      if (!d.reserved) continue;
      words.push((d.match | d.reserved) >>> 0);
      for (let b = 0; b < 32; b++) if (d.reserved & (1 << b)) words.push((d.match | (1 << b)) >>> 0);
    }
    expect(words.length).toBeGreaterThan(700);
    const od = objdumpWords(words, false);
    const problems = od.flatMap((o, i) => {
      const ours = normalise(disassemble(words[i]!, BigInt(o.address), undefined, true).text);
      const theirs = normalise(o.text);
      if (ours === theirs) return [];
      // objdump names another instruction, outside the subset, for these bits.
      if (ours.startsWith('.long') && /^(dcbzl|mffsce|slbmfe[ev] r0,r0,1)/.test(theirs)) return [];
      return [`${words[i]!.toString(16)}: ours '${ours}', objdump '${theirs}'`];
    });
    expect(problems).toEqual([]);
  });

  // Round trip: every word the decoder accepts, disassembled at address 0 and assembled there,
  // gives the word back. Documented exceptions, each checked rather than skipped:
  // - mtcrf with a one-bit mask assembles as mtocrf (GNU as does the same);
  // - a conditional branch with a reserved BO (z bit set, or "at" = 0b01) prints as the
  //   nearest simplified mnemonic, which assembles to the valid encoding; that encoding must
  //   print the same text again;
  // - bcctr with a BO that decrements CTR is an invalid form that objdump prints normally but
  //   GNU as, and so our assembler, rejects ("invalid counter access");
  // - a word with a reserved field set decodes as its instruction (Book I 1.3.3), and the
  //   assembler writes that field as 0: the word comes back with exactly those bits clear.
  it('assembling the disassembly gives the word back', () => {
    // Per-entry samples, plus whatever the decoder accepts among uniformly random words.
    const words = randomWords(150, 0x5eed);
    const rnd = prng(0xabcdef);
    for (let k = 0; k < 300_000; k++) {
      const w = rnd();
      if (decode(w)) words.push(w);
    }
    expect(words.length).toBeGreaterThan(20000);
    const problems: string[] = [];
    for (const w of words) {
      const text = disassemble(w, 0n).text;
      let got: number;
      try {
        got = wordsOf(assemble(text + '\n', { fileName: 'rt.s', format: 'bin' }).sections[0]!.bytes, false)[0]!;
      } catch (e) {
        if (e instanceof AsmError && e.reason === 'invalid counter access' && invalidForm(decode(w)!, w) === e.reason) continue;
        problems.push(`${w.toString(16)} '${text}': ${(e as Error).message}`);
        continue;
      }
      if (got === w) continue;
      const def = decode(w)!;
      if (got === (w & ~def.reserved) >>> 0 && (w & def.reserved) !== 0) continue;
      const gotDef = decode(got);
      const isMtcrfRewrite = def.name === 'mtcrf' && gotDef?.name === 'mtocrf' && ((got ^ w) >>> 0) === 1 << 20;
      const isReservedBO = invalidForm(def, w) !== null && disassemble(got, 0n).text === text;
      if (!isMtcrfRewrite && !isReservedBO) problems.push(`${w.toString(16)} '${text}' -> ${got.toString(16)}`);
    }
    expect(problems, `${problems.length} words do not round-trip:\n${problems.slice(0, 100).join('\n')}`).toEqual([]);
  });
});
