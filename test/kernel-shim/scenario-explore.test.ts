// The fixture `scenario --explore` builds runs the shim's own instruction sequences.

import { describe, expect, it } from 'vitest';
import { CPU_MODELS } from '../../src/cpu/models.js';
import { nativeHpteInvalidateText } from '../../src/kernel-shim/hpte-native.js';
import { exploreZsmallocCycle, zsmallocCycleFixture } from '../../src/kernel-shim/scenario-explore.js';

describe('zsmalloc cycle fixture', () => {
  it("contains native_hpte_invalidate() exactly as NativeHpte runs it, global or local per variant", () => {
    const p8 = CPU_MODELS.power8;
    expect(zsmallocCycleFixture('patch-2012', p8, 2)).toContain(nativeHpteInvalidateText(p8, false).trimEnd());
    expect(zsmallocCycleFixture('global-flush', p8, 2)).toContain(nativeHpteInvalidateText(p8, false).trimEnd());
    const local = zsmallocCycleFixture('tlbiel-local', p8, 2);
    expect(local).toContain(nativeHpteInvalidateText(p8, true).trimEnd());
    expect(local).toMatch(/\ttlbiel\tr5\n/);
    expect(zsmallocCycleFixture('setpte-stub', p8, 2)).not.toMatch(/\ttlbiel?\t/);
    // The lazy batch's flush comes after the remap point.
    const lazy = zsmallocCycleFixture('lazy-batch', p8, 2);
    expect(lazy.indexOf('# assert-gone AREA')).toBeLessThan(lazy.indexOf('tlbie\tr5, r0'));
  });

  it('follows the model: the tlbie lock without LOCKLESS_TLBIE, the POWER9 fixup', () => {
    const locked = { ...CPU_MODELS.power8, features: { ...CPU_MODELS.power8.features, LOCKLESS_TLBIE: false } };
    expect(zsmallocCycleFixture('patch-2012', locked, 2)).toMatch(/lwarx\tr9, 0, r10/);
    expect(zsmallocCycleFixture('patch-2012', CPU_MODELS.power9, 2)).toMatch(/tlbie\tr5, r0\n\tptesync\n\ttlbie\tr5, r0\n\teieio/);
    const r = exploreZsmallocCycle({ variant: 'patch-2012', model: locked, cpus: 2, mode: 'exhaustive', maxStates: 100000, seed: 1 });
    expect(r.result.verdict).toBe('pass');
    expect(r.result.exploration.complete).toBe(true);
  });
});
