// The page allocator and the vmalloc layer the 2012 zsmalloc used (mm/page_alloc.c,
// mm/vmalloc.c), on top of the kernel page table and flush paths:
//   alloc_page()/__free_page()        4 KiB frames above the shim's reserved storage
//   get_vm_area()/alloc_vm_area()     a range of vmalloc addresses (with a guard page)
//   map_vm_area()/vmap()              set_pte_at() of each page: plain stores, no flush
//   unmap_kernel_range_noflush()      ptep_get_and_clear() of each page (hash flush inside)
//   unmap_kernel_range()              the same, then flush_tlb_kernel_range(): empty on hash
//   local_unmap_kernel_range()        the seed's function: noflush, then
//                                     local_flush_tlb_kernel_range(), in the variant asked
//   vunmap()                          unmap_kernel_range() and free the area
// The bookkeeping (free lists, areas) is ordinary kernel data kept in TypeScript; every PTE
// and translation change is an instruction sequence on the CPU that makes it.

import type { Cpu } from '../cpu/cpu.js';
import { VMALLOC_START, type Kernel } from './boot.js';
import type { KernelPageTable } from './hash-page.js';
import { PAGE_KERNEL, pfnPte } from './linux-pte.js';
import type { KernelTlbFlush } from './tlb-flush.js';

export const PAGE_SIZE = 4096n;

export class PageAllocator {
  private readonly free: bigint[] = [];
  private next: bigint;

  constructor(
    first: bigint,
    private readonly end: bigint,
  ) {
    this.next = first >> 12n;
  }

  /** alloc_page(): a page frame number (lowest free first, then fresh frames). */
  allocPage(): bigint {
    const pfn = this.free.pop() ?? this.next++;
    if (pfn << 12n >= this.end) throw new Error('out of memory');
    return pfn;
  }

  /** __free_page(): the frame becomes reusable (LIFO, as a hot per-CPU list would reuse it). */
  freePage(pfn: bigint): void {
    this.free.push(pfn);
  }
}

export interface VmArea {
  addr: bigint;
  /** Bytes, including the guard page get_vm_area() adds. */
  size: bigint;
}

/**
 * local_flush_tlb_kernel_range() as the variants define it: 'stub' (the 2012 patch: nothing),
 * 'tlbiel' (invalidate this CPU's TLB entries for the range: ptesync; tlbiel per page;
 * ptesync), or 'global' (tlbie per page with tlbsync and ptesync).
 */
export type LocalFlush = 'stub' | 'tlbiel' | 'global';

export class Vmalloc {
  private next = VMALLOC_START;
  private readonly areas = new Map<bigint, VmArea>();

  constructor(
    readonly kernel: Kernel,
    readonly pt: KernelPageTable,
    readonly flush: KernelTlbFlush,
    readonly pages: PageAllocator,
  ) {}

  /** get_vm_area(): `size` bytes of vmalloc space plus one guard page. */
  getVmArea(size: bigint): VmArea {
    const bytes = ((size + PAGE_SIZE - 1n) & ~(PAGE_SIZE - 1n)) + PAGE_SIZE;
    const area = { addr: this.next, size: bytes };
    this.next += bytes;
    if ((this.next - VMALLOC_START) >> 12n > BigInt(this.pt.pages)) throw new Error('vmalloc space exhausted');
    this.areas.set(area.addr, area);
    return area;
  }

  /**
   * alloc_vm_area(): get_vm_area() with its page tables populated; the shim's vmalloc page
   * table is one flat array that always exists, so this is get_vm_area().
   */
  allocVmArea(size: bigint): VmArea {
    return this.getVmArea(size);
  }

  /** map_vm_area(): set_pte_at() for each page of the area (not the guard page). */
  mapVmArea(cpu: Cpu, area: VmArea, pfns: readonly bigint[]): void {
    pfns.forEach((pfn, i) => this.pt.setPteAt(cpu, area.addr + BigInt(i) * PAGE_SIZE, pfnPte(pfn, PAGE_KERNEL)));
  }

  /** vmap(): get_vm_area() and map_vm_area(). */
  vmap(cpu: Cpu, pfns: readonly bigint[]): VmArea {
    const area = this.getVmArea(BigInt(pfns.length) * PAGE_SIZE);
    this.mapVmArea(cpu, area, pfns);
    return area;
  }

  unmapKernelRangeNoflush(cpu: Cpu, addr: bigint, size: bigint): void {
    this.flush.unmapKernelRangeNoflush(cpu, addr, size);
  }

  /** unmap_kernel_range(): flush_tlb_kernel_range() is empty on ppc64 hash (tlbflush.h). */
  unmapKernelRange(cpu: Cpu, addr: bigint, size: bigint): void {
    this.flush.unmapKernelRangeNoflush(cpu, addr, size);
  }

  /**
   * local_unmap_kernel_range(): the seed's function, with its local flush in a variant;
   * `localHash` also makes the HPTE invalidation CPU-local (tlbiel), as the tlbiel-local
   * variant asks.
   */
  localUnmapKernelRange(cpu: Cpu, addr: bigint, size: bigint, localFlush: LocalFlush, localHash = false): void {
    this.flush.unmapKernelRangeNoflush(cpu, addr, size, localHash);
    this.localFlushTlbKernelRange(cpu, addr, size, localFlush);
  }

  /** local_flush_tlb_kernel_range() in the chosen variant. */
  localFlushTlbKernelRange(cpu: Cpu, addr: bigint, size: bigint, how: LocalFlush): void {
    if (how === 'stub') return;
    for (let a = addr; a < addr + size; a += PAGE_SIZE) this.flush.flushTlbOnly(cpu, a, how === 'tlbiel');
  }

  /** vunmap(): unmap_kernel_range() and release the area. */
  vunmap(cpu: Cpu, area: VmArea): void {
    this.unmapKernelRange(cpu, area.addr, area.size - PAGE_SIZE);
    this.areas.delete(area.addr);
  }
}
