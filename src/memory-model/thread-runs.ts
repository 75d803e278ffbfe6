// Every run of one thread's code on the emulator's own CPU, for every value each of its reads
// may return (herd7 runs threads symbolically; here the interpreter runs them concretely, once
// per combination of read values, so the instructions mean exactly what they mean in `run`).
// Before a load executes, the value chosen for it is placed in the thread's private copy of
// storage; after a store, the value it wrote is read back. Each run yields the thread's events
// with their dependencies, computed from register dataflow (isa/effects.ts).

import { Access, PAGE_MASK, PAGE_SIZE, PhysPage, type AddressSpace, type Fault } from '../cpu/memory.js';
import { Cpu } from '../cpu/cpu.js';
import { effectiveAddress, run } from '../cpu/interp.js';
import { decode } from '../isa/decode.js';
import { effectsOf, XER_CA, XER_OV, XER_SO, type Effects } from '../isa/effects.js';
import type { InsnDef } from '../isa/table.js';
import { InputError } from '../errors.js';
import type { ThreadTrace, TraceEvent } from './execution.js';
import { headState, loopHeads, sameLiveState, type HeadState } from './spin-loops.js';
import { storeKey, type Foreign, type StoreKey } from './widen.js';

/** Where thread code and locations live in each thread's private address space. */
export const CODE_BASE = 0x10000n;
export const DATA_BASE = 0x1000000n;
/** Locations are a reservation granule apart (128 bytes on POWER7-9; Book II 4.4.2), so no two share one. */
export const LOC_STRIDE = 128n;

export interface ThreadProgram {
  readonly thread: number;
  /** The code, one instruction word per element (executed big-endian). */
  readonly words: Uint32Array;
  /** "file:line:col" of instruction k, for messages. */
  readonly where: (k: number) => string;
  /** Initial GPR values. */
  readonly regs: readonly bigint[];
}

export interface RunBounds {
  /** Backward branches to one loop head decided by a read value a run may take (herd7's -unroll, which bounds each loop). */
  readonly unroll: number;
  /** Instructions one run may execute before the thread is refused. */
  readonly maxInsns: number;
  /** Runs one thread may have before the test is refused. */
  readonly maxRuns: number;
  /** Drop idle spin iterations (spin-loops.ts; default on). Off only to check the reduction. */
  readonly spins?: boolean;
  /**
   * Let a read return only its location's initial value or its thread's last store there,
   * and what other threads store (widen.ts: the rest breaks uniproc; default on). Off only to
   * check the reduction.
   */
  readonly uniproc?: boolean;
  /**
   * Give a read another thread's value only while one path of that thread stored every value
   * the run took from it (widen.ts says why this loses no execution; default on). Off only
   * to check the reduction.
   */
  readonly together?: boolean;
}

export const DEFAULT_BOUNDS: RunBounds = { unroll: 2, maxInsns: 10_000, maxRuns: 20_000 };

export interface ThreadRuns {
  readonly traces: ThreadTrace[];
  /** Values the runs stored to each location. */
  readonly written: ReadonlyArray<ReadonlySet<bigint>>;
  /** The stores of each path explored, complete or not (widen.ts's Foreign.stores), without repeats. */
  readonly storeSets: readonly ReadonlySet<StoreKey>[];
  /** Runs abandoned at the unroll bound. */
  readonly pruned: number;
  /** Runs left out because a twin without their idle spin exists (spin-loops.ts). */
  readonly spins: number;
}

/** Storage the runs share: location addresses, names and the access size of each. */
export interface Locations {
  readonly names: readonly string[];
  /** Access size per location, fixed by its first access (0: none yet). */
  readonly sizes: number[];
}

/**
 * What the runs ask of their caller. The litmus front end uses the default (locations at
 * fixed addresses, no other events); the validator maps addresses through its machine's
 * layout and translations and adds its MMU instructions and marks (validate/relaxed).
 */
