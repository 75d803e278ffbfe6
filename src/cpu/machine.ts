// The privileged machine: N CPUs sharing physical storage, started in 64-bit hypervisor real
// mode as QEMU's powernv machine starts firmware, a deterministic scheduler, and the
// supervisor/hypervisor instructions (MSR, SPRs, rfid, attn) wired to each CPU.

import { splitmix64 } from './random.js';
import { Cpu, Reservations, type CpuSnapshot, MSR_EE, MSR_HV_HI, MSR_LE, MSR_ME, MSR_SF_HI, PROGRAM_ILLEGAL, VEC, type InterruptInfo, type StopReason } from './cpu.js';
import { deliverInterrupt, SPR } from './interrupts.js';
import { MachineSystemOps, type MmuOps } from './privileged.js';
import { run } from './interp.js';
import { Access, type AddressSpace, type Fault, type PhysPage } from './memory.js';
import { CPU_MODELS, type CpuModel, type CpuModelName } from './models.js';
import { PhysMemory } from './phys-memory.js';

export interface MachineOptions {
  cpus?: number;
  /** A model name, or a model object (e.g. with Linux feature flags changed). */
  model?: CpuModelName | CpuModel;
  /** Physical storage size in bytes (default 1 GiB). */
  memorySize?: bigint;
  /** Instructions a CPU runs before the scheduler moves on (round-robin). */
  quantum?: number;
  /** Seeded random interleaving instead of round-robin: the same seed gives the same run. */
  seed?: number;
}

/** Address translation for relocated accesses (MSR[IR]/MSR[DR] = 1), supplied by the MMU. */
export interface Translator {
  translate(cpu: Cpu, hi: number, pageLo: number, access: Access): PhysPage | Fault;
}

/** EA bits 0:3 are ignored in hypervisor real mode (Book III 5.7.3, "Real Addressing Mode"). */
const REAL_MODE_HI_MASK = 0x0fffffff;

/** One CPU's view of storage: real mode or the MMU, chosen per access by MSR[IR]/MSR[DR]. */
class CpuSpace implements AddressSpace {
  cpu!: Cpu;
  constructor(private readonly machine: Machine) {}

  lookup(hi: number, pageLo: number, access: Access): PhysPage | Fault {
    const cpu = this.cpu;
    const relocate = access === Access.Exec ? cpu.msrLo & (1 << 5) : cpu.msrLo & (1 << 4); // MSR[IR], MSR[DR]
    if (relocate && this.machine.translator) return this.machine.translator.translate(cpu, hi, pageLo, access);
    if (relocate) {
      return { kind: 'no-pte', access, hi, lo: pageLo, vector: access === Access.Exec ? VEC.ISI : VEC.DSI };
    }
    const ra = (BigInt((hi & REAL_MODE_HI_MASK) >>> 0) << 32n) | BigInt(pageLo >>> 0);
    const page = this.machine.mem.page(ra);
    if (page) return page;
    // Storage beyond the end: the access cannot complete (a Machine Check on hardware).
    return { kind: 'beyond-storage', access, hi, lo: pageLo, vector: VEC.MCHECK };
  }
}

/** Instructions a lone CPU runs per scheduler turn (only bounds how often the loop checks). */
const SOLO_QUANTUM = 1 << 20;

/** Consecutive interrupts without progress that mean a CPU is stuck (see Machine.interrupt). */
const INTERRUPT_LOOP_LIMIT = 32;

/** mulberry32: small, fast, good enough for interleaving choices; same seed, same stream. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What Machine.snapshot() keeps. */
export interface MachineSnapshot {
  readonly cpus: readonly CpuSnapshot[];
  readonly mem: Map<number, Uint8Array>;
  readonly reservations: Map<PhysPage, number>;
  readonly stop: StopReason | null;
  readonly stopMessage: string;
  readonly streak: ReadonlyMap<Cpu, { at: number; count: number }>;
}

