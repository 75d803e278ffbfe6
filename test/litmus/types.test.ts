// Declared C types of litmus observables (litmus/types.ts): herd7 shows each final value at
// its type, int when none is given (its PPC instruction tests A005 and A014 show both). The
// expected values are computed by hand from the ISA's rlwimi (Power ISA v3.0B Book I 3.3.13:
// the rotated low word is replicated in both halves, then inserted under MASK(mb+32, me+32)).
import { describe, expect, it } from 'vitest';
import { formatLog, parseLitmus, runLitmus } from '../../src/litmus/index.js';
import { typeOfWords } from '../../src/litmus/types.js';

const log = (text: string) => formatLog(runLitmus(parseLitmus(text, 't.litmus'), { model: 'power' }));

describe('typed observables', () => {
  it('prints untyped registers and locations as int, typed ones at their type, and compares constants at the type', () => {
    const text = [
      'PPC T',
      '{ 0:r3=0xaaaaaaaaaaaaaaaa; int64_t 0:r5=0xaaaaaaaaaaaaaaaa; uint64_t 0:r6=0xaaaaaaaaaaaaaaaa;',
      '  uint32_t x=0xffffffff; y=0xffffffff; unsigned char 0:r7=0x1ff; }',
      ' P0                      ;',
      ' li r4,-1                ;',
      ' rlwimi r3,r4,0,30,31    ;',
      ' rlwimi r5,r4,0,30,31    ;',
      'locations [0:r5; 0:r6; 0:r7; x; y;]',
      // 0xaaaaaaab and -1431655765 are one int: both hold.
      'exists (0:r3=0xaaaaaaab /\\ 0:r3=-1431655765 /\\ y=-1)',
    ].join('\n');
    const out = log(text);
    expect(out).toContain('States 1\n0:r3=-1431655765; 0:r5=-6148914691236517205; 0:r6=12297829382473034410; 0:r7=255; x=4294967295; y=-1;\nOk\n');
    expect(out).toContain('Observation T Always 1 0');
  });

  it('an unknown type word is bad input at its position', () => {
    expect(() => parseLitmus('PPC U\n{ foo_t 0:r1=1; }\nP0;\nnop;\nexists (0:r1=1)\n', 'u.litmus')).toThrow(/^u\.litmus:2:3: unknown type 'foo_t'$/);
    expect(() => parseLitmus('PPC U\n{ unsigned int8_t x; }\nP0;\nnop;\nexists (x=1)\n', 'u.litmus')).toThrow(/^u\.litmus:2:3: 'unsigned' before 'int8_t'$/);
  });

  it('reads the C type words of ppc64 (LP64)', () => {
    expect(typeOfWords(['unsigned', 'long'], false)).toEqual({ bits: 64, signed: false });
    expect(typeOfWords(['long', 'long'], false)).toEqual({ bits: 64, signed: true });
    expect(typeOfWords(['unsigned'], false)).toEqual({ bits: 32, signed: false });
    expect(typeOfWords(['_Atomic', 'short'], false)).toEqual({ bits: 16, signed: true });
    expect(typeOfWords(['atomic_uint64_t'], false)).toEqual({ bits: 64, signed: false });
    expect(typeOfWords(['int'], true)).toEqual({ bits: 64, signed: false });
    expect(typeOfWords(['int', 'char'], false)).toBe("'char' after 'int'");
    expect(typeOfWords(['ins_t'], false)).toBe("instruction values ('ins_t') are not supported");
  });
});
