// Linux's native HPTE operations (arch/powerpc/mm/book3s64/hash_native.c), as the instruction
// sequences the kernel executes, run on a given CPU through guest calls:
//   native_hpte_insert()     find a free slot in a PTEG, lock it, store dw1, eieio, store dw0
//                            (valid, which also drops the lock), ptesync
//   native_hpte_invalidate() lock the slot, clear dw0 if it still maps the page (else unlock),
//                            then tlbie()
//   tlbie()                  ptesync; tlbiel; ptesync for a local flush, else
//                            [lock native_tlbie_lock] ptesync; tlbie; [ptesync; tlbie fixup];
//                            eieio; tlbsync; ptesync [unlock]
// The locks are taken with ldarx/stdcx. (HPTE lock bit, HPTE_V_LOCK in dw0) and
// lwarx/stwcx. (native_tlbie_lock) on the CPU, as Linux's bit and spin locks do.

import type { Cpu } from '../cpu/cpu.js';
import type { CpuModel } from '../cpu/models.js';
import type { Guest } from './guest.js';

/** Spin until the HPTE lock bit (HPTE_V_LOCK = 0x8 in dw0, Linux HPTE_LOCK_BIT) is ours. */
const LOCK_HPTE = `
1:	ldarx	r8, 0, r7
	andi.	r0, r8, 8		# held by someone else: spin (native_lock_hpte)
	bne	1b
	ori	r8, r8, 8
	stdcx.	r8, 0, r7
	bne	1b
	isync				# acquire barrier of test_and_set_bit_lock()
`;

/** clear_bit_unlock(HPTE_LOCK_BIT): release barrier, then an atomic clear. */
const UNLOCK_HPTE = `
	lwsync
	li	r0, 8
2:	ldarx	r8, 0, r7
	andc	r8, r8, r0
	stdcx.	r8, 0, r7
	bne	2b
`;

/** r3 = PTEG address, r4 = dw0 (with V), r5 = dw1. Returns r3 = slot index, or -1 if full. */
const INSERT = `
	li	r6, 0
3:	sldi	r7, r6, 4
	add	r7, r7, r3		# hptep = PTEG + 16 * i
	ld	r8, 0(r7)
	andi.	r0, r8, 1		# valid: try the next slot
	bne	4f
${LOCK_HPTE}
	ld	r8, 0(r7)		# re-check under the lock
	andi.	r0, r8, 1
	beq	5f
${UNLOCK_HPTE}
4:	addi	r6, r6, 1
	cmpdi	r6, 8
	blt	3b
	li	r3, -1
	b	6f
5:	std	r5, 8(r7)		# hptep->r = hpte_r
	eieio
	std	r4, 0(r7)		# hptep->v = hpte_v: valid, and the lock bit is clear
	ptesync
	mr	r3, r6
6:
`;

/** The tlbie() helper's variants (hash_native.c tlbie()), RB in r5. */
function tlbieSequence(local: boolean, lock: boolean, p9Fixup: boolean): string {
  if (local) return `\tptesync\n\ttlbiel\tr5\n\tptesync\t\t\t# ppc_after_tlbiel_barrier()\n`;
  const take = lock
    ? `
7:	lwarx	r9, 0, r10		# raw_spin_lock(&native_tlbie_lock)
	cmpwi	r9, 0
	bne	7b
	li	r9, 1
	stwcx.	r9, 0, r10
	bne	7b
	isync
`
    : '';
  const release = lock ? `\tlwsync\n\tli\tr9, 0\n\tstw\tr9, 0(r10)\t\t# raw_spin_unlock\n` : '';
  // fixup_tlbie_vpn(): on CPU_FTR_P9_TLBIE_STQ_BUG parts, ptesync and the same tlbie again.
  const fixup = p9Fixup ? `\tptesync\n\ttlbie\tr5, r0\n` : '';
  return `${take}\tli\tr0, 0\t\t\t# RS: LPID 0\n\tptesync\n\ttlbie\tr5, r0\n${fixup}\teieio\n\ttlbsync\n\tptesync\n${release}`;
}

