// One run of a validation fixture on its machine (world.ts), driven one action at a time by
// the explorer (explore.ts): the actions a state enables, performing one, the state's hash
// key, snapshots to come back to, and the timeline of what happened (for counterexamples).

import { Cpu } from '../cpu/cpu.js';
import { run } from '../cpu/interp.js';
import type { MachineSnapshot } from '../cpu/machine.js';
import type { CpuModel } from '../cpu/models.js';
import { InputError } from '../errors.js';
import { disassemble, Op, operandValues } from '../isa/index.js';
import { SPR } from '../cpu/interrupts.js';
import type { MmuEvent } from '../mmu/events.js';
import { Checker, type CheckerSnapshot, type Violation } from './checker.js';
import { fnv, TrackedStorage } from './tracked-storage.js';
import type { MmuSnapshot } from '../mmu/hash-mmu.js';
import type { Fixture, FixtureInsn, FixtureMark } from './fixture.js';
import type { FinalCond } from './state-directives.js';
import { buildWorld, type World } from './world.js';
import { LINEAR } from './world-layout.js';
import { hex } from '../hex.js';

export type Action =
  | { readonly kind: 'step'; readonly cpu: number }
  | { readonly kind: 'complete'; readonly id: number; readonly target: number }
  | { readonly kind: 'publish'; readonly cpu: number; readonly ra: bigint }
  | { readonly kind: 'speculate'; readonly cpu: number; readonly ea: bigint };

/** What a timeline entry records (the HTML timeline draws each kind its own way). */
export type TimelineKind =
  | 'insn' // an instruction performed (with what its access read or wrote)
  | 'mark' // a fixture annotation reached
  | 'interrupt'
  | 'tlb-fill'
  | 'speculative-fill'
  | 'invalidate' // a tlbie/tlbiel/slbie taking effect on a CPU
  | 'early-completion' // an invalidation reaching a CPU before its sequence completes
  | 'pte-store' // a page-table store other CPUs' walks do not see yet
  | 'publish' // such a store becoming visible to them
  | 'violation';

/** One line of a counterexample: what a CPU did (or what happened to it). */
export interface TimelineEntry {
  readonly cpu: number;
  /** Fixture line of the instruction or mark, when there is one. */
  readonly line: number | null;
  readonly text: string;
  readonly kind: TimelineKind;
}

/** Register-only instructions a CPU may run ahead of any other CPU's action. */
function isLocal(x: FixtureInsn): boolean {
  if (x.def.facility === 'fixed') return x.def.name !== 'mfspr' && x.def.name !== 'mtspr';
  return x.def.facility === 'branch' && x.def.name !== 'sc';
}

/** SPRs that relocate the HPT (SDR1, PTCR). */
const RELOCATING_SPRS = new Set<number>([SPR.SDR1, SPR.PTCR]);

/** Instructions a CPU may run between two storage accesses before the fixture is refused. */
const LOCAL_LIMIT = 100_000;


const VECTOR_NAMES: Record<number, string> = { 0x300: 'DSI', 0x380: 'data segment', 0x400: 'ISI', 0x480: 'instruction segment', 0x600: 'alignment', 0x700: 'program', 0xe40: 'HEAI', 0x200: 'machine check' };

export interface SessionSnapshot {
  readonly machine: MachineSnapshot;
  readonly mmu: MmuSnapshot;
  readonly checker: CheckerSnapshot;
}

/** One run of the fixture, driven action by action. */
export class Session {
  readonly world: World;
  readonly checker: Checker;
  readonly path: Action[] = [];
  private readonly insnAt: Array<Map<bigint, FixtureInsn>> = [];
  private readonly marksAt: Array<Map<bigint, FixtureMark[]>> = [];
  private readonly candidates: bigint[];
  private readonly ends: bigint[] = [];
  private readonly timeline: TimelineEntry[] | null;
  /** The frame of the explorer's stack this session's state is (-1: none). */
  frame = -1;
  private readonly storage: TrackedStorage;

