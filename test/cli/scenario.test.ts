import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { cli, tempFiles } from '../helpers/cli.js';

describe('ppc64emu scenario and the main job', () => {
  it('scenario zsmalloc: exit 1 with the corruption and its timeline, exit 0 when safe; --json', () => {
    const bad = cli(['scenario', 'zsmalloc', '--variant', 'setpte-stub', '--cpus', '1', '--threads', '1', '--ops', '150', '--speculate', 'off']);
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(/^zsmalloc setpte-stub \(.*\): corrupted after 140 operations\n/);
    expect(bad.stdout).toContain('cpu 0 read byte 0 of object 36 (handle 36) at 0xd000000000000c70 as 0xa, expected 0x6c');
    expect(bad.stdout).toMatch(/cpu 0: set_pte 0xd000000000000000: PTE none -> pfn 0x828\n/);
    expect(bad.stdout).toMatch(/cpu 0: store 0xd000000000000000 -> 0x809000 via slot 0x57a80\n/);
    const ok = cli(['scenario', 'zsmalloc', '--variant', 'global-flush', '--json']);
    expect(ok.status).toBe(0);
    const j = JSON.parse(ok.stdout);
    expect(j).toMatchObject({ scenario: 'zsmalloc', variant: 'global-flush', verdict: 'safe', ops: 300, failure: null });
  });

  it('bad input exits 2 with one line', () => {
    for (const args of [['scenario', 'nope'], ['scenario', 'zsmalloc', '--variant', 'x'], ['scenario', 'zsmalloc', '--explore', 'sometimes']]) {
      const r = cli(args);
      expect(r.status, args.join(' ')).toBe(2);
      expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
    }
  });

  it('demo (npm start) prints the table of verdicts and the first counterexample', () => {
    const r = cli(['demo']);
    expect(r.status).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.find((l) => l.startsWith('setpte-stub'))).toMatch(/^setpte-stub\s+CORRUPT 3\/4\s+CORRUPT 4\/4/);
    expect(lines.find((l) => l.startsWith('global-flush'))).toMatch(/^global-flush\s+safe 4\/4\s+safe 4\/4/);
    expect(lines.find((l) => l.startsWith('copy'))).toMatch(/^copy\s+safe 4\/4\s+safe 4\/4/);
    // The exhaustive cycle: the sampled runs never use another CPU's stale entry, the explorer
    // finds one (tlbiel-local); the 2012 patch and the global flush are safe in every order.
    expect(lines.find((l) => l.startsWith('tlbiel-local'))).toMatch(/^tlbiel-local\s+safe 4\/4\s+safe 4\/4\s+D1 cpu 1\s/);
    expect(lines.find((l) => l.startsWith('patch-2012'))).toMatch(/^patch-2012\s+safe 4\/4\s+safe 4\/4\s+safe \(\d+\)\s/);
    // The conclusions follow from the table: who holds the translation, sampled vs explored.
    expect(r.stdout).toContain('  tlbiel-local: unsafe, although all 8 sampled runs were safe. Exploring one cycle finds that cpu 1, not the CPU that unmapped the area,');
    expect(r.stdout).toContain('  setpte-stub: unsafe. 7 of 8 sampled runs corrupted an object, and exploring one cycle shows why: cpu 0, the CPU that unmapped the area, can itself');
    expect(r.stdout).toMatch(/ {2}The 2012 question: a CPU-local TLB flush is not enough .* Safe here: patch-2012, global-flush, copy\.\n/);
    // Replay lines carry every option the run used.
    expect(r.stdout).toContain('first counterexample — replay: ppc64emu scenario zsmalloc --variant setpte-stub --cpus 1 --seed 1 --threads 2 --ops 300 --cpu-model power8 --mmu-policy isa --speculate on');
  });

  it('scenario defaults to --cpu-model power9, as run, debug, gdbserver and validate do; --cpu-model overrides it', () => {
    const def = cli(['scenario', 'zsmalloc', '--variant', 'copy', '--explore', 'exhaustive']);
    expect(def.stdout).toContain('(2 CPUs, power9, Power memory model)');
    const p8 = cli(['scenario', 'zsmalloc', '--variant', 'copy', '--explore', 'exhaustive', '--cpu-model', 'power8']);
    expect(p8.stdout).toContain('(2 CPUs, power8, Power memory model)');
  });

  it('--explore runs one unmap/remap cycle through the validator: exact verdicts per variant', () => {
    const expected: Record<string, string | null> = {
      'setpte-stub': 'D1', // set_pte never invalidates the HPTE: still valid at the remap
      'patch-2012': null, // hpte_need_flush() flushes globally at once
      'lazy-batch': 'D1', // the batched flush comes after the remap
      'tlbiel-local': 'D1', // another CPU may hold the area's translation
      'global-flush': null,
      copy: null,
    };
    for (const [variant, id] of Object.entries(expected)) {
      const r = cli(['scenario', 'zsmalloc', '--variant', variant, '--explore', 'exhaustive', '--json']);
      const j = JSON.parse(r.stdout);
      expect(r.status, variant).toBe(id ? 1 : 0);
      expect(j.scenario, variant).toBe('zsmalloc');
      expect(j.counterexample?.violation.id ?? null, variant).toBe(id);
      if (!id) expect(j.exploration.complete, variant).toBe(true);
    }
  });

  it('--explore text output names the variant, the violation and the CPU that holds the translation; --fixture-out writes a fixture validate agrees with', () => {
    const dir = tempFiles({});
    const out = join(dir, 'cycle.s');
    const r = cli(['scenario', 'zsmalloc', '--variant', 'tlbiel-local', '--explore', 'exhaustive', '--fixture-out', out]);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/^zsmalloc tlbiel-local \(.*\): one unmap\/remap cycle of CPU 0's area, explored\n/);
    expect(r.stdout).toMatch(/cpu 1: violation D1: at cpu 0 line \d+ \(assert-gone AREA\) cpu 1's TLB still holds the translation of slot 0x[0-9a-f]+ -> RA 0x800000/);
    expect(r.stdout).toMatch(/\| speculative TLB load: EA 0xd000000000000000 -> RA 0x800000/);
    const v = cli(['validate', out, '--explore', 'exhaustive', '--json']);
    expect(v.status).toBe(1);
    expect(JSON.parse(v.stdout).counterexample.violation.id).toBe('D1');
  });
});
