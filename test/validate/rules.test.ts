// The static flush-sequence rules: the fixture corpus (fixtures/validate/*.s, each stating its
// expected verdict and rule IDs on its first line), one unit test per rule with its line
// numbers, and bad fixtures giving file:line:col errors.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CPU_MODELS } from '../../src/cpu/models.js';
import { InputError } from '../../src/errors.js';
import { FixtureError, parseFixture, RULES, validateStatic, type Finding } from '../../src/validate/index.js';

const DIR = join(import.meta.dirname, '../../fixtures/validate');

const ids = (fs: readonly Finding[]) => [...new Set(fs.map((f) => f.id))].sort();
const at = (fs: readonly Finding[]) => fs.map((f) => `${f.id}@${f.cpu}:${f.line}`);
const run = (src: string, model: Parameters<typeof validateStatic>[2] = { model: 'power8' }) =>
  validateStatic(src, 't.s', model);

describe('corpus', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.s')).sort();
  it('has correct and broken sequences', () => {
    expect(files.length).toBeGreaterThanOrEqual(12);
  });
  for (const f of files) {
    it(f, () => {
      const src = readFileSync(join(DIR, f), 'utf8');
      const m = /^# expect: (pass|fail((?: [RD]\d)+))(?: \(sc: [^)]*\))?\s*$/.exec(src.split('\n')[0]!);
      expect(m, 'first line states the expected verdict').not.toBeNull();
      // This layer answers for the rule IDs (R*); the dynamic IDs (D*) are test/cli/validate's.
      const expected = (m![2] ?? '').trim().split(' ').filter((x) => x.startsWith('R')).sort();
      const findings = validateStatic(src, f);
      expect(ids(findings)).toEqual(expected);
      expect(findings.some((x) => x.severity === 'error')).toBe(expected.some((x) => x !== 'R4'));
      for (const x of findings) expect(x.source.length).toBeGreaterThan(10);
    });
  }
});

