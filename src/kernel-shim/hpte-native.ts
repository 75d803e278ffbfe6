// Linux's native HPTE operations (arch/powerpc/mm/book3s64/hash_native.c), as the instruction
// sequences the kernel executes, run on a given CPU through guest calls:
//   native_hpte_insert()     find a free slot in a PTEG, lock it, store dw1, eieio, store dw0
//                            (valid, which also drops the lock), ptesync
//   native_hpte_invalidate() look at the slot; if it maps the page, lock it and clear dw0 if
//                            it still does (else unlock); then tlbie() either way
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

/**
 * raw_spin_lock(&native_tlbie_lock) with lwarx/stwcx. on the word at r10, and its unlock. The
 * `# lock` / `# unlock` comments are the validator's annotations (docs/validate.md), so the
 * same text explored as a fixture (scenario --explore) tells rule R7 where the lock is held.
 */
const TAKE_TLBIE_LOCK = `
7:	lwarx	r9, 0, r10		# raw_spin_lock(&native_tlbie_lock)
	cmpwi	r9, 0
	bne	7b
	li	r9, 1
	stwcx.	r9, 0, r10
	bne	7b
	isync				# lock
`;
const RELEASE_TLBIE_LOCK = `\tlwsync\n\tli\tr9, 0\n\tstw\tr9, 0(r10)\t\t# unlock\n`;

/**
 * The shape of Linux's flushes around some tlbie(l) instructions `body` (RB in r5): local,
 * ptesync; body; ptesync (ppc_after_tlbiel_barrier); global, [tlbie lock] ptesync; body;
 * [fixup_tlbie_vpn on CPU_FTR_P9_TLBIE_STQ_BUG: ptesync and the last tlbie again]; eieio;
 * tlbsync; ptesync [unlock] (hash_native.c tlbie(), native_flush_hash_range()).
 */
function flushSequence(body: string, local: boolean, lock: boolean, p9Fixup: boolean): string {
  if (local) return `\tptesync\n${body}\tptesync\n`;
  const fixup = p9Fixup ? `\tptesync\n\ttlbie\tr5, r0\n` : '';
  return `${lock ? TAKE_TLBIE_LOCK : ''}\tli\tr0, 0\t\t\t# RS: LPID 0\n\tptesync\n${body}${fixup}\teieio\n\ttlbsync\n\tptesync\n${lock ? RELEASE_TLBIE_LOCK : ''}`;
}

/** The tlbie() helper (hash_native.c tlbie()), RB in r5. */
function tlbieSequence(local: boolean, lock: boolean, p9Fixup: boolean): string {
  return flushSequence(local ? `\ttlbiel\tr5\n` : `\ttlbie\tr5, r0\n`, local, lock, p9Fixup);
}

/**
 * The TLB half of native_flush_hash_range(): r3 = address of the RB list, r4 = count; every
 * tlbie(l) inside one flush sequence.
 */
function rangeTlbSequence(local: boolean, lock: boolean, p9Fixup: boolean): string {
  const loop = `
	mtctr	r4
	mr	r11, r3
3:	ld	r5, 0(r11)
	${local ? 'tlbiel\tr5' : 'tlbie\tr5, r0'}
	addi	r11, r11, 8
	bdnz	3b
`;
  return flushSequence(loop, local, lock, p9Fixup);
}

/**
 * If the HPTE at r3 holds the dw0 in r4 (HPTE_V_COMPARE: every bit above the software bits,
 * and V) at a first, unlocked look (hpte_get_old_v()), lock it and look again; if it still
 * does, run `onMatch` (which must leave the HPTE unlocked) and set r11 = 1; else unlock it
 * (when locked) and set r11 = 0. Then `after` (a flush), and r3 = r11. Linux's
 * native_hpte_invalidate(), native_hpte_updatepp() and native_flush_hash_range() all look
 * before they lock; the look is an ordinary load, which the Power model lets another CPU's
 * racing store overtake.
 */
function lockedMatch(onMatch: string, after: string): string {
  return `
	mr	r7, r3
	ld	r8, 0(r7)		# hpte_get_old_v(): look before locking
	xor	r9, r8, r4
	rldicr.	r9, r9, 0, 56		# HPTE_V_COMPARE
	bne	4f
	andi.	r0, r8, 1		# and valid
	beq	4f
${LOCK_HPTE}
	ld	r8, 0(r7)		# recheck with the lock held
	xor	r9, r8, r4
	rldicr.	r9, r9, 0, 56
	bne	8f
	andi.	r0, r8, 1
	beq	8f
${onMatch}
	li	r11, 1
	b	9f
8:${UNLOCK_HPTE}
4:	li	r11, 0
9:
${after}	mr	r3, r11
`;
}

/** hptep->v = 0: invalidates, and drops the lock (native_hpte_invalidate()). */
const CLEAR_V = `\tli\tr0, 0\n\tstd\tr0, 0(r7)\n`;

/**
 * native_hpte_invalidate(): r3 = hptep, r4 = the dw0 it must hold, r5 = RB, r10 = address of
 * native_tlbie_lock. r3 = 1 if the PTE was cleared, 0 if it no longer matched.
 */
function invalidateSequence(tlbie: string): string {
  return lockedMatch(CLEAR_V, tlbie);
}

