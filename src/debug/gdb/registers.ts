// The register set GDB sees, in GDB's numbering for 64-bit PowerPC (its features
// org.gnu.gdb.power.core and org.gnu.gdb.power.fpu, gdb/features/rs6000/power64-core.xml and
// power-fpu.xml): r0-r31 = 0-31, f0-f31 = 32-63, pc 64, msr 65, cr 66, lr 67, ctr 68, xer 69,
// fpscr 70; then the supervisor SPRs from 71 (SPR_REGS). f0-f31 and fpscr are the CPU's
// (the subset has FP loads, stores and fmr; no arithmetic changes FPSCR yet).
// Values travel in the target's byte order (MSR[LE]).

import type { Cpu } from '../../cpu/cpu.js';
import { SPR } from '../../cpu/interrupts.js';

interface RegDef {
  readonly name: string;
  readonly bits: 32 | 64;
  readonly type?: string;
  readonly get: (c: Cpu) => bigint;
  readonly set: (c: Cpu, v: bigint) => void;
}

const hiLo = (v: bigint): [number, number] => [Number(BigInt.asUintN(64, v) >> 32n) | 0, Number(v & 0xffffffffn) | 0];
const pair = (hi: number, lo: number): bigint => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
const ignore = () => {};

const CORE: readonly RegDef[] = [
  ...Array.from({ length: 32 }, (_, n): RegDef => ({ name: `r${n}`, bits: 64, get: (c) => c.getGpr(n), set: (c, v) => c.setGpr(n, v) })),
  ...Array.from({ length: 32 }, (_, n): RegDef => ({
    name: `f${n}`,
    bits: 64,
    type: 'ieee_double',
    get: (c) => pair(c.vsr[n << 2]!, c.vsr[(n << 2) | 1]!),
    set: (c, v) => ([c.vsr[n << 2], c.vsr[(n << 2) | 1]] = hiLo(v)),
  })),
  { name: 'pc', bits: 64, type: 'code_ptr', get: (c) => c.pc, set: (c, v) => (c.pc = v) },
  {
    name: 'msr',
    bits: 64,
    get: (c) => pair(c.msrHi, c.msrLo),
    set: (c, v) => {
      [c.msrHi, c.msrLo] = hiLo(v);
      c.flushSoftTlb();
    },
  },
  { name: 'cr', bits: 32, get: (c) => BigInt(c.cr >>> 0), set: (c, v) => (c.cr = Number(v & 0xffffffffn) | 0) },
  { name: 'lr', bits: 64, type: 'code_ptr', get: (c) => pair(c.lrHi, c.lrLo), set: (c, v) => ([c.lrHi, c.lrLo] = hiLo(v)) },
  { name: 'ctr', bits: 64, get: (c) => pair(c.ctrHi, c.ctrLo), set: (c, v) => ([c.ctrHi, c.ctrLo] = hiLo(v)) },
  { name: 'xer', bits: 32, get: (c) => BigInt(c.xer), set: (c, v) => (c.xer = Number(v & 0xffffffffn)) },
  { name: 'fpscr', bits: 32, get: (c) => BigInt(c.fpscr >>> 0), set: (c, v) => (c.fpscr = Number(v & 0xffffffffn) | 0) },
];

/**
 * The supervisor SPRs a kernel engineer inspects (`p $srr0`, `info registers dar`), after
 * GDB's own numbers, in a feature of their own as QEMU's gdbstub adds them. DEC reads its
 * current count; writes to it are ignored (it counts with the Time Base).
 */
const SPR_REGS: ReadonlyArray<readonly [string, number, 32 | 64]> = [
  ['srr0', SPR.SRR0, 64], ['srr1', SPR.SRR1, 64], ['dar', SPR.DAR, 64], ['dsisr', SPR.DSISR, 32],
  ['hsrr0', SPR.HSRR0, 64], ['hsrr1', SPR.HSRR1, 64], ['sprg0', SPR.SPRG0, 64], ['sprg1', SPR.SPRG1, 64],
  ['sprg2', SPR.SPRG2, 64], ['sprg3', SPR.SPRG3, 64], ['sdr1', SPR.SDR1, 64], ['ptcr', SPR.PTCR, 64],
  ['lpcr', SPR.LPCR, 64], ['lpidr', SPR.LPIDR, 32], ['pid', SPR.PID, 32], ['pvr', SPR.PVR, 32], ['pir', SPR.PIR, 32],
];

