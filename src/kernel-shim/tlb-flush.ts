// Changing kernel PTEs and flushing their hash entries, as the 2012 ppc64 kernel does:
//   pte_update()            atomic clear of PTE bits (ldarx/stdcx., waiting out _PAGE_BUSY);
//                           if the old PTE had _PAGE_HASHPTE: hpte_need_flush()
//                           (pgtable-ppc64.h)
//   hpte_need_flush()       flush now (flush_hash_page with local = 0) unless this CPU's
//                           ppc64_tlb_batch is active, else queue it (tlb_hash64.c)
//   arch_enter/leave_lazy_mmu_mode()  open / flush and close the batch (tlbflush-hash.h)
//   __flush_tlb_pending()   flush the queued entries (local only when the mm has run on this
//                           CPU alone, never for init_mm's kernel mappings)
//   flush_hash_page()       find the HPTE slot the PTE recorded and native_hpte_invalidate()
//                           it (hash_utils_64.c)
//   vunmap: unmap_kernel_range_noflush() clears each PTE with ptep_get_and_clear()
//   (mm/vmalloc.c vunmap_pte_range()); flush_tlb_kernel_range() is empty on ppc64 hash.
// The PTE stores and the HPTE/TLB maintenance all run as instructions on the given CPU.

import type { Cpu } from '../cpu/cpu.js';
import { decodeSdr1, primaryHash, ptegAddress, secondaryHash, SEGMENT_256M, va as virtualAddress } from '../mmu/hash.js';
import { encodeTlbieRb } from '../mmu/tlbie-rb.js';
import { getKernelVsid, type Kernel } from './boot.js';
import type { KernelPageTable } from './hash-page.js';
import { _PAGE_HASHPTE, pteSlot } from './linux-pte.js';

/** PPC64_TLB_BATCH_NR (tlbflush-hash.h). */
export const PPC64_TLB_BATCH_NR = 192;

/**
 * r3 = ptep (kernel EA), r4 = bits to clear: waits while _PAGE_BUSY is set, clears, returns
 * the old PTE in r3 (pte_update()).
 */
const PTE_UPDATE = `
1:	ldarx	r5, 0, r3
	andi.	r0, r5, 0x800		# _PAGE_BUSY: hash_page holds it
	bne	1b
	andc	r6, r5, r4
	stdcx.	r6, 0, r3
	bne	1b
	mr	r3, r5
`;

interface BatchEntry {
  ea: bigint;
  pte: bigint;
}

/** One CPU's ppc64_tlb_batch. */
class TlbBatch {
  active = false;
  entries: BatchEntry[] = [];
}

export class KernelTlbFlush {
  private readonly batches: TlbBatch[];

  constructor(
    readonly kernel: Kernel,
    readonly pt: KernelPageTable,
  ) {
    this.batches = kernel.machine.cpus.map(() => new TlbBatch());
  }

  /**
   * pte_update(&init_mm, ea, ptep, clr): returns the old PTE; flushes its HPTE if hashed.
   * `localHash` makes the hash flush CPU-local (the tlbiel-local variant); Linux of 2012 flushes
   * kernel mappings globally.
   */
  pteUpdate(cpu: Cpu, ea: bigint, clr: bigint, localHash = false): bigint {
    const [old] = this.kernel.guest.call(cpu, 'pte_update', PTE_UPDATE, [this.pt.ptep(ea), clr], { relocate: true });
    this.kernel.mmu.events.emit({ type: 'pte-store', cpu: cpu.id, ea, old: old!, new: old! & ~clr, how: 'pte_update' });
    if ((old! & _PAGE_HASHPTE) !== 0n) this.hpteNeedFlush(cpu, ea, old!, localHash);
    return old!;
  }

  /** ptep_get_and_clear(): pte_update() clearing every bit. */
  ptepGetAndClear(cpu: Cpu, ea: bigint, localHash = false): bigint {
    return this.pteUpdate(cpu, ea, 0xffffffffffffffffn, localHash);
  }

  /** hpte_need_flush(): immediate (global) flush, or queued in this CPU's active batch. */
  hpteNeedFlush(cpu: Cpu, ea: bigint, pte: bigint, localHash = false): void {
    const batch = this.batches[cpu.id]!;
    if (!batch.active) {
      this.flushHashPage(cpu, ea, pte, localHash);
      return;
    }
    batch.entries.push({ ea, pte });
    if (batch.entries.length >= PPC64_TLB_BATCH_NR) this.flushTlbPending(cpu);
  }

