import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/cpu/machine.js';
import { HashMmu } from '../../src/mmu/hash-mmu.js';
import { Kernel, PAGE_OFFSET, VMALLOC_START, getKernelVsid } from '../../src/kernel-shim/boot.js';

describe('kernel boot', () => {
  it('get_kernel_vsid: ESID * 200730139 mod 2^36-1 (hand-computed)', () => {
    // 0xc00000000 * 200730139 = 0x...; mod 0xfffffffff = 0x408f92c94
    expect(getKernelVsid(PAGE_OFFSET)).toBe(0x408f92c94n);
    expect(getKernelVsid(VMALLOC_START)).toBe(0xf09b89af5n);
  });

  for (const model of ['power8', 'power9'] as const) {
    it(`${model}: every CPU reaches RAM through the bolted 16 MiB linear mapping`, () => {
      const m = new Machine({ cpus: 2, model, memorySize: 64n << 20n });
      const mmu = new HashMmu(m, { policy: 'isa' });
      const k = new Kernel(m, mmu);
      k.boot();
      m.mem.write(0x2345000n, new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]));
      for (const cpu of m.cpus) expect(k.load64(cpu, PAGE_OFFSET + 0x2345000n)).toBe(0x0102030405060708n);
      // A store through CPU 1's translation lands in RAM.
      k.store64(m.cpus[1]!, PAGE_OFFSET + 0x3000008n, 0x1122334455667788n);
      expect(m.mem.read64(0x3000008n, false)).toBe(0x1122334455667788n);
      // SLB: bolted entries 0 (linear, 16M pages) and 1 (vmalloc, 4K) on every CPU.
      for (const cpu of m.cpus) {
        const slb = mmu.slb(cpu).entries;
        expect(slb[0]!.valid && slb[0]!.baseShift).toBe(24);
        expect(slb[0]!.vsid).toBe(0x408f92c94n);
        expect(slb[1]!.valid && slb[1]!.baseShift).toBe(12);
        expect(slb[1]!.esid).toBe(VMALLOC_START >> 28n);
      }
      // Four 16 MiB HPTEs, bolted (software bit 0x10), valid, large.
      const valid = mmu.hptEntries(m.cpus[0]!, null);
      expect(valid).toHaveLength(4);
      for (const e of valid) expect(e.dw0 & 0x15n).toBe(0x15n);
    });
  }
});