  /**
   * `record`: keep a timeline (for counterexamples). `keepPath`: keep the actions performed
   * (random walks; the exhaustive search keeps paths in its own frames instead).
   */
  constructor(
    private readonly fixture: Fixture,
    model: CpuModel,
    cpus: number,
    record: boolean,
    private readonly keepPath = true,
  ) {
    this.world = buildWorld(fixture, model, cpus);
    const { machine, mmu } = this.world;
    this.timeline = record ? [] : null;
    const slots = [...fixture.hptes.map((h) => h.slot), ...fixture.memory.map((w) => w.ra & ~15n)];
    this.checker = new Checker(mmu, fixture.pages, slots);
    this.candidates = fixture.pages.map((p) => p.ea);
    machine.cpus.forEach((_cpu, id) => {
      const code = this.world.code[id];
      const base = this.world.base[id]!;
      const insns = new Map<bigint, FixtureInsn>();
      const marks = new Map<bigint, FixtureMark[]>();
      if (code) {
        for (const x of code.insns) insns.set(base + x.addr, x);
        for (const m of code.marks) {
          const at = base + (m.index < code.insns.length ? code.insns[m.index]!.addr : code.codeEnd);
          marks.set(at, [...(marks.get(at) ?? []), m]);
        }
      }
      this.insnAt.push(insns);
      this.marksAt.push(marks);
      this.ends.push(code ? base + code.codeEnd : base);
    });
    machine.onInterrupt = (cpu, info) => {
      // No handlers: an interrupt ends the CPU's run (the fixture sees it in the timeline).
      const x = this.insnAt[cpu.id]!.get(cpu.pc);
      this.note(cpu.id, x?.line ?? null, interruptNote(cpu.id, info.vector, info.message), 'interrupt');
      cpu.stop = 'unhandled-interrupt';
    };
    if (record) {
      mmu.events.on((e) => {
        const d = describeMmuEvent(e);
        if (d !== null) this.note(e.cpu, null, d.text, d.kind);
      });
    }
    this.storage = new TrackedStorage(this.world);
    for (const cpu of machine.cpus) {
      if (!this.live(cpu)) continue;
      this.marks(cpu, null);
      this.runLocal(cpu);
    }
  }

  private note(cpu: number, line: number | null, text: string, kind: TimelineKind): void {
    this.timeline?.push({ cpu, line, text, kind });
  }

  get recorded(): readonly TimelineEntry[] {
    return this.timeline ?? [];
  }

  live(cpu: Cpu): boolean {
    return this.world.code[cpu.id] !== null && cpu.stop === null && cpu.pc !== this.ends[cpu.id];
  }

  /** The marks at cpu's pc, having just executed the instruction at `from` (null: at the start). */
  private marks(cpu: Cpu, from: bigint | null): void {
    const code = this.world.code[cpu.id]!;
    const base = this.world.base[cpu.id]!;
    for (const m of this.marksAt[cpu.id]!.get(cpu.pc) ?? []) {
      // A mark after an instruction is passed only by going on from that instruction.
      if (m.after !== undefined && (m.after < 0 ? from !== null : from !== base + code.insns[m.after]!.addr)) continue;
      reachMark(this.world, this.checker, this.fixture, cpu, m, m.expect ? cpu.getGpr(m.expect.reg) : null, (text) => this.note(cpu.id, m.line, text, 'mark'));
    }
  }

  private execOne(cpu: Cpu): void {
    const x = this.insnAt[cpu.id]!.get(cpu.pc);
    const moves = x && tableMove(this.fixture, cpu.id, x);
    if (moves) throw moves;
    if (this.timeline) {
      const word = x ? x.word : Number(this.world.machine.mem.read64(cpu.pc & ~7n, false) >> ((cpu.pc & 4n) === 0n ? 32n : 0n)) >>> 0;
      this.note(cpu.id, x?.line ?? null, disassemble(word, cpu.pc).text, 'insn');
    }
    const from = cpu.pc;
    run(cpu, 1);
    if (cpu.stop === null) this.marks(cpu, from); // marks at the next instruction, or at the end of the code
  }

  private runLocal(cpu: Cpu): void {
    for (let n = 0; this.live(cpu); n++) {
      const x = this.insnAt[cpu.id]!.get(cpu.pc);
      if (!x || !isLocal(x)) return;
      if (n >= LOCAL_LIMIT) {
        throw new InputError(`${this.fixture.fileName}:${x.line}: cpu ${cpu.id} ran ${LOCAL_LIMIT} instructions without a storage access (an endless loop?)`);
      }
      this.execOne(cpu);
    }
  }

  enabled(): Action[] {
    const out: Action[] = [];
    for (const cpu of this.world.machine.cpus) if (this.live(cpu)) out.push({ kind: 'step', cpu: cpu.id });
    out.push(...mmuActions(this.world, this.candidates));
    return out;
  }

  /** Whether `a` is enabled now (for replays of edited paths). */
  allows(a: Action): boolean {
    return this.enabled().some((b) => sameAction(a, b));
  }

  perform(a: Action): void {
    const { machine } = this.world;
    if (this.keepPath) this.path.push(a);
    this.frame = -1;
    switch (a.kind) {
      case 'step': {
        const cpu = machine.cpus[a.cpu]!;
        this.execOne(cpu);
        this.runLocal(cpu);
        return;
      }
      default:
        performMmuAction(this.world, a, (cpu, text, kind) => this.note(cpu, null, text, kind));
    }
  }

