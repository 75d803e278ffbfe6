// Verdicts of the zsmalloc scenario on fixed seeds. These are what the model answers (they were
// not written into it); a change in any of them means the model changed.

import { describe, expect, it } from 'vitest';
import { runZsmallocScenario, type ScenarioOptions } from '../../src/kernel-shim/scenario.js';

const base: ScenarioOptions = { variant: 'setpte-stub', cpus: 1, threads: 1, ops: 150, seed: 1, policy: 'isa', speculate: false, model: 'power8' };

describe('zsmalloc scenario', () => {
  it('setpte-stub corrupts even on one CPU: the HPTE of the first mapping outlives every set_pte', () => {
    for (const policy of ['eager', 'isa'] as const) {
      const r = runZsmallocScenario({ ...base, policy });
      expect(r.verdict).toBe('corrupted');
      expect(r.ops).toBe(140);
      expect(r.failure).toBe(
        "cpu 0 read byte 0 of object 36 (handle 36) at 0xd000000000000c70 as 0xa, expected 0x6c (lbzx in the check loop); " +
          "real address 0x809c70 is byte 416 of object 28's storage",
      );
      // The PTE of the area's first page is set to other page frames again and again, but every
      // access still goes through one HPTE slot to one real page.
      const tl = r.timeline.map((l) => l.replace(/^#\d+ /, ''));
      expect(tl).toContain('cpu 0: set_pte 0xd000000000000000: PTE none -> pfn 0x828');
      const accesses = tl.filter((l) => / (load|store) 0xd0/.test(l));
      expect(accesses.length).toBeGreaterThan(2);
      expect(accesses.every((l) => l.endsWith('-> 0x809000 via slot 0x57a80'))).toBe(true);
    }
  });

  it('lazy-batch corrupts when the remap comes before arch_leave_lazy_mmu_mode flushes the batch', () => {
    const r = runZsmallocScenario({ ...base, variant: 'lazy-batch', threads: 2, ops: 300, speculate: true });
    expect(r.verdict).toBe('corrupted');
    expect(r.ops).toBe(118);
    const tl = r.timeline.map((l) => l.replace(/^#\d+ /, ''));
    // The unmap cleared the hashed PTE (its flush queued in the batch), the area was mapped to
    // pfn 0x801, and the next store still went to 0x809000 through the old HPTE.
    const i = tl.indexOf('cpu 0: pte_update 0xd000000000000000: PTE pfn 0x809 hashed -> none');
    expect(i).toBeGreaterThanOrEqual(0);
    expect(tl[i + 1]).toBe('cpu 0: set_pte 0xd000000000000000: PTE none -> pfn 0x801');
    expect(tl[i + 2]).toBe('cpu 0: store 0xd000000000000000 -> 0x809000 via slot 0x57a80');
  });

  it('patch-2012, tlbiel-local, global-flush and copy stay safe on two CPUs, both policies (seeds 1-2)', () => {
    for (const variant of ['patch-2012', 'tlbiel-local', 'global-flush', 'copy']) {
      for (const policy of ['eager', 'isa'] as const) {
        for (const seed of [1, 2]) {
          const r = runZsmallocScenario({ ...base, variant, cpus: 2, threads: 2, seed, policy, speculate: policy === 'isa' });
          expect(r.verdict, `${variant} ${policy} seed ${seed}: ${r.failure}`).toBe('safe');
          expect(r.ops).toBe(150);
        }
      }
    }
  });

  it('the same seed gives the same run and the same timeline', () => {
    const a = runZsmallocScenario({ ...base, cpus: 2, threads: 2, seed: 1, speculate: true });
    const b = runZsmallocScenario({ ...base, cpus: 2, threads: 2, seed: 1, speculate: true });
    expect(a).toEqual(b);
    expect(a.verdict).toBe('corrupted');
  });

  it('rejects an unknown variant', () => {
    expect(() => runZsmallocScenario({ ...base, variant: 'nope' })).toThrow(/unknown variant/);
  });
});
