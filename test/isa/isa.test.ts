// The instruction table and what derives from it: decode/encode round trips for every entry and
// flag variant, every spelling encodes, and objdump-style disassembly of hand-checked words.

import { describe, expect, it } from 'vitest';
import { ALIASES } from '../../src/isa/aliases.js';
import { decode, decodeMask, flagValues, invalidForm, operandValues, validBO } from '../../src/isa/decode.js';
import { disassemble } from '../../src/isa/disasm.js';
import { encode, encodeBase, lookupMnemonic, MNEMONICS, presentOperands } from '../../src/isa/encode.js';
import type { OperandDef } from '../../src/isa/fields.js';
import { INSNS } from '../../src/isa/table.js';

function prng(seed: number): () => number {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x;
  };
}

/** A random value that fits the operand (by extracting it from random field bits). */
function randomValue(def: OperandDef, rnd: () => number): number {
  if (def.mask === 0) {
    for (;;) {
      const v = (rnd() % 200) - 100;
      if (def.fits(v)) return v;
    }
  }
  return def.extract(rnd() & def.mask);
}

describe('instruction table', () => {
  it('decodes every entry from its own match bits', () => {
    for (const d of INSNS) expect(decode(d.match)?.name, d.name).toBe(d.name);
  });

  it('has no two entries that accept the same word', () => {
    const rnd = prng(1);
    for (const d of INSNS) {
      for (let k = 0; k < 200; k++) {
        const w = (d.match | (rnd() & ~d.mask)) >>> 0;
        const others = INSNS.filter((e) => e !== d && ((w & e.mask) >>> 0) === e.match);
        // A looser entry may overlap only where a more specific one has extra fixed bits.
        for (const e of others) expect(e.mask !== d.mask, `${d.name} and ${e.name} both match ${w.toString(16)}`).toBe(true);
      }
    }
  });

  it('ignores reserved fields when decoding (Book I 1.3.3), and only those', () => {
    const rnd = prng(9);
    for (const d of INSNS) {
      for (let k = 0; k < 200; k++) {
        const w = (d.match | (rnd() & ~decodeMask(d))) >>> 0;
        const got = decode(w)!;
        // Another entry may take the word only where it fixes more bits (mfocrf over mfcr...).
        if (got !== d) expect((decodeMask(got) & decodeMask(d)) >>> 0, `${d.name} ${w.toString(16)} -> ${got.name}`).toBe(decodeMask(d));
        expect(operandValues(got, w), d.name).toEqual(operandValues(got, (w & ~got.reserved) >>> 0));
      }
    }
    // Hand-checked words: reserved bit 9 of cmpi (objdump: cmpdi cr1,r21,26620), bit 31 of
    // isel, the reserved fields of sc; a defined field stays decisive (bit 11 of mfcr/mfocrf).
    expect(disassemble(0x2cf567fc, 0n).text).toBe('cmpdi   cr1,r21,26620');
    expect(decode(0x7c22181f)?.name).toBe('isel');
    expect(decode(0x44fff003)?.name).toBe('sc');
    expect(decode(0x7c000027)?.name).toBe('mfcr');
    expect(decode(0x7c100026 | 0x00000001)?.name).toBe('mfocrf');
    const sc = INSNS.find((d) => d.name === 'sc')!;
    expect(sc.reserved >>> 0).toBe(0x03fff01d); // bits 6-19, 27-29, 31: "///" in the SC form
    expect(INSNS.find((d) => d.name === 'tlbie')!.reserved >>> 0).toBe(0x00100001); // bit 11, bit 31
  });

  it('round-trips operand values and flags through encodeBase/decode for every entry', () => {
    const rnd = prng(42);
    for (const d of INSNS) {
      for (const oe of d.flags.oe ? [false, true] : [false])
        for (const rc of d.flags.rc ? [false, true] : [false])
          for (const lk of d.flags.lk ? [false, true] : [false])
            for (const aa of d.flags.aa ? [false, true] : [false])
              for (let k = 0; k < 50; k++) {
                const values = d.operands.map((o) => randomValue(o.def, rnd));
                const w = encodeBase(d, values, { oe, rc, lk, aa });
                expect(decode(w)?.id, `${d.name} ${values}`).toBe(d.id);
                expect(operandValues(d, w)).toEqual(values);
                expect(flagValues(d, w)).toEqual({ oe, rc, lk, aa });
              }
    }
  });

  it('gives every spelling an encoding (base, alias, flag variants and hints)', () => {
    let n = 0;
    for (const mn of MNEMONICS.values()) {
      // The smallest values that fit each operand.
      const values = mn.operands.map((o) => [0, 1, 4, 20, 16, 5, 12].find((v) => o.def.fits(v))!);
      const w = encode(mn, values);
      expect(decode(w)?.name, mn.text).toBe(mn.def.name);
      n++;
    }
    expect(n).toBeGreaterThan(850);
    expect(lookupMnemonic('ADDI')?.def.name).toBe('addi');
    expect(lookupMnemonic('beq+')?.alias?.name).toBe('beq');
    expect(lookupMnemonic('frobnicate')).toBeUndefined();
    for (const a of ALIASES) expect(lookupMnemonic(a.name + a.hint) ?? lookupMnemonic(a.name + 'l' + a.hint), a.name).toBeDefined();
  });

  it('drops trailing optional operands first, then a leading one', () => {
    const ops = [{ optional: true }, { optional: false }, { optional: true }];
    expect(presentOperands(ops, 3)).toEqual([true, true, true]);
    expect(presentOperands(ops, 2)).toEqual([true, true, false]);
    expect(presentOperands(ops, 1)).toEqual([false, true, false]);
    expect(presentOperands(ops, 0)).toBeNull();
    expect(presentOperands(ops, 4)).toBeNull();
  });

  it('knows the valid BO encodings and the invalid forms', () => {
    const valid = [...Array(32).keys()].filter(validBO);
    expect(valid).toEqual([0, 2, 4, 6, 7, 8, 10, 12, 14, 15, 16, 18, 20, 24, 25, 26, 27]);
    expect(invalidForm(decode(0x8c630000)!, 0x8c630000)).toBe('invalid register operand when updating'); // lbzu 3,0(3)
    expect(invalidForm(decode(0x38640000)!, 0x38640000)).toBeNull(); // addi
  });
});

