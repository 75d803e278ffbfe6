// Two CPUs: CPU 1 uses a translation, CPU 0 invalidates it four ways (fixtures/smp/invalidate.s).
// r21 of CPU 1 is what it reads after CPU 0 has remapped the page: 0xaaaa is the old page
// through a stale translation, 0xbbbb the new one.

import { describe, expect, it } from 'vitest';
import { runBare, type BareRun } from '../helpers/bare.js';

const ENTRY = { a: 0x100n, b: 0x120n, c: 0x140n, d: 0x160n };
const OLD = 0xaaaan;
const NEW = 0xbbbbn;

function run(v: keyof typeof ENTRY, policy: 'eager' | 'isa', extra: { speculate?: boolean; seed?: number } = {}): BareRun {
  const r = runBare('smp/invalidate.s', { cpus: 2, model: 'power8', entry: ENTRY[v], policy, record: true, ...extra });
  expect(r.machine.stop, `${v} ${policy}`).toBe('halt');
  expect(r.gpr(1, 20)).toBe(OLD); // the first read always sees page A
  return r;
}

describe('invalidating a translation another CPU holds', () => {
  it('(a) tlbiel only: CPU 1 keeps reading the old page, in both policies', () => {
    expect(run('a', 'eager').gpr(1, 21)).toBe(OLD);
    expect(run('a', 'isa').gpr(1, 21)).toBe(OLD);
  });

  it('(b) ptesync; tlbie; eieio; tlbsync; ptesync: CPU 1 reads the new page, in both policies', () => {
    expect(run('b', 'eager').gpr(1, 21)).toBe(NEW);
    expect(run('b', 'isa').gpr(1, 21)).toBe(NEW);
  });

  it('(b) stays correct under every interleaving and speculation seed tried', () => {
    for (let seed = 1; seed <= 12; seed++) expect(run('b', 'isa', { speculate: true, seed }).gpr(1, 21), `seed ${seed}`).toBe(NEW);
  });

  it('(c) tlbie without tlbsync/ptesync: stale under isa, not under eager', () => {
    expect(run('c', 'eager').gpr(1, 21)).toBe(NEW);
    const r = run('c', 'isa');
    expect(r.gpr(1, 21)).toBe(OLD);
    // The invalidation of CPU 1's entry is still pending at the end.
    expect(r.mmu.pendingInvalidations().some((p) => p.targets.has(1) && p.op === 'tlbie')).toBe(true);
  });

  it('(d) PTE cleared without ptesync before tlbie: with speculation CPU 1 re-loads the old PTE (seed 2)', () => {
    expect(run('d', 'eager').gpr(1, 21)).toBe(NEW);
    expect(run('d', 'isa').gpr(1, 21)).toBe(NEW); // no speculation: nothing re-loads in the window
    const r = run('d', 'isa', { speculate: true, seed: 2 });
    expect(r.gpr(1, 21)).toBe(OLD);
    // The story in the event log: CPU 1's entry is invalidated, then CPU 1 loads the old PTE
    // speculatively (CPU 0's clearing store is not yet visible to it), then the store becomes
    // visible.
    const ev = r.mmu.events.events;
    const done = ev.findIndex((e) => e.type === 'tlb-invalidate' && e.cpu === 1 && e.state === 'completed');
    const spec = ev.findIndex((e, k) => k > done && e.type === 'tlb-fill' && e.cpu === 1 && e.speculative);
    const visible = ev.findIndex((e, k) => k > done && e.type === 'hpt-visible' && e.cpu === 0);
    expect(done).toBeGreaterThan(0);
    expect(spec).toBeGreaterThan(done);
    expect(visible).toBeGreaterThan(spec);
    const fill = ev[spec]!;
    expect(fill.type === 'tlb-fill' && fill.ra).toBe(0x200000n);
  });

  it('the same seed gives the same run', () => {
    const a = run('d', 'isa', { speculate: true, seed: 2 });
    const b = run('d', 'isa', { speculate: true, seed: 2 });
    expect(a.machine.cpus.map((c) => c.instructions)).toEqual(b.machine.cpus.map((c) => c.instructions));
    expect(a.mmu.events.events.map((e) => e.type)).toEqual(b.mmu.events.events.map((e) => e.type));
  });
});
