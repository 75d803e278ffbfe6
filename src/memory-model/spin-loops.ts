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
// "Live" is a backward liveness analysis over the thread's code (the usual dataflow fixpoint:
// live-in = uses + (live-out - defs), live-out = the union over successors): a register is
// dead at a head when every path from there writes it before reading it. What the end of the
// code sees (the final registers) and branches to computed targets (bclr, bcctr) or absolute
// ones keep everything live, as do the registers a point reads (a fixture's `# expect`, via
// `pointReads`). A register some instruction may read before writing it must match in value
// and in the reads it depends on, so the twin's dependencies are the run's; one only the end
// sees (a final register) must match in value only, since no event comes after the end. The
// reservation is a register too: a larx defines it, a stcx. uses it.

import type { Cpu } from '../cpu/cpu.js';
import { effectsOf, isBranch, XER_CA, XER_OV, XER_SO } from '../isa/effects.js';
import { flagValues } from '../isa/decode.js';
import { Op } from '../isa/ops.js';
import type { InsnDef } from '../isa/table.js';

/** What is dead at a loop head: overwritten on every path before it is read. */
export interface DeadAtHead {
  readonly gpr: ReadonlySet<number>;
  /** CR bits (bit n: CR bit n), XER bits, LR, CTR. */
  readonly cr: number;
  readonly xer: number;
  readonly lr: boolean;
  readonly ctr: boolean;
  /** Every path takes a new reservation (larx) before any stcx.: the one at the head is never used. */
  readonly reservation: boolean;
  /**
   * Live only for their value at the end (the final registers): no instruction reads them
   * before they are written, so the reads their value depends on matter to no event.
   */
  readonly depsDead: { readonly gpr: ReadonlySet<number>; readonly cr: number; readonly xer: number; readonly lr: boolean; readonly ctr: boolean };
}

/** Live sets: GPR mask, CR mask, and XER bits | LR | CTR | reservation. */
type Live = [number, number, number];
const LR = 8, CTR = 16, RES = 32;
const ALL: Live = [0xffffffff, 0xffffffff, XER_SO | XER_OV | XER_CA | LR | CTR | RES];

function relativeTarget(def: InsnDef, word: number, k: number): number | null {
  if ((def.op !== Op.b && def.op !== Op.bc) || flagValues(def, word).aa) return null;
  return k + def.operands.find((o) => o.def.kind === 'rel')!.def.extract(word) / 4;
}

/**
 * The targets of the code's relative backward branches, each with what is dead there.
 * `pointReads(k)`: GPRs read at the point before instruction k.
 */
