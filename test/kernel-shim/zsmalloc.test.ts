import { describe, expect, it } from 'vitest';
import { bootKernel } from '../../src/kernel-shim/index.js';
import {
  ZS_SIZE_CLASSES,
  ZsPool,
  pagesPerZspage,
  sizeClassIndex,
  type MappingMethod,
} from '../../src/kernel-shim/zsmalloc.js';

describe('zsmalloc size classes (zsmalloc-main.c of 3.4-3.7)', () => {
  it('255 classes of 32 + 16n bytes; zspages of the least-waste size', () => {
    expect(ZS_SIZE_CLASSES).toBe(255);
    expect([sizeClassIndex(1), sizeClassIndex(32), sizeClassIndex(33), sizeClassIndex(48), sizeClassIndex(4096)]).toEqual([0, 0, 1, 1, 254]);
    // 3072-byte objects: 1 page wastes 1024 (75%), 2 pages 2048 (75%), 3 pages none (100%).
    expect(pagesPerZspage(3072)).toBe(3);
    expect(pagesPerZspage(32)).toBe(1);
    // 2000: 97.6% at every size; the first (1 page) wins ties.
    expect(pagesPerZspage(2000)).toBe(1);
  });
});

const METHODS: Array<[string, MappingMethod]> = [
  ['set-pte + stub', { kind: 'set-pte', localFlush: 'stub' }],
  ['vm-area + local_unmap(stub)', { kind: 'vm-area', localFlush: 'stub', lazy: false }],
  ['vm-area + unmap_kernel_range', { kind: 'vm-area', localFlush: 'unmap_kernel_range', lazy: false }],
  ['copy', { kind: 'copy' }],
];

describe('zs_malloc, zs_map_object, zs_unmap_object', () => {
  it('packs 3072-byte objects four to a 3-page zspage; object 1 spans pages 0 and 1', () => {
    const k = bootKernel({ cpus: 1 });
    const pool = new ZsPool(k, { kind: 'copy' });
    const h = [pool.malloc(3000), pool.malloc(3000), pool.malloc(3000), pool.malloc(3000), pool.malloc(3000)];
    const loc = h.map((x) => pool.location(x));
    expect(loc.map((l) => [l.size, l.off, l.pfns.length])).toEqual([
      [3008, 0, 1],
      [3008, 3008, 2],
      [3008, 1920, 2],
      [3008, 832, 1],
      [3008, 0, 1], // a second zspage
    ]);
    // sizeClassIndex(3000) = ceil(2968/16) = 186 -> 32 + 186*16 = 3008 bytes;
    // pagesPerZspage(3008): 1 page 73%, 2 pages 73%, 3 pages 97%, 4 pages 91% -> 3 pages, 4 objects.
    expect(loc[4]!.pfns[0]).not.toBe(loc[0]!.pfns[0]);
    pool.free(h[4]!);
    expect(pool.malloc(3000)).toBeGreaterThan(0);
    expect(pool.malloc(0)).toBe(0);
    expect(pool.malloc(4097)).toBe(0);
  });

  for (const [name, method] of METHODS) {
    it(`${name}: what a CPU writes through a mapping it reads back through another mapping, on another CPU`, () => {
      const k = bootKernel({ cpus: 2 });
      const [c0, c1] = k.machine.cpus as [NonNullable<(typeof k.machine.cpus)[0]>, NonNullable<(typeof k.machine.cpus)[0]>];
      const pool = new ZsPool(k, method);
      pool.malloc(3000);
      const h = pool.malloc(3000); // spans two pages
      const a = pool.map(c0, h, 'WO');
      k.kernel.store64(c0, a, 0x0123456789abcdefn);
      k.kernel.store64(c0, a + 1080n, 0x1111222233334444n); // straddles the page boundary (off 3008)
      pool.unmap(c0, h);
      const b = pool.map(c1, h, 'RO');
      expect(k.kernel.load64(c1, b)).toBe(0x0123456789abcdefn);
      expect(k.kernel.load64(c1, b + 1080n)).toBe(0x1111222233334444n);
      pool.unmap(c1, h);
      expect(() => pool.unmap(c1, h)).toThrow(/not mapped/);
    });
  }
});