export class Machine {
  readonly model: CpuModel;
  readonly mem: PhysMemory;
  readonly cpus: Cpu[] = [];
  /** lwarx/stwcx. reservations, cleared by other CPUs' stores to the granule. */
  readonly reservations = new Reservations();
  translator: Translator | null = null;
  /** Storage-control instruction support (tlbie, slbmte, ...), attached by the MMU layer. */
  mmu: MmuOps | null = null;
  /**
   * Called before each instruction when set (`run --trace`); what it returns is called once the
   * instruction has completed (not when a breakpoint or stop held it). Turns then run one
   * instruction at a time with the same scheduling, so a traced run executes as an untraced one.
   */
  onInstruction: ((cpu: Cpu) => () => void) | null = null;
  /** Why the machine stopped (the first CPU stop that ends the run). */
  stop: StopReason | null = null;
  stopMessage = '';
  private readonly quantum: number;
  private readonly random: (() => number) | null;
  /** Choices other than the interleaving (speculative loads), from the same seed. */
  private readonly chance: () => number;
  private next = 0;
  /** Called for every interrupt taken, before it is delivered (event log). */
  onInterrupt: ((cpu: Cpu, info: InterruptInfo) => void) | null = null;

  constructor(opts: MachineOptions = {}) {
    this.model = typeof opts.model === 'object' ? opts.model : CPU_MODELS[opts.model ?? 'power9'];
    this.mem = new PhysMemory(opts.memorySize ?? 1n << 30n);
    this.quantum = opts.quantum ?? 16;
    this.random = opts.seed !== undefined ? prng(opts.seed) : null;
    this.chance = prng(opts.seed ?? 1);
    const n = opts.cpus ?? 1;
    for (let id = 0; id < n; id++) {
      const space = new CpuSpace(this);
      const cpu = new Cpu(id, space, (c, info) => this.interrupt(c, info));
      // darn: each CPU its own stream, from --seed when given.
      if (opts.seed !== undefined) cpu.random = splitmix64((BigInt(opts.seed) << 8n) | BigInt(id));
      space.cpu = cpu;
      cpu.sys = new MachineSystemOps(this);
      cpu.sprLo[SPR.PVR] = this.model.pvr;
      cpu.sprLo[SPR.PIR] = id;
      // With one CPU no other CPU can store to its granule: nothing to track.
      if (n > 1) cpu.reservations = this.reservations;
      this.reservations.cpus.push(cpu);
      this.cpus.push(cpu);
    }
  }

  /** Copies a raw image into physical storage. */
  load(addr: bigint, bytes: Uint8Array): void {
    this.mem.write(addr, bytes);
  }

  /**
   * Starts every CPU at `entry` in 64-bit hypervisor real mode (MSR SF|HV|ME, as QEMU powernv
   * starts firmware), each with its own PIR. Secondary CPUs are not held by the machine: the
   * program holds them itself, e.g. by reading PIR and spinning on a flag (see fixtures/smp).
   */
  start(entry: bigint, le = false): void {
    for (const cpu of this.cpus) {
      cpu.pc = entry;
      cpu.msrHi = MSR_SF_HI | MSR_HV_HI;
      cpu.msrLo = MSR_ME | (le ? MSR_LE : 0);
    }
  }

  /** The CPUs that can still run. */
  running(): Cpu[] {
    return this.cpus.filter((c) => c.stop === null);
  }

  /**
   * Runs until every CPU has stopped, one stops the machine (halt, breakpoint, unhandled
   * interrupt), or `budget` instructions have run in total. Returns instructions executed.
   */
  run(budget: number): number {
    let done = 0;
    while (done < budget && this.stop === null) {
      const live = this.running();
      if (live.length === 0) break;
      let cpu: Cpu;
      let q: number;
      if (this.random) {
        cpu = live[Math.floor(this.random() * live.length)]!;
        q = 1 + Math.floor(this.random() * this.quantum);
      } else {
        cpu = live[this.next++ % live.length]!;
        // Alone, a CPU runs without interruption: there is nothing to interleave with.
        q = live.length === 1 ? SOLO_QUANTUM : this.quantum;
      }
      this.mmu?.tick?.(cpu, this.chance);
      // The Decrementer interrupt (Book III 7.5.11), taken between instructions when MSR[EE]=1;
      // a turn ends when DEC goes negative, so it is taken right after that instruction.
      if (cpu.pollDec() && cpu.msrLo & MSR_EE) {
        cpu.decPending = false;
        this.interrupt(cpu, { vector: VEC.DEC, cause: 0, ea: null, message: 'decrementer', afterInsn: false });
      }
      const untilDec = cpu.decFiresAt() - cpu.instructions;
      if (untilDec < q) q = Math.max(1, untilDec);
      const n = Math.min(q, budget - done);
      if (this.onInstruction === null) done += run(cpu, n);
      else {
        for (let k = 0; k < n && cpu.stop === null && this.stop === null; k++) {
          const completed = this.onInstruction(cpu);
          const r = run(cpu, 1);
          done += r;
          if (r === 0) break;
          completed();
        }
      }
      // (halt() has already stopped the machine and said why: keep its message.)
      if (cpu.stop !== null && cpu.stop !== 'exit' && this.stop === null) {
        this.stop = cpu.stop;
        this.stopMessage = cpu.stopMessage;
      }
    }
    if (this.stop === null && this.running().length === 0) this.stop = 'halt';
    return done;
  }