export function loopHeads(words: Uint32Array, defs: ReadonlyArray<InsnDef | null>, pointReads?: (k: number) => readonly number[]): Map<number, DeadAtHead> {
  const n = defs.length;
  const use: Live[] = [];
  const def: Live[] = [];
  const succ: number[][] = [];
  const opaque: boolean[] = []; // live-out is everything
  for (let k = 0; k < n; k++) {
    const d = defs[k];
    const extra = pointReads?.(k) ?? [];
    if (!d) {
      use.push([...ALL]);
      def.push([0, 0, 0]);
      succ.push([]);
      opaque.push(true);
      continue;
    }
    const e = effectsOf(d, words[k]!);
    let g = 0;
    for (const r of [...e.gprRead, ...extra]) g |= 1 << r;
    let gw = 0;
    for (const r of e.gprWrite) gw |= 1 << r;
    use.push([g >>> 0, e.crRead >>> 0, e.xerRead | (e.lrRead ? LR : 0) | (e.ctrRead ? CTR : 0) | (e.access?.kind === 'stcx' ? RES : 0)]);
    def.push([gw >>> 0, e.crWrite >>> 0, e.xerWrite | (e.lrWrite ? LR : 0) | (e.ctrWrite ? CTR : 0) | (e.access?.kind === 'larx' ? RES : 0)]);
    const target = relativeTarget(d, words[k]!, k);
    const branch = isBranch(d);
    opaque.push(branch && (target === null || (d.op === Op.b && flagValues(d, words[k]!).lk) || target < 0 || target > n));
    const s: number[] = [];
    if (target !== null) s.push(target);
    if (!branch || d.op === Op.bc) s.push(k + 1);
    succ.push(s);
  }
  const solve = (atEnd: Live): Live[] => {
    const liveIn: Live[] = use.map((u) => [...u]);
    for (let changed = true; changed; ) {
      changed = false;
      for (let k = n - 1; k >= 0; k--) {
        const out: Live = opaque[k] ? [...ALL] : [0, 0, 0];
        if (!opaque[k]) {
          for (const t of succ[k]!) {
            const l = t >= n ? atEnd : liveIn[t]!;
            for (let i = 0; i < 3; i++) out[i] = (out[i]! | l[i]!) >>> 0;
          }
        }
        const next = [0, 1, 2].map((i) => (use[k]![i]! | (out[i]! & ~def[k]![i]!)) >>> 0) as Live;
        if (next.some((v, i) => v !== liveIn[k]![i])) {
          liveIn[k] = next;
          changed = true;
        }
      }
    }
    return liveIn;
  };
  const valueLive = solve([...ALL]); // the final registers are seen
  const depsLive = solve([0, 0, 0]); // but nothing after the end uses what they depend on
  const dead = ([g, cr, misc]: Live) => {
    const gpr = new Set<number>();
    for (let r = 0; r < 32; r++) if (((g >>> r) & 1) === 0) gpr.add(r);
    return { gpr, cr: ~cr >>> 0, xer: ~misc & (XER_SO | XER_OV | XER_CA), lr: (misc & LR) === 0, ctr: (misc & CTR) === 0, reservation: (misc & RES) === 0 };
  };
  const heads = new Map<number, DeadAtHead>();
  defs.forEach((d, k) => {
    if (!d) return;
    const h = relativeTarget(d, words[k]!, k);
    if (h === null || h > k || h < 0 || heads.has(h)) return;
    const { gpr, cr, xer, lr, ctr } = dead(depsLive[h]!);
    heads.set(h, { ...dead(valueLive[h]!), depsDead: { gpr, cr, xer, lr, ctr } });
  });
  return heads;
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
    if (a.hi[r] !== b.hi[r] || a.lo[r] !== b.lo[r]) return false;
    if (!dead.depsDead.gpr.has(r) && a.taint.gpr[r] !== b.taint.gpr[r]) return false;
  }
  for (let bit = 0; bit < 32; bit++) {
    if (dead.cr & (1 << bit)) continue;
    if (((a.scalars[0]! >>> (31 - bit)) & 1) !== ((b.scalars[0]! >>> (31 - bit)) & 1)) return false;
    if (!(dead.depsDead.cr & (1 << bit)) && a.taint.cr[bit] !== b.taint.cr[bit]) return false;
  }
  const xerBits: Array<[number, number[]]> = [[XER_SO, [1]], [XER_OV, [2, 4]], [XER_CA, [3, 5]]];
  for (const [bit, idx] of xerBits) {
    if (dead.xer & bit) continue;
    if (idx.some((i) => a.scalars[i] !== b.scalars[i])) return false;
    if (!(dead.depsDead.xer & bit) && a.taint.xer.get(bit) !== b.taint.xer.get(bit)) return false;
  }
  if (a.scalars[6] !== b.scalars[6]) return false;
  if (!dead.lr && (a.scalars[7] !== b.scalars[7] || a.scalars[8] !== b.scalars[8] || (!dead.depsDead.lr && a.taint.lr !== b.taint.lr))) return false;
  if (!dead.ctr && (a.scalars[9] !== b.scalars[9] || a.scalars[10] !== b.scalars[10] || (!dead.depsDead.ctr && a.taint.ctr !== b.taint.ctr))) return false;
  if (!dead.reservation && (a.scalars.slice(11).some((v, i) => v !== b.scalars[11 + i]) || a.reserved !== b.reserved)) return false;
  return true;
}
