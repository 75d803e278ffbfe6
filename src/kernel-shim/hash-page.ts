// Kernel page tables for the vmalloc region and hash_page(): the Data Storage interrupt a CPU
// takes on a vmalloc address with no HPTE enters the shim's handler on that CPU, which does
// what arch/powerpc/mm/hash_utils_64.c hash_page() and hash_low_64.S __hash_page_4K() do:
//   lock the Linux PTE with ldarx/stdcx. (_PAGE_BUSY, plus ACCESSED, HASHPTE, DIRTY on a
//   store), insert an HPTE in the primary group, else the secondary, else evict one
//   (native_hpte_remove) and retry, then record the slot in the PTE and unlock it; return with
//   rfid. A PTE that is not present (or not writable for a store) is a kernel crash, as
//   "Unable to handle kernel paging request" is.
// The Linux page table is a flat array of PTEs in real storage, read and written by the CPUs
// through the linear mapping (the walk of the real four-level tree adds nothing here).

import type { Cpu } from '../cpu/cpu.js';
import { SPR } from '../cpu/interrupts.js';
import { DSISR_STORE } from '../cpu/interrupts.js';
import { decodeSdr1, primaryHash, ptegAddress, secondaryHash, SEGMENT_256M } from '../mmu/hash.js';
import { HPTE_R_C, HPTE_R_N, HPTE_R_PP, HPTE_R_R, HPTE_R_WIMG, HPTE_V_SECONDARY } from '../mmu/hpte.js';
import { buildHpte } from '../mmu/hpte-build.js';
import { getKernelVsid, PAGE_OFFSET, VMALLOC_START, type Kernel } from './boot.js';
import {
  _PAGE_ACCESSED,
  _PAGE_BUSY,
  _PAGE_DIRTY,
  _PAGE_HASHPTE,
  _PAGE_HPTEFLAGS,
  _PAGE_PRESENT,
  _PAGE_RW,
  htabConvertPteFlags,
  pteWithSlot,
  ptePfn,
} from './linux-pte.js';

export class KernelCrash extends Error {}

/**
 * r3 = ptep (kernel EA), r4 = bits the access needs, r5 = bits to set. Atomically, as
 * __hash_page_4K's ldarx/stdcx. loop: busy -> r3 = 1; not permitted -> r3 = 2; else set
 * r5 | _PAGE_BUSY, r3 = 0 and r4 = the old PTE.
 */
const LOCK_PTE = `
1:	ldarx	r6, 0, r3
	andi.	r0, r6, 0x800		# _PAGE_BUSY: someone else is hashing it
	bne	2f
	and	r7, r6, r4
	cmpd	r7, r4
	bne	3f
	or	r7, r6, r5
	ori	r7, r7, 0x800
	stdcx.	r7, 0, r3
	bne	1b
	mr	r4, r6
	li	r3, 0
	b	4f
2:	li	r3, 1
	b	4f
3:	li	r3, 2
4:
`;

/** r3 = ptep, r4 = the new PTE (BUSY clear): the store that unlocks it (lwsync first). */
const UNLOCK_PTE = `
	lwsync
	std	r4, 0(r3)
`;

export class KernelPageTable {
  /**
   * @param base real address of the PTE array
   * @param pages number of 4 KiB vmalloc pages it covers, from VMALLOC_START
   */
  constructor(
    readonly kernel: Kernel,
    readonly base: bigint,
    readonly pages: number,
  ) {
    kernel.guest.handle(0x300n, (cpu) => this.hashPage(cpu));
  }

  /** The kernel EA of the PTE for a vmalloc address (the CPUs reach it by the linear map). */
  ptep(ea: bigint): bigint {
    const idx = (ea - VMALLOC_START) >> 12n;
    if (ea < VMALLOC_START || idx >= BigInt(this.pages)) throw new KernelCrash(`no page table for 0x${ea.toString(16)}`);
    return PAGE_OFFSET + this.base + idx * 8n;
  }

  /** The PTE as memory holds it now (for views and tests; the CPUs use loads). */
  peek(ea: bigint): bigint {
    return this.kernel.machine.mem.read64(this.ptep(ea) - PAGE_OFFSET, false);
  }