  get instructions(): number {
    return this.cpus.reduce((a, c) => a + c.instructions, 0);
  }

  /** attn: the machine halts (QEMU powernv ends emulation on attn as well). */
  halt(cpu: Cpu): void {
    for (const c of this.cpus) if (c.stop === null) c.stop = 'halt';
    this.stop = 'halt';
    this.stopMessage = `attn on cpu ${cpu.id}`;
  }

  /** Interrupts taken by each CPU since it last completed an instruction. */
  private readonly streak = new Map<Cpu, { at: number; count: number }>();

  private interrupt(cpu: Cpu, info: InterruptInfo): void {
    this.onInterrupt?.(cpu, info);
    // A CPU that takes interrupt after interrupt without completing an instruction (a vector
    // with no handler, e.g. zeroed storage) would spin forever: stop it and say why.
    const s = this.streak.get(cpu);
    if (s && s.at === cpu.instructions) s.count++;
    else this.streak.set(cpu, { at: cpu.instructions, count: 1 });
    if ((this.streak.get(cpu)?.count ?? 0) > INTERRUPT_LOOP_LIMIT) {
      cpu.stop = 'unhandled-interrupt';
      cpu.stopMessage = `cpu ${cpu.id}: interrupt loop: ${INTERRUPT_LOOP_LIMIT} interrupts without completing an instruction, last vector 0x${info.vector.toString(16)} at pc 0x${cpu.pc.toString(16)} (${info.message})`;
      return;
    }
    if (info.vector === VEC.MCHECK) {
      cpu.stop = 'unhandled-interrupt';
      cpu.stopMessage = `machine check on cpu ${cpu.id}: ${info.message}`;
      return;
    }
    // Since v2.06 an illegal, reserved or unimplemented instruction causes the Hypervisor
    // Emulation Assistance interrupt, not the Program interrupt (Book III v3.0B 7.5.18; QEMU
    // powernv agrees). The interpreter reports it as Program/illegal, which a user process
    // turns into SIGILL either way.
    if (info.vector === VEC.PROGRAM && (info.cause & PROGRAM_ILLEGAL) !== 0) {
      deliverInterrupt(cpu, { ...info, vector: VEC.HEAI, cause: 0 });
      return;
    }
    deliverInterrupt(cpu, info);
  }

  /**
   * CPUs, storage and reservations, for the validator's explorer to come back to. With
   * `pages`, only those pages of storage are kept (the caller knows the others are unchanged).
   */
  snapshot(pages?: Iterable<PhysPage>): MachineSnapshot {
    return {
      cpus: this.cpus.map((c) => c.snapshot()),
      mem: this.mem.snapshot(pages),
      reservations: this.reservations.snapshot(),
      stop: this.stop,
      stopMessage: this.stopMessage,
      streak: new Map([...this.streak].map(([c, x]) => [c, { ...x }])),
    };
  }

  /** Back to a snapshot; for a partial one, `pages` and `initial` as PhysMemory.restore() takes them. */
  restore(s: MachineSnapshot, pages?: Iterable<PhysPage>, initial?: ReadonlyMap<number, Uint8Array>): void {
    this.mem.restore(s.mem, pages, initial);
    this.reservations.restore(s.reservations);
    s.cpus.forEach((x, i) => this.cpus[i]!.restore(x));
    this.stop = s.stop;
    this.stopMessage = s.stopMessage;
    this.streak.clear();
    for (const [c, x] of s.streak) this.streak.set(c, { ...x });
  }

  /** Reads storage by real address (debugger, state dumps, tests). */
  readReal(ra: bigint, length: number): Uint8Array | null {
    return this.mem.read(ra, length);
  }
}
