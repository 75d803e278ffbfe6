// Instruction trace: one line per executed instruction (address, word, disassembly), written
// before the instruction runs, as `qemu -d in_asm,nochain -singlestep` would show it.

import { disassemble } from '../isa/disasm.js';
import { run } from './interp.js';
import type { UserProcess } from './user-process.js';
import type { Cpu } from './cpu.js';
import { MSR_IR } from './cpu.js';
import type { Machine } from './machine.js';

/**
 * A bare machine's trace line for the instruction `cpu` is about to run: its CPU, EA and, with
 * instruction relocation on, the real address the HPT gives (looked up without touching any
 * TLB, so tracing changes nothing).
 */
export function bareTraceLine(machine: Machine, cpu: Cpu): string {
  const pc = cpu.pc;
  let ra: bigint | null = pc;
  if (cpu.msrLo & MSR_IR) {
    const t = (machine.mmu as { walkEa?: (c: Cpu, ea: bigint) => { ra: bigint; shift: number } | null } | null)?.walkEa?.(cpu, pc) ?? null;
    ra = t ? t.ra + (pc & ((1n << BigInt(t.shift)) - 1n)) : null;
  }
  const head = `cpu ${cpu.id} 0x${pc.toString(16).padStart(16, '0')}`;
  const b = ra === null ? null : machine.mem.read(ra, 4);
  if (ra === null || b === null) return `${head}: <no translation>`;
  const w = new DataView(b.buffer, b.byteOffset, 4).getUint32(0, cpu.le);
  return `${head}: ${w.toString(16).padStart(8, '0')}  ${disassemble(w, pc).text}${ra !== pc ? `  (RA 0x${ra.toString(16)})` : ''}`;
}

/** Runs up to `budget` instructions one at a time, calling `line` before each. */
export function runTraced(proc: UserProcess, budget: number, line: (text: string) => void): number {
  const cpu = proc.cpu;
  let done = 0;
  for (let tries = 0; done < budget && cpu.stop === null && tries < budget; tries++) {
    const pc = cpu.pc;
    const bytes = proc.space.read(pc, 4);
    const w = bytes ? new DataView(bytes.buffer).getUint32(0, cpu.le) : 0;
    line(bytes ? `0x${pc.toString(16).padStart(16, '0')}: ${w.toString(16).padStart(8, '0')}  ${disassemble(w, pc).text}` : `0x${pc.toString(16).padStart(16, '0')}: <unmapped>`);
    done += run(cpu, 1);
  }
  return done;
}
