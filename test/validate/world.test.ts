// The machine a fixture runs on and the HashMmu's manual mode as the explorer drives it:
// visibility of page-table stores by ordering epoch, early completion of invalidations,
// speculative loads on demand, and snapshots that restore the exact state.

import { describe, expect, it } from 'vitest';
import { run } from '../../src/cpu/interp.js';
import { parseFixture } from '../../src/validate/index.js';
import { buildWorld } from '../../src/validate/world.js';

const HEAD = '\t.model power8\n\t.page P 0xd000000000001000 0x200000 invalid\n\t.cpu 0\n\t.reg r3, P_hpte\n\t.reg r4, P_dw0\n\t.reg r5, P_dw1\n';

function world(body: string, cpus = 2) {
  const f = parseFixture(HEAD + body, 't.s');
  const w = buildWorld(f, f.runModel, cpus);
  return { f, w, p: f.pages[0]!, cpu: w.machine.cpus };
}

describe('validation machine', () => {
  it('starts each CPU at its code with data translation on and the SLB loaded', () => {
    const { w, cpu } = world('\tnop\n');
    expect(cpu[0]!.pc).toBe(0x100000n);
    expect(cpu[1]!.pc).toBe(0x110000n);
    expect(cpu[0]!.getGpr(3) >> 60n).toBe(0xcn);
    expect(w.mmu.slb(cpu[1]!).find(0xd000000000001000n)).not.toBeNull();
    expect(w.mmu.slb(cpu[1]!).find(0xc000000000040000n)).not.toBeNull();
    expect(w.mmu.tlb(cpu[0]!).entries()).toEqual([]);
  });
});

describe('HashMmu manual mode', () => {
  it('page-table stores become visible one by one, oldest eieio epoch first', () => {
    const { w, p, cpu } = world('\tstd r5, 8(r3)\n\teieio\n\tstd r4, 0(r3)\n');
    run(cpu[0]!, 3);
    expect(w.mmu.publishable(0)).toEqual([p.slot + 8n]); // dw1 before dw0
    expect(w.mmu.canSpeculate(cpu[1]!, p.ea)).toBe(false); // CPU 1 still sees V=0
    expect(w.mmu.canSpeculate(cpu[0]!, p.ea)).toBe(true); // its own stores it sees
    w.mmu.publish(0, p.slot + 8n);
    expect(w.mmu.publishable(0)).toEqual([p.slot]);
    w.mmu.publish(0, p.slot);
    expect(w.mmu.canSpeculate(cpu[1]!, p.ea)).toBe(true);
    expect(w.mmu.speculativeLoad(cpu[1]!, p.ea)).toBe(true);
    expect(w.mmu.tlb(cpu[1]!).entries().map((e) => [e.ra, e.speculative])).toEqual([[0x200000n, true]]);
    expect(w.mmu.speculativeLoad(cpu[1]!, p.ea)).toBe(false); // already held
  });

  it('speculation candidates: the EAs of PTEs a CPU has made valid, once another CPU can see them', () => {
    const { w, p, cpu } = world('\tstd r5, 8(r3)\n\teieio\n\tstd r4, 0(r3)\n');
    expect(w.mmu.hashedEas(cpu[1]!)).toEqual([]);
    run(cpu[0]!, 3);
    expect(w.mmu.hashedEas(cpu[0]!)).toEqual([p.ea]); // its own stores it sees
    expect(w.mmu.hashedEas(cpu[1]!)).toEqual([]); // dw0 not visible to CPU 1 yet
    w.mmu.publish(0, p.slot + 8n);
    w.mmu.publish(0, p.slot);
    expect(w.mmu.hashedEas(cpu[1]!)).toEqual([p.ea]);
  });

  it('without eieio both stores may become visible in either order', () => {
    const { w, p, cpu } = world('\tstd r5, 8(r3)\n\tstd r4, 0(r3)\n');
    run(cpu[0]!, 2);
    expect(w.mmu.publishable(0).sort()).toEqual([p.slot, p.slot + 8n]);
  });

  it('a tlbie stays pending until completed early on a target or forced by tlbsync; ptesync', () => {
    const src = '\t.reg r6, P_ea\n\tstd r5, 8(r3)\n\teieio\n\tstd r4, 0(r3)\n\tptesync\n\tld r7, 0(r6)\n\t.reg r8, P_rb\n\tptesync\n\ttlbie r8, r0\n\teieio\n\ttlbsync\n\tptesync\n';
    const { w, p, cpu } = world(src);
    run(cpu[0]!, 5); // insert, then use it: CPU 0's TLB holds it
    expect(w.mmu.speculativeLoad(cpu[1]!, p.ea)).toBe(true);
    run(cpu[0]!, 2); // ptesync; tlbie
    const [pend] = w.mmu.pendingInvalidations();
    expect([...pend!.targets].sort()).toEqual([0, 1]);
    w.mmu.completeOn(pend!.id, 1);
    expect(w.mmu.tlb(cpu[1]!).entries()).toEqual([]);
    expect(w.mmu.tlb(cpu[0]!).entries().some((e) => e.ra === 0x200000n)).toBe(true);
    run(cpu[0]!, 3); // eieio; tlbsync; ptesync: forced on CPU 0
    expect(w.mmu.pendingInvalidations()).toEqual([]);
    expect(w.mmu.tlb(cpu[0]!).entries().some((e) => e.ra === 0x200000n)).toBe(false);
  });

  it('snapshot and restore give back registers, storage, TLBs and invisible stores exactly', () => {
    const { w, p, cpu } = world('\tstd r5, 8(r3)\n\teieio\n\tstd r4, 0(r3)\n\tptesync\n');
    run(cpu[0]!, 1);
    const m0 = w.machine.snapshot();
    const k0 = w.mmu.stateKey();
    const s0 = w.mmu.snapshot();
    const dw1 = w.machine.mem.read64(p.slot + 8n, false);
    run(cpu[0]!, 3);
    w.mmu.speculativeLoad(cpu[1]!, p.ea);
    expect(w.mmu.stateKey()).not.toBe(k0);
    w.machine.restore(m0);
    w.mmu.restore(s0);
    expect(w.mmu.stateKey()).toBe(k0);
    expect(cpu[0]!.pc).toBe(0x100004n);
    expect(w.machine.mem.read64(p.slot, false)).toBe(0n);
    expect(w.machine.mem.read64(p.slot + 8n, false)).toBe(dw1);
    expect(w.mmu.publishable(0)).toEqual([p.slot + 8n]);
    // And it runs on from there as it did the first time.
    run(cpu[0]!, 3);
    expect(w.machine.mem.read64(p.slot, false)).toBe(p.dw0);
  });
});