  arch_enter_lazy_mmu_mode(cpu: Cpu): void {
    this.batches[cpu.id]!.active = true;
  }

  arch_leave_lazy_mmu_mode(cpu: Cpu): void {
    const batch = this.batches[cpu.id]!;
    if (batch.entries.length > 0) this.flushTlbPending(cpu);
    batch.active = false;
  }

  /** Entries queued and not yet flushed on `cpu` (for views and the validator). */
  pending(cpu: Cpu): readonly BatchEntry[] {
    return this.batches[cpu.id]!.entries;
  }

  /**
   * __flush_tlb_pending(): kernel (init_mm) mappings are never CPU-local, so the flush is
   * global; one entry goes through flush_hash_page(), more through flush_hash_range()
   * (native_flush_hash_range: all HPTEs first, then all the tlbies in one sequence).
   */
  flushTlbPending(cpu: Cpu): void {
    const batch = this.batches[cpu.id]!;
    const entries = batch.entries;
    batch.entries = [];
    if (entries.length === 1) {
      this.flushHashPage(cpu, entries[0]!.ea, entries[0]!.pte, false);
      return;
    }
    const targets = entries.map((e) => this.hashTarget(e.ea, e.pte)).filter((t): t is NonNullable<typeof t> => t !== null);
    if (targets.length === 0) return;
    this.kernel.native.flushHashRange(cpu, targets, false, this.kernel.layout.batchLists + BigInt(cpu.id) * 0x800n);
  }

  /** flush_hash_page(): the HPTE the PTE recorded, invalidated with native_hpte_invalidate(). */
  flushHashPage(cpu: Cpu, ea: bigint, pte: bigint, local: boolean): void {
    const t = this.hashTarget(ea, pte);
    if (t) this.kernel.native.invalidate(cpu, t.hptep, t.want, t.rb, local);
  }

  /**
   * Where the HPTE of a hashed PTE is (the slot the PTE recorded: hidx, secondary hash when
   * _PTEIDX_SECONDARY), the dw0 it must still hold (HPTE_V_COMPARE: AVPN and V, H when
   * secondary; B is 0 for a 256 MB segment) and the tlbie RB for its page.
   */
  private hashTarget(ea: bigint, pte: bigint): { hptep: bigint; want: bigint; rb: bigint } | null {
    const slot = pteSlot(pte);
    if (!slot) return null;
    const k = this.kernel;
    const vsid = getKernelVsid(ea);
    const va = virtualAddress(vsid, ea, SEGMENT_256M);
    const geom = decodeSdr1(k.layout.htab | BigInt(k.layout.htabSize))!;
    let hash = primaryHash(vsid, ea, SEGMENT_256M, 12);
    if (slot.secondary) hash = secondaryHash(hash);
    return {
      hptep: ptegAddress(geom, hash) + BigInt(slot.index) * 16n,
      want: ((va >> 23n) << 7n) | 1n | (slot.secondary ? 2n : 0n),
      rb: encodeTlbieRb(va >> 12n, 12, 12, SEGMENT_256M)!,
    };
  }

  /** pte_clear(): pte_update() clearing every bit. */
  pteClear(cpu: Cpu, ea: bigint): void {
    this.pteUpdate(cpu, ea, 0xffffffffffffffffn);
  }

  /** A TLB flush of one kernel page without touching the HPT (tlbie() for its VA). */
  flushTlbOnly(cpu: Cpu, ea: bigint, local: boolean): void {
    const va = virtualAddress(getKernelVsid(ea), ea, SEGMENT_256M);
    this.kernel.native.tlbie(cpu, encodeTlbieRb(va >> 12n, 12, 12, SEGMENT_256M)!, local);
  }

  /** unmap_kernel_range_noflush(): ptep_get_and_clear() on every page of the range. */
  unmapKernelRangeNoflush(cpu: Cpu, ea: bigint, size: bigint, localHash = false): void {
    for (let a = ea; a < ea + size; a += 4096n) this.ptepGetAndClear(cpu, a, localHash);
  }
}
