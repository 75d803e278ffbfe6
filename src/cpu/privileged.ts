// Supervisor and hypervisor instructions of the machine (Power ISA v3.0B Book III): MSR moves,
// rfid, SPR access, attn; storage-control instructions are passed to the MMU when one is
// attached.

import { Op } from '../isa/ops.js';
import { INSNS } from '../isa/table.js';
import {
  Cpu,
  MSR_DR,
  MSR_EE,
  MSR_HV_HI,
  MSR_IR,
  MSR_LE,
  MSR_ME,
  MSR_PR,
  MSR_RI,
  PROGRAM_ILLEGAL,
  PROGRAM_PRIV,
  VEC,
  type SystemOps,
} from './cpu.js';
import { SPR } from './interrupts.js';

/** Storage-control instructions, implemented by the MMU layer. */
export interface MmuOps {
  exec(cpu: Cpu, op: Op, v0: number, v1: number, v2: number, v3: number, v4: number): void;
  barrier(cpu: Cpu, op: Op, l: number): void;
  /** A translation-related SPR (SDR1, PTCR, LPCR, LPIDR, PID) was written. */
  sprWritten(cpu: Cpu, spr: number): void;
  /** Called before each scheduling quantum of `cpu` (speculative translation loads). */
  tick?(cpu: Cpu, random: () => number): void;
  /** Debugger views: "tlb", "slb", "hpt". */
  view?(name: string, cpu: Cpu, arg: string | undefined): string;
  /** Debugger: how `cpu` would translate `ea` now, with no side effect (no fill, no R/C). */
  probe?(cpu: Cpu, ea: bigint): TranslationProbe;
}

/** What a side-effect-free translation finds: each step, and the real address the CPU would use. */
export interface TranslationProbe {
  /** The SLB entry's segment, or null when `ea` has none (a segment interrupt). */
  readonly segment: { esid: bigint; vsid: bigint; ssize: number; va: bigint } | null;
  /** The CPU's TLB entry for the page (it is used, even if the table has changed since). */
  readonly tlb: { ra: bigint; shift: number } | null;
  /** What a table walk by this CPU would find now. */
  readonly walk: { slot: bigint; ra: bigint; shift: number } | null;
  /** The real address of `ea` itself, or null on a fault. */
  readonly ra: bigint | null;
}

/** The machine side the system instructions need. */
export interface MachineLike {
  halt(cpu: Cpu): void;
  mmu: MmuOps | null;
}

const HYP = new Set(INSNS.filter((d) => d.privilege === 'hyp').map((d) => d.op));

/** SPRs this machine implements (Book III, "SPR encodings"), read-only ones, hypervisor ones. */
const IMPLEMENTED = new Set<number>([
  SPR.DSISR, SPR.DAR, SPR.DEC, SPR.SDR1, SPR.SRR0, SPR.SRR1, SPR.SPRG0, SPR.SPRG1, SPR.SPRG2,
  SPR.SPRG3, SPR.PVR, SPR.HSRR0, SPR.HSRR1, SPR.LPCR, SPR.LPIDR, SPR.PID, SPR.PTCR, SPR.PIR,
]);
const READ_ONLY = new Set<number>([SPR.PVR, SPR.PIR]);
const HYPERVISOR = new Set<number>([SPR.SDR1, SPR.HSRR0, SPR.HSRR1, SPR.LPCR, SPR.LPIDR, SPR.PTCR]);
const TRANSLATION = new Set<number>([SPR.SDR1, SPR.PTCR, SPR.LPCR, SPR.LPIDR, SPR.PID]);

/** SRR1 bits 33:36 and 42:47 (Book III 7.3) that rfid does not copy into the MSR. */
const SRR1_CAUSE_BITS = 0x783f0000;

/** MSR bits mtmsrd L=0 leaves alone: HV, ME and LE (Book III 4.4.2 mtmsrd; QEMU agrees). */
const MTMSRD_KEEP_LO = MSR_ME | MSR_LE;

export class MachineSystemOps implements SystemOps {
  constructor(private readonly machine: MachineLike) {}

