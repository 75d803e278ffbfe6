import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/cpu/machine.js';
import { HashMmu } from '../../src/mmu/hash-mmu.js';
import { Kernel, VMALLOC_START } from '../../src/kernel-shim/boot.js';
import { KernelCrash, KernelPageTable } from '../../src/kernel-shim/hash-page.js';
import { PAGE_KERNEL, pfnPte, pteSlot, _PAGE_ACCESSED, _PAGE_BUSY, _PAGE_HASHPTE } from '../../src/kernel-shim/linux-pte.js';

function boot(model: 'power8' | 'power9' = 'power8') {
  const m = new Machine({ cpus: 2, model, memorySize: 64n << 20n });
  const mmu = new HashMmu(m, { policy: 'isa' });
  mmu.events.recording = true;
  const k = new Kernel(m, mmu);
  k.boot();
  const pt = new KernelPageTable(k, 0x400000n, 256);
  return { m, mmu, k, pt };
}

const EA = VMALLOC_START + 0x1000n;

describe('hash_page for vmalloc addresses', () => {
  for (const model of ['power8', 'power9'] as const) {
    it(`${model}: a load with no HPTE faults, hash_page inserts one from the Linux PTE, the load completes`, () => {
      const { m, mmu, k, pt } = boot(model);
      pt.setPteAt(m.cpus[0]!, EA, pfnPte(0x900n, PAGE_KERNEL));
      m.mem.write(0x900000n, new Uint8Array([0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 1]));
      expect(k.load64(m.cpus[1]!, EA)).toBe(0xdeadbeef00000001n);
      // The PTE records the HPTE (slot 0 of the primary group), BUSY is clear again.
      const pte = pt.peek(EA);
      expect(pte & (_PAGE_HASHPTE | _PAGE_ACCESSED | _PAGE_BUSY)).toBe(_PAGE_HASHPTE | _PAGE_ACCESSED);
      expect(pteSlot(pte)).toEqual({ secondary: false, index: 0 });
      // The fault was handled on cpu 1: its TLB was filled from the new HPTE.
      const ev = mmu.events.events;
      const fill = ev.find((e) => e.type === 'tlb-fill' && e.cpu === 1 && e.ea === EA);
      expect(fill && fill.type === 'tlb-fill' && fill.ra).toBe(0x900000n);
      // cpu 0 now reaches it without a fault of its own.
      expect(k.load64(m.cpus[0]!, EA)).toBe(0xdeadbeef00000001n);
    });
  }

  it('a vmalloc address with no present PTE is a kernel crash, named like Linux', () => {
    const { m, k } = boot();
    expect(() => k.load64(m.cpus[0]!, VMALLOC_START + 0x5000n)).toThrow(KernelCrash);
    expect(() => k.load64(m.cpus[0]!, VMALLOC_START + 0x5000n)).toThrow(/Unable to handle kernel paging request for data at address 0xd000000000005000/);
  });

  it('a full primary group sends the HPTE to the secondary group (H set, slot bits 8 + index)', () => {
    const { m, k, pt, mmu } = boot();
    const groups = mmu.hptEntries(m.cpus[0]!, EA); // primary PTEG's 8 slots, then the secondary's
    const primary = groups[0]!.slot;
    for (let i = 0n; i < 8n; i++) m.mem.write(primary + i * 16n, new Uint8Array([0, 0, 0, 0, 0, 0x99, 0x90, 0x01]));
    pt.setPteAt(m.cpus[0]!, EA, pfnPte(0x900n, PAGE_KERNEL));
    expect(k.load64(m.cpus[1]!, EA)).toBe(0n);
    expect(pteSlot(pt.peek(EA))).toEqual({ secondary: true, index: 0 });
    expect(m.mem.read64(groups[8]!.slot, false) & 3n).toBe(3n); // V and H
  });

  it('both groups full: one unbolted entry is evicted (native_hpte_remove) and the insert retried', () => {
    const { m, k, pt, mmu } = boot();
    const groups = mmu.hptEntries(m.cpus[0]!, EA);
    for (const g of groups) m.mem.write(g.slot, new Uint8Array([0, 0, 0, 0, 0, 0x99, 0x90, 0x01]));
    pt.setPteAt(m.cpus[0]!, EA, pfnPte(0x900n, PAGE_KERNEL));
    expect(k.load64(m.cpus[1]!, EA)).toBe(0n);
    const slot = pteSlot(pt.peek(EA))!;
    const at = groups[(slot.secondary ? 8 : 0) + slot.index]!.slot;
    // AVPN = VA >> 23 << 7 = VSID << 12 (the page offset 0x1000 is below bit 23), V, H if secondary.
    expect(m.mem.read64(at, false)).toBe((0xf09b89af5n << 12n) | 1n | (slot.secondary ? 2n : 0n));
    // Exactly one of the 16 foreign entries is gone.
    const foreign = groups.filter((g) => m.mem.read64(g.slot, false) === 0x999001n).length;
    expect(foreign).toBe(15);
  });
});
