// Runs a bare-metal fixture on a machine through the library and returns it.

import { join } from 'node:path';
import { loadBareMachine, type BareOptions } from '../../src/cpu/load-program.js';
import type { Machine } from '../../src/cpu/machine.js';
import type { HashMmu } from '../../src/mmu/hash-mmu.js';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures');

export interface BareRun {
  machine: Machine;
  mmu: HashMmu;
  symbols: Map<string, bigint>;
  gpr(cpu: number, r: number): bigint;
  dw(ra: bigint): bigint;
}

/** Runs fixtures/<path> until `stopAt` (a label) on every CPU, a halt, or the budget. */
export function runBare(path: string, opts: BareOptions & { stopAt?: string; budget?: number; record?: boolean } = {}): BareRun {
  const { machine, symbols } = loadBareMachine(join(FIXTURES, path), opts);
  const mmu = machine.mmu as HashMmu;
  if (opts.record) mmu.events.recording = true;
  if (opts.stopAt) {
    const a = symbols.get(opts.stopAt);
    if (a === undefined) throw new Error(`no label ${opts.stopAt}`);
    for (const c of machine.cpus) c.addBreakpoint(a);
  }
  machine.run(opts.budget ?? 2_000_000);
  return {
    machine,
    mmu,
    symbols,
    gpr: (cpu, r) => machine.cpus[cpu]!.getGpr(r),
    dw: (ra) => machine.mem.read64(ra, false),
  };
}
