// One allowed execution of a fixture's CPUs, performed on the validation machine's MMU in an
// order its time order (time-order.ts) allows, with the ISA's early effects (speculative TLB
// loads, early invalidation completions, page-table stores becoming visible to walks) in
// between, as the SC explorer has them (session.ts mmuActions). Values come from the execution;
// what the machine does is translation: each access through a `.page` EA is translated when it
// is performed, and must get the real page the execution assumed (else this order does not
// realise the execution), page-table stores reach the HPT when performed (table walks read it),
// MMU instructions and barriers go to the MMU, marks to the checker (checker.ts).

import { Access, touchPage, type Fault, type PhysPage } from '../../cpu/memory.js';
import { describeFault } from '../../cpu/cpu.js';
import type { CpuModel } from '../../cpu/models.js';
import { Op } from '../../isa/ops.js';
import { disassemble, operandValues } from '../../isa/index.js';
import type { Barrier } from '../../isa/effects.js';
import type { AllowedExecution } from '../../memory-model/enumerate.js';
import type { MmuSnapshot } from '../../mmu/hash-mmu.js';
import type { MachineSnapshot } from '../../cpu/machine.js';
import { Checker, type CheckerSnapshot, type Violation } from '../checker.js';
import type { Fixture } from '../fixture.js';
import { describeMmuEvent, failedFinal, interruptNote, mmuActions, performMmuAction, reachMark, type Action, type TimelineEntry, type TimelineKind } from '../session.js';
import { TrackedStorage } from '../tracked-storage.js';
import { buildWorld, type World } from '../world.js';
import { hex } from '../../hex.js';
import { inHtab, type Payload, type RealLocations } from './threads.js';
import type { TimeOrder, Unit } from './time-order.js';

/** A step of a relaxed schedule: an event of the execution, or one of the MMU's early effects. */
export type RelaxedAction = { readonly kind: 'event'; readonly unit: number } | Exclude<Action, { kind: 'step' }>;

const BARRIER_OPS: Record<Barrier, [Op, number]> = {
  sync: [Op.sync, 0],
  lwsync: [Op.sync, 1],
  ptesync: [Op.sync, 2],
  eieio: [Op.eieio, 0],
  isync: [Op.isync, 0],
};

/** A translated access performed, for D1 on accesses performed before an earlier mark. */
interface Use {
  readonly cpu: number;
  readonly index: number;
  readonly slot: bigint;
  readonly ra: bigint;
  readonly pp: number;
  readonly line: number;
}

interface RunSnapshot {
  readonly machine: MachineSnapshot;
  readonly mmu: MmuSnapshot;
  readonly checker: CheckerSnapshot;
  readonly done: bigint;
  readonly missing: Int16Array;
  readonly applied: ReadonlyMap<number, number>;
  readonly uses: readonly Use[];
}

export class RelaxedRun {
  readonly world: World;
  readonly checker: Checker;
  private readonly storage: TrackedStorage;
  private readonly start: RunSnapshot;
  private readonly candidates: bigint[];
  private x: AllowedExecution | null = null;
  private order: TimeOrder | null = null;
  private coRank = new Map<number, number>();
  private final: Violation | null = null;
  private done = 0n;
  private all = 0n;
  /** Per unit: its predecessors not yet done (-1 once it is done itself); and who waits for it. */
  private missing = new Int16Array(0);
  private succ: number[][] = [];
  /** Coherence rank of the write each HPT location's storage holds now. */
  private applied = new Map<number, number>();
  private uses: Use[] = [];
  private lastUse: { slot: bigint } | null = null;
  timeline: TimelineEntry[] | null = null;

  constructor(
    private readonly fixture: Fixture,
    model: CpuModel,
    cpus: number,
    private readonly locs: RealLocations,
  ) {
    this.world = buildWorld(fixture, model, cpus);
    const slots = [...fixture.hptes.map((h) => h.slot), ...fixture.memory.map((w) => w.ra & ~15n)];
    this.checker = new Checker(this.world.mmu, fixture.pages, slots);
    this.storage = new TrackedStorage(this.world);
    this.candidates = fixture.pages.map((p) => p.ea);
    this.world.mmu.events.on((e) => {
      if (e.type === 'tlb-use') this.lastUse = { slot: e.slot };
      const d = this.timeline ? describeMmuEvent(e) : null;
      if (d !== null) this.note(e.cpu, null, d.text, d.kind);
    });
    this.start = this.snapshot();
  }