  snapshot(): SessionSnapshot {
    return { machine: this.storage.snapshot(), mmu: this.world.mmu.snapshot(), checker: this.checker.snapshot() };
  }

  restore(s: SessionSnapshot): void {
    this.storage.restore(s.machine);
    this.world.mmu.restore(s.mmu);
    this.checker.restore(s.checker);
  }

  /** D5: the `.final` conditions, once no action is left. */
  finalCheck(): void {
    const { machine } = this.world;
    this.checker.violation ??= failedFinal(this.fixture, (lhs) => (lhs.kind === 'reg' ? machine.cpus[lhs.cpu]!.getGpr(lhs.reg) : machine.mem.read64(lhs.ra, false)));
  }

  /** The state as a string: equal strings, equal futures. */
  key(): string {
    const { machine, mmu } = this.world;
    const parts: string[] = [];
    for (const c of machine.cpus) {
      // The SPRs that differ from their starting values (the others are equal in every state).
      const h = c.sprHash(fnv(fnv(0x811c9dc5, c.hi), c.lo));
      parts.push(
        `${c.pcHi}:${c.pcLo}:${c.cr}:${c.xer}:${c.lrHi}:${c.lrLo}:${c.ctrHi}:${c.ctrLo}:${c.msrHi}:${c.msrLo}:${c.stop ?? ''}:${c.resValid ? `${c.resHi}:${c.resLo}` : ''}:${h}`,
      );
    }
    return `${parts.join('|')}#${this.storage.key()}#${mmu.stateKey()}#${this.checker.key()}`;
  }
}

/**
 * The error for an instruction that moves the HPT (mtspr SDR1/PTCR), or null. The explorers
 * track the HPT's pages where the world put it; a fixture that moved the table would silently
 * escape their state hashing and their page-table locations.
 */
export function tableMove(fixture: Fixture, cpu: number, x: FixtureInsn): InputError | null {
  if (x.def.op !== Op.mtspr || !RELOCATING_SPRS.has(operandValues(x.def, x.word)[0]!)) return null;
  return new InputError(`${fixture.fileName}:${x.line}: cpu ${cpu} writes SDR1/PTCR: validation fixtures keep the HPT where the machine puts it (docs/validate.md)`);
}

/** The timeline's line for an interrupt that ends a CPU (validation fixtures have no handlers). */
export function interruptNote(cpu: number, vector: number, message: string): string {
  return `${VECTOR_NAMES[vector] ?? `vector 0x${vector.toString(16)}`} interrupt: ${message}; cpu ${cpu} stops`;
}

export function sameAction(a: Action, b: Action): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'step':
      return a.cpu === (b as typeof a).cpu;
    case 'complete':
      return a.id === (b as typeof a).id && a.target === (b as typeof a).target;
    case 'publish':
      return a.cpu === (b as typeof a).cpu && a.ra === (b as typeof a).ra;
    case 'speculate':
      return a.cpu === (b as typeof a).cpu && a.ea === (b as typeof a).ea;
  }
}

/** What a timeline says about an MMU event (null: not worth a line). */
export function describeMmuEvent(e: MmuEvent): { text: string; kind: TimelineKind } | null {
  switch (e.type) {
    case 'tlb-fill':
      // Loads of the bolted linear mapping (how code reaches the HPT) are not news.
      if (e.ea >> 60n === LINEAR >> 60n) return null;
      return {
        text: `${e.speculative ? 'speculative ' : ''}TLB load: EA ${hex(e.ea)} -> RA ${hex(e.ra)} from slot ${hex(e.slot)}`,
        kind: e.speculative ? 'speculative-fill' : 'tlb-fill',
      };
    case 'tlb-invalidate':
      if (e.state === 'completed') return { text: `${e.cause} by cpu ${e.by} takes effect here: ${e.entries} TLB entr${e.entries === 1 ? 'y' : 'ies'} removed`, kind: 'invalidate' };
      return null;
    case 'hpt-store':
      return { text: `HPTE ${hex(e.slot)}: dw0 ${hex(e.oldDw0)} -> ${hex(e.newDw0)}, dw1 ${hex(e.oldDw1)} -> ${hex(e.newDw1)} (other CPUs' walks do not see it yet)`, kind: 'pte-store' };
    default:
      return null;
  }
}

/**
 * The effects the ISA lets happen early, enabled in `world` now: speculative TLB loads of
 * `candidates` (and of any page a CPU has made valid in the table since), early completions of
 * pending invalidations, page-table stores becoming visible to other CPUs' walks.
 */
