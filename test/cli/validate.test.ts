import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cli, tempFiles } from '../helpers/cli.js';

const DIR = join(__dirname, '..', '..', 'fixtures', 'validate');

describe('ppc64emu validate (static rules)', () => {
  it('exits 0 for every correct corpus sequence and 1 with the expected rule for every broken one', () => {
    for (const f of readdirSync(DIR).filter((x) => x.endsWith('.s'))) {
      const expectLine = readFileSync(join(DIR, f), 'utf8').split('\n')[0]!;
      const m = /^# expect: (pass|fail)(?: (R\d))?/.exec(expectLine);
      expect(m, f).not.toBeNull();
      const r = cli(['validate', join(DIR, f), '--json']);
      const out = JSON.parse(r.stdout);
      if (m![1] === 'pass') {
        expect(r.status, f).toBe(0);
        expect(out.verdict, f).toBe('pass');
      } else {
        expect(r.status, f).toBe(1);
        expect(out.verdict, f).toBe('violation');
        expect(out.findings.filter((x: { severity: string }) => x.severity === 'error').map((x: { id: string }) => x.id), f).toContain(m![2]);
      }
    }
  });

  it('prints file:line findings and a verdict line; bad input exits 2 with one line', () => {
    const r = cli(['validate', join(DIR, 'bad-no-tlbsync.s')]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/bad-no-tlbsync\.s:\d+: cpu 0: error R2: /);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^violation: 1 error, 0 warnings/);
    const dir = tempFiles({ 'x.s': '.cpu 0\n\tbogus r3\n' });
    const bad = cli(['validate', join(dir, 'x.s')]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/x\.s:2:\d+: /);
    expect(bad.stderr.trimEnd().split('\n')).toHaveLength(1);
    const ex = cli(['validate', join(DIR, 'hpte-insert.s'), '--explore', 'exhaustive']);
    expect(ex.status).toBe(2);
    expect(ex.stderr).toMatch(/not built yet/);
  });
});