describe('explorer state: versioned parts and keys that depend on the state alone', () => {
  it('a TLB snapshot is shared while nothing changes; setChanged replaces the entry, so an older snapshot keeps C clear', async () => {
    const { Tlb } = await import('../../src/mmu/tlb.js');
    const t = new Tlb(64, 4);
    const e = t.insert({ vpn: 0x123n, actualShift: 12, baseShift: 12, ssize: 0, ra: 0x5000n, pp: 2, noExec: false, changed: false, slot: 0x40n, speculative: false });
    const s1 = t.snapshot();
    expect(t.snapshot()).toBe(s1);
    const k1 = t.key();
    const c = t.setChanged(e);
    expect(c).not.toBe(e);
    expect(t.snapshot()).not.toBe(s1);
    expect(t.key()).not.toBe(k1);
    t.restore(s1);
    expect(t.entries().map((x) => x.changed)).toEqual([false]);
    expect(t.key()).toBe(k1);
  });

  it('the checker takes the snapshot\'s violation back even when nothing else changed (D5 and final checks set it from outside)', async () => {
    const { Checker } = await import('../../src/validate/checker.js');
    const { w } = world('\tnop\n');
    const ch = new Checker(w.mmu);
    const s = ch.snapshot();
    ch.violation = { id: 'D5', cpu: 0, message: 'x' };
    expect(ch.snapshot()).not.toBe(s); // not the violation-free one
    ch.restore(s);
    expect(ch.violation).toBeNull();
  });

  it('the storage key leaves out a page stored to in another branch once it holds its starting bytes again', async () => {
    const { TrackedStorage } = await import('../../src/validate/tracked-storage.js');
    const { w, cpu } = world('\tli r7, 0x55\n\tstd r7, 0(r3)\n');
    const ts = new TrackedStorage(w);
    const k0 = ts.key();
    const s = ts.snapshot();
    run(cpu[0]!, 2); // stores to the HPT slot: the page is tracked from now on
    expect(ts.key()).not.toBe(k0);
    ts.restore(s);
    expect(ts.key()).toBe(k0);
  });
});
