// What the debugger debugs: a user process (one CPU, its address space) or a bare machine
// (N CPUs over physical storage, with MMU views when an MMU is attached).

import type { Cpu } from '../cpu/cpu.js';
import { run } from '../cpu/interp.js';
import type { Machine } from '../cpu/machine.js';
import type { UserProcess } from '../cpu/user-process.js';

export interface DebugTarget {
  readonly cpus: readonly Cpu[];
  readonly symbols: ReadonlyMap<string, bigint>;
  /** Reads memory as `cpu` would see it at `addr` (EA for a process, real address when bare). */
  read(cpu: Cpu, addr: bigint, length: number): Uint8Array | null;
  /** Runs up to `budget` instructions; `only` restricts the run to one CPU (stepping). */
  run(budget: number, only: Cpu | null): void;
  /** Extra views (tlb, slb, hpt) by name, when the target has an MMU. */
  view?(name: string, cpu: Cpu, arg: string | undefined): string;
}

export function processTarget(proc: UserProcess): DebugTarget {
  return {
    cpus: [proc.cpu],
    symbols: proc.image.symbols,
    read: (_cpu, addr, n) => proc.space.read(addr, n),
    run: (budget) => {
      let done = 0;
      while (done < budget && proc.cpu.stop === null) done += run(proc.cpu, budget - done);
    },
  };
}

export function machineTarget(machine: Machine, symbols: ReadonlyMap<string, bigint>): DebugTarget {
  return {
    cpus: machine.cpus,
    symbols,
    read: (_cpu, addr, n) => machine.mem.read(addr, n),
    run: (budget, only) => {
      if (only === null) {
        machine.run(budget);
        return;
      }
      let done = 0;
      while (done < budget && only.stop === null) done += run(only, budget - done);
      if (only.stop !== null && only.stop !== 'exit') machine.stop = only.stop;
    },
    view: (name, cpu, arg) => machine.mmu?.view?.(name, cpu, arg) ?? `no ${name} view: this machine has no MMU`,
  };
}
