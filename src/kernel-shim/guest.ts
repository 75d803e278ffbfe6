// How the kernel shim makes an emulated CPU do something: every page-table store, HPTE update
// and TLB/SLB maintenance step is a short instruction sequence executed by that CPU, through
// its MMU and with its visibility rules, never an edit of translation state from TypeScript.
//
// A sequence is assembled once into a per-CPU area of real storage and entered with the
// arguments in r3..r10; it ends at a stop address where a breakpoint hands control back. The
// CPU's registers, pc and MSR are saved around the call, so calls nest (a DSI taken inside a
// sequence can run the shim's hash_page, itself made of sequences, on the same CPU).
// Sequences are fetched in real mode (MSR[IR]=0, allowed in hypervisor state, Book III 5.7.3)
// and access data with MSR[DR] as the caller asks.

import type { Cpu } from '../cpu/cpu.js';
import { MSR_DR, MSR_HV_HI, MSR_ME, MSR_SF_HI } from '../cpu/cpu.js';
import { run } from '../cpu/interp.js';
import type { Machine } from '../cpu/machine.js';
import { assemble, toBinary } from '../isa/index.js';

export interface GuestCallOptions {
  /** Data accesses translated (kernel virtual addresses) or real. */
  relocate?: boolean;
  /** Instructions the sequence may take before the call is declared stuck. */
  budget?: number;
}

export class GuestCallError extends Error {}

interface Placed {
  entry: bigint;
  stop: bigint;
}

/** SRR0, SRR1, DAR, DSISR (Book III SPR numbers 26, 27, 19, 18). */
const SAVED_SPRS = [26, 27, 19, 18];

/** Bytes of real storage each CPU's sequences may occupy. */
const AREA_PER_CPU = 0x10000n;

/** Handles an interrupt vector on the CPU that took it; returning resumes with rfid. */
export type VectorHandler = (cpu: Cpu) => void;

export class Guest {
  private readonly placed: Map<string, Placed>[];
  private readonly next: bigint[];
  private readonly vectors = new Map<bigint, VectorHandler>();

  /** `base`: real address of the sequence areas (one AREA_PER_CPU block per CPU). */
  constructor(
    readonly machine: Machine,
    readonly base: bigint,
  ) {
    this.placed = machine.cpus.map(() => new Map());
    this.next = machine.cpus.map((_, i) => base + BigInt(i) * AREA_PER_CPU);
  }

  /**
   * Routes interrupt `vector` to `handler` on every CPU: the vector holds `rfid`, with a
   * breakpoint on it; when a sequence takes the interrupt, the handler runs (it may make
   * guest calls of its own) and then the CPU executes the rfid back to the interrupted
   * instruction — the shape of Linux's exception entry and return, without the stack frame.
   */
  handle(vector: bigint, handler: VectorHandler): void {
    this.machine.mem.write(vector, new Uint8Array([0x4c, 0x00, 0x00, 0x24])); // rfid
    this.vectors.set(vector, handler);
    for (const cpu of this.machine.cpus) cpu.addBreakpoint(vector);
  }

  /** Assembles `source` (our assembler's syntax) into `cpu`'s area, once per CPU. */
  private place(cpu: Cpu, name: string, source: string): Placed {
    const cache = this.placed[cpu.id]!;
    const hit = cache.get(name);
    if (hit) return hit;
    const at = this.next[cpu.id]!;
    const r = assemble(`${source}\n__stop:\n\tnop\n`, { fileName: `<${name}>`, format: 'bin', textAddress: at });
    const image = toBinary(r);
    const limit = this.base + BigInt(cpu.id + 1) * AREA_PER_CPU;
    if (at + BigInt(image.length) > limit) throw new GuestCallError(`sequence area of cpu ${cpu.id} is full`);
    this.machine.mem.write(at, image);
    const p = { entry: at, stop: r.symbols.get('__stop')! };
    this.next[cpu.id] = (at + BigInt(image.length) + 15n) & ~15n;
    cache.set(name, p);
    return p;
  }

  /**
   * Runs sequence `name` on `cpu` with r3.. = args; returns r3..r10 afterwards. The CPU's
   * registers, pc and MSR are restored, except that translation state changed by the
   * sequence (SLB, TLB, storage) is of course kept.
   */
  call(cpu: Cpu, name: string, source: string, args: readonly bigint[] = [], opts: GuestCallOptions = {}): bigint[] {
    const p = this.place(cpu, name, source);
    const saved = {
      hi: cpu.hi.slice(),
      lo: cpu.lo.slice(),
      cr: cpu.cr,
      pcHi: cpu.pcHi,
      pcLo: cpu.pcLo,
      msrHi: cpu.msrHi,
      msrLo: cpu.msrLo,
      lr: [cpu.lrHi, cpu.lrLo],
      ctr: [cpu.ctrHi, cpu.ctrLo],
      // Interrupt state a nested call (made by a vector handler) must not disturb.
      sprHi: SAVED_SPRS.map((n) => cpu.sprHi[n]!),
      sprLo: SAVED_SPRS.map((n) => cpu.sprLo[n]!),
    };
    args.forEach((v, k) => cpu.setGpr(3 + k, v));
    cpu.pc = p.entry;
    // Hypervisor state, real-mode fetch, data relocation as asked.
    cpu.msrHi = MSR_SF_HI | MSR_HV_HI;
    cpu.msrLo = MSR_ME | (opts.relocate ? MSR_DR : 0);
    cpu.flushSoftTlb();
    // A nested call of the same sequence shares the stop address: only its owner removes it.
    const stopHi = Number(p.stop >> 32n) | 0;
    const stopLo = Number(p.stop & 0xffffffffn) | 0;
    const owner = !cpu.isBreakpoint(stopHi, stopLo);
    if (owner) cpu.addBreakpoint(p.stop);
    const budget = opts.budget ?? 1_000_000;
    let done = 0;
    try {
      for (;;) {
        while (done < budget && cpu.stop === null) done += run(cpu, budget - done);
        const handler = cpu.stop === 'breakpoint' ? this.vectors.get(cpu.pc) : undefined;
        if (!handler) break;
        cpu.stop = null;
        handler(cpu);
        cpu.skipBreak = true; // now execute the rfid at the vector
      }
      if (cpu.stop !== 'breakpoint' || cpu.pc !== p.stop) {
        throw new GuestCallError(
          `sequence ${name} on cpu ${cpu.id} did not complete: ${cpu.stop ?? 'budget exhausted'} at 0x${cpu.pc.toString(16)} ${cpu.stopMessage}`,
        );
      }
      cpu.stop = null;
      return Array.from({ length: 8 }, (_, k) => cpu.getGpr(3 + k));
    } finally {
      if (owner) cpu.removeBreakpoint(p.stop);
      cpu.hi.set(saved.hi);
      cpu.lo.set(saved.lo);
      cpu.cr = saved.cr;
      cpu.pcHi = saved.pcHi;
      cpu.pcLo = saved.pcLo;
      cpu.msrHi = saved.msrHi;
      cpu.msrLo = saved.msrLo;
      [cpu.lrHi, cpu.lrLo] = saved.lr;
      [cpu.ctrHi, cpu.ctrLo] = saved.ctr;
      SAVED_SPRS.forEach((n, k) => cpu.writeSpr(n, saved.sprHi[k]!, saved.sprLo[k]!));
      cpu.flushSoftTlb();
    }
  }
}
