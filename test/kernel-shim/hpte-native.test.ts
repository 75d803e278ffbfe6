// Linux's native HPTE insert and invalidate, run as instruction sequences on emulated CPUs.

import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/cpu/machine.js';
import { CPU_MODELS, type CpuModelName } from '../../src/cpu/models.js';
import { HashMmu, type MmuPolicy } from '../../src/mmu/hash-mmu.js';
import { encodeTlbieRb } from '../../src/mmu/tlbie-rb.js';
import { Guest } from '../../src/kernel-shim/guest.js';
import { NativeHpte } from '../../src/kernel-shim/hpte-native.js';

// One 256 MB segment, VSID 0x123, 4 KiB pages; HPT at 0x40000 (2048 PTEGs), set up in real
// mode by guest calls; EA 0x10000000 -> RA 0x200000 (hash 0x123 -> PTEG 0x49180).
const PTEG = 0x49180n;
const DW0 = 0x123001n; // AVPN 0x123000 | V (v2.07 and v3.0 agree for a 256 MB segment)
const DW1_A = 0x200000n;
const RB = encodeTlbieRb(0x1230000000n >> 12n, 12, 12, 0)!;

function setup(model: CpuModelName, policy: MmuPolicy) {
  const m = new Machine({ cpus: 2, model, memorySize: 64n << 20n });
  const mmu = new HashMmu(m, { policy });
  mmu.events.recording = true;
  const guest = new Guest(m, 0x100000n);
  const native = new NativeHpte(guest, { model: CPU_MODELS[model], tlbieLock: 0x3000n });
  const table =
    model === 'power9'
      ? `\tlis r3, 0x4\n\tlis r4, 0x1\n\tstd r3, 0(r4)\n\tptesync\n\tmtspr 464, r4\n` // PTCR -> PATE0 -> HPT
      : `\tlis r3, 0x4\n\tmtsdr1 r3\n`;
  const slb = `\tlis r8, 0x12\n\tori r8, r8, 0x3000\n\tlis r9, 0x1800\n\tslbmte r8, r9\n\tisync\n`;
  for (const c of m.cpus) guest.call(c, 'boot', table + slb);
  m.mem.write(0x200000n, new Uint8Array([0, 0, 0, 0, 0, 0, 0xaa, 0xaa]));
  const load = (cpu: number) => guest.call(m.cpus[cpu]!, 'load', `\tld\tr3, 0(r3)\n`, [0x10000000n], { relocate: true })[0];
  return { m, mmu, native, load };
}

describe('native_hpte_insert', () => {
  it('takes the first free slot of the PTEG with dw1, eieio, dw0, ptesync; other CPUs translate through it', () => {
    for (const model of ['power8', 'power9'] as const) {
      const { m, mmu, native, load } = setup(model, 'isa');
      expect(native.insert(m.cpus[0]!, PTEG, DW0, DW1_A)).toBe(0);
      expect(m.mem.read64(PTEG, false)).toBe(DW0);
      expect(load(1)).toBe(0xaaaan);
      // The stores, in order, as the event log saw them: dw1 first, then dw0 with V.
      const stores = mmu.events.events.filter((e) => e.type === 'hpt-store' && e.slot === PTEG);
      expect(stores.map((e) => e.type === 'hpt-store' && [e.newDw0, e.newDw1])).toEqual([
        [0x8n, 0n], // ldarx/stdcx. set the lock bit
        [0x8n, DW1_A],
        [DW0, DW1_A],
      ]);
      // A second insert goes to slot 1; a full group returns -1.
      expect(native.insert(m.cpus[1]!, PTEG, DW0 | 0x1000n, DW1_A)).toBe(1);
      for (let k = 2; k < 8; k++) expect(native.insert(m.cpus[0]!, PTEG, DW0 | BigInt(k << 12), DW1_A)).toBe(k);
      expect(native.insert(m.cpus[0]!, PTEG, DW0, DW1_A)).toBe(-1);
    }
  });
});