  exec(cpu: Cpu, op: number, v0: number, v1: number, v2: number, v3: number, v4: number): boolean {
    if (HYP.has(op) && (cpu.msrHi & MSR_HV_HI) === 0) {
      // Hypervisor-privileged in a partition: treated as privileged (POWER9 would raise the
      // Hypervisor Emulation Assistance interrupt; a bare machine always runs with HV=1).
      cpu.interrupt(VEC.PROGRAM, PROGRAM_PRIV, `${INSNS.find((d) => d.op === op)?.name} needs hypervisor state`);
    }
    switch (op) {
      case Op.mfmsr:
        cpu.hi[v0] = cpu.msrHi;
        cpu.lo[v0] = cpu.msrLo;
        return false;
      case Op.mtmsrd: {
        // RS, L (Book III 4.4.2): L=1 changes only EE and RI; L=0 changes all but HV, ME, LE,
        // and PR=1 forces EE, IR and DR on.
        const rh = cpu.hi[v0]!;
        const rl = cpu.lo[v0]!;
        if (v1 === 1) {
          const m = MSR_EE | MSR_RI;
          const before = cpu.msrLo;
          cpu.msrLo = (cpu.msrLo & ~m) | (rl & m); // EE and RI do not affect translation
          this.takePendingOnEnable(cpu, before);
          return false;
        }
        let lo = (rl & ~MTMSRD_KEEP_LO) | (cpu.msrLo & MTMSRD_KEEP_LO);
        if (lo & MSR_PR) lo |= MSR_EE | MSR_IR | MSR_DR;
        this.setMsr(cpu, (rh & ~MSR_HV_HI) | (cpu.msrHi & MSR_HV_HI), lo);
        return false;
      }
      case Op.rfid:
      case Op.hrfid: {
        // Book III 4.4.1 rfid / hrfid: MSR from (H)SRR1 — HV can only be cleared by rfid (hrfid
        // sets it from HSRR1), ME changes only in hypervisor state, PR=1 forces EE/IR/DR —
        // and NIA = (H)SRR0[0:61] || 0b00.
        const h = op === Op.hrfid;
        const sh = cpu.sprHi[h ? SPR.HSRR1 : SPR.SRR1]!;
        const sl = cpu.sprLo[h ? SPR.HSRR1 : SPR.SRR1]!;
        const inHv = (cpu.msrHi & MSR_HV_HI) !== 0;
        // SRR1 bits 33:36 and 42:47 hold interrupt causes, not MSR bits: not copied back.
        let lo = sl & ~SRR1_CAUSE_BITS;
        if (!inHv) lo = (lo & ~MSR_ME) | (cpu.msrLo & MSR_ME);
        if (lo & MSR_PR) lo |= MSR_EE | MSR_IR | MSR_DR;
        const hi = h ? sh : (sh & ~MSR_HV_HI) | (cpu.msrHi & sh & MSR_HV_HI);
        this.setMsr(cpu, hi, lo);
        cpu.pcHi = cpu.sprHi[h ? SPR.HSRR0 : SPR.SRR0]!;
        cpu.pcLo = cpu.sprLo[h ? SPR.HSRR0 : SPR.SRR0]! & ~3;
        return true;
      }
      case Op.attn:
        this.machine.halt(cpu);
        return false;
      case Op.stop:
        // Power saving ends at the next wake-up event (Book III 4.3.2); here it ends at once,
        // execution resuming after the instruction (PSSCR[EC] = 0 behaviour, no state lost).
        return false;
      default: {
        const mmu = this.machine.mmu;
        if (!mmu) cpu.interrupt(VEC.PROGRAM, PROGRAM_ILLEGAL, 'storage-control instruction without an MMU');
        mmu.exec(cpu, op, v0, v1, v2, v3, v4);
        return false;
      }
    }
  }

  private setMsr(cpu: Cpu, hi: number, lo: number): void {
    const before = cpu.msrLo;
    cpu.msrHi = hi;
    cpu.msrLo = lo;
    cpu.flushSoftTlb();
    this.takePendingOnEnable(cpu, before);
  }

  /**
   * An interrupt pending while MSR[EE] was 0 is taken as soon as EE is 1 (Book III 7.4, 7.8):
   * end the CPU's turn so the machine delivers it before the next instruction.
   */
  private takePendingOnEnable(cpu: Cpu, beforeLo: number): void {
    if ((cpu.msrLo & MSR_EE) !== 0 && (beforeLo & MSR_EE) === 0 && cpu.pollDec()) cpu.yieldRequested = true;
  }

  mfspr(cpu: Cpu, spr: number, rt: number): void {
    this.check(cpu, spr, 'mfspr');
    if (spr === SPR.DEC) {
      // 32-bit Decrementer (LPCR[LD] = 0): the value in the low word (Book III 6.5).
      cpu.hi[rt] = 0;
      cpu.lo[rt] = cpu.decNow();
      return;
    }
    cpu.hi[rt] = spr === SPR.DSISR ? 0 : cpu.sprHi[spr]!;
    cpu.lo[rt] = cpu.sprLo[spr]!;
  }

  mtspr(cpu: Cpu, spr: number, rs: number): void {
    this.check(cpu, spr, 'mtspr');
    if (READ_ONLY.has(spr)) return; // writes to PVR/PIR are ignored (Book III 4.3.1, 4.3.2)
    if (spr === SPR.DEC) {
      cpu.setDec(cpu.lo[rs]!);
      // End the turn: the machine bounds the next one by when DEC goes negative, or takes the
      // interrupt a negative value raised.
      cpu.yieldRequested = true;
      return;
    }
    cpu.writeSpr(spr, spr === SPR.DSISR ? 0 : cpu.hi[rs]!, cpu.lo[rs]!);
    if (TRANSLATION.has(spr)) {
      cpu.flushSoftTlb();
      this.machine.mmu?.sprWritten(cpu, spr);
    }
  }

  barrier(cpu: Cpu, op: number, l: number): void {
    this.machine.mmu?.barrier(cpu, op, l);
  }

  private check(cpu: Cpu, spr: number, what: string): void {
    if (!IMPLEMENTED.has(spr)) cpu.interrupt(VEC.PROGRAM, PROGRAM_ILLEGAL, `${what} ${spr}: SPR not implemented`);
    if (HYPERVISOR.has(spr) && (cpu.msrHi & MSR_HV_HI) === 0) {
      cpu.interrupt(VEC.PROGRAM, PROGRAM_PRIV, `${what} ${spr}: hypervisor SPR outside hypervisor state`);
    }
  }
}
