// Instruction trace: one line per executed instruction (address, word, disassembly), written
// before the instruction runs, as `qemu -d in_asm,nochain -singlestep` would show it.

import { disassemble } from '../isa/disasm.js';
import { run } from './interp.js';
import type { UserProcess } from './user-process.js';

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
