// zsmalloc as it was in drivers/staging/zsmalloc (Linux 3.4-3.7, zsmalloc-main.c): a pool of
// size classes, each class's objects packed back to back into zspages of 1-4 linked pages, so
// an object may span two pages; a handle names (page, object index); zs_map_object() makes an
// object addressable — through the linear mapping when it lies in one page, else through this
// CPU's mapping area, either by mapping both pages into a two-page vmalloc area (the page-table
// method) or by copying them into a per-CPU buffer (the copy method); zs_unmap_object() undoes
// it. The allocator's bookkeeping (free lists, fullness) is kernel data kept in TypeScript;
// every mapping change is made by the CPU that maps, through the shim's instruction sequences.

import type { Cpu } from '../cpu/cpu.js';
import { PAGE_OFFSET } from './boot.js';
import type { BootedKernel } from './index.js';
import { PAGE_KERNEL, pfnPte } from './linux-pte.js';
import type { LocalFlush, VmArea } from './vmalloc.js';

export const PAGE_SIZE = 4096;
/** ZS_MAX_ZSPAGE_ORDER 2: up to 4 pages per zspage. */
export const ZS_MAX_PAGES_PER_ZSPAGE = 4;
/** ZS_MIN_ALLOC_SIZE on 64-bit (max(32, ...)), ZS_MAX_ALLOC_SIZE = PAGE_SIZE. */
export const ZS_MIN_ALLOC_SIZE = 32;
export const ZS_MAX_ALLOC_SIZE = PAGE_SIZE;
/** ZS_SIZE_CLASS_DELTA = PAGE_SIZE >> 8. */
export const ZS_SIZE_CLASS_DELTA = PAGE_SIZE >> 8;
export const ZS_SIZE_CLASSES = (ZS_MAX_ALLOC_SIZE - ZS_MIN_ALLOC_SIZE) / ZS_SIZE_CLASS_DELTA + 1;

/** get_size_class_index(). */
export function sizeClassIndex(size: number): number {
  return size <= ZS_MIN_ALLOC_SIZE ? 0 : Math.ceil((size - ZS_MIN_ALLOC_SIZE) / ZS_SIZE_CLASS_DELTA);
}

/** get_pages_per_zspage(): the zspage size (1-4 pages) that wastes the smallest share. */
export function pagesPerZspage(classSize: number): number {
  let best = 0;
  let order = 1;
  for (let i = 1; i <= ZS_MAX_PAGES_PER_ZSPAGE; i++) {
    const bytes = i * PAGE_SIZE;
    const used = Math.floor(((bytes - (bytes % classSize)) * 100) / bytes);
    if (used > best) {
      best = used;
      order = i;
    }
  }
  return order;
}

export type MapMode = 'RO' | 'WO' | 'RW';

/** How zs_map_object() reaches an object that spans two pages. */
export type MappingMethod =
  /**
   * set_pte() of both PTEs; unmap: set_pte(0) and the local flush. This is 3.4's x86-only
   * zs_map_object()/zs_unmap_object() (drivers/staging/zsmalloc/zsmalloc-main.c: set_pte and
   * __flush_tlb_one, Kconfig "depends on X86") with the flush made a stub — what a ppc64 port
   * keeping set_pte would do. The 2012 patch the seed mail tested (Minchan Kim, "zsmalloc:
   * support zsmalloc to ARM, MIPS, SUPERH", May 2012) mapped with map_vm_area() and unmapped
   * with local_unmap_kernel_range(): that is the `vm-area` method (variant patch-2012).
   */
  | { kind: 'set-pte'; localFlush: LocalFlush }
  /**
   * map_vm_area(); unmap: local_unmap_kernel_range() (or unmap_kernel_range()); `lazy`: the
   * callers run inside lazy-MMU sections (the scenario opens and closes them).
   */
  | { kind: 'vm-area'; localFlush: LocalFlush | 'unmap_kernel_range'; lazy: boolean; localHash?: boolean }
  /** The copy method: both parts copied into a per-CPU buffer, and back for WO/RW. */
  | { kind: 'copy' };