export interface RunEnv {
  /**
   * The location an access to `ea` uses, or 'fault' when it takes an interrupt (the run ends
   * there with an M event). May add locations (to the Locations and domains it was given);
   * `pick(n)` chooses among n outcomes, each explored. `observable`: the access does more than
   * its event (it uses a translation), so a loop that repeats it is not an idle spin.
   */
  locate(ea: bigint, size: number, write: boolean, pick: (n: number) => number): { loc: number; payload?: unknown; observable?: boolean } | { fault: unknown };
  /** The M event of an instruction the model has no event for (tlbie, slbmte, ...), or null to refuse it. It is not executed. */
  system?(k: number, def: InsnDef, word: number, cpu: Cpu): unknown | null;
  /**
   * M events at the point before instruction k (k = the code's length: its end), e.g. a
   * fixture's marks; `from`: the instruction just executed (-1 at the start).
   */
  point?(k: number, cpu: Cpu, from: number): readonly unknown[];
  /** GPRs the point before instruction k reads (a mark's `# expect rN`): live there for the spin reduction. */
  pointReads?(k: number): readonly number[];
}

/** What a read may return under the uniproc filter: the thread's last store there (else the initial value), then other threads' values. */
function readable(dom: readonly bigint[], last: bigint | undefined, others: ReadonlySet<bigint> | undefined): readonly bigint[] {
  const base = last ?? dom[0]!;
  if (!others) return [base];
  return [base, ...dom.filter((v) => v !== base && others.has(v))];
}

/**
 * Whether a run may have taken the values `needs` from other threads: some thread provides
 * each, and the ones only thread u provides were all stored on one path of u (widen.ts).
 * A value several threads provide is left unchecked (its provider is not known), so this
 * never refuses a combination one run per thread could give.
 */
function coverage(stores: Foreign['stores']): (needs: readonly StoreKey[]) => boolean {
  const unions = stores.map((paths) => {
    const u = new Set<StoreKey>();
    for (const p of paths) for (const k of p) u.add(k);
    return u;
  });
  const memo = new Map<string, boolean>();
  return (needs) => {
    const key = [...needs].sort().join(' ');
    let ok = memo.get(key);
    if (ok !== undefined) return ok;
    ok = true;
    const only = new Map<number, StoreKey[]>();
    for (const n of needs) {
      let who = -1;
      let count = 0;
      unions.forEach((u, t) => {
        if (u.has(n)) (who = t), count++;
      });
      if (count === 0) ok = false;
      else if (count === 1) (only.get(who) ?? only.set(who, []).get(who)!).push(n);
    }
    for (const [t, ns] of only) if (ok && !stores[t]!.some((p) => ns.every((n) => p.has(n)))) ok = false;
    memo.set(key, ok);
    return ok;
  };
}

/** A thread with more runs than RunBounds.maxRuns: bad input, too large to enumerate. */
export class TooManyRuns extends InputError {}

export function locationAddress(loc: number): bigint {
  return DATA_BASE + LOC_STRIDE * BigInt(loc);
}

class PrivateSpace implements AddressSpace {
  readonly pages = new Map<bigint, PhysPage>();
  page(ea: bigint): PhysPage {
    const k = ea & ~BigInt(PAGE_MASK);
    let p = this.pages.get(k);
    if (!p) this.pages.set(k, (p = new PhysPage()));
    return p;
  }
  lookup(hi: number, pageLo: number, access: Access): PhysPage | Fault {
    const k = (BigInt(hi >>> 0) << 32n) | BigInt(pageLo >>> 0);
    return this.pages.get(k) ?? { kind: 'unmapped', access, hi, lo: pageLo };
  }
}

