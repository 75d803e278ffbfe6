// `ppc64emu litmus` as a user runs it: herd7 log blocks on stdout, bad files reported as one
// file:line:col line each while the others still run, --jobs giving the same output, --json.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { cli, tempFiles } from '../helpers/cli.js';

const MP = `PPC MP
{ 0:r2=x; 0:r4=y; 1:r2=y; 1:r4=x; }
 P0           | P1           ;
 li r1,1      | lwz r1,0(r2) ;
 stw r1,0(r2) | lwz r3,0(r4) ;
 stw r1,0(r4) |              ;
exists (1:r1=1 /\\ 1:r3=0)
`;
const SB_SYNCS = `PPC SB+syncs
{ 0:r2=x; 0:r4=y; 1:r2=y; 1:r4=x; }
 P0           | P1           ;
 li r1,1      | li r1,1      ;
 stw r1,0(r2) | stw r1,0(r2) ;
 sync         | sync         ;
 lwz r3,0(r4) | lwz r3,0(r4) ;
~exists (0:r3=0 /\\ 1:r3=0)
`;
const BAD_INSN = `PPC Bad
{ 0:r2=x; }
 P0            ;
 frob r1,0(r2) ;
exists (0:r1=0)
`;
const BAD_LOC = `PPC BadLoc
{ 0:r2=x; }
 P0            ;
 lwz r1,8(r2)  ;
exists (0:r1=0)
`;

describe('ppc64emu litmus', () => {
  const dir = tempFiles({ 'MP.litmus': MP, 'SB+syncs.litmus': SB_SYNCS, 'Bad.litmus': BAD_INSN, 'BadLoc.litmus': BAD_LOC });
  const f = (n: string) => join(dir, n);

  it('prints the herd7 log of MP under power: the relaxed outcome is allowed', () => {
    const r = cli(['litmus', f('MP.litmus')]);
    expect(r.status).toBe(0);
    const log = r.stdout.replace(/^Time MP .*$/m, 'Time MP T');
    expect(log).toBe(
      [
        'Test MP Allowed',
        'States 4',
        '1:r1=0; 1:r3=0;',
        '1:r1=0; 1:r3=1;',
        '1:r1=1; 1:r3=0;',
        '1:r1=1; 1:r3=1;',
        'Ok',
        'Witnesses',
        'Positive: 1 Negative: 3',
        'Condition exists (1:r1=1 /\\ 1:r3=0)',
        'Observation MP Sometimes 1 3',
        'Time MP T',
        '',
        '',
      ].join('\n'),
    );
  });

  it('under --model sc the MP outcome is never seen', () => {
    const r = cli(['litmus', '--model', 'sc', f('MP.litmus')]);
    expect(r.stdout).toContain('States 3\n');
    expect(r.stdout).toContain('Observation MP Never 0 3');
  });

  it('SB+syncs: a ~exists test validated (Forbidden, Ok, Never)', () => {
    const r = cli(['litmus', f('SB+syncs.litmus')]);
    expect(r.stdout).toMatch(/^Test SB\+syncs Forbidden\nStates 3\n/);
    expect(r.stdout).toContain('\nOk\n');
    expect(r.stdout).toContain('Observation SB+syncs Never 0 3');
  });

  it('bad files: one file:line:col line each on stderr, exit 2, the good files still run', () => {
    const r = cli(['litmus', f('Bad.litmus'), f('MP.litmus'), f('BadLoc.litmus'), join(dir, 'missing.litmus')]);
    expect(r.status).toBe(2);
    expect(r.stdout).toContain('Test MP Allowed');
    const lines = r.stderr.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(new RegExp(`^ppc64emu: ${f('Bad.litmus').replace(/[+.]/g, '\\$&')}:4:2: `));
    expect(lines[1]).toMatch(/BadLoc\.litmus:4:2: thread P0 accesses 0x1000008, which is not a location of the test$/);
    expect(lines[2]).toMatch(/missing\.litmus: cannot read \(ENOENT\)$/);
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('--jobs 2 prints the same logs in the same order', () => {
    const files = [f('SB+syncs.litmus'), f('MP.litmus'), f('SB+syncs.litmus')];
    const strip = (s: string) => s.replace(/^Time .*$/gm, '');
    const one = cli(['litmus', ...files]);
    const two = cli(['litmus', '--jobs', '2', ...files]);
    expect(two.status).toBe(0);
    expect(strip(two.stdout)).toBe(strip(one.stdout));
  });

  it('--json gives one record per test', () => {
    const r = cli(['litmus', '--json', f('MP.litmus'), f('SB+syncs.litmus')]);
    const out = JSON.parse(r.stdout) as Array<{ test: string; observation: string; positive: number; states: unknown[] }>;
    expect(out.map((x) => [x.test, x.observation, x.positive, x.states.length])).toEqual([
      ['MP', 'Sometimes', 1, 4],
      ['SB+syncs', 'Never', 0, 3],
    ]);
  });

  it('a bad --model is bad input', () => {
    const r = cli(['litmus', '--model', 'tso', f('MP.litmus')]);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
