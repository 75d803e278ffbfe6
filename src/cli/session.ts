// Builds the process a run/debug command works on from the command's options.

import { InputError } from '../errors.js';
import { loadUserProgram } from '../cpu/load-program.js';
import type { UserProcess } from '../cpu/user-process.js';
import type { RunOptions } from './options.js';

export function openProgram(path: string, o: RunOptions): UserProcess {
  if (o.bare || o.entry !== undefined || o.loadAddr !== undefined) {
    throw new InputError('--bare: bare-metal programs need the privileged machine (hash MMU), which is not built yet');
  }
  if (o.cpus !== 1) throw new InputError(`--cpus ${o.cpus}: a user-mode program runs on one CPU (multi-CPU needs --bare)`);
  const proc = loadUserProgram(path, { le: o.le });
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
