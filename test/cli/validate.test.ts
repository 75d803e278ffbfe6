// `ppc64emu validate` as a user runs it: the whole corpus explored exhaustively (each file's
// first line states its verdict and every rule and dynamic-check ID), output formats, seeds.

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI, cli, tempFiles } from '../helpers/cli.js';

const DIR = join(__dirname, '..', '..', 'fixtures', 'validate');
const FILES = readdirSync(DIR).filter((x) => x.endsWith('.s')).sort();

interface Out {
  verdict: string;
  cpus: number;
  findings: Array<{ id: string; severity: string }>;
  exploration: { mode: string; states: number; complete: boolean };
  counterexample: null | { violation: { id: string; cpu: number; message: string }; path: unknown[]; timeline: Array<{ cpu: number; line: number | null; text: string }> };
}

describe('ppc64emu validate --explore exhaustive: the corpus', () => {
  it('has correct sequences and broken ones of every kind', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(20);
    const heads = FILES.map((f) => readFileSync(join(DIR, f), 'utf8').split('\n')[0]!);
    for (const id of ['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8', 'D1', 'D2', 'D3', 'D4']) {
      expect(heads.some((h) => h.split(' ').includes(id)), id).toBe(true);
    }
  });
  // First line: "# expect: VERDICT" under the Power model, then "(sc: VERDICT)" when
  // sequentially consistent accesses decide otherwise (Power allows every SC execution, so
  // only a Power failure can be an SC pass).
  const expected = (f: string) => {
    const m = /^# expect: (pass|fail((?: [RD]\d)+))(?: \(sc: (pass|fail((?: [RD]\d)+))\))?\s*$/.exec(readFileSync(join(DIR, f), 'utf8').split('\n')[0]!);
    expect(m, 'first line states the expected verdict').not.toBeNull();
    const verdict = (v: string, ids: string | undefined) => ({ pass: v === 'pass', ids: ids ? ids.trim().split(' ').sort() : [] });
    return { power: verdict(m![1]!, m![2]), sc: m![3] ? verdict(m![3], m![4]) : verdict(m![1]!, m![2]) };
  };
  const judge = (f: string, model: 'power' | 'sc', want: { pass: boolean; ids: string[] }) => {
    const r = cli(['validate', join(DIR, f), '--explore', 'exhaustive', '--model', model, '--json']);
    const out = JSON.parse(r.stdout) as Out;
    const ids = [...new Set(out.findings.map((x) => x.id))];
    if (out.counterexample) ids.push(out.counterexample.violation.id);
    expect(ids.sort(), model).toEqual(want.ids);
    expect(r.status, model).toBe(want.pass ? 0 : 1);
    expect(out.verdict, model).toBe(want.pass ? 'pass' : 'violation');
    // A pass is only a pass when every reachable state was seen.
    if (!out.counterexample) expect(out.exploration.complete, model).toBe(true);
    else expect(out.counterexample.timeline.at(-1)!.text).toMatch(/^VIOLATION D\d: /);
  };
  it('has fixtures that only the Power model fails, each with its sequentially consistent verdict', () => {
    const weak = FILES.filter((f) => { const e = expected(f); return e.sc.pass && !e.power.pass; });
    expect(weak.length).toBeGreaterThanOrEqual(2);
  });
  for (const f of FILES) {
    it(f, () => {
      const want = expected(f);
      judge(f, 'power', want.power);
      judge(f, 'sc', want.sc);
    }, 180_000); // flush-all-isa300.s: 256 tlbiel, about 30 s per model
  }
});