  /** Starts over with execution `x` in time order `order`. */
  begin(x: AllowedExecution, order: TimeOrder): void {
    this.restore(this.start);
    this.x = x;
    this.order = order;
    this.all = (1n << BigInt(order.units.length)) - 1n;
    const n = order.units.length;
    this.missing = new Int16Array(n);
    this.succ = Array.from({ length: n }, () => []);
    order.preds.forEach((m, v) => {
      for (let u = 0; m !== 0n; u++, m >>= 1n) {
        if ((m & 1n) === 0n) continue;
        this.missing[v]!++;
        this.succ[u]!.push(v);
      }
    });
    this.coRank = new Map();
    for (let w = 0; w < x.graph.n; w++) if (x.graph.events[w]!.kind === 'W') this.coRank.set(w, x.comm.co.column(w));
    const fc = this.fixture.cpus;
    this.final = failedFinal(this.fixture, (lhs) => {
      if (lhs.kind === 'reg') return x.traces[fc.findIndex((c) => c.id === lhs.cpu)]?.regs[lhs.reg] ?? 0n;
      return this.finalMemory(lhs.ra);
    });
    this.performInvisible();
  }

  /** The doubleword at `ra` at the end of the execution: the coherence-last writes over the initial storage. */
  private finalMemory(ra: bigint): bigint {
    const bytes = this.world.machine.readReal(ra, 8) ?? new Uint8Array(8);
    this.locs.ra.forEach((at, l) => {
      const size = BigInt(this.locs.sizes[l]!);
      if (at + size <= ra || at >= ra + 8n) return;
      let v = this.x!.memory[l]!;
      for (let k = size - 1n; k >= 0n; k--, v >>= 8n) {
        const i = at + k - ra;
        if (i >= 0n && i < 8n) bytes[Number(i)] = Number(v & 0xffn);
      }
    });
    return bytes.reduce((v, b) => (v << 8n) | BigInt(b), 0n);
  }

  private note(cpu: number, line: number | null, text: string, kind: TimelineKind = 'insn'): void {
    this.timeline?.push({ cpu, line, text, kind });
  }

  private cpuOf(u: Unit): number {
    return this.fixture.cpus[u.thread]!.id;
  }

  /**
   * What decides the execution's value checks, for telling executions apart: its failing
   * `.final` condition ('' when they hold) and the register value at each `# expect` (those
   * marks are performed as soon as they can be, so the schedule key does not show them).
   */
  finalSummary(): string {
    const expects = this.order!.units.flatMap((u) => {
      const p = u.ev.payload as Payload | undefined;
      return p?.kind === 'mark' && p.actual !== null ? [`${u.thread}:${p.mark.line}=${p.actual.toString(16)}`] : [];
    });
    return `${this.final?.message ?? ''}#${expects.join(',')}`;
  }

  /** Every event of the execution performed. */
  get complete(): boolean {
    return this.done === this.all;
  }

  /** The violation of this path, once it is complete (a check failed on the way, or a `.final`). */
  get violation(): Violation | null {
    return this.checker.violation ?? (this.complete ? this.final : null);
  }

  private enabledUnits(): number[] {
    const out: number[] = [];
    const m = this.missing;
    for (let u = 0; u < m.length; u++) if (m[u] === 0) out.push(u);
    return out;
  }

  /**
   * Events that change nothing the MMU or the checker sees (accesses to ordinary storage,
   * `expect` marks: their values are the execution's) are performed as soon as they can be:
   * doing one earlier only enables others earlier, so no behaviour is lost (a partial-order
   * reduction).
   */
  private invisible(u: Unit): boolean {
    const p = u.ev.payload as Payload | undefined;
    if (u.ev.kind === 'R' || u.ev.kind === 'W') {
      const a = p as Extract<Payload, { kind: 'access' }>;
      return !a.translated && !(u.ev.kind === 'W' && inHtab(a.ra));
    }
    return p?.kind === 'mark' && p.mark.kind !== 'relies' && p.mark.kind !== 'gone' && p.mark.kind !== 'valid';
  }

  /**
   * What unit u is to the MMU and the checker (its CPU, kind and everything its effect
   * depends on), or null when it is invisible to them. Needs begin().
   */
  describeVisible(unit: number): string | null {
    const u = this.order!.units[unit]!;
    if (this.invisible(u)) return null;
    const p = u.ev.payload as Payload | undefined;
    const at = `${u.thread}:${u.ev.insn}`;
    if (u.ev.kind === 'F') return `${at}:F:${u.ev.fence}`;
    if (u.ev.kind === 'R' || u.ev.kind === 'W') {
      const a = p as Extract<Payload, { kind: 'access' }>;
      const stored = u.ev.kind === 'W' && !a.translated ? `:${u.ev.value.toString(16)}:${this.coRank.get(u.graph)}` : '';
      return `${at}:${u.ev.kind}:${a.ea.toString(16)}:${a.ra.toString(16)}${stored}`;
    }
    if (p?.kind === 'sys') return `${at}:S:${[...p.gprs].map(([r, v]) => `${r}=${v.toString(16)}`).join(',')}`;
    if (p?.kind === 'fault') return `${at}:X:${p.ea.toString(16)}:${p.write}`;
    if (p?.kind === 'mark') return `${at}:M:${p.mark.kind}:${p.mark.line}`;
    return `${at}:?`;
  }