interface Zspage {
  classIndex: number;
  pfns: bigint[];
  free: number[];
  inUse: number;
}

export interface ZsObject {
  zspage: Zspage;
  index: number;
}

interface MappingArea {
  vm: VmArea | null;
  buf: bigint | null;
  /** Set while an object is mapped on this CPU (preemption disabled, as get_cpu_var). */
  mapped: { handle: number; addr: bigint; mode: MapMode; off: number; pfns: bigint[]; size: number } | null;
}

export class ZsPool {
  private readonly zspages: Zspage[][] = Array.from({ length: ZS_SIZE_CLASSES }, () => []);
  private readonly handles = new Map<number, ZsObject>();
  private nextHandle = 1;
  private readonly areas: MappingArea[];

  constructor(
    readonly k: BootedKernel,
    readonly method: MappingMethod,
  ) {
    // zs_cpu_notifier(CPU_UP_PREPARE) for every CPU: the two-page area or the copy buffer.
    this.areas = k.machine.cpus.map(() =>
      method.kind === 'copy'
        ? { vm: null, buf: k.pages.allocPage() << 12n, mapped: null }
        : { vm: k.vmalloc.getVmArea(2n * BigInt(PAGE_SIZE)), buf: null, mapped: null },
    );
  }

  classSize(index: number): number {
    return ZS_MIN_ALLOC_SIZE + index * ZS_SIZE_CLASS_DELTA;
  }

  /** zs_malloc(): a handle, or 0 when the size is out of range. */
  malloc(size: number): number {
    if (size <= 0 || size > ZS_MAX_ALLOC_SIZE) return 0;
    const ci = sizeClassIndex(size);
    const csize = this.classSize(ci);
    let zp = this.zspages[ci]!.find((z) => z.free.length > 0);
    if (!zp) {
      const n = pagesPerZspage(csize);
      const pfns = Array.from({ length: n }, () => this.k.pages.allocPage());
      const count = Math.floor((n * PAGE_SIZE) / csize);
      zp = { classIndex: ci, pfns, free: Array.from({ length: count }, (_, i) => count - 1 - i), inUse: 0 };
      this.zspages[ci]!.push(zp);
    }
    const index = zp.free.pop()!;
    zp.inUse++;
    const h = this.nextHandle++;
    this.handles.set(h, { zspage: zp, index });
    return h;
  }

  /** zs_free(): the object's slot is reusable; an empty zspage's pages go back. */
  free(handle: number): void {
    const o = this.object(handle);
    o.zspage.free.push(o.index);
    o.zspage.inUse--;
    this.handles.delete(handle);
    if (o.zspage.inUse === 0) {
      const list = this.zspages[o.zspage.classIndex]!;
      list.splice(list.indexOf(o.zspage), 1);
      for (const p of o.zspage.pfns) this.k.pages.freePage(p);
    }
  }

  object(handle: number): ZsObject {
    const o = this.handles.get(handle);
    if (!o) throw new Error(`zsmalloc: bad handle ${handle}`);
    return o;
  }

  /** Where an object lives: its size, the page holding its first byte and the offset there. */
  location(handle: number): { size: number; pfns: bigint[]; off: number } {
    const o = this.object(handle);
    const size = this.classSize(o.zspage.classIndex);
    const start = o.index * size;
    const first = Math.floor(start / PAGE_SIZE);
    const off = start % PAGE_SIZE;
    const pfns = o.zspage.pfns.slice(first, off + size > PAGE_SIZE ? first + 2 : first + 1);
    return { size, pfns, off };
  }