/** GDB's number of the first SPR: after r0-r31, f0-f31, pc, msr, cr, lr, ctr, xer, fpscr. */
const FIRST_SPR = CORE.length;

export const REGS: readonly RegDef[] = [
  ...CORE,
  ...SPR_REGS.map(([name, n, bits]): RegDef => ({
    name,
    bits,
    get: (c) => (bits === 32 ? BigInt(c.sprLo[n]! >>> 0) : pair(c.sprHi[n]!, c.sprLo[n]!)),
    set: (c, v) => {
      [c.sprHi[n], c.sprLo[n]] = bits === 32 ? [0, Number(v & 0xffffffffn) | 0] : hiLo(v);
    },
  })),
  { name: 'dec', bits: 32, get: (c) => BigInt(c.decNow() >>> 0), set: ignore },
];

/** target.xml for qXfer:features:read (GDB manual, "Target Descriptions"). */
export function targetXml(): string {
  const reg = (r: RegDef, n: number) => `<reg name="${r.name}" bitsize="${r.bits}" regnum="${n}"${r.type ? ` type="${r.type}"` : ''}/>`;
  const all = REGS.map((r, n) => [r, n] as const);
  const core = all.filter(([r, n]) => n < FIRST_SPR && !/^f/.test(r.name));
  const fpu = all.filter(([r, n]) => n < FIRST_SPR && /^f/.test(r.name));
  const spr = all.filter(([, n]) => n >= FIRST_SPR);
  return (
    '<?xml version="1.0"?><!DOCTYPE target SYSTEM "gdb-target.dtd"><target version="1.0">' +
    '<architecture>powerpc:common64</architecture>' +
    `<feature name="org.gnu.gdb.power.core">${core.map(([r, n]) => reg(r, n)).join('')}</feature>` +
    `<feature name="org.gnu.gdb.power.fpu">${fpu.map(([r, n]) => reg(r, n)).join('')}</feature>` +
    `<feature name="org.ppc64emu.spr">${spr.map(([r, n]) => reg(r, n)).join('')}</feature>` +
    '</target>'
  );
}

function bytesOf(v: bigint, bits: 32 | 64, le: boolean): Uint8Array {
  const b = new Uint8Array(bits / 8);
  const dv = new DataView(b.buffer);
  if (bits === 64) dv.setBigUint64(0, BigInt.asUintN(64, v), le);
  else dv.setUint32(0, Number(v & 0xffffffffn), le);
  return b;
}

/** Register `n` as target-order bytes, or null for a number GDB should not ask for. */
export function readReg(cpu: Cpu, n: number): Uint8Array | null {
  const r = REGS[n];
  return r ? bytesOf(r.get(cpu), r.bits, cpu.le) : null;
}

/** Writes register `n` from target-order bytes; false when the number or size is wrong. */
export function writeReg(cpu: Cpu, n: number, bytes: Uint8Array): boolean {
  const r = REGS[n];
  if (!r || bytes.length !== r.bits / 8) return false;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  r.set(cpu, r.bits === 64 ? dv.getBigUint64(0, cpu.le) : BigInt(dv.getUint32(0, cpu.le)));
  return true;
}

/** All registers in order (the `g` packet's body, as bytes). */
export function readAll(cpu: Cpu): Uint8Array {
  const parts = REGS.map((_, n) => readReg(cpu, n)!);
  const out = new Uint8Array(parts.reduce((a, p) => a + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Writes all registers from a `G` packet's bytes; false when the size is wrong. */
export function writeAll(cpu: Cpu, bytes: Uint8Array): boolean {
  if (bytes.length !== REGS.reduce((a, r) => a + r.bits / 8, 0)) return false;
  let o = 0;
  REGS.forEach((r, n) => {
    writeReg(cpu, n, bytes.slice(o, o + r.bits / 8));
    o += r.bits / 8;
  });
  return true;
}
