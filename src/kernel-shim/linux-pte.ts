// The Linux page-table entry of the 2012 ppc64 hash MMU kernels with 4 KiB pages
// (arch/powerpc/include/asm/pte-hash64.h and pte-hash64-4k.h), and the PTE -> HPTE flag
// conversion (arch/powerpc/mm/hash_utils_64.c htab_convert_pte_flags()).

export const _PAGE_PRESENT = 0x0001n; // software: pte contains a translation
export const _PAGE_USER = 0x0002n; // matches one of the PP bits
export const _PAGE_EXEC = 0x0004n; // no-execute when clear (inverted into HPTE N)
export const _PAGE_GUARDED = 0x0008n;
export const _PAGE_COHERENT = 0x0010n; // M
export const _PAGE_NO_CACHE = 0x0020n; // I
export const _PAGE_WRITETHRU = 0x0040n; // W
export const _PAGE_DIRTY = 0x0080n; // C
export const _PAGE_ACCESSED = 0x0100n; // R
export const _PAGE_RW = 0x0200n;
export const _PAGE_HASHPTE = 0x0400n; // software: an HPTE exists for this PTE
export const _PAGE_BUSY = 0x0800n; // software: PTE and hash are busy (hash_page holds it)
export const _PAGE_GROUP_IX = 0x7000n; // software: HPTE index within its group (4K pages)
export const _PAGE_SECONDARY = 0x8000n; // software: HPTE is in the secondary group
/** _PAGE_F_GIX and _PAGE_F_SECOND, and the shift of the slot nibble (hidx << 12). */
export const _PAGE_F_GIX_SHIFT = 12n;
export const _PAGE_HPTEFLAGS = _PAGE_BUSY | _PAGE_HASHPTE | _PAGE_SECONDARY | _PAGE_GROUP_IX;
/** The page frame number sits above bit 17 (PTE_RPN_SHIFT, pte-hash64-4k.h). */
export const PTE_RPN_SHIFT = 17n;

/** _PAGE_BASE and the kernel protections of pte-common.h / pgtable-ppc64.h of that time. */
export const _PAGE_BASE = _PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_COHERENT;
export const _PAGE_KERNEL_RW = _PAGE_RW | _PAGE_DIRTY;
export const PAGE_KERNEL = _PAGE_BASE | _PAGE_KERNEL_RW;

/** HPTE dw1 bits used by the conversion (mmu-hash64.h). */
const HPTE_R_N = 0x4n;
const HPTE_R_C = 0x80n;

/** pfn_pte(): a PTE for page frame `pfn` with protection `prot`. */
export function pfnPte(pfn: bigint, prot: bigint): bigint {
  return (pfn << PTE_RPN_SHIFT) | prot;
}

export function ptePfn(pte: bigint): bigint {
  return pte >> PTE_RPN_SHIFT;
}

/**
 * The HPTE slot a hashed PTE records (__hash_page_4K: new_pte |= (slot << 12) &
 * (_PAGE_F_SECOND | _PAGE_F_GIX)): `hidx` is the index in the group, plus 8 when secondary.
 */
export function pteWithSlot(pte: bigint, hidx: number): bigint {
  return (pte & ~(_PAGE_SECONDARY | _PAGE_GROUP_IX)) | _PAGE_HASHPTE | ((BigInt(hidx) << _PAGE_F_GIX_SHIFT) & (_PAGE_SECONDARY | _PAGE_GROUP_IX));
}

/** The recorded slot: { secondary, index } (flush_hash_page's hidx decoding). */
export function pteSlot(pte: bigint): { secondary: boolean; index: number } | null {
  if ((pte & _PAGE_HASHPTE) === 0n) return null;
  return { secondary: (pte & _PAGE_SECONDARY) !== 0n, index: Number((pte & _PAGE_GROUP_IX) >> _PAGE_F_GIX_SHIFT) };
}

/**
 * htab_convert_pte_flags(): the HPTE dw1 low bits for a PTE's flags — R, C, WIMG and PP bit
 * 0x2 pass through (pteflags & 0x1fa), no _PAGE_EXEC sets N, a user page that is not both RW
 * and dirty gets PP bit 0x1 (read-only), and C is always set.
 */
export function htabConvertPteFlags(pte: bigint): bigint {
  let r = pte & 0x1fan;
  if ((pte & _PAGE_EXEC) === 0n) r |= HPTE_R_N;
  if ((pte & _PAGE_USER) !== 0n && !((pte & _PAGE_RW) !== 0n && (pte & _PAGE_DIRTY) !== 0n)) r |= 1n;
  return r | HPTE_R_C;
}