  /** zs_map_object() on `cpu`: the kernel address the object can be reached at. */
  map(cpu: Cpu, handle: number, mode: MapMode): bigint {
    const area = this.areas[cpu.id]!;
    if (area.mapped) throw new Error(`zsmalloc: cpu ${cpu.id} already has an object mapped`);
    const { size, pfns, off } = this.location(handle);
    let addr: bigint;
    if (pfns.length === 1) {
      addr = PAGE_OFFSET + (pfns[0]! << 12n) + BigInt(off); // kmap_atomic(): the linear mapping
    } else if (this.method.kind === 'copy') {
      // __zs_map_object (copy): unless write-only, copy both parts into the buffer.
      if (mode !== 'WO') this.copy(cpu, pfns, off, size, true, area.buf!);
      addr = PAGE_OFFSET + area.buf!;
    } else {
      const vm = area.vm!;
      if (this.method.kind === 'set-pte') {
        pfns.forEach((p, i) => this.k.pt.setPteAt(cpu, vm.addr + BigInt(i * PAGE_SIZE), pfnPte(p, PAGE_KERNEL)));
      } else this.k.vmalloc.mapVmArea(cpu, vm, pfns);
      addr = vm.addr + BigInt(off);
    }
    area.mapped = { handle, addr, mode, off, pfns, size };
    return addr;
  }

  /** zs_unmap_object() on the CPU that mapped it. */
  unmap(cpu: Cpu, handle: number): void {
    const area = this.areas[cpu.id]!;
    const m = area.mapped;
    if (!m || m.handle !== handle) throw new Error(`zsmalloc: handle ${handle} is not mapped on cpu ${cpu.id}`);
    area.mapped = null;
    if (m.pfns.length === 1) return; // kunmap_atomic(): nothing on ppc64
    if (this.method.kind === 'copy') {
      if (m.mode !== 'RO') this.copy(cpu, m.pfns, m.off, m.size, false, area.buf!);
      return;
    }
    const vm = area.vm!;
    const two = 2n * BigInt(PAGE_SIZE);
    if (this.method.kind === 'set-pte') {
      this.k.pt.setPteAt(cpu, vm.addr, 0n);
      this.k.pt.setPteAt(cpu, vm.addr + BigInt(PAGE_SIZE), 0n);
      this.k.vmalloc.localFlushTlbKernelRange(cpu, vm.addr, two, this.method.localFlush);
      return;
    }
    // With `lazy`, the caller is inside a lazy-MMU section (it entered arch_enter_lazy_mmu_mode
    // and leaves it when it chooses): the HPTE flushes queue in this CPU's batch meanwhile.
    if (this.method.localFlush === 'unmap_kernel_range') this.k.vmalloc.unmapKernelRange(cpu, vm.addr, two);
    else this.k.vmalloc.localUnmapKernelRange(cpu, vm.addr, two, this.method.localFlush, this.method.localHash ?? false);
  }

  /** memcpy between an object's two parts and the copy buffer, by the CPU (linear mapping). */
  private copy(cpu: Cpu, pfns: bigint[], off: number, size: number, toBuf: boolean, buf: bigint): void {
    const first = PAGE_SIZE - off;
    const parts: Array<[bigint, number]> = [
      [PAGE_OFFSET + (pfns[0]! << 12n) + BigInt(off), first],
      [PAGE_OFFSET + (pfns[1]! << 12n), size - first],
    ];
    let at = PAGE_OFFSET + buf;
    for (const [obj, n] of parts) {
      const [src, dst] = toBuf ? [obj, at] : [at, obj];
      this.k.kernel.guest.call(cpu, 'memcpy', MEMCPY, [dst, src, BigInt(n)], { relocate: true });
      at += BigInt(n);
    }
  }
}

/** memcpy(r3 = dst, r4 = src, r5 = bytes), a byte at a time (sizes here are small). */
const MEMCPY = `
	cmpdi	r5, 0
	beq	2f
	mtctr	r5
	li	r6, 0
1:	lbzx	r7, r4, r6
	stbx	r7, r3, r6
	addi	r6, r6, 1
	bdnz	1b
2:
`;