describe('rules', () => {
  it('every rule has an ID, a one-line title and a source', () => {
    expect(RULES.map((r) => r.id)).toEqual(['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8']);
    for (const r of RULES) {
      expect(r.title).not.toContain('\n');
      expect(r.source).toMatch(/Power ISA|Linux/);
    }
  });

  it('R1: tlbie without ptesync after the last page-table store', () => {
    const f = run(['ptesync', 'std r0,0(r3) # pte-store', 'tlbie r4,r0', 'eieio', 'tlbsync', 'ptesync'].join('\n'));
    expect(at(f)).toEqual(['R1@0:3']);
    expect(f[0]!.message).toContain('page-table store on line 2');
    expect(f[0]!.severity).toBe('error');
    // A ptesync after the store satisfies every tlbie of a batch.
    expect(run(['std r0,0(r3) # pte-store', 'ptesync', 'tlbie r4,r0', 'tlbie r5,r0', 'eieio', 'tlbsync', 'ptesync'].join('\n'))).toEqual([]);
    // With no annotated store, a ptesync is still required before it; hwsync is not enough.
    expect(at(run(['sync', 'tlbiel r4', 'ptesync'].join('\n')))).toEqual(['R1@0:2']);
  });

  it('R2: eieio; tlbsync; ptesync in order before the end or a relies point', () => {
    const body = ['ptesync', 'tlbie r4,r0'];
    expect(at(run([...body, 'tlbsync', 'ptesync'].join('\n')))).toEqual(['R2@0:2']);
    expect(run([...body, 'tlbsync', 'eieio', 'ptesync'].join('\n'))[0]!.message).toContain('no tlbsync after the eieio on line 4');
    expect(run([...body, 'eieio', 'tlbsync'].join('\n'))[0]!.message).toContain('no ptesync after the tlbsync on line 4');
    // The completion comes after the point that relies on it.
    const f = run([...body, 'ld r5,0(r6) # relies', 'eieio', 'tlbsync', 'ptesync'].join('\n'));
    expect(at(f)).toEqual(['R2@0:2']);
    expect(f[0]!.message).toContain("'# relies' point on line 3");
    expect(run([...body, 'eieio', 'tlbsync', 'ptesync', '# relies', 'ld r5,0(r6)'].join('\n'))).toEqual([]);
  });

  it('R3: tlbiel followed by ptesync', () => {
    expect(at(run(['ptesync', 'tlbiel r4', 'isync'].join('\n')))).toEqual(['R3@0:2']);
    expect(at(run(['ptesync', 'tlbiel r4', '# relies', 'ptesync'].join('\n')))).toEqual(['R3@0:2']);
    expect(run(['ptesync', 'tlbiel r4', 'ptesync'].join('\n'))).toEqual([]);
  });

  it('R4: tlbsync after tlbiel with no tlbie is a warning', () => {
    const f = run(['ptesync', 'tlbiel r4', 'eieio', 'tlbsync', 'ptesync'].join('\n'));
    expect(at(f)).toEqual(['R4@0:4']);
    expect(f[0]!.severity).toBe('warning');
    expect(run(['ptesync', 'tlbiel r4', 'tlbie r5,r0', 'eieio', 'tlbsync', 'ptesync'].join('\n'))).toEqual([]);
  });

  it('R5: dw1, eieio, dw0', () => {
    expect(at(run(['std r4,0(r3) # pte-store dw0', 'ptesync'].join('\n')))).toEqual(['R5@0:1']);
    expect(at(run(['std r5,8(r3) # pte-store dw1', 'std r4,0(r3) # pte-store dw0'].join('\n')))).toEqual(['R5@0:2']);
    // dw1 of the previous insert does not count for the next one.
    const two = ['std r5,8(r3) # pte-store dw1', 'eieio', 'std r4,0(r3) # pte-store dw0', 'std r4,16(r3) # pte-store dw0'];
    expect(at(run(two.join('\n')))).toEqual(['R5@0:4']);
    expect(run(['std r5,8(r3) # pte-store dw1', 'lwsync', 'std r4,0(r3) # pte-store dw0'].join('\n'))).toEqual([]);
  });

  it('R6: POWER9 tlbie erratum fixup', () => {
    const plain = ['ptesync', 'tlbie r4,r0', 'tlbie r5,r0', 'eieio', 'tlbsync', 'ptesync'];
    expect(run(plain.join('\n'))).toEqual([]);
    expect(at(run(plain.join('\n'), { model: 'power9' }))).toEqual(['R6@0:3']);
    // Linux repeats the last tlbie of a batch (native_flush_hash_range).
    const fixed = ['ptesync', 'tlbie r4,r0', 'tlbie r5,r0', 'ptesync', 'tlbie r5,r0', 'eieio', 'tlbsync', 'ptesync'];
    expect(run(fixed.join('\n'), { model: 'power9' })).toEqual([]);
    // The repeated tlbie must be the same one.
    const wrong = ['ptesync', 'tlbie r4,r0', 'ptesync', 'tlbie r5,r0', 'eieio', 'tlbsync', 'ptesync'];
    expect(at(run(wrong.join('\n'), { model: 'power9' }))).toEqual(['R6@0:4']);
    // The feature flag decides, not the model name.
    const p8bug = { ...CPU_MODELS.power8, features: { ...CPU_MODELS.power8.features, P9_TLBIE_STQ_BUG: true } };
    expect(at(run(plain.join('\n'), { model: p8bug }))).toEqual(['R6@0:3']);
  });

  it('R7: the tlbie lock without LOCKLESS_TLBIE', () => {
    const seq = ['ptesync', 'tlbie r4,r0', 'eieio', 'tlbsync', 'ptesync'];
    expect(run(seq.join('\n'))).toEqual([]);
    expect(at(run('.model power8 -LOCKLESS_TLBIE\n' + seq.join('\n'), {}))).toEqual(['R7@0:3']);
    expect(run(['.model power8 -LOCKLESS_TLBIE', '# lock', ...seq, '# unlock'].join('\n'), {})).toEqual([]);
    // The option overrides the fixture's .model line.
    expect(run('.model power8 -LOCKLESS_TLBIE\n' + seq.join('\n'), { model: 'power8' })).toEqual([]);
    const early = ['.model power8 -LOCKLESS_TLBIE', 'nop # lock', 'ptesync', 'tlbie r4,r0', 'eieio', 'stw r0,0(r9) # unlock', 'tlbsync', 'ptesync'];
    const f = run(early.join('\n'), {});
    expect(at(f)).toEqual(['R7@0:4']);
    expect(f[0]!.message).toContain('released on line 6 before the tlbsync on line 7');
  });

  it('R8: context synchronisation after slbie/slbmte/mtmsrd', () => {
    expect(at(run(['slbmte r4,r5', 'ld r6,0(r7)', 'isync'].join('\n')))).toEqual(['R8@0:1']);
    expect(at(run(['mtmsrd r4', '# relies', 'isync'].join('\n')))).toEqual(['R8@0:1']);
    expect(run(['slbie r4', 'slbmte r4,r5', 'isync', 'ld r6,0(r7)'].join('\n'))).toEqual([]);
    expect(run(['mtmsrd r4,1', 'ld r6,0(r7)'].join('\n'))).toEqual([]); // L=1: EE/RI only
    expect(run(['slbia 7', 'rfid'].join('\n'))).toEqual([]);
  });

  it('runs per CPU and reports each CPU with its own lines', () => {
    const src = ['.model power8', '.cpu 0', 'ptesync', 'tlbie r4,r0', '.cpu 1', 'tlbiel r4', 'ptesync'].join('\n');
    expect(at(run(src, {}))).toEqual(['R2@0:4', 'R1@1:6']);
    const fx = parseFixture(src, 't.s');
    expect(fx.cpus.map((c) => [c.id, c.line, c.insns.map((x) => [x.line, x.def.name])])).toEqual([
      [0, 2, [[3, 'sync'], [4, 'tlbie']]],
      [1, 5, [[6, 'tlbiel'], [7, 'sync']]],
    ]);
    expect(fx.model?.name).toBe('power8');
  });

  it('maps code to lines through labels, .rept, macros and data', () => {
    const src = [
      '\t.set HPTE, 0x100',
      '\t.macro flush reg',
      '\ttlbiel \\reg',
      '\t.endm',
      '\t.cpu 2',
      'start:\tptesync',
      '\t.rept 2',
      '\ttlbiel r4',
      '\t.endr',
      '\tflush r5',
      '\t.long 0x7c0004ac',
      '\tptesync; isync',
    ].join('\n');
    const fx = parseFixture(src, 't.s');
    expect(fx.cpus[0]!.insns.map((x) => `${x.line}:${x.def.name}@${x.addr}`)).toEqual([
      '6:sync@0', '7:tlbiel@4', '7:tlbiel@8', '10:tlbiel@12', '12:sync@20', '12:isync@24',
    ]);
  });

  it('places lock/unlock/relies points', () => {
    const src = ['nop # lock', 'nop', '# relies', 'nop', 'stw r0,0(r9) # unlock', 'ld r1,0(r2) # relies', '# lock'].join('\n');
    const fx = parseFixture(src, 't.s');
    expect(fx.cpus[0]!.marks.map((m) => `${m.kind}@${m.index}:${m.line}`)).toEqual([
      'lock@1:1', 'relies@2:3', 'unlock@3:5', 'relies@4:6', 'lock@5:7',
    ]);
  });

  it('marks after an instruction, or before a label, are passed only by going on from the instruction before', () => {
    const src = ['# lock', '1:', 'nop # lock', 'b 2f', 'ld r1,0(r2) # expect r1 == 0', '2:', 'nop', '# relies', '3: nop', '# relies', '4:', '# unlock', 'nop'].join('\n');
    const fx = parseFixture(src, 't.s');
    const show = (m: (typeof fx.cpus)[0]['marks'][0]) => `${m.kind}@${m.index}${m.after === undefined ? '' : `/after ${m.after}`}:${m.line}`;
    expect(fx.cpus[0]!.marks.map(show)).toEqual([
      'lock@0/after -1:1', // before label 1: only at the start
      'lock@1/after 0:3', // on nop's line: after it
      'expect@3/after 2:5', // not when b 2f lands at 2:
      'relies@4/after 3:8', // label 3: is on the next instruction's line
      'relies@5/after 4:10', // label 4: comes between it and the next instruction...
      'unlock@5:12', // ...but before this one: a branch to 4: passes it
    ]);
  });
});

