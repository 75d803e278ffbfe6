// Encoding oracle: every spelling the assembler knows (every INSNS entry and every alias,
// including asmOnly ones, in every o/./l/a variant and branch hint) with edge operand values
// is assembled by our assembler and by GNU as (-a64 -mpower9 -mregnames), big- and
// little-endian. Both must accept and reject the same lines, and the accepted lines must give
// byte-identical .text.

import { beforeAll, describe, expect, it } from 'vitest';
import { ALIASES } from '../../src/isa/aliases.js';
import { assemble, AsmError } from '../../src/isa/asm/index.js';
import { MNEMONICS } from '../../src/isa/encode.js';
import { INSNS } from '../../src/isa/table.js';
import { gas, generateLines, skipReason, tools, warnSkip, wordsOf, type GeneratedLine } from './binutils.js';

// Directives, expressions, macros and local labels: a program that GNU as can resolve on its
// own (no references to absolute addresses), whose .text must be byte-identical.
const FEATURES = String.raw`
start:
  addi 3,4,-1
  li 3, (0x12345678+4)@h
  lis 3, 0x12348000@ha
  addi 3,3,0x12348000@l
  ori 3,3,0x8000@l
  li 3, 0x123456789abcdef0@higher
  li 3, 0x1234ffff8000@highera
  li 3, 0x123456789abcdef0@highest
  li 3, 0x1234ffffffff8000@highesta
  x = 0x12348000
  li 3, x@l+4
  lis 3, x@h+1
  addi 3,3,0xffffffff
  lis 3,0xffff
  subis 3,3,-0xffff
1: bdnz 1b
  beq+ cr1, 1f
  .p2align 4
1: blt 2f
  bc+ 16,0,1b
  bclr- 12,4*cr2+gt
  .rept 3
  nop
  .endr
  .macro pair a, b=9
  li \a, \b
  .endm
  pair 5, 7
  pair 6
  .irp r, 1, 2, 3
  addi \r, \r, \r
  .endr
2:
  mtcrf 0x80, 3   # becomes mtocrf
  mtcrf 0x81, 3 ; mtcr 4
  .long 1+2|4, 2&3+1, 2*3<<1, 8>>1*2, -1>>60, 1 < 2, 7%3, . - start, 2b - 1b, ~0
  .byte 1, -1, 255
  .short -1, 0x1234
  .hword 7
  .word 0x1234
  .quad -1, 0x123456789abcdef0
  .8byte 5
  .ascii "a\tb\x41\101\"", "z"
  .asciz "hi"
  .string "x#;"
  .space 3, 0xaa
  .skip 2
  .balign 8, 0xcc
  .p2align 5
  nop
  .align 6
  blr
  .org . + 8
  .set y, x >> 4
  li 3, y@l
  .equ z, y + 1
  li 3, z@h
  .byte 7
  .p2align 4
  b start
  .org 0x200, 0x5a
  bl start
`;

const hex = (w: number) => '0x' + (w >>> 0).toString(16).padStart(8, '0');

/** Our verdict on each line assembled alone: the word, or the error message. */
function ours(lines: readonly GeneratedLine[], le: boolean): Array<number | string> {
  return lines.map((l) => {
    try {
      const r = assemble(l.text + '\n', { fileName: 'gen.s', format: 'bin', littleEndian: le });
      return wordsOf(r.sections[0]!.bytes, le)[0]!;
    } catch (e) {
      if (e instanceof AsmError) return e.reason;
      throw e;
    }
  });
}

describe('encoding oracle (GNU as)', () => {
  warnSkip('encoding');
  let lines: GeneratedLine[] = [];
  const verdicts: Record<'be' | 'le', Array<number | string>> = { be: [], le: [] };
  beforeAll(() => {
    lines = generateLines();
    verdicts.be = ours(lines, false);
    verdicts.le = ours(lines, true);
  });

  it('generates lines for every table entry and every alias', () => {
    const spelled = new Set(lines.map((l) => l.mnemonic));
    for (const mn of MNEMONICS.values()) expect(spelled.has(mn.text)).toBe(true);
    const bases = new Set([...MNEMONICS.values()].filter((m) => !m.alias).map((m) => m.def.name));
    for (const d of INSNS) expect(bases.has(d.name)).toBe(true);
    const aliasDefs = new Set([...MNEMONICS.values()].filter((m) => m.alias).map((m) => m.alias!));
    for (const a of ALIASES) expect(aliasDefs.has(a)).toBe(true);
    expect(lines.length).toBeGreaterThan(5000);
  });

  for (const le of [false, true]) {
    const order = le ? 'LE' : 'BE';

    it.skipIf(!tools)(`assembles directives, expressions and macros like GNU as (${order})${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
      const g = gas(FEATURES, le);
      expect(g.text, g.stderr).not.toBeNull();
      const ours = assemble(FEATURES, { fileName: 'features.s', littleEndian: le, format: 'bin' }).sections[0]!.bytes;
      const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex').replace(/(.{8})/g, '$1 ');
      expect(toHex(ours)).toBe(toHex(g.text!));
    });
    const reason = skipReason ? ` (skipped: ${skipReason})` : '';

    it.skipIf(!tools)(`accepts and rejects the same lines as GNU as (${order})${reason}`, () => {
      const v = le ? verdicts.le : verdicts.be;
      const g = gas(lines.map((l) => l.text).join('\n') + '\n', le);
      const problems: string[] = [];
      lines.forEach((l, i) => {
        const gasErr = g.errors.get(i + 1);
        const ov = v[i]!;
        if (gasErr !== undefined && typeof ov === 'number') problems.push(`GNU as rejects, we accept ${hex(ov)}: ${l.text}   [as: ${gasErr}]`);
        if (gasErr === undefined && typeof ov === 'string') problems.push(`GNU as accepts, we reject: ${l.text}   [ours: ${ov}]`);
      });
      expect(problems, `${problems.length} disagreements:\n${problems.slice(0, 200).join('\n')}`).toEqual([]);
      // The deliberately out-of-range lines are rejected (by both, given the check above).
      lines.forEach((l, i) => {
        if (l.outOfRange) expect(typeof v[i], l.text).toBe('string');
      });
    });

    it.skipIf(!tools)(`assembles the accepted lines byte-identically to GNU as (${order})${reason}`, () => {
      const v = le ? verdicts.le : verdicts.be;
      const accepted = lines.filter((_, i) => typeof v[i] === 'number');
      const alone = v.filter((x): x is number => typeof x === 'number');
      const source = accepted.map((l) => l.text).join('\n') + '\n';
      const g = gas(source, le);
      expect(g.text, g.stderr.slice(0, 2000)).not.toBeNull();
      const gw = wordsOf(g.text!, le);
      // Ours: the whole file at once, and (above) each line alone.
      const whole = assemble(source, { fileName: 'gen.s', littleEndian: le, format: 'bin' });
      const ow = wordsOf(whole.sections[0]!.bytes, le);
      expect(ow.length).toBe(accepted.length);
      expect(gw.length).toBe(accepted.length);
      const problems: string[] = [];
      accepted.forEach((l, i) => {
        if (ow[i] !== gw[i] || alone[i] !== gw[i]) {
          problems.push(`${l.text}: ours ${hex(ow[i]!)} (alone ${hex(alone[i]!)}), GNU as ${hex(gw[i]!)}`);
        }
      });
      expect(problems, `${problems.length} mismatches:\n${problems.slice(0, 200).join('\n')}`).toEqual([]);
    });
  }
});