/**
 * r3 = hptep, r4 = the dw0 the slot must still hold (compared as HPTE_V_COMPARE does: all
 * bits above bit 56, and V), r5 = RB, r10 = address of native_tlbie_lock.
 * Returns r3 = 1 if the PTE was cleared, 0 if it no longer matched.
 */
function invalidateSequence(tlbie: string): string {
  return `
	mr	r7, r3
${LOCK_HPTE}
	ld	r8, 0(r7)
	xor	r9, r8, r4
	rldicr.	r9, r9, 0, 56		# HPTE_V_COMPARE: bits above the software bits must match
	bne	8f
	andi.	r0, r8, 1		# and it must be valid
	beq	8f
	li	r0, 0
	std	r0, 0(r7)		# hptep->v = 0: invalidates, and drops the lock
	li	r11, 1
	b	9f
8:${UNLOCK_HPTE}
	li	r11, 0
9:
${tlbie}	mr	r3, r11
`;
}

/**
 * native_hpte_updatepp(): r3 = hptep, r4 = the dw0 it must hold, r5 = RB, r6 = new PP|N|C
 * bits; r3 = 1 if updated, 0 if the PTE no longer matched. The tlbie follows either way
 * ("Even if we miss, we need to invalidate the TLB").
 */
function updateppSequence(tlbie: string): string {
  return `
	mr	r7, r3
${LOCK_HPTE}
	ld	r8, 0(r7)
	xor	r9, r8, r4
	rldicr.	r9, r9, 0, 56
	bne	8f
	andi.	r0, r8, 1
	beq	8f
	ld	r9, 8(r7)		# hptep->r = (r & ~(PP|N)) | (newpp & (PP|N|C))
	li	r0, 7
	andc	r9, r9, r0
	andi.	r0, r6, 0x87
	or	r9, r9, r0
	std	r9, 8(r7)
${UNLOCK_HPTE}
	li	r11, 1
	b	9f
8:${UNLOCK_HPTE}
	li	r11, 0
9:
${tlbie}	mr	r3, r11
`;
}

/** The HPTE half of native_flush_hash_range() for one entry: r3 = hptep, r4 = want; no tlbie. */
const INVALIDATE_ONLY = `
	mr	r7, r3
${LOCK_HPTE}
	ld	r8, 0(r7)
	xor	r9, r8, r4
	rldicr.	r9, r9, 0, 56
	bne	8f
	andi.	r0, r8, 1
	beq	8f
	li	r0, 0
	std	r0, 0(r7)
	b	9f
8:${UNLOCK_HPTE}
9:
`;

/**
 * The TLB half of native_flush_hash_range(): r3 = address of the RB list, r4 = count. One
 * ptesync, every tlbie(l), then (global) eieio; tlbsync; ptesync — under native_tlbie_lock
 * (r10) on models without LOCKLESS_TLBIE; POWER9's fixup repeats the last tlbie.
 */
function rangeTlbSequence(local: boolean, lock: boolean, p9Fixup: boolean): string {
  const loop = (insn: string) => `
	mtctr	r4
	mr	r11, r3
	li	r0, 0
3:	ld	r5, 0(r11)
	${insn}
	addi	r11, r11, 8
	bdnz	3b
`;
  if (local) return `	ptesync${loop('tlbiel	r5')}	ptesync
`;
  const take = lock
    ? `7:	lwarx	r9, 0, r10
	cmpwi	r9, 0
	bne	7b
	li	r9, 1
	stwcx.	r9, 0, r10
	bne	7b
	isync
`
    : '';
  const release = lock ? `	lwsync
	li	r9, 0
	stw	r9, 0(r10)
` : '';
  const fixup = p9Fixup ? `	ptesync
	tlbie	r5, r0
` : '';
  return `${take}	ptesync${loop('tlbie	r5, r0')}${fixup}	eieio
	tlbsync
	ptesync
${release}`;
}

export interface NativeHpteOptions {
  model: CpuModel;
  /** Real address of native_tlbie_lock (a word), used on models without LOCKLESS_TLBIE. */
  tlbieLock: bigint;
}

export class NativeHpte {
  constructor(
    private readonly guest: Guest,
    private readonly opts: NativeHpteOptions,
  ) {}

