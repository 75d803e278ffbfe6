// Where a validation run keeps things in real storage, and the translations a fixture's
// `.page` lines declare: which HPT slot each gets, its PTE words, its tlbie RB, and the
// symbols the fixture's code uses for them (NAME_ea, NAME_hpte, NAME_rb, ...).

import type { CpuModel } from '../cpu/models.js';
import { decodeSdr1, encodeSdr1, ptegAddress, primaryHash, secondaryHash, SEGMENT_256M, va as virtualAddress } from '../mmu/hash.js';
import { buildHpte } from '../mmu/hpte-build.js';
import { HPTE_BYTES, HPTE_V_BOLTED } from '../mmu/hpte.js';
import { PAGE_SHIFT_16M, type PageShift } from '../mmu/page-sizes.js';
import { vsidScramble } from '../mmu/slb-format.js';
import { encodeTlbieRb } from '../mmu/tlbie-rb.js';

/** Real storage of a validation machine. */
export const MEMORY_SIZE = 64n << 20n;
/** The HPT: 256 KiB (HTABSIZE 0: 2048 PTEGs), located by SDR1 or partition-table entry 0. */
export const HTAB_SDR1 = encodeSdr1(0x40000n, 0);
export const HTAB = decodeSdr1(HTAB_SDR1)!;
export const PARTITION_TABLE = 0x10000n;
/** Each CPU's code is loaded at CODE_BASE + cpu * CODE_STRIDE and run in real mode (MSR[IR]=0). */
export const CODE_BASE = 0x100000n;
export const CODE_STRIDE = 0x10000n;
/**
 * The kernel linear mapping (Linux PAGE_OFFSET): all of storage with bolted 16 MiB pages in
 * SLB entry 0, so code reaches the HPT and any real address at LINEAR + RA with MSR[DR]=1.
 */
export const LINEAR = 0xc000000000000000n;

/** VSID of the 256 MB segment holding `ea`: Linux vsid_scramble() of its ESID (mmu-hash.h). */
export function segmentVsid(ea: bigint): bigint {
  return vsidScramble((ea >> 28n) & ((1n << 36n) - 1n), SEGMENT_256M);
}

export interface PageDecl {
  readonly name: string;
  readonly line: number;
  readonly col: number;
  readonly ea: bigint;
  readonly ra: bigint;
  readonly shift: PageShift;
  /** PP0||PP (default 2: read/write for the kernel key). */
  readonly pp: number;
  readonly secondary: boolean;
  /** Whether the HPTE is in the table at the start (`invalid`: only its words are computed). */
  readonly valid: boolean;
  /**
   * The CPUs whose SLB holds the page's segment (null: every CPU). Linux flushes locally only
   * when no other CPU can have the context loaded (hash_native.c, mm_is_thread_local()); a CPU
   * without the segment in its SLB can neither hold nor load the translation.
   */
  readonly only: readonly number[] | null;
}

/** A `.page` translation placed in the HPT. */
export interface PlacedPage extends PageDecl {
  readonly vsid: bigint;
  readonly va: bigint;
  /** Real address of its HPT slot. */
  readonly slot: bigint;
  readonly dw0: bigint;
  readonly dw1: bigint;
  /** The RB Linux's tlbie()/tlbiel() builds for it. */
  readonly rb: bigint;
}

/** A PTE in the initial table (the linear mapping and the `.page` translations). */
export interface InitialHpte {
  readonly slot: bigint;
  readonly dw0: bigint;
  readonly dw1: bigint;
}

const WIMG_M = 2; // memory coherence required, as Linux's kernel mappings
const PP_RW = 2;

export interface Placement {
  readonly pages: readonly PlacedPage[];
  readonly hptes: readonly InitialHpte[];
}

/**
 * Places the linear mapping, then each `.page` in declaration order in the first free slot of
 * its primary (or secondary) PTEG. Returns null with the offending page when a group is full.
 */
export function placePages(decls: readonly PageDecl[], model: CpuModel): Placement | { full: PageDecl } {
  const used = new Set<bigint>();
  const hptes: InitialHpte[] = [];
  const take = (pteg: bigint): bigint | null => {
    for (let i = 0n; i < 8n; i++) {
      const slot = pteg + i * HPTE_BYTES;
      if (!used.has(slot)) {
        used.add(slot);
        return slot;
      }
    }
    return null;
  };
  for (let ra = 0n; ra < MEMORY_SIZE; ra += 1n << 24n) {
    const ea = LINEAR + ra;
    const vsid = segmentVsid(ea);
    const slot = take(ptegAddress(HTAB, primaryHash(vsid, ea, SEGMENT_256M, PAGE_SHIFT_16M)))!;
    const w = buildHpte({ vsid, ea, ssize: SEGMENT_256M, base: PAGE_SHIFT_16M, actual: PAGE_SHIFT_16M, ra, pp: PP_RW, wimg: WIMG_M, sw: Number(HPTE_V_BOLTED >> 3n), r: true, c: true }, model.hpteLayout)!;
    hptes.push({ slot, ...w });
  }
  const pages: PlacedPage[] = [];
  for (const d of decls) {
    const vsid = segmentVsid(d.ea);
    const h = primaryHash(vsid, d.ea, SEGMENT_256M, d.shift);
    const slot = take(ptegAddress(HTAB, d.secondary ? secondaryHash(h) : h));
    if (slot === null) return { full: d };
    const w = buildHpte({ vsid, ea: d.ea, ssize: SEGMENT_256M, base: d.shift, actual: d.shift, ra: d.ra, pp: d.pp, wimg: WIMG_M, secondary: d.secondary, r: true, c: true }, model.hpteLayout)!;
    const va = virtualAddress(vsid, d.ea, SEGMENT_256M);
    const rb = encodeTlbieRb(va >> 12n, d.shift, d.shift, SEGMENT_256M)!;
    pages.push({ ...d, vsid, va, slot, ...w, rb });
    if (d.valid) hptes.push({ slot, ...w });
  }
  return { pages, hptes };
}

/** The assembler symbols of a placed page (one `.set` statement each). */
export function pageSymbols(p: PlacedPage): Array<[string, bigint]> {
  return [
    [`${p.name}_ea`, p.ea],
    [`${p.name}_ra`, p.ra],
    [`${p.name}_slot`, p.slot],
    [`${p.name}_hpte`, LINEAR + p.slot],
    [`${p.name}_dw0`, p.dw0],
    [`${p.name}_dw1`, p.dw1],
    [`${p.name}_rb`, p.rb],
  ];
}
