// CPU models: what differs between the POWER7, POWER8 and POWER9 (hash mode) machines this
// emulator offers. Feature flags use Linux's names (arch/powerpc/include/asm/cputable.h) so
// the kernel shim and the validator can make the same choices Linux makes.

export type CpuModelName = 'power7' | 'power8' | 'power9';

export interface CpuModel {
  readonly name: CpuModelName;
  /** Processor Version Register value (Book III 4.3.1; versions from Linux PVR_POWER*). */
  readonly pvr: number;
  /** Where the hashed page table is described: SDR1 (v2.07) or PTCR + partition table (v3.0). */
  readonly hptLocation: 'sdr1' | 'ptcr';
  /** HPTE layout: v3.0 moved the segment-size field B from doubleword 0 to doubleword 1. */
  readonly hpteLayout: 'v2.07' | 'v3.0';
  /** Translation cache geometry: congruence classes (the tlbiel set count) x ways. */
  readonly tlbSets: number;
  readonly tlbWays: number;
  readonly features: {
    /** tlbie needs no global lock (Linux CPU_FTR_LOCKLESS_TLBIE; POWER5 and later). */
    readonly LOCKLESS_TLBIE: boolean;
    /** tlbiel is available (Linux MMU_FTR_TLBIEL; POWER4 and later with hash). */
    readonly TLBIEL: boolean;
    /**
     * tlbie may complete before earlier stores drain: Linux issues an extra ptesync; tlbie
     * (CPU_FTR_P9_TLBIE_STQ_BUG, set for POWER9 Nimbus below DD2.3 in
     * arch/powerpc/kernel/dt_cpu_ftrs.c update_tlbie_feature_flag()).
     */
    readonly P9_TLBIE_STQ_BUG: boolean;
  };
}

export const CPU_MODELS: Readonly<Record<CpuModelName, CpuModel>> = {
  // Set counts: Linux POWER7_TLB_SETS (128), POWER8_TLB_SETS (512), POWER9_TLB_SETS_HASH (256)
  // in arch/powerpc/include/asm/book3s/64/mmu-hash.h; 4 ways (no better public figure found).
  power7: {
    name: 'power7',
    pvr: 0x003f0201, // POWER7 DD2.1 (PVR_POWER7 = 0x003f)
    hptLocation: 'sdr1',
    hpteLayout: 'v2.07',
    tlbSets: 128,
    tlbWays: 4,
    features: { LOCKLESS_TLBIE: true, TLBIEL: true, P9_TLBIE_STQ_BUG: false },
  },
  power8: {
    name: 'power8',
    pvr: 0x004d0200, // POWER8 DD2.0 (PVR_POWER8 = 0x004d)
    hptLocation: 'sdr1',
    hpteLayout: 'v2.07',
    tlbSets: 512,
    tlbWays: 4,
    features: { LOCKLESS_TLBIE: true, TLBIEL: true, P9_TLBIE_STQ_BUG: false },
  },
  power9: {
    name: 'power9',
    pvr: 0x004e1202, // POWER9 Nimbus DD2.2 (PVR_POWER9 = 0x004e): has the tlbie store-queue erratum
    hptLocation: 'ptcr',
    hpteLayout: 'v3.0',
    tlbSets: 256,
    tlbWays: 4,
    features: { LOCKLESS_TLBIE: true, TLBIEL: true, P9_TLBIE_STQ_BUG: true },
  },
};