describe('ppc64emu validate: output', () => {
  it('prints findings, the violation with its check and source, a per-CPU timeline and a verdict line', () => {
    const r = cli(['validate', join(DIR, 'bad-no-tlbsync.s'), '--explore', 'exhaustive']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/bad-no-tlbsync\.s:\d+: cpu 0: error R2: /);
    expect(r.stdout).toMatch(/cpu 1: violation D1: at cpu 0 line 15 \('# relies'\) cpu 1's TLB still holds the translation/);
    expect(r.stdout).toMatch(/D1: no CPU holds or loads a translation .*Book III 5\.10\.1/);
    expect(r.stdout).toMatch(/^ +cpu 0 +\| cpu 1$/m);
    expect(r.stdout).toMatch(/\| speculative TLB load: EA 0xd000000000001000 -> RA 0x200000/);
    expect(r.stdout).toMatch(/^L12 +tlbie +r4,r0/m);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/^violation: 1 rule error, 0 warnings, dynamic check D1 failed; exhaustive exploration found it after \d+ states \(2 CPUs, power8, Power memory model\)$/);
  });

  it('--explore single runs the rules and one run with the dynamic checks', () => {
    const r = cli(['validate', join(DIR, 'bad-set-pte-duplicate.s'), '--explore', 'single']);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/violation D4: cpu 0 made slot 0x[0-9a-f]+ valid while slot 0x[0-9a-f]+ still holds a valid PTE for the same virtual page/);
    const ok = cli(['validate', join(DIR, 'hpte-invalidate-global.s'), '--explore', 'single']);
    expect(ok.status).toBe(0);
    expect(ok.stdout).toMatch(/^pass: .*one run \(2 CPUs, power8, sc accesses; --explore exhaustive covers/m);
  });

  it('explores exhaustively by default: a known-bad case fails without --explore (one schedule would pass it)', () => {
    const r = cli(['validate', join(DIR, 'bad-tlbiel-remote.s')]);
    expect(r.status).toBe(1);
    expect(r.stdout.trimEnd().split('\n').at(-1)).toMatch(/dynamic check D1 failed; exhaustive exploration found it/);
    expect(cli(['validate', join(DIR, 'bad-tlbiel-remote.s'), '--explore', 'single']).status).toBe(0);
  });

  it('a progress bar with states and rate on a terminal only', () => {
    const quiet = cli(['validate', join(DIR, 'locked-tlbie.s'), '--explore', 'exhaustive']);
    expect(quiet.stderr).toBe(''); // not a TTY
    // `script` gives the command a pseudo-terminal (util-linux); without it this part cannot run.
    if (spawnSync('script', ['--version']).status !== 0) {
      console.log('skipping the terminal half: util-linux script is not installed');
      return;
    }
    const tty = spawnSync('script', ['-qec', `${process.execPath} ${CLI} validate ${join(DIR, 'locked-tlbie.s')} --explore exhaustive`, '/dev/null'], { encoding: 'utf8' });
    expect(tty.stdout).toMatch(/exploring \|.*\| \d+\/200000 states {2}\d+ states\/s/);
    expect(tty.stdout).toMatch(/pass: 0 rule errors/);
    const json = spawnSync('script', ['-qec', `${process.execPath} ${CLI} validate ${join(DIR, 'locked-tlbie.s')} --explore exhaustive --json`, '/dev/null'], { encoding: 'utf8' });
    expect(json.stdout).not.toMatch(/exploring/);
  });

  it('--max-states bounds the search and says so', () => {
    const r = cli(['validate', join(DIR, 'locked-tlbie.s'), '--explore', 'exhaustive', '--max-states', '50']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/exhaustive, stopped at --max-states 50 after 1 allowed execution \(1 with distinct schedules\), 50 states \(2 CPUs, power8, Power memory model\): incomplete/);
  });

  it('--explore random with a seed finds a counterexample and the same seed replays it exactly', () => {
    const args = ['validate', join(DIR, 'bad-unlocked-tlbie.s'), '--explore', 'random', '--seed', '7', '--json'];
    const a = cli(args);
    const b = cli(args);
    expect(a.status).toBe(1);
    expect(a.stdout).toBe(b.stdout);
    const out = JSON.parse(a.stdout) as Out & { counterexample: { walk: number } };
    expect(out.counterexample!.violation.id).toBe('D3');
    expect(out.exploration.mode).toBe('random');
    expect(typeof out.counterexample!.walk).toBe('number');
  });

  it('--cpus adds idle CPUs, which may hold translations; too few CPUs is bad input', () => {
    const r = cli(['validate', join(DIR, 'bad-tlbiel-remote.s'), '--explore', 'exhaustive', '--cpus', '1', '--json']);
    expect(r.status).toBe(0); // alone, the local flush is enough
    expect((JSON.parse(r.stdout) as Out).cpus).toBe(1);
    const three = cli(['validate', join(DIR, 'bad-tlbiel-remote.s'), '--explore', 'exhaustive', '--cpus', '3', '--json']);
    expect(three.status).toBe(1);
    const few = cli(['validate', join(DIR, 'locked-tlbie.s'), '--cpus', '1']);
    expect(few.status).toBe(2);
    expect(few.stderr).toMatch(/--cpus 1: the fixture has code for cpu 1/);
  });

  it('bad input exits 2 with one file:line:col line', () => {
    const cases: Array<[string, RegExp]> = [
      ['.cpu 0\n\tbogus r3\n', /x\.s:2:\d+: /],
      ['\t.page P 0xd000000000001001 0x200000\n.cpu 0\n\tnop\n', /x\.s:1:10: EA 0xd000000000001001 is not aligned to the page size/],
      ['\t.page P 0xd000000000001000 0x200000 huge\n.cpu 0\n\tnop\n', /x\.s:1:38: unknown \.page option 'huge'/],
      ['.cpu 0\n\t.reg r3, nosuch + 1\n\tnop\n', /x\.s:2:\d+: .*nosuch/],
      ['.page P 0xd000000000001000 0x8000000000\n.cpu 0\n\tnop\n', /x\.s:1:28: RA 0x8000000000 is beyond the 64 MiB of storage/],
      ['.cpu 0\n1:\tb 1b\n', /x\.s:2:1: thread P0 loops forever without a storage access/],
      ['.cpu 0\n\tli r3, 0\n\tmtsdr1 r3\n', /x\.s:3: cpu 0 writes SDR1\/PTCR: validation fixtures keep the HPT where the machine puts it/],
      ['.cpu 0\n\tnop\n\t.final cpu3 r3 == 1\n', /x\.s:3:1: \.final names cpu3, which has no \.cpu section/],
      ['.cpu 0\n\tnop # assert-gone Q\n', /x\.s:2:8: assert-gone names 'Q', which no \.page declares/],
      ['.cpu 0\n\tli r3, 5\n\tmtspr 26, r3\n', /x\.s:3:1: mtspr of SPR 26 \(privileged; thread runs are in user mode\) is not modelled under --model power \(--model sc explores it/],
      ['.cpu 0\n\tmfspr r3, 27\n', /x\.s:2:1: mfspr of SPR 27 \(privileged.*--model sc explores it/],
    ];
    for (const [src, re] of cases) {
      const dir = tempFiles({ 'x.s': src });
      const bad = cli(['validate', join(dir, 'x.s')]);
      expect(bad.status, src).toBe(2);
      expect(bad.stderr, src).toMatch(re);
      expect(bad.stderr.trimEnd().split('\n'), src).toHaveLength(1);
    }
  });
});