/** Registers and flags as sets of the run's reads they depend on (bit k: event k). */
class Taint {
  readonly gpr = new Array<bigint>(32).fill(0n);
  readonly cr = new Array<bigint>(32).fill(0n);
  readonly xer = new Map<number, bigint>([[XER_SO, 0n], [XER_OV, 0n], [XER_CA, 0n]]);
  lr = 0n;
  ctr = 0n;
  /** Reads a conditional branch so far depended on (ctrl), and those an isync followed. */
  ctrl = 0n;
  ctrlisync = 0n;

  sources(e: Effects): bigint {
    let t = 0n;
    for (const r of e.gprRead) t |= this.gpr[r]!;
    for (let b = 0; b < 32; b++) if (e.crRead & (1 << b)) t |= this.cr[b]!;
    for (const [bit, v] of this.xer) if (e.xerRead & bit) t |= v;
    if (e.lrRead) t |= this.lr;
    if (e.ctrRead) t |= this.ctr;
    return t;
  }

  write(e: Effects, t: bigint): void {
    for (const r of e.gprWrite) this.gpr[r] = t;
    for (let b = 0; b < 32; b++) if (e.crWrite & (1 << b)) this.cr[b] = t;
    for (const bit of this.xer.keys()) if (e.xerWrite & bit) this.xer.set(bit, t);
    if (e.lrWrite) this.lr = t;
    if (e.ctrWrite) this.ctr = t;
  }
}

/** Replays a prefix of choices, then takes the first option of every new choice point. */
class Choices {
  readonly picks: number[] = [];
  readonly arity: number[] = [];
  private pos = 0;
  restart(): void {
    this.pos = 0;
  }
  /** Choices made so far in this run. */
  get made(): number {
    return this.pos;
  }
  pick(n: number): number {
    const k = this.pos++;
    if (k < this.picks.length) return this.picks[k]!;
    this.picks.push(0);
    this.arity.push(n);
    return 0;
  }
  /** Moves to the next combination; false when all were taken. */
  next(): boolean {
    this.picks.length = this.pos;
    this.arity.length = this.pos;
    while (this.picks.length > 0) {
      const k = this.picks.length - 1;
      if (this.picks[k]! + 1 < this.arity[k]!) {
        this.picks[k]!++;
        return true;
      }
      this.picks.pop();
      this.arity.pop();
    }
    return false;
  }
}

class Pruned extends Error {}
class Spin extends Error {}

/** An M event at instruction k, with the control dependencies so far. */
function mEvent(payload: unknown, taint: Taint, k: number): TraceEvent {
  return { kind: 'M', loc: -1, value: 0n, fence: null, exclusive: false, rmw: -1, addr: 0n, data: 0n, ctrl: taint.ctrl, ctrlisync: taint.ctrlisync, insn: k, payload };
}

function readValue(p: PhysPage, off: number, size: number): bigint {
  let v = 0n;
  for (let k = 0; k < size; k++) v = (v << 8n) | BigInt(p.bytes[off + k]!);
  return v;
}

function writeValue(p: PhysPage, off: number, size: number, v: bigint): void {
  for (let k = size - 1; k >= 0; k--, v >>= 8n) p.bytes[off + k] = Number(v & 0xffn);
}

/**
 * All complete runs of `prog` when a read of location l may return any value of
 * `domains[l]`; with `foreign` (and bounds.uniproc not false), only the thread's last store to
 * l before the read (or, before any, the initial value domains[l][0]) and the values of
 * domains[l] in foreign[l] (what other threads store there; widen.ts says why). Refuses
 * (InputError, "file:line:col: ...") code the event view cannot express: an access outside
 * the test's locations, mixed access sizes on a location, instructions with storage effects
 * it does not model, a run that never ends; and a thread with too many runs (TooManyRuns).
 */
