// Builds the process a run/debug command works on from the command's options.

import { InputError } from '../errors.js';
import { loadBareMachine, loadUserProgram } from '../cpu/load-program.js';
import type { Machine } from '../cpu/machine.js';
import type { UserProcess } from '../cpu/user-process.js';
import type { RunOptions } from './options.js';

export function openProgram(path: string, o: RunOptions): UserProcess {
  if (o.bare) throw new InputError('internal: openProgram called for --bare');
  if (o.entry !== undefined || o.loadAddr !== undefined) throw new InputError('--entry and --load-addr need --bare');
  if (o.cpus !== 1) throw new InputError(`--cpus ${o.cpus}: a user-mode program runs on one CPU (multi-CPU needs --bare)`);
  const proc = loadUserProgram(path, { le: o.le, seed: o.seed });
  for (const s of o.stopAt ?? []) proc.cpu.addBreakpoint(resolveAddress(proc, s, '--stop-at'));
  return proc;
}

/** A number, or a symbol of the program. */
export function resolveAddress(proc: UserProcess, text: string, what: string): bigint {
  if (/^(0x[0-9a-f]+|[0-9]+)$/i.test(text)) return BigInt(text);
  const v = proc.image.symbols.get(text);
  if (v === undefined) throw new InputError(`${what}: not an address or symbol of the program: ${text}`);
  return v;
}

/** The machine for a --bare program, with --stop-at breakpoints planted on every CPU. */
export function openBare(path: string, o: RunOptions): { machine: Machine; symbols: Map<string, bigint> } {
  const r = loadBareMachine(path, {
    le: o.le,
    loadAddr: o.loadAddr,
    entry: o.entry,
    cpus: o.cpus,
    model: o.cpuModel,
    seed: o.seed,
    policy: o.mmuPolicy,
    speculate: o.speculate === 'on',
  });
  for (const s of o.stopAt ?? []) {
    let a: bigint;
    if (/^(0x[0-9a-f]+|[0-9]+)$/i.test(s)) a = BigInt(s);
    else {
      const v = r.symbols.get(s);
      if (v === undefined) throw new InputError(`--stop-at: not an address or symbol of the program: ${s}`);
      a = v;
    }
    for (const cpu of r.machine.cpus) cpu.addBreakpoint(a);
  }
  return r;
}