export function mmuActions(world: World, candidates: readonly bigint[]): Array<Exclude<Action, { kind: 'step' }>> {
  const { machine, mmu } = world;
  const out: Array<Exclude<Action, { kind: 'step' }>> = [];
  for (const cpu of machine.cpus) {
    const eas = new Set([...candidates, ...mmu.hashedEas(cpu)]);
    for (const ea of eas) if (mmu.canSpeculate(cpu, ea)) out.push({ kind: 'speculate', cpu: cpu.id, ea });
  }
  // Early completions reach each target in issue order per issuing CPU (a reduction: see
  // docs/validate.md), so n pending tlbiel of one CPU give n choices, not 2^n.
  const reached = new Set<string>();
  for (const p of mmu.pendingInvalidations()) {
    for (const t of [...p.targets].sort()) {
      const k = `${p.issuer}>${t}`;
      if (reached.has(k)) continue;
      reached.add(k);
      out.push({ kind: 'complete', id: p.id, target: t });
    }
  }
  for (const cpu of machine.cpus) for (const ra of mmu.publishable(cpu.id)) out.push({ kind: 'publish', cpu: cpu.id, ra });
  return out;
}

/** Performs one of mmuActions()'s actions; `note` hears what happened, for a timeline. */
export function performMmuAction(world: World, a: Exclude<Action, { kind: 'step' }>, note: (cpu: number, text: string, kind: TimelineKind) => void): void {
  const { machine, mmu } = world;
  switch (a.kind) {
    case 'complete': {
      const p = mmu.pendingInvalidations().find((x) => x.id === a.id)!;
      note(a.target, `(the ${p.op} cpu ${p.issuer} issued reaches cpu ${a.target} early)`, 'early-completion');
      mmu.completeOn(a.id, a.target);
      return;
    }
    case 'publish':
      note(a.cpu, `page-table store to ${hex(a.ra)} becomes visible to other CPUs' walks`, 'publish');
      mmu.publish(a.cpu, a.ra);
      return;
    case 'speculate':
      mmu.speculativeLoad(machine.cpus[a.cpu]!, a.ea);
      return;
  }
}

/**
 * A CPU reaches a mark of its code: `relies` and `assert-gone` declare translations gone
 * (checker.ts, D1), `assert-valid` walks the table now, `expect` compares the register's value
 * there (`actual`); a failed assertion is D5 (the first violation found is the one reported).
 */
export function reachMark(world: World, checker: Checker, fixture: Fixture, cpu: Cpu, m: FixtureMark, actual: bigint | null, note: (text: string) => void): void {
  const assertion = (message: string) => void (checker.violation ??= { id: 'D5', cpu: cpu.id, message });
  if (m.kind === 'relies') {
    note('# relies: the translations this CPU removed must be gone everywhere');
    checker.declare(cpu.id, m.line, null);
  } else if (m.kind === 'gone') {
    note(`# assert-gone ${m.page}`);
    checker.declare(cpu.id, m.line, m.page!);
  } else if (m.kind === 'valid') {
    const p = fixture.pages.find((x) => x.name === m.page)!;
    const t = world.mmu.walkEa(cpu, p.ea);
    note(`# assert-valid ${m.page}`);
    if (!t || t.ra !== p.ra) {
      assertion(`# assert-valid ${m.page} on line ${m.line} fails: cpu ${cpu.id}'s table walk finds ${t ? `RA ${hex(t.ra)} in slot ${hex(t.slot)}` : 'no PTE'} for EA ${hex(p.ea)}`);
    }
  } else if (m.kind === 'expect') {
    const e = m.expect!;
    note(`# expect r${e.reg} ${e.op} ${hex(e.value)}: r${e.reg} = ${hex(actual!)}`);
    if ((actual === e.value) !== (e.op === '==')) assertion(`# expect on line ${m.line} fails: r${e.reg} ${e.op} ${hex(e.value)} (actual ${hex(actual!)})`);
  }
}

/** D5 for the first `.final` condition that fails, given the final value of each left-hand side; else null. */
export function failedFinal(fixture: Fixture, value: (lhs: FinalCond['lhs']) => bigint): Violation | null {
  for (const f of fixture.finals) {
    const actual = value(f.lhs);
    if (f.op === '==' ? actual === f.value : actual !== f.value) continue;
    return { id: 'D5', cpu: f.lhs.kind === 'reg' ? f.lhs.cpu : 0, message: `.final on line ${f.line} fails: ${f.text} (actual ${hex(actual)})` };
  }
  return null;
}