  /**
   * set_pte_at() on ppc64 of the time: a plain store of the PTE without the hash bits, no
   * flush (pgtable-ppc64.h __set_pte_at()).
   */
  setPteAt(cpu: Cpu, ea: bigint, pte: bigint): void {
    const old = this.peek(ea);
    this.kernel.store64(cpu, this.ptep(ea), pte & ~_PAGE_HPTEFLAGS);
    this.kernel.mmu.events.emit({ type: 'pte-store', cpu: cpu.id, ea, old, new: pte & ~_PAGE_HPTEFLAGS, how: 'set_pte' });
  }

  /** hash_page() for a kernel vmalloc address, on the CPU that took the DSI. */
  private hashPage(cpu: Cpu): void {
    const ea = (BigInt(cpu.sprHi[SPR.DAR]! >>> 0) << 32n) | BigInt(cpu.sprLo[SPR.DAR]! >>> 0);
    const store = (cpu.sprLo[SPR.DSISR]! & DSISR_STORE) !== 0;
    if (ea < VMALLOC_START || ea >= VMALLOC_START + BigInt(this.pages) * 4096n) {
      throw new KernelCrash(`cpu ${cpu.id}: Unable to handle kernel paging request for data at address 0x${ea.toString(16)}`);
    }
    const k = this.kernel;
    const ptep = this.ptep(ea);
    const need = _PAGE_PRESENT | (store ? _PAGE_RW : 0n);
    const set = _PAGE_ACCESSED | _PAGE_HASHPTE | (store ? _PAGE_DIRTY : 0n);
    const [rc, old] = k.guest.call(cpu, 'hash_page_lock_pte', LOCK_PTE, [ptep, need, set], { relocate: true });
    if (rc === 1n) return; // busy: return and take the fault again (hash_page returns 0)
    if (rc === 2n) {
      throw new KernelCrash(`cpu ${cpu.id}: Unable to handle kernel paging request for data at address 0x${ea.toString(16)} (pte 0x${this.peek(ea).toString(16)})`);
    }
    const pte = old! | set | _PAGE_BUSY;
    const vsid = getKernelVsid(ea);
    const geom = decodeSdr1(k.layout.htab | BigInt(k.layout.htabSize))!;
    // __hash_page_4K(): the HPTE from the PTE's pfn and htab_convert_pte_flags().
    const rflags = htabConvertPteFlags(pte);
    const { dw0, dw1 } = buildHpte(
      {
        vsid,
        ea,
        ssize: SEGMENT_256M,
        base: 12,
        actual: 12,
        ra: ptePfn(pte) << 12n,
        pp: Number(rflags & HPTE_R_PP),
        wimg: Number((rflags & HPTE_R_WIMG) >> 3n),
        noExec: (rflags & HPTE_R_N) !== 0n,
        r: (rflags & HPTE_R_R) !== 0n,
        c: (rflags & HPTE_R_C) !== 0n,
      },
      k.machine.model.hpteLayout,
    )!;
    const hash = primaryHash(vsid, ea, SEGMENT_256M, 12);
    let hidx = -1;
    for (let attempt = 0; hidx < 0; attempt++) {
      if (attempt > 8) throw new KernelCrash(`cpu ${cpu.id}: hash_page: no HPTE slot for 0x${ea.toString(16)}`);
      const primary = ptegAddress(geom, hash);
      let slot = k.native.insert(cpu, primary, dw0, dw1);
      if (slot >= 0) hidx = slot;
      else {
        const secondary = ptegAddress(geom, secondaryHash(hash));
        slot = k.native.insert(cpu, secondary, dw0 | HPTE_V_SECONDARY, dw1);
        if (slot >= 0) hidx = 8 + slot;
        // Both groups full: evict from one (the time base's low bit picks, as Linux's mftb()).
        else k.native.remove(cpu, (cpu.instructions & 1) === 0 ? primary : secondary, cpu.instructions & 7);
      }
    }
    const done = pteWithSlot(pte & ~_PAGE_BUSY, hidx);
    k.guest.call(cpu, 'hash_page_unlock_pte', UNLOCK_PTE, [ptep, done], { relocate: true });
    k.mmu.events.emit({ type: 'pte-store', cpu: cpu.id, ea, old: old!, new: done, how: 'hash_page' });
  }
}
