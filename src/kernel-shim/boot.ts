// Kernel boot for the shim, as a 2012 ppc64 hash-MMU kernel with 4 KiB pages sets up
// translation: the hashed page table located by SDR1 (POWER7/8) or PTCR and partition-table
// entry 0 (POWER9), bolted SLB entries for the linear mapping and the vmalloc region on every
// CPU (slb.c slb_flush_and_rebolt()), kernel VSIDs (get_kernel_vsid()), and the linear mapping
// of RAM bolted into the HPT with 16 MiB pages (hash_utils_64.c htab_bolt_mapping()). Every
// step is an instruction sequence on a CPU (guest.ts); HPTEs go in with native_hpte_insert.

import type { Cpu } from '../cpu/cpu.js';
import type { Machine } from '../cpu/machine.js';
import type { HashMmu } from '../mmu/hash-mmu.js';
import { primaryHash, ptegAddress, decodeSdr1, SEGMENT_256M } from '../mmu/hash.js';
import { HPTE_R_C, HPTE_R_N, HPTE_R_PP, HPTE_R_R, HPTE_R_WIMG, HPTE_V_BOLTED, HPTE_V_SW_SHIFT } from '../mmu/hpte.js';
import { buildHpte } from '../mmu/hpte-build.js';
import { PAGE_SHIFT_16M } from '../mmu/page-sizes.js';
import { Guest } from './guest.js';
import { NativeHpte } from './hpte-native.js';
import { htabConvertPteFlags, PAGE_KERNEL } from './linux-pte.js';

/** Kernel address space of the time (asm/page_64.h, pgtable-ppc64.h). */
export const PAGE_OFFSET = 0xc000000000000000n;
export const VMALLOC_START = 0xd000000000000000n;
export const SID_SHIFT = 28n;

/** vsid_scramble() for 256 MB segments (mmu-hash64.h: multiplier 200730139, 36 VSID bits). */
const VSID_MULTIPLIER_256M = 200730139n;
const VSID_MODULUS_256M = (1n << 36n) - 1n;

/** get_kernel_vsid(): the proto-VSID of a kernel segment is its ESID, scrambled. */
export function getKernelVsid(ea: bigint): bigint {
  return ((ea >> SID_SHIFT) * VSID_MULTIPLIER_256M) % VSID_MODULUS_256M;
}

/** Where the shim keeps its own structures in real storage. */
export interface KernelLayout {
  /** The hashed page table (256 KiB aligned; HTABSIZE 0 = 2048 PTEGs). */
  htab: bigint;
  htabSize: number;
  /** POWER9: partition table (one 4 KiB page). */
  partitionTable: bigint;
  /** native_tlbie_lock. */
  tlbieLock: bigint;
  /** Guest-call sequence areas (64 KiB per CPU). */
  sequences: bigint;
  /** Each CPU's ppc64_tlb_batch RB array for flush_hash_range (2 KiB per CPU). */
  batchLists: bigint;
  /** First page frame the page allocator may hand out. */
  firstFreePage: bigint;
}

export const DEFAULT_LAYOUT: KernelLayout = {
  htab: 0x40000n,
  htabSize: 0,
  partitionTable: 0x10000n,
  tlbieLock: 0x20000n,
  sequences: 0x100000n,
  batchLists: 0x30000n,
  firstFreePage: 0x800000n,
};

/** SLB_VSID_KERNEL (Kp), SLB_VSID_L for 16 MiB base pages (the linear mapping). */
const SLB_VSID_KP = 0x400n;
const SLB_VSID_L = 0x100n;
const SLB_ESID_V = 0x08000000n;
const LINEAR_SHIFT = PAGE_SHIFT_16M;

export class Kernel {
  readonly guest: Guest;
  readonly native: NativeHpte;

  constructor(
    readonly machine: Machine,
    readonly mmu: HashMmu,
    readonly layout: KernelLayout = DEFAULT_LAYOUT,
  ) {
    this.guest = new Guest(machine, layout.sequences);
    this.native = new NativeHpte(this.guest, { model: machine.model, tlbieLock: layout.tlbieLock });
  }

