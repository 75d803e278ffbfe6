// Architected interrupt delivery for the privileged machine (Power ISA v3.0B Book III,
// chapter 7 "Interrupts"): save SRR0/SRR1, set DAR/DSISR where the interrupt defines them,
// switch to the interrupt MSR and go to the vector (MSR[HV]=1 with LPCR[AIL]=0: vectors at
// real address 0).

import { Cpu, MSR_EE, MSR_LE, MSR_ME, MSR_RI, MSR_SF_HI, MSR_HV_HI, VEC, type InterruptInfo } from './cpu.js';

export const SPR = {
  DSISR: 18,
  DAR: 19,
  DEC: 22,
  SDR1: 25,
  SRR0: 26,
  SRR1: 27,
  SPRG0: 272,
  SPRG1: 273,
  SPRG2: 274,
  SPRG3: 275,
  PVR: 287,
  HSRR0: 314,
  HSRR1: 315,
  LPCR: 318,
  LPIDR: 319,
  PID: 48,
  PTCR: 464,
  PIR: 1023,
} as const;

/** DSISR bits (Book III 7.5.3), IBM bits 33, 36, 38 of the 64-bit view (32-bit register). */
export const DSISR_NOPTE = 0x40000000;
export const DSISR_PROT = 0x08000000;
export const DSISR_STORE = 0x02000000;
/** ISI cause bits in SRR1 (Book III 7.5.5): bit 33 no PTE, 35 no-execute/guarded, 36 protection. */
export const SRR1_ISI_NOPTE = 0x40000000;
export const SRR1_ISI_NOEXEC = 0x10000000;
export const SRR1_ISI_PROT = 0x08000000;

/** LPCR[ILE] (bit 38): interrupts are taken little-endian. */
const LPCR_ILE = 1 << (63 - 38);
/** SRR1 bits 33:36 and 42:47 carry the cause; the rest copy the MSR (Book III 7.3). */
const SRR1_CAUSE_MASK = 0x783f0000;

/** Whether a vector is one of scv's 128 (scv LEV = 0..127). */
export function isScvVector(v: number): boolean {
  return v >= VEC.SCV && v < VEC.SCV + 128 * 0x20;
}

/**
 * System Call Vectored interrupt (Book III 7.5): no SRR0/SRR1; LR already holds the next
 * instruction's address (interp.ts), CTR gets the MSR, and the new MSR keeps EE and RI
 * (QEMU target/ppc excp_helper.c, POWERPC_EXCP_SYSCALL_VECTORED).
 */
function deliverScv(cpu: Cpu, info: InterruptInfo): void {
  cpu.ctrHi = cpu.msrHi;
  cpu.ctrLo = cpu.msrLo;
  const ile = (cpu.sprLo[SPR.LPCR]! & LPCR_ILE) !== 0;
  cpu.msrHi = MSR_SF_HI | (cpu.msrHi & MSR_HV_HI);
  cpu.msrLo = (cpu.msrLo & (MSR_ME | MSR_EE | MSR_RI)) | (ile ? MSR_LE : 0);
  cpu.flushSoftTlb();
  cpu.pcHi = 0;
  cpu.pcLo = info.vector;
}

export function deliverInterrupt(cpu: Cpu, info: InterruptInfo): void {
  if (isScvVector(info.vector)) return deliverScv(cpu, info);
  // Hypervisor interrupts (here: Hypervisor Emulation Assistance, Book III v3.0B 7.5.18) save
  // into HSRR0/HSRR1 and enter hypervisor state; the others use SRR0/SRR1.
  const hyp = info.vector === VEC.HEAI;
  // SRR0: the interrupted instruction, or the next one for sc (the loop has advanced pc).
  cpu.writeSpr(hyp ? SPR.HSRR0 : SPR.SRR0, cpu.pcHi, cpu.pcLo);
  cpu.writeSpr(hyp ? SPR.HSRR1 : SPR.SRR1, cpu.msrHi, (cpu.msrLo & ~SRR1_CAUSE_MASK) | (info.cause & SRR1_CAUSE_MASK));
  if (info.ea !== null && (info.vector === VEC.DSI || info.vector === VEC.DSEG || info.vector === VEC.ALIGN)) {
    cpu.writeSpr(SPR.DAR, Number(info.ea >> 32n) | 0, Number(info.ea & 0xffffffffn) | 0);
  }
  if (info.vector === VEC.DSI && info.dsisr !== undefined) cpu.writeSpr(SPR.DSISR, 0, info.dsisr);
  // New MSR (Book III 7.5, figure "MSR setting due to interrupt"): SF=1, HV and ME unchanged,
  // LE from LPCR[ILE], everything else (IR, DR, PR, EE, RI, ...) 0.
  const ile = (cpu.sprLo[SPR.LPCR]! & LPCR_ILE) !== 0;
  // sc LEV=1 (a hypervisor call) also enters hypervisor state, through SRR0/SRR1 (Book III
  // 7.5.14, "System Call Interrupt"; QEMU ppc_excp sets MSR[HV] for lev 1 too).
  const toHv = hyp || info.toHypervisor === true;
  cpu.msrHi = MSR_SF_HI | (toHv ? MSR_HV_HI : cpu.msrHi & MSR_HV_HI);
  cpu.msrLo = (cpu.msrLo & MSR_ME) | (ile ? MSR_LE : 0);
  cpu.flushSoftTlb();
  cpu.pcHi = 0;
  cpu.pcLo = info.vector;
}
