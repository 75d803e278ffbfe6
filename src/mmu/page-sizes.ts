// Page sizes of the hash MMU as POWER7, POWER8 and POWER9 (hash mode) implement them: base page
// sizes selected by the SLB entry's L||LP, actual page sizes selected by the PTE's L and LP, and
// the encodings tlbie/tlbiel use to name them.
//
// Sources: Power ISA v2.07B/v3.0B Book III 5.7.7.1 (SLB L||LP), 5.7.7.2 (PTE LP "rrrr zzzz"
// rule); Linux arch/powerpc/mm/book3s64/hash_utils.c htab_dt_scan_page_sizes() and
// init_hpte_page_sizes(), which fill mmu_psize_defs[] from the firmware's
// "ibm,segment-page-sizes" list. On POWER7/8/9 that list is (QEMU target/ppc/mmu-hash64.c
// ppc_hash64_opts_POWER7, used for POWER7, 8 and 9; Linux arch/powerpc/include/asm/
// kvm_book3s_64.h kvmppc_pgsize_lp_encoding() agrees):
//   base 4K  (sllp 0x000): 4K penc 0x0, 64K penc 0x7, 16M penc 0x38
//   base 64K (sllp 0x110): 64K penc 0x1, 16M penc 0x8
//   base 16M (sllp 0x100): 16M penc 0x0
// (16G pages also exist on these machines; this emulator does not model them.)

export type PageShift = 12 | 16 | 24;

export const PAGE_SHIFT_4K = 12 as const;
export const PAGE_SHIFT_64K = 16 as const;
export const PAGE_SHIFT_16M = 24 as const;
export const PAGE_SHIFTS: readonly PageShift[] = [PAGE_SHIFT_4K, PAGE_SHIFT_64K, PAGE_SHIFT_16M];

/** SLB RS bits L (bit 55) and LP (bits 58:59) (Linux mmu-hash.h SLB_VSID_L, SLB_VSID_LP). */
export const SLB_VSID_L = 0x100n;
export const SLB_VSID_LP = 0x30n;
export const SLB_VSID_LLP = SLB_VSID_L | SLB_VSID_LP;

/** The PTE LP field is 8 bits at dw1 bits 44:51 (Linux mmu-hash.h LP_SHIFT 12, LP_BITS 8). */
export const LP_SHIFT = 12;
export const LP_BITS = 8;

export interface BasePageSizeDef {
  readonly shift: PageShift;
  /** SLB L||LP exactly as OR-ed into slbmte's RS (Linux mmu_psize_def.sllp). */
  readonly sllp: bigint;
  /** LP encoding (penc) in the PTE for each actual page size allowed in such a segment. */
  readonly penc: Readonly<Partial<Record<PageShift, number>>>;
  /**
   * AVPN bits a PTE search ignores for this base size: (1 << (shift - 23)) - 1 above 8 MB,
   * else 0 (Linux hash_utils.c htab_dt_scan_page_sizes(), mmu_psize_def.avpnm).
   */
  readonly avpnm: bigint;
  /** Linux uses tlbiel for this base size (only 4K and 64K: htab_dt_scan_page_sizes()). */
  readonly tlbiel: boolean;
}

/** mmu_psize_defs[] for POWER7/8/9 (see the header comment for the sources). */
export const MMU_PSIZE_DEFS: Readonly<Record<PageShift, BasePageSizeDef>> = {
  12: { shift: 12, sllp: 0x000n, penc: { 12: 0x0, 16: 0x7, 24: 0x38 }, avpnm: 0n, tlbiel: true },
  16: { shift: 16, sllp: 0x110n, penc: { 16: 0x1, 24: 0x8 }, avpnm: 0n, tlbiel: true },
  24: { shift: 24, sllp: 0x100n, penc: { 24: 0x0 }, avpnm: 1n, tlbiel: false },
};

export function isPageShift(n: number): n is PageShift {
  return n === 12 || n === 16 || n === 24;
}

/** Bytes in a page of this shift. */
export function pageBytes(shift: PageShift): bigint {
  return 1n << BigInt(shift);
}

/** SLB L||LP (RS bits, as in slbmte) for a base page size. */
export function slbLlpForBase(base: PageShift): bigint {
  return MMU_PSIZE_DEFS[base].sllp;
}

/** Base page size a segment has, from the L||LP bits of slbmte's RS; null if not supported. */
export function baseShiftFromSlbLlp(rs: bigint): PageShift | null {
  const llp = rs & SLB_VSID_LLP;
  for (const s of PAGE_SHIFTS) if (MMU_PSIZE_DEFS[s].sllp === llp) return s;
  return null;
}

/**
 * The 3-bit L||LP value (L in bit 2, LP in bits 1:0) that tlbie's L=0 form carries in RB
 * bits 56:58 (Linux mmu-hash.h get_sllp_encoding(): ((sllp & L) >> 6) | ((sllp & LP) >> 4)).
 */
export function sllpEncoding(shift: PageShift): number {
  const sllp = MMU_PSIZE_DEFS[shift].sllp;
  return Number(((sllp & SLB_VSID_L) >> 6n) | ((sllp & SLB_VSID_LP) >> 4n));
}

/** Inverse of sllpEncoding: 0 -> 4K, 0b101 -> 64K, 0b100 -> 16M; null otherwise. */
export function shiftFromSllpEncoding(enc: number): PageShift | null {
  for (const s of PAGE_SHIFTS) if (sllpEncoding(s) === enc) return s;
  return null;
}

/** PTE LP encoding for (base, actual), or null when the pair is not supported. */
export function penc(base: PageShift, actual: PageShift): number | null {
  return MMU_PSIZE_DEFS[base].penc[actual] ?? null;
}

/**
 * How many low-order LP bits encode the size of an actual page ("rrrr zzzz": an actual page
 * of 2^(12+n) bytes uses the low n bits, at most 8; Power ISA Book III 5.7.7.2; Linux
 * hash_utils.c init_hpte_page_sizes()). The other LP bits are real-address bits.
 */
export function lpSizeBits(actual: PageShift): number {
  return Math.min(actual - LP_SHIFT, LP_BITS);
}

/**
 * Decode an 8-bit LP value of a PTE with L=1 into its (base, actual) page sizes, ignoring the
 * LP bits that are real-address bits for that actual size (Linux hash_utils.c
 * init_hpte_page_sizes() builds the same table). Returns null for an unknown encoding.
 * Only L=1 encodings are looked up: a PTE with L=0 is a 4K page in a 4K-base segment.
 */
export function decodeLargeLp(lp: number): { base: PageShift; actual: PageShift } | null {
  for (const base of PAGE_SHIFTS) {
    for (const actual of PAGE_SHIFTS) {
      if (actual === PAGE_SHIFT_4K) continue;
      const enc = penc(base, actual);
      if (enc === null) continue;
      const mask = (1 << lpSizeBits(actual)) - 1;
      if ((lp & mask) === enc) return { base, actual };
    }
  }
  return null;
}

/**
 * Page sizes of a PTE given its L bit and LP field (Linux mmu-hash.h __hpte_page_size()):
 * L=0 is a 4K page with 4K base; L=1 looks the LP value up.
 */
export function hptePageSizes(large: boolean, lp: number): { base: PageShift; actual: PageShift } | null {
  if (!large) return { base: PAGE_SHIFT_4K, actual: PAGE_SHIFT_4K };
  return decodeLargeLp(lp);
}