describe('disassembly (objdump -Mpower9 style)', () => {
  const cases: Array<[number, bigint, string]> = [
    [0x3864ffff, 0n, 'addi    r3,r4,-1'],
    [0x38601234, 0n, 'li      r3,4660'],
    [0x3c60ffff, 0n, 'lis     r3,-1'],
    [0xe8640008, 0n, 'ld      r3,8(r4)'],
    [0x80030000, 0n, 'lwz     r0,0(r3)'],
    [0x7c0004ac, 0n, 'hwsync'],
    [0x7c4004ac, 0n, 'ptesync'],
    [0x60000000, 0n, 'nop'],
    [0x4e800020, 0n, 'blr'],
    [0x41e60014, 0x1000000cn, 'beq+    cr1,0x10000020'],
    [0x4bfffffc, 0x100n, 'b       0xfc'],
    [0x4bfffffe, 0n, 'ba      0xfffffffc'],
    [0x4ce00820, 0n, 'bgelr+  cr0,1'],
    [0x43260008, 0n, 'bc+     25,4*cr1+eq,0x8'],
    [0x7c780120, 0n, 'mtocrf  128,r3'],
    [0x7c6ff120, 0n, 'mtcr    r3'],
    [0x7c7d02a6, 0n, 'mfamr   r3'],
    [0x7c6c42a6, 0n, 'mftb    r3'],
    [0x7c702a4, 0n, '.long 0x7c702a4'],
    [0x8c630000, 0n, '.long 0x8c630000'], // lbzu r3,0(r3): invalid form
    [0x00000000, 0n, '.long 0x0'],
    [0x7c2004ac, 0n, 'lwsync'],
    [0x7c002264, 0n, 'tlbie   r4,r0'],
    [0x7c2003e4, 0n, 'slbia   1'],
    [0x5483103a, 0n, 'slwi    r3,r4,2'],
    [0x5483107a, 0n, 'rlwinm  r3,r4,2,1,29'],
    [0x5483003a, 0n, 'clrrwi  r3,r4,2'],
  ];
  for (const [w, addr, text] of cases) {
    it(`${w.toString(16).padStart(8, '0')} -> ${text}`, () => {
      expect(disassemble(w, addr).text).toBe(text);
    });
  }
});
