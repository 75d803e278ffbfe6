import { describe, expect, it } from 'vitest';
import { cli } from '../helpers/cli.js';

describe('ppc64emu scenario and the main job', () => {
  it('scenario zsmalloc: exit 1 with the corruption and its timeline, exit 0 when safe; --json', () => {
    const bad = cli(['scenario', 'zsmalloc', '--variant', 'seed-stub', '--cpus', '1', '--threads', '1', '--ops', '150', '--speculate', 'off']);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/^zsmalloc seed-stub \(.*\): corrupted after 140 operations\n/);
    expect(bad.stdout).toContain('cpu 0 read byte 0 of object 36 (handle 36) at 0xd000000000000c70 as 0xa, expected 0x6c');
    expect(bad.stdout).toMatch(/cpu 0: set_pte 0xd000000000000000: PTE none -> pfn 0x828\n/);
    expect(bad.stdout).toMatch(/cpu 0: store 0xd000000000000000 -> 0x809000 via slot 0x57a80\n/);
    const ok = cli(['scenario', 'zsmalloc', '--variant', 'global-flush', '--json']);
    expect(ok.status).toBe(0);
    const j = JSON.parse(ok.stdout);
    expect(j).toMatchObject({ scenario: 'zsmalloc', variant: 'global-flush', verdict: 'safe', ops: 300, failure: null });
  });

  it('bad input exits 2 with one line', () => {
    for (const args of [['scenario', 'nope'], ['scenario', 'zsmalloc', '--variant', 'x'], ['scenario', 'zsmalloc', '--explore', 'random']]) {
      const r = cli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });

  it('demo (npm start) prints the table of verdicts and the first counterexample', () => {
    const r = cli(['demo']);
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.find((l) => l.startsWith('seed-stub'))).toMatch(/^seed-stub\s+CORRUPT 3\/4\s+CORRUPT 4\/4/);
    expect(lines.find((l) => l.startsWith('global-flush'))).toMatch(/^global-flush\s+safe 4\/4\s+safe 4\/4/);
    expect(lines.find((l) => l.startsWith('copy'))).toMatch(/^copy\s+safe 4\/4\s+safe 4\/4/);
    expect(r.stdout).toContain('first counterexample — replay: ppc64emu scenario zsmalloc --variant seed-stub --cpus 1 --threads 2 --ops 300 --seed 1');
  });
});