describe('native_hpte_invalidate and tlbie()', () => {
  it('global: clears the PTE and ends every CPU\'s translation (both policies)', () => {
    for (const policy of ['eager', 'isa'] as const) {
      const { m, mmu, native, load } = setup('power8', policy);
      native.insert(m.cpus[0]!, PTEG, DW0, DW1_A);
      expect(load(1)).toBe(0xaaaan);
      expect(mmu.tlb(m.cpus[1]!).entries()).toHaveLength(1);
      expect(native.invalidate(m.cpus[0]!, PTEG, DW0, RB, false)).toBe(true);
      expect(m.mem.read64(PTEG, false)).toBe(0n);
      expect(mmu.tlb(m.cpus[1]!).entries(), policy).toHaveLength(0);
      expect(mmu.pendingInvalidations()).toHaveLength(0);
    }
  });

  it('local (tlbiel): the other CPU keeps its translation — the 2012 question in miniature', () => {
    const { m, mmu, native, load } = setup('power8', 'isa');
    native.insert(m.cpus[0]!, PTEG, DW0, DW1_A);
    expect(load(1)).toBe(0xaaaan);
    expect(native.invalidate(m.cpus[0]!, PTEG, DW0, RB, true)).toBe(true);
    expect(mmu.tlb(m.cpus[1]!).entries()).toHaveLength(1); // stale on cpu 1
    expect(load(1)).toBe(0xaaaan); // and usable
  });

  it('a PTE that no longer matches is only unlocked, but the flush still runs', () => {
    const { m, native } = setup('power8', 'eager');
    native.insert(m.cpus[0]!, PTEG, DW0, DW1_A);
    expect(native.invalidate(m.cpus[0]!, PTEG, DW0 | 0x80000n, RB, false)).toBe(false);
    expect(m.mem.read64(PTEG, false)).toBe(DW0); // unchanged, lock bit clear
  });

  it('POWER9 (P9_TLBIE_STQ_BUG) issues the fixup tlbie: two tlbie per invalidation', () => {
    const { m, mmu, native } = setup('power9', 'eager');
    native.insert(m.cpus[0]!, PTEG, DW0, DW1_A);
    native.invalidate(m.cpus[0]!, PTEG, DW0, RB, false);
    const byCpu0 = mmu.events.events.filter((e) => e.type === 'tlb-invalidate' && e.cpu === 0 && e.cause === 'tlbie');
    expect(byCpu0).toHaveLength(2);
  });

  it('without LOCKLESS_TLBIE the tlbie runs under native_tlbie_lock (taken and released)', () => {
    const { m } = setup('power8', 'eager');
    const model = { ...CPU_MODELS.power8, features: { ...CPU_MODELS.power8.features, LOCKLESS_TLBIE: false } };
    const guest = new Guest(m, 0x200000n);
    const native = new NativeHpte(guest, { model, tlbieLock: 0x3000n });
    native.insert(m.cpus[0]!, PTEG, DW0, DW1_A);
    expect(native.invalidate(m.cpus[0]!, PTEG, DW0, RB, false)).toBe(true);
    expect(m.mem.read64(0x3000n, false) >> 32n).toBe(0n); // released
    // Held by another CPU: the tlbie cannot start (the sequence spins until the call gives up).
    m.mem.write(0x3000n, new Uint8Array([0, 0, 0, 1]));
    native.insert(m.cpus[0]!, PTEG, DW0, DW1_A);
    expect(() => native.invalidate(m.cpus[1]!, PTEG, DW0, RB, false)).toThrow(/did not complete/);
    // It had cleared the PTE (native_hpte_invalidate) before waiting for the tlbie lock.
    expect(m.mem.read64(PTEG, false)).toBe(0n);
    // A local flush (tlbiel) needs no lock; the PTE no longer matches, so it only flushes.
    m.cpus[1]!.stop = null;
    expect(native.invalidate(m.cpus[0]!, PTEG, DW0, RB, true)).toBe(false);
  });
});

describe('native_hpte_updatepp and native_flush_hash_range', () => {
  it('updatepp changes PP (and N) of a matching PTE, then invalidates the TLB entry everywhere', () => {
    const { m, mmu, native, load } = setup('power8', 'isa');
    native.insert(m.cpus[0]!, PTEG, DW0, DW1_A);
    expect(load(1)).toBe(0xaaaan);
    expect(native.updatepp(m.cpus[0]!, PTEG, DW0, RB, 0x3n, false)).toBe(true);
    expect(m.mem.read64(PTEG + 8n, false) & 7n).toBe(3n); // PP 0b11: read-only for key 0
    expect(mmu.tlb(m.cpus[1]!).entries()).toHaveLength(0);
    // A PTE that no longer matches is left alone; the flush still runs.
    expect(native.updatepp(m.cpus[0]!, PTEG, DW0 | 0x100n, RB, 0n, false)).toBe(false);
    expect(m.mem.read64(PTEG + 8n, false) & 7n).toBe(3n);
  });

  it('flush_hash_range clears every HPTE first, then issues all tlbies in one sequence', () => {
    const { m, mmu, native } = setup('power8', 'isa');
    const second = 0x49100n; // PTEG of EA 0x10001000 (hash 0x123 ^ 1)
    native.insert(m.cpus[0]!, PTEG, DW0, DW1_A);
    native.insert(m.cpus[0]!, second, DW0, 0x201000n);
    const rb2 = encodeTlbieRb(0x1230001000n >> 12n, 12, 12, 0)!;
    const before = mmu.events.events.length;
    native.flushHashRange(m.cpus[0]!, [{ hptep: PTEG, want: DW0, rb: RB }, { hptep: second, want: DW0, rb: rb2 }], false, 0x30000n);
    expect(m.mem.read64(PTEG, false)).toBe(0n);
    expect(m.mem.read64(second, false)).toBe(0n);
    const after = mmu.events.events.slice(before);
    const firstTlbie = after.findIndex((e) => e.type === 'tlb-invalidate');
    const lastHptStore = after.map((e) => e.type).lastIndexOf('hpt-store');
    expect(lastHptStore).toBeLessThan(firstTlbie); // both HPTEs cleared before any tlbie
    const syncs = after.filter((e) => e.type === 'sync').map((e) => e.type === 'sync' && e.op);
    expect(syncs.filter((s) => s === 'tlbsync')).toHaveLength(1); // one eieio; tlbsync; ptesync
  });
});