  private performInvisible(): void {
    for (let again = true; again; ) {
      again = false;
      for (const u of this.enabledUnits()) {
        if (!this.invisible(this.order!.units[u]!)) continue;
        this.performUnit(u);
        again = true;
      }
    }
  }

  enabled(): RelaxedAction[] {
    const out: RelaxedAction[] = this.enabledUnits().map((unit) => ({ kind: 'event', unit }));
    out.push(...mmuActions(this.world, this.candidates));
    return out;
  }

  /** Performs `a`; false when the MMU does not give an access the translation the execution assumed. */
  perform(a: RelaxedAction): boolean {
    if (a.kind !== 'event') {
      performMmuAction(this.world, a, (cpu, text, kind) => this.note(cpu, null, text, kind));
      return true;
    }
    if (!this.performUnit(a.unit)) return false;
    this.performInvisible();
    return true;
  }

  private performUnit(unit: number): boolean {
    const u = this.order!.units[unit]!;
    const cpuId = this.cpuOf(u);
    const cpu = this.world.machine.cpus[cpuId]!;
    const { mmu } = this.world;
    const p = u.ev.payload as Payload | undefined;
    this.done |= 1n << BigInt(unit);
    this.missing[unit] = -1;
    for (const v of this.succ[unit]!) this.missing[v]!--;
    const fc = this.fixture.cpus[u.thread]!;
    const word = () => new DataView(fc.image.buffer, fc.image.byteOffset).getUint32(u.ev.insn * 4, false);
    const text = () => disassemble(word(), this.world.base[cpuId]! + BigInt(u.ev.insn * 4)).text;
    if (u.ev.kind === 'F') {
      this.note(cpuId, lineOf(this.fixture, u), text());
      const [op, l] = BARRIER_OPS[u.ev.fence!];
      mmu.barrier(cpu, op, l);
      return true;
    }
    if (u.ev.kind === 'R' || u.ev.kind === 'W') {
      const acc = p as Extract<Payload, { kind: 'access' }>;
      if (this.timeline) this.note(cpuId, acc.line, `${text()}  ${this.describeAccess(u)}`);
      if (acc.translated && !this.translates(cpu, acc.ea, acc.write, acc.ra)) return false;
      if (acc.translated) this.remember(cpuId, u, acc.line);
      if (u.ev.kind === 'W' && !acc.translated && inHtab(acc.ra)) this.store(cpuId, u, acc.ra);
      return true;
    }
    if (!p) return true;
    switch (p.kind) {
      case 'fault': {
        const f = this.fault(cpu, p.ea, p.write);
        if (f) this.note(cpuId, p.line, `${text()}  ${interruptNote(cpuId, f.vector, f.message)}`, 'interrupt');
        return f !== null;
      }
      case 'sys': {
        this.note(cpuId, p.line, text());
        for (const [r, v] of p.gprs) cpu.setGpr(r, v);
        const v = operandValues(p.def, p.word);
        cpu.sys!.exec(cpu, p.def.op, v[0] ?? 0, v[1] ?? 0, v[2] ?? 0, v[3] ?? 0, v[4] ?? 0);
        return true;
      }
      case 'mark': {
        reachMark(this.world, this.checker, this.fixture, cpu, p.mark, p.actual, (t) => this.note(cpuId, p.mark.line, t, 'mark'));
        if (p.mark.kind === 'relies' || p.mark.kind === 'gone') {
          this.checker.performedEarly(cpuId, this.uses.filter((x) => x.cpu === cpuId && x.index > u.index));
        }
        return true;
      }
      default:
        return true;
    }
  }

  private translate(cpu: World['machine']['cpus'][number], ea: bigint, write: boolean): PhysPage | Fault {
    this.lastUse = null;
    return this.world.mmu.translate(cpu, Number(ea >> 32n) | 0, Number(ea & 0xfffff000n) | 0, write ? Access.Write : Access.Read);
  }

  /** Whether translating `ea` now gives real address `ra`. */
  private translates(cpu: World['machine']['cpus'][number], ea: bigint, write: boolean, ra: bigint): boolean {
    const r = this.translate(cpu, ea, write);
    return !('kind' in r) && BigInt(r.frame) << 12n === (ra & ~0xfffn);
  }