describe('bad fixtures', () => {
  const err = (src: string) => {
    try {
      validateStatic(src, 'bad.s');
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      return (e as Error).message;
    }
    throw new Error('no error');
  };
  it('give file:line:col messages', () => {
    expect(err('\t.cpu 0\n\tptesync\n\t.cpu x')).toBe("bad.s:3:7: .cpu needs a CPU number 0..63, found 'x'");
    expect(err('\t.cpu 0\n\t.cpu 0')).toBe('bad.s:2:7: CPU 0 already has a .cpu section');
    expect(err('\t.model power11')).toBe("bad.s:1:9: unknown CPU model 'power11' (power7, power8, power9)");
    expect(err('.model power8 +FAST')).toMatch(/^bad\.s:1:15: bad feature '\+FAST'/);
    expect(err('.model power8\n.model power9')).toBe('bad.s:2:1: second .model (the first is on line 1)');
    expect(err('\tptesync\n\t.cpu 0\n\tnop')).toBe('bad.s:1:2: instruction before the first .cpu directive');
    expect(err('\t.cpu 0\n\tnop\n\tlfd f1,0(r3)')).toBe('bad.s:3:2: lfd: floating-point instructions are not supported in validated code');
    expect(err('\t.cpu 0\n\txxlxor vs0,vs0,vs0')).toBe('bad.s:2:2: xxlxor: vector instructions are not supported in validated code');
    // Size bounds, checked before assembling (a million nops took 16 s and ended the same way).
    expect(err('\t.cpu 0\n' + '\tnop\n'.repeat(20_000))).toBe('bad.s:20001:1: a fixture has at most 20,000 lines (validated code is short: at most 1,024 instructions a CPU under the Power model)');
    expect(err('\t.cpu 0\n\t.rept 1000000\n\tnop\n\t.endr')).toBe('bad.s:3:2: more than 200000 statements after expanding macros and .rept/.irp (a bound, so that no source runs without end)');
    expect(err('\tptesync # pte-store')).toBe("bad.s:1:12: pte-store is on 'sync', which is not a store");
    expect(err('\tstd r0,0(r3) # pte-store dw2')).toBe("bad.s:1:27: pte-store takes dw0, dw1 or nothing, found 'dw2'");
    expect(err('# pte-store')).toBe('bad.s:1:3: pte-store must be on the line of a store instruction');
    expect(err('\tnop # lock now')).toBe("bad.s:1:13: 'lock' takes no arguments, found 'now'");
    expect(err('\tnop # lock, frob')).toBe("bad.s:1:14: unknown annotation 'frob' (pte-store, lock, unlock, relies, assert-gone, assert-valid, expect)");
  });
  it('pass assembler errors through with the fixture positions', () => {
    expect(err('\t.cpu 0\n\tptesync\n\t.cpu 1\n\ttlbie r3')).toBe('bad.s:4:2: tlbie takes 2 to 5 operands, found 1');
    expect(err('\t.cpu 0\n\t  frob r1')).toMatch(/^bad\.s:2:4: /);
  });
  it('FixtureError carries the position', () => {
    try {
      parseFixture('\t.cpu 99', 'x.s');
    } catch (e) {
      expect(e).toBeInstanceOf(FixtureError);
      expect((e as FixtureError).line).toBe(1);
      expect((e as FixtureError).col).toBe(7);
    }
  });
  it('rejects an unknown model option', () => {
    expect(() => validateStatic('nop', 'x.s', { model: 'power4' as never })).toThrow(InputError);
  });
});
