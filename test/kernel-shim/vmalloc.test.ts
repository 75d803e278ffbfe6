import { describe, expect, it } from 'vitest';
import { bootKernel } from '../../src/kernel-shim/index.js';

function fill(k: ReturnType<typeof bootKernel>, pfn: bigint, byte: number) {
  k.machine.mem.write(pfn << 12n, new Uint8Array(8).fill(byte));
}

describe('vmalloc on two CPUs', () => {
  it('vmap maps the pages (plain stores), a read on another CPU hashes them in, vunmap flushes them', () => {
    const k = bootKernel({ cpus: 2 });
    const [c0, c1] = k.machine.cpus;
    const p = [k.pages.allocPage(), k.pages.allocPage()];
    fill(k, p[0]!, 0x11);
    fill(k, p[1]!, 0x22);
    const area = k.vmalloc.vmap(c0!, p);
    expect(area.size).toBe(3n * 4096n); // two pages and a guard page
    expect(k.kernel.load64(c1!, area.addr)).toBe(0x1111111111111111n);
    expect(k.kernel.load64(c1!, area.addr + 4096n)).toBe(0x2222222222222222n);
    k.vmalloc.vunmap(c0!, area);
    expect(() => k.kernel.load64(c1!, area.addr)).toThrow(/Unable to handle kernel paging request/);
  });

  it('local_unmap_kernel_range: the pte_update inside already flushes the HPTE globally, whatever the local flush', () => {
    for (const how of ['stub', 'tlbiel', 'global'] as const) {
      const k = bootKernel({ cpus: 2 });
      const [c0, c1] = k.machine.cpus;
      const a = k.pages.allocPage();
      const b = k.pages.allocPage();
      fill(k, a, 0xaa);
      fill(k, b, 0xbb);
      const area = k.vmalloc.getVmArea(4096n);
      k.vmalloc.mapVmArea(c0!, area, [a]);
      expect(k.kernel.load64(c1!, area.addr)).toBe(0xaaaaaaaaaaaaaaaan);
      k.vmalloc.localUnmapKernelRange(c0!, area.addr, 4096n, how);
      k.vmalloc.mapVmArea(c0!, area, [b]);
      expect(k.kernel.load64(c1!, area.addr), how).toBe(0xbbbbbbbbbbbbbbbbn);
    }
  });

  it('the page allocator reuses freed frames first', () => {
    const k = bootKernel({ cpus: 1 });
    const a = k.pages.allocPage();
    const b = k.pages.allocPage();
    expect(b).toBe(a + 1n);
    k.pages.freePage(a);
    expect(k.pages.allocPage()).toBe(a);
  });
});