  /** The interrupt translating `ea` now raises, or null when it translates. */
  private fault(cpu: World['machine']['cpus'][number], ea: bigint, write: boolean): { vector: number; message: string } | null {
    const r = this.translate(cpu, ea, write);
    return 'kind' in r ? describeFault(r, ea) : null;
  }

  private remember(cpuId: number, u: Unit, line: number): void {
    const slot = this.lastUse?.slot;
    const e = slot === undefined ? undefined : this.world.mmu.tlb(this.world.machine.cpus[cpuId]!).entries().find((t) => t.slot === slot);
    if (e) this.uses.push({ cpu: cpuId, index: u.index, slot: e.slot, ra: e.ra, pp: e.pp, line });
  }

  /** A page-table store reaches the HPT, unless a coherence-later store of the location already has. */
  private store(cpuId: number, u: Unit, ra: bigint): void {
    const loc = u.ev.loc;
    const rank = this.coRank.get(u.graph)!;
    if ((this.applied.get(loc) ?? -1) > rank) return;
    this.applied.set(loc, rank);
    const size = this.locs.sizes[loc]!;
    const page = this.world.machine.mem.page(ra)!;
    const off = Number(ra & 0xfffn);
    page.watcher?.before(cpuId, page, off, size);
    let v = u.ev.value;
    for (let k = size - 1; k >= 0; k--, v >>= 8n) page.bytes[off + k] = Number(v & 0xffn);
    touchPage(page);
    this.storage.pages.add(page);
    page.watcher?.after(cpuId, page, off, size);
  }

  private describeAccess(u: Unit): string {
    const x = this.x!;
    const acc = u.ev.payload as Extract<Payload, { kind: 'access' }>;
    const where = acc.translated ? ` (EA ${hex(acc.ea)} -> RA ${hex(acc.ra)})` : '';
    if (u.ev.kind === 'W') return `stores ${hex(u.ev.value)} to ${hex(acc.ra)}${where}`;
    let from = 'its initial value';
    for (let w = 0; w < x.graph.n; w++) {
      if (!x.comm.rf.has(w, u.graph)) continue;
      const src = x.graph.events[w]!;
      if (src.thread >= 0) from = `cpu ${this.fixture.cpus[src.thread]!.id}'s store on line ${lineOf(this.fixture, { thread: src.thread, ev: x.traces[src.thread]!.events[src.index]! })}`;
    }
    // Other CPUs' stores to it the timeline already shows but this read does not see (fr):
    // the Power model lets a store reach CPUs at different times (Book II 1.7.1).
    const unseen = this.order!.units.filter((v, i) => ((this.done >> BigInt(i)) & 1n) !== 0n && v.thread !== u.thread && v.ev.kind === 'W' && x.comm.fr.has(u.graph, v.graph));
    const stale = unseen.map((v) => `cpu ${this.cpuOf(v)}'s store on line ${lineOf(this.fixture, v)}`);
    return `reads ${hex(u.ev.value)} from ${hex(acc.ra)}${where}: ${from}${stale.length ? ` (${stale.join(', ')} ${stale.length === 1 ? 'has' : 'have'} not reached cpu ${this.cpuOf(u)})` : ''}`;
  }

  snapshot(): RunSnapshot {
    return {
      machine: this.storage.snapshot(),
      mmu: this.world.mmu.snapshot(),
      checker: this.checker.snapshot(),
      done: this.done,
      missing: this.missing.slice(),
      applied: new Map(this.applied),
      uses: [...this.uses],
    };
  }

  restore(s: RunSnapshot): void {
    this.storage.restore(s.machine);
    this.world.mmu.restore(s.mmu);
    this.checker.restore(s.checker);
    this.done = s.done;
    if (s.missing.length === this.missing.length) this.missing.set(s.missing);
    this.applied = new Map(s.applied);
    this.uses = [...s.uses];
  }

  /** Equal keys, equal futures (within one execution). */
  key(): string {
    const uses = this.uses.map((x) => `${x.cpu}.${x.index}.${x.slot.toString(16)}.${x.ra.toString(16)}.${x.pp}`).join(',');
    const applied = [...this.applied].map(([l, r]) => `${l}.${r}`).join(',');
    return `${this.done.toString(36)}#${this.storage.key()}#${this.world.mmu.stateKey()}#${this.checker.key()}#${this.checker.violation?.id ?? ''}#${applied}#${uses}`;
  }
}

function lineOf(fixture: Fixture, u: Pick<Unit, 'thread' | 'ev'>): number | null {
  const p = u.ev.payload as Payload | undefined;
  if (p) return p.kind === 'mark' ? p.mark.line : p.line;
  const fc = fixture.cpus[u.thread]!;
  return fc.insns.find((x) => x.addr === BigInt(u.ev.insn * 4))?.line ?? null;
}
