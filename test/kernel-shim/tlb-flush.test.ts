// The flush paths on two CPUs, and the 2012 question in miniature: CPU 1 reads a vmalloc page
// through a translation; CPU 0 unmaps it and maps another page at the same address.

import { describe, expect, it } from 'vitest';
import { Machine } from '../../src/cpu/machine.js';
import { HashMmu } from '../../src/mmu/hash-mmu.js';
import { Kernel, VMALLOC_START } from '../../src/kernel-shim/boot.js';
import { KernelPageTable } from '../../src/kernel-shim/hash-page.js';
import { PAGE_KERNEL, pfnPte, _PAGE_HASHPTE } from '../../src/kernel-shim/linux-pte.js';
import { KernelTlbFlush } from '../../src/kernel-shim/tlb-flush.js';

const EA = VMALLOC_START + 0x2000n;
const A = 0x900n; // page frames: A holds 0xaaaa..., B 0xbbbb...
const B = 0x901n;

function setup() {
  const m = new Machine({ cpus: 2, model: 'power8', memorySize: 64n << 20n });
  const mmu = new HashMmu(m, { policy: 'isa' });
  mmu.events.recording = true;
  const k = new Kernel(m, mmu);
  k.boot();
  const pt = new KernelPageTable(k, 0x400000n, 256);
  const fl = new KernelTlbFlush(k, pt);
  m.mem.write(0x900000n, new Uint8Array(8).fill(0xaa));
  m.mem.write(0x901000n, new Uint8Array(8).fill(0xbb));
  const [c0, c1] = m.cpus as [typeof m.cpus[0], typeof m.cpus[0]];
  return { m, mmu, k, pt, fl, c0: c0!, c1: c1! };
}

const AAAA = 0xaaaaaaaaaaaaaaaan;
const BBBB = 0xbbbbbbbbbbbbbbbbn;

describe('kernel PTE changes and hash flushes on two CPUs', () => {
  it('pte_update path (unmap_kernel_range_noflush): the HPTE is invalidated globally, CPU 1 sees the new page', () => {
    const { k, pt, fl, c0, c1, mmu } = setup();
    pt.setPteAt(c0, EA, pfnPte(A, PAGE_KERNEL));
    expect(k.load64(c1, EA)).toBe(AAAA);
    fl.unmapKernelRangeNoflush(c0, EA, 4096n); // ptep_get_and_clear -> hpte_need_flush -> tlbie
    expect(pt.peek(EA)).toBe(0n);
    expect(mmu.tlb(c1).entries().some((e) => e.vpn << 12n === ((0xf09b89af5n << 28n) | 0x2000n))).toBe(false);
    pt.setPteAt(c0, EA, pfnPte(B, PAGE_KERNEL));
    expect(k.load64(c1, EA)).toBe(BBBB);
  });

  it('setpte-stub path (set_pte to 0, stub local flush): the old HPTE survives and CPU 1 reads the old page', () => {
    const { k, pt, c0, c1 } = setup();
    pt.setPteAt(c0, EA, pfnPte(A, PAGE_KERNEL));
    expect(k.load64(c1, EA)).toBe(AAAA);
    expect(pt.peek(EA) & _PAGE_HASHPTE).toBe(_PAGE_HASHPTE);
    pt.setPteAt(c0, EA, 0n); // set_pte(ptep, 0): no pte_update, no hpte_need_flush
    // local_flush_tlb_kernel_range() as a stub: nothing
    pt.setPteAt(c0, EA, pfnPte(B, PAGE_KERNEL));
    // CPU 1's TLB entry and the HPTE both still name page A.
    expect(k.load64(c1, EA)).toBe(AAAA);
    // And even CPU 0, which never had the translation, walks the stale HPTE.
    expect(k.load64(c0, EA)).toBe(AAAA);
  });

  it('lazy MMU batch: the flush waits for arch_leave_lazy_mmu_mode; until then CPU 1 keeps the old page', () => {
    const { k, pt, fl, c0, c1 } = setup();
    pt.setPteAt(c0, EA, pfnPte(A, PAGE_KERNEL));
    expect(k.load64(c1, EA)).toBe(AAAA);
    fl.arch_enter_lazy_mmu_mode(c0);
    fl.unmapKernelRangeNoflush(c0, EA, 4096n);
    expect(fl.pending(c0)).toHaveLength(1);
    pt.setPteAt(c0, EA, pfnPte(B, PAGE_KERNEL)); // page reused before the batch is flushed
    expect(k.load64(c1, EA)).toBe(AAAA); // stale
    fl.arch_leave_lazy_mmu_mode(c0);
    expect(fl.pending(c0)).toHaveLength(0);
    expect(k.load64(c1, EA)).toBe(BBBB);
  });
});