/**
 * native_hpte_updatepp(): r3 = hptep, r4 = the dw0 it must hold, r5 = RB, r6 = new PP|N|C
 * bits; r3 = 1 if updated. The tlbie follows either way ("Even if we miss, we need to
 * invalidate the TLB").
 */
function updateppSequence(tlbie: string): string {
  const update = `
	ld	r9, 8(r7)		# hptep->r = (r & ~(PP|N)) | (newpp & (PP|N|C))
	li	r0, 7
	andc	r9, r9, r0
	andi.	r0, r6, 0x87
	or	r9, r9, r0
	std	r9, 8(r7)
${UNLOCK_HPTE}`;
  return lockedMatch(update, tlbie);
}

/**
 * native_hpte_remove(): r3 = PTEG, r4 = first slot to try. Evicts the first valid, unbolted
 * entry (HPTE_V_BOLTED 0x10 clear): lock it, re-check, clear dw0 (which unlocks) — with no
 * tlbie, as Linux. r3 = the slot, or -1 when every entry is bolted.
 */
const REMOVE = `
	li	r10, 0
5:	add	r6, r4, r10
	andi.	r6, r6, 7
	sldi	r7, r6, 4
	add	r7, r7, r3
	ld	r8, 0(r7)
	andi.	r0, r8, 0x11		# valid and not bolted
	cmpdi	r0, 1
	bne	6f
${LOCK_HPTE}
	ld	r8, 0(r7)
	andi.	r0, r8, 0x11
	cmpdi	r0, 1
	beq	7f
${UNLOCK_HPTE}
6:	addi	r10, r10, 1
	cmpdi	r10, 8
	blt	5b
	li	r3, -1
	b	8f
7:	li	r0, 0
	std	r0, 0(r7)		# invalidate (and unlock)
	mr	r3, r6
8:
`;

/** The HPTE half of native_flush_hash_range() for one entry: r3 = hptep, r4 = want; no tlbie. */
const INVALIDATE_ONLY = lockedMatch(CLEAR_V, '');

/**
 * The sequence for this model and flush kind, and its name: tlbiel only when `local` and the
 * model has TLBIEL; the tlbie lock without LOCKLESS_TLBIE; the POWER9 fixup with
 * P9_TLBIE_STQ_BUG (hash_native.c tlbie()).
 */
function variantFor(
  model: CpuModel,
  base: string,
  local: boolean,
  build: (useLocal: boolean, lock: boolean, p9Fixup: boolean) => string,
): { name: string; seq: string } {
  const f = model.features;
  const useLocal = local && f.TLBIEL;
  const lock = !useLocal && !f.LOCKLESS_TLBIE;
  const fix = !useLocal && f.P9_TLBIE_STQ_BUG;
  const name = `${base}${useLocal ? '_local' : ''}${lock ? '_locked' : ''}${fix ? '_p9fix' : ''}`;
  return { name, seq: build(useLocal, lock, fix) };
}

/** The sequences NativeHpte runs, by name, for sequenceText(). */
const SEQUENCES = {
  /** r3 = PTEG, r4 = dw0 (V set), r5 = dw1; r3 = slot index or -1. */
  native_hpte_insert: () => INSERT,
  /** r3 = hptep, r4 = the dw0 it must hold, r5 = RB, r10 = native_tlbie_lock. */
  native_hpte_invalidate: (l: boolean, k: boolean, f: boolean) => invalidateSequence(tlbieSequence(l, k, f)),
  /** r3 = hptep, r4 = the dw0 it must hold, r5 = RB, r6 = new PP|N|C, r10 = native_tlbie_lock. */
  native_hpte_updatepp: (l: boolean, k: boolean, f: boolean) => updateppSequence(tlbieSequence(l, k, f)),
  /** native_flush_hash_range()'s HPTE half for one entry: r3 = hptep, r4 = the dw0 it must hold. */
  flush_hash_range_hpte: () => INVALIDATE_ONLY,
  /** native_flush_hash_range()'s TLB half: r3 = RB array, r4 = count, r10 = native_tlbie_lock. */
  flush_hash_range_tlb: (l: boolean, k: boolean, f: boolean) => rangeTlbSequence(l, k, f),
} as const;

export type SequenceName = keyof typeof SEQUENCES;

/**
 * The text of one of Linux's hash_native.c sequences for `model` exactly as NativeHpte runs
 * it (tlbie or tlbiel, lock and erratum fixup chosen as tlbie() does), so the validator can
 * explore the very instructions the shim executes. Registers as listed in SEQUENCES.
 */
export function sequenceText(name: SequenceName, model: CpuModel, local = false): string {
  return variantFor(model, name, local, SEQUENCES[name]).seq;
}

/** native_hpte_invalidate() then tlbie() (sequenceText('native_hpte_invalidate', ...)). */
export function nativeHpteInvalidateText(model: CpuModel, local: boolean): string {
  return sequenceText('native_hpte_invalidate', model, local);
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

  /** native_hpte_remove(): evict one unbolted entry of the PTEG; its slot, or -1. */
  remove(cpu: Cpu, pteg: bigint, first: number): number {
    const [r3] = this.guest.call(cpu, 'native_hpte_remove', REMOVE, [pteg, BigInt(first)]);
    return Number(BigInt.asIntN(64, r3!));
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

  private variant(
    base: string,
    local: boolean,
    build: (useLocal: boolean, lock: boolean, p9Fixup: boolean) => string,
  ): { name: string; seq: string } {
    return variantFor(this.opts.model, base, local, build);
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
