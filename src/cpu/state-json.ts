// The --state-out JSON document (DESIGN.md, "Command-line contract").

import type { Cpu, StopReason } from './cpu.js';

export interface CpuStateJson {
  id: number;
  pc: string;
  msr: string;
  cr: string;
  xer: string;
  lr: string;
  ctr: string;
  gpr: string[];
  srr0: string;
  srr1: string;
  dar: string;
  dsisr: string;
}

export interface StateJson {
  stopReason: StopReason | 'stop-at';
  exitCode: number | null;
  instructions: number;
  cpus: CpuStateJson[];
}

/** 64-bit value as "0x" + 16 lowercase hex digits. */
export function hex64(hi: number, lo: number): string {
  return '0x' + (hi >>> 0).toString(16).padStart(8, '0') + (lo >>> 0).toString(16).padStart(8, '0');
}

/** SPR numbers (Book III, "SPR encodings"). */
const SRR0 = 26;
const SRR1 = 27;
const DAR = 19;
const DSISR = 18;

export function cpuStateJson(cpu: Cpu): CpuStateJson {
  const spr = (n: number) => hex64(cpu.sprHi[n]!, cpu.sprLo[n]!);
  return {
    id: cpu.id,
    pc: hex64(cpu.pcHi, cpu.pcLo),
    msr: hex64(cpu.msrHi, cpu.msrLo),
    cr: (cpu.cr >>> 0).toString(16).padStart(8, '0'),
    xer: hex64(0, cpu.xer),
    lr: hex64(cpu.lrHi, cpu.lrLo),
    ctr: hex64(cpu.ctrHi, cpu.ctrLo),
    gpr: Array.from({ length: 32 }, (_, n) => hex64(cpu.hi[n]!, cpu.lo[n]!)),
    srr0: spr(SRR0),
    srr1: spr(SRR1),
    dar: spr(DAR),
    dsisr: spr(DSISR),
  };
}
