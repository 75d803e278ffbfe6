// Effective addresses of storage accesses (Book I 1.10.3): (RA|0) + D or (RA|0) + (RB), on
// the register halves. The low word is returned and the high word left in `eaHi`, so the hot
// loop builds no pair object; the interpreter, the vector unit and the memory model's thread
// runs share these two.

import type { Cpu } from './cpu.js';

/** High word of the last effective address computed. */
export let eaHi = 0;

/** (RA|0) + D, with D a sign-extended 32-bit value. */
export function eaImm(cpu: Cpu, ra: number, d: number): number {
  const al = ra === 0 ? 0 : cpu.lo[ra]!;
  const ah = ra === 0 ? 0 : cpu.hi[ra]!;
  const s = (al >>> 0) + (d >>> 0);
  eaHi = (ah + (d >> 31) + (s > 0xffffffff ? 1 : 0)) | 0;
  return s | 0;
}

/** (RA|0) + (RB). */
export function eaReg(cpu: Cpu, ra: number, rb: number): number {
  const al = ra === 0 ? 0 : cpu.lo[ra]!;
  const ah = ra === 0 ? 0 : cpu.hi[ra]!;
  const bl = cpu.lo[rb]!;
  const s = (al >>> 0) + (bl >>> 0);
  eaHi = (ah + cpu.hi[rb]! + (s > 0xffffffff ? 1 : 0)) | 0;
  return s | 0;
}