  /** native_hpte_insert(): the slot index (0..7) in the PTEG, or -1 when the group is full. */
  insert(cpu: Cpu, pteg: bigint, dw0: bigint, dw1: bigint): number {
    const [r3] = this.guest.call(cpu, 'native_hpte_insert', INSERT, [pteg, dw0 | 1n, dw1]);
    return Number(BigInt.asIntN(64, r3!));
  }

  /** The tlbie() helper alone (hash_native.c tlbie()): invalidate `rb`, locally or globally. */
  tlbie(cpu: Cpu, rb: bigint, local: boolean): void {
    const { name, seq } = this.variant('tlbie', local, tlbieSequence);
    this.guest.call(cpu, name, seq, [0n, 0n, rb, 0n, 0n, 0n, 0n, this.opts.tlbieLock]);
  }

  /** native_hpte_updatepp(): new PP/N (and C) bits for a PTE that still matches; then tlbie(). */
  updatepp(cpu: Cpu, hptep: bigint, wantDw0: bigint, rb: bigint, newpp: bigint, local: boolean): boolean {
    const { name, seq } = this.variant('native_hpte_updatepp', local, (l, k, f) => updateppSequence(tlbieSequence(l, k, f)));
    const [r3] = this.guest.call(cpu, name, seq, [hptep, wantDw0, rb, newpp, 0n, 0n, 0n, this.opts.tlbieLock]);
    return r3 === 1n;
  }

  /**
   * native_flush_hash_range(): every entry's HPTE invalidated (when it still matches), then
   * all the TLB invalidations in one sequence. `rbList` is real storage for the RB array.
   */
  flushHashRange(cpu: Cpu, entries: ReadonlyArray<{ hptep: bigint; want: bigint; rb: bigint }>, local: boolean, rbList: bigint): void {
    for (const e of entries) this.guest.call(cpu, 'flush_hash_range_hpte', INVALIDATE_ONLY, [e.hptep, e.want]);
    const bytes = new Uint8Array(entries.length * 8);
    const dv = new DataView(bytes.buffer);
    entries.forEach((e, i) => dv.setBigUint64(i * 8, e.rb, false));
    this.guest.machine.mem.write(rbList, bytes); // the batch's array, kernel data
    const { name, seq } = this.variant('flush_hash_range_tlb', local, rangeTlbSequence);
    this.guest.call(cpu, name, seq, [rbList, BigInt(entries.length), 0n, 0n, 0n, 0n, 0n, this.opts.tlbieLock]);
  }

  /**
   * The sequence for this model and flush kind, and its name: tlbiel only when `local` and the
   * model has TLBIEL; the tlbie lock without LOCKLESS_TLBIE; the POWER9 fixup with
   * P9_TLBIE_STQ_BUG (hash_native.c tlbie()).
   */
  private variant(
    base: string,
    local: boolean,
    build: (useLocal: boolean, lock: boolean, p9Fixup: boolean) => string,
  ): { name: string; seq: string } {
    const f = this.opts.model.features;
    const useLocal = local && f.TLBIEL;
    const lock = !useLocal && !f.LOCKLESS_TLBIE;
    const fix = !useLocal && f.P9_TLBIE_STQ_BUG;
    const name = `${base}${useLocal ? '_local' : ''}${lock ? '_locked' : ''}${fix ? '_p9fix' : ''}`;
    return { name, seq: build(useLocal, lock, fix) };
  }

  /**
   * native_hpte_invalidate() on slot `hptep`, then the tlbie() helper with `rb`: tlbiel when
   * `local` and the model has TLBIEL, else tlbie with the model's lock and erratum fixup.
   * Returns whether the PTE still matched and was cleared.
   */
  invalidate(cpu: Cpu, hptep: bigint, wantDw0: bigint, rb: bigint, local: boolean): boolean {
    const { name, seq } = this.variant('native_hpte_invalidate', local, (l, k, f) => invalidateSequence(tlbieSequence(l, k, f)));
    const [r3] = this.guest.call(cpu, name, seq, [hptep, wantDw0, rb, 0n, 0n, 0n, 0n, this.opts.tlbieLock]);
    return r3 === 1n;
  }
}
