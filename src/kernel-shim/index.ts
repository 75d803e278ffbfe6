// The kernel shim, assembled: boot a machine as a 2012 ppc64 hash-MMU kernel and get its
// page tables, flush paths, page allocator and vmalloc, all acting through the emulated CPUs.

import { Machine } from '../cpu/machine.js';
import type { CpuModelName } from '../cpu/models.js';
import { HashMmu, type MmuPolicy } from '../mmu/hash-mmu.js';
import { DEFAULT_LAYOUT, Kernel } from './boot.js';
import { KernelPageTable } from './hash-page.js';
import { KernelTlbFlush } from './tlb-flush.js';
import { PageAllocator, Vmalloc } from './vmalloc.js';

export interface KernelOptions {
  cpus: number;
  model?: CpuModelName;
  policy?: MmuPolicy;
  speculate?: boolean;
  seed?: number;
  /** Physical storage (default 64 MiB). */
  memorySize?: bigint;
  /** Pages of vmalloc space (default 4096 = 16 MiB). */
  vmallocPages?: number;
}

export interface BootedKernel {
  machine: Machine;
  mmu: HashMmu;
  kernel: Kernel;
  pt: KernelPageTable;
  flush: KernelTlbFlush;
  pages: PageAllocator;
  vmalloc: Vmalloc;
}

/** Real address of the vmalloc PTE array (below the first free page). */
const PTE_ARRAY = 0x400000n;

export function bootKernel(o: KernelOptions): BootedKernel {
  const memorySize = o.memorySize ?? 64n << 20n;
  const machine = new Machine({ cpus: o.cpus, model: o.model ?? 'power8', memorySize, seed: o.seed });
  const mmu = new HashMmu(machine, { policy: o.policy ?? 'isa', speculate: o.speculate ?? false });
  const kernel = new Kernel(machine, mmu, DEFAULT_LAYOUT);
  kernel.boot();
  const pt = new KernelPageTable(kernel, PTE_ARRAY, o.vmallocPages ?? 4096);
  const flush = new KernelTlbFlush(kernel, pt);
  const pages = new PageAllocator(DEFAULT_LAYOUT.firstFreePage, memorySize);
  const vmalloc = new Vmalloc(kernel, pt, flush, pages);
  return { machine, mmu, kernel, pt, flush, pages, vmalloc };
}

export { Kernel, PAGE_OFFSET, VMALLOC_START, getKernelVsid } from './boot.js';
export { KernelCrash, KernelPageTable } from './hash-page.js';
export { KernelTlbFlush } from './tlb-flush.js';
export { PageAllocator, Vmalloc, type LocalFlush, type VmArea } from './vmalloc.js';
export { ZsPool, type MapMode, type MappingMethod } from './zsmalloc.js';
export { Guest, GuestCallError } from './guest.js';
