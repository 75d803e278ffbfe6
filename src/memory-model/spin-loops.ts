// Spin-loop reduction for thread runs. A loop iteration that only reads (a failed lock
// attempt: ldarx; test; bne back, or a stdcx. that failed) and comes back to the loop head
// with every live register as it was at the previous visit is a no-op apart from its reads.
// Every run that contains it has a twin without it (the same choices from the head on), and
// every consistent execution of the run, less the iteration's reads, is an execution of the
// twin: removing reads only removes po, dependency and communication edges, and ppc.cat's
// axioms are acyclicity and emptiness of relations built monotonically from those (Alglave,
// Maranget, Tautschnig, TOPLAS 2014, section 6). So the twin alone is enough, and the number of
// runs no longer multiplies by the spins (the same argument as GenMC's spin-assume
// transformation, Kokologiannakis et al., PLDI 2019, section 5: "await" loops).
//
// "Live" is decided by the straight-line block at the head: a register that block writes
// before any read of it is dead there (its value at the head is never seen). Anything else
// must match in value and in the reads it depends on, so the twin's dependencies are the
// run's. The reservation is compared too unless the block takes a new one (larx) first.

import type { Cpu } from '../cpu/cpu.js';
import { effectsOf, isBranch, XER_CA, XER_OV, XER_SO } from '../isa/effects.js';
import { flagValues } from '../isa/decode.js';
import { Op } from '../isa/ops.js';
import type { InsnDef } from '../isa/table.js';

/** What the straight-line block at a loop head overwrites before reading. */
export interface DeadAtHead {
  readonly gpr: ReadonlySet<number>;
  /** CR bits (bit n: CR bit n), XER bits, LR, CTR. */
  readonly cr: number;
  readonly xer: number;
  readonly lr: boolean;
  readonly ctr: boolean;
  /** A larx comes before any stcx.: the reservation at the head is never used. */
  readonly reservation: boolean;
}

/** The targets of the code's relative backward branches, each with what is dead there. */
export function loopHeads(words: Uint32Array, defs: ReadonlyArray<InsnDef | null>): Map<number, DeadAtHead> {
  const heads = new Map<number, DeadAtHead>();
  defs.forEach((def, k) => {
    if (!def || (def.op !== Op.b && def.op !== Op.bc) || flagValues(def, words[k]!).aa) return;
    const disp = def.operands.find((o) => o.def.kind === 'rel')!.def.extract(words[k]!);
    const h = k + disp / 4;
    if (disp <= 0 && h >= 0 && !heads.has(h)) heads.set(h, deadAt(h, words, defs));
  });
  return heads;
}

function deadAt(h: number, words: Uint32Array, defs: ReadonlyArray<InsnDef | null>): DeadAtHead {
  const gpr = new Set<number>();
  const seen = new Set<number>();
  let cr = 0, crSeen = 0, xer = 0, xerSeen = 0;
  let lr: boolean | null = null, ctr: boolean | null = null, reservation: boolean | null = null;
  for (let k = h; k < defs.length; k++) {
    const def = defs[k];
    if (!def) break;
    const e = effectsOf(def, words[k]!);
    if (e.unsupported) break;
    for (const r of e.gprRead) seen.add(r);
    crSeen |= e.crRead;
    xerSeen |= e.xerRead;
    if (e.lrRead) lr ??= false;
    if (e.ctrRead) ctr ??= false;
    if (e.access?.kind === 'stcx') reservation ??= false;
    for (const r of e.gprWrite) if (!seen.has(r)) gpr.add(r);
    cr |= e.crWrite & ~crSeen;
    xer |= e.xerWrite & ~xerSeen;
    if (e.lrWrite) lr ??= true;
    if (e.ctrWrite) ctr ??= true;
    if (e.access?.kind === 'larx') reservation ??= true;
    for (const r of e.gprWrite) seen.add(r);
    crSeen |= e.crWrite;
    xerSeen |= e.xerWrite;
    if (isBranch(def)) break;
  }
  return { gpr, cr: cr >>> 0, xer, lr: lr === true, ctr: ctr === true, reservation: reservation === true };
}

/** Register values and their dependencies, as the run has them at a loop head. */
export interface HeadState {
  readonly events: number;
  readonly hi: Int32Array;
  readonly lo: Int32Array;
  readonly scalars: readonly number[];
  readonly taint: { readonly gpr: readonly bigint[]; readonly cr: readonly bigint[]; readonly xer: ReadonlyMap<number, bigint>; readonly lr: bigint; readonly ctr: bigint };
  /** The run's own note of the reservation (location and larx event), compared by identity. */
  readonly reserved: unknown;
}

export function headState(cpu: Cpu, events: number, taint: HeadState['taint'], reserved: unknown): HeadState {
  return {
    events,
    hi: cpu.hi.slice(),
    lo: cpu.lo.slice(),
    // cr, so, ov, ca, ov32, ca32, xerBytes, lr, ctr, reservation
    scalars: [cpu.cr, cpu.so, cpu.ov, cpu.ca, cpu.ov32, cpu.ca32, cpu.xerBytes, cpu.lrHi, cpu.lrLo, cpu.ctrHi, cpu.ctrLo, cpu.resValid ? 1 : 0, cpu.resHi, cpu.resLo, cpu.resOff],
    taint: { gpr: taint.gpr.slice(), cr: taint.cr.slice(), xer: new Map(taint.xer), lr: taint.lr, ctr: taint.ctr },
    reserved,
  };
}

/** Whether `b`, a later visit of the head than `a`, agrees with it on everything live there. */
export function sameLiveState(a: HeadState, b: HeadState, dead: DeadAtHead): boolean {
  for (let r = 0; r < 32; r++) {
    if (dead.gpr.has(r)) continue;
    if (a.hi[r] !== b.hi[r] || a.lo[r] !== b.lo[r] || a.taint.gpr[r] !== b.taint.gpr[r]) return false;
  }
  for (let bit = 0; bit < 32; bit++) {
    if (dead.cr & (1 << bit)) continue;
    if (((a.scalars[0]! >>> (31 - bit)) & 1) !== ((b.scalars[0]! >>> (31 - bit)) & 1) || a.taint.cr[bit] !== b.taint.cr[bit]) return false;
  }
  const xerBits: Array<[number, number[]]> = [[XER_SO, [1]], [XER_OV, [2, 4]], [XER_CA, [3, 5]]];
  for (const [bit, idx] of xerBits) {
    if (dead.xer & bit) continue;
    if (idx.some((i) => a.scalars[i] !== b.scalars[i]) || a.taint.xer.get(bit) !== b.taint.xer.get(bit)) return false;
  }
  if (a.scalars[6] !== b.scalars[6]) return false;
  if (!dead.lr && (a.scalars[7] !== b.scalars[7] || a.scalars[8] !== b.scalars[8] || a.taint.lr !== b.taint.lr)) return false;
  if (!dead.ctr && (a.scalars[9] !== b.scalars[9] || a.scalars[10] !== b.scalars[10] || a.taint.ctr !== b.taint.ctr)) return false;
  if (!dead.reservation && (a.scalars.slice(11).some((v, i) => v !== b.scalars[11 + i]) || a.reserved !== b.reserved)) return false;
  return true;
}