export function threadRuns(
  prog: ThreadProgram,
  locs: Locations,
  domains: readonly (readonly bigint[])[],
  bounds: RunBounds = DEFAULT_BOUNDS,
  env?: RunEnv,
  foreign?: Foreign,
): ThreadRuns {
  const filter = foreign && bounds.uniproc !== false ? foreign.values : null;
  const covered = filter && bounds.together !== false ? coverage(foreign!.stores) : null;
  const space = new PrivateSpace();
  const code = space.page(CODE_BASE);
  if (prog.words.length * 4 > PAGE_SIZE) throw new InputError(`${prog.where(0)}: thread P${prog.thread} has more than ${PAGE_SIZE / 4} instructions`);
  prog.words.forEach((w, k) => code.dv.setUint32(k * 4, w, false));
  const end = CODE_BASE + BigInt(prog.words.length * 4);
  const locAt = new Map<bigint, number>();
  locs.names.forEach((_, l) => {
    locAt.set(locationAddress(l), l);
    space.page(locationAddress(l));
  });
  const where: RunEnv = env ?? {
    locate(ea: bigint): { loc: number } {
      const loc = locAt.get(ea);
      if (loc === undefined) throw new InputError(`${prog.where(current)}: thread P${prog.thread} accesses ${'0x' + ea.toString(16)}, which is not a location of the test`);
      return { loc };
    },
  };
  let current = 0;
  let fault: string | null = null;
  const cpu = new Cpu(prog.thread, space, (_c, info) => {
    fault = info.message;
    _c.stop = 'unhandled-interrupt';
  });
  cpu.pc = CODE_BASE;
  prog.regs.forEach((v, r) => cpu.setGpr(r, v));
  const start = cpu.snapshot();
  const defs: Array<InsnDef | null> = Array.from(prog.words, (w) => decode(w));
  const traces: ThreadTrace[] = [];
  const written: Array<Set<bigint>> = locs.names.map(() => new Set<bigint>());
  const storeSets = new Map<string, ReadonlySet<StoreKey>>();
  const choices = new Choices();
  const heads = bounds.spins === false ? new Map<number, never>() : loopHeads(prog.words, defs, (k) => where.pointReads?.(k) ?? []);
  let pruned = 0;
  let spins = 0;

  for (let runs = 0; ; runs++) {
    if (runs >= bounds.maxRuns) throw new TooManyRuns(`${prog.where(0)}: thread P${prog.thread} has more than ${bounds.maxRuns} runs`);
    choices.restart();
    cpu.restore(start);
    fault = null;
    const events: TraceEvent[] = [];
    const taint = new Taint();
    let reserved: { loc: number; event: number } | null = null;
    const lastStore = new Map<number, bigint>(); // per location, this run's last store
    let chosenCr = 0; // CR bits a store conditional's chosen outcome decided (not a dependency)
    const backward = new Map<bigint, number>(); // per loop head: read-decided branches back to it
    let overBound = false;
    const visits = new Map<number, { state: HeadState; choices: number }>();
    let observable = -1; // the last event whose access is observable (see RunEnv.locate)
    const needs: StoreKey[] = []; // values this run took from other threads
    const stores = new Set<StoreKey>();
    let from = -1; // the instruction executed last
    const mark = (k: number) => {
      for (const payload of where.point?.(k, cpu, from) ?? []) events.push(mEvent(payload, taint, k));
    };
    try {
      for (let steps = 0; ; steps++) {
        const pc = cpu.pc;
        const k = Number((pc - CODE_BASE) >> 2n);
        if (pc < CODE_BASE || pc > end || (pc & 3n) !== 0n) throw new InputError(`${prog.where(prog.words.length - 1)}: thread P${prog.thread} branches outside its code (to ${pc})`);
        current = Math.min(k, prog.words.length - 1);
        mark(k);
        if (pc === end) break;
        const dead = heads.get(k);
        if (dead) {
          const now = headState(cpu, events.length, taint, reserved);
          const last = visits.get(k);
          if (last && observable < last.state.events && events.slice(last.state.events).every((e) => e.kind === 'R') && sameLiveState(last.state, now, dead)) {
            // Nothing read and nothing chosen: every later iteration is this one again.
            if (events.length === last.state.events && choices.made === last.choices) throw new InputError(`${prog.where(k)}: thread P${prog.thread} loops forever without a storage access`);
            throw new Spin();
          }
          visits.set(k, { state: now, choices: choices.made });
        }
        if (overBound) throw new Pruned();
        if (steps >= bounds.maxInsns) throw new InputError(`${prog.where(k)}: thread P${prog.thread} runs more than ${bounds.maxInsns} instructions`);
        const def = defs[k];
        if (!def) throw new InputError(`${prog.where(k)}: not an instruction of the subset`);
        const word = prog.words[k]!;
        const eff = effectsOf(def, word);
        let sources = taint.sources(eff);
        if (eff.unsupported) {
          const payload = where.system?.(k, def, word, cpu) ?? null;
          if (payload === null) throw new InputError(`${prog.where(k)}: ${eff.unsupported} is not modelled by the memory model`);
          // The registers it reads: the schedule may not perform it before the reads they depend on.
          events.push({ ...mEvent(payload, taint, k), addr: sources });
          cpu.pc += 4n;
          from = k;
          continue;
        }
        let event: TraceEvent | null = null;
        if (eff.access) {
          const a = eff.access;
          const ops = def.operands.map((o) => o.def.name);
          const vals = def.operands.map((o) => o.def.extract(word));
          const ra = vals[ops.findIndex((n) => n === 'RA' || n === 'RA0')] ?? 0;
          const di = ops.findIndex((n) => n === 'D' || n === 'DS');
          const ea = di >= 0 ? effectiveAddress(cpu, ra, vals[di]!, false) : effectiveAddress(cpu, ra, vals[ops.indexOf('RB')]!, true);
          let addrDeps = 0n;
          for (const r of a.addr) addrDeps |= taint.gpr[r]!;
          const placed = where.locate(ea, a.size, a.kind === 'store' || a.kind === 'stcx', (n) => choices.pick(n));
          if ('fault' in placed) {
            // The access takes an interrupt: the thread stops there (its registers as they are).
            events.push({ ...mEvent(placed.fault, taint, k), addr: addrDeps });
            break;
          }
          const loc = placed.loc;
          if (placed.observable) observable = events.length;
          written[loc] ??= new Set();
          const size = locs.sizes[loc]!;
          if (size === 0) locs.sizes[loc] = a.size;
          else if (size !== a.size) throw new InputError(`${prog.where(k)}: ${a.size}-byte access to ${locs.names[loc]}, which is also accessed with ${size} bytes: mixed-size accesses are not modelled`);
          const page = space.page(ea);
          const off = Number(ea & BigInt(PAGE_MASK));
          const deps = { addr: addrDeps, ctrl: taint.ctrl, ctrlisync: taint.ctrlisync, insn: k, fence: null, payload: placed.payload };
          if (a.kind === 'load' || a.kind === 'larx') {
            let dom = filter ? readable(domains[loc]!, lastStore.get(loc), filter[loc]) : domains[loc]!;
            // dom[0] is the thread's own (or the initial) value; the others come from other threads.
            if (covered) dom = dom.filter((v, i) => i === 0 || covered([...needs, storeKey(loc, v)]));
            const pick = choices.pick(dom.length);
            const v = dom[pick]!;
            if (covered && pick > 0) needs.push(storeKey(loc, v));
            writeValue(page, off, a.size, v);
            event = { kind: 'R', loc, value: v, exclusive: a.kind === 'larx', rmw: -1, data: 0n, ...deps };
            if (a.kind === 'larx') reserved = { loc, event: events.length };
          } else {
            // A store conditional may fail whatever the reservation (Book II 4.4.2: the
            // reservation can be lost at any time); it can succeed only on its own location.
            const canSucceed = a.kind === 'store' || (reserved !== null && reserved.loc === loc);
            const ok = canSucceed && (a.kind === 'store' || choices.pick(2) === 0);
            if (a.kind === 'stcx') {
              if (ok) cpu.reserve(Number(ea >> 32n) | 0, Number(ea & 0xffffffffn) | 0);
              else cpu.clearReservation();
            }
            if (ok) {
              event = {
                kind: 'W', loc, value: 0n, exclusive: a.kind === 'stcx', rmw: a.kind === 'stcx' ? reserved!.event : -1,
                data: taint.gpr[a.data!]!, ...deps,
              };
            }
            if (a.kind === 'stcx') reserved = null;
          }
          run(cpu, 1);
          if (event?.kind === 'W') {
            const v = readValue(page, off, a.size);
            event = { ...event, value: v };
            written[loc]!.add(v);
            stores.add(storeKey(loc, v));
            lastStore.set(loc, v);
          }
          if (event?.kind === 'R') sources = BigInt(1) << BigInt(events.length);
          if (a.kind === 'stcx') sources = taint.xer.get(XER_SO)!; // CR0 = success || SO
        } else {
          if (eff.barrier) event = { kind: 'F', loc: -1, value: 0n, fence: eff.barrier, exclusive: false, rmw: -1, addr: 0n, data: 0n, ctrl: taint.ctrl, ctrlisync: taint.ctrlisync, insn: k };
          run(cpu, 1);
        }
        if (fault !== null) throw new InputError(`${prog.where(k)}: thread P${prog.thread}: ${fault}`);
        // Dataflow: every target depends on every source; a load's target on the load only,
        // an update form's RA on the address registers.
        if (eff.access && eff.access.kind !== 'store' && eff.access.kind !== 'stcx') {
          taint.write({ ...eff, gprWrite: eff.gprWrite.slice(0, 1) }, sources);
          if (eff.gprWrite.length > 1) taint.gpr[eff.gprWrite[1]!] = eff.access.addr.reduce((t, r) => t | taint.gpr[r]!, 0n);
        } else if (eff.access) {
          taint.write({ ...eff, gprWrite: [] }, sources);
          if (eff.gprWrite.length > 0) taint.gpr[eff.gprWrite[0]!] = eff.access.addr.reduce((t, r) => t | taint.gpr[r]!, 0n);
        } else {
          taint.write(eff, sources);
          if (def.facility === 'branch' && eff.lrWrite) taint.lr = 0n; // LR <- CIA + 4
        }
        if (eff.conditional) taint.ctrl |= sources;
        else if (def.facility === 'branch' && (eff.lrRead || eff.ctrRead)) taint.ctrl |= sources; // computed target
        if (eff.barrier === 'isync') taint.ctrlisync = taint.ctrl;
        if (event) events.push(event);
        from = k;
        // Only branches whose direction a read or a store conditional's outcome decided count
        // toward the bound: a loop that reads nothing to decide (a counted bdnz) runs the same
        // way in every run, to its end or to maxInsns.
        const chosen = (eff.crRead & chosenCr) !== 0;
        chosenCr = eff.access?.kind === 'stcx' ? chosenCr | 0xf : chosen ? chosenCr | eff.crWrite : chosenCr & ~eff.crWrite;
        if (def.facility === 'branch' && cpu.pc <= pc && (sources !== 0n || chosen)) {
          const n = (backward.get(cpu.pc) ?? 0) + 1;
          if (n > bounds.unroll) overBound = true; // pruned at the head, unless it is an idle spin there
          backward.set(cpu.pc, n);
        }
      }
      traces.push({ events, regs: Array.from({ length: 32 }, (_, r) => cpu.getGpr(r)) });
    } catch (e) {
      if (e instanceof Spin) spins++;
      else if (e instanceof Pruned) pruned++;
      else throw e;
    } finally {
      storeSets.set([...stores].sort().join(' '), stores);
    }
    if (!choices.next()) break;
  }
  return { traces, written, storeSets: [...storeSets.values()], pruned, spins };
}