  /** Boots every CPU: HPT location, bolted SLB entries; CPU 0 bolts the linear mapping. */
  boot(): void {
    const m = this.machine;
    const htabDw = this.layout.htab | BigInt(this.layout.htabSize); // SDR1 / PATE0 layout
    for (const cpu of m.cpus) {
      if (m.model.hptLocation === 'sdr1') {
        this.guest.call(cpu, 'set_sdr1', `\tmtsdr1\tr3\n`, [htabDw]);
      } else {
        // Partition-table entry 0 (hash_init_partition_table), then PTCR (PATS 0 = 4 KiB).
        this.guest.call(cpu, 'set_ptcr', `\tli\tr0, 0\n\tstd\tr3, 0(r4)\n\tstd\tr0, 8(r4)\n\tptesync\n\tmtspr\t464, r4\n`, [
          htabDw,
          this.layout.partitionTable,
        ]);
      }
      this.bolt(cpu, 0, PAGE_OFFSET, SLB_VSID_L);
      this.bolt(cpu, 1, VMALLOC_START, 0n);
    }
    this.boltLinearMapping(m.cpus[0]!);
  }

  /** slbmte of a bolted kernel entry (slb.c create_shadowed_slbe()): Kp set, L for 16M pages. */
  private bolt(cpu: Cpu, index: number, ea: bigint, llp: bigint): void {
    const rs = (getKernelVsid(ea) << 12n) | SLB_VSID_KP | llp;
    const rb = (ea & ~0xfffffffn) | SLB_ESID_V | BigInt(index);
    this.guest.call(cpu, 'slb_bolt', `\tslbmte\tr3, r4\n\tisync\n`, [rs, rb]);
  }

  /** htab_bolt_mapping() of all RAM at PAGE_OFFSET with 16 MiB pages, PAGE_KERNEL. */
  private boltLinearMapping(cpu: Cpu): void {
    const geom = decodeSdr1(this.layout.htab | BigInt(this.layout.htabSize))!;
    const rflags = htabConvertPteFlags(PAGE_KERNEL);
    const layout = this.machine.model.hpteLayout;
    for (let pa = 0n; pa < this.machine.mem.size; pa += 1n << BigInt(LINEAR_SHIFT)) {
      const ea = PAGE_OFFSET + pa;
      const vsid = getKernelVsid(ea);
      const pteg = ptegAddress(geom, primaryHash(vsid, ea, SEGMENT_256M, LINEAR_SHIFT));
      const { dw0, dw1 } = buildHpte(
        {
          vsid,
          ea,
          ssize: SEGMENT_256M,
          base: LINEAR_SHIFT,
          actual: LINEAR_SHIFT,
          ra: pa,
          pp: Number(rflags & HPTE_R_PP),
          wimg: Number((rflags & HPTE_R_WIMG) >> 3n),
          noExec: (rflags & HPTE_R_N) !== 0n,
          r: (rflags & HPTE_R_R) !== 0n,
          c: (rflags & HPTE_R_C) !== 0n,
          sw: Number(HPTE_V_BOLTED >> HPTE_V_SW_SHIFT),
        },
        layout,
      )!;
      if (this.native.insert(cpu, pteg, dw0, dw1) < 0) throw new Error(`linear mapping: PTEG 0x${pteg.toString(16)} is full`);
    }
  }

  /** Reads a doubleword at a kernel virtual address on `cpu`, through its MMU. */
  load64(cpu: Cpu, ea: bigint): bigint {
    return this.guest.call(cpu, 'kload', `\tld\tr3, 0(r3)\n`, [ea], { relocate: true })[0]!;
  }

  /** Stores a doubleword at a kernel virtual address on `cpu`, through its MMU. */
  store64(cpu: Cpu, ea: bigint, v: bigint): void {
    this.guest.call(cpu, 'kstore', `\tstd\tr4, 0(r3)\n`, [ea, v], { relocate: true });
  }
}
